"""Templates (salesxl/write/templates.py, xlsx.py): written from the form descriptions,
checked in, protected, validated, round-tripped, opened by LibreOffice."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import python_calamine
from conftest import TODAY, places
from defusedxml import ElementTree

from salesxl.consolidate import consolidate_inbox
from salesxl.core.periods import Month
from salesxl.forms import DAILY_REPORT, FORMS, FieldType, Form
from salesxl.intake.files import load_form
from salesxl.read import locate, open_book
from salesxl.read.formulas import sheet_parts
from salesxl.validate import ValidationContext
from salesxl.write.templates import build_templates, field_help, write_form
from salesxl.write.xlsx import (
    OutputError,
    atomic_output,
    display_width,
    fit_width,
    safe_sheet_title,
)

TEMPLATES = Path(__file__).parent.parent / "templates"
CTX = ValidationContext(today=TODAY)
D = dt.date
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("templates")
    return {path.stem: path for path in build_templates(folder)}


def table_places(path: Path) -> dict[str, tuple[str, int]]:
    """table key -> (sheet, 1-based Excel row of its labels), found by the reader."""
    book = open_book(path)
    try:
        layout = locate(book)
        assert layout is not None
        return {key: (t.sheet, t.header_row + 1) for key, t in layout.tables.items()}
    finally:
        book.close()


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


def column_locked(wb: Any, ws: Any, letter: str) -> bool:
    """Whether empty cells of a column are locked: Excel applies the column's format to them."""
    index = openpyxl.utils.column_index_from_string(letter)
    (dim,) = [d for d in ws.column_dimensions.values() if d.min <= index <= d.max]
    return bool(wb._protections[dim._style.protectionId].locked)


# ----------------------------------------------------------------------------
# Building and drift
# ----------------------------------------------------------------------------


def test_build_writes_one_template_per_form(built):
    assert sorted(p.name for p in built.values()) == sorted(f.filename for f in FORMS.values())


def test_checked_in_templates_do_not_drift(built):
    """`salesxl templates build -o templates/` regenerates exactly what is checked in."""
    assert sorted(p.name for p in TEMPLATES.glob("*.xlsx")) == sorted(
        p.name for p in built.values()
    )
    for path in built.values():
        with zipfile.ZipFile(path) as new, zipfile.ZipFile(TEMPLATES / path.name) as old:
            assert new.namelist() == old.namelist(), path.name
            for name in new.namelist():
                assert new.read(name) == old.read(name), (
                    f"templates/{path.name}:{name} differs from the form description; "
                    "run `salesxl templates build -o templates/` and commit"
                )


def test_output_is_deterministic(tmp_path):
    first = write_form(tmp_path / "a.xlsx", DAILY_REPORT)
    second = write_form(tmp_path / "b.xlsx", DAILY_REPORT)
    assert first.read_bytes() == second.read_bytes()


def test_templates_are_ordinary_readable_files(built):
    for path in built.values():
        assert path.stat().st_mode & 0o777 == 0o666 & ~_umask(), path.name
    assert not list(next(iter(built.values())).parent.glob(".*"))  # no temporary files left


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# ----------------------------------------------------------------------------
# Structure, inspected with openpyxl
# ----------------------------------------------------------------------------


@pytest.mark.parametrize("form_id", list(FORMS))
def test_table_sheets(built, form_id):
    form = FORMS[form_id]
    path = built[form_id]
    wb = openpyxl.load_workbook(path)
    places_ = table_places(path)
    assert set(places_) == {t.key for t in form.tables}
    for table in form.tables:
        sheet, h = places_[table.key]
        ws = wb[sheet]
        assert sheet == table.sheet_name
        # bold, frozen header row of bilingual labels
        assert ws.freeze_panes == f"A{h + 1}"
        for c, f in enumerate(table.fields, start=1):
            cell = ws.cell(h, c)
            assert cell.value.split("\n") == [f"{f.zh}{'*' if f.required else ''}", f.en]
            assert cell.font.b and cell.protection.locked
        # protected without a password, input columns unlocked, computed columns locked
        # (read from openpyxl's model and from the sheet XML itself); columns wide enough
        assert ws.protection.sheet and ws.protection.password is None
        columns = _column_styles(path)[sheet]
        for c, f in enumerate(table.fields, start=1):
            letter = openpyxl.utils.get_column_letter(c)
            assert column_locked(wb, ws, letter) == (f.formula is not None), (table.key, f.key)
            width, locked = columns[c]
            assert width >= 10 and locked is (f.formula is not None), (table.key, f.key)
        # a defined name per column, covering the prepared rows
        for c, f in enumerate(table.fields, start=1):
            letter = openpyxl.utils.get_column_letter(c)
            name = wb.defined_names[f"{table.key}_{f.key}"]
            assert name.attr_text == (
                f"'{sheet}'!${letter}${h + 1}:${letter}${h + table.input_rows}"
                if table.input_rows >= 50
                else name.attr_text
            )
            assert name.attr_text.startswith(f"'{sheet}'!${letter}${h + 1}:")


def _validations(ws: Any) -> dict[str, Any]:
    """First cell of each validated range -> its data validation."""
    found = {}
    for dv in ws.data_validations.dataValidation:
        for ref in str(dv.sqref).split():
            found[ref.split(":")[0]] = dv
    return found


@pytest.mark.parametrize("form_id", list(FORMS))
def test_data_validation_and_input_messages(built, form_id):
    form = FORMS[form_id]
    wb = openpyxl.load_workbook(built[form_id])
    lists = wb["_lists"]
    list_columns = {lists.cell(1, c).value: c for c in range(1, lists.max_column + 1)}
    for table in form.tables:
        sheet, h = table_places(built[form_id])[table.key]
        ws = wb[sheet]
        validations = _validations(ws)
        for c, f in enumerate(table.fields, start=1):
            letter = openpyxl.utils.get_column_letter(c)
            if f.formula:
                assert f"{letter}{h + 1}" not in validations
                continue
            dv = validations[f"{letter}{h + 1}"]
            assert dv.showInputMessage and dv.prompt == field_help(f, "zh")[:255]
            assert re.search(r"[\u4e00-\u9fff]", dv.prompt or "必") and (
                not dv.prompt or re.search(r"[A-Za-z]", dv.prompt)
            )
            if f.choices is not None:
                col = openpyxl.utils.get_column_letter(list_columns[f.choices.name])
                assert dv.type == "list"
                assert dv.formula1 == f"_lists!${col}$2:${col}${len(f.choices.choices) + 1}"
                assert [lists[f"{col}{r}"].value for r in range(2, len(f.choices.choices) + 2)] == (
                    f.choices.labels("zh")
                )
            elif f.type is FieldType.DATE:
                assert dv.type == "date" and dv.formula1 and dv.formula2
            elif f.type in (FieldType.MONEY, FieldType.NUMBER) and f.min is not None:
                assert dv.type == "decimal" and float(dv.formula1) == f.min
            assert dv.errorStyle == "warning"  # a nudge, never a dead end


def test_date_validation_covers_the_issued_month(tmp_path):
    path = write_form(tmp_path / "d.xlsx", DAILY_REPORT, header={"month": Month(2026, 2)})
    ws = openpyxl.load_workbook(path)["日报 Daily"]
    dv = _validations(ws)["A10"]
    serial = (D(2026, 2, 1) - D(1899, 12, 30)).days
    assert (dv.formula1, dv.formula2) == (str(serial), str(serial + 27))


@pytest.mark.parametrize("form_id", list(FORMS))
def test_meta_lists_instructions_and_header(built, form_id):
    form = FORMS[form_id]
    wb = openpyxl.load_workbook(built[form_id])
    meta = wb["_form"]
    assert meta.sheet_state == "hidden" and wb["_lists"].sheet_state == "hidden"
    assert [[c.value for c in row] for row in meta.iter_rows(max_row=2)] == [
        ["form", form.id],
        ["version", form.version],
    ]
    assert wb.defined_names["_salesxl_form"].attr_text == "_form!$B$1"
    instructions = wb["说明 Instructions"]
    text = "\n".join(str(c.value) for row in instructions.iter_rows() for c in row if c.value)
    for f in (*form.header, *(f for t in form.tables for f in t.fields)):
        assert f"{f.zh}{'*' if f.required else ''} {f.en}" in text, f.key
    assert instructions.protection.sheet
    for f in form.header:
        name = wb.defined_names[f"header_{f.key}"].attr_text
        sheet, ref = name.rsplit("!", 1)
        cell = wb[sheet.strip("'")][ref.replace("$", "")]
        assert not cell.protection.locked, f.key
    assert [ws.title for ws in wb.worksheets][-3:] == ["说明 Instructions", "_lists", "_form"]


def test_daily_template_details(built):
    wb = openpyxl.load_workbook(built["daily_report"])
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
    path = write_form(tmp_path / "en.xlsx", DAILY_REPORT, lang="en")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Daily", "Day close", "Instructions", "_lists", "_form"]
    ws = wb["Daily"]
    assert ws["A9"].value == "Date*" and ws["A2"].value == "Rep*"
    assert wb["_lists"]["A2"].value == "Phone call"
    assert load_form(path, CTX).form_id == "daily_report"
    with pytest.raises(ValueError, match="lang"):
        write_form(tmp_path / "x.xlsx", DAILY_REPORT, lang="fr")


def test_pre_filled_locked_header_and_drop_down_lists(tmp_path):
    path = write_form(
        tmp_path / "f.xlsx",
        DAILY_REPORT,
        lock_header=True,
        header={
            "rep_name": "张伟",
            "rep_id": "S001",
            "month": Month(2026, 11),
            "month_target": 150000,
        },
        lists={"customers": ["华联超市", "永辉超市"], "products": ["净水器X1"]},
    )
    wb = openpyxl.load_workbook(path)
    ws = wb["日报 Daily"]
    assert (ws["B2"].value, ws["B3"].value, ws["B6"].value, ws["B7"].value) == (
        "张伟",
        "S001",
        "2026-11",
        150000,
    )
    assert ws["B2"].protection.locked and not ws["B4"].protection.locked  # region left open
    validations = _validations(ws)
    assert validations["B10"].type == "list" and validations["H10"].type == "list"
    lists = wb["_lists"]
    customers = validations["B10"].formula1.split("!")[1].replace("$", "").split(":")
    assert [lists[c].value for c in customers] == ["华联超市", "永辉超市"]
    data = load_form(path, CTX)
    assert data.header == {
        "rep_name": "张伟",
        "rep_id": "S001",
        "month": Month(2026, 11),
        "month_target": 150000,
    }


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    rows = {
        "daily": [
            {
                "date": D(2026, 11, 3),
                "customer": '=HYPERLINK("x")',
                "notes": "+86 call",
                "contact": "@boss",
                "product": "-X1",
            }
        ]
    }
    path = write_form(
        tmp_path / "f.xlsx", DAILY_REPORT, header={"month": Month(2026, 11)}, rows=rows
    )
    with zipfile.ZipFile(path) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    assert b"HYPERLINK" not in sheet  # stored as a shared string, not a formula
    record = load_form(path, CTX).records("daily")[0]
    assert (record["customer"], record["notes"], record["contact"], record["product"]) == (
        '=HYPERLINK("x")',
        "+86 call",
        "@boss",
        "-X1",
    )


# ----------------------------------------------------------------------------
# Round trips
# ----------------------------------------------------------------------------

HEADER = {
    "rep_name": "张伟",
    "rep_id": "S001",
    "region": "华东",
    "team": "一组",
    "month": Month(2026, 11),
    "month_target": 150000,
}
DAILY_ROWS = [
    {
        "date": D(2026, 11, 3),
        "customer": "华联超市",
        "contact": "李经理",
        "phone": "13812345678",
        "source": "phone",
        "grade": "A",
        "stage": "2",
        "product": "净水器X1",
        "qty": None,
        "price": None,
        "amount": None,
        "deposit": None,
        "objection": "need",
        "next_followup": D(2026, 11, 5),
        "notes": "初次电话，约下周拜访",
    },
    {
        "date": D(2026, 11, 3),
        "customer": "永辉超市",
        "contact": "王主任",
        "phone": "02161234567",
        "source": "visit",
        "grade": "B",
        "stage": "5",
        "product": "净水器X1",
        "qty": 2,
        "price": 1500,
        "amount": 3000,
        "deposit": 500,
        "objection": "price",
        "next_followup": D(2026, 11, 6),
        "notes": None,
    },
    {
        "date": D(2026, 11, 5),
        "customer": "大润发",
        "contact": None,
        "phone": None,
        "source": "referral",
        "grade": "C",
        "stage": "7",
        "product": "滤芯F2",
        "qty": 10,
        "price": 80.5,
        "amount": 805,
        "deposit": None,
        "objection": None,
        "next_followup": None,
        "notes": None,
    },
]
# 今日成交 counts deals only: 永辉's 3,000 on the 3rd is a quote at stage 5 (and the analysis
# says it may close next week), so the 3rd's sales are 0; the 5th's are 大润发's 805.
CLOSE_ROWS = [
    {"date": D(2026, 11, 3), "sales": 0, "forecast": 5000, "analysis": "永辉有望下周成交"},
    {"date": D(2026, 11, 5), "sales": 805, "forecast": 2000, "analysis": None},
]


def _without_row(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.items() if k != "_row"} for r in records]


def test_written_rows_read_back_the_same(tmp_path):
    """write_form caches every formula's value, so no formula comes back as a warning."""
    rows = {"daily": DAILY_ROWS, "day_close": [{**r, "sales": None} for r in CLOSE_ROWS]}
    path = write_form(tmp_path / "f.xlsx", DAILY_REPORT, header=HEADER, rows=rows)
    data = load_form(path, CTX)
    assert places(data) == [("amount_not_closed", "K11")]  # 永辉's quote, as the rep wrote it
    assert data.header == HEADER
    assert _without_row(data.records("daily")) == DAILY_ROWS
    assert _without_row(data.records("day_close")) == CLOSE_ROWS  # 今日成交 cached by Python
    assert [r["_row"] for r in data.records("daily")] == [10, 11, 12]


def _fill_with_openpyxl(template: Path, target: Path) -> None:
    wb = openpyxl.load_workbook(template)
    ws = wb["日报 Daily"]
    for i, f in enumerate(DAILY_REPORT.header, start=2):
        value = HEADER[f.key]
        ws.cell(i, 2, str(value) if isinstance(value, Month) else value)
    labels = {f.key: f for f in DAILY_REPORT.main_table.fields}
    for r, record in enumerate(DAILY_ROWS, start=10):
        for c, (key, value) in enumerate(record.items(), start=1):
            f = labels[key]
            if f.choices is not None and value is not None:
                value = f.choices.by_code(value).label("zh", with_code=f.choices.show_code)
            ws.cell(r, c, value)
    close = wb["日清 Day close"]
    for r, record in enumerate(CLOSE_ROWS, start=4):
        close.cell(r, 1, record["date"])
        close.cell(r, 3, record["forecast"])
        close.cell(r, 4, record["analysis"])
    wb.save(target)


def test_template_filled_by_openpyxl_reads_back(tmp_path):
    template = write_form(tmp_path / "t.xlsx", DAILY_REPORT)
    target = tmp_path / "filled.xlsx"
    _fill_with_openpyxl(template, target)
    data = load_form(target, CTX)
    assert data.header == HEADER
    assert _without_row(data.records("daily")) == DAILY_ROWS
    assert [r["_row"] for r in data.records("daily")] == [10, 11, 12]
    # openpyxl drops cached formula values when it saves: the day close's 今日成交 (rows
    # with a date) and the progress block are formulas without a value -- warnings, not zeros.
    close = data.records("day_close")
    assert [(r["date"], r["sales"], r["forecast"]) for r in close] == [
        (D(2026, 11, 3), None, 5000),
        (D(2026, 11, 5), None, 2000),
    ]
    assert places(data) == [
        ("amount_not_closed", "K11"),
        ("formula_without_value", "B4:B5"),  # one issue for the run of cells
        ("formula_without_value", "E3:E6"),
    ]
    sheets = [i.sheet for i in data.issues]
    assert sheets == ["日报 Daily", "日清 Day close", "日报 Daily"]
    assert all(i.severity == "warning" for i in data.issues)


def test_template_filled_with_labels_and_datetimes_reads_back(tmp_path):
    """A rep fills the template as typed (choice labels, date-time cells; here with openpyxl,
    as a script would) and salesxl reads it back."""
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


# ----------------------------------------------------------------------------
# Writer helpers (salesxl/xlsx.py)
# ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "taken", "expected"),
    [
        ("日报 Daily", (), "日报 Daily"),
        ("a/b:c*d?e[f]g\\h", (), "a_b_c_d_e_f_g_h"),
        ("x" * 40, (), "x" * 31),
        ("Sheet", ("sheet",), "Sheet (2)"),
        ("y" * 31, ("y" * 31,), "y" * 27 + " (2)"),
        ("'quoted'", (), "quoted"),
        ("", (), "Sheet"),
    ],
)
def test_safe_sheet_title(title, taken, expected):
    assert safe_sheet_title(title, taken) == expected


def test_widths_count_chinese_double():
    assert display_width("客户名称") == 8 and display_width("abc") == pytest.approx(3.3)
    assert display_width("客户\nCustomer") == pytest.approx(8.8)
    assert fit_width(["x"]) == 6 and fit_width(["y" * 200]) == 60


def test_a_template_filled_in_place_is_never_replaced_by_a_blank_one(tmp_path):
    # The admin filled the roster template in place (Excel keeps salesxl's mark when it
    # saves); `templates build` again, or `targets template -o roster.xlsx` by a slip of
    # the fingers, would have emptied it: refused, and nothing is written.
    from click.testing import CliRunner

    from salesxl.cli import main
    from salesxl.forms import ROSTER
    from salesxl.read.marks import Written, written_by

    folder = tmp_path / "templates"
    build_templates(folder)
    roster = folder / "roster.xlsx"
    wb = openpyxl.load_workbook(roster)
    ws = wb[ROSTER.tables[0].sheet_name]
    head = next(r for r in range(1, 10) if str(ws.cell(r, 1).value or "").startswith("工号"))
    for i, (rep_id, name) in enumerate([("S001", "张伟"), ("S002", "李娜")], start=1):
        ws.cell(head + i, 1, rep_id)
        ws.cell(head + i, 2, name)
    wb.save(roster)
    assert written_by(roster) is Written.FORM  # still salesxl's mark
    filled, others = roster.read_bytes(), (folder / "daily_report.xlsx").stat().st_mtime_ns
    with pytest.raises(OutputError) as caught:
        build_templates(folder)
    assert f"{roster} (2 rows) already holds data" in caught.value.message_en
    assert "（2 行）" in caught.value.message_zh
    assert roster.read_bytes() == filled
    assert (folder / "daily_report.xlsx").stat().st_mtime_ns == others  # nothing written
    result = CliRunner().invoke(main, ["targets", "template", "-o", str(roster)])
    assert result.exit_code == 1 and "a blank template does not replace" in result.output
    assert roster.read_bytes() == filled
    # A blank template is replaced as before (a second build, or another language).
    blank = tmp_path / "targets_input.xlsx"
    for lang in ("zh", "en"):
        result = CliRunner().invoke(main, ["targets", "template", "-o", str(blank), "--lang", lang])
        assert result.exit_code == 0, result.output


def test_atomic_output_never_leaves_a_half_written_file(tmp_path):
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"good")
    with pytest.raises(RuntimeError), atomic_output(target) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("crash while writing")
    assert target.read_bytes() == b"good" and [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]


def test_atomic_output_refuses_an_open_or_missing_target(tmp_path):
    target = tmp_path / "out.xlsx"
    (tmp_path / "~$out.xlsx").write_bytes(b"owner")
    with pytest.raises(OutputError, match="open in Excel"), atomic_output(target):
        pass
    with (
        pytest.raises(OutputError, match="does not exist"),
        atomic_output(tmp_path / "no" / "x.xlsx"),
    ):
        pass


def test_atomic_output_keeps_the_mode_of_the_file_it_replaces(tmp_path):
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"old")
    target.chmod(0o640)
    with atomic_output(target) as tmp:
        tmp.write_bytes(b"new")
    assert target.read_bytes() == b"new" and target.stat().st_mode & 0o777 == 0o640


# ----------------------------------------------------------------------------
# A real spreadsheet application: LibreOffice
# ----------------------------------------------------------------------------


def _values(path: Path, sheet: str) -> list[list[Any]]:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)


@pytest.mark.soffice
def test_libreoffice_recalculates_to_the_cached_values(tmp_path, soffice):
    rows = {"daily": DAILY_ROWS, "day_close": CLOSE_ROWS}
    path = write_form(tmp_path / "f.xlsx", DAILY_REPORT, header=HEADER, rows=rows)
    # Control: a deliberately wrong cached value is corrected, so recalculation really ran.
    import xlsxwriter

    control = tmp_path / "control.xlsx"
    wb = xlsxwriter.Workbook(str(control))
    ws = wb.add_worksheet("S")
    ws.write_row(0, 0, [2, 3])
    ws.write_formula(0, 2, "=A1*B1", None, 999)
    wb.close()
    out = tmp_path / "lo"
    assert _values(soffice(control, "xlsx", out), "S") == [[2.0, 3.0, 6.0]]

    recalculated = soffice(path, "xlsx", out)
    for sheet, cells in (
        ("日清 Day close", [(3, 1), (4, 1), (5, 1)]),
        ("日报 Daily", [(2, 4), (3, 4), (4, 4)]),
    ):
        ours, theirs = _values(path, sheet), _values(recalculated, sheet)
        for r, c in cells:
            assert theirs[r][c] == pytest.approx(ours[r][c]), (sheet, r, c)
    close = _values(recalculated, "日清 Day close")
    assert [close[r][1] for r in (3, 4, 5)] == [0, 805, 0]  # deals only (CLOSE_ROWS)
    daily = _values(recalculated, "日报 Daily")
    # Amount so far: the one deal, 805 (永辉's 3,000 is a quote at stage 5); no text amounts.
    assert [daily[r][4] for r in (2, 3, 4, 5)] == [
        pytest.approx(805),
        150000,
        pytest.approx(805 / 150000),
        0,
    ]
    # and the file LibreOffice saved reads back the same
    data = load_form(recalculated, CTX)
    assert _without_row(data.records("daily")) == DAILY_ROWS


@pytest.mark.soffice
@pytest.mark.parametrize("form_id", list(FORMS))
def test_libreoffice_opens_and_prints_every_template(built, form_id, soffice, tmp_path):
    form: Form = FORMS[form_id]
    pdf = soffice(built[form_id], "pdf", tmp_path / "pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        text = subprocess.run(
            [pdftotext, str(pdf), "-"], capture_output=True, check=True, text=True
        ).stdout
        for table in form.tables:
            for f in table.fields:
                assert f.en in text, (form_id, f.en)
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm:
        subprocess.run(
            [pdftoppm, "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
            check=True,
            capture_output=True,
        )
        assert (tmp_path / "page-1.png").stat().st_size > 1000


@pytest.mark.soffice
def test_libreoffice_saves_every_template_with_the_same_sheets_and_values(built, soffice, tmp_path):
    for form in FORMS.values():
        again = soffice(built[form.id], "xlsx", tmp_path / form.id)
        ours = python_calamine.CalamineWorkbook.from_path(str(built[form.id]))
        theirs = python_calamine.CalamineWorkbook.from_path(str(again))
        assert [n for n in theirs.sheet_names if not n.startswith("_")] == [
            n for n in ours.sheet_names if not n.startswith("_")
        ]
        first = ours.sheet_names[0]
        assert (
            theirs.get_sheet_by_name(first).to_python()[:12]
            == ours.get_sheet_by_name(first).to_python()[:12]
        )


# ----------------------------------------------------------------------------
# The rep's live progress counts what the manager's summary counts (issue 15)
# ----------------------------------------------------------------------------

# A month as a rep really writes it: a quote and a lost deal with amounts, a deal whose
# stage is typed without its number, and an amount typed as text.
PROGRESS_ROWS = [
    {"date": D(2026, 11, 3), "customer": "恒瑞", "stage": "7", "amount": 3000.0},
    {"date": D(2026, 11, 3), "customer": "天河", "stage": "5", "amount": 9000.0},  # a quote
    {"date": D(2026, 11, 4), "customer": "前海", "stage": "成交", "amount": 2500.0},
    {"date": D(2026, 11, 5), "customer": "华联", "stage": "0", "amount": 400.0},  # lost
    {"date": D(2026, 11, 6), "customer": "永辉", "stage": "7", "amount": "1.2万"},  # text
]


@pytest.mark.soffice
def test_progress_and_day_close_count_deal_rows_only(tmp_path, soffice):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    closes = [{"date": D(2026, 11, d)} for d in (3, 4, 6)]
    path = write_form(
        inbox / "张伟_日报.xlsx",
        DAILY_REPORT,
        header={**HEADER, "month_target": 50000},
        rows={"daily": PROGRESS_ROWS, "day_close": closes},
    )
    recalculated = soffice(path, "xlsx", tmp_path / "lo")
    daily = _values(recalculated, "日报 Daily")
    # Deals typed as numbers: 3,000 + 2,500 = 5,500 (not the 9,000 quote, not the 400
    # lost); 5,500 / 50,000 = 11%; one deal's amount is text, which Excel cannot sum.
    assert [daily[r][4] for r in (2, 3, 4, 5)] == [5500, 50000, pytest.approx(0.11), 1]
    close = _values(recalculated, "日清 Day close")
    # The 3rd: 3,000 (the quote left out); the 4th: 2,500; the 6th: the text amount, 0.
    assert [close[r][1] for r in (3, 4, 5)] == [3000, 2500, 0]
    summary = consolidate_inbox([inbox], period=Month(2026, 11), as_of=TODAY)
    # salesxl reads 1.2万 as 12,000: the summary's 17,500 is the form's 5,500 plus the
    # one amount the form counts as typed as text.
    assert summary.headline.amount == 5500 + 12000
    warned = [i.cell for i in summary.issues if i.code.value == "amount_not_closed"]
    assert warned == ["K11", "K13"]  # the quote and the lost deal's amount


def test_amount_cells_ask_for_a_number(tmp_path):
    path = write_form(tmp_path / "t.xlsx", DAILY_REPORT)
    ws = openpyxl.load_workbook(path)["日报 Daily"]
    (rule,) = [v for v in ws.data_validations.dataValidation if str(v.sqref) == "K10:K1009"]
    assert (rule.type, rule.operator, rule.formula1) == ("decimal", "greaterThanOrEqual", "0")
    assert rule.errorStyle == "warning" and rule.showErrorMessage  # told, not blocked
    assert "1.2万" in rule.error and "Type a number" in rule.error
    assert rule.errorTitle == "请输入数字 Number expected"
