"""A workbook's zip package, checked part by part before python-calamine parses any of it.

Every part is inflated here once, never past the size its directory entry
states (so a lying entry cannot balloon) and checked against its CRC; a part
that unpacks far beyond what compression of real workbooks gives (a zip
bomb), or an XML part that declares a DTD (entity expansion, external
entities: spreadsheet programs never write one) makes the file unreadable
first.  While a worksheet part is in memory it is scanned for what must be
known before any grid is built: how far its cells really reach
(`salesxl.read.extent`), shared-string indices the table does not have,
merged ranges, and formulas without a cached value; and, from the few bytes
before its cells, which columns are hidden (python-calamine does not say).
"""

from __future__ import annotations

import importlib
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any

from salesxl.read.extent import Extent, scan_cells
from salesxl.read.formulas import error_cells, uncached_formula_cells
from salesxl.read.guards import MB, Limits, too_large, unreadable

# Intel's ISA-L (the `isal` package) inflates the same streams in about half zlib's time,
# and checksums them in a tenth; zlib's own on a platform without its wheel.
try:
    _INFLATE: Any = importlib.import_module("isal.isal_zlib")
except ImportError:  # pragma: no cover - the dependency is installed with salesxl
    _INFLATE = zlib
crc32: Any = _INFLATE.crc32  # the CRC-32 of zip entries, like zlib.crc32

__all__ = [
    "INFLATE_ERRORS",
    "ZIP_ERRORS",
    "PackageScan",
    "check_entries",
    "crc32",
    "fits",
    "hidden_columns",
    "member",
    "scan_package",
    "unpacked",
]

_CORE_PART = "docProps/core.xml"  # the document's properties: when it was created and saved
# What inflating a damaged stream raises (ISA-L's error is not zlib's).
INFLATE_ERRORS: tuple[type[Exception], ...] = (zlib.error, _INFLATE.error)

_DTD = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("ascii", "utf-16-le", "utf-16-be")
)
# What a damaged or truncated package raises on the way to a part's bytes.
ZIP_ERRORS: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    *INFLATE_ERRORS,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,
)


@dataclass(slots=True)
class PackageScan:
    """What the parts said, by part name (`xl/worksheets/sheet1.xml`)."""

    extents: dict[str, Extent] = field(default_factory=dict)
    uncached: dict[str, frozenset[tuple[int, int]]] = field(default_factory=dict)
    errors: dict[str, dict[tuple[int, int], str]] = field(default_factory=dict)  # #N/A cells
    # hidden columns as 0-based inclusive ranges, only for parts that hide any
    hidden_columns: dict[str, tuple[tuple[int, int], ...]] = field(default_factory=dict)
    # every part inflated (name, content), in the package's order: for `read.staging`;
    # the opener takes them and empties this
    parts: list[tuple[str, bytes]] = field(default_factory=list)
    core: bytes | None = None  # docProps/core.xml (when the file was saved), if there is one


def fits(extent: Extent, limits: Limits) -> bool:
    """Whether a sheet's grid may be built: not too large, and not mostly empty when large."""
    cells = extent.cells
    return cells <= limits.max_sheet_cells and (
        cells <= limits.sparse_cells or cells <= limits.sparse_ratio * extent.values
    )


def check_entries(package: bytes, limits: Limits) -> None:
    """A package with more entries than real workbooks have is refused before zipfile lists
    them all (a million empty entries fit in 50 MB).  Counted by their directory
    signatures: a bound, whatever the end record claims."""
    entries = package.count(b"PK\x01\x02")
    if entries > limits.max_parts:
        raise too_large("parts", parts=entries, limit=limits.max_parts)


def member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, package: bytes) -> bytes:
    """One part of the package, inflated straight from the file's bytes.

    zipfile's streaming reader costs as much again as the inflating; this reads
    the local header, inflates at most the size the directory states (so a
    lying entry cannot balloon) and checks the CRC.  Anything unusual
    (encryption, another compression) goes through zipfile itself.
    """
    if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return archive.read(info)
    start = info.header_offset
    if package[start : start + 4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"no local header for {info.filename}")
    name_length, extra_length = struct.unpack_from("<HH", package, start + 26)
    begin = start + 30 + name_length + extra_length
    raw = package[begin : begin + info.compress_size]
    data = unpacked(raw, info.compress_type, info.file_size, info.CRC)
    if data is None:
        raise zipfile.BadZipFile(f"{info.filename} does not match its directory entry")
    return data


def unpacked(raw: bytes, method: int, size: int, crc: int) -> bytes | None:
    """A part's bytes stored or deflated, inflated no further than the `size` its directory
    entry states; None when they do not come to that size and checksum.  Raises one of
    INFLATE_ERRORS for a damaged stream; another method is the caller's to handle."""
    if method == zipfile.ZIP_STORED:
        data = raw
    else:
        data = _INFLATE.decompressobj(-zlib.MAX_WBITS).decompress(raw, size + 1)
    return data if len(data) == size and crc32(data) == crc else None


def scan_package(
    archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], package: bytes, limits: Limits
) -> PackageScan:
    """Check every part and scan the worksheets; raises ReadError for a file not to read."""
    for info in infos:
        if (
            info.file_size > limits.ratio_grace_bytes
            and info.file_size > limits.max_inflate_ratio * max(info.compress_size, 1)
        ):
            raise too_large(
                "ratio",
                part=info.filename,
                packed_mb=info.compress_size / MB,
                size_mb=info.file_size / MB,
            )
    strings = 0
    core: bytes | None = None
    parts: list[tuple[zipfile.ZipInfo, bytes]] = []
    everything: list[tuple[str, bytes]] = []
    for info in infos:
        if info.is_dir():
            continue
        try:
            data = member(archive, info, package)
        except ZIP_ERRORS:
            raise unreadable("文件已损坏或不完整", "the file is damaged or truncated") from None
        everything.append((info.filename, data))
        if info.filename == _CORE_PART:
            core = data  # the last of that name, as zipfile's getinfo gives it
        name = info.filename.lower()
        if name.endswith((".xml", ".rels")) and "/media/" not in name and _declares_dtd(data):
            raise unreadable(
                f"其中的 {info.filename} 含有 DTD 声明（实体定义），Excel 从不写入，文件可能被篡改",
                f"its part {info.filename} declares a DTD (entity definitions), which "
                "spreadsheet programs never write; the file may have been tampered with",
            )
        if name.endswith("sharedstrings.xml"):
            strings = max(strings, _count_strings(data))
        elif b"sheetData" in data:
            parts.append((info, data))
    scan = PackageScan(parts=everything, core=core)
    for info, data in parts:
        _scan_sheet(info.filename, data, strings, limits, scan)
    return scan


_LOOKS = 8  # `!` looked at one by one; past them, one search for where a marker starts
_HEAD = 65536  # a DTD comes before the root element
_MARKER_START = re.compile(rb"<\0?!")


def _declares_dtd(data: bytes) -> bool:
    # Every marker is `<!` (`<` `\0` `!` in UTF-16 either way): most parts have no `!` at
    # all, and a `!` not after a `<` (a formula's `'Sheet'!A1`) rules none in.  Searching
    # for one byte is many times faster than for the six markers, and a sheet of formulas
    # (hundreds of `!`) costs one search for `<!` after the first few.
    at, looked = data.find(b"!", 0, _HEAD), 0
    while at >= 0:
        if data[at - 1 : at] == b"<" or data[max(at - 2, 0) : at] == b"<\0":
            break
        if looked == _LOOKS:  # no marker starts before this `!`, which starts none
            if _MARKER_START.search(data, at, _HEAD) is None:
                return False
            break
        at, looked = data.find(b"!", at + 1, _HEAD), looked + 1
    else:
        return False
    return any(data.find(marker, 0, _HEAD) >= 0 for marker in _DTD)


def _count_strings(xml: bytes) -> int:
    """Entries of the shared-string table: `<si>` elements (any prefix; an upper bound)."""
    plain, opened = xml.count(b"<si>"), xml.count(b"<si")
    if plain < opened:  # some `<si` is not `<si>` (each of the three is one)
        plain += xml.count(b"<si ") + xml.count(b"<si/>")
    return plain + xml.count(b":si")


def _scan_sheet(part: str, xml: bytes, strings: int, limits: Limits, scan: PackageScan) -> None:
    cells = scan_cells(xml, strings, lambda extent: fits(extent, limits))
    scan.extents[part] = cells.extent
    if not cells.strings_ok:
        raise unreadable(
            "有单元格引用了共享字符串表中不存在的条目，文件已损坏",
            "a cell refers to a shared string the file does not have; the file is damaged",
        )
    # each range takes 11 bytes (`<mergeCell ` or `:mergeCell `) at least: a part too short
    # to hold more than the limit allows is not searched
    if len(xml) > len(b"<mergeCell ") * limits.max_merged_ranges and b"mergeCell" in xml:
        ranges = xml.count(b"<mergeCell ") + xml.count(b":mergeCell ")
        if ranges > limits.max_merged_ranges:
            raise too_large("merged_ranges", ranges=ranges, limit=limits.max_merged_ranges)
    uncached = uncached_formula_cells(xml, cells.formulas)
    if uncached:
        scan.uncached[part] = frozenset(uncached)
    errors = error_cells(xml, cells.errors)
    if errors:
        scan.errors[part] = errors
    hidden = hidden_columns(xml)
    if hidden:
        scan.hidden_columns[part] = hidden


# `<col min="3" max="3" width="0" hidden="1"/>` in the `<cols>` element, which comes before
# the cells (any prefix, as python-calamine matches local names).
_COL = re.compile(rb"<(?:[\w.-]+:)?col\s([^<>]*)>")
_COL_ATTRIBUTE = {
    name: re.compile(rb"(?:^|\s)" + name + rb"\s*=\s*[\"']\s*([^\"']*?)\s*[\"']")
    for name in (b"min", b"max", b"hidden")
}
_COL_LIMIT = 16_384  # XFD, Excel's last column


def hidden_columns(xml: bytes) -> tuple[tuple[int, int], ...]:
    """A worksheet's hidden columns as 0-based inclusive ranges, from its `<cols>` element.

    Only the bytes before `<sheetData>` are looked at, and parsed only when they
    say `hidden` at all: most sheets cost one bounded search.
    """
    end = xml.find(b"sheetData")
    if end < 0 or xml.find(b"hidden", 0, end) < 0:
        return ()
    ranges: list[tuple[int, int]] = []
    for attributes in _COL.findall(xml, 0, end):
        found = {name: rx.search(attributes) for name, rx in _COL_ATTRIBUTE.items()}
        hidden, low, high = found[b"hidden"], found[b"min"], found[b"max"]
        if hidden is None or hidden.group(1).lower() not in (b"1", b"true"):
            continue
        if low is None or not low.group(1).isdigit():
            continue
        first = int(low.group(1))
        last = int(high.group(1)) if high is not None and high.group(1).isdigit() else first
        if 1 <= first <= last:
            ranges.append((first - 1, min(last, _COL_LIMIT) - 1))
    return tuple(ranges)
