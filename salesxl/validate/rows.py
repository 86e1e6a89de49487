"""Check one table's rows, column by column (the hot loop of every command).

A table is checked a column at a time: each column's values go through a
list comprehension with a fast path for what python-calamine hands over
in a well-filled form (a float in a money column, a date in a date column,
a drop-down value seen before), and only the rest takes the tolerant slow
path of `salesxl.read.values`.  Cross-field rules pre-filter their candidate
rows column-wise too.  Issues are sorted back into row order at the end, so
users read them top to bottom.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from itertools import compress
from operator import itemgetter, not_
from typing import Any

from salesxl.core.issues import Code, Issue, Severity, make_issue, message
from salesxl.core.periods import Month, Week
from salesxl.core.rep_ids import RepIndex, RepMatch
from salesxl.forms import Field, FieldType, Role, Table
from salesxl.read.formulas import column_letters
from salesxl.read.locate import TOTAL_LABELS, TableLayout
from salesxl.read.values import (
    CellValueError,
    CellValueWarningError,
    DecimalCommaCellError,
    cell_parser,
    header_unit,
    matcher_for,
    norm_label,
    normalise_phone,
    plain_mobile,
    text_of,
)
from salesxl.read.workbook import Grid
from salesxl.validate.date_columns import settle_numeric_dates
from salesxl.validate.employment import Employment, outside_employment
from salesxl.validate.header_issues import choice_issue, sub_label_issue
from salesxl.validate.model import TableData
from salesxl.validate.rep_names import reps_by_name

__all__ = [
    "NUMERIC",
    "TableChecker",
    "cell_range",
    "cell_runs",
    "column_letters",
    "formula_message",
    "formula_severity",
    "insane_number",
    "range_problem",
    "rep_id_normalised",
    "unknown_rep",
]


_SLOW = object()  # marks a cell the fast path could not settle
_TOTAL_FIRST_CHARS = frozenset("合小总tTsSgGΣ \u3000")  # Total, Sum, Grand total


def _total_label(value: Any) -> bool:
    """合计, 小计, Total and the like (cheap first-character test before normalising)."""
    return (
        value.__class__ is str
        and value[:1] in _TOTAL_FIRST_CHARS
        and len(value) <= 20
        and norm_label(value) in TOTAL_LABELS
    )


# Where a text column's values may start a total label (`_total_label`'s first test).
_TOTAL_START = re.compile("\n[" + "".join(sorted(_TOTAL_FIRST_CHARS)) + "]")


def _labels_and_gaps(column: Sequence[Any]) -> tuple[set[Any], bool]:
    """The total labels among a column's values, and whether it has a blank ('' or None).
    A column all of text is searched in one string for a value starting as a label may."""
    try:
        text = "\n".join(column)
    except TypeError:  # not all text (dates, numbers): by distinct value, if any is text
        kinds = set(map(type, column))
        if not any(issubclass(kind, str) for kind in kinds):
            return set(), type(None) in kinds
        distinct = set(column)
        return {v for v in distinct if _total_label(v)}, "" in distinct or None in distinct
    if text[:1] in _TOTAL_FIRST_CHARS or _TOTAL_START.search(text):
        return {v for v in set(column) if _total_label(v)}, "" in column
    return set(), "" in column


NUMERIC = frozenset({FieldType.NUMBER, FieldType.MONEY, FieldType.INTEGER, FieldType.PERCENT})
_DATES = frozenset({FieldType.DATE, FieldType.MONTH_OR_DATE})
_DATE = dt.date


def range_problem(f: Field, value: Any) -> tuple[str, str] | None:
    """The out_of_range message of a number below the field's minimum or above its maximum."""
    if f.min is not None and value < f.min:
        return message(
            Code.OUT_OF_RANGE,
            "below_minimum",
            field_zh=f.zh,
            field_en=f.en,
            value=text_of(value),
            minimum=f.min,
        )
    if f.max is not None and value > f.max:
        return message(
            Code.OUT_OF_RANGE,
            "above_maximum",
            field_zh=f.zh,
            field_en=f.en,
            value=text_of(value),
            maximum=f.max,
        )
    return None


def insane_number(f: Field, value: float, limit: float) -> tuple[str, str]:
    """The message for a number no form can mean (beyond `limit`, or not finite)."""
    if value != value or value in (float("inf"), float("-inf")):
        return message(
            Code.OUT_OF_RANGE, "not_finite", field_zh=f.zh, field_en=f.en, value=text_of(value)
        )
    return message(
        Code.OUT_OF_RANGE,
        "beyond_reason",
        field_zh=f.zh,
        field_en=f.en,
        value=f"{value:,.6g}",
        limit=limit,
    )


def unknown_rep(path: str, f: Field, match: RepMatch, where: dict[str, Any]) -> Issue:
    rep, guess = match.typed, match.suggestion
    return make_issue(
        Code.UNKNOWN_REP,
        path,
        *message(
            Code.UNKNOWN_REP,
            "suggestion" if guess else "",
            field_zh=f.zh,
            field_en=f.en,
            rep=rep,
            guess=guess,
        ),
        column=f.bilingual,
        value=rep,
        **where,
    )


def rep_id_normalised(
    path: str, f: Field, typed: str, rep_id: str, where: dict[str, Any], rows: int = 1
) -> Issue:
    """An ID matched to the roster after folding case, width or spaces: read as the roster's."""
    return make_issue(
        Code.REP_ID_NORMALISED,
        path,
        *message(
            Code.REP_ID_NORMALISED,
            "rows" if rows > 1 else "",
            field_zh=f.zh,
            field_en=f.en,
            typed=typed,
            rep_id=rep_id,
            rows=rows,
        ),
        column=f.bilingual,
        value=typed,
        **where,
    )


def formula_message(
    f: Field | None, cells: int = 1, when: Mapping[str, str] | None = None
) -> tuple[str, str]:
    """Formula cells without a value: of a field (a run of `cells` down its column), or
    other cells (the progress block).  `when`: the condition under which a cross-field
    rule makes the field required in these rows (`Rule.requires`: 金额 of a 成交 row)."""
    if f is None:
        if cells == 1:
            return message(Code.FORMULA_WITHOUT_VALUE, field_zh="此单元格", field_en="This cell")
        return message(Code.FORMULA_WITHOUT_VALUE, "other_cells", cells=cells)
    labels = {"field_zh": f.zh, "field_en": f.en}
    if when is not None:  # required in these rows: an error, as a blank cell would be
        if cells == 1:
            return message(Code.FORMULA_WITHOUT_VALUE, "required_when", **labels, **when)
        return message(
            Code.FORMULA_WITHOUT_VALUE, "required_when_cells", cells=cells, **labels, **when
        )
    if f.required:  # the row cannot count without it: an error, as a blank cell would be
        if cells == 1:
            return message(Code.FORMULA_WITHOUT_VALUE, "required", **labels)
        return message(Code.FORMULA_WITHOUT_VALUE, "required_cells", cells=cells, **labels)
    if cells == 1:
        return message(Code.FORMULA_WITHOUT_VALUE, **labels)
    return message(Code.FORMULA_WITHOUT_VALUE, "cells", cells=cells, **labels)


def formula_severity(f: Field | None, required: bool = False) -> Severity | None:
    """A formula without a value in a field the form requires, or that a rule requires in
    its row (`required`), is an error (the row or file cannot be counted without it, as
    with a blank cell); elsewhere the code's warning."""
    return Severity.ERROR if f is not None and (f.required or required) else None


def cell_runs(rows: list[int]) -> list[tuple[int, int]]:
    """Sorted 0-based rows as runs of consecutive rows: [3, 4, 5, 9] -> [(3, 5), (9, 9)]."""
    runs: list[tuple[int, int]] = []
    for r in rows:
        if runs and r == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], r)
        else:
            runs.append((r, r))
    return runs


def cell_range(letters: str, first: int, last: int) -> str:
    """`B4` or `B4:B19` for 0-based rows first..last."""
    return f"{letters}{first + 1}" if first == last else f"{letters}{first + 1}:{letters}{last + 1}"


# A money column's unit in its header (`read.values.header_unit`): 金额(万元), 金额（千元）.
_UNIT_SCALES = {"万元": 10_000, "万": 10_000, "千元": 1_000, "千": 1_000}
# Text that a CSV gives for a number or date, spelled the one plain way: `1234.5`,
# `2026-11-03`.  The tolerant parser gives the same value for these; the fast path
# only skips its normalising.  At most 15 digits each side: the float is always finite.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d{1,15}(?:\.\d{0,15})?|\.\d{1,15})", re.ASCII).fullmatch
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII).fullmatch
# `1.234`, `1,234`: one separator and three digits after it, read 1000 times apart with a
# decimal point and with a decimal comma.
_THOUSANDS_ONLY = re.compile(r"[+-]?\d{1,3}[.,]\d{3}", re.ASCII)


def _iso_date(text: str, note: Callable[[Any], Any]) -> Any:
    try:
        return _DATE.fromisoformat(text)
    except ValueError:  # 2026-02-30: the slow path words the problem
        note(text)
        return _SLOW


def _ignore(value: Any) -> None:
    return None


FastPath = Callable[..., list[Any]]


def _fast_path(f: Field) -> FastPath | None:
    """A list comprehension for the common cases — an already-typed value, a plain number
    or ISO date as text, or an empty cell — leaving `_SLOW` for the tolerant parser; None
    when there is no fast path.  It calls its `note` with each value it leaves `_SLOW`,
    so that a column without one is not searched for one."""
    kind = f.type
    plain, iso = _PLAIN_NUMBER, _ISO_DATE
    if kind in (FieldType.MONEY, FieldType.NUMBER, FieldType.PERCENT):
        return lambda vs, note=_ignore: [
            v
            if type(v) is float or type(v) is int
            else None
            if v == ""
            else float(v)
            if type(v) is str and plain(v)
            else (note(v) or _SLOW)
            for v in vs
        ]
    if kind is FieldType.DATE:
        return lambda vs, note=_ignore: [
            v
            if type(v) is _DATE
            else None
            if v == ""
            else _iso_date(v, note)
            if type(v) is str and iso(v)
            else (note(v) or _SLOW)
            for v in vs
        ]
    if kind is FieldType.CHOICE:
        assert f.choices is not None
        cache = matcher_for(f.choices).cache  # holds '' -> None: an empty cell is empty
        return lambda vs, note=_ignore: _seen_values(cache, vs, note)
    if kind is FieldType.TEXT:
        if f.identifier:
            return lambda vs, note=_ignore: [
                (v.strip() or None) if type(v) is str and v.isascii() else (note(v) or _SLOW)
                for v in vs
            ]
        return lambda vs, note=_ignore: [
            (v.strip() or None) if type(v) is str else (note(v) or _SLOW) for v in vs
        ]
    if kind is FieldType.PHONE:
        return lambda vs, note=_ignore: (
            list(vs)
            if _mobiles(vs)
            else [v if plain_mobile(v) else None if v == "" else (note(v) or _SLOW) for v in vs]
        )
    if kind in (FieldType.MONTH, FieldType.MONTH_OR_DATE, FieldType.WEEK):
        seen = _PERIODS[kind]  # a history sheet repeats the same few dozen months
        return lambda vs, note=_ignore: _seen_values(seen, vs, note)
    return None


_MOBILE_SECOND = frozenset("3456789")


def _mobiles(values: Sequence[Any]) -> bool:
    """Whether every value is a mobile number as the phone fast path takes it (text of 11
    ASCII digits, 1 then 3-9), told by whole-column tests in C: all 11 long, all text,
    and their 11-digit slices of one joined string."""
    try:
        if set(map(len, values)) != {11}:
            return False
    except TypeError:  # a number or date among them
        return False
    if set(map(type, values)) != {str}:
        return False
    text = "".join(values)
    return (
        text.isascii()
        and text.encode().isdigit()  # (bytes: digits 0-9 alone, told without a table)
        and set(text[::11]) == {"1"}
        and set(text[1::11]) <= _MOBILE_SECOND
    )


def _seen_values(
    seen: Mapping[Any, Any], values: Sequence[Any], note: Callable[[Any], Any]
) -> list[Any]:
    """Each value as read before (`seen`), or `_SLOW`: a column of values all seen before
    (a drop-down's few choices) is settled by one map, without a Python step each."""
    try:
        return list(map(seen.__getitem__, values))
    except KeyError:  # one not seen before: cell by cell
        return [seen[v] if v in seen else (note(v) or _SLOW) for v in values]


# Raw cell value -> parsed month/week, filled by the slow path (bounded, shared by files).
_PERIODS: dict[FieldType, dict[Any, Any]] = {
    FieldType.MONTH: {"": None},
    FieldType.MONTH_OR_DATE: {"": None},
    FieldType.WEEK: {"": None},
}


def _within(values: list[Any], low: float, high: float) -> bool:
    """Whether every value but None lies in low..high (NaN does not)."""
    if values.count(None) == len(values):  # (a column nobody filled in)
        return True
    return not [v for v in values if v is not None and not low <= v <= high]


def _trimmed(row: tuple[Any, ...]) -> tuple[Any, ...]:
    end = len(row)
    while end and (row[end - 1] == "" or row[end - 1] is None):
        end -= 1
    return row[:end]


class TableChecker:
    """Walks one table once, building records and collecting issues."""

    def __init__(
        self,
        layout: TableLayout,
        grid: Grid,
        *,
        path: str,
        today: dt.date,
        period: Month | Week | None,
        default_year: int | None,
        reps: RepIndex | None,
        products: frozenset[str] | None,
        date_order: str | None = None,
        roster_names: Mapping[str, str] | None = None,
        max_amount: float = 1e12,
        employed: Employment | None = None,
    ) -> None:
        self.layout, self.grid, self.path, self.today = layout, grid, path, today
        self.employed = employed
        self.max_amount = max_amount
        self.table: Table = layout.table
        self.period, self.reps = period, reps
        self.date_order, self.roster_names = date_order, roster_names
        self.mapped = [f for f in self.table.fields if f.key in layout.columns]
        self.cols = [layout.columns[f.key] for f in self.mapped]
        self.letters = [column_letters(c) for c in self.cols]
        self.default_year, self.products = default_year, products
        self.parsers: dict[int, Callable[[Any], Any]] = {}  # built for a column's first slow cell
        self.labels = {f.key: f for f in self.table.fields}
        self.found: list[tuple[int, int, Issue]] = []  # (row, column position, issue)
        self.row_length: int | None = None  # of every data row, when they are alike
        self.formula_cells: list[tuple[int, int]] = []
        # mapped column -> data rows (indexes into the row numbers) whose cell is a formula
        # without a value: said once every column is read (`_formula_issues`)
        self.uncalculated: dict[int, list[int]] = {}

    def issue(
        self,
        code: Code,
        j: int | None,
        r: int,
        zh: str,
        en: str,
        value: Any = None,
        severity: Severity | None = None,
    ) -> None:
        """An issue at sheet row r (0-based) in mapped column j (None: the row's first column)."""
        letters = self.letters[j if j is not None else 0] if self.letters else "A"
        column = self.mapped[j].bilingual if j is not None else None
        self.found.append(
            (
                r,
                j if j is not None else -1,
                make_issue(
                    code,
                    self.path,
                    zh,
                    en,
                    sheet=self.grid.name,
                    cell=f"{letters}{r + 1}",
                    row=r + 1,
                    column=column,
                    value=value,
                    severity=severity,
                ),
            )
        )

    def _parser(self, j: int) -> Callable[[Any], Any]:
        parse = self.parsers.get(j)
        if parse is None:
            f = self.mapped[j]
            parse = self.parsers[j] = cell_parser(
                f,
                default_year=self.default_year,
                products=self.products if f.role is Role.PRODUCT else None,
            )
        return parse

    # -- rows --------------------------------------------------------------------------

    def _data_rows(self) -> tuple[list[int], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        """Sheet rows holding data, with their raw values in mapped-column order, by row
        and by column."""
        cols = self.cols
        if not cols:
            return [], [], []
        getter = itemgetter(*cols) if len(cols) > 1 else (lambda row: (row[cols[0]],))
        width = max(cols) + 1
        typed = [j for j, f in enumerate(self.mapped) if f.formula is None]
        # Values salesxl prepared in every row (日清 dates) do not make a row either,
        # unless the sheet has nothing else a person fills in.
        inputs = [j for j in typed if not self.mapped[j].prepared] or typed
        pick = (
            None
            if len(inputs) == len(cols)
            else (itemgetter(*inputs) if len(inputs) > 1 else (lambda t: (t[inputs[0]],)))
        )
        # A row is blank when every column a person fills in is blank; computed columns
        # (日清 今日成交) hold formulas in every prepared row and do not count.
        input_cols = {cols[j] for j in inputs}
        formula_rows = {r for r, c in self.grid.uncached if c in input_cols}
        rows, first = self.grid.rows, self.layout.first_data_row
        body = rows[first:]
        lengths = set(map(len, body))
        # every row as long as the others: the table's width, known without a look at each
        self.row_length = next(iter(lengths)) if len(lengths) == 1 else None
        if lengths == {width} and cols == list(range(width)):
            raws = list(map(tuple, body))  # every cell of every row, in order: a copy will do
        else:
            if lengths and min(lengths) < width:
                body = [
                    cells if len(cells) >= width else [*cells, *([""] * (width - len(cells)))]
                    for cells in body
                ]
            raws = list(map(getter, body))
        owns = raws if pick is None else list(map(pick, raws))
        # any() settles almost every row in C; all-falsy rows get the exact test
        # (a lone 0 is a value, '' and None are not).
        keep = list(map(any, owns))
        for i in compress(range(len(keep)), map(not_, keep)):
            own = owns[i]  # all falsy: blank when each is '' or None (counted in C)
            keep[i] = first + i in formula_rows or own.count("") + own.count(None) < len(own)
        numbers = list(compress(range(first, len(rows)), keep))
        if len(numbers) < len(raws):
            raws = list(compress(raws, keep))
        columns = list(zip(*raws, strict=True)) if raws else [() for _ in cols]
        totals = self._total_rows(numbers, columns)
        if totals:
            for i, (label, c) in totals.items():  # left out, never silently: each one is said
                r = numbers[i]
                note = make_issue(
                    Code.TOTAL_ROW,
                    self.path,
                    *message(Code.TOTAL_ROW, row=r + 1, label=label),
                    sheet=self.grid.name,
                    cell=f"{column_letters(c)}{r + 1}",  # the label's own cell
                    row=r + 1,
                    value=label,
                )
                self.found.append((r, -1, note))
            numbers = [r for i, r in enumerate(numbers) if i not in totals]
            raws = [t for i, t in enumerate(raws) if i not in totals]
            columns = list(zip(*raws, strict=True)) if raws else [() for _ in cols]
        return numbers, raws, columns

    def _total_rows(
        self, numbers: list[int], columns: list[tuple[Any, ...]]
    ) -> dict[int, tuple[str, int]]:
        """Rows labelled 合计/小计/Total in one of their first three filled cells, whether
        that is one of the form's columns or not (index in `numbers` -> the label and its
        column).

        Column-wise first: when no row has a blank in its first three cells and no
        value there is a total label, there is no total row, found without a Python
        step per row.  Only rows with such a blank or label get the exact test.
        """
        if not numbers:
            return {}
        grid_rows = self.grid.rows
        shortest = self.row_length
        if shortest is None:
            shortest = min(map(len, map(grid_rows.__getitem__, numbers)))
        if shortest < 3:
            suspects: Sequence[int] = range(len(numbers))
        else:
            # the first three cells, from the form's columns when they are among them
            read = {c: columns[j] for j, c in enumerate(self.cols) if c < 3}
            heads = [read.get(c) or [grid_rows[r][c] for r in numbers] for c in range(3)]
            labels: set[Any] = set()
            gaps = False
            for column in heads:
                labelled, blank = _labels_and_gaps(column)
                labels |= labelled
                gaps = gaps or blank
            if not gaps and not labels:
                return {}
            suspects = [
                i
                for i, t in enumerate(zip(*heads, strict=True))
                if not labels.isdisjoint(t) or (gaps and ("" in t or None in t))
            ]
        found: dict[int, tuple[str, int]] = {}
        for i in suspects:
            seen = 0
            for c, v in enumerate(grid_rows[numbers[i]]):
                if v == "" or v is None:
                    continue
                if _total_label(v):
                    found[i] = (v, c)
                    break
                seen += 1
                if seen == 3:
                    break
        return found

    def _merged_numbers(self, numbers: list[int]) -> dict[int, list[int]]:
        """Data row index -> mapped columns whose number is a copy of a merged cell above it:
        a number merged over several rows counts once, in its top row."""
        numeric = {
            c: j
            for j, (c, f) in enumerate(zip(self.cols, self.mapped, strict=True))
            if f.type in NUMERIC
        }
        if not numeric or not self.grid.merged:
            return {}
        index = {r: i for i, r in enumerate(numbers)}
        covered: dict[int, list[int]] = {}
        for (r1, c1), (r2, c2) in self.grid.merged:
            for col in range(c1, c2 + 1):
                if col in numeric:
                    for r in range(r1, r2 + 1):
                        if (r, col) != (r1, c1) and r in index:
                            covered.setdefault(index[r], []).append(numeric[col])
        return covered

    # -- columns -----------------------------------------------------------------------

    def _column(
        self, j: int, values: Sequence[Any], numbers: list[int], bad: set[int]
    ) -> list[Any]:
        f = self.mapped[j]
        # a product column checked against a catalogue: every cell through its parser
        catalogue = self.products and f.role is Role.PRODUCT
        fast = None if catalogue else _fast_path(f)
        if fast is None:
            out, slow = [_SLOW] * len(values), bool(values)
        else:
            unsettled: list[Any] = []
            out = fast(values, unsettled.append)
            slow = bool(unsettled)
        if slow and f.type in _DATES:
            self._numeric_dates(j, values, out, numbers, bad)
            slow = _SLOW in out
        commas: list[int] = []  # cells written with a decimal comma (1.234,56)
        if slow:
            parse = self._parser(j)
            phone = f.type is FieldType.PHONE
            periods = _PERIODS.get(f.type)
            for i in [i for i, v in enumerate(out) if v is _SLOW]:
                raw = values[i]
                if raw is None or raw == "" or (type(raw) is str and not raw.strip()):
                    out[i] = None
                    continue
                try:
                    out[i] = parse(raw)
                    if periods is not None and len(periods) < 10_000:
                        periods[raw] = out[i]
                except CellValueWarningError as note:  # read, with a warning
                    out[i] = note.value
                    self.issue(note.code, j, numbers[i], note.message_zh, note.message_en, raw)
                    continue
                except CellValueError as problem:
                    out[i] = None
                    bad.add(i)
                    self.issue(
                        problem.code, j, numbers[i], problem.message_zh, problem.message_en, raw
                    )
                    if isinstance(problem, DecimalCommaCellError):
                        commas.append(i)
                    continue
                if phone and not normalise_phone(out[i])[1]:
                    self.issue(
                        Code.PHONE_FORMAT,
                        j,
                        numbers[i],
                        *message(Code.PHONE_FORMAT, value=out[i]),
                        raw,
                    )
        if commas:
            self._decimal_comma_column(j, commas[0], values, out, numbers, bad)
        if self.grid.uncached:
            self._formulas(j, out, numbers, bad)
        if self.grid.errors:
            self._error_values(j, out, numbers, bad)
        if f.type is FieldType.MONEY:
            self._unit(j, out, values)
        # one look at a number column for both its sane bounds and the field's own: one
        # inside both (nearly every one) needs neither exact pass
        bounded = f.type in NUMERIC and _within(out, *self._bounds(f))
        if f.type in NUMERIC and not bounded:
            self._sane(j, out, values, numbers, bad)
        self._checks(j, out, values, numbers, bad, ranged=not bounded)
        return out

    def _bounds(self, f: Field) -> tuple[float, float]:
        """The narrowest of the sane bounds (`_sane`) and the field's minimum and maximum."""
        limit = self.max_amount
        low = -limit if f.min is None else max(-limit, f.min)
        high = limit if f.max is None else min(limit, f.max)
        return low, high

    def _decimal_comma_column(
        self,
        j: int,
        example: int,
        values: Sequence[Any],
        out: list[Any],
        numbers: list[int],
        bad: set[int],
    ) -> None:
        """A column that writes numbers with a decimal comma (`example`, refused already):
        its `1.234` means 1234 and its `1,234` means 1.234, the opposite of how they read
        alone, so neither is used (a factor of 1000 either way); each is said."""
        f = self.mapped[j]
        shown = text_of(values[example])
        where = f"{self.letters[j]}{numbers[example] + 1}"
        for i, raw in enumerate(values):
            if type(raw) is not str or out[i] is None:
                continue
            text = raw.strip()
            if not _THOUSANDS_ONLY.fullmatch(text):
                continue
            other = text.replace(",", ".") if "," in text else text.replace(".", "")
            self.issue(
                Code.BAD_TYPE,
                j,
                numbers[i],
                *message(
                    Code.BAD_TYPE,
                    "decimal_comma_column",
                    field_zh=f.zh,
                    field_en=f.en,
                    value=text,
                    as_read=text_of(out[i]),
                    other=other,
                    example=shown,
                    example_cell=where,
                ),
                raw,
            )
            out[i] = None
            bad.add(i)

    def _unit(self, j: int, out: list[Any], values: Sequence[Any]) -> None:
        """A money column whose header gives its unit (`含税金额(万元)`): its numbers are in
        that unit, so they are turned into yuan here, and that is said once.  A cell that
        names its own unit (`1.2万`) was read as written."""
        rows = self.grid.rows
        first = self.layout.header_row
        label = " ".join(
            str(rows[r][self.cols[j]])
            for r in range(first, first + self.layout.header_rows)
            if self.cols[j] < len(rows[r]) and rows[r][self.cols[j]] not in (None, "")
        )
        split = header_unit(label.replace("\n", " "))  # 金额\n(万元): a label on two lines
        unit = split[1] if split is not None else ""
        scale = _UNIT_SCALES.get(unit)
        if scale is None:
            return
        for i, v in enumerate(out):
            raw = values[i]
            if (type(v) is float or type(v) is int) and not (
                type(raw) is str and any(c in raw for c in "万千亿")
            ):
                out[i] = round(v * scale, 6)
        note = message(Code.UNIT_SCALED, label=label, unit=unit, scale=f"{scale:,}")
        self.issue(Code.UNIT_SCALED, j, first, *note)

    def _numeric_dates(
        self, j: int, values: Sequence[Any], out: list[Any], numbers: list[int], bad: set[int]
    ) -> None:
        """`2/24/2003`-style dates, read in one order for the whole column."""
        f = self.mapped[j]
        convert = Month.of if f.type is FieldType.MONTH_OR_DATE else (lambda d: d)
        span = None
        if f.in_period and isinstance(self.period, Month):
            span = (self.period.first_day, self.period.last_day)
        elif f.in_period and isinstance(self.period, Week):
            span = (self.period.monday, self.period.sunday)
        found = settle_numeric_dates(
            values, out, _SLOW, (f.zh, f.en), self.date_order, convert, span
        )

        for i, zh, en in found.cells:
            bad.add(i)
            if zh:
                self.issue(Code.BAD_TYPE, j, numbers[i], zh, en, values[i])
        for code, zh, en, severity in found.header:
            self.issue(code, j, self.layout.header_row, zh, en, severity=severity)

    def _sane(
        self, j: int, out: list[Any], raw: Sequence[Any], numbers: list[int], bad: set[int]
    ) -> None:
        """A number beyond any real amount (9e307, or NaN and infinity a file can hold) is an
        error and is not counted: one such cell would make every sum of its month infinite."""
        limit = self.max_amount
        # `not -limit <= v <= limit` holds for NaN too.
        for i in [i for i, v in enumerate(out) if v is not None and not -limit <= v <= limit]:
            self.issue(
                Code.OUT_OF_RANGE,
                j,
                numbers[i],
                *insane_number(self.mapped[j], out[i], limit),
                raw[i],
            )
            out[i] = None
            bad.add(i)

    def _formulas(self, j: int, out: list[Any], numbers: list[int], bad: set[int]) -> None:
        col = self.cols[j]
        rows = {r for r, c in self.grid.uncached if c == col}
        if not rows:
            return
        hit: list[int] = []
        for i, r in enumerate(numbers):
            if r in rows:
                out[i] = None
                bad.add(i)
                self.formula_cells.append((r, col))
                hit.append(i)
        if hit:
            self.uncalculated[j] = hit

    def _formula_issues(self, values: Mapping[str, list[Any]], numbers: list[int]) -> None:
        """Formula cells without a value, one issue per run of rows (今日成交 of a whole
        month is one thing to fix, not 16).  A cell that a cross-field rule requires in its
        row (金额 of a 成交 row) is an error, as a blank one would be: its row is missing
        that value, not worth 0."""
        for j, hit in self.uncalculated.items():
            f = self.mapped[j]
            rules = [rule for rule in self.table.rules if f.key in rule.fields]
            groups: dict[tuple[tuple[str, str], ...] | None, list[int]] = {}
            for i in hit:
                when = None
                for rule in rules:
                    record = {k: values[k][i] for k in rule.fields if k in values}
                    needed = rule.requires(f.key, record, self.labels)
                    if needed is not None:
                        when = tuple(sorted(needed.items()))
                        break
                groups.setdefault(when, []).append(numbers[i])
            for when, rows in groups.items():
                for first, last in cell_runs(rows):
                    self.found.append(
                        (
                            first,
                            j,
                            make_issue(
                                Code.FORMULA_WITHOUT_VALUE,
                                self.path,
                                *formula_message(f, last - first + 1, dict(when) if when else None),
                                sheet=self.grid.name,
                                cell=cell_range(self.letters[j], first, last),
                                row=first + 1,
                                column=f.bilingual,
                                severity=formula_severity(f, when is not None),
                            ),
                        )
                    )

    def _error_values(self, j: int, out: list[Any], numbers: list[int], bad: set[int]) -> None:
        """Cells showing an Excel error (#N/A, #DIV/0!) read as blank: each is an error at its
        cell naming the error, not a missing value and never a zero."""
        errors = self.grid.errors
        if not errors:
            return
        col, f = self.cols[j], self.mapped[j]
        for i, r in enumerate(numbers):
            shown = errors.get((r, col))
            if shown is not None:
                out[i] = None
                bad.add(i)
                self.issue(
                    Code.CELL_ERROR,
                    j,
                    r,
                    *message(Code.CELL_ERROR, field_zh=f.zh, field_en=f.en, error=shown),
                    shown,
                )

    def _checks(
        self,
        j: int,
        out: list[Any],
        raw: Sequence[Any],
        numbers: list[int],
        bad: set[int],
        ranged: bool = True,
    ) -> None:
        """`ranged`: whether the column may hold a value outside the field's minimum or
        maximum (False when `_within` has found none)."""
        f = self.mapped[j]
        # A date column holds dates or None, and no date is false: `filter` drops the None
        # (told without comparing each date to None), for the checks that need them.
        dated = f.required or f.in_period or f.not_future or f.while_employed
        present = list(filter(None, out)) if f.type is FieldType.DATE and dated else None
        if f.required and (len(present) < len(out) if present is not None else None in out):
            for i in [i for i, v in enumerate(out) if v is None and i not in bad]:
                bad.add(i)
                self.issue(
                    Code.REQUIRED,
                    j,
                    numbers[i],
                    *message(Code.REQUIRED, field_zh=f.zh, field_en=f.en),
                )
        if ranged and (f.min is not None or f.max is not None):
            low = f.min if f.min is not None else float("-inf")
            high = f.max if f.max is not None else float("inf")
            for i in [i for i, v in enumerate(out) if v is not None and not low <= v <= high]:
                bad.add(i)
                problem = range_problem(f, out[i])
                assert problem is not None  # out of range, as the filter above found
                self.issue(Code.OUT_OF_RANGE, j, numbers[i], *problem, raw[i])
        if present is not None:
            self._dates(j, out, raw, numbers, bad, present)
        if f.role is Role.REP_ID and self.reps is not None:
            self._rep_ids(j, out, raw, numbers)

    def _rep_ids(self, j: int, out: list[Any], raw: Sequence[Any], numbers: list[int]) -> None:
        """IDs matched to the roster: `s020` becomes `S020` (one info per spelling, at its
        first row: a 5,000-row export is not 5,000 notes); an ID that matches nothing is an
        error on its row, with the closest roster ID or name."""
        assert self.reps is not None
        f, reps = self.mapped[j], self.reps
        spelled: dict[str, list[int]] = {}
        for i, v in enumerate(out):
            if v is None or (v in reps and (raw[i] == v or text_of(raw[i]) == v)):
                continue
            match = reps.match(v)
            if match.rep_id is None:
                self.found.append(
                    (numbers[i], j, unknown_rep(self.path, f, match, self._at(j, i, numbers)))
                )
                continue
            out[i] = match.rep_id  # `s020` or `Ｓ０２０` typed: the roster's S020
            spelled.setdefault(text_of(raw[i]), []).append(i)
        for typed, rows in spelled.items():
            i = rows[0]
            self.found.append(
                (
                    numbers[i],
                    j,
                    rep_id_normalised(
                        self.path, f, typed, out[i], self._at(j, i, numbers), len(rows)
                    ),
                )
            )

    def _at(self, j: int, i: int, numbers: list[int]) -> dict[str, Any]:
        return {
            "sheet": self.grid.name,
            "cell": f"{self.letters[j]}{numbers[i] + 1}",
            "row": numbers[i] + 1,
        }

    def _dates(
        self,
        j: int,
        out: list[Any],
        raw: Sequence[Any],
        numbers: list[int],
        bad: set[int],
        present: list[dt.date],
    ) -> None:
        """`present`: the column's dates, the None left out."""
        f, period = self.mapped[j], self.period
        outside: set[int] = set()
        if not (f.in_period or f.not_future or f.while_employed):
            return
        # The column's first and last dates settle most columns without a look at each cell.
        if not present:
            return
        earliest, latest = min(present), max(present)
        if f.in_period and period is not None:
            first, last = (
                (period.first_day, period.last_day)
                if isinstance(period, Month)
                else (period.monday, period.sunday)
            )
            if not first <= earliest <= latest <= last:
                outside = {i for i, v in enumerate(out) if v is not None and not first <= v <= last}
            what_zh, what_en = ("月份", "month") if isinstance(period, Month) else ("周", "week")
            for i in sorted(outside):
                bad.add(i)
                self.issue(
                    Code.OUT_OF_RANGE,
                    j,
                    numbers[i],
                    *message(
                        Code.OUT_OF_RANGE,
                        "outside_period",
                        field_zh=f.zh,
                        field_en=f.en,
                        value=out[i],
                        period_zh=what_zh,
                        period_en=what_en,
                        period=period,
                    ),
                    raw[i],
                )
        if f.not_future and latest > self.today:
            today = self.today
            # one message per date: the later rows of a month imported before its end share
            # a few dozen days (a year's December holds a million such warnings)
            said: dict[Any, tuple[str, str]] = {}
            for i in [i for i, v in enumerate(out) if v is not None and v > today]:
                if i not in outside:
                    text = said.get(out[i])
                    if text is None:
                        text = said[out[i]] = message(
                            Code.FUTURE_DATE,
                            field_zh=f.zh,
                            field_en=f.en,
                            value=out[i],
                            today=today,
                        )
                    self.issue(Code.FUTURE_DATE, j, numbers[i], *text, raw[i])
        if f.while_employed and self.employed is not None:
            self._employment(j, out, raw, numbers, outside, self.employed, (earliest, latest))

    def _employment(
        self,
        j: int,
        out: list[Any],
        raw: Sequence[Any],
        numbers: list[int],
        outside: set[int],
        employed: Employment,
        span: tuple[dt.date, dt.date],
    ) -> None:
        """Rows dated before the rep's hire date or after the leave date (roster): a warning
        at each date cell; the rows still count (the date or the roster is wrong, and which
        one only a person can tell).  `span`: the column's first and last dates."""
        f, (_, joined, left) = self.mapped[j], employed
        if (joined is None or span[0] >= joined) and (left is None or span[1] <= left):
            return  # (nearly every report: all its rows within the rep's employment)
        # one message per date, as future_date (None: employed that day)
        said: dict[Any, tuple[Code, str, str] | None] = {}
        for i, v in enumerate(out):
            if v is None or i in outside:
                continue
            if v not in said:
                said[v] = outside_employment(employed, f, v)
            text = said[v]
            if text is not None:
                self.issue(text[0], j, numbers[i], text[1], text[2], raw[i])

    # -- the whole table -----------------------------------------------------------------

    def run(self) -> TableData:
        self._structure_issues()
        numbers, raws, by_column = self._data_rows()
        self._unlabelled(numbers)
        n = len(raws)
        bad_rows: dict[str, set[int]] = {f.key: set() for f in self.mapped}
        copies = self._merged_numbers(numbers)
        # the columns are read as they are, but for those with copies of merged cells
        blanked = {j for columns in copies.values() for j in columns}
        copied = {j: list(by_column[j]) for j in blanked}
        for i, columns in copies.items():  # the covered cells are neither missing nor counted
            for j in columns:
                copied[j][i] = ""
                bad_rows[self.mapped[j].key].add(i)
        raw_cols = [copied.get(j, column) for j, column in enumerate(by_column)]
        parsed: dict[str, list[Any]] = {}
        for j, f in enumerate(self.mapped):
            parsed[f.key] = self._column(j, raw_cols[j], numbers, bad_rows[f.key])
        values = {f.key: parsed.get(f.key) or [None] * n for f in self.table.fields}
        if Role.REP_NAME in parsed and Role.REP_ID in values:
            self._reps_by_name(values)
        rows = [r + 1 for r in numbers]
        self._formula_issues(values, numbers)
        self._rules(values, bad_rows, numbers)
        self._duplicates(raws, numbers, parsed)
        self.found.sort(key=lambda item: (item[0], item[1]))
        return TableData(
            self.table.key,
            self.grid.name,
            None,
            {f.key: letters for f, letters in zip(self.mapped, self.letters, strict=True)},
            [self.layout.extras[c] for c in sorted(self.layout.extras)],
            values=values,
            rows=rows,
            extra_values=self._extras(numbers),
        )

    def _unlabelled(self, numbers: list[int]) -> None:
        """A column with values in the table's rows but no header is read by no one: said at
        its header cell (a header deleted by mistake, or hidden under a merged cell), so
        that its values are not lost without a word."""
        rows, layout = self.grid.rows, self.layout
        if not numbers:
            return
        width = self.row_length or max(map(len, map(rows.__getitem__, numbers)))
        known = {*self.cols, *layout.extras}
        if self.table.notes_beside and known:  # notes right of the table are not its columns
            width = min(width, max(known) + 1)
        heads = range(layout.header_row, layout.header_row + layout.header_rows)
        for c in range(width):
            if c in known or any(c < len(rows[h]) and rows[h][c] not in ("", None) for h in heads):
                continue
            filled = [r for r in numbers if c < len(rows[r]) and rows[r][c] not in ("", None)]
            if not filled:
                continue
            letters = column_letters(c)
            note = make_issue(
                Code.UNLABELLED_COLUMN,
                self.path,
                *message(
                    Code.UNLABELLED_COLUMN,
                    column=letters,
                    count=len(filled),
                    first=f"{letters}{filled[0] + 1}",
                ),
                sheet=self.grid.name,
                cell=f"{letters}{layout.header_row + 1}",
                row=layout.header_row + 1,
                value=rows[filled[0]][c],
            )
            self.found.append((layout.header_row, c, note))

    def _reps_by_name(self, values: dict[str, list[Any]]) -> None:
        note = reps_by_name(values[Role.REP_ID], values[Role.REP_NAME], self.roster_names)
        if note is not None:
            j = next(j for j, f in enumerate(self.mapped) if f.key == Role.REP_NAME)
            self.issue(Code.REP_BY_NAME, j, self.layout.header_row, *note)

    def _extras(self, numbers: list[int]) -> list[dict[str, Any]] | None:
        """Unknown columns' values per row: kept, never dropped (README.md "Forms")."""
        extras = sorted(self.layout.extras)
        if not extras:
            return None
        rows = self.grid.rows
        return [
            {
                self.layout.extras[c]: rows[r][c]
                for c in extras
                if c < len(rows[r]) and rows[r][c] != ""
            }
            for r in numbers
        ]

    def _rules(
        self, values: dict[str, list[Any]], bad_rows: dict[str, set[int]], numbers: list[int]
    ) -> None:
        n = len(numbers)
        position = {f.key: j for j, f in enumerate(self.mapped)}
        for rule in self.table.rules:
            involved = [k for k in rule.fields if k in bad_rows]
            if not involved:
                continue
            skip = set().union(*(bad_rows[k] for k in involved))
            for i in rule.candidates(values, n):
                if i in skip:
                    continue
                hit = rule.check({k: values[k][i] for k in rule.fields}, self.labels)
                if hit is None:
                    continue
                j = position.get(hit.field, position[involved[0]])
                self.issue(
                    rule.code,
                    j,
                    numbers[i],
                    hit.message_zh,
                    hit.message_en,
                    hit.value,
                    rule.severity,
                )

    def _duplicates(
        self, raws: list[tuple[Any, ...]], numbers: list[int], parsed: dict[str, list[Any]]
    ) -> None:
        """Rows identical in every column, the unused ones too: two sales lines with
        different order numbers or times are two sales, not one entered twice."""
        # Rows alike in the form's columns first (cheap: most files have none), then
        # only those compared cell by cell across the whole row.
        inputs = [j for j, f in enumerate(self.mapped) if f.formula is None]
        mapped = (
            raws if len(inputs) == len(self.mapped) else [tuple(t[j] for j in inputs) for t in raws]
        )
        if len(set(mapped)) != len(mapped):
            counts = Counter(mapped)
            formulas = {c for c, f in zip(self.cols, self.mapped, strict=True) if f.formula}
            rows = self.grid.rows
            seen: dict[tuple[Any, ...], int] = {}
            for i, key in enumerate(mapped):
                if counts[key] < 2:
                    continue
                cells = rows[numbers[i]]
                whole = _trimmed(tuple("" if c in formulas else v for c, v in enumerate(cells)))
                first = seen.setdefault(whole, numbers[i])
                if first != numbers[i]:
                    self.issue(
                        Code.DUPLICATE_ROW,
                        None,
                        numbers[i],
                        *message(Code.DUPLICATE_ROW, first=first + 1),
                    )
        for j, f in enumerate(self.mapped):
            if not f.unique:
                continue
            firsts: dict[Any, int] = {}
            for i, value in enumerate(parsed[f.key]):
                if value is None:
                    continue
                first = firsts.setdefault(value, numbers[i])
                if first != numbers[i]:
                    self.issue(
                        Code.DUPLICATE_ROW,
                        j,
                        numbers[i],
                        *message(
                            Code.DUPLICATE_ROW,
                            "unique",
                            field_zh=f.zh,
                            field_en=f.en,
                            value=value,
                            first=first + 1,
                        ),
                        value,
                        f.unique_severity,
                    )

    def _structure_issues(self) -> None:
        layout, r = self.layout, self.layout.header_row
        for f in self.table.fields:  # a field spanning sub-labels: said with them, below
            if f.required and f.key not in layout.columns and f.key not in layout.spanned:
                self.found.append(
                    (
                        r,
                        -1,
                        make_issue(
                            Code.MISSING_COLUMN,
                            self.path,
                            *message(
                                Code.MISSING_COLUMN,
                                sheet=self.grid.name,
                                field_zh=f.zh,
                                field_en=f.en,
                                row=r + 1,
                            ),
                            sheet=self.grid.name,
                            row=r + 1,
                            column=f.bilingual,
                        ),
                    )
                )
        for choice in layout.choices:
            self.found.append(
                (layout.header_row, choice.used, choice_issue(self.path, layout, self.grid, choice))
            )
        if layout.sub_labels or layout.spanned:
            self.found.append((r + 1, -1, sub_label_issue(self.path, layout, self.grid)))
        # a column left for another of its field is said by the choice, not as a column
        # the form does not have (its values are kept all the same)
        unused = {c for choice in layout.choices for c in choice.others}
        unused.update(layout.sub_labels, layout.spanned.values())
        for c, label in sorted(layout.extras.items()):
            if c in unused:
                continue
            r = layout.extra_rows.get(c, layout.header_row)
            self.found.append(
                (
                    r,
                    c,
                    make_issue(
                        Code.EXTRA_COLUMN,
                        self.path,
                        *message(Code.EXTRA_COLUMN, label=label),
                        sheet=self.grid.name,
                        cell=f"{column_letters(c)}{r + 1}",
                        row=r + 1,
                        column=label,
                        value=label,
                    ),
                )
            )
