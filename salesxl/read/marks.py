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
import zlib
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO

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
            if fh.read(4) != b"PK\x03\x04" or not _small_directory(fh):
                return None
            fh.seek(0)
            with zipfile.ZipFile(fh) as archive:
                custom = _part(fh, archive, "docProps/custom.xml")
                if custom is not None and (found := _MARK.search(custom)):
                    try:
                        return Written(found.group(1).decode())
                    except ValueError:
                        return None
                core = _part(fh, archive, "docProps/core.xml")
    except (OSError, zipfile.BadZipFile, ValueError, EOFError, NotImplementedError):
        return None
    if core is not None:
        for pattern, kind in _LEGACY:
            if pattern.search(core):
                return kind
    return None


def _small_directory(fh: BinaryIO) -> bool:
    """The zip directory is of a size real workbooks have (zipfile reads all of it)."""
    fh.seek(0, 2)
    size = fh.tell()
    fh.seek(max(0, size - 65_557))
    tail = fh.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return False
    directory: int = struct.unpack_from("<I", tail, at + 12)[0]
    return directory <= _DIRECTORY_LIMIT


def _part(fh: BinaryIO, archive: zipfile.ZipFile, name: str) -> bytes | None:
    """A small part, inflated no further than its stated size, or None."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > _PART_LIMIT or info.compress_size > _PART_LIMIT or info.flag_bits & 1:
        return None
    fh.seek(info.header_offset)
    header = fh.read(30)
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        return None
    name_length, extra_length = struct.unpack_from("<HH", header, 26)
    fh.seek(info.header_offset + 30 + name_length + extra_length)
    raw = fh.read(info.compress_size)
    if info.compress_type == zipfile.ZIP_STORED:
        data = raw
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        try:
            data = zlib.decompressobj(-zlib.MAX_WBITS).decompress(raw, info.file_size + 1)
        except zlib.error:
            return None
    else:
        return None
    return data if len(data) == info.file_size and zlib.crc32(data) == info.CRC else None
