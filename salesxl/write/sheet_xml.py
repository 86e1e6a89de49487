"""Edit the cells of one worksheet part as text: styles of given cells, new empty cells.

One pass finds every row and cell start tag of `<sheetData>`; the edits are
then applied from the end of the text backwards, so a thousand marks cost
one scan, not a thousand.  Rows and cells without an `r` attribute (the
schema allows it) get one first, so every cell has an address.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from salesxl.read.formulas import column_index, column_letters
from salesxl.write.package import PackageError

__all__ = ["SheetCells", "cells_of", "split_cell"]

_CELL_REF = re.compile(r"([A-Z]{1,3})(\d+)")
_ATTR = re.compile(r'\b([\w:]+)="([^"]*)"')


def split_cell(ref: str) -> tuple[int, int]:
    """`B13` -> (12, 1): 0-based row and column."""
    match = _CELL_REF.fullmatch(ref)
    if match is None:
        raise PackageError(f"{ref!r} is not a cell address")
    return int(match.group(2)) - 1, column_index(match.group(1))


def cells_of(ref: str) -> list[str]:
    """`B4` -> [`B4`]; a range `B4:B6` -> [`B4`, `B5`, `B6`] (row by row)."""
    first, _, last = ref.partition(":")
    if not last:
        split_cell(first)  # an address, or PackageError
        return [first]
    (r0, c0), (r1, c1) = split_cell(first), split_cell(last)
    return [
        f"{column_letters(c)}{r + 1}"
        for r in range(min(r0, r1), max(r0, r1) + 1)
        for c in range(min(c0, c1), max(c0, c1) + 1)
    ]


@dataclass(slots=True)
class _Row:
    number: int  # 0-based
    start: int  # the start tag's span in the text
    end: int
    closed: bool  # <row .../>
    close_at: int = -1  # where </row> starts


@dataclass(slots=True)
class _Cell:
    col: int
    start: int
    end: int  # end of the start tag
    attrs: dict[str, str]


class SheetCells:
    """The cells of one worksheet's XML, for reading and changing their style ids."""

    def __init__(self, xml: str) -> None:
        match = re.search(r"<(\w+:)?worksheet\b", xml)
        if match is None:
            raise PackageError("not a worksheet part")
        self.p = match.group(1) or ""
        self.xml = self._with_addresses(xml)
        self._index()

    # -- reading ------------------------------------------------------------------------

    def _tokens(self, xml: str) -> re.Pattern[str]:
        p = re.escape(self.p)
        return re.compile(rf"<{p}row\b([^>]*?)(/?)>|</{p}row>|<{p}c\b([^>]*?)/?>")

    def _with_addresses(self, xml: str) -> str:
        """The text with an `r` on every row and cell (implicit addresses made explicit)."""
        p = self.p
        # Excel and the libraries write `r` first: counting settles the usual case at once.
        tags = sum(xml.count(f"<{p}{name}{end}") for name in ("row", "c") for end in " >/")
        if tags == xml.count(f'<{p}row r="') + xml.count(f'<{p}c r="'):
            return xml
        found = re.finditer(rf"<{re.escape(p)}(?:row|c)[\s>/][^>]*", xml)
        if all(' r="' in m.group() for m in found):
            return xml
        out, last, row, col = [], 0, 0, -1
        for m in self._tokens(xml).finditer(xml):
            text = m.group(0)
            if text.startswith(f"</{self.p}row"):
                continue
            is_row = m.group(3) is None
            attrs = dict(_ATTR.findall(m.group(1) if is_row else m.group(3)))
            if is_row:
                row = int(attrs["r"]) if "r" in attrs else row + 1
                col = -1
                address = str(row)
            else:
                col = split_cell(attrs["r"])[1] if "r" in attrs else col + 1
                address = f"{column_letters(col)}{row}"
            if "r" not in attrs:
                name_end = m.start() + len(f"<{self.p}{'row' if is_row else 'c'}")
                out += [xml[last:name_end], f' r="{address}"']
                last = name_end
        out.append(xml[last:])
        return "".join(out)

    def _index(self) -> None:
        """Columns' styles and merged ranges; rows are found when asked for (`row`)."""
        xml, p = self.xml, re.escape(self.p)
        self._rows: dict[int, _Row] = {}
        self._all_rows = False
        self._cells_of: dict[int, list[_Cell]] = {}
        cells_at = xml.find("sheetData")
        tail = xml[max(0, xml.rfind("sheetData>"), xml.rfind("sheetData/>")) :]
        self.merged = [
            (split_cell(a), split_cell(b))
            for a, b in re.findall(rf'<{p}mergeCell\b[^>]*\bref="([A-Z]+\d+):([A-Z]+\d+)"', tail)
        ]
        self.col_styles: list[tuple[int, int, int]] = []
        for attrs in re.findall(rf"<{p}col\b([^>]*)/?>", xml[: max(0, cells_at)]):
            a = dict(_ATTR.findall(attrs))
            if "style" in a and "min" in a and "max" in a:
                self.col_styles.append((int(a["min"]) - 1, int(a["max"]) - 1, int(a["style"])))

    def row(self, number: int) -> _Row | None:
        """Row `number` (0-based), or None when the sheet has no such row."""
        found = self._rows.get(number)
        if found is not None or self._all_rows:
            return found
        head = f'<{self.p}row r="{number + 1}"'  # `r` first, as everyone writes it
        at = self.xml.find(head)
        if at < 0:
            self._every_row()
            return self._rows.get(number)
        end = self.xml.index(">", at) + 1
        closed = self.xml[end - 2] == "/"
        found = _Row(number, at, end, closed)
        if not closed:
            found.close_at = self.xml.find(f"</{self.p}row>", end)
        self._rows[number] = found
        return found

    def _every_row(self) -> None:
        if self._all_rows:
            return
        p = re.escape(self.p)
        current: _Row | None = None
        for m in re.finditer(rf'<{p}row\b[^>]*?\br="(\d+)"[^>]*?(/?)>|</{p}row>', self.xml):
            if m.group(1) is None:  # </row>
                if current is not None:
                    current.close_at = m.start()
                current = None
                continue
            row = _Row(int(m.group(1)) - 1, m.start(), m.end(), m.group(2) == "/")
            self._rows.setdefault(row.number, row)
            current = None if row.closed else row
        self._all_rows = True

    def cells(self, row: _Row) -> list[_Cell]:
        """The cells of a row, in the order they are written."""
        found = self._cells_of.get(row.number)
        if found is None:
            found = self._cells_of[row.number] = []
            if not row.closed and row.close_at >= 0:
                pattern = re.compile(rf"<{re.escape(self.p)}c\b([^>]*?)/?>")
                for m in pattern.finditer(self.xml, row.end, row.close_at):
                    attrs = dict(_ATTR.findall(m.group(1)))
                    found.append(_Cell(split_cell(attrs["r"])[1], m.start(), m.end(), attrs))
        return found

    def top_left(self, row: int, col: int) -> tuple[int, int]:
        """The cell that shows a merged range (a cell outside merges is itself)."""
        for (r1, c1), (r2, c2) in self.merged:
            if r1 <= row <= r2 and c1 <= col <= c2:
                return r1, c1
        return row, col

    def style_of(self, row: int, col: int) -> int:
        """The style id the cell shows: its own, else its row's, else its column's, else 0."""
        found = self.row(row)
        if found is not None:
            for cell in self.cells(found):
                if cell.col == col:
                    return int(cell.attrs.get("s", "0") or 0)
            attrs = dict(_ATTR.findall(self.xml[found.start : found.end]))
            if attrs.get("customFormat") in ("1", "true") and "s" in attrs:
                return int(attrs["s"])
        for low, high, style in self.col_styles:
            if low <= col <= high:
                return style
        return 0

    # -- changing -------------------------------------------------------------------------

    def restyle(self, styles: dict[tuple[int, int], int]) -> str:
        """The text with each (row, col) cell given its style id (cells made where missing)."""
        edits: list[tuple[int, int, str]] = []  # (position, length replaced, new text)
        by_row: dict[int, dict[int, int]] = defaultdict(dict)
        for (row, col), style in styles.items():
            by_row[row][col] = style
        new_rows: dict[int, str] = {}
        for row, cols in by_row.items():
            found = self.row(row)
            if found is None:
                cells = "".join(self._new_cell(row, c, s) for c, s in sorted(cols.items()))
                new_rows[row] = f'<{self.p}row r="{row + 1}">{cells}</{self.p}row>'
                continue
            existing = {cell.col: cell for cell in self.cells(found)}
            missing = {c: s for c, s in cols.items() if c not in existing}
            for c, s in cols.items():
                if c in existing:
                    cell = existing[c]
                    edits.append(
                        (cell.start, cell.end - cell.start, _set_style(self.xml, cell, s, self.p))
                    )
            if not missing:
                continue
            if found.closed:  # <row .../> becomes <row ...>cells</row>
                head = self.xml[found.start : found.end - 2].rstrip()
                cells = "".join(self._new_cell(row, c, s) for c, s in sorted(missing.items()))
                edits.append(
                    (
                        found.start,
                        found.end - found.start,
                        f"{_drop_spans(head)}>{cells}</{self.p}row>",
                    )
                )
                continue
            head = self.xml[found.start : found.end]
            if "spans=" in head:  # the spans hint may no longer hold
                edits.append((found.start, found.end - found.start, _drop_spans(head)))
            for c, s in sorted(missing.items()):
                after = [cell for cell in self.cells(found) if cell.col > c]
                at = after[0].start if after else found.close_at
                edits.append((at, 0, self._new_cell(row, c, s)))
        if new_rows:
            edits += self._row_inserts(new_rows)
        text = self.xml
        for at, length, new in sorted(edits, key=lambda e: (e[0], -e[1]), reverse=True):
            text = text[:at] + new + text[at + length :]
        return _widen_dimension(text, self.p, styles)

    def _new_cell(self, row: int, col: int, style: int) -> str:
        return f'<{self.p}c r="{column_letters(col)}{row + 1}" s="{style}"/>'

    def _row_inserts(self, new_rows: dict[int, str]) -> list[tuple[int, int, str]]:
        edits = []
        self._every_row()
        ordered = sorted(self._rows.values(), key=lambda r: r.number)
        p = re.escape(self.p)
        end = re.search(rf"</{p}sheetData>", self.xml)
        empty = re.search(rf"<{p}sheetData\s*/>", self.xml)
        if end is None and empty is None:
            raise PackageError("the worksheet has no sheetData")
        tail: list[str] = []
        for number, text in sorted(new_rows.items()):
            after = [r for r in ordered if r.number > number]
            if after:
                edits.append((after[0].start, 0, text))
            else:
                tail.append(text)
        if tail:
            if end is not None:
                edits.append((end.start(), 0, "".join(tail)))
            else:
                assert empty is not None
                edits.append(
                    (
                        empty.start(),
                        empty.end() - empty.start(),
                        f"<{self.p}sheetData>{''.join(tail)}</{self.p}sheetData>",
                    )
                )
        return edits


def _set_style(xml: str, cell: _Cell, style: int, p: str) -> str:
    head = xml[cell.start : cell.end]
    if re.search(r'\ss="[^"]*"', head):
        return re.sub(r'(\s)s="[^"]*"', rf'\1s="{style}"', head, count=1)
    name_end = len(f"<{p}c")
    return f'{head[:name_end]} s="{style}"{head[name_end:]}'


def _drop_spans(head: str) -> str:
    return re.sub(r'\sspans="[^"]*"', "", head)


def _widen_dimension(xml: str, p: str, cells: dict[tuple[int, int], int]) -> str:
    """The `<dimension>` grown to cover cells added outside it (readers size grids by it)."""
    match = re.search(
        rf'<{re.escape(p)}dimension\b[^>]*\bref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"', xml
    )
    if match is None or not cells:
        return xml
    c1, r1 = column_index(match.group(1)), int(match.group(2)) - 1
    c2 = column_index(match.group(3)) if match.group(3) else c1
    r2 = int(match.group(4)) - 1 if match.group(4) else r1
    rows = [r for r, _ in cells]
    cols = [c for _, c in cells]
    n1, m1 = min(r1, *rows), min(c1, *cols)
    n2, m2 = max(r2, *rows), max(c2, *cols)
    if (n1, m1, n2, m2) == (r1, c1, r2, c2):
        return xml
    ref = f"{column_letters(m1)}{n1 + 1}:{column_letters(m2)}{n2 + 1}"
    return xml[: match.start(1)] + ref + xml[match.end() - 1 :]
