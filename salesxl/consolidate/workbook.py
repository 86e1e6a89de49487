"""Write the manager's summary workbook (README.md "For managers") with xlsxwriter, atomically.

Every sheet: bold frozen header (Chinese over English), autofilter, number
formats (¥ #,##0; 0.0%), widths that fit, conditional colours for warning
levels, submission status and severity; `问题 Issues` links each issue to
its file and cell; `明细 Details` is an Excel table; `总览 Overview` carries
native charts (completion by rep, funnel by stage, daily sales trend).
Text is always written as text, so `=cmd|...` from a form stays harmless.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Sequence
from math import isfinite
from pathlib import Path
from typing import Any

import xlsxwriter

from salesxl.consolidate.dashboard import CHART_DATA, write_overview
from salesxl.consolidate.lists import DEFAULT_LIST_LIMIT, overview_notes, shorten_lists
from salesxl.consolidate.model import (
    WARNING_LABELS,
    Bilingual,
    SheetData,
    Summary,
    Translated,
    WarningLevel,
)
from salesxl.consolidate.standing import RepStatus
from salesxl.consolidate.submissions import FORM_LABELS, STATUS_LABELS, SubmissionStatus
from salesxl.consolidate.trends import METRIC_LABELS
from salesxl.core.display import printable
from salesxl.core.issues import SEVERITY_LABELS, Severity
from salesxl.core.perf import paused_gc
from salesxl.forms import FORMS
from salesxl.read.marks import Written
from salesxl.write.row_stream import RowStream
from salesxl.write.xlsx import (
    SERIAL_START,
    atomic_output,
    excel_serial,
    fit_width,
    mark,
    quick_close,
    safe_sheet_title,
    write_cell,
)

__all__ = [
    "CODE_LABELS",
    "COLOURED",
    "MAX_SHEET_ROWS",
    "NUMBER_FORMATS",
    "write_summary",
    "write_workbook",
]

_LAID_OUT = ("overview", "trend")  # sheets written cell by cell, not streamed
DETAILS_SHARED_TEXTS = 5_000  # distinct texts per Details column in the shared table
MAX_URLS = 65_000  # Excel's limit is 65,530 hyperlinks per worksheet
MAX_SHEET_ROWS = 1_048_576  # Excel's rows per worksheet
MAX_URL_LENGTH = 2_000
NUMBER_FORMATS = {
    "int": "0",
    "money": "¥#,##0",
    "percent": "0.0%",
    "ratio": "0.00",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
    "number": "#,##0.##",
}
# Columns of these kinds hold codes; the workbook shows their labels.
# A form field's bilingual label (an issue's column) is the field's English label in English.
_FIELD_LABELS = {
    f.bilingual: (f.bilingual, f.en)
    for form in FORMS.values()
    for f in (*form.header, *(f for t in form.tables for f in t.fields))
}
CODE_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "warning": WARNING_LABELS,
    "status": STATUS_LABELS,
    "form": FORM_LABELS,
    "metric": METRIC_LABELS,
    "field": _FIELD_LABELS,
    "severity": SEVERITY_LABELS,
}
# 环比/同比 on the Trend sheet: an amount's change is relative, the others' differences.
CHANGE_FORMATS = {
    "money": "+0.0%;-0.0%;0.0%",
    "percent": "+0.0%;-0.0%;0.0%",
    "ratio": "+0.00;-0.00;0.00",
    "int": "+0;-0;0",
}
# (background, font) for conditional colours, as Excel's own good/neutral/bad styles.
_GOOD, _NEUTRAL, _BAD = ("#C6EFCE", "#006100"), ("#FFEB9C", "#9C5700"), ("#FFC7CE", "#9C0006")
_S = SubmissionStatus
COLOURED: dict[str, dict[str, tuple[str, str]]] = {
    "warning": {WarningLevel.OK: _GOOD, WarningLevel.ORAL: _NEUTRAL, WarningLevel.WRITTEN: _BAD},
    "status": {
        _S.ON_TIME: _GOOD,
        _S.LATE: _NEUTRAL,
        _S.MISSING: _BAD,
        _S.NO_FILE: _BAD,
        _S.NOT_IN_ROSTER: _NEUTRAL,
        _S.REFUSED: _NEUTRAL,  # a report, or a rep whose report, the store refused
        RepStatus.NO_DATA: _BAD,
    },
    "severity": {Severity.ERROR: _BAD, Severity.WARNING: _NEUTRAL},
}


class _FileNames(dict[str, str]):
    """A file name as a workbook can show it (`printable`), worked out once per name."""

    def get(self, name: str, default: Any = None) -> str:
        shown = dict.get(self, name)
        if shown is None:
            shown = self[name] = printable(name)
        return shown


class _Writer:
    def __init__(self, wb: xlsxwriter.Workbook, summary: Summary, lang: str, base: Path) -> None:
        self.wb, self.summary, self.lang, self.base = wb, summary, lang, base
        font = {"font_name": "Microsoft YaHei", "font_size": 10}
        self.font = font
        self.head = wb.add_format(
            {
                **font,
                "bold": True,
                "text_wrap": True,
                "valign": "vcenter",
                "align": "center",
                "bg_color": "#DCE6F1",
                "border": 1,
            }
        )
        self.title = wb.add_format({**font, "bold": True, "font_size": 14})
        self.plain = wb.add_format(font)
        self.link = wb.add_format({**font, "font_color": "blue", "underline": 1})
        self.formats = {
            kind: wb.add_format({**font, "num_format": fmt}) for kind, fmt in NUMBER_FORMATS.items()
        }
        self.fills = {
            colours: wb.add_format({"bg_color": colours[0], "font_color": colours[1]})
            for colours in (_GOOD, _NEUTRAL, _BAD)
        }
        self.titles: dict[str, str] = {}
        self.sheets: dict[str, Any] = {}  # sheet key -> worksheet, made in the workbook's order
        self._relative: dict[str, str] = {}  # file path -> path relative to the summary

    def label(self, zh: str, en: str) -> str:
        return f"{zh}\n{en}" if self.lang == "zh" and zh != en else en

    def text(self, kind: str, value: Any) -> Any:
        if isinstance(value, Bilingual):
            return value.shown(self.lang)
        if isinstance(value, Translated):
            return value.pick(self.lang)
        labels = CODE_LABELS.get(kind)
        if labels is not None and value in labels:
            zh, en = labels[value]
            return zh if self.lang == "zh" else en
        return value

    def shown_columns(self, sheet: SheetData) -> SheetData:
        """The sheet without the columns of the other language (an English workbook has no
        Chinese message column)."""
        keep = [i for i, c in enumerate(sheet.columns) if c.only in (None, self.lang)]
        if len(keep) == len(sheet.columns):
            return sheet
        return SheetData(
            sheet.key,
            sheet.title_zh,
            sheet.title_en,
            [sheet.columns[i] for i in keep],
            [[row[i] for i in keep] for row in sheet.rows],
            sheet.row_kinds,
        )

    # -- generic table sheets ---------------------------------------------------------

    def table_sheet(self, sheet: SheetData, *, as_table: str | None = None) -> None:
        """One sheet of `sheet.rows`; with `as_table`, an Excel table of that name."""
        ws = self.sheets[sheet.key]
        sheet = self.shown_columns(sheet)
        heads = [self.label(c.zh, c.en) for c in sheet.columns]
        n = len(sheet.rows)
        if as_table:
            # add_table refuses a streamed sheet, but it only records the table's range and
            # writes the header row, which the streamed rows then follow: allow it, and
            # write the header again as a streamed sheet's text (in the cell, not shared).
            # It is given the header and one row, then told the whole range: it would note
            # every cell of the range to refuse an overlapping table (5 million entries for
            # the Details of 1,000 reps), and this sheet holds no other table.
            streamed, ws.constant_memory = ws.constant_memory, 0
            ws.add_table(
                0,
                0,
                1,
                len(heads) - 1,
                {
                    "columns": [{"header": h.replace("\n", " ")} for h in heads],
                    "style": "Table Style Light 9",
                    "name": as_table,
                },
            )
            table = ws.tables[-1]
            table["range"] = table["a_range"] = table["autofilter"] = _range(max(n, 1), len(heads))
            ws.constant_memory = streamed
            if streamed:
                for c, head in enumerate(heads):
                    ws.write_string(0, c, head.replace("\n", " "))
        else:
            for c, head in enumerate(heads):
                ws.write_string(0, c, head, self.head)
            ws.set_row(0, 30 if self.lang == "zh" else 18)
        self._rows(ws, sheet)
        for c, col in enumerate(sheet.columns):
            sample = [self.text(col.kind, row[c]) for row in sheet.rows[:300]]
            if col.kind == "link":
                sample = [Path(str(v)).name if v else v for v in sample]
            # a file's path in the first column (问题 Issues) would push the rest off screen
            first_link = c == 0 and col.kind == "link"
            width = fit_width([*heads[c].split("\n"), *sample], maximum=30 if first_link else 50)
            ws.set_column(c, c, width, self.formats.get(col.kind, self.plain))
        coloured: dict[str, list[int]] = {}
        for c, col in enumerate(sheet.columns):
            coloured.setdefault(col.kind, []).append(c)
        for kind, columns in coloured.items():
            self._colour(ws, kind, columns, n)
        ws.freeze_panes(1, 2 if sheet.columns[0].key == "rep_id" else 0)
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)  # as wide as one page, as long as it needs
        ws.repeat_rows(0)
        if not as_table and n:
            ws.autofilter(0, 0, n, len(heads) - 1)
        if sheet.key == "funnel":
            self._funnel_chart(ws, sheet)

    def _rows(self, ws: Any, sheet: SheetData) -> None:
        """The body: nothing for empty cells (their column format still shows if someone types
        there); on a streamed sheet written as XML by `RowStream`, else by xlsxwriter."""
        zh = self.lang == "zh"
        plan = []
        for c, col in enumerate(sheet.columns):
            labels = CODE_LABELS.get(col.kind)
            shown: Any = (
                {code: (pair[0] if zh else pair[1]) for code, pair in labels.items()}
                if labels
                else _FileNames()
                if col.key == "file"
                else None
            )
            plan.append((c, col.kind == "link", shown, self.formats.get(col.kind)))
        if ws.constant_memory:
            self._stream_rows(ws, sheet, plan)
            return
        write_string, write_number = ws.write_string, ws.write_number
        write_datetime, datetime, date = ws.write_datetime, dt.datetime, dt.date
        urls = 0
        for r, row in enumerate(sheet.rows, start=1):
            for (c, link, shown, fmt), value in zip(plan, row, strict=True):
                if value is None:
                    continue
                kind = type(value)
                if kind is Bilingual:
                    value, kind = value.shown(self.lang), str
                if kind is str:
                    if link:
                        urls += self._link(ws, r, c, value, row, sheet, urls)
                    else:
                        write_string(r, c, value if shown is None else shown.get(value, value), fmt)
                elif kind is int or (kind is float and isfinite(value)):
                    write_number(r, c, value, fmt)
                elif kind is date and value >= SERIAL_START:  # the serial Excel stores
                    write_number(r, c, excel_serial(value), fmt)
                elif kind is date:
                    write_datetime(r, c, datetime(value.year, value.month, value.day), fmt)
                elif kind is datetime:
                    write_datetime(r, c, value, fmt)
                elif isinstance(value, str):  # a code's enum member: a status, a warning level
                    write_string(r, c, shown.get(value, str(value)) if shown else str(value), fmt)
                elif kind is Translated:
                    write_string(r, c, value.en if not zh else value.zh, fmt)
                else:
                    write_cell(ws, r, c, value, fmt)

    def _stream_rows(self, ws: Any, sheet: SheetData, plan: list[tuple[Any, ...]]) -> None:
        """The body of a sheet made in constant-memory mode, as XML.  Text is shared, but on
        Details only the first few thousand texts of a column: the phone numbers of a
        quarter of a million rows would pile up in memory; repeated names stay shared."""
        stream = RowStream(
            ws,
            [
                fmt or self.formats.get(col.kind, self.plain)
                for fmt, col in zip((p[3] for p in plan), sheet.columns, strict=True)
            ],
            labels=[p[2] for p in plan],
            convert=self._plain_text,
            share_limit=DETAILS_SHARED_TEXTS if sheet.key.startswith("details") else None,
        )
        links = [c for c, link, _, _ in plan if link]
        if not links:  # a column at a time
            stream.write_rows(1, sheet.rows)
            stream.close()
            return
        link_style = {c: RowStream.style(self.link) for c in links}
        urls = 0
        ws.ignore_write_string = True  # write_url records the link; the stream writes the text
        try:
            for r, row in enumerate(sheet.rows, start=1):
                linked: dict[int, str] = {}
                row = list(row)
                for c in links:
                    if type(row[c]) is not str:
                        continue
                    url, row[c] = self._url(row[c], row, sheet)
                    if url is not None and urls < MAX_URLS:
                        ws.write_url(r, c, url, self.link, string=row[c])
                        urls += 1
                        linked[c] = link_style[c]
                stream.write(r, row, linked or None)
        finally:
            ws.ignore_write_string = False
        stream.close()

    def _plain_text(self, value: Any) -> Any:
        """A value RowStream does not know, as what the workbook shows."""
        if isinstance(value, Bilingual):
            return value.shown(self.lang)
        if isinstance(value, Translated):
            return value.pick(self.lang)
        return str(value)

    def _link(
        self, ws: Any, r: int, c: int, value: str, row: list[Any], sheet: SheetData, urls: int
    ) -> int:
        """A hyperlink to the file (and, for issues, to the cell); plain text past Excel's limits."""
        url, shown = self._url(value, row, sheet)
        if url is None or urls >= MAX_URLS:
            ws.write_string(r, c, shown, self.plain)
            return 0
        ws.write_url(r, c, url, self.link, string=shown)
        return 1

    def _url(self, value: str, row: Sequence[Any], sheet: SheetData) -> tuple[str | None, str]:
        """The link to a rep's file (for an issue, to its cell) and the text it shows: the
        path relative to the summary; no link past Excel's length limit."""
        shown = self._relative.get(value)
        if shown is None:
            try:
                shown = os.path.relpath(Path(value), self.base)
            except ValueError:  # another drive on Windows
                shown = str(Path(value))
            # A name in no valid encoding is shown with U+FFFD (a workbook cannot hold its
            # bytes), and a control character is escaped: the link text stays one line.
            shown = self._relative[value] = printable(shown)
        url = "external:" + shown.replace("\\", "/")
        if sheet.key.startswith("issues"):
            sheet_name, cell = row[sheet.column("sheet")], row[sheet.column("cell")]
            if sheet_name and cell:
                url += f"#'{sheet_name}'!{cell}"
        return (None if len(url) > MAX_URL_LENGTH else url), shown

    def _colour(self, ws: Any, kind: str, columns: list[int], n: int) -> None:
        """One rule per coloured value for all the sheet's columns of `kind` (Submissions has
        a status column per workday): a few rules, not hundreds, to write and for Excel."""
        if kind not in COLOURED or n == 0:
            return
        ranges = " ".join(f"{_cell(1, c)}:{_cell(n, c)}" for c in columns)
        for value, colours in COLOURED[kind].items():
            shown = self.text(kind, value)
            ws.conditional_format(
                1,
                columns[0],
                n,
                columns[0],
                {
                    "type": "cell",
                    "criteria": "==",
                    "value": f'"{shown}"',
                    "format": self.fills[colours],
                    "multi_range": ranges,
                },
            )

    # -- trend -----------------------------------------------------------------------

    def trend(self, sheet: SheetData) -> None:
        """趋势 Trend: a block per metric, a row per team (the total first), the months,
        a sparkline of them, then 环比 and 同比 with signs."""
        ws = self.sheets[sheet.key]
        columns = sheet.columns
        months = [c for c, col in enumerate(columns) if col.key.startswith("m_")]
        first, last = months[0], months[-1]
        changes = [c for c, col in enumerate(columns) if col.key in ("mom", "yoy")]
        spark = len(columns)  # the sparkline column, after the changes
        heads = [self.label(col.zh, col.en) for col in columns]
        heads.append(self.label("走势", "Trend"))
        for c, head in enumerate(heads):
            ws.write_string(0, c, head, self.head)
        ws.set_row(0, 45 if self.lang == "zh" else 30)
        kinds = sheet.row_kinds or ["int"] * len(sheet.rows)
        metric = sheet.column("metric")
        block = {"top": 1, "top_color": "#8EA9DB"}  # a line above each metric's first row
        made: dict[tuple[str, bool, bool], Any] = {}

        def cell(fmt: str | None, bold: bool, first: bool) -> Any:
            key = (fmt or "", bold, first)
            if key not in made:
                props = {**self.font, "bold": bold, **(block if first else {})}
                made[key] = self.wb.add_format({**props, **({"num_format": fmt} if fmt else {})})
            return made[key]

        title = self.titles[sheet.key].replace("'", "''")
        previous = None
        for r, (row, kind) in enumerate(zip(sheet.rows, kinds, strict=True), start=1):
            total = row[sheet.column("group")] == "合计 Total"
            starts = row[metric] != previous
            previous = row[metric]
            ws.set_row(r, 18)
            for c in range(len(columns) + 1):
                value = row[c] if c < len(columns) else None
                if c in changes:
                    fmt = cell(CHANGE_FORMATS.get(kind), False, starts)
                elif first <= c <= last:
                    fmt = cell(NUMBER_FORMATS.get(kind), total, starts)
                else:
                    fmt = cell(None, total and c < 3, starts)
                    value = self.text(columns[c].kind, value) if c < len(columns) else None
                if total and self.lang != "zh" and value == "合计 Total":
                    value = "Total"
                if value is None:
                    ws.write_blank(r, c, None, fmt)
                else:
                    write_cell(ws, r, c, value, fmt)
        if sheet.rows:  # one group of a sparkline per row (each scaled to its own row)
            rows = range(1, len(sheet.rows) + 1)
            ws.add_sparkline(
                1,
                spark,
                {
                    "location": [_cell(r, spark) for r in rows],
                    "range": [f"'{title}'!{_cell(r, first)}:{_cell(r, last)}" for r in rows],
                    "markers": True,
                    "weight": 1.5,
                    "series_color": "#2F5597",
                    "empty_cells": "connect",
                },
            )
        self._trend_charts(ws, sheet, first, last)
        widths = [12, 14, 8, *[11] * (last - first), 17, 15, 15, 18]
        for c, width in enumerate(widths):
            ws.set_column(c, c, width)
        ws.freeze_panes(1, 3)
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        if sheet.rows:
            ws.autofilter(0, 0, len(sheet.rows), len(columns) - 1)

    def _trend_charts(self, ws: Any, sheet: SheetData, first: int, last: int) -> None:
        """Under the table, a small chart per metric of the total row: the months at a
        glance in any spreadsheet app (not every one draws sparklines)."""
        title = self.titles[sheet.key]
        group, metric = sheet.column("group"), sheet.column("metric")
        totals = [
            (r, row) for r, row in enumerate(sheet.rows, start=1) if row[group] == "合计 Total"
        ]
        # Short month labels for the charts' axes, the month to date marked with *.
        below = len(sheet.rows) + 1
        grey = self.wb.add_format({**self.font, "font_color": "#7F7F7F", "align": "right"})
        for c in range(first, last + 1):
            month = sheet.columns[c].key.removeprefix("m_")
            ws.write_string(below, c, f"{month}*" if c == last else month, grey)
        as_of = self.summary.headline.as_of
        note = (
            f"* 截至 {as_of:%m-%d} / to {as_of:%m-%d}"
            if self.lang == "zh"
            else f"* to {as_of:%m-%d}"
        )
        ws.write_string(below, 0, note, self.wb.add_format({**self.font, "font_color": "#7F7F7F"}))
        top = below + 2
        for n, (r, row) in enumerate(totals):
            chart = self.wb.add_chart({"type": "line"})
            chart.add_series(
                {
                    "categories": [title, below, first, below, last],
                    "values": [title, r, first, r, last],
                    "marker": {"type": "circle", "size": 5},
                    "line": {"color": "#2F5597", "width": 2},
                }
            )
            chart.set_title(
                {"name": self.text("metric", row[metric]), "name_font": {"size": 10, "bold": True}}
            )
            chart.set_legend({"none": True})
            chart.set_x_axis({"num_font": {"size": 7}})
            chart.set_y_axis(
                {
                    "num_font": {"size": 7},
                    "num_format": NUMBER_FORMATS.get((sheet.row_kinds or [])[r - 1], "General"),
                    "major_gridlines": {"visible": True, "line": {"color": "#E0E0E0"}},
                }
            )
            chart.show_blanks_as("gap")
            chart.set_size({"width": 300, "height": 190})
            ws.insert_chart(top + (n // 4) * 10, 0, chart, {"x_offset": (n % 4) * 310})

    # -- funnel ----------------------------------------------------------------------

    def _funnel_chart(self, ws: Any, funnel: SheetData) -> None:
        """Customers reached per stage (the total row), beside the table."""
        if not funnel.rows:
            return
        zh = self.lang == "zh"
        total_row, first_col = len(funnel.rows), funnel.column("stage_1")
        title = self.titles["funnel"]
        stages = range(first_col, first_col + 7)
        chart = self.wb.add_chart({"type": "column"})
        chart.add_series(
            {
                "name": "客户数 Customers" if zh else "Customers",
                "categories": [title, 0, first_col, 0, first_col + 6],
                "values": [title, total_row, first_col, total_row, first_col + 6],
                # what the chart shows until the cells are calculated: the sheet's rows went
                # out as XML (a streamed sheet), so xlsxwriter cannot look them up
                "categories_data": [
                    self.label(funnel.columns[c].zh, funnel.columns[c].en) for c in stages
                ],
                "values_data": [_cached(funnel.rows[-1][c]) for c in stages],
                "fill": {"color": "#9BBB59"},
                "data_labels": {"value": True},
            }
        )
        chart.set_title({"name": "销售漏斗 Funnel by stage" if zh else "Funnel by stage"})
        chart.set_legend({"none": True})
        ws.insert_chart(total_row + 2, 2, chart)


def _cached(value: Any) -> Any:
    """A number as a chart's cache holds it (xlsxwriter's own lookup writes it so)."""
    return f"{value:.16g}" if isinstance(value, int | float) else value


def _cell(row: int, col: int) -> str:
    """A1 reference of a 0-based cell."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"


def _range(last_row: int, columns: int) -> str:
    """A1:… reference from the top-left cell to row `last_row` (0-based) of `columns`."""
    return f"A1:{_cell(last_row, columns - 1)}"


def _pieces(sheet: SheetData) -> list[SheetData]:
    """A sheet as Excel can hold it: more rows than fit one sheet continue on `明细 2 Details 2`,
    `明细 3 Details 3`… (the Details of thousands of reps, the Issues of a huge inbox),
    every row kept, never cut off."""
    per = MAX_SHEET_ROWS - 1  # the header takes a row
    if len(sheet.rows) <= per or sheet.key in ("overview", "trend"):  # laid out by hand
        return [sheet]
    return [
        dataclasses.replace(
            sheet,
            key=f"{sheet.key}_{n}" if n > 1 else sheet.key,
            title_zh=f"{sheet.title_zh} {n}" if n > 1 else sheet.title_zh,
            title_en=f"{sheet.title_en} {n}" if n > 1 else sheet.title_en,
            rows=sheet.rows[start : start + per],
        )
        for n, start in enumerate(range(0, len(sheet.rows), per), start=1)
    ]


def write_summary(
    summary: Summary,
    path: Path,
    *,
    lang: str = "zh",
    details: bool = False,
    inputs: Sequence[Path] = (),
    list_limit: int | None = DEFAULT_LIST_LIMIT,
) -> Path:
    """Write `summary` to `path` atomically; raises salesxl.write.xlsx.OutputError if it cannot
    (or must not: `path` is one of `inputs`, or a file salesxl did not write as a summary).

    The list sheets show per rep the `list_limit` most urgent entries (`salesxl.consolidate.
    lists`); with `details`, or a limit of None or 0, every entry."""
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    path = Path(path)
    with atomic_output(path, "汇总文件", written=Written.SUMMARY, inputs=inputs) as tmp:
        write_workbook(
            summary,
            tmp,
            lang=lang,
            details=details,
            base=path.resolve().parent,
            list_limit=list_limit,
        )
    return path


def write_workbook(
    summary: Summary,
    tmp: Path,
    *,
    lang: str = "zh",
    details: bool = False,
    base: Path,
    in_memory: bool = False,
    list_limit: int | None = DEFAULT_LIST_LIMIT,
    pack: bool = False,
) -> None:
    """Write the summary workbook into the file `tmp` (what `write_summary` moves into place);
    links to rep files are relative to `base`, the folder the workbook will be in.
    `in_memory`: xlsxwriter assembles the parts in memory rather than in a temporary file
    each (a team's pack is small, and fifty of them would make and remove 1,500 files).
    The list sheets show per rep the `list_limit` most urgent entries (`salesxl.consolidate.
    lists`; a pack: those of its own reps); with `details`, or a limit of None or 0, every
    entry.  `pack`: a leader's pack, whose Overview tells its reader where the rest of a
    shortened list is (the leader cannot consolidate again)."""
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    with paused_gc():  # ~100k cells of small objects, no cycles
        shown, cut = shorten_lists(summary.sheets, None if details else list_limit)
        summary.shortened = cut  # for whoever reports the workbook (the command's last lines)
        sheets: Sequence[SheetData] = [
            piece for s in shown if details or s.key != "details" for piece in _pieces(s)
        ]
        wb = xlsxwriter.Workbook(
            str(tmp),
            {
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
                "default_date_format": "yyyy-mm-dd",
                "in_memory": in_memory,
            },
        )
        wb.set_properties(
            {
                "title": f"salesxl summary {summary.headline.period}",
                "created": dt.datetime.combine(summary.headline.as_of, dt.time()),
            }
        )
        mark(wb, Written.SUMMARY)  # a pack too: an inbox skips it, -o may replace it
        writer = _Writer(wb, summary, lang, base)
        taken: list[str] = []
        streamed = []
        for sheet in sheets:
            writer.titles[sheet.key] = safe_sheet_title(sheet.title(lang), taken)
            taken.append(writer.titles[sheet.key])
            # A table sheet's rows go to a temporary file as they are written, as XML
            # (`RowStream` into a sheet in xlsxwriter's constant memory mode): xlsxwriter
            # would hold every cell as an object until the file is written, then write each
            # the slow general way.  Not the sheets laid out by hand, nor a pack, assembled
            # in memory, where xlsxwriter cannot stream.
            stream = not in_memory and sheet.key not in _LAID_OUT
            wb.constant_memory = stream
            writer.sheets[sheet.key] = wb.add_worksheet(writer.titles[sheet.key])
            wb.constant_memory = False
            if stream:
                streamed.append(writer.sheets[sheet.key])
        if "overview" in writer.sheets:  # the Overview's charts read a hidden sheet, last
            name = " ".join(CHART_DATA) if lang == "zh" else CHART_DATA[1]
            writer.titles["chart_data"] = safe_sheet_title(name, taken)
            writer.sheets["chart_data"] = wb.add_worksheet(writer.titles["chart_data"])
            writer.sheets["chart_data"].hide()
        for sheet in sheets:
            if sheet.key == "overview":
                write_overview(
                    wb,
                    writer.sheets["overview"],
                    writer.sheets["chart_data"],
                    summary,
                    lang,
                    NUMBER_FORMATS,
                    notes=overview_notes(cut, pack=pack),
                )
            elif sheet.key == "trend":
                writer.trend(sheet)
            else:
                table = sheet.key.replace("details", "Details").replace("_", "")
                writer.table_sheet(
                    sheet, as_table=table if sheet.key.startswith("details") else None
                )
        for ws in streamed:  # as Workbook.close does for a workbook in constant memory mode
            ws._opt_close()
        with quick_close():  # zlib's default level: a fifth of the close's time
            wb.close()
