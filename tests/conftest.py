"""Shared test helpers: workbooks built from the form descriptions, and issue look-ups."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from salesxl.core.issues import Issue
from salesxl.core.periods import Month
from salesxl.forms import DAILY_REPORT
from salesxl.intake.files import load_form
from salesxl.validate import FormData, ValidationContext
from tests.make_files import write_openpyxl

# Property tests check what is computed, never how fast: hypothesis's per-example deadline
# (200 ms) is a wall-clock assertion, and these machines are shared and often loaded.
settings.register_profile("salesxl", deadline=None)
settings.load_profile("salesxl")

TODAY = dt.date(2026, 11, 24)
NOVEMBER = Month(2026, 11)
DAILY_FIELDS = [f.key for f in DAILY_REPORT.main_table.fields]  # A..O in the template's order
FILES = Path(__file__).parent / "files"

# The header block of a daily report as people write it: label, value, label, value.
DAILY_HEADER = [
    ["销售日报 2026年11月"],
    ["销售员", "张伟", "工号", "S001"],
    ["月份", "2026-11", "区域", "华东"],
    [],
]
DAILY_HEADER_ROW = len(DAILY_HEADER) + 1  # Excel row of the table's labels (5)
FIRST_ROW = DAILY_HEADER_ROW + 1  # Excel row of the first record (6)

GOOD_ROW: dict[str, Any] = {
    "date": "2026-11-03",
    "customer": "华联超市",
    "contact": "李经理",
    "phone": "13812345678",
    "source": "拜访",
    "grade": "B",
    "stage": "7",
    "product": "净水器X1",
    "qty": 2,
    "price": 1500,
    "amount": 3000,
    "deposit": 500,
    "objection": "价格",
    "next_followup": "2026-11-06",
    "notes": "",
}


_FULL_WIDTH = {
    ord(c): ord(c) + 0xFEE0
    for c in "0123456789,.-%ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
}


def full_width(text: str) -> str:
    """ASCII letters, digits and punctuation as their full-width forms (ＡＢＣ１２３，．)."""
    return text.translate(_FULL_WIDTH)


def letter(key: str) -> str:
    """Column letter of a daily field in the standard layout (date -> A)."""
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[DAILY_FIELDS.index(key)]


def daily_labels(style: str = "zh") -> list[str]:
    fields = DAILY_REPORT.main_table.fields
    return [
        {"zh": f.zh, "en": f.en, "both": f"{f.zh} {f.en}", "lines": f"{f.zh}\n{f.en}"}[style]
        for f in fields
    ]


def daily_grid(
    rows: Sequence[Mapping[str, Any]],
    *,
    header: Sequence[Sequence[Any]] = DAILY_HEADER,
    labels: Sequence[str] | None = None,
    fields: Sequence[str] = DAILY_FIELDS,
) -> list[list[Any]]:
    """A daily report sheet: header block, label row, one row per record (missing keys blank)."""
    labels = list(labels) if labels is not None else daily_labels()
    body = [[row.get(key) for key in fields] for row in rows]
    return [list(r) for r in header] + [labels] + body


def write_xlsx(
    path: Path,
    sheets: Mapping[str, Sequence[Sequence[Any]]],
    *,
    merges: Mapping[str, Sequence[str]] | None = None,
    hidden: Sequence[str] = (),
) -> Path:
    """A workbook written by openpyxl; text starting with `=` becomes a formula (never computed)."""
    write_openpyxl(path, sheets, merges=merges, hidden=hidden)
    return path


def write_daily(path: Path, rows: Sequence[Mapping[str, Any]], **kwargs: Any) -> Path:
    return write_xlsx(path, {"日报": daily_grid(rows, **kwargs)})


def read(path: Path, **ctx: Any) -> FormData:
    return load_form(path, ValidationContext(**{"today": TODAY, **ctx}))


def issues_of(data: FormData | Sequence[Issue], code: str | None = None) -> list[Issue]:
    issues = data.issues if isinstance(data, FormData) else list(data)
    return [i for i in issues if code is None or i.code == code]


def places(data: FormData | Sequence[Issue]) -> list[tuple[str, str | None]]:
    """(code, cell) of every issue, in order: the compact way to assert what was found."""
    return [(i.code.value, i.cell) for i in issues_of(data)]


RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode"
  oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode"
  oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


@pytest.fixture
def soffice(tmp_path: Path) -> Any:
    """Run LibreOffice headless with a throwaway profile; skips when it is not installed."""
    import subprocess

    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        pytest.skip("LibreOffice (soffice) is not installed: the real-spreadsheet check needs it")
    profile = tmp_path / "lo-profile"
    # Recalculate every formula on load (LibreOffice keeps cached xlsx values by default),
    # so comparing its values with ours means something.
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALC_ALWAYS, encoding="utf-8")

    def convert(source: Path, fmt: str, outdir: Path) -> Path:
        outdir.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                exe,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                fmt,
                "--outdir",
                str(outdir),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        produced = outdir / f"{source.stem}.{fmt.split(':')[0]}"
        assert produced.exists(), f"LibreOffice did not write {produced}"
        return produced

    return convert
