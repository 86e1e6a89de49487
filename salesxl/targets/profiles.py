"""How a unit's year is spread over its months: the methods (README, For admins).

Each method gives twelve weights in fiscal order; the engine scales them to
the annual target.  History-based methods learn from the most recent
twelve-month windows (history.py); when history is too short a method falls
back — seasonal and trend to last-year to workdays — and says so.

- `seasonal`: sales per calendar day of each month as a share of its year,
  averaged over the years with the recent ones weighing more (1, 2, 3 …),
  times the plan year's days: a leap February or a 31-day month is no season.
- `seasonal-workdays`: the same per workday, times the plan year's workdays, so
  the Spring Festival and Golden Week move with the calendar (B2B sales).
- `trend`: seasonal indices against a straight trend line fitted through the
  history (per day), the line carried on through the plan year.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from salesxl.core.periods import Month
from salesxl.targets.calendar import Calendar
from salesxl.targets.checks import month_weights_problem
from salesxl.targets.history import Years, month_of, ordinal, recent_years

__all__ = [
    "HISTORY_METHODS",
    "LUNAR_NEW_YEAR",
    "METHODS",
    "Profile",
    "fiscal_months",
    "method_weights",
    "monthly_profile",
    "presence",
    "ramped",
    "spring_pair",
    "spring_split",
]

METHODS = (
    "equal",
    "workdays",
    "last-year",
    "seasonal",
    "seasonal-workdays",
    "trend",
    "weights",
    "auto",
)
HISTORY_METHODS = ("last-year", "seasonal", "seasonal-workdays", "trend")
SEASONAL_YEARS = 2  # seasonal indices need two years to average

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


@dataclass(frozen=True, slots=True)
class Profile:
    weights: tuple[float, ...]  # twelve, fiscal order
    method: str  # the method actually used
    note: str = ""  # why (the fall-back taken, the years used)
    fallback: str = ""  # the method asked for, when another one was used
    years: int = 0  # history years the method learnt from


def fiscal_months(year: int, start: int) -> list[Month]:
    """The twelve months of fiscal year `year` starting in month `start`."""
    first = Month(year, start)
    return [first.shift(k) for k in range(12)]


def _seasonal(years: Years, months: Sequence[Month], calendar: Calendar, by: str) -> list[float]:
    """Each month's share of its year (per day or workday), recent years weighing more,
    times the plan year's days (or workdays)."""
    n = len(years.windows)
    index = [0.0] * 12
    for i, window in enumerate(years.windows):  # latest first: weight n, n-1, …
        scaled = [
            v / size if (size := calendar.size_at(o, by)) > 0 else v
            for v, o in zip(window.values, window.ordinals, strict=True)
        ]
        total = math.fsum(scaled)
        weight = (n - i) * 12 / total
        for k in range(12):
            index[k] += weight * scaled[k]
    norm = n * (n + 1) / 2
    return [i / norm * calendar.size(m, by) for i, m in zip(index, months, strict=True)]


def _trend(years: Years, months: Sequence[Month], calendar: Calendar) -> list[float] | None:
    """Seasonal indices against a fitted straight line, the line carried into the plan year.

    None when the line would go below zero within the plan year (a collapse is no plan)."""
    points: list[tuple[int, int, float, float]] = []  # (month ordinal, position, per day, weight)
    n = len(years.windows)
    for i, window in enumerate(years.windows):
        for k, (o, v) in enumerate(zip(window.ordinals, window.values, strict=True)):
            points.append((o, k, v / calendar.size_at(o, "days"), n - i))
    index = [1.0] * 12
    a = b = 0.0
    xs = [x for x, _, _, _ in points]
    x_mean = math.fsum(xs) / len(xs)
    spread = math.fsum((x - x_mean) ** 2 for x in xs)
    for _ in range(4):  # alternate: the line through the deseasonalised values, then indices
        ys = [v / index[k] for _, k, v, _ in points]
        y_mean = math.fsum(ys) / len(ys)
        b = math.fsum((x - x_mean) * (y - y_mean) for x, y in zip(xs, ys, strict=True)) / spread
        a = y_mean - b * x_mean
        sums, weights = [0.0] * 12, [0.0] * 12
        for x, k, v, w in points:
            level = a + b * x
            if level <= 0:
                return None
            sums[k] += w * v / level
            weights[k] += w
        index = [s / w for s, w in zip(sums, weights, strict=True)]
        mean = math.fsum(index) / 12
        index = [v / mean for v in index]
    out = []
    for k, m in enumerate(months):
        level = a + b * ordinal(m)
        if level <= 0:
            return None
        out.append(index[k] * level * calendar.size(m, "days"))
    return out


def spring_split(months: Sequence[Month], calendar: Calendar) -> tuple[float, float, str]:
    """The January and February shares of their two-month block in the year of `months`."""
    jan = next(m for m in months if m.month == 1)
    feb = next(m for m in months if m.month == 2)
    return spring_pair(jan, feb, calendar)


def spring_pair(jan: Month, feb: Month, calendar: Calendar) -> tuple[float, float, str]:
    """January's and February's shares of their block, by that year's calendar."""
    key = ("spring", jan.year, jan.month, feb.year)
    found = calendar.memo.get(key)
    if not isinstance(found, tuple):
        found = calendar.memo[key] = _spring_pair(jan, feb, calendar)
    return found


def _spring_pair(jan: Month, feb: Month, calendar: Calendar) -> tuple[float, float, str]:
    if calendar.covers(jan.year):
        a, b = calendar.size(jan, "workdays"), calendar.size(feb, "workdays")
        return a / (a + b), b / (a + b), "by the year's workdays"
    festival = LUNAR_NEW_YEAR.get(jan.year)
    a = sum(1 for d in jan.days() if d.weekday() < 5)
    b = sum(1 for d in feb.days() if d.weekday() < 5)
    if festival is not None:  # about five workdays of holiday from the eve on
        for k in range(-1, 6):
            day = festival + dt.timedelta(days=k)
            if day.weekday() < 5:
                a, b = (a - 1, b) if day.month == 1 else (a, b - 1)
    return a / (a + b), b / (a + b), "by weekdays less the festival week (no calendar)"


def spring_adjusted(
    profile: list[float], months: Sequence[Month], calendar: Calendar
) -> tuple[list[float], str]:
    """January and February estimated together, split by the target year's calendar; the
    note says what that did to the two months' shares of the year (the admin sees it)."""
    if not (any(m.month == 1 for m in months) and any(m.month == 2 for m in months)):
        return profile, ""
    k1 = next(k for k, m in enumerate(months) if m.month == 1)
    k2 = next(k for k, m in enumerate(months) if m.month == 2)
    block = profile[k1] + profile[k2]  # the festival falls in one or the other
    share1, share2, how = spring_split(months, calendar)
    out = list(profile)
    out[k1], out[k2] = block * share1, block * share2
    note = f"January and February estimated together, split {how}"
    total = math.fsum(profile)  # the block keeps its sum, so the year keeps its total
    if total > 0:
        note += (
            f": January {profile[k1] / total:.1%} → {out[k1] / total:.1%}, "
            f"February {profile[k2] / total:.1%} → {out[k2] / total:.1%} of the year"
        )
    return out, note


def method_weights(
    method: str,
    years: Years,
    months: Sequence[Month],
    calendar: Calendar,
    month_weights: Sequence[float] | None = None,
) -> list[float] | None:
    """Twelve weights of `method` learnt from `years`; None when the history cannot serve it."""
    if method == "equal":
        return [1.0] * 12
    if method == "workdays":
        return [calendar.size(m, "workdays") for m in months]
    if method == "weights":
        return [float(w) for w in month_weights] if month_weights else None
    if method == "last-year":
        return list(years.windows[0].values) if years.windows else None
    if len(years) < SEASONAL_YEARS:
        return None
    if method == "seasonal":
        return _seasonal(years, months, calendar, "days")
    if method == "seasonal-workdays":
        return _seasonal(years, months, calendar, "workdays")
    if method == "trend":
        return _trend(years, months, calendar)
    raise ValueError(f"unknown method {method!r}; use one of {', '.join(METHODS)}")


def _check_month_weights(month_weights: Sequence[float] | None) -> None:
    problem = month_weights_problem(month_weights)  # what `salesxl validate` says too
    if problem is not None:
        raise ValueError(problem[1])


def _years_note(years: Years) -> str:
    first = month_of(min(o for w in years.windows for o in w.ordinals))
    last = month_of(max(o for w in years.windows for o in w.ordinals))
    note = f"{len(years)} years of history ({first} to {last})"
    if years.filled:
        note += "; " + ", ".join(f"{m} taken from {s}" for m, s in years.filled)
    return note


def monthly_profile(
    method: str,
    months: Sequence[Month],
    history: Mapping[Month, float] | Years | None,
    workdays: object,
    *,
    spring_festival: bool = False,
    month_weights: Sequence[float] | None = None,
) -> Profile:
    """Twelve weights for `months` by `method`, falling back when history is too short.

    `workdays` is a `Workdays` calendar (or a `Calendar` around one)."""
    calendar = (
        workdays if isinstance(workdays, Calendar) else Calendar(workdays, strict_from=months[0])  # type: ignore[arg-type]
    )
    years = history if isinstance(history, Years) else recent_years(history, months)
    if method not in METHODS or method == "auto":
        raise ValueError(f"unknown method {method!r}; use one of {', '.join(METHODS[:-1])}")
    if method == "weights":
        _check_month_weights(month_weights)
    weights = method_weights(method, years, months, calendar, month_weights)
    if weights is not None:
        note = ""
        if method in HISTORY_METHODS:
            note = _years_note(years) if method != "last-year" else _last_year_note(years)
        if spring_festival and method in ("seasonal", "trend"):
            weights, how = spring_adjusted(weights, months, calendar)
            note = "; ".join(x for x in (note, f"Spring Festival: {how}" if how else "") if x)
        return Profile(tuple(weights), method, note, years=len(years))
    if method in ("seasonal", "seasonal-workdays", "trend") and years.windows:
        why = (
            f"{method} needs two complete years of history, found {len(years)}; "
            "fell back to last-year"
        )
        return Profile(years.windows[0].values, "last-year", why, method, len(years))
    why = (
        f"{method} needs two complete years of history, found {len(years)}; fell back to workdays"
        if method != "last-year"
        else "no complete last year in the history (a month missing); fell back to workdays"
    )
    return Profile(
        tuple(calendar.size(m, "workdays") for m in months), "workdays", why, method, len(years)
    )


def _last_year_note(years: Years) -> str:
    window = years.windows[0]
    first, last = month_of(min(window.ordinals)), month_of(max(window.ordinals))
    note = f"last year's months ({first} to {last})"
    if years.filled:
        note += "; " + ", ".join(f"{m} taken from {s}" for m, s in years.filled)
    return note


def presence(
    active: Sequence[bool], ramp: Sequence[float] | None = None, start: int = 0
) -> list[float]:
    """How much of a normal month each fiscal month is for one unit: 0 where it is not
    active, its `ramp` percentages in its first months (from `start`, or from its first
    active month when that is later), 1 otherwise.

    The sum over the year, divided by 12, is the part of a full year's share the unit
    gets (shares.py); the months themselves weigh its profile (unit_profiles.py), so a
    rep hired in November with a ramp of 25,50 gets a quarter of a normal November and
    half of a normal December, and nothing of the rest of the year crammed into them."""
    out = [1.0 if on else 0.0 for on in active]
    if ramp and any(active):
        first = max(start, next(k for k, on in enumerate(active) if on))
        for step, percent in enumerate(ramp):
            if first + step < len(out):
                out[first + step] *= percent / 100
    return out


def ramped(weights: Sequence[float], ramp: Sequence[float], start: int = 0) -> tuple[float, ...]:
    """A new rep's first months at `ramp` percent of normal, months before `start` at 0
    (the profile's shape; the share of the year is lowered alike, see `presence`)."""
    out = [0.0 if k < start else float(w) for k, w in enumerate(weights)]
    for step, percent in enumerate(ramp):
        k = start + step
        if k < len(out):
            out[k] *= percent / 100
    if math.fsum(out) <= 0:
        raise ValueError("the ramp leaves no month with a target")
    return tuple(out)
