"""Plans against what happened: weekly plan adherence and 日清 forecast accuracy.

A month's summary judges what happened in the month (README, "Plan vs actual"):
a week reaching into the month before or after counts its planned visits and its
daily reports of this month's days here and the rest in the other month's summary,
so neither month sets visits it never saw against zero (a leaver's or new
hire's likewise on the days employed).  A 日清 forecast is
judged once the report of the day it is for is due (09:00 the workday after);
one for a day without a report (missing), in the next month (whose report is
not read here) or after the rep's leave date is not judged: blank, with a note, never a 0 % accuracy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from salesxl.consolidate.digest import DayActivity
from salesxl.consolidate.model import Bilingual
from salesxl.core.calendar import CalendarNotCoveredError, Workdays
from salesxl.core.deadlines import END_OF_DAY, daily_deadline
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
    planned: int  # planned visits (rows of the plan) on the days judged
    # Of those, the visits made: a customer planned n times and met on k days counts
    # min(n, k).  It, `other` and `actual_amount` are None without a daily report.
    done: int | None
    other: int | None  # customers contacted on those days that the plan does not name
    planned_amount: float | None
    actual_amount: float | None  # closed amount on those days
    file: str
    note: Bilingual | None = None  # which days are judged, when not the whole week
    # the first and last day judged, when not the whole week (None too when no day is)
    judged: tuple[dt.date, dt.date] | None = None

    @property
    def label(self) -> str:
        """The week, with the days judged when not all seven: `2026-W49 11-30–11-30`."""
        if self.judged is None:
            return str(self.week)
        first, last = self.judged
        return f"{self.week} {first:%m-%d}–{last:%m-%d}"

    @property
    def adherence(self) -> float | None:
        return self.done / self.planned if self.planned and self.done is not None else None

    @property
    def amount_ratio(self) -> float | None:
        if not self.planned_amount or self.actual_amount is None:
            return None
        return self.actual_amount / self.planned_amount


@dataclass(frozen=True, slots=True)
class DayCloseRow:
    rep: str
    date: dt.date
    forecast: float | None  # 明日预测 written on `date`
    # the next workday, which the forecast is for; None when it falls in a year the
    # calendar does not cover (after as-of, whose year is covered: not yet judged)
    next_day: dt.date | None
    # closed amount on `next_day`; None when that day is still ahead, in the next month
    # (its report is not read here) or after the rep's leave date
    actual: float | None
    why_not: Bilingual | None = None  # why a day that has come is not judged

    @property
    def accuracy(self) -> float | None:
        """1 − |actual − forecast| / max(actual, forecast): 1 is exact, 0 is far off."""
        if self.forecast is None or self.actual is None:
            return None
        scale = max(abs(self.actual), abs(self.forecast))
        return 1.0 if scale == 0 else max(0.0, 1 - abs(self.actual - self.forecast) / scale)


DaysByRep = Mapping[str, Mapping[dt.date, DayActivity]]
NEXT_MONTH = Bilingual(
    "预测日在下个月，本月汇总不读下月日报：不评判",
    "the day forecast is in the next month, whose reports this summary does not read: not judged",
    sep=" / ",
)


NOT_DUE = Bilingual(
    "预测日的日报尚未到交报时间（次一工作日 09:00）：暂不评判",
    "the report of the day forecast is not due yet (09:00 the next workday): not judged yet",
    sep=" / ",
)


NO_REPORT = Bilingual(
    "预测日没有日报（缺交）：成交未知，不评判",
    "no report for the day forecast (missing): its sales are unknown, not judged",
    sep=" / ",
)


def _after_leaving(leave_date: dt.date) -> Bilingual:
    return Bilingual(
        f"预测日在离职日 {leave_date:%m-%d} 之后：不评判",
        f"the day forecast is after the leave date {leave_date:%m-%d}: not judged",
        sep=" / ",
    )


def plan_vs_actual(
    plans: Sequence[tuple[str, Week, list[Record], str]],
    days: DaysByRep,
    period: Month,
    reps: Mapping[str, Rep],
    reporting: Collection[str],
) -> list[PlanRow]:
    """Each weekly plan against the rep's daily reports of that week, on the week's days
    that are in `period` and on which the rep was employed: the plan rows dated on those
    days (an undated row, or one dated outside its week, goes with the week's Monday)
    against the reports of those days.  A week whose rows all fall in another month is
    that month's.  A rep without a daily report (not in `reporting`) has unknown visits
    and amount, never zeros."""
    out = []
    for rep, week, rows, path in plans:
        rows = [r for r in rows if r[Role.CUSTOMER]]
        if not any(period.contains(_planned_day(r, week)) for r in rows):
            continue  # the week's plan is judged in the other month's summary
        person = reps.get(rep)
        judged = [
            d for d in week.days() if period.contains(d) and (person is None or person.active_on(d))
        ]
        counted = [r for r in rows if _planned_day(r, week) in judged]
        times: dict[str, int] = {}  # customer -> planned visits
        for r in counted:
            key = normalise_name(r[Role.CUSTOMER])
            times[key] = times.get(key, 0) + 1
        named = {normalise_name(r[Role.CUSTOMER]) for r in rows}
        met: dict[str, int] = {}  # customer -> days contacted
        amount = 0.0
        mine = days.get(rep, {})
        for day in judged:
            activity = mine.get(day)
            if activity is not None:
                for name in activity.names:
                    met[name] = met.get(name, 0) + 1
                amount += activity.closed
        expected = [r[Role.EXPECTED_AMOUNT] for r in counted if r[Role.EXPECTED_AMOUNT] is not None]
        known = rep in reporting
        note = _judged_note(week, period, judged, person)
        out.append(
            PlanRow(
                rep,
                week,
                len(counted),
                sum(min(n, met.get(name, 0)) for name, n in times.items()) if known else None,
                len(met.keys() - named) if known else None,
                sum(expected) if expected else None,
                amount if known else None,
                path,
                note if known else _no_report(note),
                (judged[0], judged[-1]) if judged and len(judged) < 7 else None,
            )
        )
    out.sort(key=lambda p: (p.rep, p.week))
    return out


def _no_report(note: Bilingual | None) -> Bilingual:
    zh, en = "本月没有日报：执行情况未知", "no daily report this month: what was done is unknown"
    if note is not None:
        zh, en = f"{zh}；{note.zh}", f"{en}; {note.en}"
    return Bilingual(zh, en, sep=" / ")


def _planned_day(row: Record, week: Week) -> dt.date:
    day = row[Role.DATE]
    return day if isinstance(day, dt.date) and week.contains(day) else week.monday


def _judged_note(
    week: Week, period: Month, judged: Sequence[dt.date], rep: Rep | None
) -> Bilingual | None:
    """Which of the week's days are judged and why the others are not; None: all seven."""
    if len(judged) == 7:
        return None
    zh: list[str] = []
    en: list[str] = []
    others = sorted({Month.of(d) for d in week.days()} - {period})
    if others:
        months = ", ".join(map(str, others))
        zh.append(f"本周其余几天计入 {months} 的汇总")
        en.append(f"the week's days in {months} count in that summary")
    if rep is not None and rep.hire_date is not None and week.contains(rep.hire_date):
        zh.append(f"{rep.hire_date:%m-%d} 入职")
        en.append(f"joined {rep.hire_date:%m-%d}")
    if (
        rep is not None
        and rep.leave_date is not None
        and week.monday <= rep.leave_date < week.sunday
    ):
        zh.append(f"{rep.leave_date:%m-%d} 离职，之后的计划不计")
        en.append(f"left {rep.leave_date:%m-%d}: the plan after it does not count")
    if judged:
        zh.insert(0, f"只计 {judged[0]:%m-%d} 至 {judged[-1]:%m-%d}")
        en.insert(0, f"only {judged[0]:%m-%d} to {judged[-1]:%m-%d} count here")
    return Bilingual("；".join(zh), "; ".join(en), sep=" / ")


def forecast_accuracy(
    closes: Iterable[tuple[str, dt.date, float | None]],
    days: DaysByRep,
    workdays: Workdays,
    as_of: dt.date,
    period: Month,
    reps: Mapping[str, Rep],
    judged: dt.datetime | None = None,
    reported: Mapping[str, Collection[dt.date]] | None = None,
) -> list[DayCloseRow]:
    """日清: each day's forecast for tomorrow against the next workday's closed amount, once
    that day's report is due (09:00 the workday after it) by `judged` (default: the end of
    `as_of`): before, its deals may not be written down yet, and a 0 is no outcome.  Nor
    is a day the rep handed in no report for (`reported`: rep -> the days its daily report
    has rows or a day close for; None: every day)."""
    judged = judged or dt.datetime.combine(as_of, END_OF_DAY)
    out = []
    for rep, date, forecast in closes:
        try:
            nxt: dt.date | None = workdays.next_workday(date)
        except CalendarNotCoveredError:  # Dec 31's forecast, before next year's holidays are out
            nxt = None
        actual: float | None = None
        why_not: Bilingual | None = None
        if nxt is not None and nxt <= as_of:
            leave_date = reps[rep].leave_date if rep in reps else None
            if nxt > period.last_day:
                why_not = NEXT_MONTH
            elif leave_date is not None and nxt > leave_date:
                why_not = _after_leaving(leave_date)
            elif not _due(nxt, workdays, judged):
                why_not = NOT_DUE
            elif reported is not None and nxt not in reported.get(rep, ()):
                why_not = NO_REPORT
            else:
                activity = days.get(rep, {}).get(nxt)
                actual = activity.closed if activity else 0.0
        out.append(DayCloseRow(rep, date, forecast, nxt, actual, why_not))
    out.sort(key=lambda d: (d.rep, d.date))
    return out


def _due(day: dt.date, workdays: Workdays, judged: dt.datetime) -> bool:
    """`day`'s daily report is due by `judged` (unknown next year's calendar: not yet)."""
    try:
        return daily_deadline(day, workdays) <= judged
    except CalendarNotCoveredError:
        return False
