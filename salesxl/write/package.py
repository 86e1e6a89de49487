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
import zipfile
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from defusedxml import ElementTree

__all__ = ["PackageError", "Relationship", "SheetEntry", "XlsxPackage", "xml_attr", "xml_text"]

REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
OFFICE_DOCUMENT = REL_NS + "/officeDocument"
# Characters XML 1.0 cannot hold at all (a hostile cell value must not break the part).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class PackageError(Exception):
    """The package is not an xlsx/xlsm salesxl can edit part by part."""


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
            archive = zipfile.ZipFile(io.BytesIO(data))
            self._infos = {info.filename: info for info in archive.infolist()}
            self._parts: dict[str, bytes] = {name: archive.read(name) for name in self._infos}
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
            raise PackageError(f"not a readable zip package ({exc})") from None
        self._changed: set[str] = set()
        self.workbook = self._office_document()

    # -- parts ----------------------------------------------------------------------

    def __contains__(self, part: str) -> bool:
        return part in self._parts

    def names(self) -> list[str]:
        return list(self._parts)

    def raw(self, part: str) -> bytes:
        try:
            return self._parts[part]
        except KeyError:
            raise PackageError(f"the package has no part {part}") from None

    def text(self, part: str) -> str:
        try:
            return self._parts[part].decode("utf-8")
        except KeyError:
            raise PackageError(f"the package has no part {part}") from None
        except UnicodeDecodeError:
            raise PackageError(f"{part} is not UTF-8 XML") from None

    def put(self, part: str, content: str | bytes) -> None:
        """Replace or add a part (new parts go to the end of the package)."""
        self._parts[part] = content.encode("utf-8") if isinstance(content, str) else content
        self._changed.add(part)

    def remove(self, part: str) -> None:
        self._parts.pop(part, None)
        self._infos.pop(part, None)

    def free_name(self, pattern: str) -> str:
        """The first `pattern.format(n)` (n = 1, 2, …) that is not a part yet."""
        n = 1
        while pattern.format(n) in self._parts:
            n += 1
        return pattern.format(n)

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in self._parts.items():
                info = self._infos.get(name)
                entry = zipfile.ZipInfo(name, info.date_time if info else (1980, 1, 1, 0, 0, 0))
                entry.compress_type = zipfile.ZIP_DEFLATED
                entry.external_attr = info.external_attr if info else 0o600 << 16
                archive.writestr(entry, content, compresslevel=6)
        return out.getvalue()

    # -- relationships ----------------------------------------------------------------

    @staticmethod
    def rels_part(part: str) -> str:
        folder, name = posixpath.split(part)
        return posixpath.join(folder, "_rels", f"{name}.rels")

    def relationships(self, part: str) -> list[Relationship]:
        """The relationships of `part` (of the package itself for '')."""
        rels = self.rels_part(part) if part else "_rels/.rels"
        if rels not in self._parts:
            return []
        root = _parse(self._parts[rels], rels)
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
        root = _parse(self._parts[self.workbook], self.workbook)
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


def _parse(data: bytes, name: str) -> Any:
    try:
        return ElementTree.fromstring(data)
    except Exception:  # malformed or hostile XML: defusedxml refuses it
        raise PackageError(f"{name} is not well-formed XML") from None
