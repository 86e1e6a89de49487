"""Writing workbooks that Excel users trust: the quirks every salesxl writer shares.

Sheet titles Excel accepts, column widths that fit Chinese text, bold
frozen headers, text that looks like a formula kept as text, the mark that
says salesxl wrote the workbook, and atomic saves (`salesxl.write.output`):
a workbook is written beside its target and moved into place only when
complete, so a crash or a locked file never leaves a half-written one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from contextvars import ContextVar
from typing import Any

import xlsxwriter.packager
import xlsxwriter.sharedstrings
import xlsxwriter.workbook

from salesxl.read.marks import PROPERTY, Written
from salesxl.read.values import EXCEL_EPOCH
from salesxl.write.output import OutputError, atomic_output, check_output

__all__ = [
    "ESCAPED_TEXT",
    "FORMULA_PREFIXES",
    "NOT_A_NUMBER",
    "SERIAL_START",
    "OutputError",
    "atomic_output",
    "check_output",
    "display_width",
    "excel_serial",
    "fit_width",
    "mark",
    "quick_close",
    "safe_sheet_title",
    "write_cell",
]

FORMULA_PREFIXES = ("=", "+", "-", "@")
NOT_A_NUMBER = "#NUM!"  # what Excel itself shows for a number it cannot hold
# A date from 1900-03-01 on is stored as its day count from 1899-12-30 (Excel's serial, past
# its 1900 leap-year quirk): written as that number in a date format, it is what
# write_datetime writes, at a fraction of the cost; earlier dates go through xlsxwriter.
SERIAL_START = dt.date(1900, 3, 1)
_EPOCH_DAY = EXCEL_EPOCH.toordinal()


def excel_serial(day: dt.date) -> int:
    """The serial Excel stores for a date from `SERIAL_START` on."""
    return day.toordinal() - _EPOCH_DAY


# The zlib level of the package a workbook closed in `quick_close` is written with (None:
# zlib's default, 6), per thread.
_DEFLATE_LEVEL: ContextVar[int | None] = ContextVar("salesxl_deflate_level", default=None)
QUICK_DEFLATE_LEVEL = 1


class _LeveledZipFile(zipfile.ZipFile):
    """The zip file xlsxwriter packages a workbook into, at the level `quick_close` set."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("compresslevel", _DEFLATE_LEVEL.get())
        super().__init__(*args, **kwargs)


# What xlsxwriter changes in a text it writes: XML's specials (it escapes &, < and >), and
# as `_xHHHH_` escapes control characters, the two non-characters U+FFFE and U+FFFF (which
# XML cannot hold) and a literal `_xHHHH_` (by escaping its underscore).
ESCAPED_TEXT = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")
# ... and what its shared-string writer marks besides: whitespace at either end
# (xml:space="preserve"); a rich string starts with `<r>`.
_SST_SPECIAL = re.compile(ESCAPED_TEXT.pattern + r"|^\s|\s$")


class _QuickSharedStrings(xlsxwriter.sharedstrings.SharedStrings):  # type: ignore[misc]
    """xlsxwriter's shared-string part, the same bytes written faster: a plain text (no
    escape, no whitespace at its ends: nearly every one) as one `<si>` string, gathered
    into few writes; any other through xlsxwriter's own `_write_si`."""

    def _write_sst_strings(self) -> None:
        plain: list[str] = []
        for text in self.string_table.string_array:
            if isinstance(text, str) and _SST_SPECIAL.search(text) is None:
                plain.append(f"<si><t>{text}</t></si>")
                continue
            self.fh.write("".join(plain))
            plain.clear()
            self._write_si(text)
        self.fh.write("".join(plain))


@contextlib.contextmanager
def quick_close() -> Iterator[None]:
    """Workbooks that xlsxwriter closes inside are packed at zlib level 1, not 6, and their
    shared strings are written a faster way (the same bytes).

    Deflating is a fifth of the time a large summary takes to close; level 1
    takes a third of that, for a file about a quarter larger (still a fifth
    of its XML).  xlsxwriter names its `ZipFile` class at module level and
    packs with `ZipFile.write` (not in its in-memory mode), which takes the
    file's level: that name is replaced, once, by a subclass that takes the
    level from here.  Its shared-string part costs about 2.5 µs a text (the
    18,000 customer names and phones of a summary: 0.045 s); the packager's
    `SharedStrings` is replaced, once and for every workbook, by one that writes
    the same bytes in a fraction of that.  tests/test_xlsx_deflate.py catches an
    xlsxwriter that changes either.
    """
    if xlsxwriter.workbook.ZipFile is not _LeveledZipFile:
        xlsxwriter.workbook.ZipFile = _LeveledZipFile
    if xlsxwriter.packager.SharedStrings is not _QuickSharedStrings:
        xlsxwriter.packager.SharedStrings = _QuickSharedStrings
    token = _DEFLATE_LEVEL.set(QUICK_DEFLATE_LEVEL)
    try:
        yield
    finally:
        _DEFLATE_LEVEL.reset(token)


_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


def mark(workbook: Any, written: Written) -> None:
    """Say in the workbook (a custom document property) that salesxl wrote it, and as what:
    the reader skips a summary found in an inbox, and `-o` replaces only such files."""
    workbook.set_custom_property(PROPERTY, written.value)


def safe_sheet_title(title: str, taken: Sequence[str] = ()) -> str:
    """A sheet title Excel accepts: ≤ 31 characters, none of []:*?/\\, unique."""
    clean = _BAD_TITLE.sub("_", title).strip("'") or "Sheet"
    clean = clean[:31]
    lowered = {t.lower() for t in taken}
    candidate, n = clean, 2
    while candidate.lower() in lowered:
        suffix = f" ({n})"
        candidate = clean[: 31 - len(suffix)] + suffix
        n += 1
    return candidate


def display_width(value: Any) -> float:
    """Width in Excel character units: CJK and full-width characters count double."""
    if value is None:
        return 0
    if isinstance(value, float):
        text = f"{value:,.2f}"
    elif isinstance(value, (dt.date, dt.datetime)):
        text = "2026-11-03"
    else:
        text = str(value)
    longest = 0.0
    for line in text.split("\n"):
        width = 0.0
        for ch in line:
            width += 2 if unicodedata.east_asian_width(ch) in "WF" else 1.1
        longest = max(longest, width)
    return longest


def fit_width(values: Sequence[Any], *, minimum: float = 6, maximum: float = 60) -> float:
    """A column width that fits the widest of `values` (header included)."""
    try:  # a column repeats its few labels many times: each is measured once
        distinct: Iterable[Any] = {(v.__class__, v): v for v in values}.values()
    except TypeError:
        distinct = values
    widest = max((display_width(v) for v in distinct), default=0)
    return max(minimum, min(maximum, widest + 2))


def write_cell(ws: Any, row: int, col: int, value: Any, fmt: Any = None) -> None:
    """Write one value with xlsxwriter, never letting text become a formula.

    Text starting with = + - @ is written as a string (README.md "For managers": formula
    injection); dates as Excel dates; None (and pandas' missing NaN) as an
    empty (formatted) cell; an infinite number, which Excel cannot store, as
    Excel's own overflow mark `#NUM!` rather than failing the whole workbook.
    """
    if value is None or (isinstance(value, float) and value != value):
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, float) and not math.isfinite(value):
        ws.write_string(row, col, NOT_A_NUMBER, fmt)
    elif isinstance(value, (int, float)):
        ws.write_number(row, col, value, fmt)
    elif isinstance(value, dt.datetime):
        ws.write_datetime(row, col, value, fmt)
    elif isinstance(value, dt.date):
        ws.write_datetime(row, col, dt.datetime(value.year, value.month, value.day), fmt)
    else:
        ws.write_string(row, col, str(value), fmt)
