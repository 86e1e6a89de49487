"""Validation (salesxl/validate/): every issue code at its exact cell, row, column and
severity, on the template layout and on hand-made sheets; collected lazily, never raised."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import (
    DAILY_HEADER,
    DAILY_HEADER_ROW,
    FILES,
    FIRST_ROW,
    GOOD_ROW,
    NOVEMBER,
    TODAY,
    daily_grid,
    letter,
    places,
    read,
    write_daily,
    write_xlsx,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from salesxl.core.issues import SEVERITY, Code, Severity
from salesxl.core.periods import Month, Week
from salesxl.forms import DAILY_REPORT, SALES_RECORDS, FieldType
from salesxl.intake.files import load_form
from salesxl.read import locate
from salesxl.read.formulas import column_letters
from salesxl.read.locate import TableLayout
from salesxl.read.values import cell_parser, matcher_for, parse_date, parse_number
from salesxl.read.workbook import Book, Grid, Limits
from salesxl.validate import ValidationContext, check_layout
from salesxl.validate.form import _header_parser
from salesxl.validate.rows import (
    _SLOW,
    TableChecker,
    _fast_path,
    _labels_and_gaps,
    _mobiles,
    _seen_values,
    _total_label,
    _within,
)
from salesxl.write.templates import write_form
from tests.make_files import DAILY_ZH

DAILY = DAILY_REPORT.main_table


def label(key: str) -> str:
    return DAILY.field(key).bilingual


def row_with(**changes: Any) -> dict[str, Any]:
    return {**GOOD_ROW, **changes}


def test_a_good_report_has_no_issues(tmp_path):
    data = read(write_daily(tmp_path / "good.xlsx", [GOOD_ROW]))
    assert data.issues == []
    assert data.form_id == "daily_report"
    assert data.header == {
        "rep_name": "张伟",
        "rep_id": "S001",
        "month": NOVEMBER,
        "region": "华东",
    }
    assert data.rep_id == "S001" and data.period == NOVEMBER
    (record,) = data.records("daily")
    assert record == {
        "_row": FIRST_ROW,
        "date": dt.date(2026, 11, 3),
        "customer": "华联超市",
        "contact": "李经理",
        "phone": "13812345678",
        "source": "visit",
        "grade": "B",
        "stage": "7",
        "product": "净水器X1",
        "qty": 2,
        "price": 1500,
        "amount": 3000,
        "deposit": 500,
        "objection": "price",
        "next_followup": dt.date(2026, 11, 6),
        "notes": None,
    }


# ----------------------------------------------------------------------------
# One case per cell-level code: (code, the row as written, field whose cell is reported)
# ----------------------------------------------------------------------------

CELL_CASES: list[tuple[str, dict[str, Any], str]] = [
    ("required", row_with(customer=None), "customer"),
    ("required", row_with(date="  "), "date"),
    ("required", row_with(stage="成交", amount=None, qty=None, deposit=None), "amount"),
    ("bad_type", row_with(qty="两台"), "qty"),
    ("bad_type", row_with(date="下周三"), "date"),
    ("bad_type", row_with(next_followup="2026-11-31"), "next_followup"),
    ("not_in_list", row_with(stage="8"), "stage"),
    ("not_in_list", row_with(grade="D"), "grade"),
    ("not_in_list", row_with(source="微信"), "source"),
    ("out_of_range", row_with(price=-1500, amount=None, stage="5"), "price"),
    ("out_of_range", row_with(date="2026-10-31"), "date"),
    ("amount_mismatch", row_with(amount=2500), "amount"),
    ("deposit_exceeds_amount", row_with(deposit=3500), "deposit"),
    ("followup_before_date", row_with(next_followup="2026-11-02"), "next_followup"),
    ("future_date", row_with(date="2026-11-25", next_followup="2026-11-26"), "date"),
    ("phone_format", row_with(phone="12345"), "phone"),
    (
        "followup_missing",
        row_with(grade="A", stage="3", amount=None, next_followup=None),
        "next_followup",
    ),
    # 定金 is optional: its uncalculated formula is the code's warning (金额 of a 成交 row is
    # required, so there it is an error: see the test below)
    ("formula_without_value", row_with(deposit="=K6/6"), "deposit"),
    ("amount_not_closed", row_with(stage="5"), "amount"),  # a quote on a presentation row
    ("amount_not_closed", row_with(stage=None), "amount"),  # no stage: not counted either
    ("choice_mismatch", row_with(stage="4 成交", amount=None), "stage"),  # read as 4
]


@pytest.mark.parametrize(
    ("code", "row", "key"), CELL_CASES, ids=[f"{c}-{k}" for c, _, k in CELL_CASES]
)
def test_cell_issue_points_at_its_cell(tmp_path, code, row, key):
    data = read(write_daily(tmp_path / "f.xlsx", [row]))
    assert [i.code.value for i in data.issues] == [code], data.issues
    (issue,) = data.issues
    assert issue.sheet == "日报"
    assert issue.cell == f"{letter(key)}{FIRST_ROW}"
    assert issue.row == FIRST_ROW
    assert issue.column == label(key)
    assert issue.severity is SEVERITY[Code(code)]
    assert issue.file.endswith("f.xlsx")
    assert issue.message_zh and issue.message_en
    # the record is kept (nothing lost), with the unreadable value left empty
    (record,) = data.records("daily")
    assert record["_row"] == FIRST_ROW


def test_offending_values_are_reported(tmp_path):
    data = read(write_daily(tmp_path / "f.xlsx", [row_with(qty="两台", stage="8", phone="12345")]))
    assert {i.code.value: i.value for i in data.issues} == {
        "bad_type": "两台",
        "not_in_list": "8",
        "phone_format": "12345",
    }


def test_a_row_with_errors_is_kept_with_its_bad_values_empty(tmp_path):
    data = read(write_daily(tmp_path / "f.xlsx", [row_with(stage="8"), row_with(qty="两台")]))
    records = data.records("daily")
    assert [r["_row"] for r in records] == [FIRST_ROW, FIRST_ROW + 1]
    assert records[0]["stage"] is None and records[1]["qty"] is None
    assert records[1]["customer"] == GOOD_ROW["customer"]


def test_duplicate_row(tmp_path):
    data = read(write_daily(tmp_path / "f.xlsx", [GOOD_ROW, row_with(customer="永辉"), GOOD_ROW]))
    (issue,) = data.issues
    assert (issue.code, issue.severity) == (Code.DUPLICATE_ROW, Severity.WARNING)
    assert (issue.sheet, issue.cell, issue.row) == ("日报", f"A{FIRST_ROW + 2}", FIRST_ROW + 2)
    assert str(FIRST_ROW) in issue.message_en  # names the row it repeats
    assert len(data.records("daily")) == 3  # both copies kept


def test_duplicate_unique_value_in_roster(tmp_path):
    path = write_xlsx(
        tmp_path / "roster.xlsx",
        {
            "花名册": [
                ["工号", "姓名", "区域", "团队"],
                ["S001", "张伟", "华东", "一组"],
                ["S001", "李娜", "华东", "二组"],
            ]
        },
    )
    data = read(path)
    (issue,) = data.issues
    assert (issue.code, issue.severity, issue.cell, issue.row, issue.column) == (
        Code.DUPLICATE_ROW,
        Severity.ERROR,
        "A3",
        3,
        "工号 Rep ID",
    )
    # a real roster with its IDs written every which way (Ｓ００１ and S001 are one ID)
    data = load_form(FILES / "roster_messy.xlsx", ValidationContext(today=TODAY))
    (issue,) = [i for i in data.issues if i.code.value == "duplicate_row"]
    assert issue.severity.value == "error" and issue.cell == "A4" and issue.value == "S001"


def test_extra_column(tmp_path):
    grid = daily_grid([GOOD_ROW])
    grid[DAILY_HEADER_ROW - 1].append("微信 WeChat")
    grid[FIRST_ROW - 1].append("hualian88")
    data = read(write_xlsx(tmp_path / "f.xlsx", {"日报": grid}))
    (issue,) = data.issues
    assert (issue.code, issue.severity, issue.cell, issue.row, issue.column, issue.value) == (
        Code.EXTRA_COLUMN,
        Severity.INFO,
        f"P{DAILY_HEADER_ROW}",
        DAILY_HEADER_ROW,
        "微信 WeChat",
        "微信 WeChat",
    )
    assert data.records("daily")[0]["_extra"] == {"微信 WeChat": "hualian88"}
    assert data.tables["daily"].extras == ["微信 WeChat"]


def test_missing_column(tmp_path):
    fields = [k for k in DAILY.fields if k.key != "customer"]
    keys = [f.key for f in fields]
    grid = daily_grid([GOOD_ROW], labels=[f.zh for f in fields], fields=keys)
    data = read(write_xlsx(tmp_path / "f.xlsx", {"日报": grid}))
    (issue,) = data.issues
    assert (issue.code, issue.severity, issue.sheet, issue.cell, issue.row, issue.column) == (
        Code.MISSING_COLUMN,
        Severity.ERROR,
        "日报",
        None,
        DAILY_HEADER_ROW,
        "客户名称 Customer",
    )
    assert "客户名称" in issue.message_zh
    assert data.records("daily")[0]["customer"] is None


@pytest.mark.parametrize(
    ("header", "cell", "row"),
    [
        # the label is there but its value is empty: the issue points where the value goes
        ([["销售员", "张伟", "工号", None], ["月份", "2026-11"]], "D2", 2),
        # the label is missing altogether: the sheet, no cell
        ([["销售员", "张伟"], ["月份", "2026-11"]], None, None),
    ],
)
def test_missing_header(tmp_path, header, cell, row):
    data = read(write_daily(tmp_path / "f.xlsx", [GOOD_ROW], header=[["日报"], *header, []]))
    (issue,) = data.issues
    assert (issue.code, issue.severity, issue.sheet, issue.cell, issue.row, issue.column) == (
        Code.MISSING_HEADER,
        Severity.ERROR,
        "日报",
        cell,
        row,
        "工号 Rep ID",
    )
    assert data.rep_id is None


def test_bad_header_values(tmp_path):
    header = [
        ["日报"],
        ["销售员", "张伟", "工号", "S001"],
        ["月份", "十一月", "月度目标", "-5"],
        [],
    ]
    data = read(write_daily(tmp_path / "f.xlsx", [GOOD_ROW], header=header))
    assert places(data) == [("bad_type", "B3"), ("out_of_range", "D3")]
    assert [i.column for i in data.issues] == ["月份 Month", "月度目标 Month target"]


def test_unknown_rep(tmp_path):
    data = read(write_daily(tmp_path / "f.xlsx", [GOOD_ROW]), roster_ids=frozenset({"S002"}))
    (issue,) = data.issues
    assert (
        issue.code,
        issue.severity,
        issue.sheet,
        issue.cell,
        issue.row,
        issue.column,
        issue.value,
    ) == (Code.UNKNOWN_REP, Severity.ERROR, "日报", "D2", 2, "工号 Rep ID", "S001")
    assert read(tmp_path / "f.xlsx", roster_ids=frozenset({"S001"})).issues == []


def test_unknown_rep_in_sales_records(tmp_path):
    path = write_xlsx(
        tmp_path / "sales.xlsx",
        {
            "销售记录": [
                ["日期", "工号", "客户名称", "产品", "金额"],
                ["2026-11-03", "S001", "华联", "X1", 100],
                ["2026-11-04", "S009", "永辉", "X1", 200],
            ]
        },
    )
    data = read(path, roster_ids=frozenset({"S001"}))
    assert places(data) == [("unknown_rep", "B3")]
    assert data.issues[0].column == "工号 Rep ID"
    sales = load_form(
        FILES / "sales_utf8.csv", ValidationContext(today=TODAY, roster_ids=frozenset({"S001"}))
    )
    (issue,) = [i for i in sales.issues if i.code.value == "unknown_rep"]
    assert issue.cell == "B3" and issue.value == "S002"


@pytest.mark.parametrize(
    ("period", "wrong"),
    [
        (Month(2026, 12), True),
        (NOVEMBER, False),
        (Week(2026, 48), False),  # a week inside the month
        (Week(2026, 50), True),
    ],
)
def test_wrong_period(tmp_path, period, wrong):
    data = read(write_daily(tmp_path / "f.xlsx", [GOOD_ROW]), period=period)
    if not wrong:
        assert data.issues == []
        return
    (issue,) = data.issues
    assert (issue.code, issue.severity, issue.cell, issue.row, issue.column, issue.value) == (
        Code.WRONG_PERIOD,
        Severity.ERROR,
        "B3",
        3,
        "月份 Month",
        "2026-11",
    )


def test_weekly_plan_period(tmp_path):
    path = write_xlsx(
        tmp_path / "w.xlsx",
        {
            "计划": [
                ["销售员", "张伟", "工号", "S001"],
                ["周", "2026-W48"],
                [],
                ["计划日期", "客户名称", "客户等级", "拜访目的", "预期结果", "预计金额"],
                ["2026-11-24", "华联", "A", "5", "演示", "1万"],
                ["2026-12-01", "永辉", "B", "4", "", ""],
            ]
        },
    )
    data = read(path, period=Week(2026, 48))
    assert data.header["week"] == Week(2026, 48)
    assert places(data) == [("out_of_range", "A6")]  # 12-01 is in the next week
    assert read(path, period=Week(2026, 49)).issues[0].code is Code.WRONG_PERIOD
    assert read(path, period=NOVEMBER).issues[0].code is Code.OUT_OF_RANGE  # W48 is in November


def test_formula_outside_the_table_is_reported_too(tmp_path):
    header = [
        ["日报"],
        ["销售员", "张伟", "工号", "S001"],
        ["月份", "2026-11", "月度目标", "=5*10000"],
        [],
    ]
    data = read(write_daily(tmp_path / "f.xlsx", [GOOD_ROW], header=header))
    assert places(data) == [("formula_without_value", "D3")]
    assert data.issues[0].column == "月度目标 Month target" and "month_target" not in data.header


def test_a_formula_without_value_in_a_required_field_is_an_error(tmp_path):
    """工号 and a row's 日期 written as formulas by a program that does not calculate: the
    file has no rep to count under and the row no day, exactly as if they were blank, so
    each is an error (a warning let a whole report drop out of the summary unnoticed).
    定金 is not required: its formula stays a warning."""
    header = [
        ["日报"],
        ["销售员", "张伟", "工号", '="S"&"001"'],
        ["月份", "2026-11"],
        [],
    ]
    rows = [
        row_with(date="=DATE(2026,11,3)"),  # 6
        row_with(date="2026-11-04", deposit="=K7/6"),  # 7
        row_with(date="2026-11-05"),  # 8
    ]
    data = read(write_daily(tmp_path / "f.xlsx", rows, header=header))
    found = [(i.code.value, i.cell, i.severity.value) for i in data.issues]
    assert found == [
        ("formula_without_value", "D2", "error"),
        ("formula_without_value", "A6", "error"),
        ("formula_without_value", "L7", "warning"),
    ]
    assert data.has_errors and data.rep_id is None
    assert "required" in data.issues[0].message_en and "必填" in data.issues[0].message_zh
    # a run of required cells down the column is one error, worded for the run
    rows = [row_with(customer=f'="客户{d}"', date=f"2026-11-0{d}") for d in (3, 4)]
    data = read(write_daily(tmp_path / "g.xlsx", rows))
    assert [(i.cell, i.severity.value) for i in data.issues] == [("B6:B7", "error")]
    assert "2 of its cells" in data.issues[0].message_en


def test_excel_errors_in_cells_are_said_not_read_as_blank(tmp_path):
    """#N/A pasted from a VLOOKUP, #DIV/0! of a formula, #REF! in the header: python-calamine
    reads each as a blank cell, so a 定金 of #N/A vanished without a word and a closed
    deal's #DIV/0! was "required, fill it in" while the cell is not empty.  Each is an
    error naming what the cell shows; the value is not counted."""
    header = [
        ["日报"],
        ["销售员", "张伟", "工号", "S001"],
        ["月份", "2026-11", "月度目标", "#REF!"],
        [],
    ]
    rows = [
        row_with(date="2026-11-03", deposit="#N/A"),  # 6
        row_with(date="2026-11-04", amount="#DIV/0!"),  # 7: stage 7, a closed deal
        row_with(date="2026-11-05"),  # 8
    ]
    path = write_daily(tmp_path / "f.xlsx", rows, header=header)
    with zipfile.ZipFile(path) as z:  # as Excel stores them: error cells, not text
        assert b't="e"' in z.read("xl/worksheets/sheet1.xml")
    data = read(path)
    found = [(i.code.value, i.cell, i.severity.value, i.value) for i in data.issues]
    assert found == [
        ("cell_error", "D3", "error", "#REF!"),
        ("cell_error", "L6", "error", "#N/A"),
        ("cell_error", "K7", "error", "#DIV/0!"),
    ]
    assert "#DIV/0!" in data.issues[2].message_en and "#DIV/0!" in data.issues[2].message_zh
    assert "month_target" not in data.header
    records = data.records("daily")
    assert [r["deposit"] for r in records] == [None, 500, 500]
    assert [r["amount"] for r in records] == [3000, None, 3000]


def test_a_formula_without_value_in_the_amount_of_a_closed_deal_is_an_error(tmp_path):
    """金额 is required on a 成交 row (stage 7) by the form's cross-field rule: its formula
    without a value (a program that does not calculate, or calculation off) leaves the deal
    without an amount exactly as a blank cell would, so it is an error saying how to fix it,
    never a warning with the deal counted ¥0.  On a row at another stage, and in 定金, the
    value is optional: a warning.  Runs of cells keep the two apart."""
    rows = [
        row_with(amount="=I6*J6"),  # 6: 成交
        row_with(date="2026-11-04", stage="5", amount=None, deposit="=100"),  # 7: 报价
        row_with(date="2026-11-05", amount="=I8*J8"),  # 8: 成交
        row_with(date="2026-11-06", amount="=I9*J9"),  # 9: 成交
        row_with(  # 10: 报价
            date="2026-11-07",
            stage="5",
            amount="=I10*J10",
            deposit=None,
            next_followup="2026-11-10",
        ),
    ]
    data = read(write_daily(tmp_path / "f.xlsx", rows))
    found = [(i.code.value, i.cell, i.severity.value) for i in data.issues]
    assert found == [
        ("formula_without_value", "K6", "error"),
        ("formula_without_value", "L7", "warning"),
        ("formula_without_value", "K8:K9", "error"),
        ("formula_without_value", "K10", "warning"),
    ]
    assert data.has_errors
    one, run = data.issues[0], data.issues[2]
    assert one.message_en.startswith("Amount is required when Stage is '7 成交'")
    assert "formula Excel has not calculated" in one.message_en
    assert "Excel or WPS" in one.message_en and "type the value in" in one.message_en
    assert "not counted as 0" in one.message_en
    assert one.message_zh.startswith("销售阶段为「7 成交」时必须填写金额")
    assert "WPS" in one.message_zh and "直接填入数值" in one.message_zh
    assert "2 of these cells" in run.message_en and "2 个单元格" in run.message_zh
    # the amounts are missing, not 0: no row reads as a ¥0 deal
    assert [r["amount"] for r in data.records("daily")] == [None] * 5


def test_a_run_of_formulas_without_values_is_one_issue(tmp_path):
    """A month's 日清 filled in and saved by a program that does not calculate: B4…B19 is
    one thing to fix (blank prepared rows are not rows and say nothing)."""
    days = [d for d in range(2, 24) if dt.date(2026, 11, d).weekday() < 5][:16]
    path = write_form(
        tmp_path / "t.xlsx",
        DAILY_REPORT,
        header={"rep_name": "张伟", "rep_id": "S001", "month": NOVEMBER},
        rows={
            "daily": [row_with(date=dt.date(2026, 11, 2))],
            "day_close": [{"date": dt.date(2026, 11, d), "forecast": 1000} for d in days],
        },
    )
    book = openpyxl.load_workbook(path)
    book.save(path)  # openpyxl keeps the formulas and drops their values
    data = read(path)
    uncached = [i for i in data.issues if i.code is Code.FORMULA_WITHOUT_VALUE]
    assert [(i.sheet, i.cell, i.row) for i in uncached] == [
        ("日清 Day close", "B4:B19", 4),  # 16 workdays, rows 4 to 19
        ("日报 Daily", "E3:E6", 3),  # the progress block
    ]
    assert "16 个单元格" in uncached[0].message_zh and "16 cells" in uncached[0].message_en


def test_formula_on_a_settings_sheet(tmp_path):
    path = write_xlsx(
        tmp_path / "t.xlsx",
        {
            "设置 Settings": [["年度 Year", "=2025+1"], ["方法 Method", "平均"]],
            "年度目标 Annual": [["层级", "单元", "上级", "年度目标"], ["公司", "总部", None, 1000]],
        },
    )
    data = read(path)
    assert data.form_id == "targets_input"
    assert [(i.code.value, i.sheet, i.cell, i.column) for i in data.issues] == [
        ("formula_without_value", "设置 Settings", "B1", "年度 Year")
    ]  # not also missing


# ----------------------------------------------------------------------------
# Whole-file codes: never a crash, always an issue without a cell
# ----------------------------------------------------------------------------


def _template(tmp_path: Path) -> Path:
    return write_form(tmp_path / "template.xlsx", DAILY_REPORT)


def _truncated(tmp_path: Path) -> Path:
    data = _template(tmp_path).read_bytes()
    path = tmp_path / "truncated.xlsx"
    path.write_bytes(data[: len(data) // 2])
    return path


def _damaged_sheet(tmp_path: Path) -> Path:
    """The zip directory is intact but the sheet's compressed bytes are garbage."""
    source = _template(tmp_path)
    path = tmp_path / "damaged.xlsx"
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 10, start + min(info.compress_size, 400)):
        data[i] = (data[i] * 7 + 13) % 256
    path.write_bytes(bytes(data))
    return path


def _text(name: str, content: bytes) -> Callable[[Path], Path]:
    def make(tmp_path: Path) -> Path:
        path = tmp_path / name
        path.write_bytes(content)
        return path

    return make


def _zip_without_workbook(tmp_path: Path) -> Path:
    path = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("photo.jpg", b"\xff\xd8\xff" + b"0" * 100)
    return path


def _encrypted(tmp_path: Path) -> Path:
    msoffcrypto = pytest.importorskip("msoffcrypto", reason="msoffcrypto-tool is a test dependency")
    from msoffcrypto.format.ooxml import OOXMLFile

    source = write_daily(tmp_path / "plain.xlsx", [GOOD_ROW])
    path = tmp_path / "encrypted.xlsx"
    with source.open("rb") as plain, path.open("wb") as out:
        OOXMLFile(plain).encrypt("secret", out)
    assert msoffcrypto.olefile.isOleFile(str(path))
    return path


def _zip_bomb(tmp_path: Path) -> Path:
    """A small file whose sheet entry declares ~4 GB uncompressed (patched in the zip headers)."""
    source = _template(tmp_path)
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    huge = struct.pack("<I", 0xFFFFFF00)
    data[info.header_offset + 22 : info.header_offset + 26] = huge  # local header
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_len = struct.unpack_from("<H", data, central + 28)[0]
        if bytes(data[central + 46 : central + 46 + name_len]) == info.filename.encode():
            data[central + 24 : central + 28] = huge  # central directory entry
            break
        central = data.find(b"PK\x01\x02", central + 4)
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(bytes(data))
    return path


def _zip_from_the_future(tmp_path: Path) -> Path:
    """A zip entry needing extractor version 25.1: Python's zipfile gives up (NotImplementedError)."""
    data = bytearray(_template(tmp_path).read_bytes())
    central = data.find(b"PK\x01\x02")
    data[central + 6 : central + 8] = struct.pack("<H", 251)
    path = tmp_path / "future.xlsx"
    path.write_bytes(bytes(data))
    return path


def _truncated_xls(tmp_path: Path) -> Path:
    """Half a legacy .xls: calamine panics (a Rust panic, not an Exception) on it."""
    path = tmp_path / "half.xls"
    path.write_bytes((FILES / "daily_legacy.xls").read_bytes()[:609])
    return path


def _messy(name: str) -> Callable[[Path], Path]:
    """A checked-in file of tests/files/, as it was sent."""

    def make(tmp_path: Path) -> Path:
        return FILES / name

    make.__name__ = name
    return make


FILE_CASES: list[tuple[str, Callable[[Path], Path], dict[str, Any]]] = [
    ("unreadable", _zip_from_the_future, {}),
    ("unreadable", _truncated_xls, {}),
    ("unreadable", _truncated, {}),
    ("unreadable", _damaged_sheet, {}),
    ("unreadable", _text("empty.xlsx", b""), {}),
    (
        "unreadable",
        _text("report.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"),
        {},
    ),
    ("unreadable", _text("notes.xlsx", "这是一个文本文件，不是工作簿。\n".encode()), {}),
    ("unreadable", _text("legacy.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600), {}),
    ("unreadable", _text("data.csv", b"\x00\x01\x02\x03binary" * 50), {}),
    ("unreadable", _zip_without_workbook, {}),
    ("encrypted", _encrypted, {}),
    ("too_large", _zip_bomb, {}),
    ("too_large", _template, {"limits": Limits(max_file_bytes=1000)}),
    ("too_large", _template, {"limits": Limits(max_uncompressed_bytes=10_000)}),
    ("unknown_form", lambda p: write_xlsx(p / "other.xlsx", {"Sheet1": [["a", "b"], [1, 2]]}), {}),
    ("unknown_form", _text("other.csv", b"name,price\nfoo,1\n"), {}),
    ("unreadable", _messy("truncated.xlsx"), {}),
    ("unreadable", _messy("not_a_workbook.xlsx"), {}),
    ("encrypted", _messy("encrypted.xlsx"), {}),
    ("too_large", _messy("zip_bomb.xlsx"), {}),
    ("unknown_form", _messy("unknown.xlsx"), {}),
]


@pytest.mark.parametrize(
    ("code", "make", "ctx"),
    FILE_CASES,
    ids=[f"{c}-{getattr(m, '__name__', 'file')}-{i}" for i, (c, m, _) in enumerate(FILE_CASES)],
)
def test_whole_file_issues(tmp_path, code, make, ctx):
    path = make(tmp_path)
    data = read(path, **ctx)
    assert [i.code.value for i in data.issues] == [code], data.issues
    (issue,) = data.issues
    assert issue.file == str(path)
    assert (issue.cell, issue.row, issue.column) == (None, None, None)
    assert issue.severity is Severity.ERROR
    assert issue.message_zh and issue.message_en
    assert "Traceback" not in issue.message_en and "Error:" not in issue.message_en
    assert data.form_id is None and data.tables == {}


def test_an_empty_file_says_it_is_empty(tmp_path):
    (tmp_path / "empty.xlsx").write_bytes(b"")
    (issue,) = load_form(tmp_path / "empty.xlsx").issues
    assert issue.code.value == "unreadable" and "empty" in issue.message_en


def test_zip_bomb_is_refused_before_parsing(tmp_path, monkeypatch):
    import python_calamine

    def explode(*args, **kwargs):
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", explode)
    assert places(read(_zip_bomb(tmp_path))) == [("too_large", None)]


def test_sheet_beyond_the_cell_limit(tmp_path):
    data = read(write_daily(tmp_path / "f.xlsx", [GOOD_ROW] * 3), limits=Limits(max_sheet_cells=50))
    (issue,) = data.issues
    assert (issue.code, issue.sheet, issue.cell) == (Code.TOO_LARGE, "日报", None)


def test_cell_limit_counts_a_single_column_sheet(tmp_path):
    path = write_xlsx(tmp_path / "long.xlsx", {"S": [[i] for i in range(60)]})
    data = read(path, limits=Limits(max_sheet_cells=50))
    assert (
        places(data) == [("too_large", None)] and "60 rows × 1 columns" in data.issues[0].message_en
    )
    assert places(read(path, limits=Limits(max_sheet_cells=60))) == [("unknown_form", None)]


def test_missing_file_is_unreadable_not_a_crash(tmp_path):
    assert places(read(tmp_path / "nowhere.xlsx")) == [("unreadable", None)]


# ----------------------------------------------------------------------------
# Rows outside the rep's employment (roster hire and leave dates)
# ----------------------------------------------------------------------------


def test_rows_dated_after_leaving_or_before_joining_are_warned_at_their_cells(tmp_path):
    """S001 张伟 left on Friday 13 November: the rows of the 16th and 18th are warned at
    their date cells (A8, A9), the 13th itself is a day worked; every row is kept."""
    rows = [
        row_with(date="2026-11-12", next_followup="2026-11-13"),  # 6
        row_with(
            date="2026-11-13", next_followup="2026-11-14", customer="永辉"
        ),  # 7: the leaving day, worked
        row_with(date="2026-11-16", next_followup="2026-11-17", customer="物美"),  # 8
        row_with(date="2026-11-18", next_followup="2026-11-19", customer="大润发"),  # 9
    ]
    path = write_daily(tmp_path / "leaver.xlsx", rows)
    roster = {"roster_ids": frozenset({"S001"}), "rep_names": {"S001": "张伟"}}
    left = read(path, **roster, employment={"S001": (dt.date(2024, 3, 1), dt.date(2026, 11, 13))})
    assert places(left) == [("after_leave_date", "A8"), ("after_leave_date", "A9")]
    first = left.issues[0]
    assert first.severity == Severity.WARNING and first.column == "日期 Date"
    assert first.message_zh == (
        "S001 张伟 已于 2026-11-13 离职（花名册），但此行日期为 2026-11-16。"
        "此行仍计入汇总。请更正日期，或更正花名册的离职日期。"
    )
    assert first.message_en == (
        "S001 张伟 left on 2026-11-13 (roster) but this row's date is 2026-11-16. The row "
        "still counts in the figures. Correct the date, or the roster's leave date."
    )
    assert len(left.records("daily")) == 4  # nothing dropped
    # Hired on Monday 16 November: the 12th and 13th are before it, the 16th is the first day.
    joined = read(path, **roster, employment={"S001": (dt.date(2026, 11, 16), None)})
    assert places(joined) == [("before_hire_date", "A6"), ("before_hire_date", "A7")]
    assert "joined on 2026-11-16 (roster) but this row's date is 2026-11-12" in (
        joined.issues[0].message_en
    )
    # Employed all month, or no dates in the roster, or no roster: nothing to say.
    assert read(path, **roster, employment={"S001": (dt.date(2024, 3, 1), None)}).issues == []
    assert read(path, **roster, employment={}).issues == []
    assert read(path).issues == []


def test_a_day_close_that_disagrees_with_the_days_deals_is_warned(tmp_path):
    """日清 今日成交 is the day's closed deals (stage 7) of the 日报 rows, which is what the
    summary counts.  3 November: ¥3,000 + ¥1,200 of deals, the ¥800 quote not counted, so
    4,200 agrees.  4 November: the deal's amount typed as text (1.2万) is ¥12,000 to the
    summary, while the sheet's formula left it out (0).  5 November: 5,000 typed over the
    formula with no deal that day.  6 November: no 今日成交, nothing to compare."""
    rows = [
        GOOD_ROW,  # 11-03, stage 7, ¥3,000
        row_with(customer="永辉", phone="13900000002", qty=None, price=None, amount=1200),
        row_with(
            customer="物美",
            phone="13900000003",
            stage="5",
            qty=None,
            price=None,
            amount=800,
            deposit=None,
        ),
        row_with(
            date="2026-11-04",
            next_followup="2026-11-05",
            qty=None,
            price=None,
            amount="1.2万",
            deposit=None,
        ),
    ]
    closes = [
        ["日期", "今日成交", "明日预测", "原因分析"],
        [dt.date(2026, 11, 3), 4200, 12000, "华联要货"],
        [dt.date(2026, 11, 4), 0, 5000, None],
        [dt.date(2026, 11, 5), 5000, 0, "估计有单"],
        [dt.date(2026, 11, 6), None, 3000, None],
    ]
    path = write_xlsx(tmp_path / "dc.xlsx", {"日报": daily_grid(rows), "日清": closes})
    data = read(path)
    found = [i for i in data.issues if i.code is Code.COMPUTED_MISMATCH]
    assert [(i.sheet, i.cell, i.value) for i in found] == [("日清", "B3", 0), ("日清", "B4", 5000)]
    assert found[0].severity == Severity.WARNING and found[0].column == "今日成交 Today's sales"
    assert found[1].message_en == (
        "Today's sales is 5,000.00, but by its formula (sums the day's closed deals (stage 7)) "
        "the rows of 「日报」 come to 0.00. The summary counts those rows. Correct them, or "
        "restore this cell's formula; type amounts written as text (1.2万) as numbers."
    )
    assert "「日报」表的行合计 12,000.00" in found[0].message_zh
    assert len(data.records("day_close")) == 4  # nothing dropped


def test_two_day_close_rows_for_one_day_are_warned(tmp_path):
    """The 日清 has one row per workday: a second row for 4 November with another forecast
    (a row copied and edited) is said at its date cell, as a warning (both rows are kept
    and both forecasts judged until one goes); the rest of the file is fine."""
    closes = [
        ["日期", "今日成交", "明日预测", "原因分析"],
        [dt.date(2026, 11, 3), 3000, 2000, None],
        [dt.date(2026, 11, 4), 0, 5000, "永辉要货"],
        [dt.date(2026, 11, 4), 0, 3000, "改了预测"],
    ]
    path = write_xlsx(tmp_path / "dc.xlsx", {"日报": daily_grid([GOOD_ROW]), "日清": closes})
    data = read(path)
    assert places(data) == [("duplicate_row", "A4")]
    (issue,) = data.issues
    assert issue.severity == Severity.WARNING and issue.sheet == "日清"
    assert issue.message_en == "Date '2026-11-04' repeats row 3; it must be unique. Correct it."
    assert len(data.records("day_close")) == 3


# ----------------------------------------------------------------------------
# Lazy collection: everything wrong in one file, in one pass
# ----------------------------------------------------------------------------


def test_many_problems_reported_in_one_pass(tmp_path):
    header = [["日报"], ["销售员", "张伟", "工号", "S001"], ["月份", "2026-11"], []]
    rows = [
        row_with(customer=None, qty="两台"),  # 6: required + bad_type
        row_with(stage="8", grade="D", phone="12345"),  # 7: not_in_list ×2 + phone_format
        row_with(amount=2500, deposit=3500),  # 8: amount_mismatch (deposit rule skipped? no)
        row_with(date="2026-10-30", next_followup="2026-11-01"),  # 9: out_of_range
        row_with(date="2026-11-20", next_followup="2026-11-19"),  # 10: followup_before_date
        row_with(date="2026-11-26", next_followup="2026-11-27"),  # 11: future_date
        row_with(grade="A", stage="2", next_followup=None),  # 12: followup_missing
        row_with(amount="=I13*J13"),  # 13: formula_without_value
        row_with(customer="永辉"),  # 14
        row_with(customer="永辉"),  # 15: duplicate_row
        row_with(stage="7", amount=None, qty=None, price=None, deposit=None),  # 16: required amount
    ]
    grid = daily_grid(rows, header=header)
    grid[DAILY_HEADER_ROW - 1].append("微信")
    data = read(
        write_xlsx(tmp_path / "many.xlsx", {"日报": grid}),
        roster_ids=frozenset({"S002"}),
        period=Month(2026, 12),
    )
    assert places(data) == [
        ("wrong_period", "B3"),
        ("unknown_rep", "D2"),
        ("extra_column", "P5"),
        ("required", "B6"),
        ("bad_type", "I6"),
        ("phone_format", "D7"),
        ("not_in_list", "F7"),
        ("not_in_list", "G7"),
        ("amount_mismatch", "K8"),
        ("deposit_exceeds_amount", "L8"),
        ("out_of_range", "A9"),
        ("followup_before_date", "N10"),
        ("future_date", "A11"),
        ("amount_not_closed", "K12"),  # 3,000 on a stage-2 row: not a sale
        ("followup_missing", "N12"),
        ("formula_without_value", "K13"),
        ("duplicate_row", "A15"),
        ("required", "K16"),
    ]
    assert len(data.records("daily")) == len(rows)  # every row kept


def test_totals_row_and_blank_rows_are_not_records(tmp_path):
    rows = [
        GOOD_ROW,
        {},
        row_with(customer="永辉"),
        {},
        {},
        {"date": "合计", "amount": 6000, "deposit": 1000},
    ]
    data = read(write_daily(tmp_path / "f.xlsx", rows))
    # the total row is left out, and said so (a note, not a problem)
    assert places(data) == [("total_row", f"A{FIRST_ROW + 5}")]
    assert {i.severity for i in data.issues} == {"info"}
    assert "合计" in data.issues[0].message_zh and "left out" in data.issues[0].message_en
    assert [r["_row"] for r in data.records("daily")] == [FIRST_ROW, FIRST_ROW + 2]


@pytest.mark.parametrize(
    "total", ["合计", "小计", "总计", "Total", "TOTAL:", "合 计", "合计 Total", "Grand Total"]
)
def test_totals_row_labels(tmp_path, total):
    rows = [GOOD_ROW, {"customer": total, "amount": 3000}]
    data = read(write_daily(tmp_path / "f.xlsx", rows))
    assert places(data) == [("total_row", f"{letter('customer')}{FIRST_ROW + 1}")]  # the label
    assert f"'{total}'" in data.issues[0].message_en and len(data.records("daily")) == 1


def test_totals_label_counts_among_the_first_three_filled_cells_only(tmp_path):
    """Blank leading cells are skipped: 合计 in the phone column of a row with no date,
    customer or contact is a total row; in the fourth filled cell it is a value."""
    rows = [
        GOOD_ROW,
        {"phone": "合计", "amount": 3000},
        row_with(phone="合计", source=None, grade=None),
    ]
    data = read(write_daily(tmp_path / "f.xlsx", rows))
    assert [r["_row"] for r in data.records("daily")] == [FIRST_ROW, FIRST_ROW + 2]
    assert ("phone_format", f"{letter('phone')}{FIRST_ROW + 2}") in places(data)


def test_totals_label_in_an_extra_column(tmp_path):
    """A 序号 column in front: the 合计 label sits outside the form's columns."""
    grid = daily_grid([GOOD_ROW, row_with(customer="永辉"), {"amount": 6000}])
    for i, row in enumerate(grid):
        row.insert(
            0,
            "序号"
            if i == DAILY_HEADER_ROW - 1
            else (i - DAILY_HEADER_ROW + 1 if i >= DAILY_HEADER_ROW else None),
        )
    grid[-1][0] = "合计"
    data = read(write_xlsx(tmp_path / "f.xlsx", {"日报": grid}))
    total_row = DAILY_HEADER_ROW + 3  # the header, two rows, then 合计 (in the 序号 column)
    assert places(data) == [("extra_column", "A5"), ("total_row", f"A{total_row}")]
    assert len(data.records("daily")) == 2


def test_column_letters():
    assert [column_letters(c) for c in (0, 1, 25, 26, 27, 51, 52, 701, 702, 16383)] == [
        "A",
        "B",
        "Z",
        "AA",
        "AB",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
        "XFD",
    ]


def test_records_of_a_missing_table_are_empty(tmp_path):
    data = read(write_daily(tmp_path / "f.xlsx", [GOOD_ROW]))
    assert data.records("day_close") == [] and "day_close" not in data.tables


def test_every_issue_code_has_a_test():
    tested = (
        {c for c, _, _ in CELL_CASES}
        | {c for c, _, _ in FILE_CASES}
        | {
            "duplicate_row",
            "extra_column",
            "missing_column",
            "missing_header",
            "unknown_rep",
            "wrong_period",
            "target_mismatch",  # consolidation's: tests/test_month_targets.py
            "rep_id_normalised",  # tests/test_rep_ids.py
            "duplicate_file",  # tests/test_submissions.py
            "no_forms",  # tests/test_cli.py
            "not_multiple_of_rounding",  # tests/test_targets_checks.py
            "bad_month_weights",  # tests/test_targets_checks.py
            "skipped",  # tests/test_read.py, tests/hostile/test_hostile_paths.py
            "saved_early",  # tests/hostile/test_hostile_times.py
            "total_row",  # test_totals_row_labels and the tests after it
            "date_order_inferred",  # tests/test_realworld_dates.py
            "unit_scaled",  # tests/test_realworld_files.py
            "unlabelled_column",  # tests/test_realworld_files.py, tests/test_targets_checks.py
            "unread_sheet",  # tests/test_read.py
            "cell_error",  # test_excel_errors_in_cells_are_said_not_read_as_blank
            "after_leave_date",  # test_rows_dated_after_leaving_or_before_joining_are_warned…
            "before_hire_date",  # … and tests/test_store_consolidate.py
            "replaced_other_file",  # tests/test_store_sources.py
            "other_source_kept",  # tests/test_store_sources.py
            "computed_mismatch",  # test_a_day_close_that_disagrees_with_the_days_deals_is_warned
            "row_not_imported",  # tests/test_store_consolidate.py
            "older_than_stored",  # tests/test_store_imports.py
        }
        # files from other systems: test_realworld_*.py, test_store_exports.py
        | {
            "column_chosen",
            "column_ambiguous",
            "unknown_sub_labels",  # tests/test_read.py
            "mapped_column_missing",
            "ambiguous_dates",
            "two_digit_year",
            "encoding_guessed",
            "bad_encoding",
            "not_fed",
            "rep_by_name",
        }
    )
    assert tested == {c.value for c in Code}
    assert DAILY_HEADER[1][0] == "销售员" and TODAY.month == 11


# ----------------------------------------------------------------------------
# A hand-made sheet (zh labels only, header block at the top, table from row 5), as reps
# build their own: every code again at its cell, with nothing else reported
# ----------------------------------------------------------------------------

HAND_GOOD = [
    dt.datetime(2026, 11, 3),
    "恒瑞药房",
    "王经理",
    "13812345678",
    "来访",
    "A",
    "7 成交",
    "阿莫西林",
    10,
    18.5,
    185,
    50,
    None,
    None,
    None,
]
HAND_HEADER = [("销售员", "张伟"), ("工号", "S001"), ("月份", "2026-11")]


def hand_made(
    tmp_path: Path,
    rows: list[list[Any]],
    header: list[tuple[str, Any]] = HAND_HEADER,
    labels: list[str] = DAILY_ZH,
) -> Path:
    """Rows 1-3 the header block, row 5 the table header, data from row 6."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "日报"
    for r, (label, value) in enumerate(header, start=1):
        ws.cell(r, 1, label)
        ws.cell(r, 2, value)
    for r, values in enumerate([labels, *rows], start=5):
        for c, value in enumerate(values, start=1):
            ws.cell(r, c, value)
    path = tmp_path / "report.xlsx"
    wb.save(path)
    return path


def hand_row(**changes: Any) -> list[Any]:
    values = dict(zip(DAILY_ZH, HAND_GOOD, strict=True))
    values.update({DAILY_ZH[_KEYS.index(k)]: v for k, v in changes.items()})
    return list(values.values())


_KEYS = [
    "date",
    "customer",
    "contact",
    "phone",
    "source",
    "grade",
    "stage",
    "product",
    "qty",
    "price",
    "amount",
    "deposit",
    "objection",
    "next_followup",
    "notes",
]

# code, rows (or a change to the header), expected cell, column, severity
HAND_MADE_CASES: list[tuple[str, dict[str, Any], str | None, str | None, str]] = [
    ("required", {"rows": [hand_row(customer=None)]}, "B6", "客户名称 Customer", "error"),
    (
        "required",
        {"rows": [hand_row(amount=None, qty=None, price=None)]},
        "K6",
        "金额 Amount",
        "error",
    ),
    ("bad_type", {"rows": [hand_row(date="下周一")]}, "A6", "日期 Date", "error"),
    ("bad_type", {"rows": [hand_row(qty="十个")]}, "I6", "数量 Qty", "error"),
    ("not_in_list", {"rows": [hand_row(stage="8 已成交")]}, "G6", "销售阶段 Stage", "error"),
    ("not_in_list", {"rows": [hand_row(source="微信")]}, "E6", "来源 Source", "error"),
    (
        "out_of_range",
        {"rows": [hand_row(date=dt.datetime(2026, 10, 31))]},
        "A6",
        "日期 Date",
        "error",
    ),
    (
        "out_of_range",
        {
            "rows": [
                hand_row(
                    stage="5",
                    qty=-1,
                    amount=None,
                    price=None,
                    deposit=None,
                    next_followup=dt.datetime(2026, 11, 5),
                )
            ]
        },
        "I6",
        "数量 Qty",
        "error",
    ),
    ("amount_mismatch", {"rows": [hand_row(amount=190)]}, "K6", "金额 Amount", "error"),
    ("deposit_exceeds_amount", {"rows": [hand_row(deposit=500)]}, "L6", "定金 Deposit", "error"),
    (
        "followup_before_date",
        {"rows": [hand_row(stage="3", next_followup=dt.datetime(2026, 11, 1))]},
        "N6",
        "下次跟进 Next follow-up",
        "error",
    ),
    ("duplicate_row", {"rows": [hand_row(), hand_row()]}, "A7", None, "warning"),
    (
        "future_date",
        {"rows": [hand_row(date=dt.datetime(2026, 11, 28))]},
        "A6",
        "日期 Date",
        "warning",
    ),
    ("phone_format", {"rows": [hand_row(phone="1381234")]}, "D6", "电话 Phone", "warning"),
    (
        "followup_missing",
        {"rows": [hand_row(stage="4", amount=None, qty=None, price=None, deposit=None)]},
        "N6",
        "下次跟进 Next follow-up",
        "warning",
    ),
    (
        "missing_header",
        {"header": [("销售员", "张伟"), ("月份", "2026-11")]},
        None,
        "工号 Rep ID",
        "error",
    ),  # no label at all: the sheet, no cell
    (
        "bad_type",
        {"header": [("销售员", "张伟"), ("工号", "S001"), ("月份", "十一月")]},
        "B3",
        "月份 Month",
        "error",
    ),
    (
        "missing_column",
        {"labels": DAILY_ZH[1:], "rows": [hand_row()[1:]]},
        None,
        "日期 Date",
        "error",
    ),
    ("extra_column", {"labels": [*DAILY_ZH, "微信"]}, "P5", "微信", "info"),
]


@pytest.mark.parametrize(
    ("code", "case", "cell", "column", "severity"),
    HAND_MADE_CASES,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(HAND_MADE_CASES)],
)
def test_hand_made_sheet_issue_code_cell_and_severity(tmp_path, code, case, cell, column, severity):
    path = hand_made(
        tmp_path,
        case.get("rows", [hand_row()]),
        case.get("header", HAND_HEADER),
        case.get("labels", DAILY_ZH),
    )
    data = load_form(path, ValidationContext(today=TODAY))
    found = [i for i in data.issues if i.code.value == code]
    assert len(found) == 1, data.issues
    issue = found[0]
    assert issue.cell == cell and issue.column == column and issue.severity.value == severity
    assert issue.sheet == "日报" and issue.file == str(path)
    if cell:
        assert issue.row == int(cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    assert issue.message_zh and issue.message_en and issue.message_zh != issue.message_en
    others = [i for i in data.issues if i.code.value != code and i.is_error]
    assert not others, others


def test_formula_without_value_at_its_cell():
    """K8 is the 金额 of a 成交 row (stage 7), which the form requires there: its formula
    without a value is an error, as a blank 金额 would be, not a warning (that let the deal
    count ¥0 in 销售员 By rep unnoticed).  Q1 is outside the table: still a warning."""
    data = load_form(FILES / "uncalculated.xlsx", ValidationContext(today=TODAY))
    cells = [
        (i.sheet, i.cell, i.severity.value)
        for i in data.issues
        if i.code.value == "formula_without_value"
    ]
    assert cells == [("日报", "K8", "error"), ("日报", "Q1", "warning")]
    assert [i.code.value for i in data.issues] == ["formula_without_value"] * 2


def test_json_shape_of_an_issue(tmp_path):
    data = load_form(
        hand_made(tmp_path, [hand_row(date="2026-12-01")]), ValidationContext(today=TODAY)
    )
    assert data.issues[0].to_dict() == {
        "file": str(tmp_path / "report.xlsx"),
        "sheet": "日报",
        "cell": "A6",
        "row": 6,
        "column": "日期 Date",
        "code": "out_of_range",
        "severity": "error",
        "message_zh": data.issues[0].message_zh,
        "message_en": data.issues[0].message_en,
        "value": "2026-12-01",
    }


# ----------------------------------------------------------------------------
# The fast path for numbers and dates that a CSV gives as text
# ----------------------------------------------------------------------------

_AMOUNT = _fast_path(SALES_RECORDS.main_table.field("amount"))
_DAY = _fast_path(SALES_RECORDS.main_table.field("date"))


@given(st.text(alphabet="0123456789+-.,e%万 ", max_size=24))
def test_the_number_fast_path_gives_what_the_parser_gives(text):
    (fast,) = _AMOUNT([text])
    if fast is _SLOW:
        return
    if text == "":
        assert fast is None
    else:
        assert type(fast) is float and fast == parse_number(text)


@given(st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fullmatch=True))
def test_the_date_fast_path_gives_what_the_parser_gives(text):
    (fast,) = _DAY([text])
    try:
        expected = parse_date(text)
    except ValueError:
        assert fast is _SLOW  # left for the parser to word the problem
    else:
        assert fast == expected


def test_text_numbers_and_dates_in_a_csv_are_checked_like_any_other(tmp_path):
    path = tmp_path / "erp.csv"
    path.write_text(
        "日期,工号,客户名称,产品,金额\n"
        "2026-11-03,S001,甲,A,1200\n"
        "2026-02-30,S001,乙,A,+5.5\n"
        "2026-11-04,S001,丙,A,1e999\n",
        encoding="utf-8",
    )
    data = load_form(path, ValidationContext(today=dt.date(2026, 11, 30)))
    records = data.records("sales")
    assert [r["amount"] for r in records] == [1200.0, 5.5, None]
    assert records[0]["date"] == dt.date(2026, 11, 3) and records[1]["date"] is None
    cells = {(i.code.value, i.cell) for i in data.issues}
    assert {("bad_type", "A3"), ("bad_type", "E4")} <= cells


# ----------------------------------------------------------------------------
# Property: whatever is in the cells, validation returns issues, never an exception
# ----------------------------------------------------------------------------

CELL_VALUES = st.one_of(
    st.just(""),
    st.text(max_size=10),
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 1, 1)),
    st.datetimes(min_value=dt.datetime(1900, 1, 1)),
    st.times(),
    st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=3)),
    st.sampled_from(
        [
            "合计",
            "2026-11-03",
            "11月3日",
            "成交",
            "A",
            "¥1,200",
            "1.2万",
            "13812345678",
            "=SUM(A1)",
            "#N/A",
            "#DIV/0!",
        ]
    ),
)


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(st.lists(CELL_VALUES, min_size=15, max_size=17), max_size=6),
    header=st.lists(CELL_VALUES, min_size=3, max_size=3),
)
def test_validation_never_raises(rows, header):
    grid = [
        ["日报"],
        ["销售员", header[0], "工号", header[1]],
        ["月份", header[2]],
        [],
        daily_grid([])[-1],
        *rows,
    ]
    book = Book(Path("x.csv"), "csv", ["日报"])
    book._grids["日报"] = Grid("日报", [list(r) for r in grid])
    layout = locate(book)
    assert layout is not None and layout.form.id == "daily_report"
    data = check_layout(
        book,
        layout,
        ValidationContext(today=TODAY, roster_ids=frozenset({"S1"}), period=NOVEMBER),
        "x.csv",
    )
    assert len(data.records("daily")) <= len(rows)
    for issue in data.issues:
        assert issue.message_zh and issue.message_en
        if issue.row is not None:
            assert 1 <= issue.row <= len(grid)
        json.dumps(issue.to_dict(), ensure_ascii=False)
    for record in data.records("daily"):
        assert set(record) >= {f.key for f in DAILY.fields} | {"_row"}


_CELL_VALUES = st.one_of(
    st.none(),
    st.dates(),
    st.datetimes(),
    st.text(max_size=3),
    st.integers(),
    st.floats(allow_nan=False),
)


@given(
    columns=st.dictionaries(
        st.sampled_from(["date", "next_followup", "customer", "amount"]),
        st.one_of(
            st.lists(st.one_of(st.none(), st.dates()), max_size=6),  # what the date columns hold
            st.lists(_CELL_VALUES, max_size=6),
        ),
    )
)
@settings(max_examples=150, deadline=None)
def test_a_table_crosses_processes_unchanged(columns):
    """Reading processes send columns of dates as day numbers: every value comes back as the
    same value of the same type (a datetime stays a datetime, a blank a blank)."""
    import pickle

    from salesxl.validate.model import TableData

    rows = max(map(len, columns.values()), default=0)
    values = {key: column + [None] * (rows - len(column)) for key, column in columns.items()}
    table = TableData("daily", "日报", values=values, rows=list(range(5, 5 + rows)))
    back = pickle.loads(pickle.dumps(table))
    assert back.values == values
    assert {k: list(map(type, v)) for k, v in back.values.items()} == {
        k: list(map(type, v)) for k, v in values.items()
    }
    assert back.rows == table.rows and back.values is not table.values
    assert table.values == values  # the table that was sent is left as it was


def test_a_read_report_crosses_processes_unchanged(tmp_path):
    import pickle

    path = write_form(
        tmp_path / "r.xlsx",
        DAILY_REPORT,
        header={"rep_name": "张三", "rep_id": "S001", "month": Month(2026, 11)},
        rows={
            "daily": [
                {"date": dt.date(2026, 11, 3), "customer": "恒瑞", "stage": "1"},
                {
                    "date": dt.date(2026, 11, 4),
                    "customer": "永辉",
                    "stage": "2",
                    "next_followup": dt.date(2026, 11, 9),
                },
            ]
        },
    )
    data = load_form(path)
    back = pickle.loads(pickle.dumps(data))
    daily = back.tables["daily"]
    assert daily.column("date") == [dt.date(2026, 11, 3), dt.date(2026, 11, 4)]
    assert daily.column("next_followup") == [None, dt.date(2026, 11, 9)]
    assert daily.records == data.tables["daily"].records


# ----------------------------------------------------------------------------
# Shortcuts of the checker: each gives what the plain, cell-by-cell reading gives
# ----------------------------------------------------------------------------

_ODD = st.sampled_from(
    [
        "",
        None,
        " ",
        "\u3000",
        0,
        0.0,
        -0.0,
        False,
        True,
        1,
        1.5,
        -1.0,
        float("nan"),
        float("inf"),
        9e307,
        "x",
        "x\n合计",
        "合计",
        " Total",
        "小计：",
        "Grand total",
        "Σ",
        "电话",
        "7 成交",
        "13812345678",
        "2026-11-03",
        "2026-02-30",
        "1,234",
        dt.date(2026, 11, 3),
        dt.date(2026, 12, 1),
        dt.datetime(2026, 11, 3, 9, 30),
        dt.timedelta(0),
    ]
)


class _Text(str):
    """A str that is not exactly a str: never taken for one by a shortcut."""


def _checker(grid: Grid, columns: dict[str, int], table: Any = DAILY, first: int = 0) -> Any:
    layout = TableLayout(table, grid.name, first - 1, columns)
    return TableChecker(
        layout,
        grid,
        path="x.xlsx",
        today=TODAY,
        period=NOVEMBER,
        default_year=2026,
        reps=None,
        products=None,
    )


def _total_in_first_cells(cells: list[Any]) -> tuple[str, int] | None:
    seen = 0
    for c, v in enumerate(cells):
        if v == "" or v is None:
            continue
        if _total_label(v):
            return v, c
        seen += 1
        if seen == 3:
            return None
    return None


def _data_rows_cell_by_cell(checker: Any) -> tuple[list[int], list[tuple[Any, ...]], list[int]]:
    """The data rows as read one row and one cell at a time: (rows, their values in mapped
    order, the total rows left out)."""
    cols, mapped = checker.cols, checker.mapped
    typed = [j for j, f in enumerate(mapped) if f.formula is None]
    inputs = [j for j in typed if not mapped[j].prepared] or typed
    formula_rows = {r for r, c in checker.grid.uncached if c in {cols[j] for j in inputs}}
    numbers, raws, totals = [], [], []
    rows = checker.grid.rows
    for r in range(checker.layout.first_data_row, len(rows)):
        cells = list(rows[r]) + [""] * (max(cols) + 1 - len(rows[r]))
        t = tuple(cells[c] for c in cols)
        own = [t[j] for j in inputs]
        if r not in formula_rows and all(v == "" or v is None for v in own):
            continue
        if _total_in_first_cells(rows[r]) is not None:
            totals.append(r)
            continue
        numbers.append(r)
        raws.append(t)
    return numbers, raws, totals


@settings(max_examples=300, deadline=None)
@given(
    body=st.lists(st.lists(_ODD, max_size=17), max_size=12),
    order=st.sampled_from(["whole", "shuffled", "some", "one"]),
    formulas=st.sets(st.tuples(st.integers(1, 12), st.integers(0, 16)), max_size=4),
)
def test_data_rows_are_the_rows_read_one_by_one(body, order, formulas):
    keys = [f.key for f in DAILY.fields]
    columns = {
        "whole": {k: c for c, k in enumerate(keys)},  # every cell of a row, in order
        "shuffled": {k: (c * 7) % 15 for c, k in enumerate(keys)},
        "some": {"date": 4, "customer": 0, "amount": 9},
        "one": {"amount": 2},
    }[order]
    if order == "whole" and body:  # rows all as wide as the table take the copying path
        body = [(row + [""] * 15)[:15] for row in body]
    grid = Grid("日报", [["label"] * 15, *body], uncached=frozenset(formulas))
    checker = _checker(grid, columns, first=1)
    numbers, raws, by_column = checker._data_rows()
    expected_rows, expected_raws, totals = _data_rows_cell_by_cell(checker)
    assert (numbers, raws) == (expected_rows, expected_raws)
    assert by_column == (list(zip(*raws, strict=True)) if raws else [() for _ in columns])
    assert [issue.row - 1 for _, _, issue in checker.found] == totals
    assert all(issue.code is Code.TOTAL_ROW for _, _, issue in checker.found)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_ODD, st.text(alphabet="合计小总 \n\u3000TtoalSsumxΣ", max_size=6))))
def test_total_labels_and_gaps_of_a_column_are_those_of_its_values(column):
    labels = {v for v in column if _total_label(v)}
    gaps = any(v == "" or v is None for v in column)
    assert _labels_and_gaps(column) == (labels, gaps)
    assert _labels_and_gaps(tuple(column)) == (labels, gaps)


def test_text_that_only_looks_like_text_is_never_a_total_label():
    assert _labels_and_gaps([_Text("合计"), dt.date(2026, 11, 3)]) == (set(), False)
    assert _labels_and_gaps([_Text(""), 1.0]) == (set(), True)
    assert _labels_and_gaps([dt.date(2026, 11, 3), "合计"]) == ({"合计"}, False)
    assert _labels_and_gaps([1.0, None]) == (set(), True)


_FAST_FIELDS = [
    DAILY.field("amount"),
    DAILY.field("qty"),
    DAILY.field("date"),
    DAILY.field("customer"),
    DAILY.field("phone"),
    DAILY.field("stage"),
    DAILY_REPORT.header_field("rep_id"),
    DAILY_REPORT.header_field("month"),
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_ODD, st.builds(_Text, st.sampled_from(["", " x", "合计"])))))
def test_a_fast_path_notes_every_cell_it_leaves_to_the_parser(values):
    for f in _FAST_FIELDS:
        fast = _fast_path(f)
        assert fast is not None
        noted: list[Any] = []
        out = fast(values, noted.append)
        assert out == fast(values)  # the same cells, noted or not
        assert len(noted) == sum(v is _SLOW for v in out), f.key


def _phone_cell_by_cell(values: list[Any]) -> list[Any]:
    """The phone fast path's own per-cell test, which the whole-column one must agree with."""
    return [
        v
        if type(v) is str
        and len(v) == 11
        and v.isascii()
        and v.isdigit()
        and v[0] == "1"
        and v[1] in "3456789"
        else None
        if v == ""
        else _SLOW
        for v in values
    ]


_PHONES = st.one_of(
    st.from_regex(r"1[0-9]{10}", fullmatch=True),
    st.from_regex(r"1[3-9][0-9０-９²٣]{9}", fullmatch=True),  # other digits str.isdigit takes
    st.text(alphabet="0123456789１ ", min_size=10, max_size=12),
    st.builds(_Text, st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)),
    _ODD,
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_PHONES, max_size=8))
def test_a_column_of_mobile_numbers_is_read_as_its_cells_are(values):
    fast = _fast_path(DAILY.field("phone"))
    assert fast is not None
    assert fast(values) == _phone_cell_by_cell(values)
    if _mobiles(values):  # taken whole only when every cell is one the test takes as it is
        assert _phone_cell_by_cell(values) == values


@pytest.mark.parametrize(
    "values",
    [
        ["13812345678", "1３812345678"],  # a full-width digit: str.isdigit takes it, ASCII not
        ["13812345678", "12812345678"],  # 12…: no mobile number
        ["13812345678", "03812345678"],
        ["13812345678", _Text("13912345678")],  # not exactly text
        ["13812345678", "1381234567 "],
        ["13812345678", 13912345678.0],
        ["13812345678", ""],  # a blank: read as None, not as it is
        ["1381234567", "13812345678"],
        [],
    ],
)
def test_a_column_with_one_cell_that_is_no_plain_mobile_number_is_not_taken_whole(values):
    assert not _mobiles(values)
    assert _mobiles(["13812345678", "19912345678"])


def test_a_drop_down_column_seen_before_is_read_from_the_cache_alone():
    stage = DAILY.field("stage")
    assert stage.choices is not None
    cache = matcher_for(stage.choices).cache
    cache.setdefault("7 成交", "7")
    seen = ["7 成交", "", "7 成交"]
    noted: list[Any] = []
    assert _seen_values(cache, seen, noted.append) == [cache.get(v, _SLOW) for v in seen]
    assert noted == []
    unseen = [*seen, "never typed before 1", dt.date(2026, 11, 3)]
    assert _seen_values(cache, unseen, noted.append) == [cache.get(v, _SLOW) for v in unseen]
    assert noted == ["never typed before 1", dt.date(2026, 11, 3)]


@given(
    st.lists(
        st.one_of(
            st.none(),
            st.floats(allow_nan=True, allow_infinity=True),
            st.integers(-(10**20), 10**20),
        )
    ),
    st.floats(-1e12, 0),
    st.floats(0, 1e12),
)
def test_within_says_whether_any_number_is_out_of_bounds(values, low, high):
    assert _within(values, low, high) == (
        not [v for v in values if v is not None and not low <= v <= high]
    )


@pytest.mark.parametrize(
    "dates",
    [
        [dt.date(2026, 11, 3), None, dt.date(2026, 11, 24)],  # all in the month, none later
        [None, None],
        [dt.date(2026, 10, 31), None, dt.date(2026, 11, 3)],  # one before the month
        [dt.date(2026, 11, 3), dt.date(2026, 11, 25), dt.date(2026, 12, 1)],  # later ones
        [dt.date(2026, 11, 25), dt.date(2026, 11, 25)],  # one message for the same day
    ],
)
def test_a_date_column_is_checked_as_each_date_alone(dates):
    rows = [[d or "", f"客户{i}"] for i, d in enumerate(dates)]
    checker = _checker(Grid("日报", [["label"] * 15, *rows]), {"date": 0, "customer": 1}, first=1)
    data = checker.run()
    found = [(issue.row, issue.code) for _, _, issue in checker.found]
    expected = []
    for r, d in enumerate(dates, start=2):
        if d is None:
            expected.append((r, Code.REQUIRED))
        elif not NOVEMBER.first_day <= d <= NOVEMBER.last_day:
            expected.append((r, Code.OUT_OF_RANGE))
        elif d > TODAY:
            expected.append((r, Code.FUTURE_DATE))
    assert found == expected
    assert data.values is not None and data.values["date"] == list(dates)


@pytest.mark.parametrize(
    ("amounts", "codes"),
    [
        (["", 100.0, None], []),
        (["", -1.0, 5.0], [Code.OUT_OF_RANGE]),  # below the minimum 0
        ([float("nan"), 1.0], [Code.OUT_OF_RANGE]),  # not a number any form can mean
        ([2e12, 1.0], [Code.OUT_OF_RANGE]),  # beyond any real amount
        ([None, "", ""], []),
    ],
)
def test_a_number_column_inside_its_bounds_skips_nothing_outside_them(amounts, codes):
    rows = [[a, f"客户{i}", TODAY] for i, a in enumerate(amounts)]
    grid = Grid("日报", [["label"] * 15, *rows])
    checker = _checker(grid, {"amount": 0, "customer": 1, "date": 2}, first=1)
    checker.run()
    found = [issue.code for _, _, issue in checker.found if issue.code is Code.OUT_OF_RANGE]
    assert found == codes


def test_a_header_fields_parser_is_built_once_and_is_that_fields_own():
    month = DAILY_REPORT.header_field("month")
    assert _header_parser(month) is _header_parser(month)
    assert _header_parser(month)("2026-11") == Month.parse("2026-11")
    for _ in range(3):  # fields made and dropped may reuse an id: each gets its own parser
        text = dataclasses.replace(month, type=FieldType.TEXT)
        assert _header_parser(text)("2026-11") == "2026-11"
        del text


def test_a_product_catalogue_checks_every_product_cell(tmp_path):
    """With a catalogue (`ValidationContext.products`), a product not in it is named at its
    cell and one typed otherwise is read as the catalogue writes it — plain text cells too,
    which the column's fast path would otherwise take as they are."""
    rows = [
        {"date": dt.date(2026, 11, d), "rep_id": "S001", "product": p, "amount": 10.0}
        for d, p in ((2, "净水器X1"), (3, "净水器 x1"), (4, "空调K9"))
    ]
    path = write_form(tmp_path / "sales.xlsx", SALES_RECORDS, rows={"sales": rows})
    catalogue = frozenset({"净水器X1", "滤芯F2"})
    ctx = ValidationContext(today=dt.date(2026, 11, 30), products=catalogue)
    data = load_form(path, ctx)
    wrong = [i for i in data.issues if i.code is Code.NOT_IN_LIST]
    assert [(i.value, i.row) for i in wrong] == [("空调K9", 3 + _first_sales_row(path))]
    products = [r["product"] for r in data.tables["sales"].records]
    assert products == ["净水器X1", "净水器X1", None]  # the third is named, not counted
    plain = load_form(path, ValidationContext(today=dt.date(2026, 11, 30)))
    assert not [i for i in plain.issues if i.code is Code.NOT_IN_LIST]


def _first_sales_row(path: Path) -> int:
    """The sheet row (1-based) just above the first sales line of a written form."""
    sheet = openpyxl.load_workbook(path).worksheets[0]
    for row in sheet.iter_rows(min_col=1, max_col=1):
        if row[0].value == dt.datetime(2026, 11, 2):
            return row[0].row - 1
    raise AssertionError("no sales line found")


@pytest.mark.parametrize(
    "typed",
    ["13８００１３８０００", "１３８００１３８０００", "138 0013 8000", "+86 138-0013-8000"],
)
def test_a_phone_typed_with_other_digits_is_kept_in_plain_digits(typed):
    """Only a phone already in 11 plain ASCII digits is kept as typed; one with full-width
    digits among them (an IME left on) is read as the plain number, as every other
    writing of it is, so that it names the same customer."""
    fast = _fast_path(DAILY.field("phone"))
    assert fast is not None
    got = fast([typed, "13800138000"])
    assert got[1] == "13800138000"
    if got[0] is not _SLOW:
        raise AssertionError(f"{typed!r} taken as typed")
    assert cell_parser(DAILY.field("phone"))(typed) == "13800138000"
