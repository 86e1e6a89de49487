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
from salesxl.excel.settings import (
    BY_REP_SHEET,
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
    inputs = [p for p in (settings.roster, settings.targets) if p is not None]
    # before reading: a summary open in Excel, or an output that must not be replaced, is said now
    check_output(settings.output, "汇总文件", written=Written.SUMMARY, inputs=inputs)
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
        )
    app.status_bar = "salesxl: 保存汇总 Saving the summary…"
    write_summary(summary, settings.output, inputs=inputs)
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
    return headline_text(summary, settings.output)


def _validate(book: Any, settings: ManagerSettings) -> str:
    # loaded when the button runs: Excel waits on importing this module
    from salesxl.consolidate.sheets import issues_sheet
    from salesxl.core.issues import count_by_severity
    from salesxl.intake.inbox import read_inbox

    inbox = read_inbox(
        [settings.inbox],
        roster=settings.roster,
        period=settings.period,
        today=settings.as_of,
        progress=_status(book.app, "校验 Validating"),
    )
    issues = inbox.issues
    _show(book, ISSUES_SHEET, sheet_grid(issues_sheet(issues), base=settings.folder))
    counts = count_by_severity(issues)
    return (
        f"已校验 {len(inbox.files)} 个文件 Checked {len(inbox.files)} files\n"
        f"错误 Errors: {counts.get('error', 0)}，警告 Warnings: {counts.get('warning', 0)}\n"
        f"详见「{ISSUES_SHEET}」表 See the {ISSUES_SHEET} sheet."
    )


def _split_targets(book: Any, settings: ManagerSettings) -> str:
    # loaded when the button runs: Excel waits on importing this module
    from salesxl.targets import split_file

    assert settings.targets_input is not None and settings.targets is not None  # in `need`
    book.app.status_bar = "salesxl: 分解目标 Splitting targets…"
    result = split_file(settings.targets_input, settings.targets, roster=settings.roster)
    warnings = "".join(f"\n• {w}" for w in result.warnings[:10])
    return (
        f"已分解 {result.units} 个单位的目标 Targets split for {result.units} units\n"
        f"保存到 Saved to: {result.output}" + (f"\n\n提示 Warnings:{warnings}" if warnings else "")
    )


def _return_copies(book: Any, settings: ManagerSettings) -> str:
    # loaded when the button runs: Excel waits on importing this module
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
    return (
        f"已检查 {result.checked} 个文件 Checked {result.checked} files\n"
        f"退回件 Return copies: {len(result.copies)}，无法打开 Could not be opened: {unopened}\n"
        f"保存在 Saved in: {result.folder}\n"
        f"退回清单 Return list: {result.lists[0]}"
    )


# -- writing into the workbook ------------------------------------------------------------


def _show(book: Any, name: str, grid: Grid) -> None:
    """Replace a result sheet's contents with `grid` (values first, then formats and colours)."""
    sheet = book.sheets[name]
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
