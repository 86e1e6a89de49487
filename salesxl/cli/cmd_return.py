"""`salesxl return`: 退回件, each rep's own workbook with its problems marked, back to the rep."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from salesxl.cli.output import progress
from salesxl.cli.params import DATE, FOLDER_OUT, PERIOD
from salesxl.core.periods import Month, Week
from salesxl.core.text import plural
from salesxl.write.return_list import HOW_LABELS
from salesxl.write.return_record import RECORD_NAME, TakenBack, Tidied
from salesxl.write.returns import Returns, return_inbox

__all__ = ["command", "echo_returns", "echo_tidied"]


def echo_returns(result: Returns) -> None:
    """Who gets what back, and where the copies and lists are."""
    copies = len(result.copies)
    unopened = sum(f.how == "not_opened" for f in result.files)
    click.echo(
        f"{plural(result.checked, 'file')} checked: {len(result.files)} "
        f"{'goes back to its rep' if len(result.files) == 1 else 'go back to their reps'} "
        f"({plural(copies, 'return copy', 'return copies')} 退回件, {unopened} could not be "
        "opened)"
    )
    for f in result.files:
        who = " ".join(x for x in (f.rep_id, f.rep_name) if x) or "?"
        what = str(f.copy) if f.copy is not None else HOW_LABELS[f.how][1]
        click.echo(
            f"  {who:<14} {plural(f.errors, 'error')}, {plural(f.warnings, 'warning')} → {what}"
        )
    click.echo(
        f"  return list 退回清单: {result.lists[0]}"
        + (f" (and one per team: {len(result.lists) - 1})" if len(result.lists) > 1 else "")
    )
    if result.empty is not None:  # an empty inbox (a wrong folder) is said
        click.echo(f"  warning 警告: {result.empty.message_zh}")
        click.echo(f"  {result.empty.message_en}")
    if result.tidied is not None:
        echo_tidied(result.tidied, result.folder)


_WHY = {
    "fixed": "nothing to return for its file now",
    "replaced": "replaced by this run's copy",
    "list": "an earlier return list",
}


def echo_tidied(tidied: Tidied, folder: Path) -> None:
    """What became of the files earlier runs wrote into the folder: removed, moved aside,
    or still there (open in Excel), and look-alikes no record vouches for."""
    if tidied.unreadable_record:
        click.echo(
            f"  warning: the record {folder / RECORD_NAME} could not be read "
            f"({tidied.unreadable_record}): no earlier return copy was removed; a new record "
            "is written",
            err=True,
        )
    taken = [*tidied.removed, *tidied.moved, *tidied.kept]
    if taken:
        click.echo(f"  earlier runs' files 旧退回件 in {folder}:")
    for t in tidied.removed:
        click.echo(f"    removed 已删除: {_shown(t.path, folder)} ({_why(t)})")
    for t in tidied.moved:
        click.echo(
            f"    moved aside 已移走: {_shown(t.path, folder)} → {_shown(t.moved_to, folder)} "
            f"({_why(t)}; changed since salesxl wrote it, so not deleted)"
        )
    for t in tidied.kept:
        click.echo(
            f"  warning: could not remove {t.path} ({_why(t)}): {t.error}; close it and run "
            "again, or delete it by hand: it is out of date",
            err=True,
        )
    if tidied.unrecorded:
        shown = ", ".join(_shown(p, folder) for p in tidied.unrecorded[:5])
        more = f" and {len(tidied.unrecorded) - 5} more" if len(tidied.unrecorded) > 5 else ""
        one = len(tidied.unrecorded) == 1
        click.echo(
            f"  note: {plural(len(tidied.unrecorded), 'file')} in {folder} "
            + (
                "looks like an earlier return copy or list, but no record says this command "
                "wrote it, so it is left as it is"
                if one
                else "look like earlier return copies or lists, but no record says this "
                "command wrote them, so they are left as they are"
            )
            + f": {shown}{more}; delete any that are out of date by hand",
            err=True,
        )


def _why(t: TakenBack) -> str:
    who = f"{t.entry.rep}: " if t.entry.rep and t.why != "list" else ""
    return who + _WHY.get(t.why, t.why)


def _shown(path: Path | None, folder: Path) -> str:
    if path is None:
        return "?"
    try:
        return path.relative_to(folder).as_posix()
    except ValueError:
        return str(path)


@click.command()
@click.argument("inbox", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--period", type=PERIOD, help="The month (2026-11) or week (2026-W48) expected.")
@click.option(
    "-o",
    "--output",
    type=FOLDER_OUT,
    default=Path("returns"),
    show_default=True,
    help="Folder for the return copies (by region and team) and the return lists; "
    "not inside INBOX.",
)
@click.option(
    "--roster",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Roster 花名册: whose file it is, and the team folder it goes into.",
)
@click.option(
    "--warnings",
    is_flag=True,
    help="Mark warnings too (yellow), and return files that only have warnings.",
)
@click.option(
    "--lang",
    type=click.Choice(["both", "zh", "en"]),
    default="both",
    show_default=True,
    help="Language of the notes and the To fix sheet.",
)
@click.option(
    "--as-of",
    type=DATE,
    help="Today, for dates in the future and the copies' names (default: today).",
)
@click.option("--workers", type=click.IntRange(min=1), help="Processes to read and write with.")
def command(
    inbox: tuple[Path, ...],
    period: Month | Week | None,
    output: Path,
    roster: Path | None,
    warnings: bool,
    lang: str,
    as_of: dt.date | None,
    workers: int | None,
) -> None:
    """Return every rep file with errors as a marked copy of the rep's own workbook.

    Each copy 退回件 keeps the rep's layout, values, formats, drop-downs,
    protection and macros; each problem cell is filled red (yellow for a
    warning) with a note 批注 saying what is wrong and how to fix it, and a
    待修改 To fix sheet comes first with a link to every problem. Copies are
    named <原文件名>_退回_<日期>.xlsx and sorted into region/team folders, each
    with a 退回清单 Return list for its leader (and one for all teams at the
    top). A CSV or .xls file comes back as an .xlsx of its values; a file that
    cannot be opened is listed, not copied. Originals are never changed. A
    corrected copy is sent back like any form: the marks are not read as data.

    Run again into the same folder, it removes the copies and lists it wrote
    there before that no longer stand (a file fixed since, a copy of an
    earlier day), and says which: it knows its own files by the record
    salesxl-returns.json it keeps there, and touches no other file. One
    changed since it was written is moved into "_过期 Outdated" instead;
    one open in Excel is left, with a warning.

    \b
    Example:
      salesxl return inbox/ --period 2026-11 --roster roster.xlsx -o returns/
      salesxl return inbox/ --period 2026-11 --warnings --lang zh -o returns/
    """
    result = return_inbox(
        list(inbox),
        output,
        period=period,
        roster=roster,
        today=as_of,
        warnings=warnings,
        lang=lang,
        workers=workers,
        progress=lambda n: progress(n, "Checking"),
    )
    echo_returns(result)
