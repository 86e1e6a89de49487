"""Cell notes 批注 in a worksheet's package: the comments part and its VML drawing.

Excel keeps a note's text in the sheet's comments part and its box in a
legacy VML drawing (which may also hold form buttons).  `add_notes` makes
both parts when the sheet has none, or extends the ones it has; salesxl's
own notes from an earlier return are removed first, and a note the rep
wrote is never overwritten.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from salesxl.forms.marks import MARKS_AUTHOR
from salesxl.read.formulas import column_letters
from salesxl.write.package import MAIN_NS, REL_NS, XlsxPackage, xml_attr, xml_text
from salesxl.write.sheet_xml import split_cell

__all__ = ["add_notes"]

COMMENTS_TYPE = REL_NS + "/comments"
VML_TYPE = REL_NS + "/vmlDrawing"
COMMENTS_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
VML_CONTENT = "application/vnd.openxmlformats-officedocument.vmlDrawing"
_VML_HEAD = (
    '<xml xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:x="urn:schemas-microsoft-com:office:excel">'
)
_NOTE_TYPE = (
    '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" '
    'path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
    '<v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
)
# Elements a worksheet may have after <legacyDrawing> (schema order).
_AFTER_LEGACY = (
    "legacyDrawingHF",
    "drawingHF",
    "picture",
    "oleObjects",
    "controls",
    "webPublishItems",
    "tableParts",
    "extLst",
    "AlternateContent",
)


def add_notes(
    pkg: XlsxPackage, sheet_part: str, sheet_xml: str, notes: Mapping[tuple[int, int], str]
) -> str:
    """Give each (row, col) of `notes` a note; returns the sheet's XML (comments parts saved)."""
    rels = pkg.relationships(sheet_part)
    comments = next((r.target for r in rels if r.type == COMMENTS_TYPE and r.target in pkg), None)
    tail = sheet_xml[_after_cells(sheet_xml) :]  # legacyDrawing comes after the cells
    legacy = re.search(r'<(?:\w+:)?legacyDrawing\b[^>]*\b\w+:id="([^"]*)"', tail)
    vml = None
    if legacy is not None:
        vml = next((r.target for r in rels if r.id == legacy.group(1) and r.target in pkg), None)
    if comments is None and not notes:
        return sheet_xml
    removed: set[tuple[int, int]] = set()
    taken: set[tuple[int, int]] = set()
    if comments is not None:
        text, removed, taken = _without_our_notes(pkg.text(comments))
    else:
        comments = pkg.free_name("xl/comments{}.xml")
        text = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<comments xmlns="{MAIN_NS}"><authors></authors><commentList></commentList></comments>'
        )
        pkg.add_override(comments, COMMENTS_CONTENT)
        pkg.add_relationship(sheet_part, COMMENTS_TYPE, comments)
    mine = {place: note for place, note in notes.items() if place not in taken}
    pkg.put(comments, _with_notes(text, mine))
    if vml is None:
        vml = pkg.free_name("xl/drawings/vmlDrawing{}.vml")
        pkg.ensure_default("vml", VML_CONTENT)
        rel_id = pkg.add_relationship(sheet_part, VML_TYPE, vml)
        drawing = f"{_VML_HEAD}{_shape_layout(pkg)}{_NOTE_TYPE}</xml>"
        sheet_xml = _with_legacy_drawing(sheet_xml, rel_id)
    else:
        drawing = pkg.raw(vml).decode("latin-1")  # kept byte for byte; ours is ASCII
    pkg.put(vml, _with_boxes(drawing, removed, mine).encode("latin-1"))
    return sheet_xml


def _without_our_notes(text: str) -> tuple[str, set[tuple[int, int]], set[tuple[int, int]]]:
    """The comments part without salesxl's notes; the cells they were on, and the cells
    that keep someone else's note."""
    p = _prefix(text)
    authors = re.findall(rf"<{re.escape(p)}author>(.*?)</{re.escape(p)}author>", text, re.S)
    ours = {str(i) for i, name in enumerate(authors) if name == MARKS_AUTHOR}
    removed: set[tuple[int, int]] = set()
    taken: set[tuple[int, int]] = set()

    def drop(match: re.Match[str]) -> str:
        head = match.group(1)
        ref = re.search(r'\bref="([A-Z]+\d+)"', head)
        author = re.search(r'\bauthorId="(\d+)"', head)
        place = split_cell(ref.group(1)) if ref else None
        if author is not None and author.group(1) in ours:
            if place is not None:
                removed.add(place)
            return ""
        if place is not None:
            taken.add(place)
        return match.group(0)

    q = re.escape(p)
    text = re.sub(
        rf"<{q}comment\b[^>]*/>|(<{q}comment\b[^>]*>).*?</{q}comment>",
        lambda m: drop(m) if m.group(1) else m.group(0),
        text,
        flags=re.S,
    )
    return text, removed, taken


def _prefix(text: str) -> str:
    match = re.search(r"<(\w+:)?comments\b", text)
    return (match.group(1) or "") if match else ""


def _with_notes(text: str, notes: Mapping[tuple[int, int], str]) -> str:
    if not notes:
        return text
    p = _prefix(text)
    authors = re.findall(rf"<{re.escape(p)}author>(.*?)</{re.escape(p)}author>", text, re.S)
    if MARKS_AUTHOR in authors:
        author = authors.index(MARKS_AUTHOR)
    else:
        author = len(authors)
        element = f"<{p}author>{MARKS_AUTHOR}</{p}author>"
        if re.search(rf"<{re.escape(p)}authors\s*/>", text):
            text = re.sub(
                rf"<{re.escape(p)}authors\s*/>",
                f"<{p}authors>{element}</{p}authors>",
                text,
                count=1,
            )
        else:
            text = text.replace(f"</{p}authors>", f"{element}</{p}authors>", 1)
    added = "".join(
        f'<{p}comment ref="{_ref(row, col)}" authorId="{author}"><{p}text>'
        f'<{p}r><{p}rPr><{p}b/><{p}sz val="9"/><{p}rFont val="Tahoma"/></{p}rPr>'
        f'<{p}t xml:space="preserve">{MARKS_AUTHOR}:</{p}t></{p}r>'
        f'<{p}r><{p}rPr><{p}sz val="9"/><{p}rFont val="Tahoma"/></{p}rPr>'
        f'<{p}t xml:space="preserve">\n{xml_text(note[:30_000])}</{p}t></{p}r>'
        f"</{p}text></{p}comment>"
        for (row, col), note in sorted(notes.items())
    )
    if re.search(rf"<{re.escape(p)}commentList\s*/>", text):
        return re.sub(
            rf"<{re.escape(p)}commentList\s*/>",
            f"<{p}commentList>{added}</{p}commentList>",
            text,
            count=1,
        )
    return text.replace(f"</{p}commentList>", f"{added}</{p}commentList>", 1)


def _ref(row: int, col: int) -> str:
    return f"{column_letters(col)}{row + 1}"


def _shape_layout(pkg: XlsxPackage) -> str:
    """A shape-id block of its own: one more than any VML drawing of the package uses."""
    used = [0]
    for name in pkg.names():
        if name.endswith(".vml"):
            used += [int(n) for n in re.findall(rb'idmap\b[^>]*\bdata="(\d+)', pkg.raw(name))]
    return f'<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{max(used) + 1}"/></o:shapelayout>'


def _with_boxes(
    drawing: str, removed: set[tuple[int, int]], notes: Mapping[tuple[int, int], str]
) -> str:
    """The VML drawing without the boxes of removed notes, with a box per new note."""

    def keep(match: re.Match[str]) -> str:
        shape = match.group(0)
        if 'ObjectType="Note"' not in shape:
            return shape
        row = re.search(r"<x:Row>(\d+)</x:Row>", shape)
        col = re.search(r"<x:Column>(\d+)</x:Column>", shape)
        if row and col and (int(row.group(1)), int(col.group(1))) in removed:
            return ""
        return shape

    drawing = re.sub(r"<v:shape\b.*?</v:shape>", keep, drawing, flags=re.S)
    if not notes:
        return drawing
    ids = [int(n) for n in re.findall(r'id="_x0000_s(\d+)"', drawing)]
    block = re.search(r'idmap\b[^>]*\bdata="(\d+)', drawing)
    next_id = max([*ids, 1024 * int(block.group(1)) if block else 1024]) + 1
    if 'id="_x0000_t202"' not in drawing:
        cut = drawing.find("</o:shapelayout>")
        cut = cut + len("</o:shapelayout>") if cut >= 0 else drawing.find(">") + 1
        drawing = drawing[:cut] + _NOTE_TYPE + drawing[cut:]
    boxes = "".join(
        _box(next_id + i, row, col, note)
        for i, ((row, col), note) in enumerate(sorted(notes.items()))
    )
    end = drawing.rfind("</xml>")
    return drawing[:end] + boxes + drawing[end:] if end >= 0 else drawing + boxes


def _box(shape_id: int, row: int, col: int, note: str) -> str:
    lines = min(20, 2 + sum(1 + len(line) // 28 for line in note.split("\n")))
    top = max(0, row - 1)
    return (
        f'<v:shape id="_x0000_s{shape_id}" type="#_x0000_t202" '
        f'style="position:absolute;margin-left:80pt;margin-top:2pt;width:260pt;'
        f'height:{12 * lines}pt;z-index:{shape_id % 1024};visibility:hidden" '
        'fillcolor="#ffffe1" o:insetmode="auto"><v:fill color2="#ffffe1"/>'
        '<v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/>'
        '<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>'
        '<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/>'
        f"<x:Anchor>{col + 1}, 15, {top}, 10, {col + 5}, 15, {top + lines}, 4</x:Anchor>"
        f"<x:AutoFill>False</x:AutoFill><x:Row>{row}</x:Row><x:Column>{col}</x:Column>"
        "</x:ClientData></v:shape>"
    )


def _after_cells(xml: str) -> int:
    """Where the worksheet's elements after `<sheetData>` begin (0 when there is none)."""
    return max(0, xml.rfind("sheetData>"), xml.rfind("sheetData/>"))


def _with_legacy_drawing(xml: str, rel_id: str) -> str:
    """The sheet with `<legacyDrawing r:id=…/>` in its place in the schema's order."""
    root = re.search(r"<(\w+:)?worksheet\b[^>]*>", xml)
    assert root is not None  # SheetCells checked it
    p = root.group(1) or ""
    prefix = re.search(r'xmlns:(\w+)="' + re.escape(REL_NS) + '"', root.group(0))
    if prefix is None:
        name = "r" if "xmlns:r=" not in root.group(0) else "rsx"
        head = root.group(0)[:-1] + f' xmlns:{name}="{REL_NS}">'
        xml = xml[: root.start()] + head + xml[root.end() :]
        r = name
    else:
        r = prefix.group(1)
    element = f'<{p}legacyDrawing {r}:id="{xml_attr(rel_id)}"/>'
    tail = _after_cells(xml)
    after = re.search(r"<(?:\w+:)?(?:" + "|".join(_AFTER_LEGACY) + r")\b", xml[tail:])
    if after is not None:
        at = tail + after.start()
        return xml[:at] + element + xml[at:]
    end = xml.rfind(f"</{p}worksheet>")
    return xml[:end] + element + xml[end:]
