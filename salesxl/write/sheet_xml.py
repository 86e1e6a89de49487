"""Edit the cells of one worksheet part as text: styles of given cells, new empty cells.

One pass finds every row and cell start tag of `<sheetData>`; the edits are
then applied from the end of the text backwards, so a thousand marks cost
one scan, not a thousand.  Rows and cells without an `r` attribute (the
schema allows it) get one first, so every cell has an address.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from salesxl.read.formulas import column_index, column_letters
from salesxl.write.package import PackageError

__all__ = ["SheetCells", "split_cell"]

_CELL_REF = re.compile(r"([A-Z]{1,3})(\d+)")
_ATTR = re.compile(r'\b([\w:]+)="([^"]*)"')


def split_cell(ref: str) -> tuple[int, int]:
    """`B13` -> (12, 1): 0-based row and column."""
    match = _CELL_REF.fullmatch(ref)
    if match is None:
        raise PackageError(f"{ref!r} is not a cell address")
    return int(match.group(2)) - 1, column_index(match.group(1))


@dataclass(slots=True)
class _Row:
    number: int  # 0-based
    start: int  # the start tag's span in the text
    end: int
    closed: bool  # <row .../>
    attrs: dict[str, str]
    close_at: int = -1  # where </row> starts
    cells: list[_Cell] = field(default_factory=list)


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
        if not re.search(rf"<{re.escape(self.p)}(?:row|c)\b(?![^>]*\br=)", xml):
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
        xml = self.xml
        self.rows: dict[int, _Row] = {}
        current: _Row | None = None
        for m in self._tokens(xml).finditer(xml):
            if m.group(0).startswith(f"</{self.p}row"):
                if current is not None:
                    current.close_at = m.start()
                current = None
            elif m.group(3) is None:
                attrs = dict(_ATTR.findall(m.group(1)))
                row = _Row(int(attrs["r"]) - 1, m.start(), m.end(), m.group(2) == "/", attrs)
                self.rows[row.number] = row
                current = None if row.closed else row
            elif current is not None:
                attrs = dict(_ATTR.findall(m.group(3)))
                c = split_cell(attrs["r"])[1]
                current.cells.append(_Cell(c, m.start(), m.end(), attrs))
        self.merged = [
            (split_cell(a), split_cell(b))
            for a, b in re.findall(
                rf'<{re.escape(self.p)}mergeCell\b[^>]*\bref="([A-Z]+\d+):([A-Z]+\d+)"', xml
            )
        ]
        self.col_styles: list[tuple[int, int, int]] = []
        for attrs in re.findall(rf"<{re.escape(self.p)}col\b([^>]*)/?>", xml):
            a = dict(_ATTR.findall(attrs))
            if "style" in a and "min" in a and "max" in a:
                self.col_styles.append((int(a["min"]) - 1, int(a["max"]) - 1, int(a["style"])))

    def top_left(self, row: int, col: int) -> tuple[int, int]:
        """The cell that shows a merged range (a cell outside merges is itself)."""
        for (r1, c1), (r2, c2) in self.merged:
            if r1 <= row <= r2 and c1 <= col <= c2:
                return r1, c1
        return row, col

    def style_of(self, row: int, col: int) -> int:
        """The style id the cell shows: its own, else its row's, else its column's, else 0."""
        found = self.rows.get(row)
        if found is not None:
            for cell in found.cells:
                if cell.col == col:
                    return int(cell.attrs.get("s", "0") or 0)
            if found.attrs.get("customFormat") in ("1", "true") and "s" in found.attrs:
                return int(found.attrs["s"])
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
            found = self.rows.get(row)
            if found is None:
                cells = "".join(self._new_cell(row, c, s) for c, s in sorted(cols.items()))
                new_rows[row] = f'<{self.p}row r="{row + 1}">{cells}</{self.p}row>'
                continue
            existing = {cell.col: cell for cell in found.cells}
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
                after = [cell for cell in found.cells if cell.col > c]
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
        ordered = sorted(self.rows.values(), key=lambda r: r.number)
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
