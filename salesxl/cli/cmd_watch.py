"""`salesxl watch`: validate each form as it arrives in a folder, keep the summary fresh."""

from __future__ import annotations

import datetime as dt
import signal
import threading
from pathlib import Path
from typing import Any

import click

from salesxl.cli.params import DATE, DB_URL, FOLDER_OUT
from salesxl.consolidate import Thresholds
from salesxl.core.periods import Month
from salesxl.intake.workdays import read_workdays
from salesxl.read.marks import Written
from salesxl.watch import WatchOptions, watch_folder
from salesxl.write.xlsx import check_output

__all__ = ["command"]


def _period(value: str) -> Month | None:
    if value == "auto":
        return None
    try:
        return Month.parse(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a month: write auto or a month such as 2026-11",
            param_hint="--period",
        ) from None


@click.command()
@click.argument("inbox", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--period",
    default="auto",
    show_default=True,
    help="The month to summarise; auto: the month of the report due this morning "
    "(the last workday's), judged again at every refresh.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("summary.xlsx"),
    show_default=True,
    help="The summary workbook, rewritten as files arrive.",
)
@click.option("--db", type=DB_URL, help="Import each file into this store and summarise from it.")
@click.option(
    "--returns",
    type=FOLDER_OUT,
    help="Write a return copy of each file with errors into this folder (by region and team; "
    "not inside INBOX); a file that comes in again without errors has its copy taken back.",
)
@click.option(
    "--roster",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Roster 花名册 (else the store's, with --db).",
)
@click.option(
    "--targets",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="targets.xlsx (else the store's targets, with --db).",
)
@click.option(
    "--refresh",
    type=click.FloatRange(min=0),
    default=60,
    show_default=True,
    help="Seconds between two summaries at most (the summary is written only when "
    "something arrived).",
)
@click.option(
    "--settle",
    type=click.FloatRange(min=0),
    default=2,
    show_default=True,
    help="Seconds a file must stay unchanged before it is read (a copy still arriving).",
)
@click.option(
    "--hold",
    type=click.FloatRange(min=0),
    default=300,
    show_default=True,
    help="Seconds to wait for a file that is open in a spreadsheet app (a lock file beside "
    "it) before reading its saved version.",
)
@click.option("--poll", is_flag=True, help="Poll the folder (network shares without events).")
@click.option("--as-of", type=DATE, help="Judge as if today were this day (default: today).")
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default="zh",
    show_default=True,
    help="The summary's labels.",
)
@click.option(
    "--workdays",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A 工作日 Workdays sheet overriding the China holiday calendar.",
)
@click.option(
    "--log",
    "log_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also append the log lines to this file.",
)
@click.option(
    "--once",
    is_flag=True,
    help="Handle the files there now, write the summary, exit (a file open in a spreadsheet "
    "app is waited for up to --hold seconds); exit code 1 when a file could not be handled "
    "or the summary not written.",
)
@click.option(
    "--max-runtime",
    type=click.FloatRange(min=0),
    help="Stop by itself after this many seconds (for scheduled runs and tests).",
)
def command(
    inbox: Path,
    period: str,
    output: Path,
    db: str | None,
    returns: Path | None,
    roster: Path | None,
    targets: Path | None,
    refresh: float,
    settle: float,
    hold: float,
    poll: bool,
    as_of: dt.date | None,
    lang: str,
    workdays: Path | None,
    log_file: Path | None,
    once: bool,
    max_runtime: float | None,
) -> None:
    """Watch INBOX: validate each form as it arrives, keep the summary fresh.

    For reps on WPS, LibreOffice or a Mac: they save into a shared or synced
    folder (network share, OneDrive, 坚果云) and nothing is installed on their
    machines. Each file is read once it has stopped changing (and is no longer
    open in a spreadsheet app), validated, given a return copy when it has
    errors (--returns), imported into the store (--db); the summary is
    rewritten at most once per --refresh seconds. A bad file is one log line,
    never the end of the watch. Ctrl-C or SIGTERM stops it cleanly, after
    writing the last summary. Running it as a service: docs/watch.md.

    \b
    Example:
      salesxl watch inbox/ -o summary.xlsx --db salesxl.db --returns returns/
      salesxl watch //server/sales/inbox --poll -o summary.xlsx --refresh 300
    """
    inputs = [p for p in (roster, targets, workdays) if p is not None]
    check_output(output, "汇总文件", written=Written.SUMMARY, inputs=inputs)
    options = WatchOptions(
        inbox=inbox,
        output=output,
        period=_period(period),
        db=db,
        returns=returns,
        roster=roster,
        targets=targets,
        as_of=as_of,
        refresh=refresh,
        settle=settle,
        hold=hold,
        poll=poll,
        lang=lang,
        thresholds=Thresholds(),
    )
    if workdays is not None:
        options.workdays = read_workdays(workdays)
    stop = threading.Event()

    def stopping(signum: int, frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGINT, stopping)
    signal.signal(signal.SIGTERM, stopping)
    sink = log_file.open("a", encoding="utf-8") if log_file is not None else None

    def log(line: str) -> None:
        click.echo(line)
        if sink is not None:
            sink.write(line + "\n")
            sink.flush()

    try:
        run = watch_folder(options, log=log, stop=stop, once=once, max_runtime=max_runtime)
    finally:
        if sink is not None:
            sink.close()
    if once and run.failed:  # for the scheduler that runs it: the lines say what failed
        raise click.ClickException(
            f"{run.failed} 项失败（见标为 failed 或 not written 的行）\n"
            f"{run.failed} failed (the lines marked failed or not written say why)"
        )
