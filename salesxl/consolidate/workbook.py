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

from salesxl.consolidate.lists import DEFAULT_LIST_LIMIT, overview_notes, shorten_lists
from salesxl.consolidate.model import WARNING_LABELS, SheetData, Summary, WarningLevel
from salesxl.consolidate.standing import RepStatus
from salesxl.consolidate.submissions import FORM_LABELS, STATUS_LABELS, SubmissionStatus
from salesxl.core.display import printable
from salesxl.core.issues import Severity
from salesxl.core.perf import paused_gc
from salesxl.read.marks import Written
from salesxl.write.xlsx import atomic_output, fit_width, mark, safe_sheet_title, write_cell

__all__ = ["CODE_LABELS", "COLOURED", "MAX_SHEET_ROWS", "NUMBER_FORMATS", "write_summary"]

# A date from 1900-03-01 on is stored as its day count from 1899-12-30 (Excel's serial,
# past its 1900 leap-year quirk): written as that number in a date format, which is what
# write_datetime does, at a fraction of the cost for the thousands of dates in a summary.
_SERIAL_START = dt.date(1900, 3, 1)
_EXCEL_EPOCH = dt.date(1899, 12, 30).toordinal()

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
CODE_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "warning": WARNING_LABELS,
    "status": STATUS_LABELS,
    "form": FORM_LABELS,
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


class _NoOverlapIndex(dict[tuple[int, int], str]):
    """xlsxwriter's `add_table` records every cell of the table's range in the
    worksheet's `table_cells` to refuse a second, overlapping table: 5 million
    entries, ≈ 700 MB, for the Details table of 1,000 reps.  The Details sheet
    holds that one table and nothing else, so nothing can overlap: forget them.
    (Were xlsxwriter to rename the attribute, this only stops saving memory.)"""

    def __setitem__(self, key: tuple[int, int], value: str) -> None:
        pass


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
        self._relative: dict[str, str] = {}  # file path -> path relative to the summary

    def label(self, zh: str, en: str) -> str:
        return f"{zh}\n{en}" if self.lang == "zh" and zh != en else en

    def text(self, kind: str, value: Any) -> Any:
        labels = CODE_LABELS.get(kind)
        if labels is not None and value in labels:
            zh, en = labels[value]
            return zh if self.lang == "zh" else en
        return value

    # -- generic table sheets ---------------------------------------------------------

    def table_sheet(self, sheet: SheetData, *, as_table: str | None = None) -> None:
        """One sheet of `sheet.rows`; with `as_table`, an Excel table of that name."""
        ws = self.wb.add_worksheet(self.titles[sheet.key])
        heads = [self.label(c.zh, c.en) for c in sheet.columns]
        n = len(sheet.rows)
        if as_table:
            ws.table_cells = _NoOverlapIndex()
            # add_table refuses a streamed sheet, but it only records the table's range and
            # writes the header row, which the streamed rows then follow: allow it, and
            # write the header again as a streamed sheet's text (in the cell, not shared).
            streamed, ws.constant_memory = ws.constant_memory, 0
            ws.add_table(
                0,
                0,
                max(n, 1),
                len(heads) - 1,
                {
                    "columns": [{"header": h.replace("\n", " ")} for h in heads],
                    "style": "Table Style Light 9",
                    "name": as_table,
                },
            )
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
            width = fit_width([*heads[c].split("\n"), *sample], maximum=50 if c else 30)
            ws.set_column(c, c, width, self.formats.get(col.kind, self.plain))
            self._colour(ws, col.kind, c, n)
        ws.freeze_panes(1, 2 if sheet.columns[0].key == "rep_id" else 0)
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)  # as wide as one page, as long as it needs
        ws.repeat_rows(0)
        if not as_table and n:
            ws.autofilter(0, 0, n, len(heads) - 1)

    def _rows(self, ws: Any, sheet: SheetData) -> None:
        """The body, fast: one typed xlsxwriter call per filled cell, nothing for empty ones
        (their column format still shows if someone types there)."""
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
        write_string, write_number = ws.write_string, ws.write_number
        write_datetime, datetime, date = ws.write_datetime, dt.datetime, dt.date
        urls = 0
        for r, row in enumerate(sheet.rows, start=1):
            for (c, link, shown, fmt), value in zip(plan, row, strict=True):
                if value is None:
                    continue
                kind = type(value)
                if kind is str:
                    if link:
                        urls += self._link(ws, r, c, value, row, sheet, urls)
                    else:
                        write_string(r, c, value if shown is None else shown.get(value, value), fmt)
                elif kind is int or (kind is float and isfinite(value)):
                    write_number(r, c, value, fmt)
                elif kind is date and value >= _SERIAL_START:  # the serial Excel stores
                    write_number(r, c, value.toordinal() - _EXCEL_EPOCH, fmt)
                elif kind is date:
                    write_datetime(r, c, datetime(value.year, value.month, value.day), fmt)
                elif kind is datetime:
                    write_datetime(r, c, value, fmt)
                elif isinstance(value, str):  # a code's enum member: a status, a warning level
                    write_string(r, c, shown.get(value, str(value)) if shown else str(value), fmt)
                else:
                    write_cell(ws, r, c, value, fmt)

    def _link(
        self, ws: Any, r: int, c: int, value: str, row: list[Any], sheet: SheetData, urls: int
    ) -> int:
        """A hyperlink to the file (and, for issues, to the cell); plain text past Excel's limits."""
        target = Path(value)
        shown = self._relative.get(value)
        if shown is None:
            try:
                shown = os.path.relpath(target, self.base)
            except ValueError:  # another drive on Windows
                shown = str(target)
            # A name in no valid encoding is shown with U+FFFD (a workbook cannot hold its
            # bytes), and a control character is escaped: the link text stays one line.
            shown = self._relative[value] = printable(shown)
        url = "external:" + shown.replace("\\", "/")
        if sheet.key.startswith("issues"):
            sheet_name, cell = row[sheet.column("sheet")], row[sheet.column("cell")]
            if sheet_name and cell:
                url += f"#'{sheet_name}'!{cell}"
        if urls >= MAX_URLS or len(url) > MAX_URL_LENGTH:
            ws.write_string(r, c, shown, self.plain)
            return 0
        ws.write_url(r, c, url, self.link, string=shown)
        return 1

    def _colour(self, ws: Any, kind: str, col: int, n: int) -> None:
        if kind not in COLOURED or n == 0:
            return
        for value, colours in COLOURED[kind].items():
            shown = self.text(kind, value)
            ws.conditional_format(
                1,
                col,
                n,
                col,
                {
                    "type": "cell",
                    "criteria": "==",
                    "value": f'"{shown}"',
                    "format": self.fills[colours],
                },
            )

    # -- overview --------------------------------------------------------------------

    def overview(self, sheet: SheetData) -> None:
        ws = self.wb.add_worksheet(self.titles["overview"])
        h = self.summary.headline
        ws.write_string(
            0,
            0,
            f"销售汇总 Sales summary {h.period}"
            if self.lang == "zh"
            else f"Sales summary {h.period}",
            self.title,
        )
        ws.write_string(2, 0, self.label("指标", "Metric").replace("\n", " "), self.head)
        ws.write_string(2, 1, self.label("值", "Value").replace("\n", " "), self.head)
        kinds = sheet.row_kinds or ["text"] * len(sheet.rows)
        for i, (row, kind) in enumerate(zip(sheet.rows, kinds, strict=True), start=3):
            zh, en, value = row
            ws.write_string(i, 0, f"{zh} {en}" if self.lang == "zh" else en, self.plain)
            write_cell(ws, i, 1, value, self.formats.get(kind))
        ws.set_column(0, 0, 26)
        ws.set_column(1, 1, 16)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 1)  # the overview prints (and converts to PDF) as one page
        # Tables down the left (metrics, teams, daily sales), charts to their right.
        teams_top = 3 + len(sheet.rows) + 1
        trend_top = self._team_block(ws, teams_top) + 1
        self._trend_block(ws, trend_top)
        self._charts(ws, trend_top)

    def _team_block(self, ws: Any, top: int) -> int:
        """The team totals table from row `top`; returns the row after it."""
        teams = self.summary.sheet("by_team")
        # the pro-rated target: what completion and pace compare with
        keys = ["team", "region", "amount", "prorated_target", "completion", "pace", "warning"]
        ws.write_string(
            top, 0, "团队合计 Team totals" if self.lang == "zh" else "Team totals", self.title
        )
        for c, key in enumerate(keys):
            col = teams.columns[teams.column(key)]
            ws.write_string(top + 1, c, self.label(col.zh, col.en).replace("\n", " "), self.head)
            for r, row in enumerate(teams.rows, start=top + 2):
                write_cell(
                    ws,
                    r,
                    c,
                    self.text(col.kind, row[teams.column(key)]),
                    self.formats.get(col.kind),
                )
            self._colour_range(ws, col.kind, top + 2, top + 1 + len(teams.rows), c)
        ws.set_column(2, 6, 14)
        return top + 2 + len(teams.rows)

    def _colour_range(self, ws: Any, kind: str, first: int, last: int, col: int) -> None:
        if kind != "warning" or last < first:
            return
        for value, colours in COLOURED[kind].items():
            ws.conditional_format(
                first,
                col,
                last,
                col,
                {
                    "type": "cell",
                    "criteria": "==",
                    "value": f'"{self.text(kind, value)}"',
                    "format": self.fills[colours],
                },
            )

    def _trend_block(self, ws: Any, top: int) -> None:
        trend = self.summary.daily_trend
        if trend is None:
            return
        ws.write_string(
            top, 0, "每日成交 Daily sales" if self.lang == "zh" else "Daily sales", self.title
        )
        for c, col in enumerate(trend.columns):
            ws.write_string(top + 1, c, self.label(col.zh, col.en).replace("\n", " "), self.head)
            for r, row in enumerate(trend.rows, start=top + 2):
                write_cell(ws, r, c, row[c], self.formats.get(col.kind))

    def _charts(self, ws: Any, trend_top: int) -> None:
        zh = self.lang == "zh"
        by_rep = self.summary.sheet("by_rep")
        n = len(by_rep.rows)
        rep_title = self.titles["by_rep"]
        has_targets = self.summary.headline.target is not None
        if n:  # completion by rep; the amount when no targets were given
            key = "completion" if has_targets else "amount"
            chart = self.wb.add_chart({"type": "bar"})
            chart.add_series(
                {
                    "name": ("完成率 Completion" if zh else "Completion")
                    if has_targets
                    else ("金额 Amount" if zh else "Amount"),
                    "categories": [rep_title, 1, by_rep.column("name"), n, by_rep.column("name")],
                    "values": [rep_title, 1, by_rep.column(key), n, by_rep.column(key)],
                    "fill": {"color": "#4F81BD"},
                }
            )
            title = (
                ("完成率（按销售员）Completion by rep" if zh else "Completion by rep")
                if has_targets
                else ("金额（按销售员）Amount by rep" if zh else "Amount by rep")
            )
            chart.set_title({"name": title})
            chart.set_x_axis({"num_format": "0%" if has_targets else "¥#,##0"})
            chart.set_y_axis({"reverse": True})
            chart.set_legend({"none": True})
            chart.set_size({"width": 520, "height": max(300, min(2000, 16 * n + 80))})
            ws.insert_chart(2, 8, chart)
        trend = self.summary.daily_trend
        if trend is not None and trend.rows:
            first, last = trend_top + 2, trend_top + 1 + len(trend.rows)
            chart = self.wb.add_chart({"type": "line"})
            chart.add_series(
                {
                    "name": "成交金额 Amount" if zh else "Amount",
                    "categories": [self.titles["overview"], first, 0, last, 0],
                    "values": [self.titles["overview"], first, 1, last, 1],
                    "marker": {"type": "circle"},
                }
            )
            chart.set_title({"name": "每日成交 Daily sales" if zh else "Daily sales"})
            chart.set_legend({"none": True})
            chart.set_x_axis({"date_axis": True, "num_format": "mm-dd"})
            chart.set_y_axis({"num_format": "¥#,##0"})
            ws.insert_chart(2, 17, chart)
        funnel = self.summary.sheet("funnel")
        if funnel.rows:
            total_row = len(funnel.rows)
            first_col = funnel.column("stage_1")
            chart = self.wb.add_chart({"type": "column"})
            chart.add_series(
                {
                    "name": "客户数 Customers" if zh else "Customers",
                    "categories": [self.titles["funnel"], 0, first_col, 0, first_col + 6],
                    "values": [
                        self.titles["funnel"],
                        total_row,
                        first_col,
                        total_row,
                        first_col + 6,
                    ],
                    "fill": {"color": "#9BBB59"},
                }
            )
            chart.set_title({"name": "销售漏斗 Funnel by stage" if zh else "Funnel by stage"})
            chart.set_legend({"none": True})
            ws.insert_chart(18, 17, chart)


def _noted(overview: SheetData, notes: list[list[Any]]) -> SheetData:
    """The Overview with rows saying which lists were shortened."""
    kinds = overview.row_kinds or ["text"] * len(overview.rows)
    return dataclasses.replace(
        overview, rows=[*overview.rows, *notes], row_kinds=[*kinds, *["text"] * len(notes)]
    )


def _pieces(sheet: SheetData) -> list[SheetData]:
    """A sheet as Excel can hold it: more rows than fit one sheet continue on `明细 2 Details 2`,
    `明细 3 Details 3`… (the Details of thousands of reps, the Issues of a huge inbox),
    every row kept, never cut off."""
    per = MAX_SHEET_ROWS - 1  # the header takes a row
    if len(sheet.rows) <= per or sheet.key == "overview":  # a few dozen rows, laid out by hand
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
    with paused_gc():  # a few new lists among millions of objects: no collection for them
        shown, cut = shorten_lists(summary.sheets, None if details else list_limit)
        if cut:
            shown = [_noted(s, overview_notes(cut)) if s.key == "overview" else s for s in shown]
        sheets: Sequence[SheetData] = [
            piece for s in shown if details or s.key != "details" for piece in _pieces(s)
        ]
    with (
        atomic_output(path, "汇总文件", written=Written.SUMMARY, inputs=inputs) as tmp,
        paused_gc(),  # ~100k cells of small objects, no cycles
    ):
        wb = xlsxwriter.Workbook(
            str(tmp),
            {
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
                "default_date_format": "yyyy-mm-dd",
            },
        )
        wb.set_properties(
            {
                "title": f"salesxl summary {summary.headline.period}",
                "created": dt.datetime.combine(summary.headline.as_of, dt.time()),
            }
        )
        mark(wb, Written.SUMMARY)
        writer = _Writer(wb, summary, lang, path.resolve().parent)
        taken: list[str] = []
        for sheet in sheets:
            writer.titles[sheet.key] = safe_sheet_title(sheet.title(lang), taken)
            taken.append(writer.titles[sheet.key])
        streamed = []
        for sheet in sheets:
            if sheet.key == "overview":
                writer.overview(sheet)
            elif sheet.key.startswith("details"):
                # Rows go to a temporary file as they are written (xlsxwriter's constant
                # memory mode, for these sheets only): the Details of 1,000 reps would
                # otherwise hold every cell as an object until the file is written.
                wb.constant_memory = True
                table = sheet.key.replace("details", "Details").replace("_", "")
                writer.table_sheet(sheet, as_table=table)
                wb.constant_memory = False
                streamed.append(wb.worksheets()[-1])
            else:
                writer.table_sheet(sheet)
        for ws in streamed:  # as Workbook.close does for a workbook in constant memory mode
            ws._opt_close()
        wb.close()
    return path
