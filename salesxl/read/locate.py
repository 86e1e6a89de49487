"""Find the form, its tables and its header values wherever they are (README.md "Forms").

The table header row is the first row holding at least three known labels
of a table; a form is recognised by how many of its labels and sheet names
a workbook holds, not by file name or position.  Header values are
label/value pairs above the table: value right of the label, below it, or in
the same cell after a colon (`销售员：张伟`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from salesxl.forms import FORMS, Form, Table
from salesxl.forms.marks import TO_FIX_NAMES
from salesxl.read.formulas import column_letters
from salesxl.read.values import norm_label, text_of
from salesxl.read.workbook import Book, Grid

__all__ = ["HeaderCell", "Layout", "TableLayout", "locate"]

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


# ----------------------------------------------------------------------------
# Label indexes, built once from the form descriptions
# ----------------------------------------------------------------------------

TableId = tuple[str, str]  # (form id, table key)

_TABLE_LABELS: dict[str, list[tuple[TableId, str]]] = defaultdict(list)
_COLUMN_MAPS: dict[TableId, dict[str, str]] = {}
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
        for _f in _table.fields:
            for _label in _f.all_labels():
                mapping.setdefault(norm_label(_label), _f.key)
        _COLUMN_MAPS[tid] = mapping
        for _label, _key in mapping.items():
            _TABLE_LABELS[_label].append((tid, _key))
        _SHEET_NAMES[tid] = frozenset(
            norm_label(n)
            for n in (_table.zh, _table.en, f"{_table.zh}{_table.en}", *_table.sheet_aliases)
        )

_ALL_HEADER_LABELS: frozenset[str] = frozenset(
    label for labels in _HEADER_LABELS.values() for label in labels
)
# A return copy's 待修改 To fix sheet lists problems, not records: never read as data.
_NOT_DATA_SHEETS = frozenset(norm_label(name) for name in TO_FIX_NAMES)


def column_map(form_id: str, table_key: str) -> dict[str, str]:
    """Normalised label -> field key for one table."""
    return _COLUMN_MAPS[(form_id, table_key)]


# ----------------------------------------------------------------------------
# Finding header rows
# ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Candidate:
    sheet: str
    row: int
    matched: int
    by_name: bool


def _header_candidates(grid: Grid, only: str | None) -> dict[TableId, _Candidate]:
    """Tables whose header row this sheet holds: for each, the first row with enough labels.

    Every table gets its own first row: a header block such as `Rep | Rep ID |
    Region` holds three roster labels above a daily report's real header row.
    """
    sheet_key = norm_label(grid.name)
    found: dict[TableId, _Candidate] = {}
    for r, cells in enumerate(grid.rows[:HEADER_SCAN_ROWS]):
        hits: dict[TableId, set[str]] = defaultdict(set)
        for value in cells:
            if value.__class__ is str and value:
                for tid, key in _TABLE_LABELS.get(norm_label(value), ()):
                    if only is None or tid[0] == only:
                        hits[tid].add(key)
        strong = False
        for tid, keys in hits.items():
            if tid not in found and len(keys) >= FORMS[tid[0]].table(tid[1]).min_labels:
                found[tid] = _Candidate(grid.name, r, len(keys), sheet_key in _SHEET_NAMES[tid])
                table = FORMS[tid[0]].table(tid[1])
                strong = strong or len(keys) >= min(6, len(table.fields))
        if strong:  # a full header row: what follows is data, not more headers
            break
    return found


def _form_hint(book: Book) -> str | None:
    """The form id written by our templates in the hidden `_form` sheet."""
    if "_form" not in book.sheet_names:
        return None
    grid = book.grid("_form")
    for cells in grid.rows[:10]:
        if len(cells) >= 2 and norm_label(cells[0]) == "form" and text_of(cells[1]) in FORMS:
            return text_of(cells[1])
    return None


def locate(book: Book) -> Layout | None:
    """The best-matching form and where its tables and header values are; None if none.

    Sheets named like a table are looked at first; the other visible sheets
    (an instructions sheet, a renamed sheet) are read only when a table of
    the best form is still missing — most files never pay for them.
    """
    hint = _form_hint(book)
    visible = [s for s in book.visible_sheets if norm_label(s) not in _NOT_DATA_SHEETS]
    named = [s for s in visible if _named_like_a_table(s, hint)]
    candidates = _scan(book, named, hint)
    found = _best(candidates, hint)
    if found is None or len(found[2]) < len(found[1].tables):
        candidates = _scan(book, visible, hint)
        found = _best(candidates, hint)
    if found is None:
        return None
    _, form, chosen = found
    tables = {
        key: _table_layout(form, form.table(key), book.grid(c.sheet), c.row)
        for key, c in chosen.items()
    }
    return Layout(form, tables, _find_header(book, form, tables))


def _named_like_a_table(sheet: str, hint: str | None) -> bool:
    key = norm_label(sheet)
    return any(
        key in names
        for (form_id, _), names in _SHEET_NAMES.items()
        if hint is None or form_id == hint
    )


def _scan(book: Book, sheets: list[str], hint: str | None) -> dict[TableId, list[_Candidate]]:
    candidates: dict[TableId, list[_Candidate]] = defaultdict(list)
    for name in sheets:
        for tid, cand in _header_candidates(book.grid(name), hint).items():
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


def _table_layout(form: Form, table: Table, grid: Grid, header_row: int) -> TableLayout:
    mapping = column_map(form.id, table.key)
    top = grid.rows[header_row]
    columns: dict[str, int] = {}
    extras: dict[int, str] = {}
    for col, value in enumerate(top):
        if _blank(value):
            continue
        key = mapping.get(norm_label(value))
        if key is not None and key not in columns:
            columns[key] = col
        else:
            extras[col] = text_of(value)
    layout = TableLayout(table, grid.name, header_row, columns, extras)
    if header_row + 1 < len(grid.rows):
        _second_label_row(layout, mapping, top, grid.rows[header_row + 1])
    _unique_labels(layout.extras)
    return layout


def _second_label_row(
    layout: TableLayout, mapping: dict[str, str], top: list[Any], below: list[Any]
) -> None:
    """Labels that continue on the next row under merged group cells (`成交信息` over 数量 单价 金额).

    The next row is part of the header when it holds more of the table's labels in
    columns the first row left open, and nothing under the labels already found
    (except those labels again, merged down over both rows).  A data row always has
    something under a known label, even when a value reads like a label (来源 `电话`).
    """
    found: dict[int, str] = {}
    other: dict[int, Any] = {}
    mapped = set(layout.columns.values())
    for col, value in enumerate(below):
        if _blank(value) or (col < len(top) and value == top[col]):
            continue  # empty, or a label merged down over both rows
        if col in mapped:
            return
        key = mapping.get(norm_label(value)) if isinstance(value, str) else None
        if key is not None and key not in layout.columns and key not in found.values():
            found[col] = key
        else:
            other[col] = value
    if not found:
        return
    layout.header_rows = 2
    for col, key in found.items():
        layout.columns[key] = col
        layout.extras.pop(col, None)
    for col, value in other.items():
        group = layout.extras.get(col)
        layout.extras[col] = f"{group} {text_of(value)}" if group else text_of(value)
        layout.extra_rows[col] = layout.header_row + 1


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
