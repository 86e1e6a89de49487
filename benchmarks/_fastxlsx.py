"""Daily reports written fast enough for a year of 5,000 reps (60,000 files).

`salesxl.write.templates.write_form` builds the whole template (drop-downs,
protection, instructions, named ranges): about 60 ms a file, an hour for a
year of a large company.  A rep's file as another program saves it needs far
less: the 日报 Daily sheet with its header block and table, the 日清 Day
close sheet and the hidden `_form` sheet, written here as raw SpreadsheetML
(inline strings, dates as serial numbers in a date style), about 3 ms a file.
The labels and choice texts come from the form description, so the one
reader finds and checks these files as it does any rep's.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from salesxl.forms import DAILY_REPORT

__all__ = ["choice_text", "write_daily", "write_table"]

_EPOCH = dt.date(1899, 12, 30).toordinal()
_CHOICES = {
    f.key: {c.code: c.label("zh", with_code=f.choices.show_code) for c in f.choices.choices}
    for table in DAILY_REPORT.tables
    for f in table.fields
    if f.choices is not None
}


def choice_text(field: str, code: str) -> str:
    """What a rep's file shows for a choice code (`7` -> `7 成交`)."""
    return _CHOICES[field][code]


def _col(c: int) -> str:
    letters = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


_COLS = [_col(c) for c in range(64)]


def _cell(ref: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.date):
        return f'<c r="{ref}" s="1"><v>{value.toordinal() - _EPOCH}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def _sheet(rows: Sequence[Sequence[Any]]) -> bytes:
    out = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    ]
    for r, row in enumerate(rows, start=1):
        cells = "".join(_cell(f"{_COLS[c]}{r}", v) for c, v in enumerate(row))
        if cells:
            out.append(f'<row r="{r}">{cells}</row>')
    out.append("</sheetData></worksheet>")
    return "".join(out).encode("utf-8")


_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border/></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs></styleSheet>"
)
_SHEETS = ("日报 Daily", "日清 Day close", "_form")


def _package(names: Sequence[str]) -> dict[str, str]:
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    ws = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    sheets = "".join(
        f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"'
        + (' state="hidden"' if name.startswith("_") else "")
        + "/>"
        for i, name in enumerate(names, start=1)
    )
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{rel}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(names) + 1)
    )
    n = len(names) + 1
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{ws}"/>'
        for i in range(1, n)
    )
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    pkg = "http://schemas.openxmlformats.org/package/2006"
    return {
        "[Content_Types].xml": f'{head}<Types xmlns="{pkg}/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f"{overrides}</Types>",
        "_rels/.rels": f'{head}<Relationships xmlns="{pkg}/relationships"><Relationship Id="rId1" '
        f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'{head}<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>{sheets}'
        "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": f'{head}<Relationships xmlns="{pkg}/relationships">{rels}'
        f'<Relationship Id="rId{n}" Type="{rel}/styles" Target="styles.xml"/></Relationships>',
        "xl/styles.xml": _STYLES,
    }


_PACKAGE = _package(_SHEETS)
_DAILY = DAILY_REPORT.main_table
_CLOSE = next(t for t in DAILY_REPORT.tables if t is not _DAILY)


def _labels(table: Any) -> list[str]:
    return [f"{f.zh}{'*' if f.required else ''}\n{f.en}" for f in table.fields]


def write_daily(
    path: Path,
    header: Mapping[str, Any],
    rows: Sequence[Mapping[str, Any]],
    closes: Sequence[Mapping[str, Any]] = (),
) -> Path:
    """A daily report: `header` (rep_name, rep_id, region, team, month as text), contact
    rows and 日清 rows as field key -> value (choices already as the file shows them)."""
    block = [[f"{DAILY_REPORT.zh} {DAILY_REPORT.en}"]]
    for f in DAILY_REPORT.header:
        block.append([f"{f.zh}{'*' if f.required else ''} {f.en}", header.get(f.key, "")])
    block.append([])
    keys = [f.key for f in _DAILY.fields]
    daily = [*block, _labels(_DAILY), *([r.get(k) for k in keys] for r in rows)]
    close_keys = [f.key for f in _CLOSE.fields]
    close = [
        [f"{DAILY_REPORT.zh} {_CLOSE.zh} {_CLOSE.en}"],
        [],
        _labels(_CLOSE),
        *([r.get(k) for k in close_keys] for r in closes),
    ]
    form = [["form", DAILY_REPORT.id], ["version", str(DAILY_REPORT.version)], ["lang", "zh"]]
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name, text in _PACKAGE.items():
            z.writestr(name, text)
        for i, sheet in enumerate((daily, close, form), start=1):
            z.writestr(f"xl/worksheets/sheet{i}.xml", _sheet(sheet))
    return path


def write_table(path: Path, sheet: str, rows: Sequence[Sequence[Any]]) -> Path:
    """One sheet of rows (an ERP export: labels in the first row)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name, text in _package([sheet]).items():
            z.writestr(name, text)
        z.writestr("xl/worksheets/sheet1.xml", _sheet(rows))
    return path
