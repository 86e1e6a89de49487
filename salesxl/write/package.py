"""An xlsx/xlsm file as a package of parts, for changing a few parts and keeping the rest.

A return copy must keep everything of the rep's workbook that salesxl does
not touch — cached formula values, drop-downs, protection, pictures,
charts, macros — byte for byte.  So the package is read part by part, the
few parts a change concerns are edited as text, and every other part is
written back exactly as it was.  Relationships and content types are kept
consistent here, in one place.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from defusedxml import ElementTree

from salesxl.core.errors import SalesxlError

__all__ = ["PackageError", "Relationship", "SheetEntry", "XlsxPackage", "xml_attr", "xml_text"]

REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
OFFICE_DOCUMENT = REL_NS + "/officeDocument"
# Characters XML 1.0 cannot hold at all (a hostile cell value must not break the part).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class PackageError(SalesxlError):
    """The package is not an xlsx/xlsm salesxl can edit part by part (a return copy is
    then made of its values instead)."""

    def __init__(self, why: str) -> None:
        super().__init__(
            f"无法逐部分修改此工作簿：{why}",
            f"The workbook cannot be edited part by part: {why}",
            hint_zh="退回件将另存为数值副本",
            hint_en="its return copy holds its values instead",
        )


def xml_text(text: str) -> str:
    """Text for an element's content: escaped, without characters XML cannot hold."""
    return escape(_NOT_XML.sub("", text))


def xml_attr(text: str) -> str:
    """Text for a double-quoted attribute value."""
    return escape(_NOT_XML.sub("", text), {'"': "&quot;", "\n": "&#10;", "\t": "&#9;"})


@dataclass(frozen=True, slots=True)
class Relationship:
    id: str
    type: str
    target: str  # the part's path inside the package (resolved), or an external address
    external: bool = False


@dataclass(frozen=True, slots=True)
class SheetEntry:
    """One `<sheet>` of the workbook part, in tab order."""

    name: str
    sheet_id: int
    rel_id: str
    part: str | None  # None for a sheet whose part is missing


class XlsxPackage:
    """The parts of a zip package, in their order, with their zip entries' settings."""

    def __init__(self, data: bytes) -> None:
        try:
            self._archive = zipfile.ZipFile(io.BytesIO(data))
            infos = self._archive.infolist()
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
            raise PackageError(f"not a readable zip package ({exc})") from None
        self._data = data
        self._infos = {info.filename: info for info in infos}
        # Parts are inflated when first read; a part never changed is copied as it is stored.
        self._parts: dict[str, bytes | None] = dict.fromkeys(self._infos)
        self._changed: set[str] = set()
        self._rels: dict[str, list[Relationship]] = {}  # parsed once, until the part changes
        self._sheets: list[SheetEntry] | None = None
        self.workbook = self._office_document()

    # -- parts ----------------------------------------------------------------------

    def __contains__(self, part: str) -> bool:
        return part in self._parts

    def names(self) -> list[str]:
        return list(self._parts)

    def raw(self, part: str) -> bytes:
        if part not in self._parts:
            raise PackageError(f"the package has no part {part}")
        content = self._parts[part]
        if content is None:
            try:
                content = self._parts[part] = self._archive.read(part)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
                raise PackageError(f"{part} cannot be read") from None
        return content

    def text(self, part: str) -> str:
        try:
            return self.raw(part).decode("utf-8")
        except UnicodeDecodeError:
            raise PackageError(f"{part} is not UTF-8 XML") from None

    def put(self, part: str, content: str | bytes) -> None:
        """Replace or add a part (new parts go to the end of the package)."""
        self._parts[part] = content.encode("utf-8") if isinstance(content, str) else content
        self._changed.add(part)
        self._forget(part)

    def remove(self, part: str) -> None:
        self._parts.pop(part, None)
        self._infos.pop(part, None)
        self._forget(part)

    def _forget(self, part: str) -> None:
        self._rels.pop(part, None)
        workbook = getattr(self, "workbook", None)
        if workbook is None or part in (workbook, self.rels_part(workbook)):
            self._sheets = None

    def free_name(self, pattern: str) -> str:
        """The first `pattern.format(n)` (n = 1, 2, …) that is not a part yet."""
        n = 1
        while pattern.format(n) in self._parts:
            n += 1
        return pattern.format(n)

    def to_bytes(self) -> bytes:
        """The package: changed and new parts deflated, the others copied as stored."""
        out = io.BytesIO()
        directory: list[bytes] = []
        for name in self._parts:
            info = self._infos.get(name)
            stored = None if name in self._changed or info is None else self._stored(info)
            if stored is None:
                data = self.raw(name)
                packer = zlib.compressobj(1, zlib.DEFLATED, -15)  # level 1: fast, a little larger
                payload = packer.compress(data) + packer.flush()
                entry = (zipfile.ZIP_DEFLATED, zlib.crc32(data), len(payload), len(data), payload)
            else:
                entry = stored
            when = info.date_time if info else (1980, 1, 1, 0, 0, 0)
            attr = info.external_attr if info else 0o600 << 16
            directory.append(_write_entry(out, name, *entry, when, attr))
        start = out.tell()
        for record in directory:
            out.write(record)
        out.write(
            struct.pack(
                "<4s4H2LH",
                b"PK\x05\x06",
                0,
                0,
                len(directory),
                len(directory),
                out.tell() - start,
                start,
                0,
            )
        )
        return out.getvalue()

    def _stored(self, info: zipfile.ZipInfo) -> tuple[int, int, int, int, bytes] | None:
        """An unchanged part's compressed bytes as the original package stores them."""
        if info.flag_bits & 0x1 or info.compress_type not in (
            zipfile.ZIP_STORED,
            zipfile.ZIP_DEFLATED,
        ):
            return None  # encrypted or another method: inflated and deflated again
        at = info.header_offset
        if self._data[at : at + 4] != b"PK\x03\x04":
            return None
        name_length, extra_length = struct.unpack_from("<HH", self._data, at + 26)
        begin = at + 30 + name_length + extra_length
        payload = self._data[begin : begin + info.compress_size]
        if len(payload) != info.compress_size:
            return None
        return info.compress_type, info.CRC, info.compress_size, info.file_size, payload

    # -- relationships ----------------------------------------------------------------

    @staticmethod
    def rels_part(part: str) -> str:
        folder, name = posixpath.split(part)
        return posixpath.join(folder, "_rels", f"{name}.rels")

    def relationships(self, part: str) -> list[Relationship]:
        """The relationships of `part` (of the package itself for '')."""
        rels = self.rels_part(part) if part else "_rels/.rels"
        if rels not in self._rels:
            self._rels[rels] = self._relationships(part, rels)
        return self._rels[rels]

    def _relationships(self, part: str, rels: str) -> list[Relationship]:
        if rels not in self._parts:
            return []
        root = _parse(self.raw(rels), rels)
        base = posixpath.dirname(part)
        found = []
        for rel in root.iter(f"{{{PKG_REL_NS}}}Relationship"):
            target = rel.get("Target", "")
            external = rel.get("TargetMode") == "External"
            if not external:
                target = (
                    target[1:]
                    if target.startswith("/")
                    else posixpath.normpath(posixpath.join(base, target))
                )
            found.append(Relationship(rel.get("Id", ""), rel.get("Type", ""), target, external))
        return found

    def add_relationship(self, part: str, rel_type: str, target: str) -> str:
        """Relate `part` to the part `target`; returns the new relationship's id."""
        rels = self.rels_part(part)
        taken = {r.id for r in self.relationships(part)}
        n = 1
        while f"rIdSx{n}" in taken:
            n += 1
        rel_id = f"rIdSx{n}"
        relative = posixpath.relpath(target, posixpath.dirname(part) or ".")
        element = (
            f'<Relationship Id="{rel_id}" Type="{xml_attr(rel_type)}" '
            f'Target="{xml_attr(relative)}"/>'
        )
        if rels in self._parts:
            text = self.text(rels)
            end = text.rfind("</Relationships>")
            if end < 0:
                raise PackageError(f"{rels} is not a relationships part")
            self.put(rels, text[:end] + element + text[end:])
        else:
            self.put(
                rels,
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<Relationships xmlns="{PKG_REL_NS}">{element}</Relationships>',
            )
        return rel_id

    def remove_relationship(self, part: str, rel_id: str) -> None:
        rels = self.rels_part(part)
        if rels in self._parts:
            pattern = re.compile(r'<Relationship\b[^>]*\bId="' + re.escape(rel_id) + r'"[^>]*/>')
            self.put(rels, pattern.sub("", self.text(rels), count=1))

    # -- content types ------------------------------------------------------------------

    def add_override(self, part: str, content_type: str) -> None:
        self._add_type(
            f'<Override PartName="/{xml_attr(part)}" ContentType="{xml_attr(content_type)}"/>'
        )

    def remove_override(self, part: str) -> None:
        text = self.text("[Content_Types].xml")
        pattern = re.compile(r'<Override\b[^>]*\bPartName="/' + re.escape(part) + r'"[^>]*/>')
        self.put("[Content_Types].xml", pattern.sub("", text, count=1))

    def ensure_default(self, extension: str, content_type: str) -> None:
        text = self.text("[Content_Types].xml")
        if re.search(r'<Default\b[^>]*\bExtension="' + re.escape(extension) + '"', text, re.I):
            return
        self._add_type(f'<Default Extension="{extension}" ContentType="{content_type}"/>')

    def _add_type(self, element: str) -> None:
        text = self.text("[Content_Types].xml")
        end = text.rfind("</Types>")
        if end < 0:
            raise PackageError("[Content_Types].xml is damaged")
        self.put("[Content_Types].xml", text[:end] + element + text[end:])

    # -- the workbook ---------------------------------------------------------------------

    def _office_document(self) -> str:
        for rel in self.relationships(""):
            if rel.type == OFFICE_DOCUMENT and rel.target in self._parts:
                return rel.target
        if "xl/workbook.xml" in self._parts:
            return "xl/workbook.xml"
        raise PackageError("the package has no workbook part")

    def sheets(self) -> list[SheetEntry]:
        """The workbook's sheets in tab order, with their parts."""
        if self._sheets is None:
            self._sheets = self._read_sheets()
        return self._sheets

    def _read_sheets(self) -> list[SheetEntry]:
        root = _parse(self.raw(self.workbook), self.workbook)
        targets = {r.id: r.target for r in self.relationships(self.workbook) if not r.external}
        found = []
        for sheet in root.iter(f"{{{MAIN_NS}}}sheet"):
            rel_id = sheet.get(f"{{{REL_NS}}}id", "")
            part = targets.get(rel_id)
            found.append(
                SheetEntry(
                    sheet.get("name", ""),
                    int(sheet.get("sheetId", "0") or 0),
                    rel_id,
                    part if part in self._parts else None,
                )
            )
        return found

    def part_of(self, sheet: str) -> str:
        for entry in self.sheets():
            if entry.name == sheet and entry.part is not None:
                return entry.part
        raise PackageError(f"the workbook has no sheet {sheet!r}")


def _write_entry(
    out: io.BytesIO,
    name: str,
    method: int,
    crc: int,
    size: int,
    unpacked: int,
    payload: bytes,
    when: tuple[int, int, int, int, int, int],
    attr: int,
) -> bytes:
    """Write one member's local header and data; returns its central directory record."""
    if max(size, unpacked, out.tell()) >= 0xFFFFFFFF:
        raise PackageError("the workbook is too large to copy")  # would need ZIP64
    encoded = name.encode("utf-8")
    flags = 0 if name.isascii() else 0x800  # the name is UTF-8
    year, month, day, hour, minute, second = when
    time = (hour << 11) | (minute << 5) | (second // 2)
    date = (max(year, 1980) - 1980) << 9 | (month << 5) | day
    offset = out.tell()
    out.write(
        struct.pack(
            "<4s5H3L2H",
            b"PK\x03\x04",
            20,
            flags,
            method,
            time,
            date,
            crc,
            size,
            unpacked,
            len(encoded),
            0,
        )
    )
    out.write(encoded)
    out.write(payload)
    return (
        struct.pack(
            "<4s6H3L5H2L",
            b"PK\x01\x02",
            (3 << 8) | 20,
            20,
            flags,
            method,
            time,
            date,
            crc,
            size,
            unpacked,
            len(encoded),
            0,
            0,
            0,
            0,
            attr,
            offset,
        )
        + encoded
    )


def _parse(data: bytes, name: str) -> Any:
    try:
        return ElementTree.fromstring(data)
    except Exception:  # malformed or hostile XML: defusedxml refuses it
        raise PackageError(f"{name} is not well-formed XML") from None
