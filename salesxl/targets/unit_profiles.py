"""Each unit's twelve month weights: its method (or `auto`'s choice), Spring Festival,
ramp and active months — and the notes that say how, collected once per run."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from salesxl.core.calendar import CalendarNotCoveredError
from salesxl.core.periods import Month
from salesxl.targets.backtest import AUTO_YEARS, choose_method, spring_decision
from salesxl.targets.calendar import Calendar
from salesxl.targets.history import recent_years
from salesxl.targets.model import Settings, TargetsError, UnitSpec
from salesxl.targets.profiles import HISTORY_METHODS, monthly_profile, presence
from salesxl.targets.tree import where_en, where_zh

__all__ = ["ProfileBook", "UnitProfile"]

SHOWN = 20  # units named in a run's note before "and N more"


@dataclass(frozen=True, slots=True)
class UnitProfile:
    weights: tuple[float, ...]  # twelve, summing to 1 (all zero for a unit never active)
    method: str
    note: str = ""
    spring: str = ""
    backtest: str = ""


def _names(units: list[str]) -> str:
    units = sorted(units)
    shown = ", ".join(units[:SHOWN])
    return shown + (f" and {len(units) - SHOWN} more" if len(units) > SHOWN else "")


class ProfileBook:
    """Makes the profiles and remembers, per kind of fall-back, which units took it."""

    def __init__(self, settings: Settings, months: list[Month], calendar: Calendar) -> None:
        self.settings, self.months, self.calendar = settings, months, calendar
        self.fallbacks: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.filled: list[str] = []
        self.untested: list[str] = []

    def make(
        self,
        spec: UnitSpec,
        method: str,
        series: Mapping[Month, float] | Mapping[int, float] | None,
        active: Sequence[bool],
        start: int = 0,
    ) -> UnitProfile:
        name = spec.unit + (f" / {spec.product}" if spec.product else "")
        years = recent_years(series, self.months)
        backtest = ""
        asked = method
        if method == "auto":
            choice = choose_method(years, self.calendar, spec.month_weights)
            if choice is None:
                method = "seasonal"
                self.untested.append(name)
                backtest = (
                    f"auto: {len(years)} years of history, {AUTO_YEARS} needed to backtest; "
                    "used seasonal"
                )
            else:
                method = choice.method
                backtest = choice.describe()
        spring, spring_note = self._spring(method, years)
        try:
            profile = monthly_profile(
                method,
                self.months,
                years,
                self.calendar,
                spring_festival=spring,
                month_weights=spec.month_weights,
            )
        except CalendarNotCoveredError as exc:
            raise TargetsError(
                f"{name}：{exc.message_zh}",
                f"{name}: {exc.message_en}",
                hint_zh=exc.hint_zh,
                hint_en=exc.hint_en,
            ) from None
        except ValueError as exc:  # the method's own checks (profiles.py), worded in English
            raise TargetsError(
                where_zh(spec) + f"「{name}」的分解方法无法使用：{exc}",
                where_en(spec) + f"{name}: {exc}",
            ) from None
        if profile.fallback:
            self.fallbacks[
                (profile.fallback if asked != "auto" else "auto", profile.method)
            ].append(name)
        if years.filled and profile.method in HISTORY_METHODS:
            self.filled.append(f"{name} ({', '.join(f'{m} from {s}' for m, s in years.filled)})")
        factors = presence(active, spec.ramp, start)
        weights = [w * f for w, f in zip(profile.weights, factors, strict=True)]
        note = profile.note
        if spec.ramp and any(active):
            if not any(factors):
                raise TargetsError(
                    where_zh(spec) + f"「{name}」的爬坡使全年没有一个月有目标，请更正爬坡",
                    where_en(spec) + f"{name}: the ramp leaves no month with a target; "
                    "correct the ramp",
                )
            first = max(start, next(k for k, on in enumerate(active) if on))
            ramp = ",".join(f"{r:g}" for r in spec.ramp)
            note = "; ".join(x for x in (note, f"ramp {ramp} from {self.months[first]}") if x)
        if not all(active):
            on = [m for m, a in zip(self.months, active, strict=True) if a]
            span = f"active {on[0]} to {on[-1]}" if on else "not active in this year"
            note = "; ".join(x for x in (note, span) if x)
        total = math.fsum(weights)
        if total <= 0 and any(factors):
            weights = factors
            total = math.fsum(weights)
            note += f"; its {profile.method} profile is zero in its active months: spread equally"
        if total > 0:
            weights = [w / total for w in weights]
        return UnitProfile(tuple(weights), profile.method, note, spring_note, backtest)

    def _spring(self, method: str, years: object) -> tuple[bool, str]:
        setting = self.settings.spring
        if method not in ("seasonal", "trend") or len(years) < 2:  # type: ignore[arg-type]
            return False, ""
        if setting == "yes":
            return True, "applied (设置 Settings: yes)"
        if setting == "no":
            return False, "not applied (设置 Settings: no)"
        return spring_decision(years, self.calendar)  # type: ignore[arg-type]

    def notes(self) -> list[str]:
        """One line per kind of fall-back with the units it concerns (not one per unit)."""
        out = []
        for (asked, used), units in self.fallbacks.items():
            if asked == "auto":
                continue
            why = (
                "needs two complete years of history"
                if asked != "last-year"
                else "found no complete last year in the history"
            )
            out.append(
                f"{asked} {why}; fell back to {used} for {len(units)} "
                f"unit{'s' if len(units) != 1 else ''}: {_names(units)}"
            )
        if self.untested:
            out.append(
                f"auto needs {AUTO_YEARS} years of history to backtest; used seasonal (or its "
                f"fall-back) for {len(self.untested)} unit"
                f"{'s' if len(self.untested) != 1 else ''}: {_names(self.untested)}"
            )
        if self.filled:
            out.append(
                "history months missing and taken from the same month a year apart: "
                + _names(self.filled)
            )
        if self.calendar.guessed:
            years = ", ".join(str(y) for y in sorted(self.calendar.guessed))
            out.append(
                f"history years {years} are not in the workday calendar: counted Monday "
                "to Friday to compare their months"
            )
        return out
