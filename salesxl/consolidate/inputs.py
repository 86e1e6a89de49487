"""Gather the forms of one period into plain inputs for the KPI, customer and plan rules.

Which files count: daily reports and monthly plans of the period, weekly
plans of weeks overlapping it, one file per rep and form (a second copy for
the same rep and period is reported and the newer one is used).  Reps come
from the roster when there is one (those employed on some day of the month,
and any rep who handed in a file), else from the forms' header blocks.  A
file the store refused stands in for a rep-period without an imported one:
it is received (已拒收 Refused), its figures are provisional.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from salesxl.consolidate.digest import DailyDigest, DayActivity, Trail, digest_daily
from salesxl.consolidate.standing import employed_in
from salesxl.core.display import displayable
from salesxl.core.issues import Code, Issue, make_issue, message
from salesxl.core.people import Rep, Roster
from salesxl.core.periods import Month, Week
from salesxl.core.rep_ids import RepIndex
from salesxl.forms import REP_FORM_IDS, FormId, Role, TableKey
from salesxl.intake.files import saved_early
from salesxl.validate import FormData, TableData

__all__ = ["Collected", "FormTarget", "Submission", "collect"]

Record = dict[str, Any]


@dataclass(slots=True)
class Submission:
    """One rep file: what it is, for which period, and when it arrived."""

    path: str
    form_id: str
    rep_id: str
    period: Month | Week
    submitted: dt.datetime | None  # first seen by the store, else FormData.file_time
    from_store: bool
    days: dict[dt.date, dt.datetime | None] = field(default_factory=dict)  # day -> first seen
    refused: int | None = None  # the store refused this file: its error count


@dataclass(frozen=True, slots=True)
class FormTarget:
    """The month target 月度目标 a form's header states, and where."""

    rep_id: str
    value: float
    path: str
    form_id: str
    sheet: str | None
    cell: str | None


@dataclass(slots=True)
class Collected:
    period: Month
    reps: dict[str, Rep]  # rep ID -> rep (roster, or built from headers)
    digests: list[tuple[str, DailyDigest]]  # each rep's daily report of the period
    history: list[tuple[str, Trail]]  # customer trails of earlier months
    days: dict[str, dict[dt.date, DayActivity]]  # rep -> day -> activity
    day_closes: list[tuple[str, dt.date, float | None]]
    plans: list[tuple[str, Week, list[Record], str]]  # rep, week, plan rows, file
    submissions: list[Submission]
    unknown_rep_files: list[Submission]
    issues: list[Issue]
    tables: list[tuple[str, TableData, str]] = field(
        default_factory=list
    )  # Details: rep, rows, file
    refused: dict[str, int] = field(default_factory=dict)  # rep -> errors of a refused report
    form_targets: list[FormTarget] = field(default_factory=list)


def _submitted(
    data: FormData, first_seen: Mapping[str, dt.datetime], newest_day: dt.date | None = None
) -> tuple[dt.datetime | None, bool]:
    """When the file came in: first seen by the store, else when it was last saved."""
    if data.path in first_seen:
        return first_seen[data.path], True
    when = data.file_time(newest_day)
    return (None if when is None else dt.datetime.fromtimestamp(when)), False


def digest_of(
    data: FormData, period: Month, as_of: dt.date, *, current: bool = True
) -> DailyDigest:
    """The digest made where the file was read, or made now."""
    d = data.digest
    if isinstance(d, DailyDigest) and d.period == period and d.as_of == as_of:
        return d
    return digest_daily(data, period, as_of, current=current)


def collect(
    forms: Sequence[FormData],
    period: Month,
    as_of: dt.date,
    roster: Roster | None,
    first_seen: Mapping[str, dt.datetime],
    history: Sequence[FormData],
    day_first_seen: Mapping[tuple[str, dt.date], dt.datetime] | None = None,
    refused: Sequence[tuple[FormData, int, dt.datetime | None]] = (),
) -> Collected:
    """`refused`: files the store refused, with their error count and when that was."""
    issues: list[Issue] = []
    chosen: dict[tuple[str, str, str], FormData] = {}
    # Files are grouped by the roster's spelling of their ID (`s020` is S020's file).
    ids = roster.index() if roster is not None else RepIndex()
    for data in forms:
        key = _key(data, period, ids)
        if key is None:
            continue
        rep, got = key[1], data.period
        other = chosen.get(key)
        if other is None:
            chosen[key] = data
            continue
        newer, older = (
            (data, other) if (data.file_time() or 0) >= (other.file_time() or 0) else (other, data)
        )
        chosen[key] = newer
        issues.append(
            make_issue(
                Code.DUPLICATE_FILE,
                older.path,
                *message(
                    Code.DUPLICATE_FILE,
                    rep=rep,
                    period=got,
                    # names in no valid encoding, shown
                    older=displayable(older.path),
                    newer=displayable(newer.path),
                ),
                value=displayable(newer.path),
            )
        )

    refusals: dict[int, tuple[int, dt.datetime | None]] = {}  # id(FormData) -> error count, when
    for data, errors, when in refused:
        key = _key(data, period, ids)
        if key is not None and key not in chosen:  # an imported file of the rep-period wins
            chosen[key] = data
            refusals[id(data)] = (errors, when)

    header_reps: dict[str, Rep] = {}
    digests: list[tuple[str, DailyDigest]] = []
    days: dict[str, dict[dt.date, DayActivity]] = {}
    closes: list[tuple[str, dt.date, float | None]] = []
    plans: list[tuple[str, Week, list[Record], str]] = []
    submissions: list[Submission] = []
    unknown: list[Submission] = []
    tables: list[tuple[str, TableData, str]] = []
    refused_reps: dict[str, int] = {}
    form_targets: list[FormTarget] = []
    for (form_id, rep, _), data in chosen.items():
        if rep not in header_reps:
            header_reps[rep] = Rep(
                rep,
                data.header.get(Role.REP_NAME) or rep,
                region=data.header.get(Role.REGION),
                team=data.header.get(Role.TEAM),
            )
        # A refused file logged without its rows has no figures: unknown, not zero.
        has_rows = id(data) not in refusals or bool(data.tables)
        daily = form_id == FormId.DAILY_REPORT and has_rows
        d = digest_of(data, period, as_of) if daily else None
        newest = max(d.days, default=None) if d else None
        when, from_store = _submitted(data, first_seen, newest)
        early = None if from_store else saved_early(data, newest)
        if early is not None:
            issues.append(early)
        # chosen keeps only forms with a period (above); FormData.period is optional in general
        sub = Submission(data.path, form_id, rep, data.period, when, from_store)  # type: ignore[arg-type]
        if id(data) in refusals:
            sub.refused, sub.submitted = refusals[id(data)]
            sub.from_store = True
            if form_id == FormId.DAILY_REPORT:
                refused_reps[rep] = sub.refused
        if roster is not None and rep not in roster:
            unknown.append(sub)
            continue
        submissions.append(sub)
        target = _form_target(data, rep)
        if target is not None:
            form_targets.append(target)
        if d is not None:
            digests.append((rep, d))
            mine = days.setdefault(rep, {})
            for day, activity in d.per_day.items():
                if day in mine:  # two files of one rep for one month were merged upstream
                    mine[day].contacts += activity.contacts
                    mine[day].closed += activity.closed
                    mine[day].names |= activity.names
                else:
                    mine[day] = activity
            closes.extend((rep, day, forecast) for day, forecast in d.closes)
            sub.days = {day: (day_first_seen or {}).get((rep, day)) for day in d.days}
            if TableKey.DAILY in data.tables:
                tables.append((rep, data.tables[TableKey.DAILY], data.path))
        elif form_id == FormId.WEEKLY_PLAN and has_rows:
            # a weekly plan's period is a Week (the form's period field says so)
            plans.append((rep, data.period, data.records(TableKey.PLAN), data.path))  # type: ignore[arg-type]
    if roster is None:
        reps = header_reps
    else:
        handed_in = {sub.rep_id for sub in submissions}
        reps = {
            rep_id: rep
            for rep_id, rep in roster.reps.items()
            if employed_in(rep, period) or rep_id in handed_in
        }
    past = [
        (rep, t)
        for h in history
        if h.form_id == FormId.DAILY_REPORT
        and h.rep_id
        and isinstance(h.period, Month)
        and h.period < period
        for rep in (ids.canonical(h.rep_id),)  # once per report, not per trail
        for t in digest_of(h, h.period, as_of, current=False).trails
    ]
    return Collected(
        period,
        reps,
        digests,
        past,
        days,
        closes,
        plans,
        submissions,
        unknown,
        issues,
        tables,
        refused_reps,
        form_targets,
    )


def _key(data: FormData, period: Month, ids: RepIndex) -> tuple[str, str, str] | None:
    """(form, rep, period) of a rep form that belongs to `period`; None for any other file.
    The rep is the roster's spelling of the file's ID (`s020` is S020's file)."""
    rep, got = data.rep_id, data.period
    if data.form_id not in REP_FORM_IDS or not rep:
        return None
    rep = ids.canonical(rep)
    if got is None:
        return None
    if isinstance(got, Month) and got != period:
        return None
    if isinstance(got, Week) and not got.overlaps(period):
        return None
    return (data.form_id, rep, str(got))


def _form_target(data: FormData, rep: str) -> FormTarget | None:
    value = data.header.get(Role.MONTH_TARGET)
    if data.form_id == FormId.WEEKLY_PLAN or not isinstance(value, (int, float)):
        return None
    sheet, cell = data.header_cells.get(Role.MONTH_TARGET, (None, None))
    return FormTarget(rep, float(value), data.path, data.form_id, sheet, cell)  # type: ignore[arg-type]
