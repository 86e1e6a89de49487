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

from salesxl.issues import Code, Issue, Severity, make_issue
from salesxl.periods import Month, Week
from salesxl.roster import Rep, Roster
from salesxl.validate import FormData

__all__ = ["Collected", "Submission", "collect"]

Record = dict[str, Any]


@dataclass(slots=True)
class Submission:
    """One rep file: what it is, for which period, and when it arrived."""

    path: str
    form_id: str
    rep_id: str
    period: Month | Week
    submitted: dt.datetime | None  # first seen by the store, else the file's modification time
    from_store: bool
    days: dict[dt.date, dt.datetime | None] = field(default_factory=dict)  # day -> first seen


@dataclass(slots=True)
class Collected:
    period: Month
    reps: dict[str, Rep]  # rep ID -> rep (roster, or built from headers)
    roster_given: bool
    activities: list[tuple[str, Record]]  # (rep ID, daily row) of the period
    history: list[tuple[str, Record]]  # earlier daily rows, for cross-month customer rules
    day_closes: list[tuple[str, Record]]
    plans: list[tuple[str, Week, list[Record], str]]  # rep, week, plan rows, file
    monthly_plans: list[Submission]
    submissions: list[Submission]
    unknown_rep_files: list[Submission]
    issues: list[Issue]
    sources: dict[int, str] = field(default_factory=dict)  # id(daily row) -> its file, for Details


def _submitted(data: FormData, first_seen: Mapping[str, dt.datetime]) -> tuple[dt.datetime | None, bool]:
    if data.path in first_seen:
        return first_seen[data.path], True
    if data.mtime is None:
        return None, False
    return dt.datetime.fromtimestamp(data.mtime), False


def collect(
    forms: Sequence[FormData],
    period: Month,
    roster: Roster | None,
    first_seen: Mapping[str, dt.datetime],
    history: Sequence[FormData],
    day_first_seen: Mapping[tuple[str, dt.date], dt.datetime] | None = None,
) -> Collected:
    issues: list[Issue] = []
    chosen: dict[tuple[str, str, str], FormData] = {}
    for data in forms:
        rep, got = data.rep_id, data.period
        if data.form_id not in ("daily_report", "weekly_plan", "monthly_plan") or not rep or got is None:
            continue
        if isinstance(got, Month) and got != period:
            continue
        if isinstance(got, Week) and not got.overlaps(period):
            continue
        key = (data.form_id, rep, str(got))
        other = chosen.get(key)
        if other is None:
            chosen[key] = data
            continue
        newer, older = (data, other) if (data.mtime or 0) >= (other.mtime or 0) else (other, data)
        chosen[key] = newer
        issues.append(make_issue(
            Code.DUPLICATE_ROW, older.path,
            f"同一销售员（{rep}）同一期间（{got}）有两个文件；使用较新的 {newer.path}，本文件未计入。"
            "请删除旧文件。",
            f"Rep {rep} has two files for {got}; the newer one ({newer.path}) is used and this one "
            "is not counted. Delete the old file.", severity=Severity.WARNING))

    reps = dict(roster.reps) if roster is not None else {}
    header_reps: dict[str, Rep] = {}
    activities: list[tuple[str, Record]] = []
    day_closes: list[tuple[str, Record]] = []
    plans: list[tuple[str, Week, list[Record], str]] = []
    submissions: list[Submission] = []
    monthly: list[Submission] = []
    unknown: list[Submission] = []
    sources: dict[int, str] = {}
    for (form_id, rep, _), data in chosen.items():
        if rep not in header_reps:
            header_reps[rep] = Rep(rep, data.header.get("rep_name") or rep,
                                   region=data.header.get("region"), team=data.header.get("team"))
        when, from_store = _submitted(data, first_seen)
        sub = Submission(data.path, form_id, rep, data.period, when, from_store)  # type: ignore[arg-type]
        if roster is not None and rep not in roster:
            unknown.append(sub)
            continue
        submissions.append(sub)
        if form_id == "daily_report":
            dated = [r for r in data.records("daily") if isinstance(r["date"], dt.date)]
            mine = [r for r in dated if period.contains(r["date"])]
            activities.extend((rep, r) for r in mine)
            sources.update((id(r), data.path) for r in mine)
            closes = [r for r in data.records("day_close") if isinstance(r["date"], dt.date)]
            day_closes.extend((rep, r) for r in closes)
            days = {r["date"] for r in dated} | {r["date"] for r in closes}
            sub.days = {d: (day_first_seen or {}).get((rep, d)) for d in days}
        elif form_id == "weekly_plan":
            plans.append((rep, data.period, data.records("plan"), data.path))  # type: ignore[arg-type]
        else:
            monthly.append(sub)
    if roster is None:
        reps = header_reps
    past = [(h.rep_id, r) for h in history if h.form_id == "daily_report" and h.rep_id
            for r in h.records("daily") if isinstance(r["date"], dt.date) and r["date"] < period.first_day]
    return Collected(period, reps, roster is not None, activities, past, day_closes, plans, monthly,
                     submissions, unknown, issues, sources)
