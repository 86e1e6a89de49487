"""Who handed in what, and when (README.md "For managers", `提交 Submissions`).

- a day's daily record is due at 09:00 on the next workday;
- the weekly plan is due on the week's Monday;
- the monthly plan is due in the last week of the month before.
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
from salesxl.core.calendar import Workdays
from salesxl.core.deadlines import daily_deadline, monthly_deadline, weekly_deadline
from salesxl.core.people import Rep
from salesxl.core.periods import Month, Week

__all__ = ["STATUS_LABELS", "SubmissionRow", "submission_rows"]

STATUS_LABELS: dict[str, tuple[str, str]] = {
    "on_time": ("按时", "On time"),
    "late": ("迟交", "Late"),
    "missing": ("缺交", "Missing"),
    "pending": ("未到期", "Not yet due"),
    "no_file": ("无文件", "No file"),
    "not_in_roster": ("不在花名册", "Not in roster"),
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
    deadline: dt.datetime | None
    submitted: dt.datetime | None
    status: str
    file: str | None


def _status(submitted: dt.datetime | None, deadline: dt.datetime) -> str:
    return "on_time" if submitted is None or submitted <= deadline else "late"


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
    deadline_of = functools.cache(functools.partial(daily_deadline, workdays=workdays))
    weeks = _weeks_due(period, now)
    for rep_id in sorted(reps):
        rep = reps[rep_id]
        files = by_rep.get(rep_id, {})
        if not files:
            rows.append(SubmissionRow(rep_id, None, str(period), None, None, "no_file", None))
            continue
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
    deadline_of: Callable[[dt.date], dt.datetime],
    now: dt.datetime,
) -> list[SubmissionRow]:
    """One row per workday due so far."""
    sub = subs[0] if subs else None
    days = sub.days if sub else {}
    newest = max(days) if days else None
    rows = []
    for day in workdays_due:
        if not rep.active_on(day):
            continue
        deadline = deadline_of(day)
        if day not in days:
            status = "missing" if deadline <= now else "pending"
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
        if seen is None:  # no per-day time: the file's time dates its newest day only
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
            status = "missing" if deadline <= now else "pending"
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
                    _status(sub.submitted, deadline),
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
    if not subs:
        status = "missing" if deadline <= now else "pending"
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
            _status(sub.submitted, deadline),
            sub.path,
        )
    ]
