"""Validate a located form cell by cell and return its typed records (docs/issues.md).

One pass over the rows collects every issue of the file (lazy, not
fail-first): each with its sheet, A1 cell, row, column label, a message in
Chinese and English that says how to fix it, and the offending value.  The
result is a `FormData` (salesxl.validate.model).
"""

from __future__ import annotations

from typing import Any

from salesxl.core.issues import Code, Issue, make_issue, message
from salesxl.core.periods import Month, Week
from salesxl.forms import Form
from salesxl.read.locate import HeaderCell, Layout
from salesxl.read.values import CellValueError, cell_parser
from salesxl.read.workbook import Book
from salesxl.validate.model import FormData, ValidationContext
from salesxl.validate.rows import (
    NUMERIC,
    TableChecker,
    column_letters,
    insane_number,
    range_problem,
    unknown_rep,
)

__all__ = ["check_layout"]


def check_layout(book: Book, layout: Layout, ctx: ValidationContext, path: str) -> FormData:
    """Parse and check every header value and table cell of a located form."""
    form = layout.form
    issues: list[Issue] = []
    # A header value whose label is missing altogether is reported on the sheet it belongs on.
    header_layout = layout.tables.get(form.header_table or "")
    uncalculated = {
        key
        for key, cell in layout.header.items()
        if (cell.row, cell.col) in book.grid(cell.sheet).uncached
    }
    header = _check_header(
        form,
        layout.header,
        ctx,
        path,
        issues,
        header_layout.sheet if header_layout else None,
        uncalculated,
    )
    period = header.get(form.period_field) if form.period_field else None
    default_year = _period_year(period) or _period_year(ctx.period)
    data = FormData(path, form.id, header, issues=issues)
    data.header_cells = {
        key: (cell.sheet, f"{column_letters(cell.col)}{cell.row + 1}")
        for key, cell in layout.header.items()
    }
    for key, table_layout in layout.tables.items():
        grid = book.grid(table_layout.sheet)
        checker = TableChecker(
            table_layout,
            grid,
            path=path,
            today=ctx.today,
            period=period,
            default_year=default_year,
            roster_ids=ctx.roster_ids,
            products=ctx.products,
            max_amount=ctx.limits.max_amount,
        )
        data.tables[key] = checker.run()
        issues.extend(issue for _, _, issue in checker.found)
    reported = {
        (layout.header[k].sheet, layout.header[k].row, layout.header[k].col) for k in uncalculated
    }
    _report_other_formulas(book, layout, path, reported, issues)
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


def _check_header(
    form: Form,
    cells: dict[str, HeaderCell],
    ctx: ValidationContext,
    path: str,
    issues: list[Issue],
    sheet: str | None = None,
    uncalculated: frozenset[str] | set[str] = frozenset(),
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for f in form.header:
        cell = cells.get(f.key)
        raw = cell.value if cell else ""
        where = _where(cell) if cell else {"sheet": sheet}
        if f.key in uncalculated:  # a formula never calculated: not missing, not zero
            issues.append(
                make_issue(
                    Code.FORMULA_WITHOUT_VALUE,
                    path,
                    *message(Code.FORMULA_WITHOUT_VALUE, field_zh=f.zh, field_en=f.en),
                    column=f.bilingual,
                    **where,
                )
            )
            continue
        if raw == "" or raw is None or (isinstance(raw, str) and not raw.strip()):
            if f.default is not None:
                values[f.key] = f.default
            elif f.required:
                example = f.example if f.example is not None else "…"
                issues.append(
                    make_issue(
                        Code.MISSING_HEADER,
                        path,
                        *message(
                            Code.MISSING_HEADER, field_zh=f.zh, field_en=f.en, example=example
                        ),
                        column=f.bilingual,
                        **where,
                    )
                )
            continue
        try:
            value = cell_parser(f)(raw)
        except CellValueError as problem:
            issues.append(
                make_issue(
                    problem.code,
                    path,
                    problem.message_zh,
                    problem.message_en,
                    column=f.bilingual,
                    value=raw,
                    **where,
                )
            )
            continue
        limit = ctx.limits.max_amount
        if f.type in NUMERIC and not -limit <= value <= limit:
            issues.append(
                make_issue(
                    Code.OUT_OF_RANGE,
                    path,
                    *insane_number(f, value, limit),
                    column=f.bilingual,
                    value=raw,
                    **where,
                )
            )
            continue
        hit = range_problem(f, value)
        if hit:
            issues.append(
                make_issue(Code.OUT_OF_RANGE, path, *hit, column=f.bilingual, value=raw, **where)
            )
            continue
        values[f.key] = value

    if form.period_field and ctx.period is not None and form.period_field in values:
        got = values[form.period_field]
        if not _period_matches(got, ctx.period):
            f = form.header_field(form.period_field)
            issues.append(
                make_issue(
                    Code.WRONG_PERIOD,
                    path,
                    *message(
                        Code.WRONG_PERIOD, field_zh=f.zh, field_en=f.en, got=got, wanted=ctx.period
                    ),
                    column=f.bilingual,
                    value=str(got),
                    **_where(cells.get(form.period_field)),
                )
            )
    if form.rep_field and ctx.roster_ids is not None and form.rep_field in values:
        rep = values[form.rep_field]
        if rep not in ctx.roster_ids:
            f = form.header_field(form.rep_field)
            issues.append(unknown_rep(path, f, rep, _where(cells.get(form.rep_field))))
    return values


def _where(cell: HeaderCell | None) -> dict[str, Any]:
    if cell is None:
        return {}
    return {
        "sheet": cell.sheet,
        "cell": f"{column_letters(cell.col)}{cell.row + 1}",
        "row": cell.row + 1,
    }


def _period_matches(got: Month | Week, wanted: Month | Week) -> bool:
    if type(got) is type(wanted):
        return got == wanted
    if isinstance(got, Week) and isinstance(wanted, Month):
        return got.overlaps(wanted)
    if isinstance(got, Month) and isinstance(wanted, Week):
        return wanted.overlaps(got)
    return False


def _report_other_formulas(
    book: Book, layout: Layout, path: str, reported: set[tuple[str, int, int]], issues: list[Issue]
) -> None:
    """Uncached formulas outside the tables (header block, progress block) are reported too.

    Inside a table's columns, the checker has reported those of real rows; the rest sit
    in blank prepared rows (日清 今日成交 of days not yet filled in) and mean nothing.
    """
    sheets = sorted(
        {t.sheet for t in layout.tables.values()} | {cell.sheet for cell in layout.header.values()}
    )
    inside = {
        (t.sheet, col): t.first_data_row
        for t in layout.tables.values()
        for col in t.columns.values()
    }
    for sheet in sheets:
        grid = book.grid(sheet)
        for r, c in sorted(grid.uncached):
            if (sheet, r, c) in reported:
                continue
            first = inside.get((sheet, c))
            if first is not None and r >= first:
                continue
            issues.append(
                make_issue(
                    Code.FORMULA_WITHOUT_VALUE,
                    path,
                    *message(Code.FORMULA_WITHOUT_VALUE, field_zh="此单元格", field_en="This cell"),
                    sheet=sheet,
                    cell=f"{column_letters(c)}{r + 1}",
                    row=r + 1,
                )
            )
