"""Hostile and freak files, built at test time (and by benchmarks/bench_hostile.py).

Each `Hostile` writes one file into a folder: most start from a good daily
report and change its XML the way an attacker or an unlucky program would
(a cell at XFD1048576, a dimension that lies, a million `<f>` tokens, merged
ranges 10,000 columns wide, zip bombs with honest and lying sizes, a DTD in
any part, shared-string indices the table does not have, NaN and 9e307
amounts, names that are not UTF-8, CSV of nothing but line breaks).  `codes`
is what reading it must report (an issue on that file and nothing worse);
`reads` marks the freak files that are fine and must read as the good
report they are.  The good reports beside them have amounts worked out by
hand in `GOOD`.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import struct
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.conftest import daily_grid
from tests.make_files import write_xlsxwriter

SHEET = "xl/worksheets/sheet1.xml"  # the 日报 sheet of a report
DTD_PORT = 9  # the port an external entity points at (a test listens there to see no one calls)

# The good reports: rep, name, and the closed deals' amounts.  Their sums, by hand:
#   S001: 3,000 + 4,500 = 7,500;  S002: 12,000;  S003: 1,200 + 800 + 2,000 = 4,000.
GOOD: dict[str, tuple[str, tuple[float, ...]]] = {
    "S001": ("张伟", (3000.0, 4500.0)),
    "S002": ("李娜", (12000.0,)),
    "S003": ("王芳", (1200.0, 800.0, 2000.0)),
}


def report(path: Path, rep: str, name: str, amounts: tuple[float, ...] = (3000.0,)) -> Path:
    """A daily report of November 2026 with one closed deal per amount (qty 1 × price)."""
    header = [
        ["销售日报 2026年11月"],
        ["销售员", name, "工号", rep],
        ["月份", "2026-11", "区域", "华东"],
        [],
    ]
    rows = [
        {
            "date": dt.date(2026, 11, 3 + i),
            "customer": f"客户{i + 1}",
            "contact": "李经理",
            "phone": "13812345678",
            "source": "拜访",
            "grade": "A",
            "stage": "7",
            "product": "净水器X1",
            "qty": 1,
            "price": amount,
            "amount": amount,
            "deposit": 0,
            "next_followup": "2026-11-20",
        }
        for i, amount in enumerate(amounts)
    ]
    # as Excel writes it: shared strings, an XML declaration, real numbers and dates
    write_xlsxwriter(path, {"日报": daily_grid(rows, header=header)})
    return path


def rezip(path: Path, changes: Mapping[str, bytes | Callable[[bytes], bytes] | None]) -> Path:
    """Rewrite parts of a package (a function of the old bytes, new bytes, or None to drop);
    sizes and CRCs stay honest."""
    with zipfile.ZipFile(path) as old:
        parts = {info.filename: old.read(info) for info in old.infolist()}
    for name, change in changes.items():
        if change is None:
            parts.pop(name, None)
        elif callable(change):
            parts[name] = change(parts[name])
        else:
            parts[name] = change
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in parts.items():
            new.writestr(name, data)
    return path


def _before_sheet_end(extra: bytes) -> Callable[[bytes], bytes]:
    return lambda xml: xml.replace(b"</sheetData>", extra + b"</sheetData>", 1)


def _sub(pattern: bytes, replacement: bytes, count: int = 1) -> Callable[[bytes], bytes]:
    def change(xml: bytes) -> bytes:
        new, n = re.subn(pattern, replacement, xml, count=count)
        assert n, f"{pattern!r} not found"
        return new

    return change


@dataclass(frozen=True, slots=True)
class Hostile:
    name: str
    build: Callable[[Path], Path]  # writes the file into a folder; returns its path
    codes: frozenset[str] | None  # what reading it reports; None: anything, within bounds
    reads: bool = False  # a freak file that is fine: it must read as the report it is


def _on_report(rep: str, changes: Mapping[str, Any]) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        path = report(folder / f"{rep}_hostile.xlsx", rep, f"rep {rep}")
        return rezip(path, changes)

    return build


def _far_cell(ref: bytes) -> Mapping[str, Any]:
    row = re.sub(rb"[A-Z]", b"", ref)
    return {
        SHEET: _before_sheet_end(b'<row r="' + row + b'"><c r="' + ref + b'"><v>1</v></c></row>')
    }


def _merges(folder: Path) -> Path:
    """2,000 rows of text, each merged across 10,000 columns (A:NTP): filling them would
    write 20 million cells."""
    path = report(folder / "S105_merges.xlsx", "S105", "rep S105")
    rows = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>' % (r, r)
        for r in range(100, 2100)
    )
    merges = b"".join(b'<mergeCell ref="A%d:NTP%d"/>' % (r, r) for r in range(100, 2100))

    def change(xml: bytes) -> bytes:
        xml = xml.replace(b"</sheetData>", rows + b"</sheetData>", 1)
        return xml.replace(
            b"</sheetData>", b'</sheetData><mergeCells count="2000">' + merges + b"</mergeCells>", 1
        )

    return rezip(path, {SHEET: change})


def _honest_bomb(folder: Path) -> Path:
    """A part that says, truthfully, it unpacks to 210 MB (of one repeated byte)."""
    path = report(folder / "S106_honest_bomb.xlsx", "S106", "rep S106")
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z,
        z.open("xl/media/pad.bin", "w") as f,
    ):
        chunk = b"\0" * (1 << 20)
        for _ in range(210):
            f.write(chunk)
    return path


def _ratio_bomb(folder: Path) -> Path:
    """A sheet padded with 30 MB of spaces: it packs to a few kilobytes."""
    path = report(folder / "S107_ratio_bomb.xlsx", "S107", "rep S107")
    return rezip(path, {SHEET: _before_sheet_end(b" " * (30 << 20))})


def _lying_bomb(folder: Path) -> Path:
    """A sheet whose entries say 200 bytes although it inflates to 50 MB."""
    path = report(folder / "S108_lying_bomb.xlsx", "S108", "rep S108")
    rezip(path, {SHEET: _before_sheet_end(b" " * (50 << 20))})
    lie_about_size(path, SHEET, 200)
    return path


def lie_about_size(path: Path, part: str, size: int) -> None:
    """Make the local header and the directory entry of `part` state `size` bytes unpacked."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = z.getinfo(part)
    struct.pack_into("<I", data, info.header_offset + 22, size)
    name = part.encode()
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) >= 0:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46 : at + 46 + length]) == name:
            struct.pack_into("<I", data, at + 24, size)
        at += 4
    path.write_bytes(bytes(data))


def _with_dtd(part: str, laughs: bool) -> Callable[[Path], Path]:
    stem = re.sub(r"\W", "_", part)

    def build(folder: Path) -> Path:
        name = f"S200_dtd_{'laughs' if laughs else 'xxe'}_{stem}.xlsx"
        path = report(folder / name, "S200", "rep S200")
        if laughs:  # a billion laughs: ten levels of ten
            entities = '<!ENTITY lol0 "lol">' + "".join(
                f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
            )
        else:
            entities = f'<!ENTITY xxe SYSTEM "http://127.0.0.1:{DTD_PORT}/{stem}">'
        dtd = f"<!DOCTYPE x [{entities}]>".encode()

        def change(xml: bytes) -> bytes:
            end = xml.find(b"?>") + 2 if xml.startswith(b"<?xml") else 0
            return xml[:end] + dtd + xml[end:]

        return rezip(path, {part: change})

    return build


def _many_parts(folder: Path) -> Path:
    path = report(folder / "S109_many_parts.xlsx", "S109", "rep S109")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_STORED) as z:
        for i in range(25_000):
            z.writestr(f"x/{i}", b"")
    return path


def _csv(name: str, data: bytes) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    return build


def _mixed_encoding_csv() -> bytes:
    lines = [
        "日期,工号,客户名称,产品,金额",
        "2026-11-03,S001,华联超市,净水器X1,3000",
        "2026-11-04,S001,东方贸易,净水器X1,4500",
    ]
    text = "\n".join(lines).encode("utf-8") + b"\n"
    return text + "2026-11-05,S001,西湖商贸,净水器X1,1200\n".encode("gbk")


def _named(raw: bytes, rep: str, amounts: tuple[float, ...] = (1000.0,)) -> Callable[[Path], Path]:
    """A good report under a file name given as bytes (a GBK name unzipped on Linux)."""

    def build(folder: Path) -> Path:
        return report(folder / os.fsdecode(raw), rep, f"rep {rep}", amounts)

    return build


TOO_LARGE = frozenset({"too_large"})
UNREADABLE = frozenset({"unreadable"})
OUT_OF_RANGE = frozenset({"out_of_range"})

_PARTS = (
    "[Content_Types].xml",
    "_rels/.rels",
    "docProps/app.xml",
    "docProps/core.xml",
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "xl/styles.xml",
    "xl/theme/theme1.xml",
    "xl/sharedStrings.xml",
    SHEET,
)

HOSTILE: tuple[Hostile, ...] = (
    Hostile("far_xfd", _on_report("S101", _far_cell(b"XFD1048576")), TOO_LARGE),
    Hostile("far_cv", _on_report("S102", _far_cell(b"CV1048576")), TOO_LARGE),
    Hostile("far_kz", _on_report("S103", _far_cell(b"KZ1048576")), TOO_LARGE),
    Hostile(
        "far_behind_small_dimension",
        _on_report(
            "S104",
            {
                SHEET: lambda xml: _far_cell(b"XFD1048576")[SHEET](
                    re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:B2"', xml)
                )
            },
        ),
        TOO_LARGE,
    ),
    Hostile(
        "far_without_references",
        _on_report(
            "S110",
            {SHEET: _before_sheet_end(b'<row r="100">' + b"<c><v>1</v></c>" * 100_000 + b"</row>")},
        ),
        TOO_LARGE,
    ),
    Hostile(
        "far_prefixed_cell",
        _on_report(
            "S111",
            {
                SHEET: _before_sheet_end(
                    b'<row r="2000000"><x:c xmlns:x="u" r="XFD2000000"><x:v>1</x:v></x:c></row>'
                )
            },
        ),
        TOO_LARGE,
    ),
    Hostile(
        "far_hidden_by_a_comment",
        _on_report(
            "S112",
            {
                SHEET: _before_sheet_end(
                    b'<row r="1048576"><c r="XFD1048576"><!-- </c> --><v>1</v></c></row>'
                )
            },
        ),
        TOO_LARGE,
    ),
    Hostile(
        "dimension_too_small",
        _on_report("S113", {SHEET: _sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:B2"')}),
        None,
        reads=True,
    ),
    Hostile(
        "dimension_too_large",
        _on_report(
            "S114", {SHEET: _sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"')}
        ),
        None,
        reads=True,
    ),
    Hostile(
        "quadratic_formula_bait",
        _on_report(
            "S115", {SHEET: _sub(rb"<sheetData>", b"<sheetData><!--" + b"<f>" * 1_000_000 + b"-->")}
        ),
        None,
        reads=True,
    ),
    Hostile("merge_amplification", _merges, TOO_LARGE),
    Hostile(
        "merge_count",
        _on_report(
            "S116",
            {
                SHEET: lambda xml: xml.replace(
                    b"</sheetData>",
                    b"</sheetData><mergeCells>"
                    + b"".join(b'<mergeCell ref="P%d:Q%d"/>' % (r, r) for r in range(1, 250_001))
                    + b"</mergeCells>",
                    1,
                )
            },
        ),
        TOO_LARGE,
    ),
    Hostile("zip_bomb_honest", _honest_bomb, TOO_LARGE),
    Hostile("zip_bomb_ratio", _ratio_bomb, TOO_LARGE),
    Hostile("zip_bomb_lying", _lying_bomb, UNREADABLE),
    Hostile("zip_many_parts", _many_parts, TOO_LARGE),
    *(Hostile(f"dtd_xxe_{part}", _with_dtd(part, False), UNREADABLE) for part in _PARTS),
    *(Hostile(f"dtd_laughs_{part}", _with_dtd(part, True), UNREADABLE) for part in _PARTS),
    *(
        Hostile(
            f"string_index_{label}",
            _on_report(
                f"S12{i}", {SHEET: _sub(rb't="s"><v>\d+</v>', b't="s"><v>' + value + b"</v>")}
            ),
            UNREADABLE,
        )
        for i, (label, value) in enumerate(
            [
                ("negative", b"-1"),
                ("beyond", b"99999"),
                ("fraction", b"1.5"),
                ("huge", b"99999999999999999999"),
            ]
        )
    ),
    Hostile(
        "amount_nan",
        _on_report("S130", {SHEET: _sub(rb'(<c r="K6"[^>]*>)<v>[^<]*</v>', rb"\1<v>NaN</v>")}),
        OUT_OF_RANGE,
    ),
    Hostile(
        "amount_infinite",
        _on_report("S131", {SHEET: _sub(rb'(<c r="K6"[^>]*>)<v>[^<]*</v>', rb"\1<v>1e400</v>")}),
        OUT_OF_RANGE,
    ),
    Hostile(
        "amount_9e307",
        _on_report("S132", {SHEET: _sub(rb'(<c r="K6"[^>]*>)<v>[^<]*</v>', rb"\1<v>9e307</v>")}),
        OUT_OF_RANGE,
    ),
    Hostile("csv_line_breaks", _csv("S140_breaks.csv", b"\n" * 2_000_000), TOO_LARGE),
    Hostile("csv_commas", _csv("S141_commas.csv", b"a\n" + b"," * 21_000_000), TOO_LARGE),
    Hostile("csv_mixed_encoding", _csv("S142_mixed.csv", _mixed_encoding_csv()), None),
    Hostile(
        "name_not_utf8",
        _named(b"S150_\xd5\xc5\xce\xb0_\xc8\xd5\xb1\xa8.xlsx", "S150", (1000.0,)),
        None,
        reads=True,
    ),
    Hostile(
        "name_with_newline", _named(b"S151_forged\nline.xlsx", "S151", (1000.0,)), None, reads=True
    ),
)


def build_all(folder: Path, *, only: frozenset[str] | None = None) -> dict[str, Path]:
    """Every hostile file into `folder`; name -> path."""
    folder.mkdir(parents=True, exist_ok=True)
    return {h.name: h.build(folder) for h in HOSTILE if only is None or h.name in only}


def build_good(folder: Path) -> dict[str, Path]:
    """The good reports of `GOOD`; rep -> path."""
    folder.mkdir(parents=True, exist_ok=True)
    return {
        rep: report(folder / f"{rep}_{name}_日报_2026-11.xlsx", rep, name, amounts)
        for rep, (name, amounts) in GOOD.items()
    }
