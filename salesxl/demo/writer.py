"""Write the sample organisation to disk, through the same writer the templates use."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import openpyxl

from salesxl.core.periods import Month
from salesxl.demo.month import RepMonth
from salesxl.forms import FormId, Role, TableKey
from salesxl.write.templates import SUGGESTED_LISTS, FormJob

__all__ = ["corrupt_copy", "rep_jobs", "resave_with_openpyxl"]


def rep_jobs(
    month: RepMonth, folder: Path, period: Month, *, drop_rep_id_in_week: bool = False
) -> list[FormJob]:
    """The rep's daily report, weekly plans and monthly plan for `period`."""
    rep = month.rep
    base = folder / rep.region / rep.team
    stem = f"{rep.rep_id}_{rep.name}"
    who: dict[str, Any] = {Role.REP_NAME: rep.name, Role.REP_ID: rep.rep_id}
    customers = [name for name, _ in rep.customers]
    jobs = [
        FormJob(
            base / f"{stem}_日报_{period}.xlsx",
            FormId.DAILY_REPORT,
            {
                **who,
                Role.REGION: rep.region,
                Role.TEAM: rep.team,
                Role.MONTH: period,
                Role.MONTH_TARGET: month.stated_target or month.month_target,
            },
            {TableKey.DAILY: month.daily, TableKey.DAY_CLOSE: month.day_close},
            max(month.saved.values()) if month.saved else None,
            {SUGGESTED_LISTS[Role.CUSTOMER]: customers},
        )
    ]
    for i, (week, (plan, summary)) in enumerate(sorted(month.weeks.items())):
        header = {**who, Role.WEEK: week}
        if drop_rep_id_in_week and i == 0:
            del header[Role.REP_ID]
        jobs.append(
            FormJob(
                base / f"{stem}_周计划_{week}.xlsx",
                FormId.WEEKLY_PLAN,
                header,
                {TableKey.PLAN: plan, TableKey.LAST_WEEK: summary},
                month.week_saved[week],
            )
        )
    jobs.append(
        FormJob(
            base / f"{stem}_月计划_{period}.xlsx",
            FormId.MONTHLY_PLAN,
            {**who, Role.MONTH: period, Role.MONTH_TARGET: month.month_target},
            {TableKey.ACCOUNTS: month.accounts},
            month.month_saved,
        )
    )
    return jobs


def resave_with_openpyxl(path: Path) -> None:
    """What a script does to a workbook: formulas survive, their cached values do not."""
    stamp = path.stat().st_mtime
    wb = openpyxl.load_workbook(path)
    wb.save(path)
    os.utime(path, (stamp, stamp))


def corrupt_copy(source: Path, target: Path) -> None:
    """A file cut short, as from a failed upload or a renamed scan."""
    target.write_bytes(source.read_bytes()[:400])
