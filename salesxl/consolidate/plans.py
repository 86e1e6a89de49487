"""Plans against what happened: weekly plan adherence and 日清 forecast accuracy."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from salesxl.consolidate.digest import DayActivity
from salesxl.core.calendar import CalendarNotCoveredError, Workdays
from salesxl.core.deadlines import END_OF_DAY
from salesxl.core.identity import normalise_name
from salesxl.core.people import Rep
from salesxl.core.periods import Month, Week
from salesxl.forms import Role

__all__ = ["DayCloseRow", "PlanRow", "forecast_accuracy", "plan_vs_actual"]

Record = dict[str, Any]


@dataclass(frozen=True, slots=True)
class PlanRow:
    rep: str
    week: Week
    planned: int  # planned visits (rows of the plan)
    done: int  # planned customers actually contacted that week
    other: int  # contacts that week with customers not in the plan
    planned_amount: float | None
    actual_amount: float  # closed amount that week
    file: str

    @property
    def adherence(self) -> float | None:
        return self.done / self.planned if self.planned else None

    @property
    def amount_ratio(self) -> float | None:
        return self.actual_amount / self.planned_amount if self.planned_amount else None


@dataclass(frozen=True, slots=True)
class DayCloseRow:
    rep: str
    date: dt.date
    forecast: float | None  # 明日预测 written on `date`
    # the next workday, which the forecast is for; None when it falls in a year the
    # calendar does not cover (after as-of, whose year is covered: not yet judged)
    next_day: dt.date | None
    # closed amount on `next_day`; None when that day is not over yet, or falls in the
    # next month, whose reports the month's summary does not read, or after the rep left
    actual: float | None

    @property
    def accuracy(self) -> float | None:
        """1 − |actual − forecast| / max(actual, forecast): 1 is exact, 0 is far off."""
        if self.forecast is None or self.actual is None:
            return None
        scale = max(abs(self.actual), abs(self.forecast))
        return 1.0 if scale == 0 else max(0.0, 1 - abs(self.actual - self.forecast) / scale)


DaysByRep = Mapping[str, Mapping[dt.date, DayActivity]]


def plan_vs_actual(
    plans: Sequence[tuple[str, Week, list[Record], str]], days: DaysByRep
) -> list[PlanRow]:
    """Each weekly plan against the rep's daily reports of that week."""
    out = []
    for rep, week, rows, path in plans:
        planned = {normalise_name(r[Role.CUSTOMER]) for r in rows if r[Role.CUSTOMER]}
        seen: set[str] = set()
        amount = 0.0
        mine = days.get(rep, {})
        for day in week.days():
            activity = mine.get(day)
            if activity is not None:
                seen |= activity.names
                amount += activity.closed
        amounts = [r[Role.EXPECTED_AMOUNT] for r in rows]
        expected = [a for a in amounts if a is not None]
        out.append(
            PlanRow(
                rep,
                week,
                len([r for r in rows if r[Role.CUSTOMER]]),
                len(planned & seen),
                len(seen - planned),
                sum(expected) if expected else None,
                amount,
                path,
            )
        )
    out.sort(key=lambda p: (p.rep, p.week))
    return out


def forecast_accuracy(
    closes: Iterable[tuple[str, dt.date, float | None]],
    days: DaysByRep,
    workdays: Workdays,
    judged: dt.datetime,
    period: Month,
    people: Mapping[str, Rep],
) -> list[DayCloseRow]:
    """日清: each day's forecast for tomorrow against the next workday's closed amount.

    A forecast is not judged, rather than judged against ¥0, for a day `days` cannot
    tell: one not over at `judged` (`submissions.judged_at`: now when as-of is today,
    whose report is not in yet, else the end of as-of); one of the next month, as the
    month's last forecast is (30 October's for 2 November), since `days` hold the rows of
    `period` only; one after the rep left (`people`, the roster), unless the rep reported
    work that day after all."""
    out = []
    for rep, date, forecast in closes:
        try:
            nxt: dt.date | None = workdays.next_workday(date)
        except CalendarNotCoveredError:  # Dec 31's forecast, before next year's holidays are out
            nxt = None
        known = (
            nxt is not None
            and dt.datetime.combine(nxt, END_OF_DAY) <= judged
            and period.contains(nxt)
        )
        activity = days.get(rep, {}).get(nxt) if known and nxt is not None else None
        person = people.get(rep)
        if activity is None and person is not None and nxt is not None:
            known = known and person.active_on(nxt)
        actual = (activity.closed if activity else 0.0) if known else None
        out.append(DayCloseRow(rep, date, forecast, nxt, actual))
    out.sort(key=lambda d: (d.rep, d.date))
    return out
