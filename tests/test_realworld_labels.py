"""Files from other systems: every synonym, label spelling, column choice and --map.

Headers are written the way ERPs, shops and spreadsheets write them; the
files are CSV or xlsx written by the tests themselves.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY, write_xlsx

from salesxl.core.issues import Code, Severity
from salesxl.forms import DAILY_REPORT, SALES_RECORDS, TARGETS_INPUT, parse_column_map
from salesxl.forms import synonyms as syn
from salesxl.intake.files import load_form
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
