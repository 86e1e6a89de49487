"""`salesxl consolidate`: every rep's forms into the manager's summary workbook."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from salesxl.cli.output import printable, progress
from salesxl.cli.params import DATE, DB_URL, MONTH
from salesxl.consolidate import Summary, Thresholds, check_as_of, consolidate_inbox
from salesxl.consolidate.lists import DEFAULT_LIST_LIMIT
from salesxl.consolidate.workbook import write_summary
from salesxl.core.periods import Month
from salesxl.read.marks import Written
from salesxl.write.xlsx import check_output

__all__ = ["command", "echo_headline"]


def echo_headline(summary: Summary, output: Path) -> None:
    """The numbers a manager looks at first, and where the workbook is."""
    h = summary.headline
    target = f"¥{h.target:,.0f}" if h.target is not None else "no targets given"
    if h.month_target is not None and h.target is not None and h.month_target != h.target:
        target += f" (pro-rated from ¥{h.month_target:,.0f} for reps who joined or left)"
    if h.targets_from == "forms":
        target += " from the forms' 月度目标"
    completion = f"{h.completion:.1%}" if h.completion is not None else "-"
    pace = f"{h.pace:.2f}" if h.pace is not None else "-"
    warnings = summary.sheet("by_rep").column("warning")
    levels = [row[warnings] for row in summary.sheet("by_rep").rows]
    click.echo(
        f"{h.period} as of {h.as_of}: {h.reps} reps, amount ¥{h.amount:,.0f}, target {target}, "
        f"completion {completion}, pace {pace}"
    )
    click.echo(
        f"  warnings 预警: {levels.count('oral')} oral 口头, {levels.count('written')} "
        f"written 书面; reports: {h.late} late 迟交, {h.missing} missing 缺交; "
        f"issues: {h.errors} errors, {h.warnings} warnings"
    )
    click.echo(f"  summary written to {printable(str(output))}")


@click.command()
@click.argument("inbox", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--period", type=MONTH, required=True, help="The month to consolidate, e.g. 2026-11.")
@click.option(
    "--db",
    type=DB_URL,
    help="Consolidate what `salesxl import` put in this store "
    "(an SQLite file or postgresql://…) instead of reading INBOX.",
)
@click.option(
    "--roster",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Roster 花名册: the reps expected to report (else the store's roster, "
    "else taken from the forms).",
)
@click.option(
    "--targets",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="targets.xlsx from `salesxl targets split` (month target per rep; else the "
    "store's targets).",
)
@click.option(
    "--as-of", type=DATE, help="The day to judge month-to-date and lateness at (default: today)."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("summary.xlsx"),
    show_default=True,
    help="The summary workbook (.xlsx). An existing file is replaced only if salesxl "
    "wrote it as a summary.",
)
@click.option("--details", is_flag=True, help="Add the 明细 Details sheet with every row.")
@click.option(
    "--list-limit",
    type=click.IntRange(min=0),
    default=DEFAULT_LIST_LIMIT,
    show_default=True,
    help="Entries per rep on the 客户 Customers and 问题 Issues sheets (the most urgent); "
    "the Overview says when a list was shortened. 0, or --details: every entry.",
)
@click.option("--strict", is_flag=True, help="Exit 1 when any file has an error.")
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default="zh",
    show_default=True,
    help="zh: Chinese labels with English under them; en: English only.",
)
@click.option(
    "--oral",
    type=click.FloatRange(0, 10),
    default=0.8,
    show_default=True,
    help="Pace index below this gets 口头预警 an oral warning.",
)
@click.option(
    "--written",
    type=click.FloatRange(0, 10),
    default=0.6,
    show_default=True,
    help="Pace index below this gets 书面预警 a written warning.",
)
@click.option(
    "--workdays",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A 工作日 Workdays sheet overriding the China holiday calendar (needed for "
    "years the built-in calendar does not cover).",
)
@click.option(
    "--ignore-saved-times",
    is_flag=True,
    help="Judge lateness by each file's own time only, not by the save time recorded inside "
    "it (a courtesy for e-mailed files, which anyone can set).",
)
@click.option("--workers", type=click.IntRange(min=1), help="Processes to read with.")
def command(
    inbox: tuple[Path, ...],
    period: Month,
    db: str | None,
    roster: Path | None,
    targets: Path | None,
    as_of: dt.date | None,
    output: Path,
    details: bool,
    list_limit: int,
    strict: bool,
    lang: str,
    oral: float,
    written: float,
    workdays: Path | None,
    ignore_saved_times: bool,
    workers: int | None,
) -> None:
    """Consolidate every rep's forms under INBOX (or in the store) into a summary workbook.

    Reads folders recursively, validates every file, and writes the sheets README.md
    lists under "For managers": overview with charts, by rep / team / region with warning
    levels, funnel, plan vs actual, day close, customers, submissions and issues.
    Errors in files are listed in the workbook; the command exits 0 unless
    --strict is given and some file has an error. With --db the forms, roster,
    targets and arrival times come from the store (`salesxl import`), so late
    reports are judged by when they first arrived, and customers are followed
    across months.

    The 客户 Customers and 问题 Issues sheets show per rep the --list-limit most
    urgent entries (longest overdue, errors first) and the rep's total; the
    Overview says which lists were shortened. --details writes every entry.

    Reps who join or leave during the month (roster hire and leave dates) are
    judged on the workdays they were employed: the month target is pro-rated,
    a leaver gets no warning or rank after leaving; reps without a report are
    not ranked. Without --targets (or a store's targets) the forms' month
    targets are used; with them, a form that states another target is a warning.

    \b
    Example:
      salesxl consolidate inbox/ --period 2026-11 --roster roster.xlsx \\
          --targets targets.xlsx -o summary.xlsx
      salesxl consolidate --db salesxl.db --period 2026-11 -o summary.xlsx
      salesxl consolidate inbox/ --period 2026-11 --list-limit 50 -o summary.xlsx
    """
    if bool(inbox) == bool(db):
        raise click.UsageError(
            "give either INBOX folders or --db (the store), not " + ("both" if inbox else "neither")
        )
    check_as_of(period, as_of or dt.date.today())
    try:
        thresholds = Thresholds(oral=oral, written=written)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--oral/--written") from None
    # What the command reads must never be what it writes; a locked, impossible or foreign
    # output is said before the folder is read, not after.
    inputs = [p for p in (*inbox, roster, targets, workdays) if p is not None and p.is_file()]
    check_output(output, "汇总文件", written=Written.SUMMARY, inputs=inputs)
    if db:
        # SQLAlchemy only when the store is used: a folder's run starts faster
        from salesxl.consolidate.from_store import consolidate_store

        summary = consolidate_store(
            db,
            period=period,
            roster=roster,
            targets=targets,
            as_of=as_of,
            thresholds=thresholds,
            details=details,
            workdays=workdays,
        )
    else:
        summary = consolidate_inbox(
            list(inbox),
            period=period,
            roster=roster,
            targets=targets,
            as_of=as_of,
            thresholds=thresholds,
            workers=workers,
            progress=lambda n: progress(n, "Reading"),
            details=details,
            workdays=workdays,
            saved_times=not ignore_saved_times,
        )
    write_summary(summary, output, lang=lang, details=details, inputs=inputs, list_limit=list_limit)
    echo_headline(summary, output)
    if strict and summary.headline.errors:
        raise SystemExit(1)
