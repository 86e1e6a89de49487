"""Build the manager's workbook `macros/salesxl_manager.xlsm` (docs/manager.md).

A macro-enabled workbook written with xlsxwriter: the `设置 Settings` sheet
(one row per setting of salesxl.excel.settings.SETTINGS, with validation and help)
and the buttons, the result sheets the adapter fills, and the
`xlwings.conf` sheet.  The VBA project is xlwings' standalone project with
the button module (salesxl.excel.vba.project), so the workbook needs no add-in.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import xlsxwriter
from python_calamine import CalamineError, CalamineWorkbook

from salesxl.core.version import __version__
from salesxl.excel.settings import (
    RESULT_SHEETS,
    SETTINGS,
    SETTINGS_SHEET,
    SETTINGS_TOP,
    XLWINGS_SHEET,
    setting_key,
)
from salesxl.excel.vba.project import BUTTONS, build_vba_project, xlwings_version
from salesxl.read.marks import Written, written_by
from salesxl.write.templates import FIXED_CREATED
from salesxl.write.xlsx import atomic_output, fit_width, mark, write_cell

__all__ = ["XLWINGS_KEYS", "build_manager_workbook", "filled_in_settings"]

# The keys of the xlwings.conf sheet, read by the embedded xlwings module from A1
# down to the first empty cell; an empty value means "xlwings' default" (python on PATH).
XLWINGS_KEYS = ("INTERPRETER_WIN", "INTERPRETER_MAC", "PYTHONPATH")

_XLWINGS_HELP = (
    "xlwings 读取 A1 起的键（直到第一个空行）。B 列留空：使用 PATH 上的 python。",
    "xlwings reads the keys from A1 down to the first empty row. Empty B: python on the PATH.",
    "INTERPRETER_WIN 例 Example: C:\\Users\\me\\AppData\\Local\\Programs\\Python\\Python312\\"
    "pythonw.exe",
    "INTERPRETER_MAC 例 Example: /Users/me/.venv/bin/python",
    "PYTHONPATH: 只在 salesxl 未安装到该解释器时填写 Only when salesxl is not installed "
    "in that interpreter",
    "注意 Note: 此处的值优先于 ~/.xlwings/xlwings.conf. Values here override "
    "~/.xlwings/xlwings.conf.",
    "说明 Help: docs/manager.md",
)

_VALIDATION: dict[str, dict[str, Any]] = {
    "oral": {"validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 10},
    "written": {"validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 10},
    "as_of": {"validate": "date", "criteria": ">=", "value": FIXED_CREATED.replace(year=2000)},
}


def filled_in_settings(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The settings (by key) and xlwings.conf values (by key) filled in the manager workbook
    at `path`, to be kept when it is built again (after an upgrade); nothing when `path` is
    not such a workbook."""
    if not Path(path).is_file() or written_by(Path(path)) is not Written.MANAGER:
        return {}, {}
    try:
        book = CalamineWorkbook.from_path(str(path))
        settings = book.get_sheet_by_name(SETTINGS_SHEET).to_python()
        conf = book.get_sheet_by_name(XLWINGS_SHEET).to_python()
    except (CalamineError, OSError, ValueError):
        return {}, {}
    values: dict[str, Any] = {}
    for row in settings:
        if len(row) < 2 or row[1] in ("", None):
            continue
        key = setting_key(row[0])
        if key is not None and key not in values:
            values[key] = row[1]
    interpreter = {
        str(row[0]).strip(): row[1]
        for row in conf
        if len(row) >= 2 and str(row[0]).strip() in XLWINGS_KEYS and row[1] not in ("", None)
    }
    return values, interpreter


def build_manager_workbook(
    path: Path,
    *,
    values: Mapping[str, Any] | None = None,
    conf: Mapping[str, Any] | None = None,
) -> Path:
    """Write the manager workbook to `path` (atomically); `values` pre-fill settings by key,
    `conf` the xlwings.conf sheet (the interpreter's path) by key."""
    vba = build_vba_project()
    filled = {s.key: s.default for s in SETTINGS} | dict(values or {})
    with atomic_output(Path(path), "管理工作簿", written=Written.MANAGER) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False})
        wb.set_properties(
            {
                "title": "salesxl 汇总工作簿 Manager workbook",
                "created": FIXED_CREATED,
                "comments": f"salesxl {__version__}, xlwings {xlwings_version()}",
            }
        )
        mark(wb, Written.MANAGER)
        wb.add_vba_project(io.BytesIO(vba), is_stream=True)
        wb.set_vba_name("ThisWorkbook")
        formats = _Formats(wb)
        settings = wb.add_worksheet(SETTINGS_SHEET)
        settings.set_vba_name("Sheet1")
        _settings_sheet(settings, formats, filled)
        for number, (name, note) in enumerate(RESULT_SHEETS.items(), start=3):
            sheet = wb.add_worksheet(name)
            sheet.set_vba_name(f"Sheet{number}")
            sheet.write(0, 0, note, formats.note)
            sheet.set_column(0, 0, 60)
        sheet_conf = wb.add_worksheet(XLWINGS_SHEET)
        sheet_conf.set_vba_name("Sheet2")
        _xlwings_sheet(sheet_conf, formats, conf or {})
        settings.activate()
        wb.close()
    return Path(path)


class _Formats:
    def __init__(self, wb: Any) -> None:
        self.title = wb.add_format({"bold": True, "font_size": 14})
        self.head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        self.label = wb.add_format({"bold": True, "border": 1, "valign": "top"})
        self.input = wb.add_format(
            {
                "bg_color": "#FFF2CC",
                "border": 1,
                "locked": False,
                "num_format": "@",
                "valign": "top",
            }
        )
        self.number = wb.add_format(
            {
                "bg_color": "#FFF2CC",
                "border": 1,
                "locked": False,
                "num_format": "0.00",
                "align": "left",
                "valign": "top",
            }
        )
        self.date = wb.add_format(
            {
                "bg_color": "#FFF2CC",
                "border": 1,
                "locked": False,
                "num_format": "yyyy-mm-dd",
                "align": "left",
                "valign": "top",
            }
        )
        self.help = wb.add_format(
            {"text_wrap": True, "font_color": "#595959", "border": 1, "valign": "top"}
        )
        self.note = wb.add_format({"italic": True, "font_color": "#595959"})
        self.key = wb.add_format({"bold": True})


def _settings_sheet(ws: Any, f: _Formats, values: Mapping[str, Any]) -> None:
    ws.write(0, 0, "salesxl 汇总工作簿 Manager workbook", f.title)
    ws.write(1, 0, "填写黄色单元格，然后点击按钮。相对路径以本工作簿所在文件夹为准。", f.note)
    ws.write(
        2,
        0,
        "Fill in the yellow cells, then click a button. Relative paths start at this "
        "workbook's folder.",
        f.note,
    )
    top = SETTINGS_TOP
    for col, text in enumerate(("设置 Setting", "值 Value", "说明 Help")):
        ws.write(top - 1, col, text, f.head)
    for row, s in enumerate(SETTINGS, start=top):
        ws.write(row, 0, s.label, f.label)
        value = values.get(s.key)
        fmt = {"oral": f.number, "written": f.number, "as_of": f.date}.get(s.key, f.input)
        if value in (None, ""):
            ws.write_blank(row, 1, None, fmt)
        else:
            write_cell(ws, row, 1, value, fmt)
        ws.write(row, 2, f"{s.help_zh}\n{s.help_en}", f.help)
        ws.set_row(row, 32)
        rule = _VALIDATION.get(s.key, {"validate": "any"})
        ws.data_validation(
            row,
            1,
            row,
            1,
            {
                **rule,
                "ignore_blank": True,
                "input_title": s.zh[:32],
                "input_message": f"{s.help_zh}\n{s.help_en}"[:255],
                "error_title": "salesxl",
                "error_message": f"{s.help_zh}\n{s.help_en}"[:255],
            },
        )
    ws.set_column(0, 0, fit_width([s.label for s in SETTINGS]))
    ws.set_column(1, 1, 34)
    ws.set_column(2, 2, 64)
    ws.set_column(3, 3, 3)
    ws.set_column(4, 4, 30)
    for i, button in enumerate(BUTTONS):
        ws.insert_button(
            top - 1 + 3 * i,
            4,
            {
                "macro": button.name,
                "caption": f"{button.caption_zh} {button.caption_en}",
                "width": 200,
                "height": 52,
            },
        )
    after = top + len(SETTINGS) + 1
    ws.write(
        after,
        0,
        "结果 Results: " + "、".join(RESULT_SHEETS) + "；完整汇总保存在「输出文件」。",
        f.note,
    )
    ws.write(
        after + 1,
        0,
        "The full summary workbook is saved as the Output file. "
        "Set-up and troubleshooting: docs/manager.md",
        f.note,
    )
    ws.freeze_panes(top, 0)
    ws.print_area(0, 0, after + 1, 4)  # with the buttons' column
    _print_on_one_page(ws)


def _print_on_one_page(ws: Any) -> None:
    ws.set_landscape()
    ws.fit_to_pages(1, 1)


def _xlwings_sheet(ws: Any, f: _Formats, values: Mapping[str, Any]) -> None:
    for row, key in enumerate(XLWINGS_KEYS):
        ws.write(row, 0, key, f.key)
        write_cell(ws, row, 1, values.get(key), f.input)
    for row, text in enumerate(_XLWINGS_HELP):
        ws.write(row, 3, text, f.note)
    ws.set_column(0, 0, 20)
    ws.set_column(1, 1, 50)
    _print_on_one_page(ws)
