"""Mark problems in a copy of a rep's own workbook: fills, notes, and a To fix sheet first.

The copy is the rep's package with a few parts edited (salesxl.write.package):
the styles part gains a red and a yellow fill and a style per marked cell's
own style with that fill (so its number format, borders and lock state
stay); each marked worksheet gets its cells' style ids changed and a 批注 note
per cell (a comments part and its VML drawing, made or extended); a new
待修改 To fix sheet goes first, with a link per line to its cell.  Every
other part — values with their cached formula results, drop-downs,
protection, pictures, macros — is copied as it was.

A workbook that was returned before is cleaned first: the old To fix sheet
is removed, the cells it marked get their own style back when they still
carry the mark, and salesxl's old notes go, so marks never pile up.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from defusedxml import ElementTree

from salesxl.forms.marks import TO_FIX_NAMES
from salesxl.read.formulas import column_letters
from salesxl.write.notes import add_notes
from salesxl.write.package import MAIN_NS, REL_NS, PackageError, XlsxPackage, xml_attr, xml_text
from salesxl.write.sheet_xml import SheetCells, split_cell
from salesxl.write.xlsx import display_width

__all__ = ["ERROR_FILL", "WARNING_FILL", "CellMark", "ToFixSheet", "mark_workbook"]

# The marks' fills: Excel's own "bad" and "neutral" colours, as the summary uses them.
ERROR_FILL = "FFFFC7CE"
WARNING_FILL = "FFFFEB9C"
MARK_FILLS = (ERROR_FILL, WARNING_FILL)
WORKSHEET_TYPE = REL_NS + "/worksheet"
WORKSHEET_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_HEADER_FILL = "FFDCE6F1"


@dataclass(frozen=True, slots=True)
class CellMark:
    """One problem cell: its fill (ARGB, e.g. FFFFC7CE) and the text of its note."""

    sheet: str
    cell: str  # A1
    fill: str
    note: str


@dataclass(frozen=True, slots=True)
class ToFixSheet:
    """The list of problems put first in the copy, one row per problem."""

    name: str
    title: tuple[str, ...]  # lines above the table; the first is the title
    header: tuple[str, ...]
    widths: tuple[float, ...]
    rows: tuple[tuple[Any, ...], ...]
    links: tuple[tuple[str, str] | None, ...]  # per row: (sheet, cell) its link points at
    fills: tuple[str | None, ...]  # per row: the fill of its level cell
    link_column: int
    level_column: int


def mark_workbook(data: bytes, marks: Sequence[CellMark], to_fix: ToFixSheet) -> bytes:
    """The workbook `data` (xlsx/xlsm bytes) with `marks` made and `to_fix` first.

    Raises PackageError when the package cannot be edited part by part (the
    caller then writes a plain copy of the values instead).
    """
    pkg = XlsxPackage(data)
    styles = _Styles(pkg)
    restore = _remove_old_to_fix(pkg)
    by_sheet: dict[str, list[CellMark]] = {}
    for mark in marks:
        by_sheet.setdefault(mark.sheet, []).append(mark)
    marked: list[list[Any]] = []  # [sheet, cell, its own fill]: undone by a later return
    for entry in pkg.sheets():
        if entry.part is None or not entry.part.endswith(".xml"):
            continue
        mine = by_sheet.pop(entry.name, [])
        old = restore.get(entry.name, [])
        if not mine and not old:
            continue
        cells = SheetCells(pkg.text(entry.part))
        styles_of: dict[tuple[int, int], int] = {}
        for cell, fill in old:  # a cell still showing the mark gets its own fill back
            place = split_cell(cell)
            current = cells.style_of(*place)
            if styles.is_marked(current):
                styles_of[place] = styles.with_fill(current, styles.fill_id(fill))
        notes: dict[tuple[int, int], list[str]] = {}
        for mark in mine:  # the first mark of a cell (the most serious) gives its fill
            place = cells.top_left(*split_cell(mark.cell))
            if place not in notes:
                own = styles_of.get(place, cells.style_of(*place))
                styles_of[place] = styles.with_fill(own, styles.fill(mark.fill))
                ref = f"{column_letters(place[1])}{place[0] + 1}"
                marked.append([entry.name, ref, styles.fill_of(own)])
                notes[place] = []
            if mark.note:  # the rest of a run of cells is filled, with no note of its own
                notes[place].append(mark.note)
        xml = cells.restyle(styles_of) if styles_of else cells.xml
        texts = {place: "\n\n".join(lines) for place, lines in notes.items() if lines}
        pkg.put(entry.part, add_notes(pkg, entry.part, xml, texts))
    if by_sheet:
        raise PackageError(f"the workbook has no sheet {next(iter(by_sheet))!r}")
    _deselect_tabs(pkg)
    _add_to_fix(pkg, styles, to_fix, marked)
    styles.save()
    return pkg.to_bytes()


# -- styles ---------------------------------------------------------------------------------


class _Styles:
    """The styles part, with fills, fonts and cell formats appended (never changed)."""

    def __init__(self, pkg: XlsxPackage) -> None:
        self.pkg = pkg
        found = [r for r in pkg.relationships(pkg.workbook) if r.type.endswith("/styles")]
        if not found or found[0].target not in pkg:
            raise PackageError("the workbook has no styles part")
        self.part = found[0].target
        self.xml = pkg.text(self.part)
        match = re.search(r"<(\w+:)?styleSheet\b", self.xml)
        if match is None:
            raise PackageError("the styles part is not a styleSheet")
        self.p = match.group(1) or ""
        self.xfs = self._children("cellXfs", "xf")
        if not self.xfs:
            raise PackageError("the styles part has no cell formats")
        self.fills = self._children("fills", "fill")
        self.n_fills = len(self.fills)
        fonts = self._children("fonts", "font")
        self.n_fonts = len(fonts)
        first = fonts[0] if fonts else ""
        name = re.search(r'<(?:\w+:)?name\b[^>]*\bval="([^"]*)"', first)
        size = re.search(r'<(?:\w+:)?sz\b[^>]*\bval="([^"]*)"', first)
        self.font_name = name.group(1) if name else "Calibri"
        self.font_size = size.group(1) if size else "11"
        self.new_fills: list[str] = []
        self.new_fonts: list[str] = []
        self.new_xfs: list[str] = []
        self._fills: dict[str, int] = {}
        self._fonts: dict[str, int] = {}
        self._marked: dict[tuple[int, int], int] = {}
        self._plain: dict[tuple[str, str | None, bool], int] = {}

    def _section(self, name: str) -> re.Match[str] | None:
        p = re.escape(self.p)
        return re.search(rf"<{p}{name}\b[^>]*?(?:/>|>(.*?)</{p}{name}>)", self.xml, re.S)

    def _children(self, section: str, child: str) -> list[str]:
        match = self._section(section)
        if match is None or match.group(1) is None:
            return []
        p = re.escape(self.p)
        return re.findall(
            rf"<{p}{child}\b[^>]*?/>|<{p}{child}\b[^>]*>.*?</{p}{child}>", match.group(1), re.S
        )

    def fill(self, argb: str) -> int:
        if argb not in self._fills:
            p = self.p
            self.new_fills.append(
                f'<{p}fill><{p}patternFill patternType="solid"><{p}fgColor rgb="{argb}"/>'
                f'<{p}bgColor indexed="64"/></{p}patternFill></{p}fill>'
            )
            self._fills[argb] = self.n_fills + len(self.new_fills) - 1
        return self._fills[argb]

    def font(self, kind: str) -> int:
        """A font like the workbook's first one: `bold`, `title` (bold, larger) or `link`."""
        if kind not in self._fonts:
            p, size = self.p, float(self.font_size)
            looks = {
                "bold": f'<{p}b/><{p}sz val="{size:g}"/>',
                "title": f'<{p}b/><{p}sz val="{size + 3:g}"/><{p}color rgb="FFC00000"/>',
                "link": f'<{p}u/><{p}sz val="{size:g}"/><{p}color rgb="FF0563C1"/>',
                "plain": f'<{p}sz val="{size:g}"/>',
            }[kind]
            self.new_fonts.append(
                f'<{p}font>{looks}<{p}name val="{xml_attr(self.font_name)}"/></{p}font>'
            )
            self._fonts[kind] = self.n_fonts + len(self.new_fonts) - 1
        return self._fonts[kind]

    def _add_xf(self, xf: str) -> int:
        self.new_xfs.append(xf)
        return len(self.xfs) + len(self.new_xfs) - 1

    def fill_of(self, xf: int) -> str:
        """The fill element of a style, without namespace prefixes (remembered as text)."""
        head = self._xf(xf)
        match = re.search(r'\sfillId="(\d+)"', head[: head.index(">")])
        fill_id = int(match.group(1)) if match else 0
        fills = [*self.fills, *self.new_fills]
        fill = fills[fill_id] if fill_id < len(fills) else fills[0] if fills else ""
        return _unprefixed(fill)

    def fill_id(self, fill: str) -> int:
        """The id of a fill given as text (`fill_of`), added when the workbook lacks it."""
        wanted = _unprefixed(fill)
        for i, known in enumerate([*self.fills, *self.new_fills]):
            if _unprefixed(known) == wanted:
                return i
        p = self.p
        self.new_fills.append(re.sub(r"<(/?)(?=\w)", rf"<\g<1>{p}", wanted) if p else wanted)
        return len(self.fills) + len(self.new_fills) - 1

    def is_marked(self, xf: int) -> bool:
        """Does the style show a return mark (solid red or yellow)?"""
        fill = self.fill_of(xf)
        return 'patternType="solid"' in fill and any(f'rgb="{c}"' in fill for c in MARK_FILLS)

    def _xf(self, xf: int) -> str:
        every = [*self.xfs, *self.new_xfs]
        return every[xf] if 0 <= xf < len(every) else every[0]

    def with_fill(self, own: int, fill_id: int) -> int:
        """A style like `own` (number format, font, borders, lock) with the fill `fill_id`."""
        key = (own, fill_id)
        if key not in self._marked:
            xf = self._xf(own)
            head_end = xf.index(">") + 1
            head = xf[:head_end]
            for name, value in (("fillId", str(fill_id)), ("applyFill", "1")):
                if re.search(rf'\s{name}="[^"]*"', head):
                    head = re.sub(rf'(\s){name}="[^"]*"', rf'\g<1>{name}="{value}"', head, count=1)
                else:
                    cut = len(f"<{self.p}xf")
                    head = f'{head[:cut]} {name}="{value}"{head[cut:]}'
            self._marked[key] = self._add_xf(head + xf[head_end:])
        return self._marked[key]

    def plain(self, font: str, fill: str | None = None, *, wrap: bool = True) -> int:
        """A style for the To fix sheet's cells."""
        key = (font, fill, wrap)
        if key not in self._plain:
            p = self.p
            fill_id = self.fill(fill) if fill else 0
            wrapped = ' wrapText="1"' if wrap else ""
            align = f'<{p}alignment vertical="top"{wrapped}/>'
            self._plain[key] = self._add_xf(
                f'<{p}xf numFmtId="0" fontId="{self.font(font)}" fillId="{fill_id}" borderId="0" '
                f'xfId="0" applyFont="1" applyFill="1" applyAlignment="1">{align}</{p}xf>'
            )
        return self._plain[key]

    def save(self) -> None:
        xml = self.xml
        for section, child, added in (
            ("cellXfs", "xf", self.new_xfs),
            ("fonts", "font", self.new_fonts),
            ("fills", "fill", self.new_fills),
        ):
            if not added:
                continue
            match = self._section(section)
            if match is None or match.group(1) is None:
                raise PackageError(f"the styles part has no {section}")
            count = len(self._children(section, child)) + len(added)
            head = xml[match.start() : match.start(1)]
            head = re.sub(r'\scount="\d*"', "", head)
            head = head[:-1] + f' count="{count}">'
            xml = (
                xml[: match.start()] + head + match.group(1) + "".join(added) + xml[match.end(1) :]
            )
            self.xml = xml
        self.pkg.put(self.part, xml)


# -- tabs and the To fix sheet ------------------------------------------------------------------


def _deselect_tabs(pkg: XlsxPackage) -> None:
    """No sheet stays selected: two selected tabs would group them (edits go to both)."""
    for entry in pkg.sheets():
        if entry.part is not None and entry.part.endswith(".xml"):
            raw = pkg.raw(entry.part)
            if b'tabSelected="1"' in raw or b'tabSelected="true"' in raw:
                xml = pkg.text(entry.part)
                for selected in (' tabSelected="1"', ' tabSelected="true"'):
                    xml = xml.replace(selected, "")
                pkg.put(entry.part, xml)


def _workbook_prefixes(xml: str) -> tuple[str, str]:
    """The prefixes of the main and relationships namespaces in the workbook part."""
    main = re.search(r"<(\w+:)?sheets\b", xml)
    rel = re.search(r'xmlns:(\w+)="' + re.escape(REL_NS) + '"', xml)
    if main is None or rel is None:
        raise PackageError("the workbook part has no sheets")
    return main.group(1) or "", rel.group(1)


def _remove_old_to_fix(pkg: XlsxPackage) -> dict[str, list[tuple[str, str]]]:
    """Take out the To fix sheet of an earlier return; returns the cells it had marked, with
    their own fills, by sheet."""
    entries = pkg.sheets()
    old = [i for i, e in enumerate(entries) if e.name in TO_FIX_NAMES]
    if not old:
        return {}
    index = old[0]
    entry = entries[index]
    restore: dict[str, list[tuple[str, str]]] = {}
    if entry.part is not None:
        for value in _column_texts(pkg.text(entry.part), "Z"):
            try:
                sheet, cell, fill = json.loads(value)
                restore.setdefault(str(sheet), []).append((str(cell), str(fill)))
            except (ValueError, TypeError):
                continue
        pkg.remove(entry.part)
        pkg.remove(pkg.rels_part(entry.part))
        pkg.remove_override(entry.part)
    pkg.remove_relationship(pkg.workbook, entry.rel_id)
    xml = pkg.text(pkg.workbook)
    p, _ = _workbook_prefixes(xml)
    xml = re.sub(
        rf'<{re.escape(p)}sheet\b[^>]*\bname="{re.escape(xml_attr(entry.name))}"[^>]*/>',
        "",
        xml,
        count=1,
    )
    xml = _shift_local_names(xml, lambda i: None if i == index else i - (i > index))
    pkg.put(pkg.workbook, xml)
    return restore


def _unprefixed(xml: str) -> str:
    return re.sub(r"<(/?)\w+:", r"<\1", re.sub(r">\s+<", "><", xml.strip()))


def _column_texts(xml: str, column: str) -> list[str]:
    root = ElementTree.fromstring(xml.encode("utf-8"))
    found = []
    for cell in root.iter(f"{{{MAIN_NS}}}c"):
        if re.fullmatch(column + r"\d+", cell.get("r", "")):
            found.append("".join(t.text or "" for t in cell.iter(f"{{{MAIN_NS}}}t")))
    return found


def _shift_local_names(xml: str, move: Any) -> str:
    """Defined names local to a sheet follow it when sheets are inserted or removed."""

    def shift(match: re.Match[str]) -> str:
        new = move(int(match.group(2)))
        return "" if new is None else f"{match.group(1)}{new}{match.group(3)}"

    xml = re.sub(
        r'(<(?:\w+:)?definedName\b[^>]*\blocalSheetId=")(\d+)("[^>]*>.*?</(?:\w+:)?definedName>)',
        lambda m: m.group(0) if move(int(m.group(2))) is not None else "",
        xml,
        flags=re.S,
    )
    return re.sub(r'(\blocalSheetId=")(\d+)(")', shift, xml)


def _add_to_fix(
    pkg: XlsxPackage, styles: _Styles, sheet: ToFixSheet, marked: list[list[Any]]
) -> None:
    part = pkg.free_name("xl/worksheets/sheet{}.xml")
    pkg.put(part, _to_fix_xml(sheet, styles, marked))
    pkg.add_override(part, WORKSHEET_CONTENT)
    rel_id = pkg.add_relationship(pkg.workbook, WORKSHEET_TYPE, part)
    xml = pkg.text(pkg.workbook)
    p, r = _workbook_prefixes(xml)
    sheet_id = max((e.sheet_id for e in pkg.sheets()), default=0) + 1
    opening = re.search(rf"<{re.escape(p)}sheets\b[^>]*>", xml)
    assert opening is not None  # _workbook_prefixes found it
    element = f'<{p}sheet name="{xml_attr(sheet.name)}" sheetId="{sheet_id}" {r}:id="{rel_id}"/>'
    xml = xml[: opening.end()] + element + xml[opening.end() :]
    xml = _shift_local_names(xml, lambda i: i + 1)
    # The To fix sheet is the one the workbook opens on (the first tab, the default).
    xml = re.sub(
        r"<(?:\w+:)?workbookView\b[^>]*>",
        lambda m: re.sub(r'\s(?:activeTab|firstSheet)="\d+"', "", m.group(0)),
        xml,
    )
    pkg.put(pkg.workbook, xml)


def _to_fix_xml(sheet: ToFixSheet, styles: _Styles, marked: list[list[Any]]) -> str:
    text, head, link = (
        styles.plain("plain"),
        styles.plain("bold", _HEADER_FILL),
        styles.plain("link"),
    )
    rows: dict[int, list[str]] = {}  # row number -> its cells
    heights: dict[int, int] = {}
    hyperlinks: list[str] = []
    for i, line in enumerate(sheet.title, start=1):
        style = styles.plain("title" if i == 1 else "bold", wrap=False)
        rows[i] = [_cell(f"A{i}", line, style)]
    header_row = len(sheet.title) + 2
    rows[header_row] = [
        _cell(f"{column_letters(c)}{header_row}", h, head) for c, h in enumerate(sheet.header)
    ]
    for n, (values, target, fill) in enumerate(
        zip(sheet.rows, sheet.links, sheet.fills, strict=True), start=header_row + 1
    ):
        cells = []
        for c, value in enumerate(values):
            ref = f"{column_letters(c)}{n}"
            style = text
            if c == sheet.link_column and target is not None:
                style = link
                hyperlinks.append(
                    f'<hyperlink ref="{ref}" location="{xml_attr(_reference(*target))}" '
                    f'display="{xml_attr(str(value))}"/>'
                )
            elif c == sheet.level_column and fill:
                style = styles.plain("plain", fill)
            cells.append(_cell(ref, value, style))
        rows[n] = cells
        heights[n] = _lines(values, sheet.widths)
    # Column Z (hidden) remembers each mark, so that a later return can take it away again.
    for n, mark in enumerate(marked, start=header_row + 1):
        rows.setdefault(n, []).append(_cell(f"Z{n}", json.dumps(mark, ensure_ascii=False), text))
    body = "".join(
        f'<row r="{n}"'
        + (f' ht="{15 * heights[n]}" customHeight="1"' if heights.get(n, 1) > 1 else "")
        + f">{''.join(cells)}</row>"
        for n, cells in sorted(rows.items())
    )
    cols = "".join(
        f'<col min="{c + 1}" max="{c + 1}" width="{w:g}" customWidth="1"/>'
        for c, w in enumerate(sheet.widths)
    )
    cols += '<col min="26" max="26" width="9" hidden="1" customWidth="1"/>'
    last_row = max(rows)
    links = f"<hyperlinks>{''.join(hyperlinks)}</hyperlinks>" if hyperlinks else ""
    first_link = f"{column_letters(sheet.link_column)}{header_row + 1}"
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
        '<sheetPr><tabColor rgb="FFC00000"/><pageSetUpPr fitToPage="1"/></sheetPr>'
        f'<dimension ref="A1:Z{last_row}"/>'
        '<sheetViews><sheetView tabSelected="1" workbookViewId="0">'
        f'<pane ySplit="{header_row}" topLeftCell="A{header_row + 1}" activePane="bottomLeft" '
        'state="frozen"/>'
        f'<selection pane="bottomLeft" activeCell="{first_link}" sqref="{first_link}"/>'
        "</sheetView></sheetViews>"
        '<sheetFormatPr defaultRowHeight="15"/>'
        f"<cols>{cols}</cols>"
        f"<sheetData>{body}</sheetData>"
        f"{links}"
        '<pageMargins left="0.4" right="0.4" top="0.5" bottom="0.5" header="0.3" footer="0.3"/>'
        '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
        "</worksheet>"
    )


def _cell(ref: str, value: Any, style: int) -> str:
    if value is None or value == "":
        return f'<c r="{ref}" s="{style}"/>'
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return f'<c r="{ref}" s="{style}"><v>{value!r}</v></c>'
    body = xml_text(str(value)[:32_000])  # a cell holds at most 32,767 characters
    return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">{body}</t></is></c>'


def _lines(values: Sequence[Any], widths: Sequence[float]) -> int:
    """How many lines the row's wrapped text takes (at most 12)."""
    needed = [
        math.ceil(display_width(v) / max(1.0, w - 1)) + v.count("\n")
        for v, w in zip(values, widths, strict=False)
        if isinstance(v, str)
    ]
    return min(12, max([1, *needed]))


def _reference(sheet: str, cell: str) -> str:
    """`'日报 Daily'!B13`: a sheet name quoted as Excel quotes it."""
    return "'" + sheet.replace("'", "''") + "'!" + cell
