"""The months before, from the store: each judged by the rules of its own summary.

For the trends (trends.py) every earlier month is consolidated again —
`consolidate_results`, the very function a summary runs — on what the store
kept of it without the rows: each daily report's per-day counts
(`store.arrivals.DayFigures`) stand in for its rows.  Six months of a
thousand reps take a few seconds, not six full consolidations.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from salesxl.consolidate import Thresholds, consolidate_results
from salesxl.consolidate.digest import digest_from_days
from salesxl.consolidate.results import Results
from salesxl.consolidate.trends import MonthFigures, Trends, month_figures
from salesxl.core.calendar import CalendarNotCoveredError, Workdays
from salesxl.core.people import Roster
from salesxl.core.periods import Month, Week
from salesxl.forms import FormId
from salesxl.store.arrivals import StoredArrivals, load_arrivals
from salesxl.validate import FormData

__all__ = [
    "TREND_MONTHS",
    "EarlierMonths",
    "earlier_months",
    "month_trends",
    "same_point",
    "stored_forms",
]

TREND_MONTHS = 6  # months on the Trend sheet, this one included


def stored_forms(
    stored: StoredArrivals, as_of: dt.date, only: Month | None = None
) -> list[FormData]:
    """The stored files (those of month `only`, when given: consolidating a month reads no
    other), each daily report with its digest as of `as_of` made from its per-day counts
    (days only, when they were not read)."""
    out = []
    for data in stored.forms:
        if only is not None and not _of_month(data, only):
            continue
        days, month = stored.days.get(data.path), data.period
        if days is not None and isinstance(month, Month):
            data = dataclasses.replace(data)  # one digest per (file, as-of)
            data.digest = digest_from_days(month, as_of, days, stored.figures.get(data.path))
        out.append(data)
    return out


def _of_month(data: FormData, month: Month) -> bool:
    """A file of `month`: its month, or a week overlapping it (as consolidation takes them)."""
    period = data.period
    if isinstance(period, Week):
        return period.overlaps(month)
    return period == month


def same_point(month: Month, current: Month, as_of: dt.date, workdays: Workdays) -> dt.date | None:
    """The day of `month` on which as many of its workdays had passed as of `current`'s
    by `as_of` (its last day when `current` is over); None before the first workday."""
    if as_of >= current.last_day:
        return month.last_day
    try:
        elapsed = sum(day <= as_of for day in workdays.workdays_in(current))
        days = workdays.workdays_in(month)
    except CalendarNotCoveredError:
        return None
    if not elapsed or not days:
        return None
    return days[min(elapsed, len(days)) - 1]


@dataclass(frozen=True, slots=True)
class EarlierMonths:
    """The months before this one on the Trend sheet, as their own consolidations judged them
    (small: what crosses back from the process that works them out)."""

    months: list[MonthFigures]  # the months before, each as of now, oldest first
    last: MonthFigures | None  # last month at the same point as this one
    year_ago: MonthFigures | None  # this month a year ago at the same point


def earlier_months(
    db: str | None,
    period: Month,
    as_of: dt.date,
    *,
    roster: Roster | None,
    thresholds: Thresholds,
    workdays: Workdays,
    span: int = TREND_MONTHS,
) -> EarlierMonths:
    """The `span - 1` months before `period`, last month and `period` a year ago at the same
    point as `as_of`, as far as the store has daily reports of them."""
    before = [period.shift(-i) for i in range(span - 1, 0, -1)]
    last, year_ago = period.shift(-1), period.shift(-12)

    def judged(month: Month, days: list[dt.date | None]) -> list[MonthFigures | None]:
        """`month` as its consolidation judges it on each of `days` (None: not judged).  Each
        month is read on its own and let go before the next: what the store holds of six
        months at once (a year of report days, at 5,000 reps) is never in memory together."""
        stored = load_arrivals(db, [month], figures=True)
        if not any(f.form_id == FormId.DAILY_REPORT and f.period == month for f in stored.forms):
            return [None for _ in days]
        refused = [(r.data, r.errors, r.at) for r in stored.refused_files]
        return [
            None
            if day is None
            else month_figures(
                consolidate_results(
                    stored_forms(stored, day, month),
                    period=month,
                    roster=roster,
                    targets=stored.targets.get(month) or None,
                    targets_from="store",
                    as_of=day,
                    thresholds=thresholds,
                    workdays=workdays,
                    first_seen=stored.first_seen,
                    day_first_seen=stored.day_first_seen,
                    refused=refused,
                )
            )
            for day in days
        ]

    # A month before this one is judged as of now: every report of it is due by then; last
    # month also at the same point as this one, from the same read.
    months: list[MonthFigures] = []
    at_same_point: MonthFigures | None = None
    last_day = same_point(last, period, as_of, workdays)
    for month in before:
        now, *same = judged(month, [as_of, last_day] if month == last else [as_of])
        if now is not None:
            months.append(now)
        if same:
            (at_same_point,) = same
    if last not in before:
        (at_same_point,) = judged(last, [last_day])
    (a_year_ago,) = judged(year_ago, [same_point(year_ago, period, as_of, workdays)])
    return EarlierMonths(months, at_same_point, a_year_ago)


def month_trends(results: Results, earlier: EarlierMonths, span: int = TREND_MONTHS) -> Trends:
    """This month (`results`) beside the `span - 1` months before it, last month and this
    month a year ago at the same point (`earlier_months`)."""
    return Trends(month_figures(results), earlier.months, earlier.last, earlier.year_ago, span)
