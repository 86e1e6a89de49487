"""Find the form, its tables and its header values wherever they are (README.md "Forms").

The table header row is the first row holding at least three known labels
of a table; a form is recognised by how many of its labels and sheet names
a workbook holds, not by file name or position.  Header values are
label/value pairs above the table: value right of the label, below it, or in
the same cell after a colon (`销售员：张伟`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from salesxl.forms import FORMS, Form, Table
from salesxl.forms.marks import INSTRUCTIONS_NAMES, TO_FIX_NAMES
from salesxl.read.column_choice import ColumnChoice, choose_column
from salesxl.read.formulas import column_letters
from salesxl.read.guards import ReadError
from salesxl.read.mapping import Mapping_, header_signature, overrides_of, remembered_for
from salesxl.read.values import header_unit, norm_label, text_of
from salesxl.read.workbook import Book, Grid

__all__ = [
    "ColumnChoice",
    "HeaderCell",
    "Layout",
    "TableLayout",
    "UnreadTable",
    "column_map",
    "label_rank",
    "locate",
]

HEADER_SCAN_ROWS = 60  # a header row further down than this is not a header row
HEADER_VALUE_COLS = 2  # how far right of a label its value may sit
TOTAL_LABELS = frozenset(
    norm_label(t)
    for t in (
        "合计",
        "小计",
        "总计",
        "总合计",
        "Total",
        "Subtotal",
        "Grand total",
        "Sum",
        "合计 Total",
        "小计 Subtotal",
    )
)


@dataclass(slots=True)
class TableLayout:
    table: Table
    sheet: str
    header_row: int  # 0-based; the first row of labels
    columns: dict[str, int]  # field key -> 0-based column
    extras: dict[int, str] = field(default_factory=dict)  # unknown columns, kept (unique labels)
    header_rows: int = 1  # 2 when labels continue on a second row under merged group cells
    extra_rows: dict[int, int] = field(default_factory=dict)  # column -> 0-based row of its label
    choices: list[ColumnChoice] = field(default_factory=list)
    mapped: dict[str, int] = field(default_factory=dict)  # field key -> column, by a mapping
    # columns of a second header row none of whose sub-labels the form knows (said, unused)
    sub_labels: tuple[int, ...] = ()
    # field key -> column of its label, merged across sub-labels it is none of (金额 over
    # 含税, 不含税): the field is not read from there
    spanned: dict[str, int] = field(default_factory=dict)

    @property
    def first_data_row(self) -> int:
        return self.header_row + self.header_rows


@dataclass(frozen=True, slots=True)
class HeaderCell:
    key: str
    value: Any  # '' when the label was found but its value is empty
    sheet: str
    row: int  # 0-based place of the value (right of the label when the value is empty)
    col: int


@dataclass(slots=True)
class Layout:
    form: Form
    tables: dict[str, TableLayout]
    header: dict[str, HeaderCell]
    signature: str | None = None  # the main table's header signature (its source system)
    mapping: dict[str, str] | None = None  # field key -> header, given or remembered
    remembered: bool = False  # the mapping came from the store, for these headers
    forgotten: str | None = None  # signature whose remembered mapping was left unused
    unread: list[UnreadTable] = field(default_factory=list)  # tables on sheets not read


@dataclass(frozen=True, slots=True)
class UnreadTable:
    """A table of the form on another visible sheet than the one read (a copied sheet, a
    month's rows split over two sheets): its rows are not read, which must be said."""

    table: Table
    sheet: str
    header_row: int  # 0-based row of its labels
    rows: int  # rows with a value below its labels
    read_sheet: str  # the sheet read for that table


# ----------------------------------------------------------------------------
# Label indexes, built once from the form descriptions
# ----------------------------------------------------------------------------

TableId = tuple[str, str]  # (form id, table key)

_TABLE_LABELS: dict[str, list[tuple[TableId, str]]] = defaultdict(list)
_COLUMN_MAPS: dict[TableId, dict[str, str]] = {}
_RANKS: dict[TableId, dict[str, int]] = {}  # norm label -> its place in the field's labels
_SHEET_NAMES: dict[TableId, frozenset[str]] = {}
_HEADER_LABELS: dict[str, dict[str, str]] = {}  # form id -> norm label -> header key

for _form in FORMS.values():
    labels: dict[str, str] = {}
    for _f in _form.header:
        for _label in _f.all_labels():
            labels.setdefault(norm_label(_label), _f.key)
    _HEADER_LABELS[_form.id] = labels
    for _table in _form.tables:
        tid = (_form.id, _table.key)
        mapping: dict[str, str] = {}
        ranks: dict[str, int] = {}
        for _f in _table.fields:
            for _rank, _label in enumerate(_f.all_labels()):
                mapping.setdefault(norm_label(_label), _f.key)
                ranks.setdefault(norm_label(_label), _rank)
        _COLUMN_MAPS[tid] = mapping
        _RANKS[tid] = ranks
        for _label, _key in mapping.items():
            _TABLE_LABELS[_label].append((tid, _key))
        _SHEET_NAMES[tid] = frozenset(
            norm_label(n)
            for n in (_table.zh, _table.en, f"{_table.zh}{_table.en}", *_table.sheet_aliases)
        )

_REQUIRED: dict[TableId, frozenset[str]] = {  # tables known by their required fields alone
    tid: frozenset(f.key for f in FORMS[tid[0]].table(tid[1]).fields if f.required)
    for tid in _COLUMN_MAPS
    if FORMS[tid[0]].table(tid[1]).known_by_required
}
_FORM_LABELS: dict[str, dict[str, list[tuple[TableId, str]]]] = defaultdict(dict)  # by form
for _label, _tables in _TABLE_LABELS.items():
    for _tid, _key in _tables:
        _FORM_LABELS[_tid[0]].setdefault(_label, []).append((_tid, _key))
# labels a row needs to be a table's header row, and those of a full header row
_MIN_LABELS = {tid: FORMS[tid[0]].table(tid[1]).min_labels for tid in _COLUMN_MAPS}
_FULL_ROW = {tid: min(6, len(FORMS[tid[0]].table(tid[1]).fields)) for tid in _COLUMN_MAPS}
_TABLES_WITH: dict[str, list[TableId]] = defaultdict(list)  # field key -> tables having it
for _tid in _COLUMN_MAPS:
    for _f in FORMS[_tid[0]].table(_tid[1]).fields:
        _TABLES_WITH[_f.key].append(_tid)

_ALL_HEADER_LABELS: frozenset[str] = frozenset(
    label for labels in _HEADER_LABELS.values() for label in labels
)
# A return copy's 待修改 To fix sheet lists problems, not records: never read as data.
_NOT_DATA_SHEETS = frozenset(norm_label(name) for name in TO_FIX_NAMES)


_YUAN = frozenset({"元", "万元", "千元", "rmb", "cny", "¥"})  # units a label may carry


def without_unit(value: Any) -> str | None:
    """The label key of a header cell with its yuan unit left out (`销售金额(元)` -> that of
    销售金额), or None when it names no such unit; what a 万元 or 千元 unit means for the
    numbers is the validator's (`unit_scaled`)."""
    split = header_unit(value)
    if split is None or not split[0] or split[1] not in _YUAN:
        return None
    return norm_label(split[0])


def column_map(form_id: str, table_key: str) -> dict[str, str]:
    """Normalised label -> field key for one table."""
    return _COLUMN_MAPS[(form_id, table_key)]


def label_rank(form_id: str, table_key: str, label: Any) -> int | None:
    """A label's place among its field's labels: 0 the Chinese label, 1 the English, … ."""
    return _RANKS[(form_id, table_key)].get(norm_label(label))


# ----------------------------------------------------------------------------
# Finding header rows
# ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Candidate:
    sheet: str
    row: int
    matched: int
    by_name: bool


def _header_candidates(
    grid: Grid, only: str | None, overrides: dict[str, str] | None = None
) -> dict[TableId, _Candidate]:
    """Tables whose header row this sheet holds: for each, the first row with enough labels.

    Every table gets its own first row: a header block such as `Rep | Rep ID |
    Region` holds three roster labels above a daily report's real header row.
    A row with fewer than three of a table's labels (工作日 Workdays: 日期, 类型; a
    sales export of just 日期, 金额: all its required fields) is that table only
    where its labels are at least half of the row: `id, date, time, name, size,
    type, price` is a till's export, not a workdays list.
    """
    sheet_key = norm_label(grid.name)
    found: dict[TableId, _Candidate] = {}
    index = _TABLE_LABELS if only is None else _FORM_LABELS.get(only, {})  # (only its tables)
    # what a cell's text names depends on the text alone, but for a mapping's headers
    known = {} if overrides else _CELL_LABELS[only]
    for r, cells in enumerate(grid.rows[:HEADER_SCAN_ROWS]):
        hits: dict[TableId, set[str]] = defaultdict(set)
        filled = 0
        for value in cells:
            if value.__class__ is str and value:
                filled += 1
                labelled = known.get(value)
                if labelled is None:
                    labelled = _cell_labels(value, index, only, overrides)
                    if len(known) < 50_000:
                        known[value] = labelled
                for tid, key in labelled:
                    hits[tid].add(key)
        strong = False
        for tid, keys in hits.items():
            if tid in found:
                continue
            enough = len(keys) >= _MIN_LABELS[tid]
            needed = _REQUIRED.get(tid, frozenset())  # `Date, Sales`: all a sales export needs
            if (enough and len(keys) >= 3) or (
                (enough or (len(needed) >= 2 and needed <= keys)) and 2 * len(keys) >= filled
            ):
                found[tid] = _Candidate(grid.name, r, len(keys), sheet_key in _SHEET_NAMES[tid])
                strong = strong or len(keys) >= _FULL_ROW[tid]
        if strong:  # a full header row: what follows is data, not more headers
            break
    return found


# form id (None: every form) -> text of a cell -> the (table, field key) its label names
_CELL_LABELS: dict[str | None, dict[str, tuple[tuple[TableId, str], ...]]] = defaultdict(dict)


def _cell_labels(
    value: str,
    index: Mapping[str, list[tuple[TableId, str]]],
    only: str | None,
    overrides: dict[str, str] | None,
) -> tuple[tuple[TableId, str], ...]:
    """The tables' fields (of form `only`, or any) a cell's text is a label of: a header a
    mapping names, else a label in `index`.  A label of any table is read as it is; only
    another is tried without its unit (`销售金额(元)`)."""
    norm = norm_label(value)
    mapped = overrides.get(norm) if overrides else None
    if mapped is not None:
        return tuple(
            (tid, mapped) for tid in _TABLES_WITH.get(mapped, ()) if only is None or tid[0] == only
        )
    return tuple(index.get(norm if norm in _TABLE_LABELS else without_unit(value) or "", ()))


def _form_hint(book: Book) -> str | None:
    """The form id written by our templates in the hidden `_form` sheet."""
    if "_form" not in book.sheet_names:
        return None
    grid = book.grid("_form")
    for cells in grid.rows[:10]:
        if len(cells) >= 2 and norm_label(cells[0]) == "form" and text_of(cells[1]) in FORMS:
            return text_of(cells[1])
    return None


def locate(
    book: Book,
    *,
    mapping: Mapping_ | None = None,
    remembered: Mapping[str, Mapping_] | None = None,
    forget: bool = False,
) -> Layout | None:
    """The best-matching form and where its tables and header values are; None if none.

    Sheets named like a table are looked at first; the other visible sheets
    (an instructions sheet, a renamed sheet) are searched for the best form
    only when one of its tables is still missing.  Once the form is chosen,
    the visible sheets not read are looked at once more, for the same table
    holding rows there (`Layout.unread`): a copied or second sheet whose rows
    would otherwise be left out without a word.
    `mapping` (field key -> header) names columns no synonym knows; without
    one, a mapping `remembered` for a header row's signature is used (with
    `forget`, it is found but not used: the caller drops it).
    """
    hint = _form_hint(book)
    visible = [s for s in book.visible_sheets if norm_label(s) not in _NOT_DATA_SHEETS]
    used, from_store, forgotten = dict(mapping or {}), False, None
    if remembered and (forget or not used):
        hit = remembered_for(book, visible, remembered, HEADER_SCAN_ROWS)
        if hit is not None and forget:
            forgotten = hit[0]
        elif hit is not None:
            used, from_store = dict(hit[1]), True
    overrides = overrides_of(used)
    named = [s for s in visible if _named_like_a_table(s, hint)]
    candidates = _scan(book, named, hint, overrides)
    found = _best(candidates, hint)
    if found is None or len(found[2]) < len(found[1].tables):
        candidates = _scan(book, visible, hint, overrides)
        found = _best(candidates, hint)
    if found is None:
        return None
    _, form, chosen = found
    tables = {
        key: _table_layout(
            form,
            form.table(key),
            book.grid(c.sheet),
            c.row,
            overrides,
            partial(book.hidden_columns, c.sheet),
        )
        for key, c in chosen.items()
    }
    main = tables.get(form.main_table.key)
    signature = _signature(book.grid(main.sheet).rows[main.header_row]) if main else None
    return Layout(
        form,
        tables,
        _find_header(book, form, tables),
        signature,
        used or None,
        from_store,
        forgotten,
        _unread_tables(book, form, tables, visible, overrides, template=hint is not None),
    )


_SIGNATURES: dict[tuple[str, ...], str] = {}  # header rows of text -> their signature


def _signature(cells: list[Any]) -> str:
    """`header_signature`, worked out once per process for each header row of text."""
    if not set(map(type, cells)) <= {str}:
        return header_signature(cells)
    row = tuple(cells)
    signature = _SIGNATURES.get(row)
    if signature is None:
        signature = header_signature(cells)
        if len(_SIGNATURES) < 1_000:
            _SIGNATURES[row] = signature
    return signature


def _unread_tables(
    book: Book,
    form: Form,
    tables: dict[str, TableLayout],
    visible: list[str],
    overrides: dict[str, str],
    *,
    template: bool,
) -> list[UnreadTable]:
    """The form's tables found again, with rows, on visible sheets none of them is read from.

    Only a full label row counts (six labels, or all of a smaller table's): a sheet
    naming a column or two in its text is not a second table.  In a workbook made from
    our template (`template`), its instructions sheet is not looked at: it names every
    column in its rules, and reading it would cost every report a sheet."""
    read = {t.sheet for t in tables.values()}
    if template:
        read |= set(INSTRUCTIONS_NAMES)
    found: list[UnreadTable] = []
    for name in visible:
        if name in read:
            continue
        try:
            grid = book.grid(name)
        except ReadError:  # a sheet too large to read is not read either way
            continue
        for (_, key), cand in _header_candidates(grid, form.id, overrides).items():
            layout = tables.get(key)
            if layout is None or cand.matched < min(6, len(layout.table.fields)):
                continue
            rows = sum(
                1 for cells in grid.rows[cand.row + 1 :] if not all(_blank(v) for v in cells)
            )
            if rows:
                found.append(UnreadTable(layout.table, name, cand.row, rows, layout.sheet))
    return found


def _named_like_a_table(sheet: str, hint: str | None) -> bool:
    return norm_label(sheet) in _TABLE_NAMES.get(hint, frozenset())


def _table_names(hint: str | None) -> frozenset[str]:
    """The sheet names (as label keys) of every table of the form `hint`, or of any form."""
    return frozenset(
        name
        for (form_id, _), names in _SHEET_NAMES.items()
        if hint is None or form_id == hint
        for name in names
    )


_TABLE_NAMES: dict[str | None, frozenset[str]] = {
    hint: _table_names(hint) for hint in (None, *FORMS)
}


def _scan(
    book: Book, sheets: list[str], hint: str | None, overrides: dict[str, str]
) -> dict[TableId, list[_Candidate]]:
    candidates: dict[TableId, list[_Candidate]] = defaultdict(list)
    for name in sheets:
        for tid, cand in _header_candidates(book.grid(name), hint, overrides).items():
            candidates[tid].append(cand)
    return candidates


def _best(
    candidates: dict[TableId, list[_Candidate]], hint: str | None
) -> tuple[float, Form, dict[str, _Candidate]] | None:
    best: tuple[float, Form, dict[str, _Candidate]] | None = None
    for form in FORMS.values():
        if hint and form.id != hint:
            continue
        chosen: dict[str, _Candidate] = {}
        used: set[tuple[str, int]] = set()
        score = 0.0
        for table in form.tables:
            options = [
                c for c in candidates.get((form.id, table.key), ()) if (c.sheet, c.row) not in used
            ]
            if not options:
                continue
            pick = max(options, key=lambda c: (c.by_name, c.matched))
            chosen[table.key] = pick
            used.add((pick.sheet, pick.row))
            score += pick.matched + (2 if pick.by_name else 0)
        if form.main_table.key not in chosen:
            continue
        # The main table decides between forms that share labels (日报 vs 销售记录).
        main = chosen[form.main_table.key]
        score += main.matched / len(form.main_table.fields)
        if best is None or score > best[0]:
            best = (score, form, chosen)
    return best


def _table_layout(
    form: Form,
    table: Table,
    grid: Grid,
    header_row: int,
    overrides: dict[str, str],
    hidden_columns: Callable[[], tuple[tuple[int, int], ...]] = tuple,
) -> TableLayout:
    """Which column holds which field.  When two columns could be one field (two 金额,
    `Sales` and `Gross Sales`), `read.column_choice` picks one and the others are kept
    as extra columns; `hidden_columns` is asked only then."""
    top = grid.rows[header_row]
    claims, extras, mapped = _labels_read(form, table, top, overrides)
    columns: dict[str, int] = {}
    choices: list[ColumnChoice] = []
    for key, options in claims.items():
        if len(options) == 1:
            columns[key] = options[0][1]
            continue
        choice = choose_column(table.field(key), options, grid, header_row, hidden_columns)
        columns[key] = choice.used
        choices.append(choice)
        for col in choice.others:
            extras[col] = text_of(top[col])
    columns = dict(sorted(columns.items(), key=lambda kv: kv[1]))
    layout = TableLayout(table, grid.name, header_row, columns, extras, choices=choices)
    layout.mapped = {k: c for k, c in mapped.items() if columns.get(k) == c}
    if header_row + 1 < len(grid.rows):
        _second_label_row(layout, _COLUMN_MAPS[(form.id, table.key)], grid)
    _unique_labels(layout.extras)
    return layout


Claims = dict[str, list[tuple[int, int]]]  # field key -> (rank of its label, column)

LabelsRead = tuple[Claims, dict[int, str], dict[str, int]]

# A header row of text as read for a table, by the row's text: a folder of reports made
# from one template has one header row per table, so each is read once per process.
# (Text alone: 1, 1.0 and True are equal keys but not equal labels.)
_LABELS_READ: dict[tuple[Any, ...], tuple[Table, LabelsRead]] = {}


def _labels_read(form: Form, table: Table, top: list[Any], overrides: dict[str, str]) -> LabelsRead:
    """Which columns of the header row `top` claim which field (key -> (rank, column)), the
    unknown columns' labels, and the columns a mapping names (key -> column); fresh
    containers the caller may change."""
    memo = None
    if set(map(type, top)) <= {str}:
        memo = (form.id, table.key, id(table), tuple(top), tuple(overrides.items()))
        hit = _LABELS_READ.get(memo)
        if hit is not None and hit[0] is table:
            claims, extras, mapped = hit[1]
            return {k: list(v) for k, v in claims.items()}, dict(extras), dict(mapped)
    read = _read_labels(form, table, top, overrides)
    if memo is not None and len(_LABELS_READ) < 1_000:
        claims, extras, mapped = read
        _LABELS_READ[memo] = (
            table,
            ({k: list(v) for k, v in claims.items()}, dict(extras), dict(mapped)),
        )
    return read


def _read_labels(form: Form, table: Table, top: list[Any], overrides: dict[str, str]) -> LabelsRead:
    tid = (form.id, table.key)
    mapping, ranks = _COLUMN_MAPS[tid], _RANKS[tid]
    fields = {f.key for f in table.fields}
    claims: Claims = defaultdict(list)
    extras: dict[int, str] = {}
    mapped: dict[str, int] = {}
    for col, value in enumerate(top):
        if _blank(value):
            continue
        norm = norm_label(value)
        key = overrides.get(norm)
        if key is not None and key in fields:
            claims[key].append((-1, col))
            mapped.setdefault(key, col)
            continue
        key = mapping.get(norm)
        if key is None and (bare := without_unit(value)) is not None:
            norm, key = bare, mapping.get(bare)  # 销售金额(元): 销售金额's field
        if key is not None and key not in overrides.values():
            claims[key].append((ranks[norm], col))
        else:
            extras[col] = text_of(value)
    return dict(claims), extras, mapped


def _second_label_row(layout: TableLayout, mapping: dict[str, str], grid: Grid) -> None:
    """Labels that continue on the next row under merged group cells (`成交信息` over 数量 单价 金额).

    The next row is part of the header when it holds more of the table's labels in
    columns the first row left open, and nothing under the labels already found
    (except those labels again, merged down over both rows, or sub-labels under a
    label merged across columns: 金额 over 含税, 不含税).  A data row always has
    something under a known label, even when a value reads like a label (来源 `电话`).
    Sub-labels none of which the form knows make it a header row all the same when
    every one is text under a cell merged across columns (`sub_labels`: said, as
    their columns are not used).
    """
    top, below = grid.rows[layout.header_row], grid.rows[layout.header_row + 1]
    groups = {  # columns under a cell of the first row merged across columns, not down
        c
        for (r1, c1), (r2, c2) in grid.merged
        if r1 == r2 == layout.header_row and c2 > c1
        for c in range(c1, c2 + 1)
    }
    found: dict[int, str] = {}
    other: dict[int, Any] = {}
    field_of = {col: key for key, col in layout.columns.items()}
    for col, value in enumerate(below):
        if _blank(value) or (col < len(top) and value == top[col]):
            continue  # empty, or a label merged down over both rows
        if col in field_of and col not in groups:
            return
        key = mapping.get(norm_label(value)) if isinstance(value, str) else None
        if (
            key is not None
            and key not in found.values()
            and field_of.get(col) != key
            and (key not in layout.columns or layout.columns[key] in groups)
        ):
            found[col] = key
        else:
            other[col] = value
    unknown = (
        not found
        and bool(other)
        and all(isinstance(v, str) and c in groups for c, v in other.items())
    )
    if not found and not unknown:
        return
    layout.header_rows = 2
    # a field whose label spans sub-labels (金额 over 含税, 不含税) is none of them
    for col in [*found, *other]:
        key = field_of.get(col)
        if key is not None and layout.columns.get(key) == col:
            del layout.columns[key]
            layout.spanned[key] = col
        layout.choices = [c for c in layout.choices if c.key != key]
    for col, key in found.items():
        layout.columns[key] = col
        layout.extras.pop(col, None)
        layout.spanned.pop(key, None)
    for col, value in other.items():
        group = layout.extras.get(col) or (text_of(top[col]) if col < len(top) else "")
        layout.extras[col] = f"{group} {text_of(value)}" if group else text_of(value)
        layout.extra_rows[col] = layout.header_row + 1
    if unknown or layout.spanned:
        layout.sub_labels = tuple(sorted(c for c in other if c in groups))


def _unique_labels(extras: dict[int, str]) -> None:
    """Two unknown columns with one label (a merged header) both keep their data."""
    seen: set[str] = set()
    for col in sorted(extras):
        label = extras[col]
        if label in seen:
            extras[col] = label = f"{label} ({column_letters(col)})"
        seen.add(label)


def _blank(value: Any) -> bool:
    return value == "" or value is None or (isinstance(value, str) and not value.strip())


# ----------------------------------------------------------------------------
# Header block values
# ----------------------------------------------------------------------------


def _find_header(book: Book, form: Form, tables: dict[str, TableLayout]) -> dict[str, HeaderCell]:
    if not form.header:
        return {}
    if form.header_sheet is not None:
        names = {norm_label(n) for n in (*form.header_sheet, "".join(form.header_sheet))}
        sheet = next((s for s in book.sheet_names if norm_label(s) in names), None)
        if sheet is None:
            return {}
        grid = book.grid(sheet)
        return _header_pairs(grid, form, len(grid.rows[:200]))
    layout = tables.get(form.header_table or form.main_table.key)
    if layout is None:
        return {}
    return _header_pairs(book.grid(layout.sheet), form, layout.header_row)


def _header_pairs(grid: Grid, form: Form, stop_row: int) -> dict[str, HeaderCell]:
    labels = _HEADER_LABELS[form.id]
    found: dict[str, HeaderCell] = {}
    rows = grid.rows
    for r in range(min(stop_row, len(rows))):
        cells = rows[r]
        for c, value in enumerate(cells):
            if not isinstance(value, str) or not value.strip():
                continue
            norm = norm_label(value)
            key = labels.get(norm)
            if key is None:
                key, rest = _label_colon_value(value, labels)
                if key is not None and key not in found:
                    found[key] = HeaderCell(key, rest, grid.name, r, c)
                continue
            if key in found:
                continue
            found[key] = _value_near(grid, key, r, c, norm, stop_row)
    return found


def _label_colon_value(text: str, labels: dict[str, str]) -> tuple[str | None, str]:
    for sep in ("：", ":"):
        if sep in text:
            head, _, rest = text.partition(sep)
            key = labels.get(norm_label(head))
            if key is not None and rest.strip():
                return key, rest.strip()
    return None, ""


def _is_label(value: Any) -> bool:
    return isinstance(value, str) and norm_label(value) in _ALL_HEADER_LABELS


def _value_near(grid: Grid, key: str, r: int, c: int, norm: str, stop_row: int) -> HeaderCell:
    cells = grid.rows[r]
    for cc in range(c + 1, min(len(cells), c + 1 + HEADER_VALUE_COLS)):
        value = cells[cc]
        if value == "" or value is None or (isinstance(value, str) and norm_label(value) == norm):
            continue  # empty, or the same label spread by a merged cell
        if _is_label(value):
            break
        return HeaderCell(key, value, grid.name, r, cc)
    if r + 1 < stop_row:
        below = grid.value(r + 1, c)
        if below not in ("", None) and not _is_label(below):
            return HeaderCell(key, below, grid.name, r + 1, c)
    return HeaderCell(key, "", grid.name, r, c + 1)  # where the value should go
