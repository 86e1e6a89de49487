"""Gather the forms of one period into plain inputs for the KPI, customer and plan rules.

Which files count: daily reports and monthly plans of the period, weekly
plans of weeks overlapping it, one file per rep and form (a second copy for
the same rep and period is reported and the newer one is used).  Reps come
from the roster when there is one, else from the forms' header blocks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from salesxl.consolidate.digest import DailyDigest, DayActivity, Trail, digest_daily
from salesxl.core.issues import Code, Issue, make_issue
from salesxl.core.people import Rep, Roster
from salesxl.core.periods import Month, Week
from salesxl.core.rep_ids import RepIndex
from salesxl.validate import FormData, TableData

__all__ = ["Collected", "Submission", "collect"]

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
) -> Collected:
    issues: list[Issue] = []
    chosen: dict[tuple[str, str, str], FormData] = {}
    # Files are grouped by the roster's spelling of their ID (`s020` is S020's file).
    ids = roster.index() if roster is not None else RepIndex()
    for data in forms:
        got = data.period
        if (
            data.form_id not in ("daily_report", "weekly_plan", "monthly_plan")
            or not data.rep_id
            or got is None
        ):
            continue
        rep = ids.canonical(data.rep_id)
        if isinstance(got, Month) and got != period:
            continue
        if isinstance(got, Week) and not got.overlaps(period):
            continue
        key = (data.form_id, rep, str(got))
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
                f"同一销售员（{rep}）同一期间（{got}）有两个文件：{older.path} 和 {newer.path}。"
                f"使用较新的 {newer.path}，本文件未计入。请删除旧文件。",
                f"Rep {rep} has two files for {got}: {older.path} and {newer.path}. The newer "
                f"one ({newer.path}) is used and this one is not counted. Delete the old file.",
                value=newer.path,
            )
        )

    reps = dict(roster.reps) if roster is not None else {}
    header_reps: dict[str, Rep] = {}
    digests: list[tuple[str, DailyDigest]] = []
    days: dict[str, dict[dt.date, DayActivity]] = {}
    closes: list[tuple[str, dt.date, float | None]] = []
    plans: list[tuple[str, Week, list[Record], str]] = []
    submissions: list[Submission] = []
    unknown: list[Submission] = []
    tables: list[tuple[str, TableData, str]] = []
    for (form_id, rep, _), data in chosen.items():
        if rep not in header_reps:
            header_reps[rep] = Rep(
                rep,
                data.header.get("rep_name") or rep,
                region=data.header.get("region"),
                team=data.header.get("team"),
            )
        d = digest_of(data, period, as_of) if form_id == "daily_report" else None
        when, from_store = _submitted(data, first_seen, max(d.days, default=None) if d else None)
        sub = Submission(data.path, form_id, rep, data.period, when, from_store)  # type: ignore[arg-type]
        if roster is not None and rep not in roster:
            unknown.append(sub)
            continue
        submissions.append(sub)
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
            if "daily" in data.tables:
                tables.append((rep, data.tables["daily"], data.path))
        elif form_id == "weekly_plan":
            plans.append((rep, data.period, data.records("plan"), data.path))  # type: ignore[arg-type]
    if roster is None:
        reps = header_reps
    past = [
        (ids.canonical(h.rep_id), t)
        for h in history
        if h.form_id == "daily_report"
        and h.rep_id
        and isinstance(h.period, Month)
        and h.period < period
        for t in digest_of(h, h.period, as_of, current=False).trails
    ]
    return Collected(
        period, reps, digests, past, days, closes, plans, submissions, unknown, issues, tables
    )
