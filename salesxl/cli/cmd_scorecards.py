"""`salesxl scorecards`: 个人战报, each rep's month on one page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from salesxl.cli.output import progress
from salesxl.cli.params import DATE, DB_URL, FOLDER_OUT, MONTH
from salesxl.consolidate import check_as_of
from salesxl.core.issues import Code
from salesxl.core.periods import Month
from salesxl.core.text import plural
from salesxl.scorecards import scorecards_inbox, write_scorecards
from salesxl.write.output import check_folder

__all__ = ["command"]


@click.command()
@click.argument("inbox", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--period", type=MONTH, required=True, help="The month, e.g. 2026-11.")
@click.option(
    "--db",
    type=DB_URL,
    help="Use what `salesxl import` put in this store instead of INBOX; the months of "
    "warnings in a row are then looked up up to 6 months back.",
)
@click.option(
    "-o",
    "--output",
    type=FOLDER_OUT,
    default=Path("scorecards"),
    show_default=True,
    help="Folder for the scorecards (one workbook per rep, by region and team; with "
    "--one-file, 战报_<month>.xlsx in it).",
)
@click.option("--one-file", is_flag=True, help="One workbook with a sheet per rep instead.")
@click.option(
    "--roster",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Roster 花名册: the reps to make scorecards for (else the store's, else the forms').",
)
@click.option(
    "--targets",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="targets.xlsx from `salesxl targets split` (else the store's targets).",
)
@click.option(
    "--as-of", type=DATE, help="The day to judge month-to-date and what is due (default: today)."
)
@click.option(
    "--workdays",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A 工作日 Workdays sheet overriding the China holiday calendar.",
)
@click.option("--workers", type=click.IntRange(min=1), help="Processes to read and write with.")
def command(
    inbox: tuple[Path, ...],
    period: Month,
    db: str | None,
    output: Path,
    one_file: bool,
    roster: Path | None,
    targets: Path | None,
    as_of: dt.date | None,
    workdays: Path | None,
    workers: int | None,
) -> None:
    """Write every rep's 个人战报 scorecard: one A4 page each.

    This month's amount, target and completion; where the rep stands on the
    workday pace line; rank in team and company; warning level and the months
    of warnings in a row (from the store); each week's plan against the daily
    reports; the 日清 forecast accuracy; a to-do list of customers due under
    the 7-day rules and customers shared with another rep; and a chart of the
    month's amount so far against the pace line. The figures are the
    consolidation's own, so a scorecard and the manager's summary agree.

    \b
    Example:
      salesxl scorecards inbox/ --period 2026-11 --roster roster.xlsx \\
          --targets targets.xlsx -o cards/
      salesxl scorecards --db salesxl.db --period 2026-11 --one-file -o cards/
    """
    if bool(inbox) == bool(db):
        raise click.UsageError(
            "give either INBOX folders or --db (the store), not " + ("both" if inbox else "neither")
        )
    check_as_of(period, as_of or dt.date.today())
    check_folder(output, "战报文件夹")  # before the month is read, not after
    if db:
        # SQLAlchemy only when the store is used: a folder's run starts faster
        from salesxl.scorecards import scorecards_store

        summary, cards = scorecards_store(
            db, period=period, roster=roster, targets=targets, as_of=as_of, workdays=workdays
        )
    else:
        summary, cards = scorecards_inbox(
            list(inbox),
            period=period,
            roster=roster,
            targets=targets,
            as_of=as_of,
            workdays=workdays,
            workers=workers,
            progress=lambda n: progress(n, "Reading"),
        )
    written = write_scorecards(cards, output, one_file=one_file, workers=workers)
    h = summary.headline
    where = written[0] if one_file and written else f"{output}/ (by region and team)"
    click.echo(
        f"{plural(len(cards), 'scorecard')} 个人战报 for {h.period} as of {h.as_of} written to "
        f"{where}"
    )
    for issue in summary.issues:  # an empty inbox is not a quiet "0 scorecards"
        if issue.code is Code.NO_FORMS:
            click.echo(f"  warning 警告: {issue.message_zh}")
            click.echo(f"  {issue.message_en}")
