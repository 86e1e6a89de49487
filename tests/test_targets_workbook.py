"""targets.xlsx and the commands around it: split, template, forms issue."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from salesxl.cli import main
from salesxl.core.people import Rep, Roster
from salesxl.core.periods import Month, Week
from salesxl.forms import TARGETS_INPUT
from salesxl.intake.files import load_form
from salesxl.targets import (
    Lock,
    Settings,
    TargetsInput,
    UnitSpec,
    read_month_targets,
    split_targets,
)
from salesxl.targets.workbook import write_targets
from salesxl.write.issued import first_week, issue_forms
from salesxl.write.templates import write_form
from tests.lo import convert, needs_soffice


@pytest.fixture
def split():
    units = [
        UnitSpec("company", "总公司", annual=D(1_200_000)),
        UnitSpec("region", "华东", "总公司"),
        UnitSpec("region", "华南", "总公司", weight=0.5),
        UnitSpec("team", "上海组", "华东"),
        UnitSpec("rep", "S001", "上海组"),
        UnitSpec("rep", "S002", "上海组"),
        UnitSpec("rep", "S003", "华南"),
        UnitSpec("rep", "S003", "华南", product="阿莫西林"),
        UnitSpec("rep", "S003", "华南", product="头孢", annual=D(100_000)),
    ]
    history = [
        (r, None, Month(y, m), 1000.0 * (1 + (m == 12)))
        for r in ("S001", "S002", "S003")
        for y in (2024, 2025)
        for m in range(1, 13)
    ]
    inp = TargetsInput(
        Settings(2026, rounding=D(100)),
        units,
        history,
        [Lock("S001", Month(2026, 1), D(30_000), row=2)],
    )
    return split_targets(inp)


def test_monthly_sheet_structure(split, tmp_path):
    path = write_targets(split, tmp_path / "targets.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["月度目标 Monthly", "明细 Long", "说明 Method"]
    ws = wb["月度目标 Monthly"]
    heads = [c.value for c in ws[1]]
    assert heads[4:16] == [f"2026-{m:02d}" for m in range(1, 13)]
    assert heads[16:20] == ["Q1", "Q2", "Q3", "Q4"] and heads[20] == "年度\nAnnual"
    assert ws["Q2"].value == "=SUM(E2:G2)" and ws["U2"].value == "=SUM(E2:P2)"
    assert ws["V2"].value.startswith("=ABS(U2-1200000)+ABS(E2-SUMIFS(")
    levels = [ws.row_dimensions[r].outline_level for r in range(2, ws.max_row + 1)]
    assert levels == [p.depth for p in split.plans]
    assert ws.freeze_panes == "E2" and ws.column_dimensions["W"].hidden
    cached = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("月度目标 Monthly").to_python()
    for row, plan in zip(cached[1:], split.plans, strict=True):
        assert row[20] == float(split.money(plan.annual)) and row[21] == 0
        assert row[16] == float(split.money(sum(plan.months[:3])))


def test_long_sheet_reads_back(split, tmp_path):
    path = write_targets(split, tmp_path / "targets.xlsx")
    data = load_form(path)
    assert data.form_id == "targets" and not [i for i in data.issues if i.is_error]
    rows = data.records("long")
    assert len(rows) == 12 * len(split.plans)
    s1 = [r for r in rows if r["unit"] == "S001"]
    assert s1[0]["month"] == Month(2026, 1) and s1[0]["target"] == 30_000
    jan = read_month_targets(path, Month(2026, 1))
    assert jan["S001"] == 30_000 and set(jan) == {"S001", "S002", "S003"}
    assert all(v % 100 == 0 for v in jan.values())


def test_gap_sheet_in_negotiated_mode(tmp_path):
    units = [
        UnitSpec("company", "HQ", annual=D(1000)),
        UnitSpec("rep", "A", "HQ", proposed=D(700)),
        UnitSpec("rep", "B", "HQ", proposed=D(500)),
    ]
    split = split_targets(TargetsInput(Settings(2025, method="equal", mode="negotiated"), units))
    ws = openpyxl.load_workbook(write_targets(split, tmp_path / "t.xlsx"))["差异 Gap"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["A"][3:7] == (700, 500, 500, "=D3-F3")


@needs_soffice
def test_libreoffice_recalculates_the_sums_equal_to_the_long_sheet(split, tmp_path):
    path = write_targets(split, tmp_path / "targets.xlsx")
    again = convert(path, "xlsx", tmp_path / "lo")
    monthly = (
        CalamineWorkbook.from_path(str(again)).get_sheet_by_name("月度目标 Monthly").to_python()
    )
    long = CalamineWorkbook.from_path(str(again)).get_sheet_by_name("明细 Long").to_python()[1:]
    totals: dict[tuple[str, str], float] = {}
    for row in long:
        key = (row[1], row[3])
        totals[key] = totals.get(key, 0.0) + row[5]
    for row in monthly[1:]:
        assert row[20] == totals[(row[1], row[3])]  # SUM formulas, recalculated
        assert sum(row[16:20]) == row[20] and row[21] == 0  # quarters add up; checks are 0


def _targets_input(path: Path, annual: list[dict], **settings) -> Path:
    header = {"year": 2026, "method": "equal", "rounding": 100, **settings}
    write_form(path, TARGETS_INPUT, header=header, rows={"annual": annual})
    return path


def test_cli_split_and_template(tmp_path):
    result = CliRunner().invoke(main, ["targets", "template", "-o", str(tmp_path / "in.xlsx")])
    assert result.exit_code == 0 and (tmp_path / "in.xlsx").exists()
    source = _targets_input(
        tmp_path / "input.xlsx",
        [
            {"level": "company", "unit": "HQ", "annual_target": 120_000},
            {"level": "rep", "unit": "S001", "parent": "HQ"},
            {"level": "rep", "unit": "S002", "parent": "HQ"},
        ],
    )
    result = CliRunner().invoke(
        main, ["targets", "split", str(source), "-o", str(tmp_path / "t.xlsx")]
    )
    assert result.exit_code == 0, result.output
    assert "3 units" in result.output and read_month_targets(
        tmp_path / "t.xlsx", Month(2026, 5)
    ) == {"S001": 5000, "S002": 5000}


@pytest.mark.parametrize(
    ("annual", "message"),
    [
        ([{"level": "company", "unit": "HQ", "annual_target": 120_050}], "not a multiple"),
        (
            [
                {"level": "company", "unit": "HQ", "annual_target": 1000},
                {"level": "rep", "unit": "S001", "parent": "HQ", "annual_target": 5000},
            ],
            "smaller than",
        ),
        ([{"level": "company", "unit": "HQ"}], "needs an annual target"),
    ],
)
def test_cli_split_errors_name_the_unit(tmp_path, annual, message):
    source = _targets_input(tmp_path / "input.xlsx", annual)
    result = CliRunner().invoke(
        main, ["targets", "split", str(source), "-o", str(tmp_path / "t.xlsx")]
    )
    assert result.exit_code == 1 and message in result.output
    assert not (tmp_path / "t.xlsx").exists()


def test_cli_split_refuses_a_file_with_errors(tmp_path):
    source = _targets_input(tmp_path / "input.xlsx", [{"level": "公司公司", "unit": "HQ"}])
    result = CliRunner().invoke(main, ["targets", "split", str(source)])
    assert result.exit_code == 1 and "not_in_list" not in result.output
    assert "1 error in the targets input" in result.output and "年度目标 Annual!A4" in result.output


def test_forms_issue(tmp_path, split):
    targets = write_targets(split, tmp_path / "targets.xlsx")
    roster = Roster(
        {
            "S001": Rep("S001", "张伟", "华东", "上海组"),
            "S002": Rep("S002", "李娜", "华东", "上海组", leave_date=dt.date(2026, 10, 31)),
            "S003": Rep("S003", "王强", "华南", "广州组", hire_date=dt.date(2026, 11, 2)),
        }
    )
    written = issue_forms(
        roster,
        Month(2026, 11),
        tmp_path / "forms",
        targets=read_month_targets(targets, Month(2026, 11)),
        customers={"S001": ["恒瑞药房", "天河诊所"]},
    )
    # S002 left before November; the others get a daily report, a monthly plan and the
    # weekly plans of W45-W49 (the weeks whose Monday is in November).
    assert len(written) == 2 * (2 + 5)
    daily = next(p for p in written if "S001" in p.name and "日报" in p.name)
    data = load_form(daily)
    nov = read_month_targets(targets, Month(2026, 11))["S001"]
    assert data.header["month_target"] == nov and data.header["month"] == Month(2026, 11)
    assert not data.issues
    wb = openpyxl.load_workbook(daily)
    ws = wb["日报 Daily"]
    assert ws["B3"].value == "S001" and ws["B3"].protection.locked
    lists = {col[0].value: [c.value for c in col[1:] if c.value] for col in wb["_lists"].columns}
    assert lists["customers"] == ["恒瑞药房", "天河诊所"]
    customer = next(dv for dv in ws.data_validations.dataValidation if "B10" in str(dv.sqref))
    assert customer.type == "list" and customer.formula1 == "_lists!$E$2:$E$3"
    weekly = load_form(next(p for p in written if "周计划" in p.name))
    assert weekly.header["week"] == Week(2026, 45) == first_week(Month(2026, 11))


def test_cli_forms_issue(tmp_path):
    from salesxl.forms import ROSTER

    write_form(
        tmp_path / "roster.xlsx",
        ROSTER,
        rows={"reps": [{"rep_id": "S001", "name": "张伟", "team": "一组", "region": "华东"}]},
    )
    result = CliRunner().invoke(
        main,
        [
            "forms",
            "issue",
            "--roster",
            str(tmp_path / "roster.xlsx"),
            "--period",
            "2026-11",
            "-o",
            str(tmp_path / "forms"),
        ],
    )
    assert result.exit_code == 0, result.output
    # A daily report, a monthly plan and the weekly plans of W45-W49.
    assert "7 forms for 1 rep written" in result.output
    assert len(list((tmp_path / "forms").rglob("*.xlsx"))) == 7


# ---- each language mode is entirely in its language (bilingual is the default) ----

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def _eventful_split():
    """An organisation with Chinese names and every kind of note: a lock, a ramp, a leaver,
    proposals, products with and without history, short and gappy history, tiers."""
    units = [
        UnitSpec("company", "总公司", annual=D(1_200_000), stretch_uplift=10.0),
        UnitSpec("region", "华东", "总公司", method="auto"),
        UnitSpec("region", "华南", "总公司", weight=0.5, stretch=D(450_000)),
        UnitSpec("team", "上海组", "华东", method="auto"),
        UnitSpec("rep", "S001", "上海组", proposed=D(250_050)),
        UnitSpec("rep", "S002", "上海组", ramp=(50.0, 100.0)),
        UnitSpec("rep", "S003", "华南", stretch_uplift=20.0),
        UnitSpec("rep", "S003", "华南", product="阿莫西林"),
        UnitSpec("rep", "S003", "华南", product="头孢", annual=D(100_000)),
        UnitSpec("rep", "S004", "华南", method="trend"),
    ]
    history = [
        (r, None, Month(y, m), 1000.0 * (1 + (m == 12)))
        for r in ("S001", "S003")
        for y in (2024, 2025)
        for m in range(1, 13)
        if (r, y, m) != ("S001", 2024, 5)  # a missing month, taken from a year apart
    ]
    history += [("S004", None, Month(2025, m), 900.0) for m in range(1, 13)]  # one year
    inp = TargetsInput(
        Settings(2026, rounding=D(100), mode="negotiated"),
        units,
        history,
        [Lock("S001", Month(2026, 1), D(30_000), row=2)],
        ends={"S004": Month(2026, 9)},
    )
    return split_targets(inp)


def _strange_text(path: Path, names: set[str]) -> list[str]:
    """Every text cell with Chinese left once the organisation's own names are taken out."""
    wb = openpyxl.load_workbook(path)
    found = []
    for ws in wb.worksheets:
        if _CJK.search(ws.title):
            found.append(f"sheet title {ws.title}")
        for row in ws.iter_rows():
            for cell in row:
                if not isinstance(cell.value, str):
                    continue
                text = cell.value
                for name in sorted(names, key=len, reverse=True):
                    text = text.replace(name, "")
                if _CJK.search(text):
                    found.append(f"{ws.title}!{cell.coordinate}: {cell.value}")
    return found


def test_lang_en_writes_no_chinese_but_the_organisations_names(tmp_path):
    split = _eventful_split()
    assert split.lock_effects and split.warnings  # the sheet has notes and lock effects
    names = {p.unit for p in split.plans} | {p.product for p in split.plans if p.product}
    path = write_targets(split, tmp_path / "en.xlsx", lang="en")
    assert _strange_text(path, names) == []
    # …and the English is all there: the notes are not lost, only their Chinese.
    ws = openpyxl.load_workbook(path)["Method"]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any("locked 2026-01 at 30,000" in t for t in texts)
    assert any(t.startswith("share of 华东 by") for t in texts)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_method_sheets_notes_beside_its_table_are_not_unlabelled_columns(tmp_path, lang):
    # 40 reps: the notes (column M) and the lock's table of what it moved (M to AA) stand
    # beside the unit rows.  Reading the workbook back (validate, import, explain) must not
    # take them for values under a deleted header.
    units = [UnitSpec("company", "总公司", annual=D(4_800_000))]
    units += [UnitSpec("rep", f"S{i:03d}", "总公司") for i in range(1, 41)]
    split = split_targets(
        TargetsInput(
            Settings(2026, rounding=D(100)),
            units,
            [],
            [Lock("S001", Month(2026, 1), D(20_000), row=2)],
        )
    )
    assert split.lock_effects
    path = write_targets(split, tmp_path / "targets.xlsx", lang=lang)
    ws = openpyxl.load_workbook(path)["说明 Method" if lang == "zh" else "Method"]
    beside = [c for row in ws.iter_rows(min_row=16, max_row=54, min_col=14) for c in row]
    assert any(c.value is not None for c in beside)  # the lock's columns run beside units
    data = load_form(path)
    assert data.issues == []
    assert len(data.records("method")) == 41


def test_cli_split_lang_en_has_no_chinese_in_its_notes_either(tmp_path):
    # A history gap (S001's 2025-03 far below its other Marches) and a fall-back make notes.
    history = [
        {
            "unit": r,
            "month": f"{y}-{m:02d}",
            "amount": 10.0 if (r, y, m) == ("S001", 2025, 3) else 1000.0,
        }
        for r in ("S001", "S002")
        for y in (2024, 2025)
        for m in range(1, 13)
    ]
    source = tmp_path / "input.xlsx"
    write_form(
        source,
        TARGETS_INPUT,
        header={"year": 2026, "method": "trend", "rounding": 100},
        rows={
            "annual": [
                {"level": "company", "unit": "华东区", "annual_target": 120_000},
                {"level": "rep", "unit": "S001", "parent": "华东区"},
                {"level": "rep", "unit": "S002", "parent": "华东区"},
                {"level": "rep", "unit": "S003", "parent": "华东区"},
            ],
            "history": history,
        },
    )
    out = tmp_path / "t.xlsx"
    result = CliRunner().invoke(
        main, ["targets", "split", str(source), "-o", str(out), "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    assert "history gap? S001 2025-03" in result.output  # the notes this run has
    assert _strange_text(out, {"华东区"}) == []
    explained = CliRunner().invoke(main, ["targets", "explain", str(out), "S003"])
    assert explained.exit_code == 0 and "share of 华东区 by" in explained.output


def test_lang_zh_method_sheet_gives_each_note_in_chinese_then_english(tmp_path):
    split = _eventful_split()
    path = write_targets(split, tmp_path / "zh.xlsx")
    ws = openpyxl.load_workbook(path)["说明 Method"]
    rows = {
        (ws.cell(r, 1).value, ws.cell(r, 2).value): [ws.cell(r, c).value for c in range(1, 12)]
        for r in range(1, ws.max_row + 1)
    }
    s001 = rows[("S001", None)]
    how = s001[9]  # 说明 How: the profile and the lock, Chinese line then English line
    zh, en = how.split("\n")
    assert "锁定为 30,000" in zh and "locked 2026-01 at 30,000" in en
    assert "取自" in zh and "taken from" in en  # 2024-05 filled from a year apart
    assert rows[("S002", None)][3].split("\n")[1].startswith("share of 上海组 by")
    assert (
        "在职" in rows[("S004", None)][9] and "active 2026-01 to 2026-09" in rows[("S004", None)][9]
    )
    assert rows[("总公司", None)][3] == "给定（年度目标）\ngiven (annual target)"
    # The run's notes: each a Chinese row, then its English row.
    notes = [ws.cell(r, 13).value for r in range(1, ws.max_row + 1)]
    filled = next(k for k, t in enumerate(notes) if t and t.startswith("历史缺月"))
    # S001's gap, and its team's and region's (auto: their history is the sum of it)
    assert notes[filled] == (
        "历史缺月，取自相隔一年的同月：S001（2024-05 取自 2025-05）、"
        "上海组（2024-05 取自 2025-05）、华东（2024-05 取自 2025-05）"
    )
    assert notes[filled + 1].endswith(
        "a year apart: S001 (2024-05 from 2025-05), 上海组 (2024-05 from 2025-05), 华东 (2024-05 from 2025-05)"
    )
    fallback = next(k for k, t in enumerate(notes) if t and t.startswith("trend 需要"))
    assert notes[fallback + 1].startswith("trend needs two complete years of history")
    assert "设置说明 What the settings mean" in notes and "Notes" not in notes


def test_a_split_to_the_cent_shows_its_cents_and_a_check_a_cent_off(tmp_path):
    """Rounding 0.01: 1,000.01 over two reps is 500.01 + 500.00, not '500' and '500' that do
    not add up on screen; the 校验 Check column shows a cent, not 0."""
    source = _targets_input(
        tmp_path / "input.xlsx",
        [
            {"level": "company", "unit": "HQ", "annual_target": 1000.01},
            {"level": "rep", "unit": "S001", "parent": "HQ"},
            {"level": "rep", "unit": "S002", "parent": "HQ"},
        ],
        rounding=0.01,
    )
    out = tmp_path / "t.xlsx"
    result = CliRunner().invoke(main, ["targets", "split", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out)["月度目标 Monthly"]
    year, check = 20, 21  # U 年度 Annual, V 校验 Check (test_monthly_sheet_structure)
    rows = {r[1].value: r for r in sheet.iter_rows(min_row=2) if r[1].value}
    assert rows["HQ"][year].number_format == "#,##0.00"
    assert rows["S001"][check].number_format == "#,##0.00;-#,##0.00;0"
    assert rows["S001"][4].number_format == "#,##0.00"  # a month's figure
    # the cents are there: the reps' years add up to the company's 1,000.01
    from python_calamine import CalamineWorkbook

    values = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("月度目标 Monthly").to_python()
    years = {r[1]: r[year] for r in values[1:] if r[1]}
    assert years["S001"] + years["S002"] == pytest.approx(1000.01)
