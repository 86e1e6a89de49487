"""Who handed in what, and when (SPEC §6 `提交 Submissions`, seeds 003).

- a day's daily record is due at 09:00 on the next workday;
- the weekly plan is due on the week's Monday;
- the monthly plan is due in the last week of the month before (a rep hired
  during the month: by the end of the first day);
- a report the store refused is 已拒收 Refused: received, not accepted.
The time a report arrived is the store's first-seen time when there is one,
else when the file was last saved: the save time Excel records inside the
file (it survives e-mail and copying) or the file's modification time,
whichever is earlier (`FormData.file_time`).  A monthly file's save time only
dates its newest day, so with file times alone an earlier day counts as on
time unless the file was already saved late for it.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from salesxl.consolidate.inputs import Submission
from salesxl.core.calendar import CalendarNotCovered, Workdays
from salesxl.core.deadlines import (
    END_OF_DAY,
    daily_deadline,
    monthly_deadline,
    weekly_deadline,
)
from salesxl.core.people import Rep
from salesxl.core.periods import Month, Week

__all__ = ["STATUS_LABELS", "SubmissionRow", "submission_rows"]

# A report's status (提交 Submissions), and a rep's standing in the month (销售员 By rep).
STATUS_LABELS: dict[str, tuple[str, str]] = {
    "on_time": ("按时", "On time"),
    "late": ("迟交", "Late"),
    "missing": ("缺交", "Missing"),
    "pending": ("未到期", "Not yet due"),
    "no_file": ("无文件", "No file"),
    "not_in_roster": ("不在花名册", "Not in roster"),
    "refused": ("已拒收", "Refused"),  # received, but the store refused it: provisional
    "active": ("在职", "Active"),
    "joined": ("新入职", "Joined"),
    "left": ("离职", "Left"),
    "no_data": ("无数据", "No data"),
}
FORM_LABELS: dict[str, tuple[str, str]] = {
    "daily_report": ("日报", "Daily report"),
    "weekly_plan": ("周计划", "Weekly plan"),
    "monthly_plan": ("月计划", "Monthly plan"),
}


@dataclass(frozen=True, slots=True)
class SubmissionRow:
    rep: str
    form: str | None
    due_for: str  # the day, week or month the report covers
    deadline: dt.datetime | None  # None: not known yet (a year the calendar does not cover)
    submitted: dt.datetime | None
    status: str
    file: str | None


def _status(submitted: dt.datetime | None, deadline: dt.datetime | None) -> str:
    if deadline is None or submitted is None or submitted <= deadline:
        return "on_time"
    return "late"


def _deadline(day: dt.date, workdays: Workdays) -> dt.datetime | None:
    """The day's deadline; None when it falls in a year the calendar does not cover (the
    last days of December): that is after as-of, whose year is covered, so not yet due."""
    try:
        return daily_deadline(day, workdays)
    except CalendarNotCovered:
        return None


def _due(deadline: dt.datetime | None, now: dt.datetime) -> str:
    """A report not handed in: missing once its deadline has passed."""
    return "missing" if deadline is not None and deadline <= now else "pending"


def _received(sub: Submission, deadline: dt.datetime) -> str:
    return "refused" if sub.refused is not None else _status(sub.submitted, deadline)


def submission_rows(
    reps: Mapping[str, Rep],
    submissions: Iterable[Submission],
    unknown: Iterable[Submission],
    period: Month,
    now: dt.datetime,
    workdays: Workdays,
) -> list[SubmissionRow]:
    """Per rep: every workday's daily report, each week's plan, the month plan; plus strays."""
    by_rep: dict[str, dict[str, list[Submission]]] = {}
    for sub in submissions:
        by_rep.setdefault(sub.rep_id, {}).setdefault(sub.form_id, []).append(sub)
    rows: list[SubmissionRow] = []
    last_day = min(period.last_day, now.date())
    # The month's workdays, weeks and deadlines are the same for every rep: worked out once
    # (deadlines as they are needed: the next workday can fall in a year not covered).
    workdays_due = [day for day in workdays.workdays_in(period) if day <= last_day]
    deadline_of = functools.cache(functools.partial(_deadline, workdays=workdays))
    weeks = _weeks_due(period, now)
    for rep_id in sorted(reps):
        rep = reps[rep_id]
        files = by_rep.get(rep_id, {})
        if not files:  # every report due is missing; the note says there is no file at all
            rows.append(SubmissionRow(rep_id, None, str(period), None, None, "no_file", None))
        rows.extend(_daily(rep, files.get("daily_report", []), workdays_due, deadline_of, now))
        rows.extend(_weekly(rep, files.get("weekly_plan", []), weeks, now))
        rows.extend(_monthly(rep, files.get("monthly_plan", []), period, now))
    for sub in unknown:
        rows.append(
            SubmissionRow(
                sub.rep_id,
                sub.form_id,
                str(sub.period),
                None,
                sub.submitted,
                "not_in_roster",
                sub.path,
            )
        )
    return rows


def _daily(
    rep: Rep,
    subs: list[Submission],
    workdays_due: list[dt.date],
    deadline_of: Callable[[dt.date], dt.datetime | None],
    now: dt.datetime,
) -> list[SubmissionRow]:
    """One row per workday due so far."""
    sub = subs[0] if subs else None
    days = sub.days if sub else {}
    newest = max(days) if days else None
    # A refused file the store kept no rows of stands for every day: which it held is unknown.
    unknown_days = sub is not None and sub.refused is not None and not days
    rows = []
    for day in workdays_due:
        if not rep.active_on(day):
            continue
        deadline = deadline_of(day)
        if unknown_days:
            assert sub is not None
            rows.append(
                SubmissionRow(
                    rep.rep_id,
                    "daily_report",
                    day.isoformat(),
                    deadline,
                    sub.submitted,
                    "refused",
                    sub.path,
                )
            )
            continue
        if day not in days:
            status = _due(deadline, now)
            rows.append(
                SubmissionRow(
                    rep.rep_id,
                    "daily_report",
                    day.isoformat(),
                    deadline,
                    None,
                    status,
                    sub.path if sub else None,
                )
            )
            continue
        assert sub is not None
        seen = days[day]
        if sub.refused is not None:  # received, but not accepted
            status, seen = "refused", sub.submitted
        elif seen is None:  # no per-day time: the file's time dates its newest day only
            seen = sub.submitted
            status = _status(seen, deadline) if day == newest or sub.from_store else "on_time"
            if status == "on_time" and seen is not None and seen > deadline:
                seen = None  # entered earlier than the last save; exact time unknown
        else:
            status = _status(seen, deadline)
        rows.append(
            SubmissionRow(
                rep.rep_id, "daily_report", day.isoformat(), deadline, seen, status, sub.path
            )
        )
    return rows


def _weeks_due(period: Month, now: dt.datetime) -> list[tuple[Week, str, dt.datetime]]:
    """The weeks starting in `period` whose plan is due by `now`: (week, its label, deadline)."""
    due = []
    week = Week.of(period.first_day)
    if week.monday < period.first_day:
        week = Week.of(week.monday + dt.timedelta(days=7))  # plans of weeks starting in the month
    while week.monday <= period.last_day and week.monday <= now.date():
        due.append((week, str(week), weekly_deadline(week)))
        week = Week.of(week.monday + dt.timedelta(days=7))
    return due


def _weekly(
    rep: Rep, subs: list[Submission], weeks: list[tuple[Week, str, dt.datetime]], now: dt.datetime
) -> list[SubmissionRow]:
    got = {sub.period: sub for sub in subs}
    rows = []
    for week, label, deadline in weeks:
        if not rep.active_on(week.monday):
            continue
        sub = got.get(week)
        if sub is None:
            status = _due(deadline, now)
            rows.append(
                SubmissionRow(rep.rep_id, "weekly_plan", label, deadline, None, status, None)
            )
        else:
            rows.append(
                SubmissionRow(
                    rep.rep_id,
                    "weekly_plan",
                    label,
                    deadline,
                    sub.submitted,
                    _received(sub, deadline),
                    sub.path,
                )
            )
    return rows


def _monthly(
    rep: Rep, subs: list[Submission], period: Month, now: dt.datetime
) -> list[SubmissionRow]:
    deadline = monthly_deadline(period)
    if not rep.active_on(period.first_day) and not rep.active_on(min(period.last_day, now.date())):
        return []
    if rep.hire_date is not None and rep.hire_date >= period.first_day:
        # hired in the month: the plan cannot be due before the first day (at the end of it)
        deadline = max(deadline, dt.datetime.combine(rep.hire_date, END_OF_DAY))
    if not subs:
        status = _due(deadline, now)
        return [
            SubmissionRow(rep.rep_id, "monthly_plan", str(period), deadline, None, status, None)
        ]
    sub = subs[0]
    return [
        SubmissionRow(
            rep.rep_id,
            "monthly_plan",
            str(period),
            deadline,
            sub.submitted,
            _received(sub, deadline),
            sub.path,
        )
    ]
