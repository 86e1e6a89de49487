"""Personalised forms for every active rep (`salesxl forms issue`, README.md "For admins").

Each rep gets a daily report, the weekly plan of the month's first week and a
monthly plan, with name, ID, region, team, period and month target filled in
and locked, their known customers in the customer drop-down, and the daily
report's live progress block (amount so far, target, completion).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from salesxl.core.people import Rep, Roster
from salesxl.core.periods import Month, Week
from salesxl.forms import REP_FORM_IDS, FormId, Role, TableKey
from salesxl.intake.files import collect_files, load_forms
from salesxl.validate import ValidationContext
from salesxl.write.templates import SUGGESTED_LISTS, FormJob, write_forms

__all__ = ["first_week", "issue_forms", "known_customers"]

MAX_CUSTOMERS = 500  # a drop-down of the rep's most frequent customers


def first_week(period: Month) -> Week:
    """The first ISO week whose Monday falls in the month."""
    week = Week.of(period.first_day)
    return week if week.monday >= period.first_day else Week.of(week.monday + dt.timedelta(days=7))


def known_customers(paths: Iterable[Path]) -> dict[str, list[str]]:
    """Rep ID -> customers, most frequent first, from sales records and earlier rep forms."""
    files, _ = collect_files(list(paths))
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for data in load_forms(files, ValidationContext()):
        if data.form_id == FormId.SALES_RECORDS:
            for r in data.records(TableKey.SALES):
                if r[Role.REP_ID] and r[Role.CUSTOMER]:
                    counts[r[Role.REP_ID]][r[Role.CUSTOMER]] += 1
        elif data.form is not None and data.form_id in REP_FORM_IDS and data.rep_id:
            table = data.form.main_table.key
            for r in data.records(table):
                if r[Role.CUSTOMER]:
                    counts[data.rep_id][r[Role.CUSTOMER]] += 1
    return {rep: [name for name, _ in c.most_common(MAX_CUSTOMERS)] for rep, c in counts.items()}


def _active(rep: Rep, period: Month) -> bool:
    return rep.active_on(period.first_day) or rep.active_on(period.last_day)


def issue_forms(
    roster: Roster,
    period: Month,
    folder: Path,
    *,
    targets: Mapping[str, float] | None = None,
    customers: Mapping[str, Sequence[str]] | None = None,
) -> list[Path]:
    """Write the three forms for every rep active in `period`; returns the files written."""
    week = first_week(period)
    jobs: list[FormJob] = []
    for rep in sorted(roster.reps.values(), key=lambda r: r.rep_id):
        if not _active(rep, period):
            continue
        base = folder / (rep.region or "未分区域") / (rep.team or "未分团队")
        stem = f"{rep.rep_id}_{rep.name}"
        who: dict[str, Any] = {Role.REP_NAME: rep.name, Role.REP_ID: rep.rep_id}
        target = (targets or {}).get(rep.rep_id)
        month_target: dict[str, Any] = {Role.MONTH_TARGET: target} if target is not None else {}
        lists = {SUGGESTED_LISTS[Role.CUSTOMER]: list((customers or {}).get(rep.rep_id, []))}
        place: dict[str, Any] = {Role.REGION: rep.region, Role.TEAM: rep.team}
        jobs.append(
            FormJob(
                base / f"{stem}_日报_{period}.xlsx",
                FormId.DAILY_REPORT,
                {**who, **place, Role.MONTH: period, **month_target},
                {},
                lists=lists,
                lock_header=True,
            )
        )
        jobs.append(
            FormJob(
                base / f"{stem}_周计划_{week}.xlsx",
                FormId.WEEKLY_PLAN,
                {**who, Role.WEEK: week},
                {},
                lists=lists,
                lock_header=True,
            )
        )
        jobs.append(
            FormJob(
                base / f"{stem}_月计划_{period}.xlsx",
                FormId.MONTHLY_PLAN,
                {**who, Role.MONTH: period, **month_target},
                {},
                lists=lists,
                lock_header=True,
            )
        )
    return write_forms(jobs)
