"""Find formula cells that carry no cached value (README.md "Forms").

python-calamine returns cached values only, so a formula written by a script
and never calculated (openpyxl writes `<f>` with an empty `<v/>`) would read
as blank.  A streaming scan of the sheet XML finds those cells: a plain
substring test skips sheets without formulas, and only the bytes around each
`<f` are looked at, so the scan costs little next to the read itself.  Its cost
is linear in the part's size whatever the part holds: no pattern reads past
the next tag, so a part stuffed with `<f>` tokens (in a comment, say) cannot
make it quadratic.
"""

from __future__ import annotations

import functools
import posixpath
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence

from defusedxml import ElementTree

__all__ = [
    "column_index",
    "column_letters",
    "error_cells",
    "sheet_parts",
    "uncached_formula_cells",
]

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its XML part inside the package (parsed with defusedxml)."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {}
    for rel in rels.iter(f"{_NS_PKG_REL}Relationship"):
        target = rel.get("Target", "")
        if target.startswith("/"):
            target = target[1:]
        else:
            target = posixpath.normpath(posixpath.join("xl", target))
        targets[rel.get("Id")] = target
    parts = {}
    for sheet in workbook.iter(f"{_NS_MAIN}sheet"):
        part = targets.get(sheet.get(f"{_NS_REL}id"))
        if part:
            parts[sheet.get("name", "")] = part
    return parts


# A formula cell: <c r="B7" ...><f ...>text</f> or <f .../>, then maybe its cached <v>.
# (<f> is the first child of <c> in the OOXML schema; formula text is XML-escaped.)
# No part of the pattern crosses a `<` it does not name, so each try ends at the next
# tag, and a try starts only at a cell: the scan is linear in the part's size.
_FORMULA_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})(\d{1,7})"([^<>]*)><f\b[^<>]*(?:/>|>[^<]*</f>)(<v>[^<]+</v>)?'
)
_CELL_TAG = 512  # the longest `<c ...>` start tag looked back over (Excel's are < 100 bytes)


def uncached_formula_cells(xml: bytes, cells: Sequence[int] | None = None) -> list[tuple[int, int]]:
    """0-based (row, column) of every formula cell whose `<v>` is missing or empty.

    A sheet without formulas costs one substring search; one with formulas a
    bounded look-back from each `<f` — or, when there are more `<f` than
    cells (a million `<f>` tokens stuffed into a comment), one pass that tries
    each cell instead.  Either way linear in the part's size.  `cells`, when
    the caller knows them (`salesxl.read.extent` notes them while checking
    every cell), are where all the cells that may hold a formula start: each
    is tried there, and nothing is searched.
    """
    matches: Iterable[re.Match[bytes] | None]
    if cells is not None:
        matches = (_FORMULA_CELL.match(xml, at) for at in cells)
    else:
        starts = _formula_starts(xml)
        if not starts:
            return []
        # A formula cell takes more than 16 bytes: more `<f` than that are stuffed in (into
        # a comment, say), and each cell is tried instead of each `<f`.
        if starts[-1] < 0:
            matches = _FORMULA_CELL.finditer(xml)
        else:
            matches = (_formula_cell(xml, at) for at in starts)
    found = []
    for match in matches:
        if match is None:
            continue
        letters, row, attributes, value = match.groups()
        # Excel caches an empty text result as t="str" with <v></v>: that is a value.
        if value is None and b't="str"' not in attributes:
            found.append((int(row) - 1, column_index(letters.decode())))
    return found


# A cell holding an Excel error (#N/A, #DIV/0!, #REF!, #VALUE!): `t="e"`, a formula or
# not (values pasted from a VLOOKUP keep their #N/A), and the error as its `<v>`.
# python-calamine gives such a cell as '' (blank): the scan says what it really holds.
_ERROR_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})(\d{1,7})"([^<>]*)>(?:<f\b[^<>]*(?:/>|>[^<]*</f>))?<v>([^<]{1,32})</v>'
)
_ERROR_TYPE = b't="e"'


def error_cells(xml: bytes, cells: Sequence[int] | None = None) -> dict[tuple[int, int], str]:
    """0-based (row, column) -> the Excel error shown (`#N/A`) of every error cell.

    A sheet without one costs one substring search; each `t="e"` is looked at from
    the `<c ` at most `_CELL_TAG` bytes before it — or, when they are stuffed in
    (more than one per 64 bytes), every cell is tried once instead: linear either way.
    `cells`, as for `uncached_formula_cells`: where all the cells that may hold an
    error start, each tried there.
    """
    matches: Iterable[re.Match[bytes] | None]
    if cells is not None:
        matches = (_ERROR_CELL.match(xml, at) for at in cells)
    else:
        at = xml.find(_ERROR_TYPE)
        if at < 0:
            return {}
        if xml.count(_ERROR_TYPE) > len(xml) // 64:
            matches = _ERROR_CELL.finditer(xml)
        else:
            matches = (_error_cell(xml, at) for at in _occurrences(xml, _ERROR_TYPE, at))
    found: dict[tuple[int, int], str] = {}
    for match in matches:
        if match is None or _ERROR_TYPE not in match.group(3):
            continue
        letters, row, _, value = match.groups()
        found[(int(row) - 1, column_index(letters.decode()))] = value.decode("ascii", "replace")
    return found


def _occurrences(xml: bytes, needle: bytes, at: int) -> Iterator[int]:
    while at >= 0:
        yield at
        at = xml.find(needle, at + 1)


def _error_cell(xml: bytes, at: int) -> re.Match[bytes] | None:
    """The cell whose start tag holds the `t="e"` at `at`."""
    cell = xml.rfind(b"<c ", max(0, at - _CELL_TAG), at)
    if cell < 0:
        return None
    match = _ERROR_CELL.match(xml, cell)
    return None if match is None or not match.start(3) <= at < match.end(3) else match


_MANY = 1024  # formulas a sheet may well have; past them, the stuffing is counted first


# `<f>`, `<f ...>` or `<f/>`: the regular expression's search for its literal start `<f`
# goes through the part faster than bytes.find does (XML is full of `<`).
_FORMULA_START = re.compile(rb"<f[ >/]")


def _formula_starts(xml: bytes) -> list[int]:
    """Where each `<f>`, `<f ...>` or `<f/>` starts; just [-1] when there are more of them
    than a formula cell per 16 bytes (then the cells are tried instead)."""
    starts: list[int] = []
    for match in _FORMULA_START.finditer(xml):
        starts.append(match.start())
        if len(starts) == _MANY and xml.count(b"<f") > len(xml) // 16:
            return [-1]
    return starts


def _formula_cell(xml: bytes, at: int) -> re.Match[bytes] | None:
    """The cell whose formula starts at `at`: the `<c ` at most `_CELL_TAG` bytes before."""
    cell = xml.rfind(b"<c ", max(0, at - _CELL_TAG), at)
    if cell < 0:
        return None
    match = _FORMULA_CELL.match(xml, cell)
    return None if match is None or match.end() < at else match  # else an earlier cell's


def column_index(letters: str) -> int:
    """`A` -> 0, `AA` -> 26."""
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


@functools.lru_cache(maxsize=16_384)  # a column to XFD: the letters of every issue's cell
def column_letters(col: int) -> str:
    """0 -> `A`, 26 -> `AA`."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
