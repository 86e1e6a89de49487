"""How far a worksheet really reaches, found in its XML before any grid is built.

python-calamine builds a sheet as one dense block up to its last cell with a
value, and salesxl's grid starts at A1: one value at XFD1048576 in an 18 KB
file asks for 17 billion cells and aborts the process.  The `<dimension>`
element can say anything, so the cell references themselves are checked —
cheaply.  When every cell is written the usual way (`<c r="B7"…>`, as Excel,
WPS, LibreOffice and the common libraries write them), one regular-expression
pass confirms that no reference goes beyond the bound the dimension suggests
(and notes the cells holding a formula or an error, for `salesxl.read.formulas`);
only a sheet that may be too large, or one written unusually (cells without
references, prefixed tags), is walked tag by tag with python-calamine's own
rules: a cell without `r` follows the one before it, a row without `r` the
row before it, and only cells with a value extend the sheet.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["CellScan", "Extent", "bad_string_reference", "scan_cells", "walk"]

_MAX_COLUMNS = {1: 26, 2: 702, 3: 16_384}
# Above this, a sheet written the usual way whose references reach too far is refused on
# the references alone rather than walked (a far cell with only a format is then counted).
_WALK_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Extent:
    """A sheet's grid from A1: `rows` × `cols` cells, `values` of them filled (an upper bound)."""

    rows: int
    cols: int
    values: int
    exact: bool  # False: an upper bound from the references alone

    @property
    def cells(self) -> int:
        return self.rows * self.cols


_DIMENSION = re.compile(rb"<(?:[\w.-]+:)?dimension\s+ref=\"(?:[A-Z]+\d+:)?([A-Z]{1,3})(\d{1,7})\"")
_PREFIXED_CELL = re.compile(rb":c[\s/>]")
_TWO_LETTERS = re.compile(rb'<c r="([A-Z]{2})\d')
_ROWS = re.compile(rb'<c r="[A-Z]{1,3}(\d{1,7})"')


def _values(xml: bytes) -> int:
    """Cells holding a value: `<v>` or an inline string (an empty `<v></v>` holds none)."""
    return xml.count(b"<v>") + xml.count(b"<v ") + xml.count(b"<is>") - xml.count(b"<v></v>")


@dataclass(frozen=True, slots=True)
class CellScan:
    """What a worksheet part's cells say before it is read: its extent, whether every
    shared-string cell holds an index the table can have, and, when every cell is written
    the usual way, where each cell with a formula and each with an error starts
    (`salesxl.read.formulas` then looks at those alone; None: not known, the part is
    searched)."""

    extent: Extent
    strings_ok: bool
    formulas: tuple[int, ...] | None = None
    errors: tuple[int, ...] | None = None


# A usual cell's reference and style, as Excel, WPS, LibreOffice, openpyxl and xlsxwriter
# write them: r first, then s.
_STYLE = rb'(?: s="\d{1,5}")?+'


def _ref(letters: int, digits: int) -> bytes:
    return rb' r="[A-Z]%s\d{1,%d}"' % (b"{1,%d}" % letters if letters > 1 else b"", digits)


@functools.cache
def _odd_cell(letters: int, digits: int, string_digits: int | None) -> re.Pattern[bytes]:
    """A cell tag that is not `<c r="…">` with at most so many column letters and row
    digits — nor, with `string_digits`, a shared-string cell whose `<v>` is a plain index
    of at most that many digits, right after its tag."""
    ref = _ref(letters, digits)
    if string_digits is None:
        return re.compile(rb"<c(?!" + ref + rb")[\s/>]")
    # r, then s, then t: a shared-string cell with its index right after the tag, or any
    # cell that is not one.  Anything else (another attribute, another order) is unusual:
    # the careful path.
    string = rb' t="s"><v>\d{1,%d}</' % string_digits
    other = rb' t="(?!s")\w{1,9}"[/>]|[/>]'
    return re.compile(rb"<c(?!" + ref + _STYLE + rb"(?:" + string + rb"|" + other + rb"))[\s/>]")


@functools.cache
def _odd_or_noted(letters: int, digits: int, string_digits: int) -> re.Pattern[bytes]:
    """`_odd_cell`, or a usual cell that holds a formula (`<f` right after its tag) or an
    error (`t="e"`): the cells `salesxl.read.formulas` looks at."""
    string = rb' t="s"><v>\d{1,%d}</' % string_digits
    end = rb"/?>(?!<f)"
    other = rb' t="(?![se]")\w{1,9}"' + end + rb"|" + end
    return re.compile(
        rb"<c(?!" + _ref(letters, digits) + _STYLE + rb"(?:" + string + rb"|" + other + rb"))[\s/>]"
    )


@functools.cache
def _noted_cell(letters: int, digits: int) -> re.Pattern[bytes]:
    """A usual cell's tag, its type (group 1) and its formula's start tag (group 2, empty
    when no `<f` follows): a cell with one that `salesxl.read.formulas` finds from its
    start alone, as it finds it by searching."""
    kind = rb'(?: t="(?!s")(\w{1,9})")?'
    return re.compile(rb"<c" + _ref(letters, digits) + _STYLE + kind + rb"/?>(<f[ >/]|(?!<f))")


def _usual(xml: bytes, letters: int, digits: int, string_digits: int | None = None) -> bool:
    """Every cell is `<c r="…">` with at most `letters` column letters and `digits` row
    digits (and, with `string_digits`, a plain shared-string index): one pass."""
    if _odd_cell(letters, digits, string_digits).search(xml):
        return False
    return _PREFIXED_CELL.search(xml) is None  # (faster than testing for `:c` first)


# where the cells with a formula start, and those with an error (None, None: not known)
_Noted = tuple[tuple[int, ...] | None, tuple[int, ...] | None]


def _usual_noting(xml: bytes, letters: int, digits: int, string_digits: int) -> _Noted | None:
    """`_usual` (None when not), and in the same pass where each cell with a formula and
    each with an error starts; none noted when a cell is written so that only searching
    the part finds them all for sure.  Every cell `_odd_cell` finds is found here too."""
    formulas: list[int] = []
    errors: list[int] = []
    noted = True
    odd, noting = _odd_cell(letters, digits, string_digits).match, _noted_cell(letters, digits)
    for hit in _odd_or_noted(letters, digits, string_digits).finditer(xml):
        at = hit.start()
        cell = noting.match(xml, at)
        kind, formula = cell.groups() if cell is not None else (None, None)
        if formula or kind == b"e":
            if formula:
                formulas.append(at)
            if kind == b"e":
                errors.append(at)
        elif odd(xml, at) is not None:
            return None
        else:
            noted = False  # usual, but not one to note: searching finds what it holds
    if _PREFIXED_CELL.search(xml) is not None:
        return None
    return (tuple(formulas), tuple(errors)) if noted else (None, None)


def scan_cells(xml: bytes, strings: int, fits: Callable[[Extent], bool]) -> CellScan:
    """The grid a worksheet part makes, from A1 to its farthest value, and its string cells.

    `strings` is the size of the shared-string table.  A bound that `fits` is
    returned as soon as it is known — one pass over the part for a sheet
    written the usual way whose dimension is honest; one that does not fit is
    made exact first, so that only a sheet that really is too large is refused.
    """
    hint = _DIMENSION.search(xml, 0, 4096)
    letters, digits = (len(hint.group(1)), len(hint.group(2))) if hint else (3, 7)
    string_digits = len(str(max(strings - 1, 0)))
    if hint is None:
        # No dimension (some exporters write none): the usual narrow sheet, columns A to Z
        # and rows below 100,000, is known in one pass instead of reading every reference.
        bound = Extent(99_999, _MAX_COLUMNS[1], 0, exact=False)
        if fits(bound):
            noted = _usual_noting(xml, 1, 5, string_digits)
            if noted is not None:
                return CellScan(bound, True, *noted)
    noted = _usual_noting(xml, letters, digits, string_digits)
    if noted is not None:
        bound = Extent(10**digits - 1, _MAX_COLUMNS[letters], 0, exact=False)
        if fits(bound):
            return CellScan(bound, True, *noted)
        column, row = hint.groups() if hint is not None else (b"", b"0")
        # a large sheet: its dimension exactly, when no cell is past it (a row written with
        # a leading zero would let a shorter, larger row pass)
        if not row.startswith(b"0"):
            bound = Extent(int(row), _column(column) + 1, 0, exact=False)
            if not fits(bound):
                bound = Extent(bound.rows, bound.cols, _values(xml), exact=False)
            if fits(bound) and not _past(column, row).search(xml):
                return CellScan(bound, True, *noted)
        return CellScan(_from_references(xml, fits), True, *noted)
    strings_ok = not bad_string_reference(xml, strings)
    if _usual(xml, 3, 7):  # the dimension was too small, or a string cell is unusual
        return CellScan(_from_references(xml, fits), strings_ok)
    return CellScan(walk(xml), strings_ok)


def _greater(bound: bytes, low: int, high: int) -> bytes:
    """A pattern for the strings of `bound`'s length that sort after it, over the characters
    `low` to `high` (column letters or row digits of one length order so)."""
    options = [
        re.escape(bound[:i])
        + b"[%c-%c]" % (bound[i] + 1, high)
        + b"[%c-%c]" % (low, high)
        + b"{%d}" % (len(bound) - i - 1)
        for i in range(len(bound))
        if bound[i] < high
    ]
    return b"(?:" + b"|".join(options) + b")" if options else b"(?!)"


@functools.cache
def _past(column: bytes, row: bytes) -> re.Pattern[bytes]:
    """A cell whose reference goes past the dimension's last cell `column``row`, among cells
    whose references have at most as many letters and digits (`_usual` checked that): as
    many letters and a later column, or as many digits and a later row."""
    letters = _greater(column, ord("A"), ord("Z"))
    digits = _greater(row, ord("0"), ord("9"))
    return re.compile(rb'<c r="(?:' + letters + rb"\d|[A-Z]{1,%d}" % len(column) + digits + rb'")')


def _from_references(xml: bytes, fits: Callable[[Extent], bool]) -> Extent:
    """Columns and rows from the references of a sheet written the usual way (cells with and
    without a value alike, so still a bound); walked when that bound does not fit."""
    if _TWO_LETTERS.search(xml) or re.search(rb'<c r="[A-Z]{3}', xml):
        refs = set(_TWO_LETTERS.findall(xml)) | set(re.findall(rb'<c r="([A-Z]{3})', xml))
        cols = max(_column(letters) for letters in refs) + 1
    else:
        cols = 26
    rows = max((int(digits) for digits in set(_ROWS.findall(xml))), default=0)
    bound = Extent(rows, cols, _values(xml), exact=False)
    if fits(bound) or len(xml) > _WALK_BYTES:
        return bound
    return walk(xml)


def _column(letters: bytes) -> int:
    """`A` -> 0, `AA` -> 26 (any length: a reference beyond XFD is just far)."""
    index = 0
    for ch in letters.upper():
        index = index * 26 + ch - 64
    return index - 1


# The tags that place a cell, and the values that make it count (python-calamine ignores
# cells without one).  Any prefix is accepted, as python-calamine matches local names.
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c|v|is)(?=[\s/>])([^<>]*)>")
_R = re.compile(rb"(?:^|\s)(?:[\w.-]+:)?r\s*=\s*[\"']([^\"']*)[\"']")
_REF = re.compile(rb"\s*([A-Za-z]+)(\d+)\s*$")
_PLAIN_REF = re.compile(rb' r="([A-Z]{1,3})(\d{1,7})"')
# A run of cells written `<c><v>…</v></c>`, without a reference: each follows the one before
# (100,000 of them in one row are walked at the speed of one regular expression).
_RUN = re.compile(rb"(?:<c><v>[^<]*</v></c>)+")
_FAR = 10**12  # a reference too long to be real: beyond any limit


def walk(xml: bytes) -> Extent:
    """The exact extent, tag by tag, as python-calamine places cells (linear in the size).

    Inside comments or CDATA a tag is not a tag, but it looks like one to this
    scan: when the part has either, every cell counts as filled the moment it
    is placed, which can only make the extent larger, never hide a far cell.
    A value is counted for the cell last placed (a stray `<v>` too: larger).
    """
    careful = b"<!--" in xml or b"<![CDATA[" in xml
    columns: dict[bytes, int] = {}
    row = col = -1
    pending: tuple[int, int] | None = None
    last_row = last_col = -1
    values = 0
    search, run_of = _TAG.search, _RUN.match
    at = 0
    while (match := search(xml, at)) is not None:
        at = match.end()
        name, attributes = match.groups()
        if name == b"c" and not attributes and not careful:
            run = run_of(xml, match.start())
            if run is not None:  # cells without references, each with a value, in one go
                count = xml.count(b"<c>", match.start(), run.end())
                row, col = max(row, 0), col + count
                last_row, last_col = max(last_row, row), max(last_col, col)
                values += count
                pending = None
                at = run.end()
                continue
        if name == b"c":
            plain = _PLAIN_REF.match(attributes)
            if plain is not None and b" r=" not in attributes[plain.end() :]:
                letters, digits = plain.groups()
                known = columns.get(letters)
                col = known if known is not None else columns.setdefault(letters, _column(letters))
                cell = (int(digits) - 1, col)
                row = max(row, cell[0])
            else:
                cell = _odd_place(attributes, row, col)
                row, col = max(row, cell[0]), cell[1]
            if careful:  # counted now, whatever follows
                last_row, last_col = max(last_row, cell[0]), max(last_col, cell[1])
                values += 1
                pending = None
            else:
                pending = None if attributes.endswith(b"/") else cell
        elif name == b"row":
            numbers = [n for n in map(_number, _R.findall(attributes)) if n is not None]
            row = max(numbers) - 1 if numbers else row + 1
            col = -1
        elif pending is not None and not attributes.endswith(b"/"):  # <v> or <is>
            if pending[0] > last_row:
                last_row = pending[0]
            if pending[1] > last_col:
                last_col = pending[1]
            values += 1
            pending = None
    return Extent(last_row + 1, last_col + 1, values, exact=True)


def _odd_place(attributes: bytes, row: int, col: int) -> tuple[int, int]:
    """Where a cell written unusually goes: its references (the farthest, as one of them
    wins), else the place after the cell before it.  The next cell without a reference
    follows this one; where python-calamine puts it depends on details, so the later
    row and column are kept."""
    places = [p for p in map(_place, _R.findall(attributes)) if p is not None]
    if places:
        return max(p[0] for p in places), max(p[1] for p in places)
    return max(row, 0), col + 1


def _number(text: bytes) -> int | None:
    text = text.strip()
    if not text.isdigit():
        return None
    return int(text) if len(text) <= 12 else _FAR


def _place(ref: bytes) -> tuple[int, int] | None:
    """0-based (row, column) of a reference such as `B7`; None when it is not one."""
    match = _REF.match(ref)
    if match is None:
        return None
    letters, digits = match.groups()
    return (
        int(digits) - 1 if len(digits) <= 12 else _FAR,
        _column(letters) if len(letters) <= 12 else _FAR,
    )


# A shared-string cell whose index is not a plain number python-calamine can look up
# (`-1`, ` 1 `, `1.5`, more digits than the table has): it would read as string 0.
# Whatever stands between the cell's tag and its `<v>` (a comment, an `<f>`) is skipped.
@functools.cache
def _bad_index(digits: int, attribute: bytes) -> re.Pattern[bytes]:
    return re.compile(
        attribute + rb"[^<>]*(?<!/)>(?:[^<]|<(?!/?(?:[\w.-]+:)?(?:v|c)[\s/>]))*?"
        rb"<(?:[\w.-]+:)?v(?:\s[^<>]*)?>(?!\d{1,%d}<|<)" % digits
    )


def bad_string_reference(xml: bytes, strings: int) -> bool:
    """Whether a cell refers to the shared-string table by anything but an index it has
    (an index it does not have, python-calamine itself refuses)."""
    digits = len(str(max(strings - 1, 0)))
    # t="s" as everyone writes it first (a literal start is fast); other spellings only
    # when the part has one.
    if _bad_index(digits, rb't="s"').search(xml):
        return True
    unusual = b"t='" in xml or b"t =" in xml or b"t= " in xml
    return unusual and bool(_bad_index(digits, rb"""\bt\s*=\s*["']s["']""").search(xml))
