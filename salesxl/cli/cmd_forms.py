"""`salesxl forms issue`: personalised forms for every active rep."""

from __future__ import annotations

from pathlib import Path

import click

from salesxl.cli.params import MONTH
from salesxl.core.periods import Month
from salesxl.core.text import plural
from salesxl.intake.roster import read_roster
from salesxl.targets import read_month_targets
from salesxl.write.issued import issue_forms, known_customers

__all__ = ["command"]


@click.group()
def command() -> None:
    """Forms for the reps (日报 周计划 月计划), personalised.

    \b
    Example:
      salesxl forms issue --roster roster.xlsx --targets targets.xlsx --period 2026-11 -o forms/
    """


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
@click.option("--period", type=MONTH, required=True, help="The month, e.g. 2026-11.")
@click.option(
    "--customers",
    "customers",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="Sales records or earlier forms (files or folders) the reps' known customers "
    "come from (repeatable).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("forms"),
    show_default=True,
    help="Folder to write the forms into.",
)
def issue(
    roster: Path, targets: Path | None, period: Month, customers: tuple[Path, ...], output: Path
) -> None:
    """Write a daily report, weekly plan and monthly plan for every active rep.

    Name, ID, team, month and month target are filled in and locked; the rep's
    customers are in the customer drop-down; the daily report shows live
    progress against the target.

    \b
    Example:
      salesxl forms issue --roster roster.xlsx --targets targets.xlsx --period 2026-11 \\
          --customers sales_records.xlsx -o forms/
    """
    reps = read_roster(roster)
    month_targets = read_month_targets(targets, period) if targets else None
    known = known_customers(customers) if customers else None
    written = issue_forms(reps, period, output, targets=month_targets, customers=known)
    missing = [r for r in reps.reps if month_targets is not None and r not in month_targets]
    click.echo(
        f"{plural(len(written), 'form')} for {plural(len(written) // 3, 'rep')} written to {output}/"
    )
    if missing:
        click.echo(
            f"  note: no {period} target for {', '.join(missing[:10])}"
            + (" ..." if len(missing) > 10 else "")
            + " (their target cells are empty)"
        )
