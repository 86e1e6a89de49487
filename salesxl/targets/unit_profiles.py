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
from salesxl.targets.notes import join, note
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


def _names(units: list[str], sep: str = ", ") -> str:
    units = sorted(units)
    shown = sep.join(units[:SHOWN])
    more = len(units) - SHOWN
    if more <= 0:
        return shown
    return shown + (f" 等另 {more} 个" if sep == "、" else f" and {more} more")


class ProfileBook:
    """Makes the profiles and remembers, per kind of fall-back, which units took it."""

    def __init__(self, settings: Settings, months: list[Month], calendar: Calendar) -> None:
        self.settings, self.months, self.calendar = settings, months, calendar
        self.fallbacks: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.filled: list[tuple[str, str]] = []  # (Chinese, English) per unit
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
                backtest = note(
                    f"auto：{len(years)} 年历史，回测需要 {AUTO_YEARS} 年；用 seasonal",
                    f"auto: {len(years)} years of history, {AUTO_YEARS} needed to backtest; "
                    "used seasonal",
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
            zh = "、".join(f"{m} 取自 {s}" for m, s in years.filled)
            en = ", ".join(f"{m} from {s}" for m, s in years.filled)
            self.filled.append((f"{name}（{zh}）", f"{name} ({en})"))
        factors = presence(active, spec.ramp, start)
        weights = [w * f for w, f in zip(profile.weights, factors, strict=True)]
        said = profile.note
        if spec.ramp and any(active):
            if not any(factors):
                raise TargetsError(
                    where_zh(spec) + f"「{name}」的爬坡使全年没有一个月有目标，请更正爬坡",
                    where_en(spec) + f"{name}: the ramp leaves no month with a target; "
                    "correct the ramp",
                )
            first = max(start, next(k for k, on in enumerate(active) if on))
            ramp = ",".join(f"{r:g}" for r in spec.ramp)
            first_month = self.months[first]
            said = join(
                said, note(f"爬坡 {ramp}，自 {first_month} 起", f"ramp {ramp} from {first_month}")
            )
        if not all(active):
            on = [m for m, a in zip(self.months, active, strict=True) if a]
            span = (
                note(f"在职 {on[0]} 至 {on[-1]}", f"active {on[0]} to {on[-1]}")
                if on
                else note("本年度不在职", "not active in this year")
            )
            said = join(said, span)
        total = math.fsum(weights)
        if total <= 0 and any(factors):
            weights = factors
            total = math.fsum(weights)
            said = join(
                said,
                note(
                    f"其 {profile.method} 分布在在职月份全为零：平均分配",
                    f"its {profile.method} profile is zero in its active months: spread equally",
                ),
            )
        if total > 0:
            weights = [w / total for w in weights]
        return UnitProfile(tuple(weights), profile.method, said, spring_note, backtest)

    def _spring(self, method: str, years: object) -> tuple[bool, str]:
        setting = self.settings.spring
        if method not in ("seasonal", "trend") or len(years) < 2:  # type: ignore[arg-type]
            return False, ""
        if setting == "yes":
            return True, note("已调整（设置：yes）", "applied (setting: yes)")
        if setting == "no":
            return False, note("未调整（设置：no）", "not applied (setting: no)")
        return spring_decision(years, self.calendar)  # type: ignore[arg-type]

    def notes(self) -> list[str]:
        """One line per kind of fall-back with the units it concerns (not one per unit): what
        the method did is an info note; history months filled in are a warning (to check)."""
        out: list[str] = []
        for (asked, used), units in self.fallbacks.items():
            if asked == "auto":
                continue
            why = (
                ("需要两个完整年度的历史", "needs two complete years of history")
                if asked != "last-year"
                else ("在历史中找不到完整的去年", "found no complete last year in the history")
            )
            out.append(
                note(
                    f"{asked} {why[0]}；{len(units)} 个单元改用 {used}：{_names(units, '、')}",
                    f"{asked} {why[1]}; fell back to {used} for {len(units)} "
                    f"unit{'s' if len(units) != 1 else ''}: {_names(units)}",
                    info=True,
                )
            )
        if self.untested:
            n = len(self.untested)
            out.append(
                note(
                    f"auto 回测需要 {AUTO_YEARS} 年历史；{n} 个单元用 seasonal（或其后备方法）："
                    + _names(self.untested, "、"),
                    f"auto needs {AUTO_YEARS} years of history to backtest; used seasonal (or its "
                    f"fall-back) for {n} unit{'s' if n != 1 else ''}: {_names(self.untested)}",
                    info=True,
                )
            )
        if self.filled:
            out.append(
                note(
                    "历史缺月，取自相隔一年的同月：" + _names([zh for zh, _ in self.filled], "、"),
                    "history months missing and taken from the same month a year apart: "
                    + _names([en for _, en in self.filled]),
                )
            )
        if self.calendar.guessed:
            years = ", ".join(str(y) for y in sorted(self.calendar.guessed))
            out.append(
                note(
                    f"历史年份 {years} 不在工作日日历中：按周一至周五比较各月",
                    f"history years {years} are not in the workday calendar: counted Monday "
                    "to Friday to compare their months",
                    info=True,
                )
            )
        return out
