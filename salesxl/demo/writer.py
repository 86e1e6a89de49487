"""Write the sample organisation to disk, through the same writer the templates use."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl

from salesxl.demo.month import RepMonth
from salesxl.forms import FORMS
from salesxl.periods import Month
from salesxl.templates import write_form

__all__ = ["FileJob", "write_jobs"]


@dataclass(frozen=True, slots=True)
class FileJob:
    """One workbook to write: which form, its header and rows, and when it was 'saved'."""

    path: Path
    form_id: str
    header: dict[str, Any]
    rows: dict[str, list[dict[str, Any]]]
    saved: dt.datetime | None = None
    lists: dict[str, list[str]] | None = None


def _write(job: FileJob) -> Path:
    job.path.parent.mkdir(parents=True, exist_ok=True)
    write_form(job.path, FORMS[job.form_id], header=job.header, rows=job.rows, lists=job.lists)
    if job.saved is not None:
        stamp = job.saved.timestamp()
        os.utime(job.path, (stamp, stamp))
    return job.path


def write_jobs(jobs: Sequence[FileJob]) -> list[Path]:
    """Write every job, on all cores when there are many."""
    if len(jobs) < 24:
        return [_write(job) for job in jobs]
    with ProcessPoolExecutor() as pool:
        return list(pool.map(_write, jobs, chunksize=4))


def rep_jobs(month: RepMonth, folder: Path, period: Month, *, drop_rep_id_in_week: bool = False
             ) -> list[FileJob]:
    """The rep's daily report, weekly plans and monthly plan for `period`."""
    rep = month.rep
    base = folder / rep.region / rep.team
    stem = f"{rep.rep_id}_{rep.name}"
    who = {"rep_name": rep.name, "rep_id": rep.rep_id}
    customers = [name for name, _ in rep.customers]
    jobs = [FileJob(base / f"{stem}_日报_{period}.xlsx", "daily_report",
                    {**who, "region": rep.region, "team": rep.team, "month": period,
                     "month_target": month.month_target},
                    {"daily": month.daily, "day_close": month.day_close},
                    max(month.saved.values()) if month.saved else None,
                    {"customers": customers})]
    for i, (week, (plan, summary)) in enumerate(sorted(month.weeks.items())):
        header = {**who, "week": week}
        if drop_rep_id_in_week and i == 0:
            del header["rep_id"]
        jobs.append(FileJob(base / f"{stem}_周计划_{week}.xlsx", "weekly_plan", header,
                            {"plan": plan, "last_week": summary}, month.week_saved[week]))
    jobs.append(FileJob(base / f"{stem}_月计划_{period}.xlsx", "monthly_plan",
                        {**who, "month": period, "month_target": month.month_target},
                        {"accounts": month.accounts}, month.month_saved))
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
