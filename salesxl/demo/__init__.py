"""A realistic sample organisation for `salesxl demo` (and for trying salesxl out).

`generate_demo` writes a roster of reps in three regions and six teams, three
years of ERP sales, a targets input, and an inbox with each rep's daily
report, weekly plans and monthly plan for the period — a few of them with
the mistakes real reps make.  The same seed gives the same files.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from salesxl.core.calendar import Workdays
from salesxl.core.errors import SalesxlError
from salesxl.core.periods import Month
from salesxl.demo.mistakes import Mistake, plant_mistakes
from salesxl.demo.month import RepMonth, rep_month
from salesxl.demo.organisation import Organisation, build_organisation
from salesxl.demo.writer import corrupt_copy, rep_jobs, resave_with_openpyxl
from salesxl.forms import FormId, TableKey
from salesxl.intake.roster import read_roster
from salesxl.targets import split_targets
from salesxl.targets.inputs import read_targets_input
from salesxl.write.output import check_folder
from salesxl.write.templates import FormJob, write_forms

__all__ = ["DemoError", "DemoFiles", "generate_demo"]

MARKER = ".salesxl-demo"


class DemoError(SalesxlError):
    """The demo folder cannot be used."""

    usage = True  # the output folder given is not a demo folder
    exit_code = 2  # even when it is the default folder: choose another one


@dataclass(slots=True)
class DemoFiles:
    folder: Path
    period: Month
    as_of: dt.date
    roster: Path
    sales_records: Path
    targets_input: Path
    inbox: Path
    organisation: Organisation
    months: list[RepMonth]
    mistakes: list[Mistake]
    files: list[Path] = field(default_factory=list)  # every rep file in the inbox


def _prepare(folder: Path) -> None:
    if folder.exists() and any(folder.iterdir()) and not (folder / MARKER).exists():
        raise DemoError(
            f"{folder} 已存在，而且不是 salesxl 演示文件夹（演示只覆盖它自己的文件夹）",
            f"{folder} exists and is not a salesxl demo folder (the demo only overwrites "
            "its own folders)",
            hint_zh="请另选一个文件夹",
            hint_en="choose another folder",
            setting="output",
        )
    check_folder(folder, "演示文件夹")
    if (folder / "inbox").exists():
        shutil.rmtree(folder / "inbox")
    (folder / MARKER).write_text("made by `salesxl demo`; safe to delete\n", encoding="utf-8")


def generate_demo(
    folder: Path,
    *,
    period: Month = Month(2026, 11),  # noqa: B008 - value object
    as_of: dt.date = dt.date(2026, 11, 24),
    seed: int = 2026,
    reps: int = 30,
) -> DemoFiles:
    """Write the sample organisation into `folder` (created; an old demo there is replaced)."""
    folder = Path(folder)
    _prepare(folder)
    org = build_organisation(period, as_of, seed=seed, reps=reps)
    workdays = Workdays()
    roster_rows = [r.roster_row for r in org.reps]
    write_forms(
        [
            FormJob(folder / "roster.xlsx", FormId.ROSTER, {}, {TableKey.REPS: roster_rows}),
            FormJob(
                folder / "sales_records.xlsx", FormId.SALES_RECORDS, {}, {TableKey.SALES: org.sales}
            ),
            FormJob(
                folder / "targets_input.xlsx",
                FormId.TARGETS_INPUT,
                org.settings,
                {TableKey.ANNUAL: org.annual, TableKey.HISTORY: org.history},
            ),
        ]
    )
    # The forms state the month targets `salesxl targets split` gives (one rep's, wrongly).
    targets = _split_month_targets(folder / "targets_input.xlsx", folder / "roster.xlsx", period)
    rng = random.Random(seed + 1)
    months = [
        rep_month(rep, period, as_of, workdays, rng, targets.get(rep.rep_id)) for rep in org.reps
    ]
    mistakes = plant_mistakes(months)
    spoiled_week = {m.rep_id for m in mistakes if m.form == FormId.WEEKLY_PLAN}
    inbox = folder / "inbox"
    jobs: list[FormJob] = []
    for month in months:
        jobs += rep_jobs(month, inbox, period, drop_rep_id_in_week=month.rep.rep_id in spoiled_week)
    extra = _stray_files(months, inbox, period, workdays, seed) if len(months) >= 13 else []
    written = write_forms([*jobs, *extra])
    files = [p for p in written if inbox in p.parents]
    if len(months) >= 13:
        files += _spoil_files(months, inbox, period)
    return DemoFiles(
        folder,
        period,
        as_of,
        folder / "roster.xlsx",
        folder / "sales_records.xlsx",
        folder / "targets_input.xlsx",
        inbox,
        org,
        months,
        mistakes,
        sorted(files),
    )


def _split_month_targets(targets_input: Path, roster: Path, period: Month) -> dict[str, float]:
    """Each rep's target for `period`, split from the targets input as the demo's step does."""
    split = split_targets(read_targets_input(targets_input, roster=read_roster(roster)))
    if period not in split.months:
        return {}
    k = split.months.index(period)
    return {
        p.unit: float(split.money(p.months[k]))
        for p in split.plans
        if p.level == "rep" and p.product is None
    }


def _stray_files(
    months: list[RepMonth], inbox: Path, period: Month, workdays: Workdays, seed: int
) -> list[FormJob]:
    """Last month's report of one rep, left in this month's inbox."""
    previous = period.shift(-1)
    october = rep_month(
        months[1].rep, previous, period.first_day, workdays, random.Random(seed + 2)
    )
    job = rep_jobs(october, inbox, previous)[0]
    return [job]


def _spoil_files(months: list[RepMonth], inbox: Path, period: Month) -> list[Path]:
    """A report re-saved by a script, a corrupt copy, and an Excel lock file."""

    def daily(month: RepMonth) -> Path:
        rep = month.rep
        return inbox / rep.region / rep.team / f"{rep.rep_id}_{rep.name}_日报_{period}.xlsx"

    resave_with_openpyxl(daily(months[12]))
    first = daily(months[0])
    broken = first.parent / f"扫描件_{months[0].rep.name}.xlsx"
    corrupt_copy(first, broken)
    lock = first.parent / f"~${first.name}"
    lock.write_bytes(b"\x00" * 162)  # what Excel leaves while the file is open
    return [broken, lock]
