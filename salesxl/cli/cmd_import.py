"""`salesxl import`: rosters, ERP sales records, rep reports and targets into the store."""

from __future__ import annotations

import os
from pathlib import Path

import click

from salesxl.cli.output import SHOWN_PER_FILE, echo_issue_table, echo_json, printable, progress
from salesxl.cli.params import DB_URL, foreign_file_options, parse_map
from salesxl.core.text import plural
from salesxl.store import KINDS, display_url, import_files, resolve_url
from salesxl.store.sources import source_name

__all__ = ["command"]

_STATUS_COLOURS = {"imported": "green", "replaced": "cyan", "unchanged": None, "blocked": "red"}


def _shown(path: str) -> str:
    """A path relative to the working folder when it is inside it."""
    try:
        return os.path.relpath(path) if Path(path).is_relative_to(Path.cwd()) else path
    except ValueError:  # another drive on Windows
        return path


def _source(value: str | None, param: click.Parameter) -> str | None:
    try:
        return source_name(value, KINDS["sales"])
    except ValueError as exc:
        raise click.BadParameter(str(exc), param=param) from None


@click.command()
@click.argument("kind", type=click.Choice(list(KINDS)))
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--db",
    type=DB_URL,
    help="Database: an SQLite file or postgresql://user@host/dbname "
    "[default: $SALESXL_DB, else salesxl.db in this folder].",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="A readable report, or one JSON object with the counts.",
)
@click.option(
    "--skip-bad-rows",
    is_flag=True,
    help="Import the rows without errors and record the others as issues "
    "(default: a file with any error is not imported at all).",
)
@click.option(
    "--backfill",
    is_flag=True,
    help="The files came in before the store was used: take each file's modification "
    "time as when it arrived (estimated, and marked so), not the import time.",
)
@click.option(
    "--ignore-saved-times",
    is_flag=True,
    help="With --backfill: take each file's own time, not the save time recorded inside it "
    "(which anyone can set).",
)
@click.option(
    "--allow-older",
    is_flag=True,
    help="reports: make each file current even when the store's current version of that "
    "rep and period was saved later (by the save time inside the file). Without it such a "
    "file is kept as an older version, with a warning.",
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en", "both"]),
    default="both",
    show_default=True,
    help="Language of the messages in the text report.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Processes to read with (default: all cores when there are many files).",
)
@foreign_file_options
@click.option(
    "--source",
    metavar="NAME",
    callback=lambda ctx, param, value: _source(value, param),
    help="sales: the shop or system these exports come from, when two have the same "
    "headers (one ERP, several shops): an export replaces only the rows of the same "
    "headers and name. Use the same name for the same shop every time.",
)
@click.option(
    "--forget-map",
    is_flag=True,
    help="Drop the column mapping remembered for these files' headers (and do not use it).",
)
@click.option(
    "--all", "show_all", is_flag=True, help="List every issue (text output shows 50 per file)."
)
def command(
    kind: str,
    paths: tuple[Path, ...],
    db: str | None,
    fmt: str,
    skip_bad_rows: bool,
    backfill: bool,
    ignore_saved_times: bool,
    allow_older: bool,
    lang: str,
    workers: int | None,
    maps: tuple[str, ...],
    date_order: str | None,
    encoding: str | None,
    forget_map: bool,
    source: str | None,
    show_all: bool,
) -> None:
    """Import files into the store: KIND is roster, sales, reports or targets.

    \b
    roster   花名册 roster.xlsx; a new roster replaces the previous one
    sales    销售记录 exports from ERPs and shops (xlsx or CSV in any common
             encoding); a date and an amount per row are enough. An export
             replaces the rows of the same source and rep on the days it
             covers, so a 16-31 January export keeps the 1-15 January one.
             A source is the set of headers (the system); two shops on one
             ERP need --source NAME each, or one's export replaces the
             other's rows (the import warns when it replaced another
             file's rows)
    reports  日报 / 周计划 / 月计划 files or folders of them; a resubmitted
             file replaces that rep's rows for its period. Of two files of
             one rep and period the one saved later (the save time inside
             the file, as consolidate uses) is current: an older copy
             imported later is kept but not current, with a warning
             (--allow-older makes it current); CSV goes by import order
    targets  targets.xlsx from `salesxl targets split`; replaces its months

    Columns are found by their labels and the usual synonyms (订单日期, Order
    Date, 销售额, Revenue, 业务员, Salesperson: docs/forms.md); --map names the
    others, and a mapping that imported a file is remembered for its headers,
    so next month's export from the same system needs no options.

    Each file is imported whole or not at all; the same file twice changes
    nothing; replaced versions are kept and every import (and every refused
    rep file, with its errors) is in the audit log. A report counts as arrived when it is imported (late/missing are
    judged by that); use --backfill once for an inbox that predates the
    store. Exit code 0: every file imported or unchanged; 1: a file was not
    imported (its errors are listed) or the database failed; 2: usage error.

    \b
    Example:
      salesxl import roster roster.xlsx
      salesxl import reports inbox/ --db postgresql://sales@db.example/sales
      salesxl import sales erp_2025.csv erp_2026.xlsx --format json
      salesxl import sales SalesJan2009.csv --map amount=Price --map customer=Name
      salesxl import sales east/2026-01.xlsx --source shop-east
      salesxl import sales west/2026-01.xlsx --source shop-west
    """
    if source is not None and kind != "sales":
        raise click.UsageError("--source names a sales source: use it with `salesxl import sales`")
    column_map = parse_map(maps)
    result = import_files(
        kind,
        list(paths),
        db=db,
        skip_bad_rows=skip_bad_rows,
        backfill=backfill,
        workers=workers,
        progress=progress,
        column_map=column_map,
        forget_map=forget_map,
        date_order=date_order,
        encoding=encoding,
        saved_times=not ignore_saved_times,
        source=source,
        allow_older=allow_older,
    )
    if fmt == "json":
        echo_json(result.to_dict())
    else:
        for f in result.files:
            status = click.style(f.status.ljust(9), fg=_STATUS_COLOURS[f.status])
            click.echo(f"{status} {printable(_shown(f.path))}  {printable(f.note)}")
        found = result.issues
        if found:
            click.echo()
            echo_issue_table(found, lang=lang, limit=None if show_all else SHOWN_PER_FILE)
        rows = plural(result.rows, "row")
        click.echo(
            f"\n{plural(len(result.files), 'file')}: {result.count('imported')} imported, "
            f"{result.count('replaced')} replaced, {result.count('unchanged')} unchanged, "
            f"{result.count('blocked')} not imported; {rows} written to "
            f"{display_url(resolve_url(db))}"
        )
    raise SystemExit(1 if result.count("blocked") else 0)
