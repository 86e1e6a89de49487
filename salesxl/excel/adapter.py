"""The xlwings adapter behind the manager workbook's buttons (SPEC §8).

Each button runs `RunPython "import salesxl.excel; salesxl.excel.<name>()"`.
The adapter only moves values: it reads the `设置 Settings` sheet, calls the
library functions the CLI calls, writes their results into the workbook's own
sheets, shows progress in the status bar and ends with a message box.  A
wrong setting or an output file that cannot be written gives a message in
Chinese and English, and nothing is written.

`book` is the calling workbook (`xlwings.Book.caller()`); tests pass a fake
with the same few members: `fullname`, `sheets[name]`, `app.status_bar`,
`app.alert`, and ranges with `value`, `number_format`, `color`, `clear()`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from salesxl.excel.settings import (
    BY_REP_SHEET,
    ISSUES_SHEET,
    OVERVIEW_SHEET,
    SETTINGS_SHEET,
    Grid,
    ManagerSettings,
    SettingsError,
    headline_text,
    hyperlink,
    read_settings,
    sheet_grid,
)

__all__ = ["consolidate", "split_targets", "validate"]

TITLE = "salesxl"
_SETTINGS_RANGE = "A1:B40"  # label / value pairs; the labels, not the rows, identify settings


class Failed(Exception):
    """A known failure, already worded for the message box (Chinese, then English)."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.text = f"{zh}\n{en}"


def consolidate(book: Any = None) -> None:
    """汇总 Consolidate: the summary file, the result sheets, and the headline."""
    _run(book, _consolidate, need=("inbox",), store_ok=True)


def validate(book: Any = None) -> None:
    """校验 Validate: every problem in the forms, in the Issues sheet."""
    _run(book, _validate, need=("inbox",))


def split_targets(book: Any = None) -> None:
    """分解目标 Split targets: the targets input into the targets workbook."""
    _run(book, _split_targets, need=("targets_input", "targets"), outputs=("targets",))


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
    except SettingsError as exc:
        book.app.alert(
            "设置有误，请修改「设置 Settings」表：\nThe settings need fixing:\n\n" + exc.message(),
            title=TITLE,
            mode="critical",
        )
    except Failed as exc:
        book.app.alert(exc.text, title=TITLE, mode="critical")
    else:
        book.app.alert(message, title=TITLE, mode="info")
    finally:
        book.app.status_bar = False  # hand the status bar back to Excel


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


# -- the three buttons ---------------------------------------------------------------------


_SUMMARY_LOCKED = "无法保存汇总文件（是否已在 Excel 中打开？请关闭后重试）。"


def _consolidate(book: Any, settings: ManagerSettings) -> str:
    # loaded when the button runs: Excel waits on importing this module
    from salesxl.consolidate import TargetsError, consolidate_inbox
    from salesxl.consolidate.from_store import consolidate_store
    from salesxl.consolidate.sheets import issues_sheet
    from salesxl.consolidate.workbook import write_summary
    from salesxl.core.calendar import CalendarNotCovered
    from salesxl.intake.roster import RosterError
    from salesxl.store import StoreError
    from salesxl.write.xlsx import OutputError, check_output

    app = book.app
    try:  # before reading: a summary still open in Excel is said at once
        check_output(settings.output)
    except OutputError as exc:
        raise Failed(_SUMMARY_LOCKED, str(exc)) from None
    try:
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
    except StoreError as exc:
        raise Failed(
            "无法读取数据库（请检查「数据库」设置，或清空它直接读取收件箱）。",
            f"The store cannot be read: {exc}",
        ) from None
    except RosterError as exc:
        raise Failed("花名册无法使用。", f"The roster cannot be used: {exc}") from None
    except TargetsError as exc:
        raise Failed("目标文件无法使用。", f"The targets file cannot be used: {exc}") from None
    except CalendarNotCovered as exc:
        raise Failed(
            f"{exc.message_zh}然后在命令行运行 salesxl consolidate --workdays 文件.xlsx。",
            f"{exc.message_en} Then run `salesxl consolidate --workdays FILE` on the command line.",
        ) from None
    app.status_bar = "salesxl: 保存汇总 Saving the summary…"
    try:
        write_summary(summary, settings.output)
    except OutputError as exc:
        raise Failed(_SUMMARY_LOCKED, str(exc)) from None
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
    from salesxl.intake.roster import RosterError
    from salesxl.targets.checks import with_target_checks

    try:
        inbox = read_inbox(
            [settings.inbox],
            roster=settings.roster,
            period=settings.period,
            today=settings.as_of,
            progress=_status(book.app, "校验 Validating"),
            prepare=with_target_checks,
        )
    except RosterError as exc:
        raise Failed("花名册无法使用。", f"The roster cannot be used: {exc}") from None
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
    from salesxl.intake.roster import RosterError
    from salesxl.targets import TargetsError, split_file
    from salesxl.write.xlsx import OutputError

    assert settings.targets_input is not None and settings.targets is not None  # in `need`
    book.app.status_bar = "salesxl: 分解目标 Splitting targets…"
    try:
        result = split_file(settings.targets_input, settings.targets, roster=settings.roster)
    except (TargetsError, RosterError) as exc:
        raise Failed("目标输入有误。", str(exc)) from None
    except OutputError as exc:
        raise Failed("无法保存目标文件（是否已在 Excel 中打开？）。", str(exc)) from None
    warnings = "".join(f"\n• {w}" for w in result.warnings[:10])
    return (
        f"已分解 {result.units} 个单位的目标 Targets split for {plural(result.units, 'unit')}\n"
        f"保存到 Saved to: {result.output}" + (f"\n\n提示 Warnings:{warnings}" if warnings else "")
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
