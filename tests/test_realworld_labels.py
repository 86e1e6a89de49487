"""Files from other systems: every synonym, label spelling, column choice and --map.

Headers are written the way ERPs, shops and spreadsheets write them; the
files are CSV or xlsx written by the tests themselves.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import TODAY, write_xlsx

from salesxl.core.issues import Code, Severity
from salesxl.forms import DAILY_REPORT, SALES_RECORDS, TARGETS_INPUT, parse_column_map
from salesxl.forms import synonyms as syn
from salesxl.intake.files import load_form
from salesxl.read import package
from salesxl.validate import ValidationContext

CTX = ValidationContext(today=TODAY)
SALES = SALES_RECORDS.main_table
DAILY = DAILY_REPORT.main_table
HISTORY = TARGETS_INPUT.table("history")


def write_csv(path: Path, rows: list[list[Any]], encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as f:
        csv.writer(f).writerows(rows)
    return path


def sales_row(**values: Any) -> list[Any]:
    base = {"date": "2026-11-03", "amount": 300, "qty": 2, "price": 150, "customer": "甲公司"}
    base |= values
    return [base.get(f.key, "") for f in SALES.fields]


def _cases(table: Any) -> list[tuple[str, str]]:
    return [(f.key, alias) for f in table.fields for alias in f.aliases]


# ----------------------------------------------------------------------------
# Every synonym of every field, in the tables other systems' files land in
# ----------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "label"), _cases(SALES), ids=lambda x: x)
def test_every_sales_record_synonym_finds_its_field(tmp_path, key, label):
    header = [label if f.key == key else f.zh for f in SALES.fields]
    data = load_form(write_csv(tmp_path / "s.csv", [header, sales_row()]), CTX)
    assert data.form_id == "sales_records", data.issues
    letter = "ABCDEFGHIJKLMNOP"[[f.key for f in SALES.fields].index(key)]
    assert data.tables["sales"].columns[key] == letter


@pytest.mark.parametrize(("key", "label"), _cases(DAILY), ids=lambda x: x)
def test_every_daily_report_synonym_finds_its_field(tmp_path, key, label):
    header = [label if f.key == key else f.zh for f in DAILY.fields]
    data = load_form(
        write_csv(tmp_path / "d.csv", [["销售员", "张伟", "工号", "S001"], header]), CTX
    )
    assert data.form_id == "daily_report", data.issues
    assert key in data.tables["daily"].columns


@pytest.mark.parametrize(("key", "label"), _cases(HISTORY), ids=lambda x: x)
def test_every_history_synonym_finds_its_field(tmp_path, key, label):
    header = [label if f.key == key else f.zh for f in HISTORY.fields]
    path = write_xlsx(
        tmp_path / "t.xlsx",
        {
            "设置": [["年度", 2026]],
            "年度目标": [["层级", "单元", "上级", "年度目标"], ["company", "公司", "", 1200]],
            "历史销售": [header, ["公司", "", "2025-01", 100]],
        },
    )
    data = load_form(path, CTX)
    assert data.form_id == "targets_input", data.issues
    assert key in data.tables["history"].columns


# The examples the issue found refused in real files, each with the field it is.
REAL_WORLD = [
    ("订单日期", "date"),
    ("下单日期", "date"),
    ("付款时间", "date"),
    ("Order Date", "date"),
    ("OrderDate", "date"),
    ("ORDERDATE", "date"),
    ("Transaction Date", "date"),
    ("Transaction_date", "date"),
    ("业务员", "rep_name"),
    ("销售员", "rep_name"),
    ("销售代表", "rep_name"),
    ("Rep", "rep_name"),
    ("Salesperson", "rep_name"),
    ("Sales Rep", "rep_name"),
    ("Sales Agent", "rep_name"),
    ("销售代表ID", "rep_id"),
    ("客户名称", "customer"),
    ("Customer Name", "customer"),
    ("CUSTOMERNAME", "customer"),
    ("存货名称", "product"),
    ("商品名称", "product"),
    ("Product Name", "product"),
    ("Item", "product"),
    ("销售额", "amount"),
    ("总金额", "amount"),
    ("含税金额", "amount"),
    ("Sales", "amount"),
    (" Sales", "amount"),
    ("SALES", "amount"),
    ("Total", "amount"),
    ("Revenue", "amount"),
    ("Amount", "amount"),
    ("含税单价", "price"),
    ("Price Each", "price"),
    ("销售数量", "qty"),
    ("Units", "qty"),
    ("Quantity Ordered", "qty"),
    ("QUANTITYORDERED", "qty"),
]


@pytest.mark.parametrize(("label", "key"), REAL_WORLD, ids=[c[0] for c in REAL_WORLD])
def test_labels_seen_in_real_exports(tmp_path, label, key):
    others = {"date": "Order Date", "amount": "Sales", "customer": "Customer Name"}
    others = {k: v for k, v in others.items() if k != key}
    header = [label, *others.values()]
    row = {"date": "2026-11-03", "amount": "300", "customer": "甲", "qty": "2", "price": "150"}
    rows = [header, [row.get(key, "张伟"), *(row[k] for k in others)]]
    data = load_form(write_csv(tmp_path / "s.csv", rows), CTX)
    assert data.form_id == "sales_records", data.issues
    assert data.tables["sales"].columns[key] == "A"


# Matching ignores case, spaces, underscores and punctuation.
SPELLINGS = ["Order Date", "order_date", "ORDER-DATE", " Order Date ", "Order.Date:", "订单日期*"]


@pytest.mark.parametrize("label", SPELLINGS)
def test_label_spelling_does_not_matter(tmp_path, label):
    rows = [[label, "Sales", "Customer"], ["2026-11-03", "10", "甲"]]
    data = load_form(write_csv(tmp_path / "s.csv", rows), CTX)
    assert data.tables["sales"].columns["date"] == "A"


def test_the_same_synonym_set_applies_wherever_the_field_appears():
    assert set(syn.AMOUNT) <= set(SALES.field("amount").aliases)
    assert set(syn.AMOUNT) <= set(HISTORY.field("amount").aliases)
    assert set(syn.AMOUNT) <= set(DAILY.field("amount").aliases)
    assert set(syn.REP_NAME) <= set(DAILY_REPORT.header_field("rep_name").aliases)
    assert set(syn.REP_NAME) <= set(SALES.field("rep_name").aliases)


# ----------------------------------------------------------------------------
# Two columns for one field: the exact label wins, reported as info
# ----------------------------------------------------------------------------


def test_exact_label_wins_over_a_synonym_and_the_choice_is_reported(tmp_path):
    rows = [["Gross Sales", "Date", "Sales", "Customer"], ["120", "2026-11-03", "100", "甲"]]
    data = load_form(write_csv(tmp_path / "s.csv", rows), CTX)
    assert data.tables["sales"].columns["amount"] == "C"
    assert data.records("sales")[0]["amount"] == 100  # the Sales column, not Gross Sales
    assert data.records("sales")[0]["_extra"] == {"Gross Sales": "120"}  # kept, not lost
    (chosen,) = [i for i in data.issues if i.code is Code.COLUMN_CHOSEN]
    assert chosen.severity is Severity.INFO and chosen.cell == "C1"
    assert "Sales (C)" in chosen.message_en and "Gross Sales (A)" in chosen.message_en


def test_own_label_wins_over_an_earlier_synonym_column(tmp_path):
    rows = [["销售额", "日期", "金额"], ["999", "2026-11-03", "100"]]
    data = load_form(write_csv(tmp_path / "s.csv", rows), CTX)
    assert data.records("sales")[0]["amount"] == 100


# ----------------------------------------------------------------------------
# Two columns with one label (an ERP export's 金额 twice): visible over hidden,
# figures over blank or zero, and a warning when only the order decides
# ----------------------------------------------------------------------------

EXPORT_LABELS = ["单据日期", "客户名称", "金额", "金额", "数量"]


def write_export(path: Path, rows: list[list[Any]], hidden: str | None = None) -> Path:
    """An ERP order export as openpyxl writes it: one sheet, `hidden` column hidden."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "销售明细"
    for row in [EXPORT_LABELS, *rows]:
        ws.append(row)
    if hidden is not None:
        ws.column_dimensions[hidden].hidden = True
    wb.save(path)
    return path


def test_a_hidden_column_of_zeros_does_not_take_the_amounts(tmp_path):
    """The hidden C 金额 is all zero, the visible D 金额 holds the amounts."""
    rows = [["2026-11-03", "华联超市", 0, 3000, 2], ["2026-11-05", "永辉", 0, 1250.5, 1]]
    data = load_form(write_export(tmp_path / "e.xlsx", rows, hidden="C"), CTX)
    assert [r["amount"] for r in data.records("sales")] == [3000, 1250.5]
    (chosen,) = [i for i in data.issues if i.code is Code.COLUMN_CHOSEN]
    assert chosen.severity is Severity.INFO and chosen.cell == "D1"
    assert "the visible 金额 (D) is used" in chosen.message_en
    assert not [i for i in data.issues if i.code is Code.EXTRA_COLUMN]  # C is said once


def test_a_visible_column_with_figures_wins_over_a_hidden_one_with_others(tmp_path):
    """Both hold figures (C net, D with tax): the visible one is what the sender sees."""
    rows = [["2026-11-03", "华联超市", 2654.87, 3000, 2]]
    data = load_form(write_export(tmp_path / "e.xlsx", rows, hidden="D"), CTX)
    assert data.records("sales")[0]["amount"] == 2654.87
    assert [(i.code, i.cell) for i in data.issues if "column" in i.code] == [
        (Code.COLUMN_CHOSEN, "C1")
    ]


def test_a_column_of_figures_wins_over_a_blank_or_zero_one(tmp_path):
    """Nothing hidden: C is blank or 0 in every row (`0.00` and `-` as accountants write
    zero), D holds the amounts."""
    rows = [["2026-11-03", "华联超市", "0.00", 3000, 2], ["2026-11-05", "永辉", "-", 800, 1]]
    rows.append(["2026-11-06", "家乐福", None, 450, 3])
    data = load_form(write_export(tmp_path / "e.xlsx", rows), CTX)
    assert [r["amount"] for r in data.records("sales")] == [3000, 800, 450]
    (chosen,) = [i for i in data.issues if i.code is Code.COLUMN_CHOSEN]
    assert "others are blank or all zero" in chosen.message_en


def test_two_visible_columns_with_different_figures_are_a_warning(tmp_path):
    """Row 3 differs (2800 against 3000): no rule can tell, the first is used and said."""
    rows = [["2026-11-03", "华联超市", 1250.5, 1250.5, 1], ["2026-11-05", "永辉", 2800, 3000, 2]]
    data = load_form(write_export(tmp_path / "e.xlsx", rows), CTX)
    assert [r["amount"] for r in data.records("sales")] == [1250.5, 2800]
    assert [i.code for i in data.issues if "column" in i.code] == [Code.COLUMN_AMBIGUOUS]
    (warning,) = [i for i in data.issues if i.code is Code.COLUMN_AMBIGUOUS]
    assert warning.severity is Severity.WARNING and warning.cell == "C1"
    assert "金额 (C1) and 金额 (D1)" in warning.message_en
    assert "row 3: C3 is 2800, D3 is 3000" in warning.message_en
    assert "金额 (C1), the first, is used" in warning.message_en
    assert "C3 为 2800，D3 为 3000" in warning.message_zh


def test_a_visible_blank_column_over_a_hidden_one_with_figures_is_a_warning(tmp_path):
    rows = [["2026-11-03", "华联超市", 3000, None, 2]]
    data = load_form(write_export(tmp_path / "e.xlsx", rows, hidden="C"), CTX)
    (warning,) = [i for i in data.issues if i.code is Code.COLUMN_AMBIGUOUS]
    assert warning.severity is Severity.WARNING and warning.cell == "D1"
    assert "the hidden 金额 (C1)" in warning.message_en
    assert "C2 is 3000" in warning.message_en


def test_two_columns_with_the_same_figures_are_info(tmp_path):
    rows = [["2026-11-03", "华联超市", 3000, 3000, 2]]
    data = load_form(write_export(tmp_path / "e.xlsx", rows), CTX)
    assert data.records("sales")[0]["amount"] == 3000
    (chosen,) = [i for i in data.issues if "column" in i.code]
    assert chosen.code is Code.COLUMN_CHOSEN and "hold the same values" in chosen.message_en


def test_the_same_amounts_written_two_ways_are_the_same_figures(tmp_path):
    """A CSV export: `3,000` in one 金额 column, `3000` in the other: no warning."""
    rows = [EXPORT_LABELS, ["2026-11-03", "华联超市", "3,000", "3000", "2"]]
    data = load_form(write_csv(tmp_path / "e.csv", rows), CTX)
    assert data.records("sales")[0]["amount"] == 3000
    assert [i.code for i in data.issues if "column" in i.code] == [Code.COLUMN_CHOSEN]


def test_hidden_columns_are_read_from_the_sheet_part():
    xml = (
        b'<worksheet><cols><col min="1" max="2" width="9"/><col min="3" max="3" hidden="1"/>'
        b'<col min="6" max="16384" width="0" hidden="true"/></cols><sheetData>'
        b'<row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'
    )
    assert package.hidden_columns(xml) == ((2, 2), (5, 16383))
    assert package.hidden_columns(xml.replace(b"hidden", b"style")) == ()


# ----------------------------------------------------------------------------
# --map FIELD=HEADER
# ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (["amount=Price"], {"amount": "Price"}),
        (["金额=Price", "Customer=Name"], {"amount": "Price", "customer": "Name"}),
        (["客户名称 Customer=Name"], {"customer": "Name"}),
        (["date = Transaction_date"], {"date": "Transaction_date"}),
    ],
)
def test_map_options_name_a_field_by_key_or_label(spec, expected):
    assert parse_column_map(spec) == expected


@pytest.mark.parametrize(
    ("spec", "says"),
    [(["amount"], "FIELD=HEADER"), (["price_total=X"], "not a field"), (["=X"], "FIELD=HEADER")],
)
def test_bad_map_options_say_how_to_write_them(spec, says):
    with pytest.raises(ValueError, match=says):
        parse_column_map(spec)


SALES_JAN_2009 = [
    ["Transaction_date", "Product", "Price", "Payment_Type", "Name", "City"],
    ["2009-01-02", "Product1", "1200", "Mastercard", "carolina", "Basildon"],
    ["2009-01-02", "Product2", "3600", "Visa", "Betina", "Parkville"],
]


def test_map_reads_columns_no_synonym_knows(tmp_path):
    path = write_csv(tmp_path / "SalesJan2009.csv", SALES_JAN_2009)
    refused = load_form(path, CTX)
    assert refused.has_errors  # no amount column without the mapping
    ctx = ValidationContext(today=TODAY, column_map={"amount": "Price", "customer": "Name"})
    data = load_form(path, ctx)
    assert data.issues and not data.has_errors, data.issues
    records = data.records("sales")
    assert [(r["customer"], r["amount"], r["price"]) for r in records] == [
        ("carolina", 1200, None),  # Price is the amount now, not also the unit price
        ("Betina", 3600, None),
    ]
    assert data.mapping == {"amount": "Price", "customer": "Name"}


def test_a_mapped_header_the_file_lacks_is_an_error_naming_the_columns(tmp_path):
    path = write_csv(tmp_path / "s.csv", SALES_JAN_2009)
    ctx = ValidationContext(today=TODAY, column_map={"amount": "Price", "customer": "Client"})
    data = load_form(path, ctx)
    (missing,) = [i for i in data.issues if i.code is Code.MAPPED_COLUMN_MISSING]
    assert "'Client'" in missing.message_en and "Payment_Type" in missing.message_en


def test_a_remembered_mapping_is_used_for_the_same_headers_in_any_order(tmp_path):
    first = load_form(
        write_csv(tmp_path / "jan.csv", SALES_JAN_2009),
        ValidationContext(today=TODAY, column_map={"amount": "Price", "customer": "Name"}),
    )
    assert first.signature is not None
    reordered = [[row[i] for i in (5, 4, 3, 2, 1, 0)] for row in SALES_JAN_2009]
    reordered[0] = [h.upper() for h in reordered[0]]  # same headers, another order and case
    ctx = ValidationContext(today=TODAY, remembered_maps={first.signature: first.mapping})
    data = load_form(write_csv(tmp_path / "feb.csv", reordered), ctx)
    assert not data.has_errors and data.mapping_remembered
    assert [r["amount"] for r in data.records("sales")] == [1200, 3600]
    other = [[*SALES_JAN_2009[0], "Extra"], [*SALES_JAN_2009[1], "x"]]  # another system
    assert load_form(write_csv(tmp_path / "mar.csv", other), ctx).has_errors
