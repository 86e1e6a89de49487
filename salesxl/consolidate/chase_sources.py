"""The chase list from a folder of forms (from the store: `from_store.chase_store`).

Each month of the window goes through the same steps as a summary's
提交 Submissions sheet: `collect` picks each rep's files of the month and who
is expected (the roster's hire and leave dates), `submission_rows` says what
is missing, refused or not yet due.  What the forms (and, from the store, every
report it holds) say of where the data begins (`first_data`) keeps days
nobody can know about from being owed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path

from salesxl.consolidate import workday_calendar
from salesxl.consolidate.chase import (
    DEFAULT_ESCALATE,
    ChaseList,
    ChaseWindow,
    FirstData,
    chase_list,
    chase_window,
)
from salesxl.consolidate.digest import DailyDigest, digester
from salesxl.consolidate.inputs import collect
from salesxl.consolidate.submissions import SubmissionRow, judged_at, submission_rows
from salesxl.core.calendar import Workdays
from salesxl.core.people import Rep, Roster
from salesxl.core.periods import Month, Week
from salesxl.forms import REP_FORM_IDS, FormId
from salesxl.intake.inbox import ProgressFactory, read_inbox
from salesxl.validate import FormData

__all__ = ["chase_forms", "chase_inbox", "first_data"]


def first_data(
    forms: Sequence[FormData], source: str = "inbox", earlier: dt.date | None = None
) -> FirstData:
    """The first day of any report in `forms`, or `earlier` (the first day of the reports
    held elsewhere, as the store's) when that is before.  A daily report's first day is
    the earliest it reports (its digest's days), a plan's the first of its week or month."""
    first = earlier
    for data in forms:
        period = data.period
        if data.form_id not in REP_FORM_IDS or not data.rep_id or period is None:
            continue
        digest = data.digest
        days = digest.days if isinstance(digest, DailyDigest) else None
        # a daily report whose days are unknown (a refused file kept without rows): its month
        day = (
            period.monday
            if isinstance(period, Week)
            else min(days)
            if data.form_id == FormId.DAILY_REPORT and days
            else period.first_day
        )
        first = day if first is None else min(first, day)
    return FirstData(source, first)


def chase_forms(
    forms: Sequence[FormData],
    *,
    as_of: dt.date,
    window: ChaseWindow,
    roster: Roster | None,
    workdays: Workdays,
    escalate_after: int = DEFAULT_ESCALATE,
    first_seen: Mapping[str, dt.datetime] | None = None,
    day_first_seen: Mapping[tuple[str, dt.date], dt.datetime] | None = None,
    refused: Sequence[tuple[FormData, int, dt.datetime | None]] = (),
    source: str = "inbox",
    earlier: dt.date | None = None,
) -> ChaseList:
    """Who owes which reports of `window` at the end of `as_of` (now, when it is today).

    A daily report's `digest` must be made for its own month (`digester(None, as_of)`).
    Nothing before the first report of `forms`, `refused` and `earlier` (`first_data`) is
    owed: `source` says where they come from ("inbox", "store")."""
    now = judged_at(as_of)
    rows: dict[Month, list[SubmissionRow]] = {}
    reps: dict[str, Rep] = {}
    for month in window.months:
        if month.first_day > as_of:
            continue
        data = collect(forms, month, as_of, roster, first_seen or {}, (), day_first_seen, refused)
        rows[month] = submission_rows(
            data.reps, data.submissions, data.unknown_rep_files, month, now, workdays
        )
        reps.update(data.reps)
    return chase_list(
        rows,
        reps,
        as_of=as_of,
        window=window,
        escalate_after=escalate_after,
        roster=roster is not None,
        first_data=first_data([*forms, *(r[0] for r in refused)], source, earlier),
    )


def chase_inbox(
    paths: Sequence[Path],
    *,
    as_of: dt.date,
    period: Month | None = None,
    roster: Path | Roster | None = None,
    workdays: Path | Workdays | None = None,
    escalate_after: int = DEFAULT_ESCALATE,
    workers: int | None = None,
    progress: ProgressFactory | None = None,
) -> ChaseList:
    """Read every form under `paths` and say who owes which reports (`chase_window`).

    When `paths` hold no rep form the list's `empty` says so (a `no_forms` warning)."""
    window = chase_window(as_of, period)
    calendar = workday_calendar(workdays, as_of)
    inbox = read_inbox(
        paths,
        roster=roster,
        today=as_of,
        workers=workers,
        progress=progress,
        prepare=digester(None, as_of, keep_rows=False),
    )
    chase = chase_forms(
        inbox.forms,
        as_of=as_of,
        window=window,
        roster=inbox.roster,
        workdays=calendar,
        escalate_after=escalate_after,
    )
    chase.empty = inbox.no_forms(rep_forms=True)
    return chase
