"""The package python-calamine reads: every part stored, merged ranges ahead of the cells.

python-calamine's `get_sheet_by_name` reads a worksheet twice: once for its
cells and once more, from the top, for its `<mergeCells>` — which OOXML puts
after all the cells, so the second pass inflates and tokenises the whole
sheet again (a third of the time of a 100,000-row sheet).  The reader has
inflated every part already (to check the package and find formulas
without values), so it hands python-calamine a package rebuilt from those
parts: each part stored (nothing to inflate again), and in each worksheet
the `<mergeCells>` element moved in front of `<sheetData>` (an empty one
when the sheet has none), where the second pass finds it at once.  The
cells and the ranges are the same bytes as before, only in another order;
python-calamine reads any element before `<sheetData>` and skips it.  A
worksheet not shaped as expected (prefixed element names, two `<mergeCells>`)
goes in unchanged.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterable

from salesxl.read.package import crc32

__all__ = ["stage_package", "staged_sheet"]

_MERGE_CELLS = re.compile(rb"<mergeCells\b[^>]*?(?:/>|>.*?</mergeCells>)", re.S)
_NO_MERGES = b'<mergeCells count="0"></mergeCells>'
_ZIP32_LIMIT = 0xFFFFFFFF
Piece = bytes | bytearray | memoryview


def staged_sheet(xml: bytes) -> list[Piece]:
    """The worksheet XML with its merged ranges before its cells (see the module doc), as
    pieces to be joined (a sheet of 100,000 rows is copied once, when the package is)."""
    start = xml.find(b"<sheetData")
    if start < 0 or xml.find(b"<sheetData", start + 1) >= 0:
        return [xml]
    # the cells end near the end of the part: look from there, not through every cell
    close = xml.rfind(b"</sheetData>", start)
    after = close + len(b"</sheetData>") if close >= 0 else xml.find(b">", start) + 1
    found = list(_MERGE_CELLS.finditer(xml, after))
    if len(found) > 1 or (not found and xml.find(b"mergeCells", after) >= 0):
        return [xml]  # not what Excel, WPS or LibreOffice write: leave it to python-calamine
    view = memoryview(xml)
    if not found:
        return [view[:start], _NO_MERGES, view[start:]]
    merged = found[0]
    return [
        view[:start],
        view[merged.start() : merged.end()],
        view[start : merged.start()],
        view[merged.end() :],
    ]


def stage_package(parts: Iterable[tuple[str, bytes]]) -> bytes | None:
    """A zip package of `parts` (name, content), every part stored uncompressed, worksheet
    parts staged (`staged_sheet`); None when it would need ZIP64 (4 GB, 65,535 parts)."""
    pieces: list[Piece] = []
    directory = bytearray()
    count = offset = 0
    for name, data in parts:
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            content: list[Piece] = staged_sheet(data)
        else:
            content = [data]
        encoded = name.encode("utf-8")
        crc = 0
        size = 0
        for piece in content:
            crc = crc32(piece, crc)
            size += len(piece)
        if offset + size + 30 + len(encoded) > _ZIP32_LIMIT or count == 0xFFFF:
            return None
        # local header: signature, version, flags (bit 11: UTF-8 name), method 0 (stored),
        # time, date, crc, sizes, name length, extra length
        pieces.append(
            struct.pack(
                "<IHHHHHIIIHH", 0x04034B50, 20, 0x800, 0, 0, 0x21, crc, size, size, len(encoded), 0
            )
        )
        pieces.append(encoded)
        pieces.extend(content)
        directory += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            20,
            0x800,
            0,
            0,
            0x21,
            crc,
            size,
            size,
            len(encoded),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        directory += encoded
        offset += 30 + len(encoded) + size
        count += 1
    if offset + len(directory) > _ZIP32_LIMIT:
        return None
    pieces.append(directory)
    pieces.append(
        struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(directory), offset, 0)
    )
    return b"".join(pieces)
