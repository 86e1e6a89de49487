"""`salesxl forms issue`: personalised forms for every active rep."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from salesxl.cli.params import FOLDER_OUT, MONTH, WEEK
from salesxl.consolidate.prefill import weekly_prefill
from salesxl.core.periods import Month, Week, weeks_starting_in
from salesxl.core.text import plural
from salesxl.forms import Role
from salesxl.intake.files import collect_files, load_forms
from salesxl.intake.roster import read_roster
from salesxl.intake.workdays import read_workdays
from salesxl.targets import read_month_tiers
from salesxl.validate import ValidationContext
from salesxl.write.issued import FormsExistError, issue_forms, known_customers, skipped_reps
from salesxl.write.output import check_folder

__all__ = ["command"]


@click.group()
def command() -> None:
    """Forms for the reps (日报 周计划 月计划), personalised.

    \b
    Example:
      salesxl forms issue --roster roster.xlsx --targets targets.xlsx --period 2026-11 -o forms/
    """


def _interactive() -> bool:
    """Can the user be asked? (Not in a script, a pipe or a scheduled job.)"""
    return sys.stdin.isatty()


@command.command("issue")
@click.option(
    "--roster",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Roster 花名册: one set of forms per rep active in the period.",
)
@click.option(
    "--targets",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="targets.xlsx from `salesxl targets split`: the month target, locked in.",
)
@click.option(
    "--period",
    type=MONTH,
    help="The month, e.g. 2026-11: daily report, monthly plan and every week's plan.",
)
@click.option(
    "--week",
    "weeks",
    type=WEEK,
    multiple=True,
    help="Only this week's plans, e.g. 2026-W49 (repeatable; with --period, instead of "
    "every week of the month).",
)
@click.option(
    "--customers",
    "customers",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="Sales records or earlier forms (files or folders) the reps' known customers "
    "come from (repeatable).",
)
@click.option(
    "--reports",
    "reports",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="The reps' daily reports so far (files or folders, repeatable): each weekly "
    "plan's 上周总结 Last week is filled in from them, and its plan seeded with the "
    "customers due under the 7-day rules and A-grade customers without a next step.",
)
@click.option(
    "--workdays",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A 工作日 Workdays sheet overriding the China holiday calendar (the 日清 dates).",
)
@click.option("--force", is_flag=True, help="Replace forms already in the folder without asking.")
@click.option(
    "-o",
    "--output",
    type=FOLDER_OUT,
    default=Path("forms"),
    show_default=True,
    help="Folder to write the forms into.",
)
def issue(
    roster: Path,
    targets: Path | None,
    period: Month | None,
    weeks: tuple[Week, ...],
    customers: tuple[Path, ...],
    reports: tuple[Path, ...],
    workdays: Path | None,
    force: bool,
    output: Path,
) -> None:
    """Write a daily report, weekly plans and a monthly plan for every active rep.

    Name, ID, team, month and month target are filled in and locked; the rep's
    customers are in the customer drop-down; the daily report shows live
    progress against the target and has a 日清 row dated for each workday. With
    --period every week whose Monday is in the month gets a weekly plan; with
    --week only that week's plans are written. With --reports, each weekly
    plan's 上周总结 Last week is filled in from the rep's daily rows of the week
    before (contacts, visits, new customers, stage moves, deals, amount, with
    where they came from; editable) and its plan is seeded with the customers
    falling due. Forms already in the folder are replaced only after asking
    (--force replaces them without asking).

    \b
    Example:
      salesxl forms issue --roster roster.xlsx --targets targets.xlsx --period 2026-11 \\
          --customers sales_records.xlsx -o forms/
      salesxl forms issue --roster roster.xlsx --week 2026-W49 --reports inbox/ -o forms/
    """
    if period is None and not weeks:
        raise click.UsageError("give --period (a month) or --week (repeatable), or both")
    check_folder(output, "表单文件夹")  # before the reports are read, not after
    reps = read_roster(roster)
    tiers = read_month_tiers(targets, period) if targets and period else None
    month_targets = tiers.pop(Role.TARGET) if tiers is not None else None
    calendar = read_workdays(workdays) if workdays else None
    known = known_customers(customers) if customers else None
    chosen = list(weeks) or (weeks_starting_in(period) if period is not None else [])
    plan_rows, last_week_rows = {}, {}
    if reports:
        files, _ = collect_files(list(reports))
        prefill = weekly_prefill(load_forms(files, ValidationContext()), chosen)
        plan_rows = {key: p.plan_rows for key, p in prefill.items()}
        last_week_rows = {key: p.last_week_rows for key, p in prefill.items()}

    def write(overwrite: bool) -> list[Path]:
        return issue_forms(
            reps,
            period,
            output,
            weeks=chosen,
            targets=month_targets,
            customers=known,
            plan_rows=plan_rows,
            last_week_rows=last_week_rows,
            workdays=calendar,
            overwrite=overwrite,
            tiers=tiers,
        )

    try:
        written = write(force)
    except FormsExistError as exc:
        if not _interactive():  # a script or a scheduled job: said clearly, nothing replaced
            exc.hint_zh = "加 --force 替换它们，或另选文件夹"
            exc.hint_en = "replace them (--force), or choose another folder"
            raise
        click.confirm(f"{exc.message_zh}\n{exc.message_en}\n替换它们 Replace them?", abort=True)
        written = write(True)
    people = len({p.name.split("_", 1)[0] for p in written})
    click.echo(f"{plural(len(written), 'form')} for {plural(people, 'rep')} written to {output}/")
    skipped = skipped_reps(reps, period) if period is not None else []
    for rep, why in skipped:
        click.echo(f"  skipped {rep.rep_id} {rep.name}: {why}")
    if reports:
        issued = {p.name for p in written}
        mine = [
            key
            for key in {*plan_rows, *last_week_rows}
            if key[0] in reps.reps
            and f"{key[0]}_{reps.reps[key[0]].name}_周计划_{key[1]}.xlsx" in issued
        ]
        filled = sum(1 for k in mine if last_week_rows.get(k))
        due = sum(1 for k in mine if plan_rows.get(k))
        click.echo(
            f"  {plural(filled, 'weekly plan')} with last week filled in from the daily reports, "
            f"{due} with customers due put on the plan"
        )
    not_issued = {rep.rep_id for rep, _ in skipped}
    missing = [
        r
        for r in reps.reps
        if month_targets is not None and r not in month_targets and r not in not_issued
    ]
    if missing:
        click.echo(
            f"  note: no {period} target for {', '.join(missing[:10])}"
            + (" ..." if len(missing) > 10 else "")
            + " (their target cells are empty)"
        )
