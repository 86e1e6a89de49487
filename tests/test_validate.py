"""Every issue code of docs/issues.md: its code, cell, row, column and severity (a case table)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from salesxl.core.periods import Month, Week
from salesxl.intake.files import load_form
from salesxl.validate import ValidationContext
from tests.messy_files import DAILY_ZH, FILES

TODAY = dt.date(2026, 11, 24)
GOOD = [
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
HEADER = [("销售员", "张伟"), ("工号", "S001"), ("月份", "2026-11")]


def daily(
    tmp_path: Path,
    rows: list[list[Any]],
    header: list[tuple[str, Any]] = HEADER,
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


def row(**changes: Any) -> list[Any]:
    values = dict(zip(DAILY_ZH, GOOD, strict=True))
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
CASES: list[tuple[str, dict[str, Any], str | None, str | None, str]] = [
    ("required", {"rows": [row(customer=None)]}, "B6", "客户名称 Customer", "error"),
    ("required", {"rows": [row(amount=None, qty=None, price=None)]}, "K6", "金额 Amount", "error"),
    ("bad_type", {"rows": [row(date="下周一")]}, "A6", "日期 Date", "error"),
    ("bad_type", {"rows": [row(qty="十个")]}, "I6", "数量 Qty", "error"),
    ("not_in_list", {"rows": [row(stage="8 已成交")]}, "G6", "销售阶段 Stage", "error"),
    ("not_in_list", {"rows": [row(source="微信")]}, "E6", "来源 Source", "error"),
    ("out_of_range", {"rows": [row(date=dt.datetime(2026, 10, 31))]}, "A6", "日期 Date", "error"),
    (
        "out_of_range",
        {
            "rows": [
                row(
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
    ("amount_mismatch", {"rows": [row(amount=190)]}, "K6", "金额 Amount", "error"),
    ("deposit_exceeds_amount", {"rows": [row(deposit=500)]}, "L6", "定金 Deposit", "error"),
    (
        "followup_before_date",
        {"rows": [row(stage="3", next_followup=dt.datetime(2026, 11, 1))]},
        "N6",
        "下次跟进 Next follow-up",
        "error",
    ),
    ("duplicate_row", {"rows": [row(), row()]}, "A7", None, "warning"),
    ("future_date", {"rows": [row(date=dt.datetime(2026, 11, 28))]}, "A6", "日期 Date", "warning"),
    ("phone_format", {"rows": [row(phone="1381234")]}, "D6", "电话 Phone", "warning"),
    (
        "followup_missing",
        {"rows": [row(stage="4", amount=None, qty=None, price=None, deposit=None)]},
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
    ("missing_column", {"labels": DAILY_ZH[1:], "rows": [row()[1:]]}, None, "日期 Date", "error"),
    ("extra_column", {"labels": [*DAILY_ZH, "微信"]}, "P5", "微信", "info"),
]


@pytest.mark.parametrize(
    ("code", "case", "cell", "column", "severity"),
    CASES,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)],
)
def test_issue_code_cell_and_severity(tmp_path, code, case, cell, column, severity):
    path = daily(
        tmp_path,
        case.get("rows", [row()]),
        case.get("header", HEADER),
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


def test_missing_header_points_where_the_value_goes(tmp_path):
    path = daily(tmp_path, [row()], [("销售员", "张伟"), ("工号", None), ("月份", "2026-11")])
    (issue,) = load_form(path, ValidationContext(today=TODAY)).issues
    assert issue.code.value == "missing_header" and issue.cell == "B2"


def test_all_issues_of_a_file_in_one_pass(tmp_path):
    rows = [
        row(customer=None),
        row(stage="8"),
        row(amount=999),
        row(deposit=1000),
        row(phone="123"),
        row(date="2026-12-01"),
    ]
    data = load_form(daily(tmp_path, rows), ValidationContext(today=TODAY))
    codes = [(i.code.value, i.cell) for i in data.issues]
    assert codes == [
        ("required", "B6"),
        ("not_in_list", "G7"),
        ("amount_mismatch", "K8"),
        ("deposit_exceeds_amount", "L9"),
        ("phone_format", "D10"),
        ("out_of_range", "A11"),
    ]


def test_nothing_is_dropped_rows_with_errors_are_kept(tmp_path):
    data = load_form(
        daily(tmp_path, [row(stage="8"), row(customer="乙", qty="十个")]),
        ValidationContext(today=TODAY),
    )
    records = data.records("daily")
    assert [r["_row"] for r in records] == [6, 7]
    assert records[0]["stage"] is None and records[1]["qty"] is None
    assert records[1]["customer"] == "乙"


@pytest.mark.parametrize(
    ("period", "wrong"),
    [
        (Month(2026, 11), False),
        (Month(2026, 10), True),
        (Week(2026, 46), False),
        (Week(2026, 40), True),
    ],
)
def test_wrong_period(tmp_path, period, wrong):
    data = load_form(daily(tmp_path, [row()]), ValidationContext(today=TODAY, period=period))
    found = [i for i in data.issues if i.code.value == "wrong_period"]
    assert bool(found) is wrong
    if wrong:
        assert found[0].cell == "B3" and found[0].value == "2026-11"


def test_unknown_rep_in_header_and_in_rows(tmp_path):
    data = load_form(
        daily(tmp_path, [row()]), ValidationContext(today=TODAY, roster_ids=frozenset({"S002"}))
    )
    (issue,) = data.issues
    assert issue.code.value == "unknown_rep" and issue.cell == "B2" and issue.value == "S001"
    sales = load_form(
        FILES / "sales_utf8.csv", ValidationContext(today=TODAY, roster_ids=frozenset({"S001"}))
    )
    (issue,) = [i for i in sales.issues if i.code.value == "unknown_rep"]
    assert issue.cell == "B3" and issue.value == "S002"


def test_unique_rep_ids_in_the_roster():
    data = load_form(FILES / "roster_messy.xlsx", ValidationContext(today=TODAY))
    (issue,) = [i for i in data.issues if i.code.value == "duplicate_row"]
    assert issue.severity.value == "error" and issue.cell == "A4" and issue.value == "S001"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("truncated.xlsx", "unreadable"),
        ("not_a_workbook.xlsx", "unreadable"),
        ("encrypted.xlsx", "encrypted"),
        ("zip_bomb.xlsx", "too_large"),
        ("unknown.xlsx", "unknown_form"),
    ],
)
def test_whole_file_issues(name, code):
    (issue,) = load_form(FILES / name).issues
    assert issue.code.value == code and issue.severity.value == "error"
    assert issue.cell is None and issue.file.endswith(name)


def test_empty_file_is_unreadable(tmp_path):
    (tmp_path / "empty.xlsx").write_bytes(b"")
    (issue,) = load_form(tmp_path / "empty.xlsx").issues
    assert issue.code.value == "unreadable" and "empty" in issue.message_en


def test_formula_without_value_at_its_cell():
    data = load_form(FILES / "uncalculated.xlsx", ValidationContext(today=TODAY))
    cells = [(i.sheet, i.cell) for i in data.issues if i.code.value == "formula_without_value"]
    assert cells == [("日报", "K8"), ("日报", "Q1")]
    assert all(i.severity.value == "warning" for i in data.issues)


def test_json_shape_of_an_issue(tmp_path):
    data = load_form(daily(tmp_path, [row(date="2026-12-01")]), ValidationContext(today=TODAY))
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


# -- the fast path for numbers and dates that a CSV gives as text ------------------------------

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from salesxl.forms import SALES_RECORDS  # noqa: E402
from salesxl.read.values import parse_date, parse_number  # noqa: E402
from salesxl.validate.rows import _SLOW, _fast_path  # noqa: E402

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
