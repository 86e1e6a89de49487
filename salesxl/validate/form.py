"""Validate a located form cell by cell and return its typed records (docs/issues.md).

One pass over the rows collects every issue of the file (lazy, not
fail-first): each with its sheet, A1 cell, row, column label, a message in
Chinese and English that says how to fix it, and the offending value.  The
result is a `FormData` (salesxl.validate.model).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from salesxl.core.issues import Code, Issue, make_issue, message
from salesxl.core.periods import Month, Week
from salesxl.forms import Field, Form
from salesxl.forms.formula import evaluator
from salesxl.forms.formula import parse as parse_formula
from salesxl.read.locate import HeaderCell, Layout
from salesxl.read.values import CellValueError, CellValueWarningError, cell_parser, text_of
from salesxl.read.workbook import Book
from salesxl.validate.employment import Employment, employed_as
from salesxl.validate.model import FormData, TableData, ValidationContext
from salesxl.validate.rows import (
    NUMERIC,
    TableChecker,
    cell_range,
    cell_runs,
    column_letters,
    formula_message,
    formula_severity,
    insane_number,
    range_problem,
    rep_id_normalised,
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
    errors = {
        key: shown
        for key, cell in layout.header.items()
        if (shown := book.grid(cell.sheet).errors.get((cell.row, cell.col))) is not None
    }
    header = _check_header(
        form,
        layout.header,
        ctx,
        path,
        issues,
        header_layout.sheet if header_layout else None,
        uncalculated,
        errors,
    )
    period = header.get(form.period_field) if form.period_field else None
    default_year = _period_year(period) or _period_year(ctx.period)
    data = FormData(path, form.id, header, issues=issues)
    employed = _employment(form, header, ctx)
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
            reps=ctx.reps,
            products=ctx.products,
            date_order=ctx.date_order,
            roster_names=ctx.roster_names,
            max_amount=ctx.limits.max_amount,
            employed=employed,
        )
        data.tables[key] = checker.run()
        issues.extend(issue for _, _, issue in checker.found)
    issues.extend(_computed_mismatches(form, data, path))
    data.signature, data.mapping = layout.signature, layout.mapping
    data.mapping_remembered, data.forgotten = layout.remembered, layout.forgotten
    issues.extend(_mapped_columns_missing(book, layout, ctx, path))
    reported = {
        (layout.header[k].sheet, layout.header[k].row, layout.header[k].col) for k in uncalculated
    }
    _report_other_formulas(book, layout, path, reported, issues)
    issues.extend(_unread_sheets(layout, path))
    return data


def _computed_mismatches(form: Form, data: FormData, path: str) -> list[Issue]:
    """A computed cell (日清 今日成交) whose value, typed or cached, is not what its formula
    gives over the rows read: the summary counts the rows, so the cell misleads the rep.
    The rows hold choices as their codes, which is all a criterion needs to match.  Read
    by column, so that the rows of a report are not made into records for this."""
    issues = []
    for table in form.tables:
        read = data.tables.get(table.key)
        for f in table.fields:
            if f.formula is None or read is None or f.key not in read.columns:
                continue
            values = read.column(f.key)
            numbers = [i for i, v in enumerate(values) if isinstance(v, (int, float))]
            if not numbers:  # (a day close not filled in yet: nothing to work out)
                continue
            formula = parse_formula(f.formula)
            source = data.tables.get(formula.args[0].table or "")
            if source is None:
                continue
            cells = [a.field for a in formula.args if a.kind == "cell"]
            used = {a.field for a in formula.args if a.kind != "cell"}
            rows = _as_records(source, used)
            sums = evaluator(f.formula, {source.key: rows}, lambda ref: (ref.code or "",))
            mine = _as_records(read, set(cells))
            sheet_rows = read.rows or [r["_row"] for r in read.records]
            for i in numbers:
                value, expected = values[i], sums(mine[i])
                if abs(value - expected) < 0.005:
                    continue
                row = sheet_rows[i]
                issues.append(
                    make_issue(
                        Code.COMPUTED_MISMATCH,
                        path,
                        *message(
                            Code.COMPUTED_MISMATCH,
                            field_zh=f.zh,
                            field_en=f.en,
                            value=value,
                            expected=expected,
                            table=source.sheet,
                            rule_zh=f.help_zh,
                            rule_en=f.help_en,
                        ),
                        sheet=read.sheet,
                        cell=f"{read.columns[f.key]}{row}",
                        row=row,
                        column=f.bilingual,
                        value=value,
                    )
                )
    return issues


def _as_records(table: TableData, keys: set[str]) -> list[dict[str, Any]]:
    """The rows of `table` as records of `keys` alone (a field it lacks is blank)."""
    columns = {k: table.column(k) if k in table.columns else None for k in keys}
    return [
        {k: (column[i] if column is not None else None) for k, column in columns.items()}
        for i in range(len(table))
    ]


def _unread_sheets(layout: Layout, path: str) -> list[Issue]:
    """A table of the form on a second sheet, not read: an error at its label row."""
    return [
        make_issue(
            Code.UNREAD_SHEET,
            path,
            *message(
                Code.UNREAD_SHEET,
                sheet=u.sheet,
                table_zh=u.table.zh,
                table_en=u.table.en,
                row=u.header_row + 1,
                rows=u.rows,
                read=u.read_sheet,
            ),
            sheet=u.sheet,
            cell=f"A{u.header_row + 1}",
            row=u.header_row + 1,
        )
        for u in layout.unread
    ]


def _employment(form: Form, header: dict[str, Any], ctx: ValidationContext) -> Employment | None:
    """The form's rep (from its header) with the roster's hire and leave dates; None when
    the form has no rep or the roster gives neither date."""
    rep = header.get(form.rep_field) if form.rep_field else None
    return employed_as(rep, ctx.employment, ctx.rep_names)


def _mapped_columns_missing(
    book: Book, layout: Layout, ctx: ValidationContext, path: str
) -> list[Issue]:
    """`--map FIELD=HEADER` naming a header the file does not have: say which it has."""
    main = layout.tables.get(layout.form.main_table.key)
    if not ctx.column_map or main is None:
        return []
    fields = {f.key: f for f in main.table.fields}
    top = book.grid(main.sheet).rows[main.header_row]
    found = [text_of(v) for v in top if text_of(v)]
    issues = []
    for key, header in ctx.column_map.items():
        if key in fields and key not in main.mapped:
            f = fields[key]
            shown = ", ".join(found[:20]) + (" …" if len(found) > 20 else "")
            issues.append(
                make_issue(
                    Code.MAPPED_COLUMN_MISSING,
                    path,
                    *message(
                        Code.MAPPED_COLUMN_MISSING,
                        key=key,
                        header=header,
                        row=main.header_row + 1,
                        found=shown,
                    ),
                    sheet=main.sheet,
                    row=main.header_row + 1,
                    column=f.bilingual,
                    value=header,
                )
            )
    return issues


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
    errors: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    errors = errors or {}
    values: dict[str, Any] = {}
    for f in form.header:
        cell = cells.get(f.key)
        raw = cell.value if cell else ""
        where = _where(cell) if cell else {"sheet": sheet}
        shown = errors.get(f.key)
        if shown is not None:  # #N/A, #DIV/0!: reads as blank, but is not
            issues.append(
                make_issue(
                    Code.CELL_ERROR,
                    path,
                    *message(Code.CELL_ERROR, field_zh=f.zh, field_en=f.en, error=shown),
                    column=f.bilingual,
                    value=shown,
                    **where,
                )
            )
            continue
        if f.key in uncalculated:  # a formula never calculated: not missing, not zero
            issues.append(
                make_issue(
                    Code.FORMULA_WITHOUT_VALUE,
                    path,
                    *formula_message(f),
                    column=f.bilingual,
                    severity=formula_severity(f),
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
            value = _header_parser(f)(raw)
        except CellValueWarningError as note:  # read, with a warning
            value = note.value
            issues.append(
                make_issue(
                    note.code,
                    path,
                    note.message_zh,
                    note.message_en,
                    column=f.bilingual,
                    value=raw,
                    **where,
                )
            )
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
    if form.rep_field and ctx.reps is not None and form.rep_field in values:
        f = form.header_field(form.rep_field)
        cell = cells.get(form.rep_field)
        match = ctx.reps.match(values[form.rep_field])
        typed = text_of(cell.value) if cell else match.typed
        if match.rep_id is None:
            issues.append(unknown_rep(path, f, match, _where(cell)))
        elif typed != match.rep_id:  # `s020` or `Ｓ０２０` typed: read as the roster's S020
            values[form.rep_field] = match.rep_id
            issues.append(rep_id_normalised(path, f, typed, match.rep_id, _where(cell)))
    return values


# A header field's parser, built once per process (a month's builds its table of periods).
_HEADER_PARSERS: dict[int, tuple[Field, Callable[[Any], Any]]] = {}


def _header_parser(f: Field) -> Callable[[Any], Any]:
    known = _HEADER_PARSERS.get(id(f))
    if known is None or known[0] is not f:  # (a field made since, in the place of another)
        if len(_HEADER_PARSERS) >= 1_000:
            _HEADER_PARSERS.clear()
        known = _HEADER_PARSERS[id(f)] = (f, cell_parser(f))
    return known[1]


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
    if not any(book.grid(sheet).uncached for sheet in sheets):
        return  # (nearly every report: every formula has its value)
    inside = {
        (t.sheet, col): t.first_data_row
        for t in layout.tables.values()
        for col in t.columns.values()
    }
    for sheet in sheets:
        grid = book.grid(sheet)
        by_column: dict[int, list[int]] = {}
        for r, c in sorted(grid.uncached):
            if (sheet, r, c) in reported:
                continue
            first = inside.get((sheet, c))
            if first is not None and r >= first:
                continue
            by_column.setdefault(c, []).append(r)
        found = [  # one issue per run of cells down a column (the progress block's three)
            (first, c, last) for c, rows in by_column.items() for first, last in cell_runs(rows)
        ]
        for first, c, last in sorted(found):
            n = last - first + 1
            issues.append(
                make_issue(
                    Code.FORMULA_WITHOUT_VALUE,
                    path,
                    *formula_message(None, n),
                    sheet=sheet,
                    cell=cell_range(column_letters(c), first, last),
                    row=first + 1,
                )
            )
