"""Who handed in what, and when (README.md "For managers", `提交 Submissions`).

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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from salesxl.consolidate.inputs import Submission
from salesxl.consolidate.standing import RepStatus
from salesxl.core.calendar import CalendarNotCoveredError, Workdays
from salesxl.core.deadlines import (
    END_OF_DAY,
    daily_deadline,
    monthly_deadline,
    weekly_deadline,
)
from salesxl.core.people import Rep
from salesxl.core.periods import Month, Week
from salesxl.forms import REP_FORMS, FormId

__all__ = [
    "STATUS_LABELS",
    "SubmissionRow",
    "SubmissionStatus",
    "judged_at",
    "submission_rows",
]


class SubmissionStatus(StrEnum):
    """Whether a report due came in, and in time (the 提交 Submissions sheet)."""

    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"
    PENDING = "pending"  # not yet due
    NO_FILE = "no_file"  # a rep with no file at all this month
    NOT_IN_ROSTER = "not_in_roster"  # a file of someone the roster does not list
    REFUSED = "refused"  # received, but the store refused it (its figures are provisional)


# A report's status (提交 Submissions), and a rep's standing in the month (销售员 By rep);
# RepStatus.REFUSED is the same string as SubmissionStatus.REFUSED, with the same label.
STATUS_LABELS: dict[str, tuple[str, str]] = {
    SubmissionStatus.ON_TIME: ("按时", "On time"),
    SubmissionStatus.LATE: ("迟交", "Late"),
    SubmissionStatus.MISSING: ("缺交", "Missing"),
    SubmissionStatus.PENDING: ("未到期", "Not yet due"),
    SubmissionStatus.NO_FILE: ("无文件", "No file"),
    SubmissionStatus.NOT_IN_ROSTER: ("不在花名册", "Not in roster"),
    SubmissionStatus.REFUSED: ("已拒收", "Refused"),
    RepStatus.ACTIVE: ("在职", "Active"),
    RepStatus.JOINED: ("新入职", "Joined"),
    RepStatus.LEFT: ("离职", "Left"),
    RepStatus.NO_DATA: ("无数据", "No data"),
}
FORM_LABELS: dict[str, tuple[str, str]] = {form.id: (form.zh, form.en) for form in REP_FORMS}


@dataclass(frozen=True, slots=True)
class SubmissionRow:
    rep: str
    form: str | None
    due_for: str  # the day, week or month the report covers
    deadline: dt.datetime | None  # None: not known yet (a year the calendar does not cover)
    submitted: dt.datetime | None
    status: SubmissionStatus
    file: str | None


def judged_at(as_of: dt.date) -> dt.datetime:
    """The moment deadlines are judged at: now on today, the end of the day otherwise."""
    now = dt.datetime.now()
    return now if as_of == now.date() else dt.datetime.combine(as_of, END_OF_DAY)


def _status(submitted: dt.datetime | None, deadline: dt.datetime | None) -> SubmissionStatus:
    if deadline is None or submitted is None or submitted <= deadline:
        return SubmissionStatus.ON_TIME
    return SubmissionStatus.LATE


def _not_yet(deadline: dt.datetime | None, now: dt.datetime) -> SubmissionStatus:
    """A report not in: missing once its deadline has passed, else not yet due."""
    if deadline is not None and deadline <= now:
        return SubmissionStatus.MISSING
    return SubmissionStatus.PENDING


def _deadline(day: dt.date, workdays: Workdays) -> dt.datetime | None:
    """The day's deadline; None when it falls in a year the calendar does not cover (the
    last days of December): that is after as-of, whose year is covered, so not yet due."""
    try:
        return daily_deadline(day, workdays)
    except CalendarNotCoveredError:
        return None


class _DayDue(NamedTuple):
    """A workday whose daily report is due, as every rep's row of it shows it."""

    day: dt.date
    label: str  # the day as the row's `due_for`
    deadline: dt.datetime | None
    not_yet: SubmissionStatus  # the status of a report not in (`_not_yet`)


def _received(sub: Submission, deadline: dt.datetime) -> SubmissionStatus:
    if sub.refused is not None:
        return SubmissionStatus.REFUSED
    return _status(sub.submitted, deadline)


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
    # The month's workdays, weeks and deadlines are the same for every rep: worked out once,
    # with each day's label and the status of a report not in (a deadline in a year the
    # calendar does not cover is None: not yet due).
    days_due = [
        _DayDue(day, day.isoformat(), deadline, _not_yet(deadline, now))
        for day in workdays.workdays_in(period)
        if day <= last_day
        for deadline in [_deadline(day, workdays)]
    ]
    weeks = _weeks_due(period, now)
    for rep_id in sorted(reps):
        rep = reps[rep_id]
        files = by_rep.get(rep_id, {})
        if not files:  # every report due is missing; the note says there is no file at all
            rows.append(
                SubmissionRow(rep_id, None, str(period), None, None, SubmissionStatus.NO_FILE, None)
            )
        daily = files.get(FormId.DAILY_REPORT, [])
        rows.extend(_daily(rep, daily, days_due))
        rows.extend(_weekly(rep, files.get(FormId.WEEKLY_PLAN, []), weeks, now))
        rows.extend(_monthly(rep, files.get(FormId.MONTHLY_PLAN, []), period, now))
    for sub in unknown:
        rows.append(
            SubmissionRow(
                sub.rep_id,
                sub.form_id,
                str(sub.period),
                None,
                sub.submitted,
                SubmissionStatus.NOT_IN_ROSTER,
                sub.path,
            )
        )
    return rows


def _daily(rep: Rep, subs: list[Submission], days_due: list[_DayDue]) -> list[SubmissionRow]:
    """One row per workday due so far."""
    sub = subs[0] if subs else None
    days = sub.days if sub else {}
    newest = max(days) if days else None
    # A refused file the store kept no rows of stands for every day: which it held is unknown.
    unknown_days = sub is not None and sub.refused is not None and not days
    rows = []
    for day, label, deadline, not_yet in days_due:
        if not rep.active_on(day):
            continue
        if sub is not None and unknown_days:
            refused = SubmissionStatus.REFUSED
            rows.append(
                SubmissionRow(
                    rep.rep_id,
                    FormId.DAILY_REPORT,
                    label,
                    deadline,
                    sub.submitted,
                    refused,
                    sub.path,
                )
            )
            continue
        if day not in days:
            rows.append(
                SubmissionRow(
                    rep.rep_id,
                    FormId.DAILY_REPORT,
                    label,
                    deadline,
                    None,
                    not_yet,
                    sub.path if sub else None,
                )
            )
            continue
        assert sub is not None
        seen = days[day]
        status: SubmissionStatus
        if sub.refused is not None:  # received, but not accepted
            status, seen = SubmissionStatus.REFUSED, sub.submitted
        elif seen is None:  # no per-day time: the file's time dates its newest day only
            seen = sub.submitted
            status = (
                _status(seen, deadline)
                if day == newest or sub.from_store
                else SubmissionStatus.ON_TIME
            )
            late = seen is not None and deadline is not None and seen > deadline
            if status is SubmissionStatus.ON_TIME and late:
                seen = None  # entered earlier than the last save; exact time unknown
        else:
            status = _status(seen, deadline)
        rows.append(
            SubmissionRow(rep.rep_id, FormId.DAILY_REPORT, label, deadline, seen, status, sub.path)
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
            status = _not_yet(deadline, now)
            rows.append(
                SubmissionRow(rep.rep_id, FormId.WEEKLY_PLAN, label, deadline, None, status, None)
            )
        else:
            rows.append(
                SubmissionRow(
                    rep.rep_id,
                    FormId.WEEKLY_PLAN,
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
        status = _not_yet(deadline, now)
        return [
            SubmissionRow(
                rep.rep_id, FormId.MONTHLY_PLAN, str(period), deadline, None, status, None
            )
        ]
    sub = subs[0]
    return [
        SubmissionRow(
            rep.rep_id,
            FormId.MONTHLY_PLAN,
            str(period),
            deadline,
            sub.submitted,
            _received(sub, deadline),
            sub.path,
        )
    ]
