"""Personalised forms for every active rep (SPEC §9 `salesxl forms issue`).

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

from salesxl.load import collect_files, load_forms
from salesxl.periods import Month, Week
from salesxl.roster import Rep, Roster
from salesxl.templates import FormJob, write_forms
from salesxl.validate import ValidationContext

__all__ = ["first_week", "issue_forms", "known_customers", "skipped_reps"]

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
        if data.form_id == "sales_records":
            for r in data.records("sales"):
                if r["rep_id"] and r["customer"]:
                    counts[r["rep_id"]][r["customer"]] += 1
        elif data.form_id in ("daily_report", "weekly_plan", "monthly_plan") and data.rep_id:
            table = data.form.main_table.key  # type: ignore[union-attr]
            for r in data.records(table):
                if r["customer"]:
                    counts[data.rep_id][r["customer"]] += 1
    return {rep: [name for name, _ in c.most_common(MAX_CUSTOMERS)] for rep, c in counts.items()}


def _active(rep: Rep, period: Month) -> bool:
    return any(rep.active_on(day) for day in (period.first_day, period.last_day)) or bool(
        rep.hire_date and rep.leave_date and period.contains(rep.hire_date)
    )


def skipped_reps(roster: Roster, period: Month) -> list[tuple[Rep, str]]:
    """The reps of the roster who get no forms for `period`, each with the reason."""
    out: list[tuple[Rep, str]] = []
    for rep in sorted(roster.reps.values(), key=lambda r: r.rep_id):
        if _active(rep, period):
            continue
        if rep.hire_date and rep.hire_date > period.last_day:
            why = f"hired {rep.hire_date:%Y-%m-%d} (入职), after {period}"
        elif rep.leave_date and rep.leave_date < period.first_day:
            why = f"left {rep.leave_date:%Y-%m-%d} (离职), before {period}"
        else:
            why = "marked 离职 Left in the roster (no leave date)"
        out.append((rep, why))
    return out


def issue_forms(
    roster: Roster,
    period: Month,
    folder: Path,
    *,
    targets: Mapping[str, float] | None = None,
    customers: Mapping[str, Sequence[str]] | None = None,
    tiers: Mapping[str, Mapping[str, float]] | None = None,
) -> list[Path]:
    """Write the three forms for every rep active in `period`; returns the files written.

    `tiers` maps stretch and challenge to rep ID -> that tier's month target (when the
    targets have tiers); `skipped_reps` says who got no forms and why."""
    week = first_week(period)
    jobs: list[FormJob] = []
    for rep in sorted(roster.reps.values(), key=lambda r: r.rep_id):
        if not _active(rep, period):
            continue
        base = folder / (rep.region or "未分区域") / (rep.team or "未分团队")
        stem = f"{rep.rep_id}_{rep.name}"
        who = {"rep_name": rep.name, "rep_id": rep.rep_id}
        target = (targets or {}).get(rep.rep_id)
        month_target = {"month_target": target} if target is not None else {}
        tier_targets = {  # the monthly plan shows the stretch and challenge tiers too
            f"{tier}_target": values[rep.rep_id]
            for tier, values in (tiers or {}).items()
            if values.get(rep.rep_id) is not None
        }
        lists = {"customers": list((customers or {}).get(rep.rep_id, []))}
        jobs.append(
            FormJob(
                base / f"{stem}_日报_{period}.xlsx",
                "daily_report",
                {**who, "region": rep.region, "team": rep.team, "month": period, **month_target},
                {},
                lists=lists,
                lock_header=True,
            )
        )
        jobs.append(
            FormJob(
                base / f"{stem}_周计划_{week}.xlsx",
                "weekly_plan",
                {**who, "week": week},
                {},
                lists=lists,
                lock_header=True,
            )
        )
        jobs.append(
            FormJob(
                base / f"{stem}_月计划_{period}.xlsx",
                "monthly_plan",
                {**who, "month": period, **month_target, **tier_targets},
                {},
                lists=lists,
                lock_header=True,
            )
        )
    return write_forms(jobs)
