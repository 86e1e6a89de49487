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
from salesxl.write.return_record import OUTDATED_FOLDER, RECORD_NAME, TakenBack, Tidied
from salesxl.write.returns import Returns, return_inbox

__all__ = ["command", "echo_returns", "echo_tidied"]


def _say(lang: str, zh: str, en: str, both: str | None = None) -> str:
    """A console line in `lang`: zh, en, or under both the English with Chinese labels."""
    return zh if lang == "zh" else en if lang == "en" or both is None else both


def echo_returns(result: Returns, lang: str = "both") -> None:
    """Who gets what back, and where the copies and lists are, in `lang` (zh, en, both)."""
    copies = len(result.copies)
    unopened = sum(f.how == "not_opened" for f in result.files)
    n = len(result.files)
    back = "goes back to its rep" if n == 1 else "go back to their reps"
    en = (
        f"{plural(result.checked, 'file')} checked: {n} {back} "
        f"({plural(copies, 'return copy', 'return copies')}{{label}}, {unopened} could not be "
        "opened)"
    )
    click.echo(
        _say(
            lang,
            f"已检查 {result.checked} 个文件：{n} 个退回给销售员（{copies} 个退回件，"
            f"{unopened} 个无法打开）",
            en.format(label=""),
            en.format(label=" 退回件"),
        )
    )
    for f in result.files:
        who = " ".join(x for x in (f.rep_id, f.rep_name) if x) or "?"
        zh_how, en_how = HOW_LABELS[f.how]
        copy = str(f.copy) if f.copy is not None else None
        counts_en = f"{plural(f.errors, 'error')}, {plural(f.warnings, 'warning')}"
        click.echo(
            _say(
                lang,
                f"  {who:<14} 错误 {f.errors} 个，警告 {f.warnings} 个 → {copy or zh_how}",
                f"  {who:<14} {counts_en} → {copy or en_how}",
            )
        )
    teams = len(result.lists) - 1
    click.echo(
        _say(
            lang,
            f"  退回清单: {result.lists[0]}" + (f"（另有各团队的 {teams} 份）" if teams else ""),
            f"  return list: {result.lists[0]}"
            + (f" (and one per team: {teams})" if teams else ""),
            f"  return list 退回清单: {result.lists[0]}"
            + (f" (and one per team: {teams})" if teams else ""),
        )
    )
    if result.empty is not None:  # an empty inbox (a wrong folder) is said
        zh, en = result.empty.message_zh, result.empty.message_en
        lines = {"zh": [f"  警告: {zh}"], "en": [f"  warning: {en}"]}
        for line in lines.get(lang, [f"  warning 警告: {zh}", f"  {en}"]):
            click.echo(line)
    if result.tidied is not None:
        echo_tidied(result.tidied, result.folder, lang)


_WHY = {
    "fixed": ("现在它的文件没有需要退回的内容", "nothing to return for its file now"),
    "replaced": ("已被本次的退回件取代", "replaced by this run's copy"),
    "list": ("较早的退回清单", "an earlier return list"),
    "rewritten": ("本次以同一文件名重新写入", "written again under the same name"),
}


def echo_tidied(tidied: Tidied, folder: Path, lang: str = "both") -> None:
    """What became of the files earlier runs wrote into the folder: removed, moved aside,
    or still there (open in Excel), and look-alikes no record vouches for."""
    if tidied.unreadable_record:
        click.echo(
            _say(
                lang,
                f"  警告：记录文件 {folder / RECORD_NAME} 无法读取（{tidied.unreadable_record}）："
                "没有删除任何旧退回件；已写入新的记录",
                f"  warning: the record {folder / RECORD_NAME} could not be read "
                f"({tidied.unreadable_record}): no earlier return copy was removed; a new record "
                "is written",
            ),
            err=True,
        )
    taken = [*tidied.removed, *tidied.moved, *tidied.kept]
    if taken:
        click.echo(
            _say(
                lang,
                f"  {folder} 中以前运行留下的文件：",
                f"  earlier runs' files in {folder}:",
                f"  earlier runs' files 旧退回件 in {folder}:",
            )
        )
    for t in tidied.removed:
        shown, why = _shown(t.path, folder), _why(t, lang)
        click.echo(
            _say(
                lang,
                f"    已删除: {shown}（{why}）",
                f"    removed: {shown} ({why})",
                f"    removed 已删除: {shown} ({why})",
            )
        )
    for t in tidied.moved:
        shown, to, why = _shown(t.path, folder), _shown(t.moved_to, folder), _why(t, lang)
        not_en, not_zh = ("written over", "覆盖") if t.why == "rewritten" else ("deleted", "删除")
        en = f"{shown} → {to} ({why}; changed since salesxl wrote it, so not {not_en})"
        click.echo(
            _say(
                lang,
                f"    已移走: {shown} → {to}（{why}；salesxl 写入后被修改过，所以没有{not_zh}）",
                f"    moved aside: {en}",
                f"    moved aside 已移走: {en}",
            )
        )
    for t in tidied.kept:
        why = _why(t, lang)
        if t.why == "rewritten":
            listed = t.entry.kind == "list"
            old_zh, old_en = ("退回清单", "return list") if listed else ("退回件", "return copy")
            click.echo(
                _say(
                    lang,
                    f"  警告：{t.path} 在 salesxl 写入后被修改过，且无法移到 {OUTDATED_FOLDER}"
                    f"（{t.error}）：没有重新写入，它仍是旧的{old_zh}；请关闭它后重新运行",
                    f"  warning: {t.path} changed since salesxl wrote it and could not be moved "
                    f"into {OUTDATED_FOLDER} ({t.error}): not written again, it is the old "
                    f"{old_en}; close it and run again",
                ),
                err=True,
            )
            continue
        click.echo(
            _say(
                lang,
                f"  警告：无法删除 {t.path}（{why}）：{t.error}；请关闭它后重新运行，"
                "或手动删除：它已过期",
                f"  warning: could not remove {t.path} ({why}): {t.error}; close it and run "
                "again, or delete it by hand: it is out of date",
            ),
            err=True,
        )
    if tidied.unrecorded:
        count = len(tidied.unrecorded)
        shown = ", ".join(_shown(p, folder) for p in tidied.unrecorded[:5])
        more_en = f" and {count - 5} more" if count > 5 else ""
        more_zh = f" 等 {count} 个" if count > 5 else ""
        one = count == 1
        click.echo(
            _say(
                lang,
                f"  提示：{folder} 中有 {count} 个文件看起来像以前的退回件或退回清单，但没有记录表明"
                f"是本命令写入的，所以保持原样：{shown}{more_zh}；如已过期请手动删除",
                f"  note: {plural(count, 'file')} in {folder} "
                + (
                    "looks like an earlier return copy or list, but no record says this command "
                    "wrote it, so it is left as it is"
                    if one
                    else "look like earlier return copies or lists, but no record says this "
                    "command wrote them, so they are left as they are"
                )
                + f": {shown}{more_en}; delete any that are out of date by hand",
            ),
            err=True,
        )


def _why(t: TakenBack, lang: str = "both") -> str:
    who = f"{t.entry.rep}: " if t.entry.rep and t.why != "list" else ""
    zh, en = _WHY.get(t.why, (t.why, t.why))
    return who + (zh if lang == "zh" else en)


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
    help="Language of the notes, the To fix sheet and what is printed (both: English with "
    "Chinese labels).",
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
    one open in Excel is left, with a warning. A copy rewritten under the
    same name (a rerun on the same day) never overwrites notes saved into
    it: with nothing new to mark it is left as it is, otherwise it is moved
    into "_过期 Outdated" first.

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
    echo_returns(result, lang)
