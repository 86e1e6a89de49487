"""The summary workbook: structure, a real spreadsheet application, atomic writes."""

from __future__ import annotations

import datetime as dt
import errno
import re
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from salesxl.consolidate import consolidate
from salesxl.consolidate import workbook as summary_workbook
from salesxl.consolidate.model import column_kind
from salesxl.consolidate.workbook import write_summary
from salesxl.core.issues import Code, make_issue
from salesxl.forms import DAILY_REPORT, FieldType, Role
from salesxl.write.xlsx import OutputError
from tests.factory import NOV, daily, row
from tests.lo import convert, needs_pdftoppm, needs_soffice

EVIL = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A2)"]
SHEETS = [
    "总览 Overview",
    "销售员 By rep",
    "团队 By team",
    "区域 By region",
    "漏斗 Funnel",
    "计划执行 Plan vs actual",
    "日清 Day close",
    "客户 Customers",
    "提交 Submissions",
    "催交 Chase",
    "问题 Issues",
    "图表数据 Chart data",  # hidden: what the Overview's charts draw
]


@pytest.fixture
def summary():
    a = daily(
        "A",
        [
            row(2, EVIL[0], phone="13800000001", source="walkin", grade="A", stage="3"),
            row(3, "天河科技", source="visit", grade="B", stage="7", amount=1200.0),
            row(4, EVIL[1], source="phone", stage="1"),
        ],
        closes=[{"date": dt.date(2026, 11, 2), "forecast": 1000.0}],
        name=EVIL[2],
        path="inbox/a/甲_daily.xlsx",
    )
    b = daily(
        "B",
        [row(2, "前海物流", source="visit", grade="A", stage="7", amount=500.0)],
        team=EVIL[3],
        path="inbox/b/乙_daily.xlsx",
    )
    issue = make_issue(
        Code.REQUIRED,
        "inbox/a/甲_daily.xlsx",
        "「客户名称」必须填写。",
        "Customer is required.",
        sheet="日报 Daily",
        cell="B12",
        row=12,
        column="客户名称 Customer",
    )
    return consolidate(
        [a, b],
        period=NOV,
        as_of=dt.date(2026, 11, 20),
        targets={"A": 10000, "B": 600},
        extra_issues=[issue],
        details=True,
    )


def test_sheets_headers_filters_and_formats(summary, tmp_path):
    path = write_summary(summary, tmp_path / "summary.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == SHEETS
    by_rep = wb["销售员 By rep"]
    assert by_rep["A1"].value == "工号\nRep ID" and by_rep["A1"].font.b
    assert by_rep.freeze_panes == "C2"
    assert by_rep.auto_filter.ref == "A1:X3"  # 24 columns, A to X
    header = {c.value.split("\n")[1]: c.column_letter for c in by_rep[1]}
    assert by_rep[f"{header['Amount']}2"].number_format == "¥#,##0"
    assert by_rep[f"{header['Completion']}2"].number_format == "0.0%"
    warnings = {by_rep[f"{header['Warning']}{r}"].value for r in (2, 3)}
    assert warnings == {"书面预警", "正常"}
    rules = [r for rng in by_rep.conditional_formatting for r in rng.rules]
    assert {r.formula[0] for r in rules} >= {'"正常"', '"口头预警"', '"书面预警"'}
    targets = {by_rep[f"A{r}"].value: by_rep[f"{header['Month target']}{r}"].value for r in (2, 3)}
    assert targets == {"A": 10000, "B": 600}


def test_every_status_column_of_submissions_is_coloured_by_one_rule_per_status(summary, tmp_path):
    from salesxl.consolidate.workbook import COLOURED

    ws = openpyxl.load_workbook(write_summary(summary, tmp_path / "s.xlsx"))["提交 Submissions"]
    status_columns = {
        c.column_letter
        for c in ws[1]
        if c.value and (c.value[:2].isdigit() or "计划" in c.value or c.value.startswith("备注"))
    }
    # Nov 2-20: 15 workdays as of Fri Nov 20, the plans of the weeks begun, the month plan, note
    assert len(status_columns) >= 15 + 1 + 1
    rules = [
        (str(cf.sqref), rule.formula[0]) for cf in ws.conditional_formatting for rule in cf.rules
    ]
    assert len(rules) == len(COLOURED["status"])  # one rule each, not one per column
    for ranges, _ in rules:
        covered = {part.split(":")[0].rstrip("0123456789") for part in ranges.split()}
        assert covered == status_columns


def test_issues_link_to_the_file_and_cell(summary, tmp_path):
    inbox = tmp_path / "inbox" / "a"
    inbox.mkdir(parents=True)
    for issue_row in summary.sheet("issues").rows:
        issue_row[0] = str(inbox / "甲_daily.xlsx")
    (tmp_path / "out").mkdir()
    path = write_summary(summary, tmp_path / "out" / "summary.xlsx")
    ws = openpyxl.load_workbook(path)["问题 Issues"]
    link = ws["A2"].hyperlink
    assert ws["A2"].value == "../inbox/a/甲_daily.xlsx"  # relative: the folder can move
    assert link.target.replace("\\", "/") == "../inbox/a/甲_daily.xlsx"
    assert link.location == "'日报 Daily'!B12"  # straight to the cell


def test_formula_looking_text_stays_text(summary, tmp_path):
    path = write_summary(summary, tmp_path / "summary.xlsx", details=True)
    wb = openpyxl.load_workbook(path)
    texts = {c.value for ws in wb for r in ws.iter_rows() for c in r if c.data_type == "s"}
    formulas = [c.coordinate for ws in wb for r in ws.iter_rows() for c in r if c.data_type == "f"]
    assert set(EVIL) <= texts
    assert formulas == []


def test_details_is_an_excel_table(summary, tmp_path):
    path = write_summary(summary, tmp_path / "summary.xlsx", details=True)
    ws = openpyxl.load_workbook(path)["明细 Details"]
    (table,) = ws.tables.values()
    assert table.ref == "A1:U5" and table.autoFilter is not None
    assert ws["A1"].value == "工号 Rep ID" and ws["A2"].value == "A"


def test_overview_and_funnel_have_native_charts(summary, tmp_path):
    path = write_summary(summary, tmp_path / "summary.xlsx")
    names = zipfile.ZipFile(path).namelist()
    charts = [n for n in names if n.startswith("xl/charts/chart")]
    assert len(charts) == 3  # completion by rep, daily sales (Overview), the funnel
    rels = zipfile.ZipFile(path).read("xl/worksheets/_rels/sheet1.xml.rels").decode()
    assert "drawing" in rels
    kinds = {zipfile.ZipFile(path).read(c).decode().split("<c:plotArea>")[1][:40] for c in charts}
    assert any("barChart" in k for k in kinds)
    assert any("lineChart" in zipfile.ZipFile(path).read(c).decode() for c in charts)


def test_the_funnel_chart_caches_the_stage_labels_and_the_total_row(summary, tmp_path):
    """The Funnel's rows are streamed as XML: its chart is given what to show before Excel
    calculates (a previewer shows the cache as it is)."""
    path = write_summary(summary, tmp_path / "summary.xlsx")
    with zipfile.ZipFile(path) as z:
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    (funnel,) = [c for c in charts if "客户数 Customers" in c]
    categories = funnel.split("<c:cat>")[1].split("</c:cat>")[0]
    values = funnel.split("<c:val>")[1].split("</c:val>")[0]
    assert re.findall(r"<c:v>([^<]*)</c:v>", categories)[0].startswith("1")  # stage 1's label
    assert len(re.findall(r"<c:pt ", categories)) == 7
    # customers reached each stage: A's at stages 3, 7 and 1, B's at 7 -> 4 reached stage 1,
    # 3 stages 2 and 3, 2 stages 4 to 7
    assert re.findall(r"<c:v>([^<]*)</c:v>", values) == ["4", "3", "3", "2", "2", "2", "2"]
    ws = openpyxl.load_workbook(path)["漏斗 Funnel"]
    total = [c.value for c in ws[ws.max_row]]
    first = [c.value for c in ws[1]].index(
        next(v for v in (c.value for c in ws[1]) if v and v.startswith("1"))
    )
    assert total[first : first + 7] == [4, 3, 3, 2, 2, 2, 2]  # the cells say the same


def test_english_labels(summary, tmp_path):
    wb = openpyxl.load_workbook(write_summary(summary, tmp_path / "s.xlsx", lang="en"))
    assert wb.sheetnames[:2] == ["Overview", "By rep"]
    assert wb["By rep"]["A1"].value == "Rep ID"
    assert wb["By rep"]["T1"].value == "Warning"
    assert {wb["By rep"]["T2"].value, wb["By rep"]["T3"].value} <= {"Written warning", "OK"}


@needs_soffice
def test_libreoffice_opens_it_and_sees_the_same_numbers(summary, tmp_path, monkeypatch):
    # Details' text both shared and inline, as in a large run (past 3 texts a column)
    monkeypatch.setattr(summary_workbook, "DETAILS_SHARED_TEXTS", 3)
    path = write_summary(summary, tmp_path / "summary.xlsx", details=True)
    sheet = openpyxl.load_workbook(path, read_only=True).sheetnames.index("明细 Details") + 1
    with zipfile.ZipFile(path) as z:
        xml = z.read(f"xl/worksheets/sheet{sheet}.xml").decode()
    body = xml[xml.index('<row r="2"') :]
    assert 't="inlineStr"' in body and 't="s"' in body
    again = convert(path, "xlsx", tmp_path / "lo")
    ours = CalamineWorkbook.from_path(str(path))
    theirs = CalamineWorkbook.from_path(str(again))
    assert theirs.sheet_names == ours.sheet_names
    names = ["销售员 By rep", "区域 By region", "漏斗 Funnel", "明细 Details", "客户 Customers"]
    for name in [*names, "提交 Submissions", "问题 Issues", "催交 Chase"]:
        mine, lo = (b.get_sheet_by_name(name).to_python() for b in (ours, theirs))
        assert len(lo) == len(mine)
        for a, b in zip(mine, lo, strict=True):
            assert b == [pytest.approx(v, rel=1e-12) if isinstance(v, float) else v for v in a]


@needs_soffice
@needs_pdftoppm
def test_overview_converts_to_pdf_and_png(summary, tmp_path):
    path = write_summary(summary, tmp_path / "summary.xlsx")
    pdf = convert(path, "pdf", tmp_path / "pdf")
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
        check=True,
        timeout=120,
    )
    (png,) = tmp_path.glob("page*.png")
    assert png.stat().st_size > 5_000 and png.read_bytes()[:4] == b"\x89PNG"


def test_open_target_is_refused_and_left_intact(summary, tmp_path):
    target = tmp_path / "summary.xlsx"
    target.write_bytes(b"the good old summary")
    (tmp_path / "~$summary.xlsx").write_bytes(b"owner")
    with pytest.raises(OutputError, match="open in Excel"):
        write_summary(summary, target)
    assert target.read_bytes() == b"the good old summary"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["summary.xlsx", "~$summary.xlsx"]


def test_half_written_output_never_replaces_the_old_one(summary, tmp_path, monkeypatch):
    target = write_summary(summary, tmp_path / "summary.xlsx")
    old = target.read_bytes()

    def crash(self):
        raise RuntimeError("a bug while writing")

    monkeypatch.setattr("xlsxwriter.Workbook.close", crash)
    with pytest.raises(RuntimeError, match="a bug while writing"):
        write_summary(summary, target)
    assert target.read_bytes() == old
    assert [p.name for p in tmp_path.iterdir()] == ["summary.xlsx"]


def test_a_full_disk_is_the_clear_output_error_and_the_old_file_stays(
    summary, tmp_path, monkeypatch
):
    target = write_summary(summary, tmp_path / "summary.xlsx")
    old = target.read_bytes()

    def full(self):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("xlsxwriter.Workbook.close", full)
    with pytest.raises(OutputError, match="No space left on device") as caught:
        write_summary(summary, target)
    assert "无法写入" in caught.value.message_zh and "untouched" in caught.value.message_en
    assert target.read_bytes() == old
    assert [p.name for p in tmp_path.iterdir()] == ["summary.xlsx"]


def test_missing_output_folder_is_a_clear_error(summary, tmp_path):
    with pytest.raises(OutputError, match="does not exist"):
        write_summary(summary, tmp_path / "nope" / "summary.xlsx")


def test_target_that_is_a_folder_is_a_clear_error(summary, tmp_path):
    (tmp_path / "summary.xlsx").mkdir()
    with pytest.raises(OutputError, match="cannot be replaced"):
        write_summary(summary, tmp_path / "summary.xlsx")
    assert Path(tmp_path / "summary.xlsx").is_dir()


CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def test_an_english_workbook_is_english_but_for_the_data(tmp_path):
    """`--lang en`: no 合计 Total, no bilingual kinds, no Chinese message column (issue 15)."""
    a = daily(
        "A",
        [
            row(2, "恒瑞药房", phone="13800000001", source="phone", grade="B", stage="1"),
            row(3, "天河诊所", phone="13800000002", source="walkin", grade="A", stage="3"),
        ],
        name="张伟",
    )
    b = daily(
        "B",
        [row(4, "恒瑞药房", phone="13800000001", source="visit", stage="7", amount=800.0)],
        name="李娜",
        team="二组",
    )
    issue = make_issue(
        Code.REQUIRED,
        "inbox/甲_日报.xlsx",
        "「客户名称」必须填写。",
        "Customer is required.",
        sheet="日报 Daily",
        cell="B12",
        row=12,
        column="客户名称 Customer",
    )
    summary = consolidate(
        [a, b], period=NOV, as_of=dt.date(2026, 11, 20), extra_issues=[issue], details=True
    )
    # What the organisation wrote stays as written: names, teams, customers, files, sheets.
    data = {"张伟", "李娜", "一组", "二组", "华东", "恒瑞药房", "天河诊所", "日报 Daily"}
    zh_book = openpyxl.load_workbook(write_summary(summary, tmp_path / "zh.xlsx"))
    en_book = openpyxl.load_workbook(write_summary(summary, tmp_path / "en.xlsx", lang="en"))

    def without_data(text: str) -> str:  # a chase message names its rep: @张伟 daily report…
        for name in data:
            text = text.replace(name, "")
        return text

    chinese = {
        cell.value
        for ws in en_book.worksheets
        for r in ws.iter_rows()
        for cell in r
        if isinstance(cell.value, str)
        and CJK.search(without_data(cell.value))
        and not cell.value.endswith("甲_日报.xlsx")  # the file, as a path relative to the summary
    }
    assert not chinese, chinese
    kinds = [r[0].value for r in en_book["Customers"].iter_rows(min_row=2)]
    # A's phone lead 恒瑞 (grade B) neither visited nor followed up by the 9th; 天河 (A,
    # walk-in) not followed up by the 10th; B's deal with 恒瑞 conflicts with A's registration.
    assert sorted(kinds) == [
        "Conflict",
        "Not followed up in 7 days",
        "Not followed up in 7 days",
        "Phone lead, no visit in 7 days",
    ]
    totals = [r[0].value for r in en_book["By team"].iter_rows(min_row=2)]
    assert (
        totals[-1] == "Total"
        and [r[0].value for r in zh_book["团队 By team"].iter_rows(min_row=2)][-1] == "合计 Total"
    )
    heads = [c.value for c in en_book["Issues"][1]]
    assert "Message (zh)" not in heads and heads.count("Message") == 1
    assert en_book["Issues"]["E2"].value == "Customer"  # the column, in English
    zh_heads = [c.value for c in zh_book["问题 Issues"][1]]
    assert "说明\nMessage (zh)" in zh_heads  # the default stays bilingual


def test_details_columns_take_their_number_format_from_the_field_type(summary, tmp_path):
    """A money field shows as money whatever its key: formats follow `Field.type`."""
    path = write_summary(summary, tmp_path / "summary.xlsx", details=True)
    ws = openpyxl.load_workbook(path)["明细 Details"]
    first = 6  # rep ID, name, team, region, file, row come before the form's fields
    fields = DAILY_REPORT.main_table.fields
    formats = {
        f.key: {
            c.number_format
            for (c,) in ws.iter_rows(min_row=2, min_col=first + i + 1, max_col=first + i + 1)
            if c.value is not None
        }
        for i, f in enumerate(fields)
    }
    assert formats[Role.AMOUNT] == {"¥#,##0"}  # the deals of 1,200 and 500
    assert formats[Role.DATE] == {"yyyy-mm-dd"}
    assert formats[Role.CUSTOMER] == {"General"}
    assert column_kind(FieldType.MONEY) == "money" and column_kind(FieldType.CHOICE) == "text"


def test_details_rows_are_streamed_not_kept(summary, tmp_path):
    """The Details rows go to the file as they are written (xlsxwriter's constant memory
    mode): writing 40 times the rows costs no more memory than writing them once."""
    import dataclasses
    import tracemalloc

    details = summary.sheet("details")
    assert len(details.rows) == 4

    def grown(copies: int) -> int:
        many = dataclasses.replace(details, rows=list(details.rows) * copies)
        bigger = dataclasses.replace(
            summary, sheets=[many if s.key == "details" else s for s in summary.sheets]
        )
        tracemalloc.start()
        try:
            write_summary(bigger, tmp_path / f"s{copies}.xlsx", details=True)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    once, many = grown(100), grown(4_000)  # 400 rows, then 16,000 rows of 21 cells
    # Kept as xlsxwriter cells, 15,600 more rows take over 20 MB (327,600 cells);
    # streamed, the peak grows by less than 4 MB.
    assert many - once < 4 * 2**20
    with zipfile.ZipFile(tmp_path / "s4000.xlsx") as z:
        # Details follows the sheets shown and comes before the hidden chart data
        sheet = z.read(f"xl/worksheets/sheet{len(SHEETS)}.xml")
    assert b't="inlineStr"' in sheet  # text written in the cell, as a stream does
    book = CalamineWorkbook.from_path(str(tmp_path / "s4000.xlsx"))
    rows = book.get_sheet_by_name("明细 Details").to_python()
    assert len(rows) == 16_001 and rows[1:5] * 4_000 == rows[1:]  # header + every row
