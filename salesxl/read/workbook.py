"""Open a file as a grid of cell values: xlsx/xlsm/xls via python-calamine, csv via csv.

Guards come first (docs/issues.md): size on disk, uncompressed size of the zip
(zip-bomb guard, before anything is parsed), every part checked and the
worksheets' real extent known (`salesxl.read.package`), encryption, corrupt
packages; a sheet's grid is built only when it fits the limits, merged
ranges are filled only when the cells they add fit too, and a CSV is
measured before it is parsed.  Any failure becomes a `ReadError` carrying
its issue code, never a crash.  Macros are never run: calamine only reads
cell values.  The file is read once, as bytes, so a name the file system
gives in no valid encoding (a GBK name unzipped on Linux) opens all the same.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine as calamine

from salesxl.core.issues import Code, Issue, message
from salesxl.read.encoding import Decoded, decode_text, encoding_notes, utf16_without_bom
from salesxl.read.extent import Extent
from salesxl.read.formulas import column_letters, sheet_parts
from salesxl.read.guards import MB, Limits, ReadError, too_large, unreadable
from salesxl.read.package import (
    ZIP_ERRORS,
    PackageScan,
    check_entries,
    fits,
    scan_package,
)
from salesxl.read.staging import stage_package

__all__ = ["SPREADSHEET_SUFFIXES", "Book", "Grid", "Limits", "ReadError", "open_book"]

# Spreadsheet formats salesxl does not read (LibreOffice's and WPS's own, Excel's binary
# .xlsb, Apple Numbers): still collected, so that each is an error saying how to save it
# again, never passed over as "not a spreadsheet".
OTHER_SPREADSHEET_SUFFIXES = frozenset({".ods", ".fods", ".xlsb", ".et", ".numbers"})
SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".csv"}) | OTHER_SPREADSHEET_SUFFIXES
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_MERGE_FILL_LIMIT = 10_000  # a larger merged range keeps its value in its top-left cell only
_SPOOL_BYTES = 8 * MB  # a package larger than this reaches python-calamine as a file


@dataclass(slots=True)
class Grid:
    """One sheet's values: `rows[r][c]` is the cell at 0-based row r, column c ('' when empty)."""

    name: str
    rows: list[list[Any]]
    hidden: bool = False
    uncached: frozenset[tuple[int, int]] = frozenset()
    # cells holding an Excel error (#N/A, #DIV/0!), which read as '': (row, col) -> error
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    # Merged ranges ((r1, c1), (r2, c2)), 0-based and inclusive; every cell of a range
    # holds the top-left value (a merged number counts once: see validate).
    merged: tuple[tuple[tuple[int, int], tuple[int, int]], ...] = ()

    def value(self, row: int, col: int) -> Any:
        if row < len(self.rows):
            cells = self.rows[row]
            if col < len(cells):
                return cells[col]
        return ""


@dataclass(slots=True)
class Book:
    """An opened file: sheet names up front, sheets loaded on first use."""

    path: Path
    kind: str  # "xlsx", "xls" or "csv"
    sheet_names: list[str]
    hidden: set[str] = field(default_factory=set)
    _workbook: Any = None
    _archive: zipfile.ZipFile | None = None
    _scan: PackageScan | None = None
    _all_fit: bool | None = None  # every scanned sheet fits the limits (known once asked)
    _parts: dict[str, str] | None = None  # sheet name -> worksheet part
    _grids: dict[str, Grid] = field(default_factory=dict)
    limits: Limits = field(default_factory=Limits)
    notes: list[Issue] = field(default_factory=list)  # found while opening (a CSV's encoding)
    _spool: Path | None = None  # a temporary copy python-calamine reads, to remove at close

    @property
    def visible_sheets(self) -> list[str]:
        return [name for name in self.sheet_names if name not in self.hidden]

    def grid(self, name: str) -> Grid:
        if name not in self._grids:
            self._grids[name] = self._load(name)
        return self._grids[name]

    def _load(self, name: str) -> Grid:
        extent = self._extent(name)
        if extent is not None and not fits(extent, self.limits):
            raise _too_far(name, extent, self.limits)
        try:
            sheet = self._workbook.get_sheet_by_name(name)
        except BaseException as exc:
            _reraise_interrupts(exc)
            raise _damaged_sheet(name) from None
        # total_height/width are the last row and column (0-based) of the grid read from A1.
        n_rows, n_cols = (sheet.total_height + 1, sheet.total_width + 1) if sheet.height else (0, 0)
        if n_rows * n_cols > self.limits.max_sheet_cells:
            raise _too_many_cells(name, n_rows, n_cols)
        try:
            rows = sheet.to_python(skip_empty_area=False)
            merged = sheet.merged_cell_ranges or ()
        except BaseException as exc:
            _reraise_interrupts(exc)
            raise _damaged_sheet(name) from None
        del sheet  # python-calamine's copy of the grid, as large as the grid itself
        merged = _fill_merged(rows, merged, self.limits, name)
        uncached = self._uncached_cells().get(name, frozenset())
        return Grid(name, rows, name in self.hidden, uncached, self._error_cells(name), merged)

    def _sheet_parts(self) -> dict[str, str]:
        """Sheet name -> its worksheet part (workbook.xml and its relationships, defusedxml)."""
        if self._parts is None:
            self._parts = {}
            if self._archive is not None:
                try:
                    self._parts = sheet_parts(self._archive)
                except Exception:  # malformed or hostile XML: defusedxml refuses it
                    raise unreadable(
                        "工作簿结构已损坏", "the workbook structure is damaged"
                    ) from None
        return self._parts

    def _extent(self, name: str) -> Extent | None:
        """How far the sheet reaches, from its part's scan; the farthest of all the scanned
        parts when the workbook does not say which part is the sheet."""
        scan = self._scan
        if scan is None:
            return None
        if self._all_fit is None:
            self._all_fit = all(fits(e, self.limits) for e in scan.extents.values())
        if self._all_fit:
            return None  # the common case: no need to learn which part is which sheet
        part = self._sheet_parts().get(name)
        if part in scan.extents:
            return scan.extents[part]
        return min(scan.extents.values(), key=lambda e: (fits(e, self.limits), -e.cells))

    def _uncached_cells(self) -> dict[str, frozenset[tuple[int, int]]]:
        """Sheet name -> formula cells without a cached value (found by the package scan)."""
        scan = self._scan
        if scan is None or not scan.uncached:
            return {}
        names = {part: sheet for sheet, part in self._sheet_parts().items()}
        return {names[part]: cells for part, cells in scan.uncached.items() if part in names}

    def _error_cells(self, name: str) -> dict[tuple[int, int], str]:
        """A sheet's cells holding an Excel error (found by the package scan)."""
        scan = self._scan
        if scan is None or not scan.errors:
            return {}
        return scan.errors.get(self._sheet_parts().get(name, ""), {})

    def hidden_columns(self, name: str) -> tuple[tuple[int, int], ...]:
        """A sheet's hidden columns as 0-based inclusive ranges (found by the package scan);
        none for .xls and CSV files.  Which part is the sheet is only looked up when some
        part hides columns: asked when two columns could be one field."""
        scan = self._scan
        if scan is None or not scan.hidden_columns:
            return ()
        return scan.hidden_columns.get(self._sheet_parts().get(name, ""), ())

    def saved_at(self) -> float | None:
        """When the workbook was last saved, as the saving program recorded it inside the file.

        Excel, WPS and LibreOffice write `dcterms:modified` (UTC) into
        docProps/core.xml on every save, so it survives copying and e-mail,
        which reset the file's modification time.  None when it is missing,
        unreadable, or no later than `dcterms:created` (a template or issued
        form nobody has saved since it was made).  POSIX seconds, like mtime.
        """
        # the part as the package scan inflated it (a damaged part fails the whole file)
        xml = self._scan.core if self._scan is not None else None
        if xml is None or len(xml) > _CORE_XML_LIMIT:
            return None
        modified, created = _w3c_time(xml, b"modified"), _w3c_time(xml, b"created")
        if modified is None or (created is not None and modified <= created):
            return None
        return modified

    def close(self) -> None:
        if self._workbook is not None:
            self._workbook.close()
        if self._archive is not None:
            self._archive.close()
        self._spool = _remove(self._spool)


_CORE_XML_LIMIT = 64 * 1024  # docProps/core.xml is a few hundred bytes
_PART_ERRORS: tuple[type[Exception], ...] = (KeyError, *ZIP_ERRORS)  # a part missing or damaged
# <dcterms:modified xsi:type="dcterms:W3CDTF">2026-11-05T01:30:00Z</dcterms:modified>: the
# prefix varies by program; only text is matched (no entities, so nothing to expand).
_CORE_TIME = {
    name: re.compile(rb"<(?:[\w.-]+:)?" + name + rb"\b[^>]*>\s*([^<]{4,40}?)\s*</")
    for name in (b"modified", b"created")
}


def _w3c_time(xml: bytes, name: bytes) -> float | None:
    """A W3CDTF time of docProps/core.xml as POSIX seconds; UTC when it names no zone."""
    match = _CORE_TIME[name].search(xml)
    if match is None:
        return None
    try:
        when = dt.datetime.fromisoformat(match.group(1).decode("ascii").replace("Z", "+00:00"))
    except (UnicodeDecodeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.timestamp()


def _fill_merged(rows: list[list[Any]], ranges: Any, limits: Limits, name: str) -> tuple[Any, ...]:
    """Give every cell of a merged range the value of its top-left cell; returns those ranges.

    The cells filling would write, and the grid it would widen to, are counted
    against the limits first: ranges of 10,000 columns on every row must not
    make a 600 KB file a grid of billions of cells.
    """
    filled = []
    for (r1, c1), (r2, c2) in ranges:
        if r1 >= len(rows) or c1 >= len(rows[r1]) or r2 < r1 or c2 < c1:
            continue
        if rows[r1][c1] == "" or (r2 - r1 + 1) * (c2 - c1 + 1) > _MERGE_FILL_LIMIT:
            continue
        filled.append(((r1, c1), (r2, c2)))
    written = sum(
        (min(r2, len(rows) - 1) - r1 + 1) * (c2 - c1 + 1) for (r1, c1), (r2, c2) in filled
    )
    if written > limits.max_merged_cells:
        raise too_large("merged_cells", sheet=name, cells=written, limit=limits.max_merged_cells)
    if not filled:
        return ()
    widths: dict[int, int] = {}  # rows that filling widens -> their new width
    for (r1, _), (r2, c2) in filled:
        for r in range(r1, min(r2, len(rows) - 1) + 1):
            if max(widths.get(r, 0), len(rows[r])) <= c2:
                widths[r] = c2 + 1
    added = sum(width - len(rows[r]) for r, width in widths.items())
    if added and sum(map(len, rows)) + added > limits.max_sheet_cells:
        raise _too_many_cells(name, len(rows), max(widths.values()))
    for (r1, c1), (r2, c2) in filled:
        value = rows[r1][c1]
        for r in range(r1, min(r2, len(rows) - 1) + 1):
            cells = rows[r]
            if len(cells) <= c2:
                cells.extend([""] * (c2 + 1 - len(cells)))
            for c in range(c1, c2 + 1):
                if cells[c] == "":
                    cells[c] = value
    return tuple(filled)


def _too_far(name: str, extent: Extent, limits: Limits) -> ReadError:
    corner = f"{column_letters(max(extent.cols - 1, 0))}{extent.rows}"
    if extent.cells <= limits.sparse_ratio * extent.values:  # full, just too large
        return _too_many_cells(name, extent.rows, extent.cols)
    return too_large(
        "far",
        sheet=name,
        corner=corner,
        rows=extent.rows,
        columns=extent.cols,
        values=extent.values,
    )


def _too_many_cells(name: str, n_rows: int, n_cols: int) -> ReadError:
    return too_large("sheet", sheet=name, rows=n_rows, columns=n_cols)


def open_book(path: Path, limits: Limits | None = None, *, encoding: str | None = None) -> Book:
    """Open a spreadsheet file after the guards; raises ReadError.

    `encoding` overrides a CSV file's detected text encoding."""
    limits = limits or Limits()
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ReadError(
            Code.UNREADABLE, *message(Code.UNREADABLE, "cannot_open", error=exc.strerror)
        ) from None
    if size > limits.max_file_bytes:
        raise ReadError(
            Code.TOO_LARGE,
            *message(Code.TOO_LARGE, size_mb=size / MB, limit_mb=limits.max_file_bytes / MB),
        )
    if size == 0:
        raise _unreadable("文件是空的（0 字节）", "the file is empty (0 bytes)")
    # Read once, within the size limit: every branch below needs the whole file anyway.
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(
            Code.UNREADABLE, *message(Code.UNREADABLE, "cannot_open", error=exc.strerror)
        ) from None
    # The content decides, not the name: a workbook saved as `.csv` is still a workbook.
    head = data[:8]
    if head[:4] == b"PK\x03\x04" or (head[:2] == b"PK" and path.suffix.lower() != ".csv"):
        return _open_zip(path, data, limits)
    if head == _OLE_MAGIC:
        if _ENCRYPTION_INFO in data:
            raise ReadError(Code.ENCRYPTED, *message(Code.ENCRYPTED))
        return _open_calamine(path, data, "xls", limits)
    if path.suffix.lower() == ".csv":
        return _open_csv(path, data, limits, encoding)
    raise _not_a_workbook(data, path.suffix.lower())


# What a file that is no workbook salesxl reads really is, told by its first bytes or its
# zip's parts: (zh, en) of the reason.  Each is fixed the same way (the message says it):
# open it in Excel, WPS or LibreOffice and save it as .xlsx.
_WEB_PAGE = (
    "这是网页（HTML）文件，只是取了表格的文件名（有些系统这样“导出 Excel”）",
    "it is a web page (HTML) with a spreadsheet's name, as some systems export tables",
)
_XML_2003 = (
    "这是 Excel 2003 XML 表格，salesxl 只读 .xlsx、.xlsm、.xls 和 .csv",
    "it is an Excel 2003 XML spreadsheet; salesxl reads .xlsx, .xlsm, .xls and .csv",
)
_ODS = (
    "这是 OpenDocument 表格（.ods，LibreOffice 或 WPS 保存的格式），salesxl 只读 .xlsx、"
    ".xlsm、.xls 和 .csv",
    "it is an OpenDocument spreadsheet (.ods, as LibreOffice or WPS save it); salesxl reads "
    ".xlsx, .xlsm, .xls and .csv",
)
_OTHER_FORMATS: dict[str, tuple[str, str]] = {
    ".ods": _ODS,
    ".fods": _ODS,
    ".xlsb": (
        "这是 Excel 二进制工作簿（.xlsb），salesxl 只读 .xlsx、.xlsm、.xls 和 .csv",
        "it is an Excel binary workbook (.xlsb); salesxl reads .xlsx, .xlsm, .xls and .csv",
    ),
    ".et": (
        "这是 WPS 表格自己的格式（.et），salesxl 只读 .xlsx、.xlsm、.xls 和 .csv",
        "it is a WPS spreadsheet in WPS's own format (.et); salesxl reads .xlsx, .xlsm, .xls "
        "and .csv",
    ),
    ".numbers": (
        "这是 Apple Numbers 文件，salesxl 只读 .xlsx、.xlsm、.xls 和 .csv",
        "it is an Apple Numbers file; salesxl reads .xlsx, .xlsm, .xls and .csv",
    ),
}
_NOT_A_WORKBOOK = ("这不是 Excel 工作簿或 CSV 文件", "this is not an Excel workbook or CSV file")


def _not_a_workbook(data: bytes, suffix: str) -> ReadError:
    """The refusal of a file that is neither a zip nor an OLE workbook nor CSV, saying what
    it is when its first bytes tell (a web page, Excel 2003 XML) or its name does."""
    start = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html", b"<table", b"<meta")) or (
        start.startswith(b"<") and b"<html" in start
    ):
        return _unreadable(*_WEB_PAGE)
    if (
        start.startswith(b"<?xml")
        and b"urn:schemas-microsoft-com:office:spreadsheet" in (data[:4096])
    ):
        return _unreadable(*_XML_2003)
    return _unreadable(*_OTHER_FORMATS.get(suffix, _NOT_A_WORKBOOK))


def _reraise_interrupts(exc: BaseException) -> None:
    """calamine reports some damaged files by a Rust panic (pyo3's PanicException, a
    BaseException): that is a damaged file too.  Ctrl-C and exits still propagate."""
    if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit)):
        raise exc


def _damaged_sheet(name: str) -> ReadError:
    failure = _unreadable(f"工作表「{name}」已损坏", f"the sheet '{name}' is damaged")
    failure.sheet = name
    return failure


_unreadable = unreadable


def _open_zip(path: Path, package: bytes, limits: Limits) -> Book:
    check_entries(package, limits)
    try:
        archive = zipfile.ZipFile(io.BytesIO(package))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        raise _unreadable("文件已损坏或不完整", "the file is damaged or truncated") from None
    total = sum(info.file_size for info in infos)
    if total > limits.max_uncompressed_bytes:
        archive.close()
        raise ReadError(
            Code.TOO_LARGE,
            *message(
                Code.TOO_LARGE,
                "unpacked",
                size_mb=total / MB,
                limit_mb=limits.max_uncompressed_bytes / MB,
            ),
        )
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names:
        why = _zip_kind(archive, names, path.suffix.lower())
        archive.close()
        raise _unreadable(*why)
    try:
        scan = scan_package(archive, infos, package, limits)
    except ReadError:
        archive.close()
        raise
    parts, scan.parts = scan.parts, []
    staged = stage_package(parts)  # None when it would not fit a plain zip: the file as is
    del parts
    book = _open_calamine(path, package if staged is None else staged, "xlsx", limits)
    book._archive, book._scan = archive, scan
    return book


def _zip_kind(archive: zipfile.ZipFile, names: set[str], suffix: str) -> tuple[str, str]:
    """Why a zip archive is not a workbook salesxl reads: what its parts show it is."""
    if "mimetype" in names and archive.getinfo("mimetype").file_size < 100:
        try:
            kind = archive.read("mimetype")
        except _PART_ERRORS:
            kind = b""
        if kind.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
            return _ODS  # whatever its name says
    if "xl/workbook.bin" in names:
        return _OTHER_FORMATS[".xlsb"]
    if suffix in _OTHER_FORMATS:
        return _OTHER_FORMATS[suffix]
    return ("这是压缩包，但不是 Excel 工作簿", "it is a zip archive but not an Excel workbook")


def _spooled(data: bytes, kind: str) -> Path | None:
    """`data` in a new private temporary file named as a `kind` workbook (None when it
    cannot be written)."""
    try:
        handle, name = tempfile.mkstemp(prefix="salesxl-", suffix=f".{kind}")  # 0600
    except OSError:
        return None
    spool = Path(name)
    try:
        with os.fdopen(handle, "wb") as f:
            f.write(data)
    except OSError:  # a full disk: the bytes are still here
        spool.unlink(missing_ok=True)
        return None
    return spool


def _open_calamine(path: Path, data: bytes, kind: str, limits: Limits) -> Book:
    # python-calamine copies a package given as bytes at some ns a byte (0.3 s for the
    # 100 MB a 200,000-row export unpacks to, and it keeps the copy); from a file it reads
    # only the parts it parses.  A large one goes through a temporary file, removed as
    # soon as it is open (where the system allows; else when the book is closed).
    spool = _spooled(data, kind) if len(data) > _SPOOL_BYTES else None
    try:
        if spool is not None:
            workbook = calamine.CalamineWorkbook.from_path(str(spool))
        else:
            workbook = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except calamine.PasswordError:
        raise ReadError(Code.ENCRYPTED, *message(Code.ENCRYPTED, "password")) from None
    except BaseException as exc:
        _reraise_interrupts(exc)
        raise _unreadable(
            "文件已损坏或格式不受支持", "the file is damaged or in an unsupported format"
        ) from None
    finally:
        spool = _remove(spool)
    hidden = {
        meta.name
        for meta in workbook.sheets_metadata
        if meta.visible != calamine.SheetVisibleEnum.Visible
        or meta.typ != calamine.SheetTypeEnum.WorkSheet
    }
    return Book(
        path, kind, list(workbook.sheet_names), hidden, workbook, limits=limits, _spool=spool
    )


def _remove(spool: Path | None) -> Path | None:
    """Remove a temporary file; it is returned when the system keeps it (open elsewhere)."""
    if spool is None:
        return None
    try:
        spool.unlink(missing_ok=True)
    except OSError:  # Windows: python-calamine holds it open until the book is closed
        return spool
    return None


def _open_csv(path: Path, data: bytes, limits: Limits, encoding: str | None = None) -> Book:
    if (
        b"\x00" in data[:4096]
        and not data.startswith((b"\xff\xfe", b"\xfe\xff"))
        and encoding is None
        and utf16_without_bom(data) is None
    ):
        raise _unreadable("这不是文本 CSV 文件", "this is not a text CSV file")
    _measure_csv(data, limits)
    decoded = _decode_csv(data, encoding)
    if decoded.bad_lines and len(decoded.bad_lines) >= sum(
        1 for x in data.split(b"\n") if x.strip()
    ):
        raise _unreadable(
            f"文字编码无法识别（按 {decoded.encoding} 无法读取任何一行）",
            f"no line of it decodes as {decoded.encoding}: its text encoding is not one salesxl "
            "knows (UTF-8, GBK, Big5, UTF-16, cp1252, latin-1, cp437); save it as UTF-8 or "
            "give its encoding",
        )
    text = decoded.text
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    if decoded.bad_lines:  # which row each line is in (a quoted cell may span lines)
        rows, last_lines = [], []
        for row in reader:
            rows.append(row)
            last_lines.append(reader.line_num)
    else:
        rows = list(reader)
    name = path.stem
    book = Book(path, "csv", [name], limits=limits)
    book._grids[name] = Grid(name, rows)
    book.notes = encoding_notes(str(path), name, decoded, last_lines if decoded.bad_lines else [])
    return book


def _measure_csv(data: bytes, limits: Limits) -> None:
    """The limits of a sheet, counted on the bytes before anything is parsed (an upper
    bound: a line break or delimiter inside quotes counts too).  49 MB of line breaks
    would be 49 million rows: about 4 GB once parsed."""
    rows = max(data.count(b"\n"), data.count(b"\r")) + 1
    if rows > limits.max_sheet_rows:
        raise too_large("csv_lines", lines=rows, limit=limits.max_sheet_rows)
    cells = rows + max(data.count(b","), data.count(b"\t"), data.count(b";"))
    if cells > limits.max_sheet_cells:
        raise too_large("csv_cells", cells=cells, limit=limits.max_sheet_cells)


def _delimiter(text: str) -> str:
    """`,` `\t` or `;`: the one that splits the first rows into the most cells.

    (csv.Sniffer gives up on a header block of two cells above a wide table.)
    """
    sample = text[:65536].splitlines()[:200]
    best, best_score = ",", -1
    for delimiter in (",", "\t", ";"):
        try:
            score = sum(len(row) - 1 for row in csv.reader(sample, delimiter=delimiter))
        except csv.Error:
            continue
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _decode_csv(data: bytes, encoding: str | None = None) -> Decoded:
    """The text of a CSV file: its encoding detected (salesxl.read.encoding) or given."""
    return decode_text(data, encoding)
