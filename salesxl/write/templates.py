"""Write a form as an Excel workbook: the blank template, or one filled for a rep.

Everything comes from the form description (docs/forms.md): the header block, a
bold frozen header row with the Chinese label over the English one, fitted
widths, data validation with bilingual input messages (drop-downs read from
the hidden `_lists` sheet), input cells unlocked and the rest protected
without a password, a `说明 Instructions` sheet, one defined name per
column, and the hidden `_form` sheet with the form id and schema version.

`write_form` also serves `salesxl forms issue` and the demo: header values
can be pre-filled (and locked), rows written, and lists such as the rep's
customers given.  Every formula carries its computed value (README.md "For managers").
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from salesxl.core.periods import Month, Week
from salesxl.core.version import __version__
from salesxl.forms import FORMS, Field, FieldType, Form, Role, Table
from salesxl.forms.formula import Ref, count_text, evaluate, parse, render, render_text_count
from salesxl.forms.marks import INSTRUCTIONS_NAMES
from salesxl.intake.files import load_form
from salesxl.read.marks import Written, written_by
from salesxl.write.output import OutputError, check_folder
from salesxl.write.xlsx import atomic_output, display_width, fit_width, mark, write_cell

__all__ = [
    "FIXED_CREATED",
    "SUGGESTED_LISTS",
    "FormJob",
    "build_templates",
    "field_help",
    "filled_in_rows",
    "refuse_filled_in",
    "write_blank",
    "write_form",
    "write_forms",
]

# Templates are checked in; a fixed creation time makes them byte-for-byte reproducible.
FIXED_CREATED = dt.datetime(2026, 1, 1)
LIST_SHEET = "_lists"
META_SHEET = "_form"
MONEY_FORMAT = "¥#,##0.00"
# Formula cells show nothing instead of 0 (the day close row before a date is typed).
FORMULA_MONEY_FORMAT = "¥#,##0.00;-¥#,##0.00;;@"
DATE_FORMAT = "yyyy-mm-dd"
# 本月进度 beside the daily report's header block, in columns D:E.  Not the header
# labels themselves, so the reader never takes these for the header.
_PROGRESS_LABELS = (
    ("本月累计 Amount so far", "Amount so far"),
    ("目标 Target", "Target"),
    ("完成率 Completion", "Completion"),
    ("文字金额（未计入）Amounts as text", "Amounts as text"),
)
_PROGRESS_COL = 3
# The error alert of a money cell (warning style: the rep may keep the text anyway).
_NUMBER_EXPECTED = (
    "请输入数字，例如 12000。写成「1.2万」「¥3,500」等文字时，表中的公式（本月进度、今日成交）不会计入。",
    "Type a number, e.g. 12000. Text such as 1.2万 or ¥3,500 is not summed by this "
    "sheet's formulas (progress, today's sales).",
)
_RULES_WIDTH = 90  # the Instructions sheet's rules column
_PROGRESS_VALUE_WIDTH = 15  # ¥12,345,678.00 without ####
# Drop-downs of names given when forms are issued (`write_form(lists=...)`), by field.
SUGGESTED_LISTS: dict[str, str] = {Role.PRODUCT: "products", Role.CUSTOMER: "customers"}

# Header values kept as typed text: Excel would turn 2026-11 into a date.
_TEXT_VALUES = frozenset({FieldType.TEXT, FieldType.MONTH, FieldType.WEEK})

_TYPE_ZH = {
    FieldType.TEXT: "文本",
    FieldType.DATE: "日期",
    FieldType.NUMBER: "数字",
    FieldType.INTEGER: "整数",
    FieldType.MONEY: "金额",
    FieldType.PERCENT: "百分比",
    FieldType.PHONE: "电话",
    FieldType.CHOICE: "下拉选择",
    FieldType.MONTH: "月份 YYYY-MM",
    FieldType.WEEK: "周 2026-W48",
    FieldType.MONTH_OR_DATE: "月份或日期",
    FieldType.RAMP: "百分比序列",
    FieldType.NUMBERS: "数字序列",
}


def field_help(f: Field, lang: str = "zh") -> str:
    """A short description of what goes into a field, for input messages and docs."""
    zh: list[str] = []
    en: list[str] = []
    if f.required:
        zh.append("必填")
        en.append("Required")
    else:
        zh.append("选填")
        en.append("Optional")
    if f.help_zh:
        zh.append(f.help_zh)
        en.append(f.help_en)
    if f.choices is not None:
        zh.append("可选：" + "/".join(f.choices.labels("zh")))
        en.append("One of: " + "/".join(f.choices.labels("en")))
    elif f.type is FieldType.DATE:
        zh.append("日期，如 2026-11-03")
        en.append("A date, e.g. 2026-11-03")
    elif f.type in (FieldType.MONEY, FieldType.NUMBER, FieldType.INTEGER):
        kind_zh, kind_en = (
            ("整数", "A whole number") if f.type is FieldType.INTEGER else ("数字", "A number")
        )
        if f.min is not None and f.max is not None:
            zh.append(f"{kind_zh}，{f.min:g} 到 {f.max:g}")
            en.append(f"{kind_en} from {f.min:g} to {f.max:g}")
        else:
            zh.append(kind_zh + (f"，不小于 {f.min:g}" if f.min is not None else ""))
            en.append(kind_en + (f" ≥ {f.min:g}" if f.min is not None else ""))
    elif f.type is FieldType.PHONE:
        zh.append("手机 11 位或座机 0xx-xxxxxxxx")
        en.append("CN mobile (11 digits) or landline 0xx-xxxxxxxx")
    elif (
        f.type in (FieldType.MONTH, FieldType.WEEK, FieldType.RAMP, FieldType.NUMBERS) and f.example
    ):
        zh.append(f"如 {f.example}")
        en.append(f"e.g. {f.example}")
    if lang == "zh":
        return "；".join(zh) + (" / " + "; ".join(en) if en else "")
    return "; ".join(en)


@dataclass(slots=True)
class _Place:
    """Where a table sits: its sheet and rows (0-based)."""

    sheet: str
    header_row: int
    first_row: int
    last_row: int
    columns: dict[str, int]


class _FormWriter:
    def __init__(
        self,
        wb: xlsxwriter.Workbook,
        form: Form,
        lang: str,
        lists: Mapping[str, Sequence[str]],
        header: Mapping[str, Any],
        lock_header: bool,
        rows: Mapping[str, Sequence[Mapping[str, Any]]],
    ) -> None:
        self.wb, self.form, self.lang = wb, form, lang
        self.header, self.lock_header, self.rows = header, lock_header, rows
        self.places: dict[str, _Place] = {}
        self.block_width = 0.0
        self.header_cells: dict[str, str] = {}
        self.fmt = self._formats()
        self.list_sources = self._plan_lists(lists)

    # -- formats --------------------------------------------------------------

    def _formats(self) -> dict[str, Any]:
        add = self.wb.add_format
        base = {"font_name": "Microsoft YaHei", "font_size": 10, "valign": "vcenter"}
        unlocked = {**base, "locked": False}
        return {
            "title": add({**base, "bold": True, "font_size": 14}),
            "label": add({**base, "bold": True, "bg_color": "#EEF3FA", "border": 1}),
            "head": add(
                {
                    **base,
                    "bold": True,
                    "bg_color": "#DCE6F1",
                    "border": 1,
                    "text_wrap": True,
                    "align": "center",
                }
            ),
            "text": add({**unlocked, "num_format": "@"}),
            "plain": add(base),
            "wrap": add({**base, "text_wrap": True, "valign": "top"}),
            "date": add({**unlocked, "num_format": DATE_FORMAT}),
            "money": add({**unlocked, "num_format": MONEY_FORMAT}),
            "number": add({**unlocked, "num_format": "General"}),
            "integer": add({**unlocked, "num_format": "0"}),
            "percent": add({**unlocked, "num_format": "0.0%"}),
            "formula": add({**base, "num_format": FORMULA_MONEY_FORMAT, "bg_color": "#F2F2F2"}),
            "locked_value": add({**base, "bg_color": "#F2F2F2", "border": 1}),
            "locked_date": add(
                {**base, "bg_color": "#F2F2F2", "border": 1, "num_format": DATE_FORMAT}
            ),
            "locked_money": add(
                {**base, "bg_color": "#F2F2F2", "border": 1, "num_format": MONEY_FORMAT}
            ),
            "value": add({**unlocked, "border": 1, "bg_color": "#FFFDE7"}),
            "value_text": add({**unlocked, "border": 1, "bg_color": "#FFFDE7", "num_format": "@"}),
            "value_pct": add({**base, "border": 1, "num_format": "0.0%", "bg_color": "#F2F2F2"}),
            "locked_count": add({**base, "bg_color": "#F2F2F2", "border": 1, "num_format": "0"}),
            "alarm": add({"bg_color": "#FFC7CE", "font_color": "#9C0006", "bold": True}),
        }

    def _cell_format(self, f: Field) -> Any:
        kind = f.type
        if kind is FieldType.DATE:
            return self.fmt["date"]
        if kind is FieldType.MONEY:
            return self.fmt["money"]
        if kind is FieldType.INTEGER:
            return self.fmt["integer"]
        if kind is FieldType.NUMBER:
            return self.fmt["number"]
        if kind is FieldType.PERCENT:
            return self.fmt["percent"]
        return self.fmt["text"]

    # -- lists ----------------------------------------------------------------

    def _plan_lists(self, lists: Mapping[str, Sequence[str]]) -> dict[str, str]:
        """Lay out `_lists`: one column per choice list; returns list name -> range."""
        self.list_columns: dict[str, list[str]] = {}
        for f in self._all_fields():
            if f.choices is not None:
                self.list_columns.setdefault(f.choices.name, f.choices.labels(self.lang))
        for name, values in lists.items():
            if values:
                self.list_columns[name] = [str(v) for v in values]
        for ref in _formula_choices(self.form):  # what a formula's choice criterion matches
            self.list_columns[_list_name(ref)] = list(self._spellings(ref))
        sources = {}
        for c, (name, values) in enumerate(self.list_columns.items()):
            letter = xl_col_to_name(c)
            sources[name] = f"={LIST_SHEET}!${letter}$2:${letter}${len(values) + 1}"
        return sources

    def _lists_sheet(self) -> None:
        ws = self.wb.add_worksheet(LIST_SHEET)
        ws.hide()
        for c, (name, values) in enumerate(self.list_columns.items()):
            ws.write_string(0, c, name)
            for r, value in enumerate(values, start=1):
                ws.write_string(r, c, value)
            self.wb.define_name(f"list_{name}", self.list_sources[name])

    def _all_fields(self) -> list[Field]:
        return [*self.form.header, *(f for t in self.form.tables for f in t.fields)]

    # -- labels and validation ----------------------------------------------------

    def _label(self, f: Field, *, stacked: bool) -> str:
        star = "*" if f.required else ""
        if self.lang == "en":
            return f"{f.en}{star}"
        return f"{f.zh}{star}\n{f.en}" if stacked else f"{f.zh}{star} {f.en}"

    def _choice_label(self, f: Field, value: Any) -> Any:
        """A choice code as its drop-down label; anything else as given (the demo's mistakes)."""
        if f.choices is None or value is None:
            return value
        try:
            return f.choices.by_code(str(value)).label(self.lang, with_code=f.choices.show_code)
        except KeyError:
            return value

    def _validate(
        self, ws: Any, first: int, last: int, col: int, f: Field, period: Month | Week | None
    ) -> None:
        title = (f.zh if self.lang == "zh" else f.en)[:32]
        message = field_help(f, self.lang)[:255]
        options: dict[str, Any] = {
            "input_title": title,
            "input_message": message,
            "error_type": "warning",
            "error_title": title,
            "error_message": message,
        }
        kind = f.type
        source = self.list_sources.get(
            f.choices.name if f.choices else SUGGESTED_LISTS.get(f.key, "")
        )
        if source:
            options.update(validate="list", source=source)
        elif kind is FieldType.DATE:
            low, high = dt.date(2000, 1, 1), dt.date(2100, 12, 31)
            if f.in_period and period is not None:
                low, high = period.days()[0], period.days()[-1]
            options.update(
                validate="date",
                criteria="between",
                minimum=dt.datetime.combine(low, dt.time()),
                maximum=dt.datetime.combine(high, dt.time()),
            )
        elif kind in (FieldType.MONEY, FieldType.NUMBER, FieldType.INTEGER) and f.min is not None:
            options.update(
                validate="integer" if kind is FieldType.INTEGER else "decimal",
                criteria="between" if f.max is not None else ">=",
                **({"minimum": f.min, "maximum": f.max} if f.max is not None else {"value": f.min}),
            )
            if kind is FieldType.MONEY:  # text is read by salesxl but not summed by Excel
                zh, en = _NUMBER_EXPECTED
                options.update(
                    error_title="请输入数字 Number expected"
                    if self.lang == "zh"
                    else "Number expected",
                    error_message=f"{zh} / {en}" if self.lang == "zh" else en,
                )
        else:
            options.update(validate="any")
        ws.data_validation(first, col, last, col, options)

    # -- sheets -----------------------------------------------------------------

    @staticmethod
    def _page(ws: Any, *, repeat_row: int | None = None) -> None:
        """Printed on A4 landscape, one page wide, the label row repeated on every page."""
        ws.set_paper(9)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
        if repeat_row is not None:
            ws.repeat_rows(repeat_row)

    def write(self) -> None:
        form = self.form
        header_sheet = None
        if form.header_sheet is not None:
            zh, en = form.header_sheet
            header_sheet = self.wb.add_worksheet(f"{zh} {en}" if self.lang == "zh" else en)
        sheets: dict[str, Any] = {}
        for table in form.tables:
            sheets[table.key] = self.wb.add_worksheet(table.sheet_title(self.lang))
        # Place every table first: formulas may refer to another table's columns.
        for table in form.tables:
            has_block = form.header and form.header_table == table.key
            header_row = len(form.header) + 2 if has_block else (0 if not form.header else 2)
            n_rows = max(table.input_rows, len(self.rows.get(table.key, ())) + 50)
            self.places[table.key] = _Place(
                sheets[table.key].name,
                header_row,
                header_row + 1,
                header_row + n_rows,
                {f.key: c for c, f in enumerate(table.fields)},
            )
        period = self._period()
        if header_sheet is not None:
            self._settings_sheet(header_sheet)
        for table in form.tables:
            ws = sheets[table.key]
            if form.header and form.header_table == table.key:
                self._header_block(ws)
            elif form.header:
                ws.write_string(
                    0,
                    0,
                    f"{form.zh} {table.zh} {table.en}"
                    if self.lang == "zh"
                    else f"{form.en}: {table.en}",
                    self.fmt["title"],
                )
            self._table(ws, table, period)
        if form.progress is not None:
            self._progress_block(sheets[form.progress.table])
        self._instructions()
        self._lists_sheet()
        self._meta()

    def _period(self) -> Month | Week | None:
        value = self.header.get(self.form.period_field or "")
        return value if isinstance(value, (Month, Week)) else None

    def _header_block(self, ws: Any) -> None:
        form = self.form
        ws.write_string(
            0, 0, f"{form.zh} {form.en}" if self.lang == "zh" else form.en, self.fmt["title"]
        )
        for i, f in enumerate(form.header, start=1):
            ws.write_string(i, 0, self._label(f, stacked=False), self.fmt["label"])
            self._header_value(ws, i, 1, f)
        self.block_width = fit_width([self._label(f, stacked=False) for f in form.header])

    def _settings_sheet(self, ws: Any) -> None:
        ws.write_string(0, 0, f"{self.form.zh} {self.form.en}", self.fmt["title"])
        for i, f in enumerate(self.form.header, start=1):
            ws.write_string(i, 0, self._label(f, stacked=False), self.fmt["label"])
            self._header_value(ws, i, 1, f)
            # Help sits one column away so it is never read as the value.
            ws.write_string(i, 3, field_help(f, self.lang), self.fmt["plain"])
        ws.set_column(0, 0, 30)
        ws.set_column(1, 1, 18)
        ws.set_column(2, 2, 2)
        ws.set_column(3, 3, 70)
        self._page(ws)
        ws.protect("", {"format_columns": True})

    def _header_value(self, ws: Any, row: int, col: int, f: Field) -> None:
        value = self.header.get(f.key, f.default)
        if isinstance(value, (Month, Week)):
            value = str(value)
        value = self._choice_label(f, value)
        locked = self.lock_header and f.key in self.header
        if locked:
            fmt = (
                self.fmt["locked_money"] if f.type is FieldType.MONEY else self.fmt["locked_value"]
            )
        else:
            fmt = self.fmt["value_text" if f.type in _TEXT_VALUES else "value"]
            self._validate(ws, row, row, col, f, None)
        write_cell(ws, row, col, value, fmt)
        self.header_cells[f.key] = f"'{ws.name}'!${xl_col_to_name(col)}${row + 1}"
        self.wb.define_name(f"header_{f.key}", f"={self.header_cells[f.key]}")

    def _table(self, ws: Any, table: Table, period: Month | Week | None) -> None:
        place = self.places[table.key]
        h = place.header_row
        ws.set_row(h, 32 if self.lang == "zh" else 18)
        rows = self.rows.get(table.key, ())
        for c, f in enumerate(table.fields):
            label = self._label(f, stacked=True)
            ws.write_string(h, c, label, self.fmt["head"])
            width = f.width or fit_width([f.zh, f.en, f.example], minimum=10)
            width = max(width, fit_width(label.split("\n"), minimum=10))
            if c <= 1 and self.form.header_table == table.key:
                width = max(width, self.block_width if c == 0 else 16)  # header block fits
            if self.form.progress is not None and table.key == self.form.progress.table:
                width = max(width, self._progress_width(c))
            # A defined name per column (docs/forms.md), computed columns included.
            self.wb.define_name(f"{table.key}_{f.key}", "=" + self._column_range(table.key, f.key))
            if f.formula:
                ws.set_column(c, c, width, self.fmt["plain"])
                self._formula_column(ws, table, f, c)
                continue
            ws.set_column(c, c, width, self._cell_format(f))
            self._validate(ws, place.first_row, place.last_row, c, f, period)
            for i, record in enumerate(rows):
                value = self._choice_label(f, record.get(f.key))
                if isinstance(value, (Month, Week)):
                    value = str(value)
                if value is not None:
                    write_cell(ws, place.first_row + i, c, value, self._cell_format(f))
        ws.freeze_panes(h + 1, 0)
        self._page(ws, repeat_row=h)
        ws.autofilter(h, 0, place.last_row, len(table.fields) - 1)
        ws.protect(
            "",
            {
                "format_columns": True,
                "format_rows": True,
                "insert_rows": True,
                "delete_rows": True,
                "sort": True,
                "autofilter": True,
            },
        )

    def _formula_column(self, ws: Any, table: Table, f: Field, col: int) -> None:
        """A computed column (日清 今日成交), with the value computed here cached."""
        place = self.places[table.key]
        assert f.formula is not None
        rows = self.rows.get(table.key, ())
        for i in range(place.last_row - place.first_row + 1):
            r = place.first_row + i
            formula = "=" + render(f.formula, functools.partial(self._ref, table, row=r))
            # The value the formula gives, cached beside it; 0 on rows left blank.
            value = evaluate(f.formula, rows[i], self.rows, self._spellings) if i < len(rows) else 0
            ws.write_formula(r, col, formula, self.fmt["formula"], value)

    def _ref(self, table: Table, ref: Ref, row: int = 0) -> str:
        if ref.kind == "choice":
            return self._list_range(_list_name(ref))
        if ref.table is None:
            cell: str = xl_rowcol_to_cell(row, self.places[table.key].columns[ref.field])
            return cell
        return self._column_range(*ref.column)

    def _spellings(self, ref: Ref) -> tuple[str, ...]:
        """The texts a cell names the choice of a `{choice:...}` criterion with."""
        assert ref.table is not None and ref.code is not None
        choices = self.form.table(ref.table).field(ref.field).choices
        assert choices is not None, f"{ref} is not a choice field"
        return choices.spellings(ref.code)

    def _list_range(self, name: str) -> str:
        """A `_lists` column, absolute: `_lists!$E$2:$E$9`."""
        return self.list_sources[name].removeprefix("=")

    def _column_range(self, table_key: str, field_key: str) -> str:
        """The absolute input range of a table column, e.g. `'日报 Daily'!$K$10:$K$1009`."""
        place = self.places[table_key]
        letter = xl_col_to_name(place.columns[field_key])
        return f"'{place.sheet}'!${letter}${place.first_row + 1}:${letter}${place.last_row + 1}"

    def _progress_width(self, col: int) -> float:
        """The progress block's labels and values fit in the table's columns D and E."""
        if col == _PROGRESS_COL:
            return fit_width([pair[0 if self.lang == "zh" else 1] for pair in _PROGRESS_LABELS])
        return _PROGRESS_VALUE_WIDTH if col == _PROGRESS_COL + 1 else 0

    def _progress_block(self, ws: Any) -> None:
        """本月进度 beside the header block: amount so far, target, completion (live formulas).

        The amount so far is what the summary counts (the daily report's: the amounts of
        closed deals).  An amount typed as text (`1.2万`) is read by salesxl but not
        summed by a spreadsheet, so the block counts those rows, in red, and the amount
        column's validation asks for a number.
        """
        progress = self.form.progress
        assert progress is not None
        table = self.form.table(progress.table)
        so_far = "=" + render(progress.formula, functools.partial(self._ref, table))
        total = evaluate(progress.formula, {}, self.rows, self._spellings)
        as_text = count_text(progress.formula, {}, self.rows, self._spellings)
        target = self.header_cells[progress.target].split("!")[1]
        goal = self.header.get(progress.target)
        labels = _PROGRESS_LABELS
        zh = self.lang == "zh"
        col = _PROGRESS_COL
        ws.write_string(1, col, "本月进度 Progress" if zh else "Progress", self.fmt["title"])
        ws.write_string(2, col, labels[0][0 if zh else 1], self.fmt["label"])
        ws.write_formula(2, col + 1, so_far, self.fmt["locked_money"], total)
        ws.write_string(3, col, labels[1][0 if zh else 1], self.fmt["label"])
        ws.write_formula(
            3,
            col + 1,
            f"={target}",
            self.fmt["locked_money"],
            goal if isinstance(goal, (int, float)) else 0,
        )
        ws.write_string(4, col, labels[2][0 if zh else 1], self.fmt["label"])
        ratio = total / goal if isinstance(goal, (int, float)) and goal else 0
        ws.write_formula(
            4,
            col + 1,
            f"=IF({target}>0,{xl_rowcol_to_cell(2, col + 1)}/{target},0)",
            self.fmt["value_pct"],
            ratio,
        )
        # The rows the amount so far would count but cannot: their amount is text.
        ws.write_string(5, col, labels[3][0 if zh else 1], self.fmt["label"])
        texts = "=" + render_text_count(progress.formula, functools.partial(self._ref, table))
        ws.write_formula(5, col + 1, texts, self.fmt["locked_count"], as_text)
        ws.conditional_format(
            5,
            col + 1,
            5,
            col + 1,
            {"type": "cell", "criteria": ">", "value": 0, "format": self.fmt["alarm"]},
        )

    def _instructions(self) -> None:
        form, zh = self.form, self.lang == "zh"
        ws = self.wb.add_worksheet(INSTRUCTIONS_NAMES[0] if zh else INSTRUCTIONS_NAMES[1])
        ws.write_string(
            0,
            0,
            f"{form.zh} {form.en} — 填写说明 How to fill in"
            if zh
            else f"{form.en} — how to fill in",
            self.fmt["title"],
        )
        row = 2
        instructions = (
            (*form.instructions_zh, "", *form.instructions_en) if zh else form.instructions_en
        )
        for line in instructions:
            ws.write_string(row, 0, line, self.fmt["plain"])
            row += 1
        row += 1
        heads = (
            ("工作表 Sheet", "列 Column", "必填 Required", "类型 Type", "说明 Rules")
            if zh
            else ("Sheet", "Column", "Required", "Type", "Rules")
        )
        for c, head in enumerate(heads):
            ws.write_string(row, c, head, self.fmt["head"])
        header_name = (
            (" ".join(form.header_sheet) if zh else form.header_sheet[1])
            if (form.header_sheet)
            else ("表头 Header" if zh else "Header")
        )
        table_rows: list[tuple[str, ...]] = [
            (
                name,
                self._label(f, stacked=False),
                ("是 Yes" if zh else "Yes") if f.required else "",
                f"{_TYPE_ZH[f.type]} {f.type.value}" if zh else f.type.value,
                field_help(f, self.lang),
            )
            for name, fields in (
                (header_name, form.header),
                *((t.sheet_title(self.lang), t.fields) for t in form.tables),
            )
            for f in fields
        ]
        for cells in table_rows:
            row += 1
            for c, text in enumerate(cells[:4]):
                ws.write_string(row, c, text, self.fmt["plain"])
            ws.write_string(row, 4, cells[4], self.fmt["wrap"])
            # Wrapped rules get the height they need (Excel does not grow rows it did not
            # lay out itself, and LibreOffice would draw the text over the next row).
            lines = max(1, math.ceil(display_width(cells[4]) / (_RULES_WIDTH - 2)))
            if lines > 1:
                ws.set_row(row, 14 * lines)
        for c in range(4):
            ws.set_column(c, c, fit_width([heads[c], *(cells[c] for cells in table_rows)]))
        ws.set_column(4, 4, _RULES_WIDTH)
        self._page(ws)
        ws.protect("", {"format_columns": True})

    def _meta(self) -> None:
        ws = self.wb.add_worksheet(META_SHEET)
        ws.hide()
        for r, (key, value) in enumerate(
            (
                ("form", self.form.id),
                ("version", self.form.version),
                ("lang", self.lang),
                ("generator", f"salesxl {__version__}"),
            )
        ):
            ws.write_string(r, 0, key)
            ws.write_string(r, 1, value)
        self.wb.define_name("_salesxl_form", f"={META_SHEET}!$B$1")


def _list_name(ref: Ref) -> str:
    """The `_lists` column holding the spellings of a choice criterion (`stage_7`)."""
    return f"{ref.field}_{ref.code}"


def _formula_choices(form: Form) -> list[Ref]:
    """The choice criteria of a form's formulas (its computed columns and progress block)."""
    texts = [f.formula for t in form.tables for f in t.fields if f.formula is not None]
    if form.progress is not None:
        texts.append(form.progress.formula)
    return list(dict.fromkeys(ref for text in texts for ref in parse(text).choices))


def write_form(
    target: Path,
    form: Form,
    *,
    lang: str = "zh",
    header: Mapping[str, Any] | None = None,
    lock_header: bool = False,
    rows: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
    lists: Mapping[str, Sequence[str]] | None = None,
) -> Path:
    """Write `form` to `target` (atomically); returns the path.

    `header` pre-fills header values (codes for choices, Month/Week objects
    for periods); with `lock_header` those cells are protected.  `rows`
    maps a table key to records (field key -> value).  `lists` adds
    drop-downs such as `customers` and `products`.
    """
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    with atomic_output(Path(target), "表单", written=Written.FORM) as tmp:
        wb = xlsxwriter.Workbook(
            str(tmp), {"strings_to_formulas": False, "strings_to_numbers": False}
        )
        wb.set_properties(
            {
                "title": f"{form.zh} {form.en}",
                "created": FIXED_CREATED,
                "comments": f"salesxl form {form.id} v{form.version}",
            }
        )
        mark(wb, Written.FORM)
        _FormWriter(wb, form, lang, lists or {}, header or {}, lock_header, rows or {}).write()
        wb.close()
    return Path(target)


def build_templates(folder: Path, *, lang: str = "zh") -> list[Path]:
    """Write one blank template per form into `folder` (created if needed); a template there
    that someone has filled in is not replaced (OutputError, and nothing is written)."""
    folder = check_folder(folder, "模板文件夹")
    refuse_filled_in([folder / form.filename for form in FORMS.values()])
    return [write_form(folder / form.filename, form, lang=lang) for form in FORMS.values()]


def write_blank(target: Path, form: Form, *, lang: str = "zh") -> Path:
    """A blank template of `form` at `target`, which must not hold a form filled in."""
    refuse_filled_in([Path(target)])
    return write_form(target, form, lang=lang)


def filled_in_rows(path: Path) -> int:
    """Rows a person has filled into the salesxl form at `path` (a roster's reps, a targets
    input's units): 0 for a blank template, or a file that is not such a form (those the
    output check refuses anyway)."""
    if not path.is_file() or written_by(path) is not Written.FORM:
        return 0
    return sum(len(table) for table in load_form(path).tables.values())


def refuse_filled_in(paths: Sequence[Path]) -> None:
    """OutputError when a blank template would replace one of `paths` that holds data: a
    template salesxl wrote carries its mark after it has been filled in and saved, so the
    mark alone would let `salesxl templates build` empty a roster filled in place."""
    filled = [(p, n) for p in paths if (n := filled_in_rows(p))]
    if not filled:
        return
    shown_zh = "、".join(f"{p}（{n:,} 行）" for p, n in filled)
    shown_en = ", ".join(f"{p} ({n:,} {'row' if n == 1 else 'rows'})" for p, n in filled)
    raise OutputError(
        f"无法保存空白模板：{shown_zh} 已填有数据，空白模板不会覆盖；未写入任何文件",
        f"{shown_en} already {'holds' if len(filled) == 1 else 'hold'} data: a blank template "
        "does not replace a form filled in; nothing was written",
        hint_zh="请另选文件名或文件夹，或先移走这些文件",
        hint_en="choose another name or folder, or move those files away first",
        setting="output",
    )


@dataclass(frozen=True, slots=True)
class FormJob:
    """One workbook to write: which form, its header and rows, and optionally when it was saved."""

    path: Path
    form_id: str
    header: Mapping[str, Any]
    rows: Mapping[str, Sequence[Mapping[str, Any]]]
    saved: dt.datetime | None = None
    lists: Mapping[str, Sequence[str]] | None = None
    lock_header: bool = False


def _write_job(job: FormJob) -> Path:
    job.path.parent.mkdir(parents=True, exist_ok=True)
    write_form(
        job.path,
        FORMS[job.form_id],
        header=job.header,
        rows=job.rows,
        lists=job.lists,
        lock_header=job.lock_header,
    )
    if job.saved is not None:
        stamp = job.saved.timestamp()
        os.utime(job.path, (stamp, stamp))
    return job.path


def write_forms(jobs: Sequence[FormJob]) -> list[Path]:
    """Write many forms, on all cores when there are many; returns the paths in order."""
    if len(jobs) < 24:
        return [_write_job(job) for job in jobs]
    with ProcessPoolExecutor() as pool:
        return list(pool.map(_write_job, jobs, chunksize=8))
