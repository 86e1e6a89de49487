"""How a unit's year is spread over its months: the methods README.md "For admins" lists.

Each method gives twelve weights in fiscal order; the engine scales them to
the annual target.  When history is too short a method falls back — seasonal
to last-year to workdays — and says so in a warning, never silently.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from salesxl.core.calendar import CalendarNotCoveredError, Workdays
from salesxl.core.periods import Month
from salesxl.targets.checks import month_weights_problem

__all__ = ["LUNAR_NEW_YEAR", "Profile", "fiscal_months", "monthly_profile", "ramped"]

METHODS = ("equal", "workdays", "last-year", "seasonal", "trend", "weights")

# 春节 (lunar new year's day); the holiday week starts the day before.
LUNAR_NEW_YEAR = {
    2016: dt.date(2016, 2, 8),
    2017: dt.date(2017, 1, 28),
    2018: dt.date(2018, 2, 16),
    2019: dt.date(2019, 2, 5),
    2020: dt.date(2020, 1, 25),
    2021: dt.date(2021, 2, 12),
    2022: dt.date(2022, 2, 1),
    2023: dt.date(2023, 1, 22),
    2024: dt.date(2024, 2, 10),
    2025: dt.date(2025, 1, 29),
    2026: dt.date(2026, 2, 17),
    2027: dt.date(2027, 2, 6),
    2028: dt.date(2028, 1, 26),
    2029: dt.date(2029, 2, 13),
    2030: dt.date(2030, 2, 3),
    2031: dt.date(2031, 1, 23),
    2032: dt.date(2032, 2, 11),
    2033: dt.date(2033, 1, 31),
    2034: dt.date(2034, 2, 19),
    2035: dt.date(2035, 2, 8),
}

MonthlyAmounts = Mapping[Month, float]


@dataclass(frozen=True, slots=True)
class Profile:
    weights: tuple[float, ...]  # twelve, fiscal order
    method: str  # the method actually used
    note: str = ""  # why (the fall-back taken, the years used)


def fiscal_months(year: int, start: int) -> list[Month]:
    """The twelve months of fiscal year `year` starting in month `start`."""
    first = Month(year, start)
    return [first.shift(k) for k in range(12)]


def _full_years(history: MonthlyAmounts, months: Sequence[Month]) -> list[list[float]]:
    """History for the fiscal years before `months`, complete years only, latest first."""
    years = []
    for back in range(1, 11):
        values = [history.get(m.shift(-12 * back)) for m in months]
        known = [v for v in values if v is not None]
        if len(known) == len(values) and math.fsum(known) > 0:
            years.append([float(v) for v in known])
        elif back > 1 and not known:
            break
    return years


def _workday_weights(months: Sequence[Month], workdays: Workdays) -> list[float]:
    return [float(len(workdays.workdays_in(m))) for m in months]


def _spring_split(months: Sequence[Month], workdays: Workdays) -> tuple[float, float, str]:
    """The target year's January and February shares of their two-month block."""
    jan = next(m for m in months if m.month == 1)
    feb = next(m for m in months if m.month == 2)
    try:
        a, b = len(workdays.workdays_in(jan)), len(workdays.workdays_in(feb))
        return a / (a + b), b / (a + b), "by the target year's workdays"
    except CalendarNotCoveredError:
        festival = LUNAR_NEW_YEAR.get(jan.year)
        a = sum(1 for d in jan.days() if d.weekday() < 5)
        b = sum(1 for d in feb.days() if d.weekday() < 5)
        if festival is not None:  # about five workdays of holiday from the eve on
            for k in range(-1, 6):
                day = festival + dt.timedelta(days=k)
                if day.weekday() < 5:
                    a, b = (a - 1, b) if day.month == 1 else (a, b - 1)
        return a / (a + b), b / (a + b), "by weekdays less the festival week (no calendar)"


def _seasonal(
    years: list[list[float]], months: Sequence[Month], workdays: Workdays, spring: bool
) -> tuple[list[float], str]:
    indices = [[v / (math.fsum(year) / 12) for v in year] for year in years]
    profile = [math.fsum(ix[k] for ix in indices) / len(indices) for k in range(12)]
    note = f"seasonal index from {len(years)} years of history"
    if spring and any(m.month == 1 for m in months) and any(m.month == 2 for m in months):
        k1 = next(k for k, m in enumerate(months) if m.month == 1)
        k2 = next(k for k, m in enumerate(months) if m.month == 2)
        block = profile[k1] + profile[k2]  # the festival falls in one or the other
        share1, share2, how = _spring_split(months, workdays)
        profile[k1], profile[k2] = block * share1, block * share2
        note += f"; Spring Festival: January and February estimated together, split {how}"
    return profile, note


def monthly_profile(
    method: str,
    months: Sequence[Month],
    history: MonthlyAmounts | None,
    workdays: Workdays,
    *,
    spring_festival: bool = True,
    month_weights: Sequence[float] | None = None,
) -> Profile:
    """Twelve weights for `months` by `method`, falling back when history is too short."""
    if method == "equal":
        return Profile((1.0,) * 12, "equal")
    if method == "workdays":
        return Profile(tuple(_workday_weights(months, workdays)), "workdays")
    if method == "weights":
        problem = month_weights_problem(month_weights)  # what `salesxl validate` says too
        if problem is not None:
            raise ValueError(problem[1])
        assert month_weights is not None
        return Profile(tuple(float(w) for w in month_weights), "weights")
    years = _full_years(history or {}, months)
    if method in ("seasonal", "trend"):
        if len(years) >= 2:
            profile, note = _seasonal(years, months, workdays, spring_festival)
            if method == "trend":
                growth = _growth(years)
                profile = [w * (1 + growth) ** (k / 12) for k, w in enumerate(profile)]
                note += f"; trend {growth:+.1%} a year spread over the months"
            return Profile(tuple(profile), method, note)
        fallback = "last-year" if years else "workdays"
        why = (
            f"{method} needs two complete years of history, found {len(years)}; "
            f"fell back to {fallback}"
        )
        if years:
            return Profile(tuple(years[0]), "last-year", why)
        return Profile(tuple(_workday_weights(months, workdays)), "workdays", why)
    if method == "last-year":
        if years:
            return Profile(
                tuple(years[0]),
                "last-year",
                f"last year's months ({months[0].shift(-12)} to {months[-1].shift(-12)})",
            )
        return Profile(
            tuple(_workday_weights(months, workdays)),
            "workdays",
            "no complete last year in the history (a month missing); fell back to workdays",
        )
    raise ValueError(f"unknown method {method!r}; use one of {', '.join(METHODS)}")


def _growth(years: list[list[float]]) -> float:
    """Average year-on-year growth of the complete years (latest first)."""
    totals = [math.fsum(y) for y in years]
    ratios = [a / b for a, b in pairwise(totals) if b > 0]
    if not ratios:
        return 0.0
    return math.prod(ratios) ** (1 / len(ratios)) - 1


def ramped(weights: Sequence[float], ramp: Sequence[float], start: int = 0) -> tuple[float, ...]:
    """A new rep's first months at `ramp` percent of normal, months before `start` at 0;
    normalising afterwards hands the difference to the rest of the year."""
    out = [0.0 if k < start else float(w) for k, w in enumerate(weights)]
    for step, percent in enumerate(ramp):
        k = start + step
        if k < len(out):
            out[k] *= percent / 100
    if math.fsum(out) <= 0:
        raise ValueError("the ramp leaves no month with a target")
    return tuple(out)
