"""The xlwings adapter behind the manager workbook's buttons (docs/manager.md).

Each button runs `RunPython "import salesxl.excel; salesxl.excel.<name>()"`.
The adapter only moves values: it reads the `设置 Settings` sheet, calls the
library functions the CLI calls, writes their results into the workbook's own
sheets, shows progress in the status bar and ends with a message box.  A
wrong setting or an output file that cannot be written gives a message in
Chinese and English, and nothing is written: `_run` is the one place a
SalesxlError becomes that message, naming the Settings row to change.

`book` is the calling workbook (`xlwings.Book.caller()`); tests pass a fake
with the same few members: `fullname`, `sheets[name]`, `app.status_bar`,
`app.alert`, and ranges with `value`, `number_format`, `color`, `clear()`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from salesxl.core.errors import SalesxlError
from salesxl.core.perf import thaw
from salesxl.excel.settings import (
    BY_REP_SHEET,
    CHASE_SHEET,
    ISSUES_SHEET,
    OVERVIEW_SHEET,
    SETTINGS,
    SETTINGS_SHEET,
    Grid,
    ManagerSettings,
    SettingsError,
    headline_text,
    hyperlink,
    read_settings,
    sheet_grid,
)

__all__ = ["consolidate", "return_copies", "split_targets", "validate"]

TITLE = "salesxl"
_SETTINGS_RANGE = "A1:B40"  # label / value pairs; the labels, not the rows, identify settings


def consolidate(book: Any = None) -> None:
    """汇总 Consolidate: the summary file, the result sheets, and the headline."""
    _run(book, _consolidate, need=("inbox",), store_ok=True)


def validate(book: Any = None) -> None:
    """校验 Validate: every problem in the forms, in the Issues sheet."""
    _run(book, _validate, need=("inbox",))


def split_targets(book: Any = None) -> None:
    """分解目标 Split targets: the targets input into the targets workbook."""
    _run(book, _split_targets, need=("targets_input", "targets"), outputs=("targets",))


def return_copies(book: Any = None) -> None:
    """退回 Return: a marked copy of every rep file with errors, and the return lists."""
    _run(book, _return_copies, need=("inbox",))


def _run(
    book: Any,
    work: Callable[[Any, ManagerSettings], str],
    *,
    need: tuple[str, ...],
    outputs: tuple[str, ...] = (),
    store_ok: bool = False,
) -> None:
    book = book if book is not None else _caller()
    try:
        settings = read_settings(
            _settings_pairs(book), _folder(book), need=need, outputs=outputs, store_ok=store_ok
        )
        message = work(book, settings)
    except SalesxlError as error:
        book.app.alert(error_message(error), title=TITLE, mode="critical")
    else:
        book.app.alert(message, title=TITLE, mode="info")
    finally:
        book.app.status_bar = False  # hand the status bar back to Excel
        thaw()  # Excel may keep this Python process for the next click (xlwings' UDF server)


# Where the fix for a setting goes when the Settings sheet has no row for it.
_ELSEWHERE = {
    "workdays": (
        "内置节假日日历不包含的年份，请用命令行 `salesxl consolidate --workdays` 提供工作日表",
        "run `salesxl consolidate --workdays` with a workdays sheet instead",
    )
}


def error_message(error: SalesxlError) -> str:
    """The message box text: Chinese, English, then the hint naming the Settings row to change."""
    lines = [error.message_zh, error.message_en]
    row = next((s for s in SETTINGS if s.key == error.setting), None)
    hint_zh, hint_en = error.hint_zh, error.hint_en
    if row is not None:
        hint_zh += f"（「{SETTINGS_SHEET}」表中的「{row.zh}」）"
        hint_en += f" (the '{row.en}' row of the {SETTINGS_SHEET} sheet)"
    elif error.setting in _ELSEWHERE:
        zh, en = _ELSEWHERE[error.setting]
        hint_zh, hint_en = (
            f"{hint_zh}；{zh}" if hint_zh else zh,
            f"{hint_en}; {en}" if hint_en else en,
        )
    if hint_zh.strip() or hint_en.strip():
        lines += ["", f"提示：{hint_zh.strip()}", f"Hint: {hint_en.strip()}"]
    return "\n".join(lines)


def _caller() -> Any:
    import xlwings  # only inside Excel: the rest is testable without xlwings

    return xlwings.Book.caller()


def _settings_pairs(book: Any) -> dict[Any, Any]:
    rows = book.sheets[SETTINGS_SHEET].range(_SETTINGS_RANGE).value or []
    return {label: value for label, value in rows if isinstance(label, str) and label.strip()}


def _folder(book: Any) -> Path:
    """The workbook's folder, where relative paths in the settings start."""
    try:
        name = str(book.fullname)  # xlwings maps OneDrive/SharePoint addresses to local paths
    except Exception as exc:  # xlwings raises its own error type when it cannot map a URL
        name = f"{exc}"
    if "://" in name or not Path(name).is_absolute():
        raise SettingsError(
            [
                (
                    f"无法确定工作簿所在的本地文件夹（{name}）。工作簿在 OneDrive/SharePoint 中时，"
                    "请在「xlwings.conf」表中填写 ONEDRIVE_CONSUMER_WIN、ONEDRIVE_COMMERCIAL_WIN 或 "
                    "SHAREPOINT_WIN，或在设置中使用完整路径。见 docs/manager.md。",
                    f"The workbook's local folder is unknown ({name}). For a workbook in OneDrive or "
                    "SharePoint, add ONEDRIVE_CONSUMER_WIN, ONEDRIVE_COMMERCIAL_WIN or SHAREPOINT_WIN "
                    "(…_MAC on a Mac) to the xlwings.conf sheet, or use full paths in the settings. "
                    "See docs/manager.md.",
                )
            ]
        )
    return Path(name).parent


# -- the buttons -----------------------------------------------------------------------------


def _consolidate(book: Any, settings: ManagerSettings) -> str:
    # loaded when the button runs: Excel waits on importing this module
    from salesxl.consolidate import consolidate_inbox
    from salesxl.consolidate.from_store import consolidate_store
    from salesxl.consolidate.sheets import issues_sheet
    from salesxl.consolidate.workbook import write_summary
    from salesxl.read.marks import Written
    from salesxl.write.xlsx import check_output

    app = book.app
    inputs = [p for p in (settings.roster, settings.targets, settings.passwords) if p is not None]
    # before reading: a summary open in Excel, or an output that must not be replaced, is said now
    check_output(settings.output, "汇总文件", written=Written.SUMMARY, inputs=inputs)
    passwords = _pack_passwords(settings)
    if settings.database:
        app.status_bar = "salesxl: 读取数据库 Reading the store…"
        summary = consolidate_store(
            settings.database,
            period=settings.period,
            roster=settings.roster,
            targets=settings.targets,
            as_of=settings.as_of,
            thresholds=settings.thresholds,
        )
    else:
        summary = consolidate_inbox(
            [settings.inbox],
            period=settings.period,
            roster=settings.roster,
            targets=settings.targets,
            as_of=settings.as_of,
            thresholds=settings.thresholds,
            progress=_status(app, "读取表单 Reading forms"),
            column_map=settings.column_map,
        )
    if settings.split_by and passwords is not None:  # a pack without one: before writing
        _check_passwords(summary, settings.split_by, passwords)
    app.status_bar = "salesxl: 保存汇总 Saving the summary…"
    write_summary(summary, settings.output, inputs=inputs)
    packs = _packs(book, settings, summary, passwords)
    app.status_bar = "salesxl: 写入结果 Writing the results…"
    base = settings.folder
    link = hyperlink(str(settings.output), settings.output.name)
    _show(
        book,
        OVERVIEW_SHEET,
        sheet_grid(summary.sheet("overview")).below([["完整汇总 Full summary", link]]),
    )
    _show(book, BY_REP_SHEET, sheet_grid(summary.sheet("by_rep")))
    _show(book, ISSUES_SHEET, sheet_grid(issues_sheet(summary.issues), base=base))
    message = headline_text(summary, settings.output)
    if settings.chase:
        chase = summary.sheet("chase")
        _show(book, CHASE_SHEET, sheet_grid(chase))
        owing = len(chase.rows)
        message += (
            f"\n\n催交 Chase: {owing} 人欠交报表 reps owe reports（见「{CHASE_SHEET}」表 "
            f"see the {CHASE_SHEET} sheet）"
            if owing
            else "\n\n催交 Chase: 无人欠交 nobody owes a report"
        )
    else:
        _note(book, CHASE_SHEET, "「催交名单」设置为否 The Chase list setting is no.")
    return message + packs


def _pack_passwords(settings: ManagerSettings) -> dict[str, str] | None:
    # the packs module loads the encryption library: only when packs are asked for
    from salesxl.consolidate.packs import read_passwords

    if settings.split_by is None or settings.passwords is None:
        return None
    return read_passwords(settings.passwords)


def _check_passwords(summary: Any, split_by: str, passwords: dict[str, str]) -> None:
    # the packs module loads the encryption library: only when packs are asked for
    from salesxl.consolidate.packs import check_passwords, pack_groups

    if summary.results is not None:
        check_passwords(pack_groups(summary.results, split_by), passwords)


def _packs(
    book: Any, settings: ManagerSettings, summary: Any, passwords: dict[str, str] | None
) -> str:
    """With 分包 Split by: one pack per leader beside the summary; their headlines."""
    if settings.split_by is None:
        return ""
    # the packs module loads the encryption library: only when packs are asked for
    from salesxl.consolidate.packs import write_packs

    book.app.status_bar = "salesxl: 保存分包 Saving the packs…"
    packs = write_packs(summary, settings.packs, split_by=settings.split_by, passwords=passwords)
    lines = [p.headline for p in packs]
    (settings.packs / "headlines.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    shown = "".join(f"\n• {line}" for line in lines[:10])
    more = f"\n… ({len(lines) - 10} more, headlines.txt)" if len(lines) > 10 else ""
    locked = sum(p.encrypted for p in packs)
    return (
        f"\n\n分包 Packs: {len(packs)}"
        + (f"（{locked} 份设了打开密码 with an open password）" if locked else "")
        + f"，保存在 saved in {settings.packs}{shown}{more}"
    )


def _validate(book: Any, settings: ManagerSettings) -> str:
    # loaded when the button runs: Excel waits on importing this module
    from salesxl.consolidate.sheets import issues_sheet
    from salesxl.core.issues import count_by_severity
    from salesxl.intake.inbox import read_inbox
    from salesxl.targets.checks import with_target_checks

    inbox = read_inbox(
        [settings.inbox],
        roster=settings.roster,
        period=settings.period,
        today=settings.as_of,
        progress=_status(book.app, "校验 Validating"),
        prepare=with_target_checks,
        column_map=settings.column_map,
    )
    empty = inbox.no_forms()
    issues = inbox.issues + ([empty] if empty is not None else [])
    _show(book, ISSUES_SHEET, sheet_grid(issues_sheet(issues), base=settings.folder))
    counts = count_by_severity(issues)
    n = len(inbox.files)
    return (
        f"已校验 {n} 个文件 Checked {n} file{'s' if n != 1 else ''}\n"
        f"错误 Errors: {counts.get('error', 0)}，警告 Warnings: {counts.get('warning', 0)}\n"
        f"详见「{ISSUES_SHEET}」表 See the {ISSUES_SHEET} sheet."
    )


def _split_targets(book: Any, settings: ManagerSettings) -> str:
    # loaded when the button runs: Excel waits on importing this module
    from salesxl.core.text import plural
    from salesxl.targets import split_file

    assert settings.targets_input is not None and settings.targets is not None  # in `need`
    book.app.status_bar = "salesxl: 分解目标 Splitting targets…"
    result = split_file(settings.targets_input, settings.targets, roster=settings.roster)
    warnings = "".join(f"\n• {w}" for w in result.warnings[:10])
    return (
        f"已分解 {result.units} 个单位的目标 Targets split for {plural(result.units, 'unit')}\n"
        f"保存到 Saved to: {result.output}" + (f"\n\n提示 Warnings:{warnings}" if warnings else "")
    )


def _return_copies(book: Any, settings: ManagerSettings) -> str:
    # loaded when the button runs: Excel waits on importing this module
    from salesxl.core.text import plural
    from salesxl.write.returns import return_inbox

    result = return_inbox(
        [settings.inbox],
        settings.returns,
        period=settings.period,
        roster=settings.roster,
        today=settings.as_of,
        progress=_status(book.app, "校验 Checking"),
    )
    unopened = sum(f.how == "not_opened" for f in result.files)
    earlier = ""
    tidied = result.tidied
    if tidied is not None and (tidied.removed or tidied.moved or tidied.kept):
        earlier = (
            f"\n旧退回件 Earlier runs' files: 已删除 removed {len(tidied.removed)}，"
            f"已移到 moved to 「_过期 Outdated」 {len(tidied.moved)}"
        )
        if tidied.kept:
            earlier += (
                "\n无法删除或移走（请关闭后重新运行）Could not remove or move aside (close and "
                "run again):" + "".join(f"\n  {t.path} — {t.error}" for t in tidied.kept)
            )
    return (
        f"已检查 {result.checked} 个文件 Checked {plural(result.checked, 'file')}\n"
        f"退回件 Return copies: {len(result.copies)}，无法打开 Could not be opened: {unopened}\n"
        f"保存在 Saved in: {result.folder}\n"
        f"退回清单 Return list: {result.lists[0]}" + earlier
    )


# -- writing into the workbook ------------------------------------------------------------


def _show(book: Any, name: str, grid: Grid) -> None:
    """Replace a result sheet's contents with `grid` (values first, then formats and colours)."""
    sheet = _sheet(book, name)
    sheet.clear()
    width = grid.width
    rows = [row + [None] * (width - len(row)) for row in grid.rows]
    sheet.range((1, 1)).value = rows
    sheet.range((1, 1), (1, width)).font.bold = True
    for first, col, last, fmt in grid.formats:
        sheet.range((first, col), (last, col)).number_format = fmt
    for row, rgb in grid.colours:
        sheet.range((row, 1), (row, width)).color = rgb
    sheet.autofit("columns")


def _sheet(book: Any, name: str) -> Any:
    """A result sheet; a workbook built before it existed (no 催交 Chase) gets it added."""
    try:
        return book.sheets[name]
    except Exception:  # xlwings raises its own error for a missing sheet
        return book.sheets.add(name, after=book.sheets[ISSUES_SHEET])


def _note(book: Any, name: str, text: str) -> None:
    """A result sheet emptied, with one line saying why."""
    sheet = _sheet(book, name)
    sheet.clear()
    sheet.range((1, 1)).value = [[text]]


def _status(app: Any, label: str) -> Callable[[int], contextlib.AbstractContextManager[Any]]:
    """A progress factory that counts files in Excel's status bar."""

    @contextlib.contextmanager
    def factory(total: int) -> Iterator[Callable[[int], None]]:
        done = 0
        every = max(1, total // 50)  # about fifty updates: each one crosses to Excel

        def step(n: int) -> None:
            nonlocal done
            before, done = done, done + n
            if done // every != before // every or done == total:
                app.status_bar = f"salesxl: {label} {done}/{total}"

        app.status_bar = f"salesxl: {label} 0/{total}"
        yield step

    return factory
