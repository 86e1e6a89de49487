"""The mark salesxl leaves in every workbook it writes, and reading it back.

A summary saved into the inbox must not come back as a rep's form, and `-o`
must never replace a file salesxl did not write.  Every workbook salesxl
writes carries a custom document property `salesxl` that names what it is
(in docProps/custom.xml; Excel, WPS and LibreOffice keep it when the file is
saved again).  Workbooks written before the mark existed are recognised by
the title or comment salesxl has always given them.

Reading a mark looks at two small parts only, bounded, without parsing XML.
"""

from __future__ import annotations

import re
import struct
import zipfile
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO

from salesxl.read.package import INFLATE_ERRORS, unpacked

__all__ = ["INPUTS", "PROPERTY", "Written", "written_by"]

PROPERTY = "salesxl"


class Written(StrEnum):
    """What salesxl wrote: the value of the mark."""

    SUMMARY = "summary"  # `salesxl consolidate`
    TARGETS = "targets"  # `salesxl targets split` (imported by `salesxl import targets`)
    FORM = "form"  # templates, issued forms, demo reports: reps fill them in
    MANAGER = "manager_workbook"  # `salesxl macros build`
    SCORECARD = "scorecard"  # `salesxl scorecards`
    RETURN_LIST = "return_list"  # `salesxl return`'s 退回清单 (the return copies are forms)


INPUTS = frozenset({Written.FORM, Written.TARGETS})  # read as forms; the others are skipped

_PART_LIMIT = 64 * 1024  # both parts are a few hundred bytes
# salesxl's workbooks have a few dozen parts: a larger directory is not one of them (and
# listing a directory of 25,000 parts would cost more than the mark is worth).
_DIRECTORY_LIMIT = 64 * 1024
_MARK = re.compile(
    rb'name="' + PROPERTY.encode() + rb'"[^>]*>\s*<(?:[\w.-]+:)?lpwstr>\s*([a-z_]{1,40})\s*<'
)
# What salesxl wrote into docProps/core.xml before the mark existed.
_LEGACY = (
    (re.compile(rb"<(?:[\w.-]+:)?title>salesxl summary "), Written.SUMMARY),
    (re.compile(rb"<(?:[\w.-]+:)?title>salesxl targets "), Written.TARGETS),
    (re.compile(rb"<(?:[\w.-]+:)?title>" + "salesxl 汇总".encode()), Written.MANAGER),
    (re.compile(rb"<(?:[\w.-]+:)?description>salesxl form "), Written.FORM),
    (re.compile(rb"<(?:[\w.-]+:)?title>" + "个人战报 Scorecard".encode()), Written.SCORECARD),
    (re.compile(rb"<(?:[\w.-]+:)?title>" + "salesxl 退回清单".encode()), Written.RETURN_LIST),
)


def written_by(path: Path) -> Written | None:
    """What salesxl wrote this file as, or None (not a zip, not marked, or unreadable)."""
    try:
        with open(path, "rb") as fh:
            if fh.read(4) != b"PK\x03\x04":
                return None
            directory = _directory(fh)
            if directory is None:
                return None
            custom = _part(fh, directory, b"docProps/custom.xml")
            if custom is not None and (found := _MARK.search(custom)):
                try:
                    return Written(found.group(1).decode())
                except ValueError:
                    return None
            core = _part(fh, directory, b"docProps/core.xml")
    except (OSError, ValueError, struct.error):
        return None
    if core is not None:
        for pattern, kind in _LEGACY:
            if pattern.search(core):
                return kind
    return None


def _directory(fh: BinaryIO) -> bytes | None:
    """The zip's central directory, when it is of a size real workbooks have and sits
    where its end record says (a package with a ZIP64 directory is none of salesxl's)."""
    fh.seek(0, 2)
    size = fh.tell()
    start = max(0, size - 65_557)  # the end record and the longest comment it may have
    fh.seek(start)
    tail = fh.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return None
    length, offset = struct.unpack_from("<II", tail, at + 12)
    if length > _DIRECTORY_LIMIT or offset + length > start + at:
        return None
    if offset >= start:
        return tail[offset - start : offset - start + length]
    fh.seek(offset)
    return fh.read(length)


# A central directory entry: signature, versions, flags, method, time, date, crc, sizes,
# name, extra and comment lengths, disk, attributes, the local header's offset.
_ENTRY = struct.Struct("<4s4xHH4xIIIHHH8xI")


def _part(fh: BinaryIO, directory: bytes, name: bytes) -> bytes | None:
    """A small part named in the directory, inflated no further than its stated size."""
    at = directory.find(name)
    while at >= 0:
        entry = at - _ENTRY.size
        if entry >= 0 and directory[entry : entry + 4] == b"PK\x01\x02":
            _, flags, method, crc, packed, size, length, *_, offset = _ENTRY.unpack_from(
                directory, entry
            )
            if length == len(name):
                return _inflate(fh, flags, method, crc, packed, size, offset)
        at = directory.find(name, at + 1)
    return None


def _inflate(
    fh: BinaryIO, flags: int, method: int, crc: int, packed: int, size: int, offset: int
) -> bytes | None:
    if size > _PART_LIMIT or packed > _PART_LIMIT or flags & 1:
        return None
    fh.seek(offset)
    header = fh.read(30)
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        return None
    name_length, extra_length = struct.unpack_from("<HH", header, 26)
    fh.seek(offset + 30 + name_length + extra_length)
    if method not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return None
    try:
        return unpacked(fh.read(packed), method, size, crc)
    except INFLATE_ERRORS:
        return None
