"""Exports shaped like the real ones: encodings, form detection, refusals, duplicates, wide tables.

Every file is generated here, imitating a real shape: an ERP order export
(order numbers, two date columns, GBK), a Taobao-style GBK export, a
DOS-era cp437 and a Western cp1252 CSV, a point-of-sale CSV, a wide monthly
summary.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import TODAY, write_xlsx

from salesxl.cli import main
from salesxl.core.issues import Code, Severity
from salesxl.intake.files import load_form
from salesxl.read.encoding import decode_text
from salesxl.validate import ValidationContext

CTX = ValidationContext(today=TODAY)


def write_csv(path: Path, rows: list[list[Any]], encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as f:
        csv.writer(f).writerows(rows)
    return path


def erp_export(path: Path, n: int = 40, *, encoding: str = "gbk") -> Path:
    """An order export of a Chinese ERP: order numbers, order and ship dates, tax-included
    amounts whose unit price was rounded (3 × 33.33 = 99.99, amount 100.00)."""
    rows: list[list[Any]] = [
        [
            "订单编号",
            "订单日期",
            "发货日期",
            "客户名称",
            "业务员",
            "存货名称",
            "销售数量",
            "含税单价",
            "含税金额",
        ]
    ]
    for i in range(n):
        day = dt.date(2026, 1, 1) + dt.timedelta(days=i % 28)
        ship = day + dt.timedelta(days=2)
        rows.append(
            [
                f"SO{i:05d}",
                day.isoformat(),
                ship.isoformat(),
                f"客户{i % 7}",
                "张伟",
                "净水器",
                3,
                33.33,
                100,
            ]
        )
    return write_csv(path, rows, encoding)


# ----------------------------------------------------------------------------
# Encodings
# ----------------------------------------------------------------------------

SWEDISH = "CUSTOMERNAME,ADDRESSLINE1,ORDERDATE,SALES\nBerglunds snabbköp,Berguvsvägen 8,2/24/2003 0:00,100\nFolk och fä HB,Åkergatan 24,3/13/2003 0:00,200\n"
CHINESE = "日期,客户名称,产品,金额\n" + "".join(
    f"2026-01-{d:02d},上海华联超市有限公司{d},净水器X{d % 3},{d * 10}\n" for d in range(1, 29)
)

TRADITIONAL = "日期,客戶名稱,產品,金額\n" + "".join(
    f"2026-01-{d:02d},台北華聯超市有限公司{d},淨水器{d % 3},{d * 10}\n" for d in range(1, 29)
)


@pytest.mark.parametrize(
    ("encoding", "text", "expected"),
    [
        ("utf-8", CHINESE, "utf-8"),
        ("utf-8-sig", CHINESE, "utf-8-sig"),
        ("utf-16", CHINESE, "utf-16"),
        ("utf-16-le", CHINESE, "utf-16-le"),  # no BOM: told by where the zero bytes are
        ("utf-16-be", CHINESE, "utf-16-be"),
        ("utf-16-le", CHINESE.replace("上海", "一一"), "utf-16-le"),  # 一 is U+4E00
        ("gbk", CHINESE, "gb18030"),
        ("gb18030", CHINESE, "gb18030"),
        ("big5", TRADITIONAL, "big5"),
        ("cp437", SWEDISH, "cp437"),
        ("cp1252", SWEDISH.replace("snabbköp", "snabbköp €"), "cp1252"),
    ],
)
def test_encoding_is_detected(encoding, text, expected):
    decoded = decode_text(text.encode(encoding))
    assert decoded.encoding == expected
    assert decoded.text.replace("\r\n", "\n") == text and decoded.bad_lines == []


def test_a_dos_export_reads_its_letters_not_box_drawing(tmp_path):
    path = tmp_path / "customers.csv"
    path.write_bytes(SWEDISH.encode("cp437"))
    data = load_form(path, CTX)
    (first, second) = data.records("sales")
    assert first["customer"] == "Berglunds snabbköp"
    assert first["_extra"] == {"ADDRESSLINE1": "Berguvsvägen 8"}  # not Berguvsv刧en
    assert second["customer"] == "Folk och fä HB" and second["date"] == dt.date(2003, 3, 13)


def test_an_unsure_guess_is_a_warning_naming_the_encoding(tmp_path):
    path = tmp_path / "short.csv"
    path.write_bytes("Customer,Sales,Date\nKöln,1,2026-01-02\n".encode("cp437"))  # one ö
    data = load_form(path, CTX)
    (guess,) = [i for i in data.issues if i.code is Code.ENCODING_GUESSED]
    assert guess.severity is Severity.WARNING and guess.value in data.issues[0].message_en
    assert "--encoding" in guess.message_en


@pytest.mark.parametrize(("customer", "amount"), [("华联", 100), ("王", 5)])
def test_a_short_gbk_export_is_read_as_gbk_and_the_guess_shows_what_it_read(
    tmp_path, customer, amount
):
    """A few Chinese characters decode in GBK and in Big5 alike (华联 in Big5 is 貌薊): the
    guess goes to the mainland's encoding, and its warning shows the text it read, so that
    garbled text is seen at once."""
    path = tmp_path / "short.csv"
    path.write_bytes(f"Order Date,Customer,Amount\n2026-11-03,{customer},{amount}\n".encode("gbk"))
    data = load_form(path, CTX)
    assert data.records("sales")[0]["customer"] == customer
    (guess,) = [i for i in data.issues if i.code is Code.ENCODING_GUESSED]
    assert (
        guess.value == "gb18030" and customer in guess.message_en and customer in guess.message_zh
    )


def test_encoding_option_overrides_detection(tmp_path):
    path = tmp_path / "short.csv"
    path.write_bytes("Customer,Sales,Date\nKöln,1,2026-01-02\n".encode("cp437"))
    data = load_form(path, ValidationContext(today=TODAY, encoding="cp437"))
    assert data.issues == [] and data.records("sales")[0]["customer"] == "Köln"


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_a_line_in_another_encoding_is_an_error_at_its_row(tmp_path, bom):
    names = ["张三", "李四", "王五", "赵六", "孙七", "周八"]
    lines = [f"2026-01-0{i + 1},{10 * (i + 1)},{name}\n" for i, name in enumerate(names)]
    raw = bom + "日期,金额,客户名称\n".encode()
    raw += b"".join(line.encode("gbk" if i == 2 else "utf-8") for i, line in enumerate(lines))
    path = tmp_path / "mixed.csv"
    path.write_bytes(raw)
    data = load_form(path, CTX)
    (bad,) = [i for i in data.issues if i.code is Code.BAD_ENCODING]
    assert (bad.row, bad.cell, bad.severity) == (4, "A4", Severity.ERROR)
    assert "王五" in bad.message_en  # what the line probably says, read as GB18030
    good = [r["customer"] for r in data.records("sales") if r["_row"] != 4]
    assert good == ["张三", "李四", "赵六", "孙七", "周八"]  # 5 of 6 names intact


def test_skip_bad_rows_leaves_out_the_undecodable_row(tmp_path):
    raw = "日期,金额,客户名称\n2026-01-02,10,张三\n".encode()
    raw += "2026-01-03,20,李四\n".encode("gbk") + "2026-01-04,30,王五\n".encode()
    path = tmp_path / "mixed.csv"
    path.write_bytes(raw)
    result = CliRunner().invoke(
        main,
        ["import", "sales", str(path), "--db", str(tmp_path / "s.db"), "--skip-bad-rows"],
    )
    assert result.exit_code == 0, result.output
    assert "2 rows added" in result.output and "bad_encoding" in result.output


# ----------------------------------------------------------------------------
# Form detection and the capped text output
# ----------------------------------------------------------------------------


def pos_export(path: Path, n: int) -> Path:
    rows: list[list[Any]] = [["id", "date", "time", "name", "size", "type", "price"]]
    for i in range(n):
        rows.append([i, "2025-01-01", "07:45", "Latte", "L", "coffee", 4.5])
    return write_csv(path, rows)


def test_a_point_of_sale_csv_is_not_taken_for_the_workdays_form(tmp_path):
    data = load_form(pos_export(tmp_path / "pos.csv", 500), CTX)
    assert data.form_id is None
    (refusal,) = data.issues
    assert refusal.code is Code.UNKNOWN_FORM
    assert "id, date, time, name, size, type, price" in refusal.message_en
    assert "金额 Amount" in refusal.message_en  # closest: sales records, its amount is missing
    assert "id → " not in refusal.message_en  # a short word inside a label is no near miss


def test_a_real_workdays_list_is_still_recognised(tmp_path):
    rows = [["日期", "类型", "说明"], ["2027-02-06", "工作日", "调休"]]
    assert load_form(write_csv(tmp_path / "w.csv", rows), CTX).form_id == "workdays"


def test_text_output_shows_50_issues_per_file_and_json_all(tmp_path):
    rows = [["日期", "客户名称", "金额"]] + [["not a date", f"客户{i}", "x"] for i in range(60)]
    path = write_csv(tmp_path / "bad.csv", rows)
    runner = CliRunner()
    text = runner.invoke(main, ["validate", str(path), "--lang", "en", "--as-of", "2026-11-24"])
    assert text.exit_code == 1
    assert text.output.count("bad_type") == 50
    assert "70 more issues not shown" in text.output  # 120 issues: 60 dates, 60 amounts
    every = runner.invoke(main, ["validate", str(path), "--all", "--as-of", "2026-11-24"])
    assert every.output.count("bad_type") == 120
    report = json.loads(runner.invoke(main, ["validate", str(path), "--format", "json"]).output)
    assert report["stats"]["issues"] == len(report["issues"]) == 120  # JSON is never capped
    as_list = runner.invoke(main, ["validate", str(path), "--format", "json-list"])
    assert len(json.loads(as_list.output)) == 120


# ----------------------------------------------------------------------------
# Refusals that say what to change
# ----------------------------------------------------------------------------


def test_a_refusal_names_columns_closest_form_missing_fields_and_near_misses(tmp_path):
    rows = [["单号", "下单日", "买家", "成交价"], ["1", "2026-01-02", "甲", "10"]]
    data = load_form(
        write_csv(tmp_path / "x.csv", rows), ValidationContext(expect=("sales_records",))
    )
    (refusal,) = data.issues
    en, zh = refusal.message_en, refusal.message_zh
    assert "单号, 下单日, 买家, 成交价" in en
    assert "Sales records" in en and "金额 Amount" in en
    assert "下单日 → 日期 Date" in en and "下单日 → 日期 Date" in zh
    assert "--map date=下单日" in en


def test_under_import_sales_the_suggestions_are_sales_record_fields(tmp_path):
    rows = [["单号", "拜访日", "跟进"], ["1", "2026-01-02", "x"]]
    path = write_csv(tmp_path / "x.csv", rows)
    result = CliRunner().invoke(
        main, ["import", "sales", str(path), "--db", str(tmp_path / "s.db"), "--lang", "en"]
    )
    assert result.exit_code == 1
    assert "Sales records" in result.output and "Daily report" not in result.output


def test_a_wide_monthly_table_is_recognised_and_sent_where_it_belongs(tmp_path):
    rows = [["区域", *(f"{m}月" for m in range(1, 13))], ["华东", *range(100, 112)]]
    result = CliRunner().invoke(
        main,
        [
            "import",
            "sales",
            str(write_csv(tmp_path / "m.csv", rows)),
            "--db",
            str(tmp_path / "s.db"),
        ],
    )
    assert result.exit_code == 1
    assert "monthly summary laid out wide" in result.output and "1月 … 12月" in result.output
    assert "History" in result.output


# ----------------------------------------------------------------------------
# Duplicate rows are judged on every column
# ----------------------------------------------------------------------------


def test_order_lines_differing_only_in_unused_columns_are_not_duplicates(tmp_path):
    path = erp_export(tmp_path / "erp.csv", n=56)  # 56 lines, 28 days: pairs alike but for SO
    data = load_form(path, CTX)
    assert data.form_id == "sales_records"
    assert [i for i in data.issues if i.code is Code.DUPLICATE_ROW] == []
    assert len(data.records("sales")) == 56


def test_a_line_entered_twice_is_still_a_duplicate(tmp_path):
    rows = [["订单编号", "订单日期", "客户名称", "含税金额"], ["SO1", "2026-01-02", "甲", "10"]] * 1
    rows.append(["SO1", "2026-01-02", "甲", "10"])
    data = load_form(write_csv(tmp_path / "d.csv", rows), CTX)
    assert [(i.code, i.row) for i in data.issues if i.code is Code.DUPLICATE_ROW] == [
        (Code.DUPLICATE_ROW, 3)
    ]


def test_an_erp_export_reads_with_synonyms_and_rounded_prices_are_a_warning(tmp_path):
    rows = [
        ["订单日期", "客户名称", "销售数量", "含税单价", "含税金额"],
        ["2026-01-02", "甲", 3, 33.33, 101],
    ]
    data = load_form(write_csv(tmp_path / "e.csv", rows, "gbk"), CTX)
    (mismatch,) = [i for i in data.issues if i.code is Code.AMOUNT_MISMATCH]
    assert mismatch.severity is Severity.WARNING  # the export's amount is the truth
    assert not data.has_errors and data.records("sales")[0]["amount"] == 101


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("含税金额(万元)", [15000.0, 12000.0, 2500.0]),  # 1.5, 1.2万 as written, 0.25
        ("金额（千元）", [1500.0, 12000.0, 250.0]),
        ("销售额/万元", [15000.0, 12000.0, 2500.0]),
    ],
)
def test_an_amount_column_in_ten_thousands_is_read_in_yuan_and_said(tmp_path, header, expected):
    """An export whose amount header gives 万元 (or 千元) holds 1.5 for ¥15,000: read as 1.5
    yuan it was 10,000 times too small.  A cell naming its own unit (1.2万) is read as
    written; the note names the column and the factor."""
    path = tmp_path / "wan.csv"
    path.write_text(
        f"日期,客户,{header}\n2026-11-03,A,1.5\n2026-11-04,B,1.2万\n2026-11-05,C,0.25\n"
    )
    context = ValidationContext(today=TODAY, column_map={"amount": header})  # as --map gives it
    data = load_form(path, context)
    assert [r["amount"] for r in data.records("sales")] == expected
    (note,) = [i for i in data.issues if i.code is Code.UNIT_SCALED]
    assert note.severity is Severity.INFO and note.cell == "C1" and header in note.message_zh


def test_an_amount_in_yuan_says_nothing_of_units(tmp_path):
    path = tmp_path / "yuan.csv"
    path.write_text("日期,客户,金额\n2026-11-03,A,1.5\n")
    data = load_form(path, CTX)
    assert [r["amount"] for r in data.records("sales")] == [1.5]
    assert not [i for i in data.issues if i.code is Code.UNIT_SCALED]


def test_values_under_no_header_are_said_not_lost(tmp_path):
    """A header cell deleted by mistake: the column's values are read by no field, and the
    file says so at that header cell, with how many rows have values there."""
    rows = [
        ["Order Date", "Customer", "Amount", None, "Product"],
        ["2026-11-03", "华联", 100, 3, "x"],
        ["2026-11-04", "永辉", 200, None, "y"],
        ["2026-11-05", "物美", 300, 2, "z"],
    ]
    path = write_xlsx(tmp_path / "blank_header.xlsx", {"销售": rows})
    data = load_form(path, CTX)
    (note,) = [i for i in data.issues if i.code is Code.UNLABELLED_COLUMN]
    assert (note.severity, note.cell, note.value) == (Severity.WARNING, "D1", 3)
    assert "Column D has values in 2 rows (from D2)" in note.message_en
    assert [r["amount"] for r in data.records("sales")] == [100, 200, 300]


@pytest.mark.parametrize(
    ("header", "expected", "scaled"),
    [
        ("销售金额(元)", [1.5, 2.0], False),
        ("金额（元）", [1.5, 2.0], False),
        ("销售额/元", [1.5, 2.0], False),
        ("Amount (RMB)", [1.5, 2.0], False),
        ("金额（万元）", [15000.0, 20000.0], True),
        ("销售金额(千元)", [1500.0, 2000.0], True),
    ],
)
def test_an_amount_header_with_its_unit_is_known_without_a_map(tmp_path, header, expected, scaled):
    """销售金额(元) is 销售金额 with its unit: the amount, with no --map (it was refused as a
    missing 金额 Amount next to an 'extra column' 销售金额(元)); in 万元 or 千元 it is also
    turned into yuan."""
    path = tmp_path / "unit.csv"
    path.write_text(f"单据日期,客户名称,{header}\n2026-11-03,华联,1.5\n2026-11-04,永辉,2\n")
    data = load_form(path, CTX)
    assert [r["amount"] for r in data.records("sales")] == expected
    codes = {i.code for i in data.issues}
    assert Code.MISSING_COLUMN not in codes and Code.EXTRA_COLUMN not in codes
    assert (Code.UNIT_SCALED in codes) is scaled


def test_a_percentage_in_an_amount_column_is_an_error_not_a_fraction(tmp_path):
    """'50%' under Amount was stored as ¥0.50: a percentage is no amount, so it is an error
    at its cell (as a percent field it would be 0.5)."""
    path = tmp_path / "pct.csv"
    path.write_text("Order Date,Customer,Amount\n2026-11-03,A,50%\n2026-11-04,B,300\n")
    data = load_form(path, CTX)
    (bad,) = [i for i in data.issues if i.code is Code.BAD_TYPE]
    assert (bad.cell, bad.severity) == ("C2", Severity.ERROR)
    assert "percentage, not an amount" in bad.message_en


# ----------------------------------------------------------------------------
# Decimal commas: a German or French system's CSV export
# ----------------------------------------------------------------------------


def test_decimal_commas_are_named_and_never_converted(tmp_path):
    """A German shop's export: `1.234,56` and `12,50` are refused with their reading; in
    that column `1.234` (1234 there, 1.234 here) and `1,250` (1.25 there) are not used
    either; 3000 reads the same in both notations and is kept."""
    rows = [
        ["Date", "Customer", "Amount", "Quantity"],
        ["2026-11-03", "Müller GmbH", "1.234,56", "2"],
        ["2026-11-04", "Dupont SA", "12,50", "1"],
        ["2026-11-05", "Schmidt KG", "1.234", "3"],
        ["2026-11-06", "Weber AG", "3000", "1"],
        ["2026-11-07", "Weber AG", "1,250", "1"],
    ]
    data = load_form(write_csv(tmp_path / "bestellungen.csv", rows), CTX)
    assert data.form_id == "sales_records"
    assert [r["amount"] for r in data.records("sales")] == [None, None, None, 3000, None]
    bad = [(i.cell, i.severity) for i in data.issues if i.code is Code.BAD_TYPE]
    assert bad == [(c, Severity.ERROR) for c in ("C2", "C3", "C4", "C6")]
    by_cell = {i.cell: i for i in data.issues}
    assert "decimal comma" in by_cell["C2"].message_en
    assert "thousands separators group" not in by_cell["C2"].message_en
    assert "Write it as 1234.56" in by_cell["C2"].message_en
    assert "Write it as 12.50" in by_cell["C3"].message_en
    assert "'1.234' reads two ways" in by_cell["C4"].message_en
    assert "1.234, or 1234" in by_cell["C4"].message_en
    assert "'1.234,56' in C2" in by_cell["C4"].message_en
    assert "1250, or 1.250" in by_cell["C6"].message_en
