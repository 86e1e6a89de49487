"""Reading what people really send (salesxl/read/, salesxl/intake/files.py): every file of
tests/files/ against its spec, guards, the formula scan, form detection, save times."""

from __future__ import annotations

import datetime as dt
import math
import os
import shutil
import warnings
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import (
    FILES,
    FIRST_ROW,
    GOOD_ROW,
    NOVEMBER,
    TODAY,
    daily_grid,
    daily_labels,
    places,
    read,
    write_daily,
    write_xlsx,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from salesxl.forms import DAILY_REPORT, FORMS
from salesxl.intake.files import collect_files, load_form, load_forms, stream_forms
from salesxl.read import Limits, ReadError, locate, open_book, package
from salesxl.read.formulas import (
    column_index,
    column_letters,
    error_cells,
    sheet_parts,
    uncached_formula_cells,
)
from salesxl.read.locate import (
    _CELL_LABELS,
    _FULL_ROW,
    _LABELS_READ,
    _MIN_LABELS,
    _REQUIRED,
    _SHEET_NAMES,
    _SIGNATURES,
    _TABLE_LABELS,
    _TABLES_WITH,
    _Candidate,
    _header_candidates,
    _table_layout,
    without_unit,
)
from salesxl.read.mapping import header_signature
from salesxl.read.marks import written_by
from salesxl.read.values import norm_label
from salesxl.read.workbook import Grid
from salesxl.validate import ValidationContext
from salesxl.write.templates import write_form
from tests.make_files import RECORDS, SPECS, Spec, build, set_core_times

CTX = ValidationContext(today=TODAY)


# ----------------------------------------------------------------------------
# tests/files: every file reads as its spec says
# ----------------------------------------------------------------------------


def _same(got: object, want: object) -> bool:
    if isinstance(want, float) and isinstance(got, float):
        return math.isclose(got, want, rel_tol=0, abs_tol=1e-9)
    return got == want


def check_spec(spec: Spec, path: Path) -> None:
    data = load_form(path, CTX)
    if spec.skipped:
        return
    assert data.form_id == spec.form, (spec.name, data.issues)
    if spec.partial:
        counts = Counter(i.code.value for i in data.issues)
        for code, count in spec.codes.items():
            assert counts[code] == count, (spec.name, code, data.issues)
        errors = {i.code.value for i in data.issues if i.is_error} - set(spec.codes)
        assert not errors, (spec.name, data.issues)
        for key, value in spec.header.items():
            assert str(data.header.get(key)) == str(value), (spec.name, key, data.header)
    else:
        assert places(data) == list(spec.issues), spec.name
        assert data.header == dict(spec.header), spec.name
    for table, expected in spec.records.items():
        got = data.records(table)
        assert len(got) == (spec.count if spec.count is not None else len(expected)), spec.name
        for record, want in zip(got, expected, strict=False):
            assert all(_same(record.get(k), v) for k, v in want.items()), (
                spec.name,
                table,
                record,
                want,
            )
    if spec.rows:
        main = next(iter(spec.records))
        assert [r["_row"] for r in data.records(main)] == list(spec.rows), spec.name


READABLE = [s for s in SPECS if not s.note]


@pytest.mark.parametrize("spec", READABLE, ids=[s.name for s in READABLE])
def test_checked_in_file_reads_as_specified(spec):
    check_spec(spec, FILES / spec.name)


@pytest.mark.parametrize("spec", READABLE, ids=[s.name for s in READABLE])
def test_make_files_still_builds_what_the_spec_says(spec, tmp_path, request):
    if spec.needs_soffice:
        request.getfixturevalue("soffice")  # skips when LibreOffice is missing
    check_spec(spec, build(spec, tmp_path))


def test_the_folder_holds_exactly_the_specified_files():
    on_disk = sorted(str(p.relative_to(FILES)) for p in FILES.rglob("*") if p.is_file())
    assert on_disk == sorted(s.name for s in SPECS)


def test_collect_files_skips_lock_and_hidden_files_and_notes_others():
    files, notes = collect_files([FILES])
    names = [str(p.relative_to(FILES)) for p in files]
    assert names == sorted(names, key=lambda n: str(FILES / n))
    assert set(names) == {s.name for s in SPECS if not s.skipped and not s.note}
    skipped = {s.name for s in SPECS if s.skipped}
    assert {str(Path(n.file).relative_to(FILES)) for n in notes} == skipped | {"bad/note.txt"}
    assert all(n.severity == "info" and n.cell is None for n in notes)
    # every path passed over says why: a lock file, a hidden file, not a spreadsheet
    why = {Path(n.file).name: (n.code, n.message_en) for n in notes}
    assert why["note.txt"] == ("unknown_form", "Not an Excel or CSV file; skipped.")
    assert {code for code, _ in why.values()} == {"skipped", "unknown_form"}
    assert any("lock file" in message for _, message in why.values())
    assert any("hidden file" in message for _, message in why.values())


def test_every_daily_variant_reads_the_same_contacts():
    variants = [s for s in SPECS if s.records == {"daily": RECORDS} and not s.skipped]
    assert len(variants) >= 8
    for spec in variants:
        records = [
            {k: v for k, v in r.items() if k not in ("_row", "_extra")}
            for r in load_form(FILES / spec.name, CTX).records("daily")
        ]
        assert records == RECORDS, spec.name


def test_macros_are_in_the_xlsm_and_never_run():
    path = FILES / "daily_macro.xlsm"
    with zipfile.ZipFile(path) as archive:
        assert "xl/vbaProject.bin" in archive.namelist()
    with warnings.catch_warnings():  # oletools' pyparsing use is deprecated, not our concern
        warnings.simplefilter("ignore", DeprecationWarning)
        from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(path))
    try:
        assert parser.detect_vba_macros()
    finally:
        parser.close()
    book = open_book(path)
    try:
        assert book.kind == "xlsx" and "日报 Daily" in book.sheet_names
    finally:
        book.close()


def test_xls_is_a_legacy_ole_workbook():
    data = (FILES / "daily_legacy.xls").read_bytes()
    assert data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    assert open_book(FILES / "daily_legacy.xls").kind == "xls"


def test_csv_encodings_are_what_they_say():
    utf8 = (FILES / "csv/daily_utf8.csv").read_bytes()
    bom = (FILES / "csv/daily_utf8_bom.csv").read_bytes()
    gbk = (FILES / "csv/daily_gbk.csv").read_bytes()
    assert not utf8.startswith(b"\xef\xbb\xbf") and bom.startswith(b"\xef\xbb\xbf")
    utf8.decode("utf-8")
    with pytest.raises(UnicodeDecodeError):
        gbk.decode("utf-8")
    assert "华联超市" in gbk.decode("gbk")


def test_uncalculated_formulas_never_read_as_zero():
    data = load_form(FILES / "daily_uncalculated.xlsx", CTX)
    amounts = [r["amount"] for r in data.records("daily")]
    assert amounts == [None, None, None, None]
    assert all(i.sheet == "日报" for i in data.issues)
    # the 金额 of the 成交 rows (8, 9) is required there: missing, an error, as if blank
    severities = [(i.cell, i.severity.value) for i in data.issues]
    assert severities == [("D3", "warning"), ("K7", "warning"), ("K8:K9", "error")]
    assert "month_target" not in data.header  # the header formula is not a zero either


# ----------------------------------------------------------------------------
# Layout variations built here
# ----------------------------------------------------------------------------

ROW2 = {**GOOD_ROW, "customer": "永辉", "amount": "¥3,000", "date": "11月4日"}


@pytest.mark.parametrize("style", ["zh", "en", "both", "lines"])
def test_label_styles(tmp_path, style):
    data = read(write_daily(tmp_path / "f.xlsx", [GOOD_ROW, ROW2], labels=daily_labels(style)))
    assert data.issues == []
    assert [r["customer"] for r in data.records("daily")] == ["华联超市", "永辉"]
    assert data.records("daily")[1]["date"] == dt.date(2026, 11, 4)


@pytest.mark.parametrize(
    "label",
    [
        "客户名称*",
        "客户名称：",
        " 客户名称 ",
        "客户名称 *",
        "ＣＵＳＴＯＭＥＲ",
        "customer",
        "客户名称(Customer)",
        "客户名称（Customer）",
        "客户",
    ],
)
def test_label_spellings(tmp_path, label):
    labels = daily_labels("zh")
    labels[1] = label
    data = read(write_daily(tmp_path / "f.xlsx", [GOOD_ROW], labels=labels))
    assert data.issues == [] and data.records("daily")[0]["customer"] == "华联超市"


@pytest.mark.parametrize(
    "header",
    [
        [["销售员", "张伟", "工号", "S001"], ["月份", "2026-11"]],  # right of the label
        [
            ["销售员", None, "张伟"],
            ["工号", None, "S001"],
            ["月份", None, "2026-11"],
        ],  # two cells right
        [["销售员", "工号", "月份"], ["张伟", "S001", "2026-11"]],  # below the label
        [["销售员：张伟", "工号: S001", "月份：2026年11月"]],  # one cell
        [["销售员 Rep*", "张伟"], ["工号 Rep ID：", "S001"], ["Month", dt.date(2026, 11, 1)]],
        [["Rep", "张伟", "Rep ID", "S001", "Month", "2026/11"]],
    ],
    ids=["right", "right2", "below", "colon", "bilingual", "english"],
)
def test_header_block_spellings(tmp_path, header):
    data = read(write_daily(tmp_path / "f.xlsx", [GOOD_ROW], header=[["日报"], *header, []]))
    assert data.issues == []
    assert (data.header["rep_name"], data.rep_id, str(data.period)) == ("张伟", "S001", "2026-11")


def test_header_value_cells_are_reported_where_they_are(tmp_path):
    header = [["日报"], ["销售员", "工号", "月份"], ["张伟", "S001", "十一月"], []]
    data = read(write_daily(tmp_path / "f.xlsx", [GOOD_ROW], header=header))
    assert places(data) == [("bad_type", "C3")]


def test_any_column_order_and_title_rows(tmp_path):
    keys = ["notes", "amount", "customer", "stage", "date", "grade", "qty", "price"]
    labels = [DAILY_REPORT.main_table.field(k).en for k in keys]
    header = [
        ["Company ABC"],
        ["Sales daily report"],
        [],
        ["Rep", "张伟"],
        ["Rep ID", "S001"],
        ["Month", "2026-11"],
        [],
        [],
    ]
    grid = daily_grid([{**GOOD_ROW, "grade": "C"}], header=header, labels=labels, fields=keys)
    data = read(write_xlsx(tmp_path / "f.xlsx", {"Sheet1": grid}))
    assert data.issues == []
    (record,) = data.records("daily")
    assert record["_row"] == 10
    assert {k: record[k] for k in keys} == {
        "notes": None,
        "amount": 3000,
        "customer": "华联超市",
        "stage": "7",
        "date": dt.date(2026, 11, 3),
        "grade": "C",
        "qty": 2,
        "price": 1500,
    }
    assert data.tables["daily"].columns == {
        "notes": "A",
        "amount": "B",
        "customer": "C",
        "stage": "D",
        "date": "E",
        "grade": "F",
        "qty": "G",
        "price": "H",
    }


def test_merged_data_cells_repeat_text_and_count_numbers_once(tmp_path):
    """A date or customer merged over rows belongs to each row; a merged amount counts once."""
    rows = [
        {**GOOD_ROW, "stage": "7"},
        {
            **GOOD_ROW,
            "date": None,
            "customer": None,
            "contact": "王",
            "stage": "7",
            "qty": None,
            "price": None,
            "amount": None,
            "deposit": None,
        },
    ]
    merges = ["A6:A7", "B6:B7", "K6:K7"]
    grid = daily_grid(rows)
    data = read(write_xlsx(tmp_path / "f.xlsx", {"日报": grid}, merges={"日报": merges}))
    assert data.issues == []
    first, second = data.records("daily")
    assert (second["date"], second["customer"], second["contact"]) == (
        dt.date(2026, 11, 3),
        "华联超市",
        "王",
    )
    assert (first["amount"], second["amount"]) == (3000, None)


def test_two_header_rows_under_merged_group_cells(tmp_path):
    top = ["日期", "客户名称", "客户信息", None, "销售阶段", "成交信息", None, None, "备注"]
    sub = [None, None, "联系人", "电话", None, "数量", "单价", "金额", None]
    grid = [
        ["销售员", "张伟", "工号", "S001"],
        ["月份", "2026-11"],
        [],
        top,
        sub,
        ["2026-11-03", "华联", "李", "13812345678", "7", 2, 1500, 3000, "x"],
    ]
    merges = ["A4:A5", "B4:B5", "C4:D4", "E4:E5", "F4:H4", "I4:I5"]
    data = read(write_xlsx(tmp_path / "f.xlsx", {"日报": grid}, merges={"日报": merges}))
    assert data.issues == []
    (record,) = data.records("daily")
    assert (
        record["_row"],
        record["contact"],
        record["phone"],
        record["qty"],
        record["amount"],
        record["notes"],
    ) == (6, "李", "13812345678", 2, 3000, "x")


def test_second_label_row_with_an_unknown_sub_label(tmp_path):
    top = ["日期", "客户名称", "客户信息", None, None, "销售阶段"]
    sub = [None, None, "联系人", "电话", "微信", None]
    grid = [
        ["销售员", "张伟", "工号", "S001"],
        ["月份", "2026-11"],
        [],
        top,
        sub,
        ["2026-11-03", "华联", "李", "13812345678", "hl88", "5"],
    ]
    merges = ["A4:A5", "B4:B5", "C4:E4", "F4:F5"]
    data = read(write_xlsx(tmp_path / "f.xlsx", {"日报": grid}, merges={"日报": merges}))
    assert places(data) == [("extra_column", "E5")]
    assert data.issues[0].column == "客户信息 微信"
    assert data.records("daily")[0]["_extra"] == {"客户信息 微信": "hl88"}


def test_a_second_label_row_the_form_does_not_know_is_said_not_read_as_data(tmp_path):
    """A daily report exported by a German system: 成交信息 merged over C4:E4 above Menge,
    Preis, Betrag.  Row 5 is header, not a record (no "'日期' is not a date"); the
    warning shows both rows and the columns the table expected."""
    top = ["日期", "客户名称", "成交信息", None, None, "销售阶段", "备注"]
    sub = [None, None, "Menge", "Preis", "Betrag", None, None]
    grid = [
        ["销售员", "张伟", "工号", "S001"],
        ["月份", "2026-11"],
        [],
        top,
        sub,
        ["2026-11-03", "华联", 2, 1500, 3000, "5", "x"],
    ]
    merges = ["A4:A5", "B4:B5", "C4:E4", "F4:F5", "G4:G5"]
    data = read(write_xlsx(tmp_path / "f.xlsx", {"日报": grid}, merges={"日报": merges}))
    assert places(data) == [("unknown_sub_labels", "C5")]
    (warning,) = data.issues
    assert warning.severity.value == "warning"
    assert "Rows 4 and 5 read as a two-row header" in warning.message_en
    assert (
        "Row 4: A4 日期, B4 客户名称, C4:E4 成交信息, F4 销售阶段, G4 备注." in warning.message_en
    )
    assert "Row 5: C5 Menge, D5 Preis, E5 Betrag." in warning.message_en
    assert "数量 Qty, 单价 Unit price, 金额 Amount" in warning.message_en
    assert "第 5 行：C5 Menge、D5 Preis、E5 Betrag。" in warning.message_zh
    (record,) = data.records("daily")
    assert (record["_row"], record["stage"], record["amount"]) == (6, "5", None)
    assert record["_extra"] == {
        "成交信息 Menge": 2,
        "成交信息 Preis": 1500,
        "成交信息 Betrag": 3000,
    }


def test_a_form_label_spanning_unknown_sub_labels_is_not_guessed(tmp_path):
    """An ERP export: 金额 merged over C1:D1 above 含税 (3390) and 不含税 (3000).  Neither
    is taken for the Amount, and the error says why, where a missing column would not."""
    top = ["单据日期", "客户名称", "金额", None, "销售员"]
    sub = [None, None, "含税", "不含税", None]
    grid = [top, sub, ["2026-11-03", "华联超市", 3390, 3000, "张伟"]]
    merges = ["A1:A2", "B1:B2", "C1:D1", "E1:E2"]
    data = read(write_xlsx(tmp_path / "e.xlsx", {"销售明细": grid}, merges={"销售明细": merges}))
    assert data.form_id == "sales_records"
    (error,) = [i for i in data.issues if i.is_error]
    assert (error.code.value, error.cell) == ("unknown_sub_labels", "C2")
    assert "Row 1: A1 单据日期, B1 客户名称, C1:D1 金额, E1 销售员." in error.message_en
    assert "Row 2: C2 含税, D2 不含税." in error.message_en
    assert "'金额' (C1:D1) spans the sub-labels 含税, 不含税" in error.message_en
    assert "expected but not found: 金额 Amount," in error.message_en
    assert [r["amount"] for r in data.records("sales")] == [None]
    assert data.records("sales")[0]["_extra"] == {"金额 含税": 3390, "金额 不含税": 3000}


def test_a_data_row_is_never_taken_for_a_second_label_row(tmp_path):
    rows = [{"date": "2026-11-03", "customer": "日期"}]  # a customer that happens to be a label
    data = read(write_daily(tmp_path / "f.xlsx", [*rows, GOOD_ROW]))
    assert [r["customer"] for r in data.records("daily")] == ["日期", "华联超市"]


def test_a_first_row_whose_values_read_like_labels_is_data(tmp_path):
    """No phone column, and the first contact came by 电话 (Phone, also the phone label)."""
    keys = ["date", "customer", "source", "objection", "stage"]
    labels = [DAILY_REPORT.main_table.field(k).zh for k in keys]
    rows = [{**GOOD_ROW, "stage": "5", "source": "电话", "objection": "产品"}]
    rows += [{**GOOD_ROW, "stage": "5"}]  # no amount column: stage 5 is fine
    data = read(
        write_xlsx(tmp_path / "f.xlsx", {"日报": daily_grid(rows, labels=labels, fields=keys)})
    )
    assert data.issues == []
    assert [(r["_row"], r["source"], r["objection"]) for r in data.records("daily")] == [
        (6, "phone", "product"),
        (7, "visit", "price"),
    ]


def test_two_unknown_columns_with_one_label_keep_both(tmp_path):
    grid = daily_grid([GOOD_ROW])
    grid[4] += ["微信", "微信"]
    grid[5] += ["a1", "b2"]
    data = read(write_xlsx(tmp_path / "f.xlsx", {"日报": grid}))
    assert places(data) == [("extra_column", "P5"), ("extra_column", "Q5")]
    assert data.records("daily")[0]["_extra"] == {"微信": "a1", "微信 (Q)": "b2"}


def test_hidden_sheets_are_not_read(tmp_path):
    path = write_xlsx(
        tmp_path / "f.xlsx",
        {"Old": daily_grid([GOOD_ROW] * 2), "日报": daily_grid([GOOD_ROW])},
        hidden=["Old"],
    )
    data = read(path)
    assert data.tables["daily"].sheet == "日报" and len(data.records("daily")) == 1


def _daily_sheet(rep: str, rows: list[dict[str, Any]]) -> list[list[Any]]:
    header = [["销售日报 2026年11月"], ["销售员", "张伟", "工号", rep], ["月份", "2026-11"], []]
    return daily_grid(rows, header=header)


def test_a_second_sheet_holding_the_same_table_is_an_error_not_lost(tmp_path):
    """A month's rows split over 日报 and 日报2, or a copied sheet 日报 (2) with other
    figures: only one sheet is read, so the other's rows are an error at its label row,
    never left out without a word.  Sheets with the labels but no rows (a blank copy, the
    template's own instructions) say nothing."""
    first = {**GOOD_ROW, "date": "2026-11-03", "amount": 3000, "qty": 2, "price": 1500}
    later = [
        {**GOOD_ROW, "date": "2026-11-04", "customer": "永辉", "amount": 4500, "qty": 3},
        {
            **GOOD_ROW,
            "date": "2026-11-05",
            "customer": "大润发",
            "amount": 1200,
            "qty": 1,
            "price": 1200,
        },
    ]
    path = write_xlsx(
        tmp_path / "split.xlsx",
        {
            "日报": _daily_sheet("S001", [first]),
            "日报2": _daily_sheet("S001", later),
            "日报 (3)": _daily_sheet("S001", []),  # a blank copy: nothing to lose
            "说明": [["填表说明：每天下班前填写日报"], ["日期、客户名称必填"]],
        },
    )
    data = read(path)
    assert [r["amount"] for r in data.records("daily")] == [3000]  # 日报 is the sheet read
    (issue,) = data.issues
    assert (issue.code.value, issue.severity.value, issue.sheet, issue.cell) == (
        "unread_sheet",
        "error",
        "日报2",
        "A5",
    )
    assert issue.message_en == (
        "Sheet '日报2' also holds a Daily table (labels in row 5, 2 rows below them) that is "
        "not read: only sheet '日报' is. Put all the rows on one sheet (or delete the extra "
        "copy), save it and send it again."
    )


def test_a_copied_sheet_in_a_form_from_our_template_is_found_its_instructions_not_read(
    tmp_path, monkeypatch
):
    """A rep copies the template's 日报 Daily sheet and goes on writing there: the copy's
    row is an error (its ¥4,500 would be lost).  The template's own 说明 Instructions
    sheet names every column in its rules; in a workbook bearing the template's mark it
    is never parsed (every report would pay for it)."""
    import openpyxl

    from salesxl.read.workbook import Book

    row = {"date": dt.date(2026, 11, 3), "customer": "华联超市", "source": "visit", "stage": "3"}
    path = write_form(
        tmp_path / "S001.xlsx",
        DAILY_REPORT,
        header={"rep_name": "张伟", "rep_id": "S001", "month": "2026-11"},
        rows={"daily": [row]},
    )
    book = openpyxl.load_workbook(path)
    copy = book.copy_worksheet(book["日报 Daily"])
    copy.title = "日报 Daily (2)"
    header_row = next(r for r in range(1, 40) if copy.cell(r, 1).value == "日期*\nDate")
    copy.cell(header_row + 2, 1).value = dt.datetime(2026, 11, 4)
    copy.cell(header_row + 2, 2).value = "永辉超市"
    book.save(path)
    loaded: list[str] = []
    load = Book._load
    monkeypatch.setattr(Book, "_load", lambda self, name: loaded.append(name) or load(self, name))
    data = read(path)
    unread = [i for i in data.issues if i.code.value == "unread_sheet"]
    assert [(i.sheet, i.cell) for i in unread] == [("日报 Daily (2)", f"A{header_row}")]
    assert "说明 Instructions" not in loaded and "日报 Daily (2)" in loaded


def test_header_row_found_far_down_but_not_beyond_the_scan_window(tmp_path):
    near = daily_grid(
        [GOOD_ROW], header=[["销售员", "张伟", "工号", "S001"], ["月份", "2026-11"]] + [[]] * 50
    )
    assert read(write_xlsx(tmp_path / "near.xlsx", {"日报": near})).issues == []
    far = daily_grid([GOOD_ROW], header=[["销售员", "张伟"]] + [[]] * 80)
    assert places(read(write_xlsx(tmp_path / "far.xlsx", {"日报": far}))) == [
        ("unknown_form", None)
    ]


def test_a_header_block_that_looks_like_another_forms_header(tmp_path):
    """`Rep | Rep ID | Region` are three roster labels; the daily table below still wins."""
    header = [["Rep", "Rep ID", "Region", "Month"], ["张伟", "S001", "East", "2026-11"], []]
    data = read(
        write_daily(tmp_path / "f.xlsx", [GOOD_ROW], header=header, labels=daily_labels("en"))
    )
    assert data.form_id == "daily_report" and data.issues == []


def test_our_own_templates_are_recognised_by_their_form_sheet(tmp_path):
    from salesxl.write.templates import build_templates

    for path in build_templates(tmp_path):
        data = load_form(path, CTX)
        assert data.form_id == path.stem, path.name
        assert {i.code.value for i in data.issues} <= {"missing_header"}


def test_locate_returns_none_without_a_form(tmp_path):
    book = open_book(write_xlsx(tmp_path / "f.xlsx", {"S": [["日期", "客户名称"], ["x", "y"]]}))
    try:
        assert locate(book) is None
    finally:
        book.close()


# ----------------------------------------------------------------------------
# CSV
# ----------------------------------------------------------------------------


def _csv(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "日报.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


CSV_TEXT = '销售员,张伟\n工号,S001\n月份,2026-11\n\n日期,客户名称,销售阶段,金额\n2026-11-03,华联,成交,"1,200"\n'


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [
        ("utf-8", ","),
        ("utf-8-sig", ","),
        ("gbk", ","),
        ("gb18030", ","),
        ("utf-16", ","),
        ("utf-16-le", ","),  # UTF-16 without its BOM, as some systems' "Unicode" exports
        ("utf-16-be", ","),
        ("utf-16-le", "\t"),
        ("utf-8", ";"),
        ("utf-8", "\t"),
    ],
)
def test_csv_encodings_and_delimiters(tmp_path, encoding, delimiter):
    text = (
        CSV_TEXT
        if delimiter == ","
        else CSV_TEXT.replace(",", delimiter).replace('"1' + delimiter + '200"', "1200")
    )
    data = read(_csv(tmp_path, text, encoding))
    assert data.issues == []
    (record,) = data.records("daily")
    assert (record["customer"], record["stage"], record["amount"]) == ("华联", "7", 1200)


def test_a_workbook_saved_with_a_csv_name_is_read_as_a_workbook(tmp_path):
    path = write_daily(tmp_path / "f.xlsx", [GOOD_ROW])
    renamed = path.rename(tmp_path / "f.csv")
    assert read(renamed).issues == [] and open_book(renamed).kind == "xlsx"


def test_undecodable_csv_is_unreadable(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"\x81\x30\xff\xfe\xfd" * 20)
    assert places(read(path)) == [("unreadable", None)]


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8,  # a picture
        bytes(range(256)) * 16,  # zero bytes, but not one side of each pair: not UTF-16
    ],
)
def test_binary_data_named_csv_is_not_taken_for_utf16_text(tmp_path, data):
    path = tmp_path / "x.csv"
    path.write_bytes(data)
    issue = read(path).issues[0]
    assert (issue.code.value, issue.message_en) == (
        "unreadable",
        "Cannot read the file: this is not a text CSV file. Open it in Excel, save it as .xlsx "
        "and send it again.",
    )


# ----------------------------------------------------------------------------
# Guards and the formula scan
# ----------------------------------------------------------------------------


def test_open_book_raises_read_failure_with_a_code(tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_text("hello")
    with pytest.raises(ReadError) as caught:
        open_book(path)
    assert caught.value.code == "unreadable" and "Excel" in caught.value.message_en


def _xlsb(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.bin", b"\x83\x01\x00")


@pytest.mark.parametrize(
    ("name", "build", "said"),
    [
        ("bad/libreoffice.ods", None, "OpenDocument spreadsheet (.ods"),
        ("ods_named.xlsx", "bad/libreoffice.ods", "OpenDocument spreadsheet (.ods"),
        ("bad/web_page.xls", None, "web page (HTML)"),
        ("web_page.xlsx", "bad/web_page.xls", "web page (HTML)"),
        (
            "xml_2003.xls",
            '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook '
            'xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="日报"/>'
            "</Workbook>",
            "Excel 2003 XML spreadsheet",
        ),
        ("binary.xlsb", _xlsb, "Excel binary workbook (.xlsb)"),
        ("wps.et", "not an OLE file", "WPS spreadsheet in WPS's own format (.et)"),
    ],
)
def test_a_spreadsheet_in_a_format_not_read_says_what_it_is_and_how_to_resave_it(
    tmp_path, name, build, said
):
    """LibreOffice's and WPS's .ods, a web system's HTML "Excel export", Excel 2003 XML,
    .xlsb: each an error that names what the file is (its content decides, not its name)
    and says to save it as .xlsx, and each collected from a folder, never passed over as
    "not a spreadsheet"."""
    if name.startswith("bad/"):
        path = FILES / name
    else:
        path = tmp_path / name
        if callable(build):
            build(path)
        elif build.startswith("bad/"):
            path.write_bytes((FILES / build).read_bytes())
        else:
            path.write_text(build, encoding="utf-8")
    with pytest.raises(ReadError) as caught:
        open_book(path)
    assert caught.value.code == "unreadable"
    assert said in caught.value.message_en
    assert (
        "save it as .xlsx" in caught.value.message_en and "另存为 .xlsx" in caught.value.message_zh
    )
    files, notes = collect_files([path.parent])
    assert path in files and not [n for n in notes if Path(n.file) == path]


def _rezip(source: Path, target: Path, damage: str | None = None) -> Path:
    """`source` with every part stored uncompressed; `damage` names a part to flip a byte of."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as new:
        for info in old.infolist():
            new.writestr(info.filename, old.read(info))
    if damage is not None:
        with zipfile.ZipFile(target) as z:
            info = z.getinfo(damage)
        data = bytearray(target.read_bytes())
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
        middle = start + info.compress_size // 2
        data[middle] = ord("7") if data[middle] != ord("7") else ord("8")
        target.write_bytes(bytes(data))
    return target


def test_the_formula_scan_reads_stored_parts_too(tmp_path):
    stored = _rezip(FILES / "daily_uncalculated.xlsx", tmp_path / "stored.xlsx")
    deflated = load_form(FILES / "daily_uncalculated.xlsx", CTX)
    data = load_form(stored, CTX)
    assert [r["amount"] for r in data.records("daily")] == [None, None, None, None]
    assert [(i.code, i.cell) for i in data.issues] == [(i.code, i.cell) for i in deflated.issues]


@pytest.mark.parametrize("hidden", [False, True])
def test_a_part_whose_bytes_fail_their_checksum_makes_the_file_unreadable(tmp_path, hidden):
    # The daily sheet is read by calamine; the hidden `_lists` sheet is never opened, only
    # scanned for formulas, so its checksum is salesxl's own to check.
    header = {
        "rep_name": "张三",
        "rep_id": "S001",
        "region": "华东",
        "team": "一组",
        "month": NOVEMBER,
    }
    good = write_form(
        tmp_path / "good.xlsx",
        DAILY_REPORT,
        header=header,
        rows={
            "daily": [
                {"date": dt.date(2026, 11, 3), "customer": "永辉", "source": "phone", "stage": "1"}
            ]
        },
    )
    assert not [i for i in read(good).issues if i.is_error]
    parts = sheet_parts(zipfile.ZipFile(good))
    part = parts["_lists"] if hidden else parts["日报 Daily"]
    data = read(_rezip(good, tmp_path / "damaged.xlsx", damage=part))
    assert [i.code.value for i in data.issues] == ["unreadable"]
    assert "Excel" in data.issues[0].message_en


def test_a_part_whose_deflate_stream_is_broken_makes_the_file_unreadable(tmp_path):
    # Parts are inflated by ISA-L, whose error is not zlib's: a stream that cannot be
    # inflated must still be a file refused with its reason, and a mark not read.
    assert package._INFLATE.__name__ == "isal.isal_zlib"  # the dependency, not the fallback
    good = write_form(
        tmp_path / "good.xlsx",
        DAILY_REPORT,
        header={"rep_name": "张三", "rep_id": "S001", "region": "华东", "team": "一组"},
        rows={"daily": [{"date": dt.date(2026, 11, 3), "customer": "永辉", "stage": "1"}]},
    )
    with zipfile.ZipFile(good) as z:
        marks = [z.getinfo(f"docProps/{name}.xml") for name in ("custom", "core")]
        infos = [*marks, z.getinfo(sheet_parts(z)["日报 Daily"])]
    assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in infos)
    data = bytearray(good.read_bytes())
    for info in infos:
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
        data[start] |= 0b110  # the first block's type: 3, which no deflate stream has
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(bytes(data))
    with pytest.raises(package.INFLATE_ERRORS):
        package.unpacked(bytes(data[start : start + info.compress_size]), 8, info.file_size, 0)
    assert written_by(good) is not None and written_by(broken) is None
    issues = read(broken).issues
    assert [i.code.value for i in issues] == ["unreadable"]
    assert "damaged" in issues[0].message_en


def test_limits_default_to_50_mb_on_disk_and_200_mb_unpacked():
    limits = Limits()
    assert (limits.max_file_bytes, limits.max_uncompressed_bytes) == (50 * 2**20, 200 * 2**20)


def test_book_loads_sheets_lazily_and_closes(tmp_path):
    path = write_xlsx(tmp_path / "f.xlsx", {"A": [["x"]], "B": [["y"]]}, hidden=["B"])
    book = open_book(path)
    assert book.sheet_names == ["A", "B"] and book.visible_sheets == ["A"]
    assert book.grid("A").rows == [["x"]] and book.grid("A").value(5, 5) == ""
    assert book.grid("B").hidden
    book.close()


SHEET_XML = (
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1"><f>1+1</f><v>2</v></c><c r="B1"><f>1+1</f><v/></c>'
    b'<c r="C1" t="str"><f>""</f><v></v></c><c r="D1"><f>SUM(A1)</f></c></row>'
    b'<row r="2"><c r="AA2" s="3"><f t="shared" ref="AA2:AA3" si="0">A1*2</f><v></v></c>'
    b'<c r="AB2" t="inlineStr"><is><t>&lt;f not a formula</t></is></c></row>'
    b'<row r="3"><c r="AA3"><f t="shared" si="0"/></c></row>'
    b"</sheetData><dataValidations><dataValidation><formula1>1</formula1></dataValidation>"
    b"</dataValidations></worksheet>"
)


def test_uncached_formula_scan():
    assert uncached_formula_cells(SHEET_XML) == [(0, 1), (0, 3), (1, 26), (2, 26)]
    assert uncached_formula_cells(b"<worksheet><sheetData/></worksheet>") == []


def test_column_letters_and_indexes_round_trip():
    for col in (0, 1, 25, 26, 27, 701, 702, 16383):
        assert column_index(column_letters(col)) == col


def test_sheet_parts_follow_relationships(tmp_path):
    path = write_xlsx(tmp_path / "f.xlsx", {"日报": [["x"]], "Other": [["y"]]})
    with zipfile.ZipFile(path) as archive:
        parts = sheet_parts(archive)
    assert parts == {"日报": "xl/worksheets/sheet1.xml", "Other": "xl/worksheets/sheet2.xml"}


def test_formula_cells_found_in_a_real_workbook(tmp_path):
    rows = [GOOD_ROW, {**GOOD_ROW, "customer": "永辉", "amount": "=I7*J7", "deposit": "=K7/2"}]
    data = read(write_daily(tmp_path / "f.xlsx", rows))
    assert places(data) == [("formula_without_value", "K7"), ("formula_without_value", "L7")]


def test_calculated_formulas_are_read_by_their_cached_value(tmp_path):
    import xlsxwriter

    path = tmp_path / "f.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("日报")
    for r, row in enumerate(daily_grid([GOOD_ROW])):
        for c, value in enumerate(row):
            if value is not None:
                ws.write(r, c, value)
    ws.write_formula(FIRST_ROW - 1, 10, "=I6*J6", None, 3000)
    wb.close()
    data = read(path)
    assert data.issues == [] and data.records("daily")[0]["amount"] == 3000


# ----------------------------------------------------------------------------
# Many files
# ----------------------------------------------------------------------------


def test_load_forms_in_parallel_keeps_order_and_survives_bad_files(tmp_path):
    paths = []
    for i in range(6):
        paths.append(write_daily(tmp_path / f"r{i}.xlsx", [{**GOOD_ROW, "customer": f"客户{i}"}]))
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really")
    paths.insert(3, bad)
    steps = []
    results = load_forms(paths, CTX, workers=2, progress=steps.append)
    assert [Path(d.path).name for d in results] == [p.name for p in paths]
    assert places(results[3].issues) == [("unreadable", None)]
    assert [d.records("daily")[0]["customer"] for i, d in enumerate(results) if i != 3] == [
        f"客户{i}" for i in range(6)
    ]
    assert sum(steps) == len(paths)
    serial = load_forms(paths, CTX, workers=1)
    assert [d.issues for d in serial] == [d.issues for d in results]


def test_stream_forms_gives_each_form_in_order_and_stops_its_processes_when_closed(tmp_path):
    import multiprocessing

    paths = [
        write_daily(tmp_path / f"r{i}.xlsx", [{**GOOD_ROW, "customer": f"客户{i}"}])
        for i in range(12)
    ]
    forms = stream_forms(paths, CTX, workers=2)
    first = [next(forms) for _ in range(5)]
    assert [d.records("daily")[0]["customer"] for d in first] == [f"客户{i}" for i in range(5)]
    assert len(multiprocessing.active_children()) == 2  # reading the files after the 5th
    forms.close()
    assert multiprocessing.active_children() == []


def _niceness(_: object) -> int:
    return os.nice(0)


@pytest.mark.skipif(not hasattr(os, "nice"), reason="the system has no process priorities")
def test_reading_processes_run_so_many_steps_below_their_parent():
    from salesxl.intake.pool import read_isolated

    here = os.nice(0)

    def niceness(nice: int) -> list[int]:
        answers = read_isolated(
            _niceness,
            [1, 2, 3, 4],
            workers=2,
            time_limit=None,
            on_stop=lambda item, why: -1,
            nice=nice,
        )
        return [n for _, n in answers]

    assert niceness(0) == [here] * 4
    assert niceness(5) == [min(here + 5, 19)] * 4
    assert os.nice(0) == here  # this process keeps its own


def test_collect_files_recurses_sorts_and_skips(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    for name in (
        "a/b/z.xlsx",
        "a/y.csv",
        "x.xls",
        "~$x.xlsx",
        ".hidden.xlsx",
        ".git/k.xlsx",
        "readme.md",
        "a/Z.XLSX",
    ):
        (tmp_path / name).write_bytes(b"x")
    files, notes = collect_files([tmp_path])
    assert [str(p.relative_to(tmp_path)) for p in files] == [
        "a/Z.XLSX",
        "a/b/z.xlsx",
        "a/y.csv",
        "x.xls",
    ]
    assert [(Path(n.file).name, n.code.value) for n in notes] == [
        (".git", "skipped"),  # one line for the hidden folder, not one per file in it
        (".hidden.xlsx", "skipped"),
        ("readme.md", "unknown_form"),
        ("~$x.xlsx", "skipped"),
    ]
    single, lock = collect_files([tmp_path / "x.xls", tmp_path / "~$x.xlsx"])
    assert single == [tmp_path / "x.xls"]
    assert [(Path(n.file).name, n.message_en) for n in lock] == [
        ("~$x.xlsx", "An Excel lock file (the workbook is open in Excel); skipped.")
    ]
    with pytest.raises(FileNotFoundError, match="no such file or folder"):
        collect_files([tmp_path / "missing"])


def test_shutil_copy_of_a_file_reads_the_same(tmp_path):
    source = FILES / "daily_zh_only.xlsx"
    copy = Path(shutil.copy(source, tmp_path / "copy.xlsx"))
    assert load_form(copy, CTX).records("daily") == load_form(source, CTX).records("daily")


def test_csv_delimiter_is_not_fooled_by_quoted_text(tmp_path):
    text = CSV_TEXT.replace('"1,200"\n', "1200\n") + '2026-11-04,永辉,"2 客户甄别",0\n'
    text = text.replace("日期,客户名称,销售阶段,金额", "日期,客户名称,销售阶段,金额,备注")
    text += '2026-11-05,大润发,1,,"a;b;c"\n'
    data = read(_csv(tmp_path, text))
    assert data.issues == []
    assert [r["notes"] for r in data.records("daily")] == [None, None, "a;b;c"]


# ----------------------------------------------------------------------------
# Guards on real files, the formula scan cell by cell
# ----------------------------------------------------------------------------


def test_an_explicit_lock_file_argument_is_skipped_too():
    files, notes = collect_files([FILES / "~$daily_zh_only.xlsx"])
    assert files == []
    assert [n.code.value for n in notes] == ["skipped"]


def test_file_size_limit(tmp_path):
    data = load_form(
        FILES / "labels_zh_only.xlsx", ValidationContext(limits=Limits(max_file_bytes=1000))
    )
    assert [i.code.value for i in data.issues] == ["too_large"]
    assert "limit" in data.issues[0].message_en


def test_sheet_cell_limit():
    data = load_form(
        FILES / "labels_zh_only.xlsx", ValidationContext(limits=Limits(max_sheet_cells=20))
    )
    (issue,) = data.issues
    assert issue.code.value == "too_large" and issue.sheet == "日报"


def test_zip_bomb_is_refused_before_parsing():
    data = load_form(FILES / "zip_bomb.xlsx", CTX)
    assert (FILES / "zip_bomb.xlsx").stat().st_size < 1_000_000
    assert "unpacks to 210 MB" in data.issues[0].message_en


@pytest.mark.parametrize(
    ("xml", "cells"),
    [
        (b'<c r="B1"><f>1+2</f><v /></c>', [(0, 1)]),  # openpyxl: no value
        (b'<c r="B1"><f>1+2</f></c>', [(0, 1)]),  # no <v> at all
        (b'<c r="C2" s="1"><f>A1*2</f><v>4</v></c>', []),  # cached
        (b'<c r="D3" t="str"><f>IF(A1,"","x")</f><v></v></c>', []),  # Excel's cached ""
        (b'<c r="E4"><f t="shared" si="0"/></c>', [(3, 4)]),  # shared, no value
        (b'<c r="AA10" t="e"><f>1/0</f><v>#DIV/0!</v></c>', []),  # an error is a value
        (b"<dataValidation><formula1>$A$1:$A$5</formula1></dataValidation>", []),
    ],
)
def test_formula_scan_cell_by_cell(xml, cells):
    assert uncached_formula_cells(xml) == cells


@pytest.mark.parametrize(
    ("xml", "errors"),
    [
        (b'<c r="AA10" t="e"><f>1/0</f><v>#DIV/0!</v></c>', {(9, 26): "#DIV/0!"}),
        (b'<c r="K6" s="3" t="e"><v>#N/A</v></c>', {(5, 10): "#N/A"}),  # pasted as a value
        (b'<c r="K6" t="e"><f t="shared" si="1"/><v>#REF!</v></c>', {(5, 10): "#REF!"}),
        (b'<c r="K6" t="s"><v>3</v></c><!-- t="e" -->', {}),  # not a cell's type
        (b'<c r="K6"><v>3</v></c>', {}),
        (b"<!-- " + b't="e" ' * 200_000 + b'--><c r="B2" t="e"><v>#N/A</v></c>', {(1, 1): "#N/A"}),
    ],
)
def test_error_cells_are_found_cell_by_cell(xml, errors):
    """Cells showing #N/A or #DIV/0!, formulas or pasted values, read as '' by calamine."""
    assert error_cells(xml) == errors


# ----------------------------------------------------------------------------
# When a file was saved: the time Excel records inside it
# ----------------------------------------------------------------------------

_SAVED = dt.datetime(2026, 11, 5, 1, 30, tzinfo=dt.UTC).timestamp()  # 09:30 in Beijing


@pytest.mark.parametrize(
    ("modified", "created", "keep_part", "saved"),
    [
        ("2026-11-05T01:30:00Z", "2026-11-01T01:00:00Z", True, _SAVED),  # Excel: UTC
        ("2026-11-05T09:30:00+08:00", "2026-11-01T01:00:00Z", True, _SAVED),  # with its zone
        ("2026-11-05T01:30:00.250Z", "2026-11-01T01:00:00Z", True, _SAVED + 0.25),
        ("2026-11-05T01:30:00", None, True, _SAVED),  # no zone: UTC
        (
            "2026-11-01T01:00:00Z",
            "2026-11-01T01:00:00Z",
            True,
            None,
        ),  # never saved since it was made
        ("2026-10-30T01:00:00Z", "2026-11-01T01:00:00Z", True, None),  # "saved" before it was made
        (None, "2026-11-01T01:00:00Z", True, None),  # no save recorded
        ("last Tuesday", "2026-11-01T01:00:00Z", True, None),  # not a time
        ("2026-11-05T01:30:00Z", "2026-11-01T01:00:00Z", False, None),  # no docProps/core.xml
    ],
)
def test_the_save_time_recorded_inside_the_file(tmp_path, modified, created, keep_part, saved):
    path = write_daily(tmp_path / "daily.xlsx", [{"date": dt.date(2026, 11, 4), "customer": "甲"}])
    set_core_times(path, modified, created, keep_part=keep_part)
    book = open_book(path)
    try:
        assert book.saved_at() == saved
    finally:
        book.close()
    data = read(path)
    assert data.form_id == "daily_report" and data.saved == saved
    assert data.file_time() == (min(saved, data.mtime) if saved is not None else data.mtime)


def test_a_csv_file_records_no_save_time(tmp_path):
    path = tmp_path / "daily.csv"
    path.write_text("日期,客户名称,销售阶段\n2026-11-04,甲,1\n", encoding="utf-8")
    book = open_book(path)
    assert book.saved_at() is None
    book.close()


def test_formula_scan_of_a_part_stuffed_with_formula_tags():
    # 3,000 `<f>` in a comment (more than one per 16 bytes) and one real uncached cell: the
    # scan switches to trying each cell, and still finds just that one.
    xml = b"<!--" + b"<f>" * 3000 + b'--><sheetData><row r="1"><c r="B1"><f>1+2</f></c></row>'
    assert uncached_formula_cells(xml) == [(0, 1)]


@pytest.mark.parametrize(
    ("part", "declares"),
    [
        (b"<?xml version=\"1.0\"?><worksheet><c><f>'Daily'!A1</f></c></worksheet>", False),
        (b"<?xml?><!DOCTYPE x [<!ENTITY a 'b'>]><worksheet/>", True),
        ("<?xml?><!DOCTYPE x><worksheet/>".encode("utf-16-le"), True),
        ("<?xml?><!DOCTYPE x><worksheet/>".encode("utf-16-be"), True),
        (b"<w>" + b"'S'!A1 " * 100 + b"<!ENTITY e 'x'></w>", True),  # past the `!` looked at
        (b"<w>" + b"'S'!A1 " * 100 + b"</w>", False),  # many `!`, none starting a marker
        (("'S'!A1 " * 100 + "<!DOCTYPE x>").encode("utf-16-le"), True),
        (("'S'!A1 " * 100 + "<!DOCTYPE x>").encode("utf-16-be"), True),
        (b"!" * 9 + b"<!DOCTYPE x>", True),  # right after the last `!` looked at one by one
        (b"<w><!-- a note! --></w>", False),  # a comment is no DTD
        (b"<w><!-- " + b"!" * 100 + b" --></w>", False),
        (b"'S'!A1 " * 100 + b" " * 65536 + b"<!DOCTYPE x>", False),  # past the root's start
        (b" " * (65536 - 5) + b"<!DOCTYPE x>", False),  # not all of it before
    ],
)
def test_dtd_is_found_in_any_encoding(part, declares):
    from salesxl.read.package import _declares_dtd

    assert _declares_dtd(part) is declares


# ----------------------------------------------------------------------------
# Header rows: the index by form gives what filtering every table's labels gives
# ----------------------------------------------------------------------------


def _candidates_filtered(
    grid: Grid, only: str | None, overrides: dict[str, str] | None = None
) -> dict[Any, _Candidate]:
    """`_header_candidates`, keeping the tables of `only` label by label."""
    found: dict[Any, _Candidate] = {}
    for r, cells in enumerate(grid.rows[:60]):
        hits: dict[Any, set[str]] = {}
        filled = 0
        for value in cells:
            if value.__class__ is str and value:
                filled += 1
                norm = norm_label(value)
                if overrides and norm in overrides:  # a header a mapping names: its field
                    for tid in _TABLES_WITH.get(overrides[norm], ()):
                        if only is None or tid[0] == only:
                            hits.setdefault(tid, set()).add(overrides[norm])
                    continue
                labelled = _TABLE_LABELS.get(norm) or _TABLE_LABELS.get(without_unit(value) or "")
                for tid, key in labelled or ():
                    if only is None or tid[0] == only:
                        hits.setdefault(tid, set()).add(key)
        strong = False
        for tid, keys in hits.items():
            if tid in found:
                continue
            enough = len(keys) >= _MIN_LABELS[tid]
            needed = _REQUIRED.get(tid, frozenset())
            if (enough and len(keys) >= 3) or (
                (enough or (len(needed) >= 2 and needed <= keys)) and 2 * len(keys) >= filled
            ):
                found[tid] = _Candidate(
                    grid.name, r, len(keys), norm_label(grid.name) in _SHEET_NAMES[tid]
                )
                strong = strong or len(keys) >= _FULL_ROW[tid]
        if strong:
            break
    return found


_LABELS = sorted(
    {
        label
        for form in FORMS.values()
        for t in form.tables
        for f in t.fields
        for label in f.all_labels()
    }
)
_HEADER_CELL = st.one_of(
    st.sampled_from(_LABELS),
    st.sampled_from(_LABELS).map(lambda label: f"{label}(元)"),  # a label with its unit
    st.sampled_from(_LABELS).map(lambda label: f"{label}（万元）"),
    st.sampled_from(["", "备注", "x", "日报 Daily", 1.0, None]),
)


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(st.lists(_HEADER_CELL, max_size=12), max_size=6),
    only=st.sampled_from([None, *FORMS]),
)
def test_header_candidates_of_one_form_are_those_of_every_label_kept_for_it(rows, only):
    grid = Grid("日报", rows)
    assert _header_candidates(grid, only) == _candidates_filtered(grid, only)


_KEYS = sorted({f.key for form in FORMS.values() for t in form.tables for f in t.fields})


_FEW = ["备注", "x", "日期", "金额", "客户名称", "Sales", "工号", "数量", "单价"]


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(st.lists(st.sampled_from(_FEW), max_size=8), max_size=4),
    only=st.sampled_from([None, *FORMS]),
    overrides=st.dictionaries(
        st.sampled_from(_FEW).map(norm_label), st.sampled_from(_KEYS), min_size=1, max_size=3
    ),
)
def test_header_candidates_with_a_mapping_leave_the_labels_read_without_one_alone(
    rows, only, overrides
):
    grid = Grid("日报", rows)
    assert _header_candidates(grid, only) == _candidates_filtered(grid, only)
    with_mapping = _header_candidates(grid, only, overrides)
    assert with_mapping == _candidates_filtered(grid, only, overrides)
    assert _header_candidates(grid, only) == _candidates_filtered(grid, only)


@pytest.mark.parametrize(
    "name",
    [
        "daily_two_line_labels.xlsx",  # a second label row: the layout is changed after
        "columns_shuffled_extra.xlsx",
        "titles_blanks_totals.xlsx",
        "labels_both_one_cell.xlsx",
        "header_below_and_colon.xlsx",
        "merged_cells.xlsx",
    ],
)
def test_a_header_row_read_again_gives_the_layout_it_gave_first(name):
    """Header rows are read once per process (by their text): the layouts built from what
    was remembered are those built afresh, however the first one was changed after."""
    first = locate(open_book(FILES / name))
    assert first is not None
    for table in first.tables.values():  # what a caller does to its layout stays there
        table.extras[99] = "changed"
        table.columns.clear()
    first = locate(open_book(FILES / name))
    again = locate(open_book(FILES / name))
    _LABELS_READ.clear()
    _CELL_LABELS.clear()
    _SIGNATURES.clear()
    fresh = locate(open_book(FILES / name))
    assert first is not None
    assert first == again == fresh
    main = first.tables[first.form.main_table.key]
    top = open_book(FILES / name).grid(main.sheet).rows[main.header_row]
    assert first.signature == header_signature(top)


def test_a_header_row_of_numbers_is_read_as_its_values_are():
    """1, 1.0 and True are one key to a dict but three labels of an unknown column."""
    table = DAILY_REPORT.main_table
    for odd, shown in ((1, "1"), (True, "TRUE"), (1.0, "1"), ("1", "1")):
        row = ["日期", "客户名称", "金额", odd]
        layout = _table_layout(DAILY_REPORT, table, Grid("日报", [row]), 0, {})
        assert layout.extras == {3: shown}
