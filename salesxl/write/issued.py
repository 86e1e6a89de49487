"""Personalised forms for every active rep (`salesxl forms issue`, README.md "For admins").

For a month, each rep gets a daily report, a weekly plan for every week
whose Monday falls in the month, and a monthly plan; for a week, only that
week's plans.  Name, ID, region, team, period and month target are filled in
and locked (the monthly plan shows the 冲刺 stretch and 挑战 challenge targets
too when the targets have them), the rep's known customers are in the
customer drop-down, and
the daily report's live progress block shows amount so far, target and
completion.  The daily report's 日清 Day close sheet has a row dated for each
of the rep's workdays of the month.  What the rep already wrote can fill in
the weekly plans (rows computed by salesxl.consolidate.prefill, written here
as plain rows, editable).  Forms already in the folder are replaced only
when asked to.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from salesxl.core.calendar import Workdays
from salesxl.core.people import Rep, Roster
from salesxl.core.periods import Month, Week, weeks_starting_in
from salesxl.forms import REP_FORM_IDS, FormId, Role, TableKey
from salesxl.intake.files import collect_files, load_forms
from salesxl.validate import ValidationContext
from salesxl.write.output import check_folder
from salesxl.write.templates import SUGGESTED_LISTS, FormJob, write_forms
from salesxl.write.xlsx import OutputError

__all__ = [
    "FormsExistError",
    "first_week",
    "issue_forms",
    "known_customers",
    "planned_forms",
    "skipped_reps",
]

MAX_CUSTOMERS = 500  # a drop-down of the rep's most frequent customers
Rows = Mapping[tuple[str, Week], Sequence[Mapping[str, Any]]]
# A tier of targets.xlsx -> the monthly plan's header field showing it.
_TIER_FIELDS = {Role.STRETCH: Role.STRETCH_TARGET, Role.CHALLENGE: Role.CHALLENGE_TARGET}


class FormsExistError(OutputError):
    """Forms to be written are in the folder already; issue again with `overwrite`."""

    def __init__(self, paths: Sequence[Path]) -> None:
        shown = ", ".join(p.name for p in paths[:3]) + (" …" if len(paths) > 3 else "")
        folder = paths[0].parents[2] if len(paths[0].parents) > 2 else paths[0].parent
        super().__init__(
            f"{len(paths)} 份表单已在 {folder} 中（{shown}），未写入任何文件",
            f"{len(paths)} of the forms are in {folder} already ({shown}); nothing was written",
            hint_zh="确认后替换，或另选文件夹",
            hint_en="replace them once you are sure, or choose another folder",
            setting="output",
        )
        self.paths = list(paths)


def first_week(period: Month) -> Week:
    """The first ISO week whose Monday falls in the month."""
    return weeks_starting_in(period)[0]


def known_customers(paths: Iterable[Path]) -> dict[str, list[str]]:
    """Rep ID -> customers, most frequent first, from sales records and earlier rep forms."""
    files, _ = collect_files(list(paths))
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for data in load_forms(files, ValidationContext()):
        if data.form_id == FormId.SALES_RECORDS:
            for r in data.records(TableKey.SALES):
                if r[Role.REP_ID] and r[Role.CUSTOMER]:
                    counts[r[Role.REP_ID]][r[Role.CUSTOMER]] += 1
        elif data.form_id in REP_FORM_IDS and data.rep_id and data.form is not None:
            for r in data.records(data.form.main_table.key):
                if r[Role.CUSTOMER]:
                    counts[data.rep_id][r[Role.CUSTOMER]] += 1
    return {rep: [name for name, _ in c.most_common(MAX_CUSTOMERS)] for rep, c in counts.items()}


def _active(rep: Rep, first: dt.date, last: dt.date) -> bool:
    """Employed on at least one day from `first` to `last` (hired and gone within counts)."""
    if rep.hire_date and rep.hire_date > last:
        return False
    if rep.leave_date and rep.leave_date < first:
        return False
    return not (rep.status == "left" and rep.leave_date is None)


def skipped_reps(roster: Roster, period: Month) -> list[tuple[Rep, str]]:
    """The reps of the roster who get no forms for `period`, each with the reason."""
    out: list[tuple[Rep, str]] = []
    for rep in sorted(roster.reps.values(), key=lambda r: r.rep_id):
        if _active(rep, period.first_day, period.last_day):
            continue
        if rep.hire_date and rep.hire_date > period.last_day:
            why = f"hired {rep.hire_date:%Y-%m-%d} (入职), after {period}"
        elif rep.leave_date and rep.leave_date < period.first_day:
            why = f"left {rep.leave_date:%Y-%m-%d} (离职), before {period}"
        else:
            why = "marked 离职 Left in the roster (no leave date)"
        out.append((rep, why))
    return out


def planned_forms(
    roster: Roster,
    period: Month | None,
    folder: Path,
    *,
    weeks: Sequence[Week] | None = None,
    targets: Mapping[str, float] | None = None,
    customers: Mapping[str, Sequence[str]] | None = None,
    plan_rows: Rows | None = None,
    last_week_rows: Rows | None = None,
    workdays: Workdays | None = None,
    tiers: Mapping[Role, Mapping[str, float]] | None = None,
) -> list[FormJob]:
    """The forms `issue_forms` writes, without writing them (see there)."""
    if period is None and not weeks:
        raise ValueError("give a month, weeks, or both")
    if weeks is None:
        weeks = weeks_starting_in(period) if period is not None else []
    workdays = workdays or Workdays()
    jobs: list[FormJob] = []
    for rep in sorted(roster.reps.values(), key=lambda r: r.rep_id):
        base = folder / (rep.region or "未分区域") / (rep.team or "未分团队")
        stem = f"{rep.rep_id}_{rep.name}"
        who: dict[str, Any] = {Role.REP_NAME: rep.name, Role.REP_ID: rep.rep_id}
        target = (targets or {}).get(rep.rep_id)
        month_target: dict[str, Any] = {Role.MONTH_TARGET: target} if target is not None else {}
        tier_targets: dict[str, Any] = {  # the monthly plan shows the stretch and challenge too
            _TIER_FIELDS[tier]: values[rep.rep_id]
            for tier, values in (tiers or {}).items()
            if values.get(rep.rep_id) is not None
        }
        lists = {SUGGESTED_LISTS[Role.CUSTOMER]: list((customers or {}).get(rep.rep_id, []))}
        place: dict[str, Any] = {Role.REGION: rep.region, Role.TEAM: rep.team}
        monthly = period is not None and _active(rep, period.first_day, period.last_day)
        if monthly:
            assert period is not None
            closes: list[dict[str, Any]] = [
                {Role.DATE: d} for d in workdays.workdays_in(period) if rep.active_on(d)
            ]
            jobs.append(
                FormJob(
                    base / f"{stem}_日报_{period}.xlsx",
                    FormId.DAILY_REPORT,
                    {**who, **place, Role.MONTH: period, **month_target},
                    {TableKey.DAY_CLOSE: closes},
                    lists=lists,
                    lock_header=True,
                )
            )
        for week in weeks:
            if not _active(rep, week.monday, week.sunday):
                continue
            key = (rep.rep_id, week)
            jobs.append(
                FormJob(
                    base / f"{stem}_周计划_{week}.xlsx",
                    FormId.WEEKLY_PLAN,
                    {**who, Role.WEEK: week},
                    {
                        TableKey.PLAN: list((plan_rows or {}).get(key, ())),
                        TableKey.LAST_WEEK: list((last_week_rows or {}).get(key, ())),
                    },
                    lists=lists,
                    lock_header=True,
                )
            )
        if monthly:
            jobs.append(
                FormJob(
                    base / f"{stem}_月计划_{period}.xlsx",
                    FormId.MONTHLY_PLAN,
                    {**who, Role.MONTH: period, **month_target, **tier_targets},
                    {},
                    lists=lists,
                    lock_header=True,
                )
            )
    return jobs


def issue_forms(
    roster: Roster,
    period: Month | None,
    folder: Path,
    *,
    weeks: Sequence[Week] | None = None,
    targets: Mapping[str, float] | None = None,
    customers: Mapping[str, Sequence[str]] | None = None,
    plan_rows: Rows | None = None,
    last_week_rows: Rows | None = None,
    workdays: Workdays | None = None,
    overwrite: bool = False,
    tiers: Mapping[Role, Mapping[str, float]] | None = None,
) -> list[Path]:
    """Write the forms of every rep active in `period` and/or `weeks`; returns the files.

    With a month, each rep gets a daily report, a monthly plan and the weekly
    plans of `weeks` (default: every week whose Monday is in the month);
    without one, only the weekly plans of `weeks`.  `plan_rows` and
    `last_week_rows` fill in a rep's weekly plan of a week ((rep, week) ->
    rows of its 计划 Plan and 上周总结 Last week tables).  `tiers` maps Role.STRETCH
    and Role.CHALLENGE to rep ID -> that tier's month target, shown on the monthly
    plan (when the targets have tiers); `skipped_reps` says who got no forms and why.
    Raises FormsExistError, writing nothing, when a form is in `folder` already and
    not `overwrite`.
    """
    jobs = planned_forms(
        roster,
        period,
        folder,
        weeks=weeks,
        targets=targets,
        customers=customers,
        plan_rows=plan_rows,
        last_week_rows=last_week_rows,
        workdays=workdays,
        tiers=tiers,
    )
    existing = [job.path for job in jobs if job.path.exists()]
    if existing and not overwrite:
        raise FormsExistError(existing)
    check_folder(folder, "表单文件夹")
    return write_forms(jobs)
