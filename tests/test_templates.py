"""Templates: written from the descriptions, checked in, protected, validated, recalculable."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from defusedxml import ElementTree
from python_calamine import CalamineWorkbook

from salesxl.cli import main
from salesxl.core.periods import Month
from salesxl.forms import DAILY_REPORT, FORMS
from salesxl.intake.files import load_form
from salesxl.read.formulas import sheet_parts
from salesxl.validate import ValidationContext
from salesxl.write.templates import build_templates, write_form
from tests.lo import convert, needs_soffice

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _column_styles(path: Path) -> dict[str, dict[int, tuple[float, bool]]]:
    """Sheet -> 1-based column -> (width, locked), from the <cols> of the sheet XML."""
    with zipfile.ZipFile(path) as z:
        styles = ElementTree.fromstring(z.read("xl/styles.xml"))
        xfs = styles.find(f"{_NS}cellXfs")
        locked = [
            xf.find(f"{_NS}protection") is None or xf.find(f"{_NS}protection").get("locked") != "0"
            for xf in xfs
        ]
        out = {}
        for sheet, part in sheet_parts(z).items():
            cols = {}
            for col in ElementTree.fromstring(z.read(part)).iter(f"{_NS}col"):
                for c in range(int(col.get("min")), int(col.get("max")) + 1):
                    cols[c] = (float(col.get("width")), locked[int(col.get("style", 0))])
            out[sheet] = cols
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("templates")
    build_templates(folder)
    return folder


def test_checked_in_templates_match_the_descriptions(built):
    """Fails when a form description changed and templates/ was not rebuilt
    (run `salesxl templates build -o templates/`)."""
    assert sorted(p.name for p in TEMPLATES.glob("*.xlsx")) == sorted(
        f.filename for f in FORMS.values()
    )
    for form in FORMS.values():
        ours, theirs = (
            zipfile.ZipFile(TEMPLATES / form.filename),
            zipfile.ZipFile(built / form.filename),
        )
        assert ours.namelist() == theirs.namelist(), form.filename
        for name in ours.namelist():
            assert ours.read(name) == theirs.read(name), f"{form.filename}: {name} drifted"


@pytest.mark.parametrize("form_id", sorted(FORMS))
def test_structure(built, form_id):
    form = FORMS[form_id]
    wb = openpyxl.load_workbook(built / form.filename)
    columns = _column_styles(built / form.filename)
    names = wb.sheetnames
    assert "说明 Instructions" in names and "_lists" in names and "_form" in names
    assert wb["_form"].sheet_state == "hidden" and wb["_lists"].sheet_state == "hidden"
    assert wb["_form"]["B1"].value == form.id and wb["_form"]["B2"].value == form.version
    assert "_salesxl_form" in wb.defined_names
    for table in form.tables:
        ws = wb[table.sheet_name]
        assert ws.protection.sheet and not ws.protection.password
        header_row = next(
            r
            for r in range(1, 12)
            if ws.cell(r, 1).value and str(ws.cell(r, 1).value).startswith(table.fields[0].zh)
        )
        head = ws.cell(header_row, 1)
        assert head.font.b and "\n" in head.value and head.value.endswith(table.fields[0].en)
        assert ws.freeze_panes == f"A{header_row + 1}"
        for c, field in enumerate(table.fields, start=1):
            assert f"{table.key}_{field.key}" in wb.defined_names
            # Input columns carry an unlocked style (empty cells take their column's style);
            # computed columns stay locked.
            width, locked = columns[table.sheet_name][c]
            assert width >= 10
            assert locked is (field.formula is not None), field.key
        kinds = {dv.type for dv in ws.data_validations.dataValidation}
        if any(f.choices for f in table.fields):
            assert "list" in kinds
            lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
            assert all(dv.formula1.startswith("_lists!") for dv in lists)
        if any(f.type.value == "date" for f in table.fields):
            assert "date" in kinds
        prompts = [dv.prompt for dv in ws.data_validations.dataValidation if dv.prompt]
        assert prompts and all("/" in p or "；" in p or p for p in prompts)


def test_daily_template_details(built):
    wb = openpyxl.load_workbook(built / "daily_report.xlsx")
    ws = wb["日报 Daily"]
    assert ws["A2"].value == "销售员* Rep" and ws["B2"].protection.locked is False
    assert ws["A9"].value == "日期*\nDate"
    stage = next(dv for dv in ws.data_validations.dataValidation if "G10" in str(dv.sqref))
    assert stage.type == "list" and "必填" not in stage.prompt and "7 成交" in stage.prompt
    lists = wb["_lists"]
    stages = [c.value for c in lists["C"]]
    assert "7 成交" in stages and "0 流失" in stages
    assert wb.defined_names["daily_amount"].attr_text == "'日报 Daily'!$K$10:$K$1009"
    instructions = [c.value for c in wb["说明 Instructions"]["A"] if c.value]
    assert any("09:00" in line for line in instructions)


def test_english_templates(tmp_path):
    result = CliRunner().invoke(main, ["templates", "build", "-o", str(tmp_path), "--lang", "en"])
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(tmp_path / "daily_report.xlsx")
    assert wb.sheetnames[:2] == ["Daily", "Day close"]
    assert wb["Daily"]["A9"].value == "Date*"
    assert load_form(tmp_path / "daily_report.xlsx").form_id == "daily_report"


def test_round_trip_template_filled_by_openpyxl(tmp_path):
    """A rep fills the template (here: openpyxl, like a script would) and salesxl reads it back."""
    path = tmp_path / "daily.xlsx"
    write_form(path, DAILY_REPORT)
    wb = openpyxl.load_workbook(path)
    ws = wb["日报 Daily"]
    for cell, value in {"B2": "张伟", "B3": "S001", "B6": "2026-11", "B7": 50000}.items():
        ws[cell] = value
    rows = [
        [
            dt.datetime(2026, 11, 3),
            "恒瑞药房",
            "王经理",
            "13812345678",
            "来访",
            "A 热",
            "7 成交",
            "阿莫西林",
            10,
            18.5,
            185,
            50,
            None,
            None,
            "首单",
        ],
        [
            dt.datetime(2026, 11, 4),
            "天河诊所",
            None,
            None,
            "电话",
            "B 温",
            "3 制定计划",
            None,
            None,
            None,
            None,
            None,
            "价格",
            dt.datetime(2026, 11, 6),
            None,
        ],
    ]
    for r, values in enumerate(rows, start=10):
        for c, value in enumerate(values, start=1):
            ws.cell(r, c, value)
    wb["日清 Day close"]["A4"] = dt.datetime(2026, 11, 3)
    wb["日清 Day close"]["C4"] = 800
    wb.save(path)
    data = load_form(path, ValidationContext(today=dt.date(2026, 11, 24)))
    assert data.header == {
        "rep_name": "张伟",
        "rep_id": "S001",
        "month": Month(2026, 11),
        "month_target": 50000,
    }
    first, second = data.records("daily")
    assert (first["customer"], first["grade"], first["stage"], first["amount"]) == (
        "恒瑞药房",
        "A",
        "7",
        185,
    )
    assert (second["source"], second["objection"], second["next_followup"]) == (
        "phone",
        "price",
        dt.date(2026, 11, 6),
    )
    (close,) = data.records("day_close")
    assert close["forecast"] == 800 and close["sales"] is None
    # openpyxl keeps formulas but drops their values: reported at the cells, never read as 0.
    uncached = {(i.sheet, i.cell) for i in data.issues if i.code.value == "formula_without_value"}
    assert ("日清 Day close", "B4") in uncached and ("日报 Daily", "E3:E6") in uncached
    assert not [i for i in data.issues if i.is_error]


@needs_soffice
def test_libreoffice_opens_and_recalculates_every_template(built, tmp_path):
    for form in FORMS.values():
        again = convert(built / form.filename, "xlsx", tmp_path / form.id)
        ours = CalamineWorkbook.from_path(str(built / form.filename))
        theirs = CalamineWorkbook.from_path(str(again))
        assert [n for n in theirs.sheet_names if not n.startswith("_")] == [
            n for n in ours.sheet_names if not n.startswith("_")
        ]
        first = ours.sheet_names[0]
        assert (
            theirs.get_sheet_by_name(first).to_python()[:12]
            == ours.get_sheet_by_name(first).to_python()[:12]
        )


@needs_soffice
def test_libreoffice_recalculates_the_progress_block(tmp_path):
    path = tmp_path / "daily.xlsx"
    rows = [
        {"date": dt.date(2026, 11, 3), "customer": "甲", "stage": "7", "amount": 3000.0},
        {"date": dt.date(2026, 11, 4), "customer": "乙", "stage": "7", "amount": 2000.0},
    ]
    write_form(
        path,
        DAILY_REPORT,
        header={
            "rep_name": "张伟",
            "rep_id": "S001",
            "month": Month(2026, 11),
            "month_target": 10000,
        },
        rows={"daily": rows, "day_close": [{"date": dt.date(2026, 11, 3)}]},
    )
    cached = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("日报 Daily").to_python()
    again = convert(path, "xlsx", tmp_path / "lo")
    recalc = CalamineWorkbook.from_path(str(again)).get_sheet_by_name("日报 Daily").to_python()
    assert [cached[r][4] for r in (2, 3, 4)] == [5000.0, 10000.0, 0.5]
    assert [recalc[r][4] for r in (2, 3, 4)] == [5000.0, 10000.0, 0.5]
    day_close = CalamineWorkbook.from_path(str(again)).get_sheet_by_name("日清 Day close")
    assert day_close.to_python()[3][1] == 3000.0
