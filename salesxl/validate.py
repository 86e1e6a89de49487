"""Validate a located form cell by cell and return its typed records (SPEC §4).

One pass over the rows collects every issue of the file (lazy, not
fail-first): each with its sheet, A1 cell, row, column label, a message in
Chinese and English that says how to fix it, and the offending value.  The
result, `FormData`, is plain picklable data that consolidation, the store
and the CLI share.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from salesxl.forms import FORMS, Field, FieldType, Form, Table
from salesxl.issues import Code, Issue, Severity, has_errors, make_issue
from salesxl.periods import Month, Week
from salesxl.read.formulas import column_letters
from salesxl.read.locate import TOTAL_LABELS, HeaderCell, Layout, TableLayout
from salesxl.read.workbook import Book, Grid, Limits
from salesxl.values import CellProblem, cell_parser, norm_label, normalise_phone, text_of

__all__ = ["FormData", "TableData", "ValidationContext", "check_layout", "column_letters"]


@dataclass(frozen=True, slots=True)
class ValidationContext:
    """What validation needs beyond the file: today, the expected period, the roster."""

    today: dt.date = field(default_factory=dt.date.today)
    period: Month | Week | None = None
    roster_ids: frozenset[str] | None = None
    products: frozenset[str] | None = None
    limits: Limits = field(default_factory=Limits)


@dataclass(slots=True)
class TableData:
    """One table's typed records; each record has every field key plus `_row` (1-based)."""

    key: str
    sheet: str
    records: list[dict[str, Any]]
    columns: dict[str, str]  # field key -> column letters, for cells
    extras: list[str] = field(default_factory=list)


@dataclass(slots=True)
class FormData:
    """A file after reading and validation: header values, tables, issues."""

    path: str
    form_id: str | None
    header: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, TableData] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    mtime: float | None = None

    @property
    def form(self) -> Form | None:
        return FORMS.get(self.form_id) if self.form_id else None

    @property
    def rep_id(self) -> str | None:
        form = self.form
        return self.header.get(form.rep_field) if form and form.rep_field else None

    @property
    def period(self) -> Month | Week | None:
        form = self.form
        return self.header.get(form.period_field) if form and form.period_field else None

    @property
    def has_errors(self) -> bool:
        return has_errors(self.issues)

    def records(self, table: str) -> list[dict[str, Any]]:
        data = self.tables.get(table)
        return data.records if data else []


def check_layout(book: Book, layout: Layout, ctx: ValidationContext, path: str) -> FormData:
    """Parse and check every header value and table cell of a located form."""
    form = layout.form
    issues: list[Issue] = []
    # A header value whose label is missing altogether is reported on the sheet it belongs on.
    header_layout = layout.tables.get(form.header_table or "")
    uncalculated = {key for key, cell in layout.header.items()
                    if (cell.row, cell.col) in book.grid(cell.sheet).uncached}
    header = _check_header(form, layout.header, ctx, path, issues,
                           header_layout.sheet if header_layout else None, uncalculated)
    period = header.get(form.period_field) if form.period_field else None
    default_year = _period_year(period) or _period_year(ctx.period)
    data = FormData(path, form.id, header, issues=issues)
    reported_formulas = {(layout.header[k].sheet, layout.header[k].row, layout.header[k].col)
                         for k in uncalculated}
    for key, table_layout in layout.tables.items():
        grid = book.grid(table_layout.sheet)
        checker = _TableChecker(table_layout, grid, ctx, path, period, default_year, issues)
        data.tables[key] = checker.run()
        reported_formulas |= {(grid.name, r, c) for r, c in checker.formula_cells}
    _report_other_formulas(book, layout, path, reported_formulas, issues)
    return data


def _period_year(period: Month | Week | None) -> int | None:
    if isinstance(period, Month):
        return period.year
    if isinstance(period, Week):
        return period.monday.year
    return None


# ----------------------------------------------------------------------------
# Header block
# ----------------------------------------------------------------------------


def _check_header(form: Form, cells: dict[str, HeaderCell], ctx: ValidationContext, path: str,
                  issues: list[Issue], sheet: str | None = None,
                  uncalculated: frozenset[str] | set[str] = frozenset()) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for f in form.header:
        cell = cells.get(f.key)
        raw = cell.value if cell else ""
        where = _where(cell) if cell else {"sheet": sheet}
        if f.key in uncalculated:  # a formula never calculated: not missing, not zero
            issues.append(make_issue(Code.FORMULA_WITHOUT_VALUE, path,
                                     *_formula_message(f.zh, f.en), column=f.bilingual, **where))
            continue
        if raw == "" or raw is None or (isinstance(raw, str) and not raw.strip()):
            if f.default is not None:
                values[f.key] = f.default
            elif f.required:
                example = f.example if f.example is not None else "…"
                issues.append(make_issue(
                    Code.MISSING_HEADER, path,
                    f"表头缺少「{f.zh}」。请在表格上方填写，例如：{f.zh} | {example}。",
                    f"The header block has no {f.en}. Add it above the table, e.g. {f.en} | {example}.",
                    column=f.bilingual, **where))
            continue
        try:
            value = cell_parser(f)(raw)
        except CellProblem as problem:
            issues.append(make_issue(problem.code, path, problem.message_zh, problem.message_en,
                                     column=f.bilingual, value=raw, **where))
            continue
        hit = _range_problem(f, value)
        if hit:
            issues.append(make_issue(Code.OUT_OF_RANGE, path, *hit, column=f.bilingual,
                                     value=raw, **where))
            continue
        values[f.key] = value

    if form.period_field and ctx.period is not None and form.period_field in values:
        got = values[form.period_field]
        if not _period_matches(got, ctx.period):
            f = form.header_field(form.period_field)
            issues.append(make_issue(
                Code.WRONG_PERIOD, path,
                f"{f.zh}是 {got}，但本次汇总的期间是 {ctx.period}。请确认文件是否放错期间，或改正{f.zh}。",
                f"The {f.en.lower()} is {got} but the requested period is {ctx.period}. "
                f"Check that the file belongs to this period, or correct the {f.en.lower()}.",
                column=f.bilingual, value=str(got), **_where(cells.get(form.period_field))))
    if form.rep_field and ctx.roster_ids is not None and form.rep_field in values:
        rep = values[form.rep_field]
        if rep not in ctx.roster_ids:
            f = form.header_field(form.rep_field)
            issues.append(_unknown_rep(path, f, rep, _where(cells.get(form.rep_field))))
    return values


def _where(cell: HeaderCell | None) -> dict[str, Any]:
    if cell is None:
        return {}
    return {"sheet": cell.sheet, "cell": f"{column_letters(cell.col)}{cell.row + 1}",
            "row": cell.row + 1}


def _period_matches(got: Month | Week, wanted: Month | Week) -> bool:
    if type(got) is type(wanted):
        return got == wanted
    if isinstance(got, Week) and isinstance(wanted, Month):
        return got.overlaps(wanted)
    if isinstance(got, Month) and isinstance(wanted, Week):
        return wanted.overlaps(got)
    return False


def _unknown_rep(path: str, f: Field, rep: str, where: dict[str, Any]) -> Issue:
    return make_issue(
        Code.UNKNOWN_REP, path,
        f"{f.zh}「{rep}」不在花名册中。请核对工号，或请管理员把此人加入花名册。",
        f"{f.en} '{rep}' is not in the roster. Check the ID, or ask the admin to add the rep.",
        column=f.bilingual, value=rep, **where)


def _range_problem(f: Field, value: Any) -> tuple[str, str] | None:
    if f.min is not None and value < f.min:
        return (f"{f.zh} {text_of(value)} 小于最小值 {f.min:g}。请更正。",
                f"{f.en} {text_of(value)} is below the minimum {f.min:g}. Correct it.")
    if f.max is not None and value > f.max:
        return (f"{f.zh} {text_of(value)} 大于最大值 {f.max:g}。请更正。",
                f"{f.en} {text_of(value)} is above the maximum {f.max:g}. Correct it.")
    return None


# ----------------------------------------------------------------------------
# Tables
# ----------------------------------------------------------------------------

_NUMERIC = frozenset({FieldType.NUMBER, FieldType.MONEY, FieldType.INTEGER, FieldType.PERCENT})
_TOTAL_FIRST_CHARS = frozenset("合小总tTsSΣ \u3000")


@dataclass(slots=True)
class _Column:
    field: Field
    col: int
    letters: str
    parse: Callable[[Any], Any]


class _TableChecker:
    """Walks one table's rows once, building records and collecting issues."""

    def __init__(self, layout: TableLayout, grid: Grid, ctx: ValidationContext, path: str,
                 period: Month | Week | None, default_year: int | None,
                 issues: list[Issue]) -> None:
        self.layout, self.grid, self.ctx, self.path = layout, grid, ctx, path
        self.table: Table = layout.table
        self.period, self.issues = period, issues
        self.formula_cells: list[tuple[int, int]] = []
        products = ctx.products
        self.columns = [
            _Column(f, layout.columns[f.key], column_letters(layout.columns[f.key]),
                    cell_parser(f, default_year=default_year,
                                products=products if f.key == "product" else None))
            for f in self.table.fields if f.key in layout.columns
        ]
        self.labels = {f.key: f for f in self.table.fields}

    def issue(self, code: Code, column: _Column | None, r: int, zh: str, en: str,
              value: Any = None, severity: Severity | None = None) -> None:
        col = column or self.columns[0]
        self.issues.append(make_issue(
            code, self.path, zh, en, sheet=self.grid.name, cell=f"{col.letters}{r + 1}", row=r + 1,
            column=col.field.bilingual if column else None, value=value, severity=severity))

    def run(self) -> TableData:
        layout, table = self.layout, self.table
        self._structure_issues()
        records: list[dict[str, Any]] = []
        seen_rows: dict[tuple[Any, ...], int] = {}
        unique = {c.field.key: {} for c in self.columns if c.field.unique}
        extra_cols = sorted(layout.extras)
        empty_record = {f.key: None for f in table.fields}
        uncached = self.grid.uncached
        rows = self.grid.rows
        # Computed columns (日清 今日成交) hold a cached 0 in every prepared row:
        # a row is blank when all columns a person fills in are blank.
        inputs = [i for i, c in enumerate(self.columns) if c.field.formula is None]
        merged_numbers = self._merged_numbers()
        for r in range(layout.first_data_row, len(rows)):
            cells = rows[r]
            n = len(cells)
            raws = [cells[c.col] if c.col < n else "" for c in self.columns]
            if not any(_filled(raws[i]) for i in inputs) and not (
                    uncached and any((r, self.columns[i].col) in uncached for i in inputs)):
                continue  # blank row (a prepared computed cell alone does not count)
            if self._is_total_row(cells):
                continue
            record = dict(empty_record)
            record["_row"] = r + 1
            bad: set[str] = set()
            if r in merged_numbers:
                # A number merged over several rows counts once, in its top row; the
                # rules leave the covered cells alone (they are not missing).
                for i in merged_numbers[r]:
                    raws[i] = ""
                    bad.add(self.columns[i].field.key)
                for column, raw in zip(self.columns, raws, strict=True):
                    if column.field.key not in bad:
                        record[column.field.key] = self._cell(column, r, raw, bad)
            else:
                for column, raw in zip(self.columns, raws, strict=True):
                    record[column.field.key] = self._cell(column, r, raw, bad)
            if extra_cols:
                record["_extra"] = {layout.extras[c]: cells[c] for c in extra_cols
                                    if c < n and cells[c] != ""}
            self._rules(record, r, bad)
            key = tuple(raws[i] for i in inputs)
            if key in seen_rows:
                self.issue(Code.DUPLICATE_ROW, None, r,
                           f"这一行与第 {seen_rows[key]} 行完全相同。如果是重复录入，请删除其中一行。",
                           f"This row is identical to row {seen_rows[key]}. "
                           "If it was entered twice, delete one of them.")
            else:
                seen_rows[key] = r + 1
            for fkey, firsts in unique.items():
                value = record[fkey]
                if value is None:
                    continue
                if value in firsts:
                    column = next(c for c in self.columns if c.field.key == fkey)
                    self.issue(Code.DUPLICATE_ROW, column, r,
                               f"{column.field.zh}「{value}」与第 {firsts[value]} 行重复，必须唯一。请更正。",
                               f"{column.field.en} '{value}' repeats row {firsts[value]}; "
                               "it must be unique. Correct it.",
                               value, Severity.ERROR)
                else:
                    firsts[value] = r + 1
            records.append(record)
        return TableData(table.key, self.grid.name, records,
                         {c.field.key: c.letters for c in self.columns},
                         [layout.extras[c] for c in extra_cols])

    def _merged_numbers(self) -> dict[int, list[int]]:
        """Row -> columns (indexes into self.columns) whose number is a copy of a merged cell."""
        numeric = {c.col: i for i, c in enumerate(self.columns) if c.field.type in _NUMERIC}
        covered: dict[int, list[int]] = {}
        for (r1, c1), (r2, c2) in self.grid.merged:
            for col in range(c1, c2 + 1):
                if col in numeric:
                    for r in range(r1, r2 + 1):
                        if (r, col) != (r1, c1):
                            covered.setdefault(r, []).append(numeric[col])
        return covered

    def _structure_issues(self) -> None:
        layout, r = self.layout, self.layout.header_row
        for f in self.table.fields:
            if f.required and f.key not in layout.columns:
                self.issues.append(make_issue(
                    Code.MISSING_COLUMN, self.path,
                    f"「{self.grid.name}」表缺少必填列「{f.zh} {f.en}」。请在第 {r + 1} 行表头加上这一列"
                    "（可从模板复制）。",
                    f"Sheet '{self.grid.name}' has no required column '{f.zh} {f.en}'. "
                    f"Add it to the header row {r + 1} (copy it from the template).",
                    sheet=self.grid.name, row=r + 1, column=f.bilingual))
        for c, label in sorted(layout.extras.items()):
            r = layout.extra_rows.get(c, layout.header_row)
            self.issues.append(make_issue(
                Code.EXTRA_COLUMN, self.path,
                f"列「{label}」不是表单中的列，已保留但不参与汇总。",
                f"Column '{label}' is not part of the form; it is kept but not used.",
                sheet=self.grid.name, cell=f"{column_letters(c)}{r + 1}", row=r + 1,
                column=label, value=label))

    @staticmethod
    def _is_total_row(cells: list[Any]) -> bool:
        """A row labelled 合计/小计/Total in any of its cells, the form's columns or not."""
        for v in cells:
            if (v.__class__ is str and v[:1] in _TOTAL_FIRST_CHARS and len(v) <= 20
                    and norm_label(v) in TOTAL_LABELS):
                return True
        return False

    def _cell(self, column: _Column, r: int, raw: Any, bad: set[str]) -> Any:
        f = column.field
        if (r, column.col) in self.grid.uncached:
            self.formula_cells.append((r, column.col))
            bad.add(f.key)
            self.issue(Code.FORMULA_WITHOUT_VALUE, column, r, *_formula_message(f.zh, f.en))
            return None
        if raw == "" or raw is None or (isinstance(raw, str) and not raw.strip()):
            if f.required:
                bad.add(f.key)
                self.issue(Code.REQUIRED, column, r, f"「{f.zh}」必须填写。请补上。",
                           f"{f.en} is required. Fill it in.")
            return None
        try:
            value = column.parse(raw)
        except CellProblem as problem:
            bad.add(f.key)
            self.issue(problem.code, column, r, problem.message_zh, problem.message_en, raw)
            return None
        kind = f.type
        if f.min is not None or f.max is not None:
            hit = _range_problem(f, value)
            if hit:
                bad.add(f.key)
                self.issue(Code.OUT_OF_RANGE, column, r, *hit, raw)
        elif kind is FieldType.DATE:
            self._check_date(column, r, value, raw, bad)
        elif kind is FieldType.PHONE and not normalise_phone(value)[1]:
            self.issue(Code.PHONE_FORMAT, column, r,
                       f"电话「{value}」不是有效的手机号（1 开头 11 位）或座机号（0xx-xxxxxxxx）。请核对。",
                       f"Phone '{value}' is not a valid CN mobile (11 digits starting with 1) "
                       "or landline (0xx-xxxxxxxx). Check it.", raw)
        elif (f.key == "rep_id" and self.ctx.roster_ids is not None
              and value not in self.ctx.roster_ids):
            self.issues.append(_unknown_rep(self.path, f, value, {
                "sheet": self.grid.name, "cell": f"{column.letters}{r + 1}", "row": r + 1}))
        return value

    def _check_date(self, column: _Column, r: int, value: dt.date, raw: Any, bad: set[str]) -> None:
        f = column.field
        period = self.period
        if f.in_period and period is not None and not period.contains(value):
            bad.add(f.key)
            what_zh = "月份" if isinstance(period, Month) else "周"
            what_en = "month" if isinstance(period, Month) else "week"
            self.issue(Code.OUT_OF_RANGE, column, r,
                       f"{f.zh} {value:%Y-%m-%d} 不在表头{what_zh} {period} 内。"
                       f"请改正日期，或把这一行放到对应{what_zh}的文件中。",
                       f"{f.en} {value:%Y-%m-%d} is outside the header {what_en} {period}. "
                       f"Correct the date or move the row to that {what_en}'s file.", raw)
        elif f.not_future and value > self.ctx.today:
            self.issue(Code.FUTURE_DATE, column, r,
                       f"{f.zh} {value:%Y-%m-%d} 晚于今天（{self.ctx.today:%Y-%m-%d}）。请确认日期是否写错。",
                       f"{f.en} {value:%Y-%m-%d} is after today ({self.ctx.today:%Y-%m-%d}). "
                       "Check the date.", raw)

    def _rules(self, record: dict[str, Any], r: int, bad: set[str]) -> None:
        for rule in self.table.rules:
            if bad.intersection(rule.fields):
                continue
            hit = rule.check(record, self.labels)
            if hit is None:
                continue
            column = next((c for c in self.columns if c.field.key == hit.field), None)
            if column is None:  # the rule's field is not in the file: point at its row
                column = next(c for c in self.columns if c.field.key in rule.fields)
            self.issue(rule.code, column, r, hit.message_zh, hit.message_en, hit.value)


def _filled(value: Any) -> bool:
    return value != "" and value is not None and not (isinstance(value, str) and not value.strip())


def _formula_message(zh: str, en: str) -> tuple[str, str]:
    return (f"「{zh}」是公式，但文件里没有计算结果（文件由程序生成、未在 Excel 中打开保存）。"
            "请在 Excel 中打开此文件，保存后重新提交。",
            f"{en} is a formula with no calculated value (the file was written by a program and "
            "never opened in Excel). Open it in Excel, save it and send it again.")


def _report_other_formulas(book: Book, layout: Layout, path: str,
                           reported: set[tuple[str, int, int]], issues: list[Issue]) -> None:
    """Uncached formulas outside the tables (header block, progress block) are reported too.

    Inside a table's columns, the checker has reported those of real rows; the rest sit
    in blank prepared rows (日清 今日成交 of days not yet filled in) and mean nothing.
    """
    sheets = sorted({t.sheet for t in layout.tables.values()}
                    | {cell.sheet for cell in layout.header.values()})
    inside = {(t.sheet, col): t.first_data_row for t in layout.tables.values()
              for col in t.columns.values()}
    for sheet in sheets:
        grid = book.grid(sheet)
        for r, c in sorted(grid.uncached):
            if (sheet, r, c) in reported:
                continue
            first = inside.get((sheet, c))
            if first is not None and r >= first:
                continue
            issues.append(make_issue(
                Code.FORMULA_WITHOUT_VALUE, path, *_formula_message("此单元格", "This cell"),
                sheet=sheet, cell=f"{column_letters(c)}{r + 1}", row=r + 1))
