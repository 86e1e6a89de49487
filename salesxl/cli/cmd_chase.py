"""`salesxl chase`: who still owes which reports, with messages ready for the group chat."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from salesxl.cli.output import progress
from salesxl.cli.params import DATE, DB_URL, MONTH
from salesxl.consolidate import check_as_of
from salesxl.consolidate.chase import DEFAULT_ESCALATE, ChaseList, chase_text
from salesxl.consolidate.chase_sources import chase_inbox
from salesxl.core.periods import Month

__all__ = ["command"]


@click.command()
@click.argument("inbox", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--db", type=DB_URL, help="Chase by what reached this store (`salesxl import`) instead."
)
@click.option(
    "--as-of",
    type=DATE,
    help="The day to judge at (default: today, now); another day is judged at its end.",
)
@click.option(
    "--period",
    type=MONTH,
    help="Chase the whole of this month (default: the month of --as-of and what of the "
    "month before fell due in it).",
)
@click.option(
    "--roster",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Roster 花名册: who is expected, hire and leave dates, team leaders (else the "
    "store's; without one only reps who handed in something are known).",
)
@click.option(
    "--escalate",
    type=click.IntRange(min=1),
    default=DEFAULT_ESCALATE,
    show_default=True,
    help="Workdays missing in a row that put a rep on the team leader's list.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: per team, lines to paste into the group chat; json: for scripts.",
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default="zh",
    show_default=True,
    help="The language of the messages (text output).",
)
@click.option(
    "--workdays",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A 工作日 Workdays sheet overriding the China holiday calendar.",
)
@click.option("--workers", type=click.IntRange(min=1), help="Processes to read with.")
def command(
    inbox: tuple[Path, ...],
    db: str | None,
    as_of: dt.date | None,
    period: Month | None,
    roster: Path | None,
    escalate: int,
    fmt: str,
    lang: str,
    workdays: Path | None,
    workers: int | None,
) -> None:
    """催交 Chase list: per team, who owes which daily reports and weekly/monthly plans.

    A day's report is owed from 09:00 on the next workday (China's calendar:
    holidays and 调休 make-up workdays), the week's plan from its Monday, the
    month's plan from the month before. Days before a rep joined or after
    they left are never owed, nor days before the first report the store (or
    INBOX) holds; the output says from which day it counts. A report the
    store refused is received but must be fixed and sent again: it is listed as such. A rep missing --escalate
    workdays in a row is also on the team leader's (the roster's 主管) list.
    Exits 0 when nobody owes anything, 1 otherwise (for schedulers), and 1
    when INBOX holds no rep form, or the store none of the months chased (a
    warning says so: a mistyped or empty folder, or imports that stopped, is
    not "nobody owes"; with a roster everyone on it owes).

    \b
    Example:
      salesxl chase --db salesxl.db --as-of 2026-12-03
      salesxl chase inbox/ --roster roster.xlsx --format json > chase.json
    """
    if bool(inbox) == bool(db):
        raise click.UsageError(
            "give either INBOX folders or --db (the store), not " + ("both" if inbox else "neither")
        )
    as_of = as_of or dt.date.today()
    if period is not None:
        check_as_of(period, as_of)  # nothing of a month is due before it begins
    chase = _chase(inbox, db, as_of, period, roster, escalate, workdays, workers)
    if fmt == "json":
        click.echo(json.dumps(chase.to_dict(), ensure_ascii=False, indent=2))
    else:
        for line in chase_text(chase, lang):
            click.echo(line)
    if chase.owes or chase.empty is not None:
        raise SystemExit(1)


def _chase(
    inbox: tuple[Path, ...],
    db: str | None,
    as_of: dt.date,
    period: Month | None,
    roster: Path | None,
    escalate: int,
    workdays: Path | None,
    workers: int | None,
) -> ChaseList:
    if db:
        # SQLAlchemy only when the store is used: a folder's run starts faster
        from salesxl.consolidate.from_store import chase_store

        return chase_store(
            db,
            as_of=as_of,
            period=period,
            roster=roster,
            workdays=workdays,
            escalate_after=escalate,
        )
    return chase_inbox(
        list(inbox),
        as_of=as_of,
        period=period,
        roster=roster,
        workdays=workdays,
        escalate_after=escalate,
        workers=workers,
        progress=lambda n: progress(n, "Reading"),
    )
