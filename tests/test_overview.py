"""总览 The Overview: tiles, completion by rep, daily sales, furthest below pace — by hand.

November 2026 as of Fri Nov 20: 15 of its 21 workdays have passed, so a rep employed
all month should have reached 15/21 = 71.4 % of the target (the pace line), and the
month-to-date target of a ¥21,000 target is ¥15,000.

  rep  name  team  target   amount   completion          pace          warning
  A    甲    一组  21,000    3,000   3/21  = 14.3 %      3/15 = 0.20   written
  B    乙    一组  21,000    9,000   9/21  = 42.9 %      9/15 = 0.60   oral (not below 0.6)
  C    丙    一组  21,000   12,000   12/21 = 57.1 %     12/15 = 0.80   OK
  D    丁    二组  21,000    6,000   6/21  = 28.6 %      6/15 = 0.40   written
  E    戊    二组  21,000   15,000   15/21 = 71.4 %     15/15 = 1.00   OK
  F    己    二组  21,000   20,000   20/21 = 95.2 %     20/15 = 1.33   OK  (5,000 of it on Sat Nov 14)
  G    庚    二组  21,000    1,000   left Fri Nov 6: 5 workdays, target 5,000: 20 %, no warning
Company: amount 66,000; pro-rated target 6 × 21,000 + 5,000 = 131,000; MTD target
6 × 15,000 + 5,000 = 95,000; pace 66,000 / 95,000 = 0.69 (oral).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from salesxl.consolidate import consolidate
from salesxl.consolidate.workbook import write_summary
from salesxl.core.people import Rep, Roster
from tests.factory import NOV, daily, row
from tests.lo import needs_pdftoppm, needs_soffice, render_first_sheet

AS_OF = dt.date(2026, 11, 20)
NAMES = dict(zip("ABCDEFG", "甲乙丙丁戊己庚", strict=True))
DEALS = {"A": [(3, 3000)], "B": [(4, 9000)], "C": [(5, 12000)], "D": [(9, 6000)],
         "E": [(10, 15000)], "F": [(12, 15000), (14, 5000)], "G": [(3, 1000)]}  # fmt: skip


def _deal(day: int, amount: float) -> dict:
    return row(day, f"客户{day}", stage="7", qty=1, price=amount, amount=amount)


@pytest.fixture(scope="module")
def summary():
    reps = {
        k: Rep(
            k,
            NAMES[k],
            region="华东",
            team="一组" if k in "ABC" else "二组",
            manager="李主管",
            leave_date=dt.date(2026, 11, 6) if k == "G" else None,
        )
        for k in NAMES
    }
    forms = [
        daily(k, [_deal(d, a) for d, a in deals], name=NAMES[k], team=reps[k].team or "")
        for k, deals in DEALS.items()
    ]
    return consolidate(
        forms,
        period=NOV,
        roster=Roster(reps),
        targets=dict.fromkeys(NAMES, 21_000),
        as_of=AS_OF,
    )


@pytest.fixture(scope="module")
def book(summary, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_summary(summary, tmp_path_factory.mktemp("ov") / "summary.xlsx")


def test_tiles(book):
    ws = openpyxl.load_workbook(book)["总览 Overview"]
    # Five tiles of five columns and a gap: A, G, M, S, Y.  Row 4 the label, row 5 the value.
    labels = [ws[f"{c}4"].value for c in "AGMSY"]
    assert labels == [
        "金额 Amount",
        "完成率 Completion",
        "进度指数 Pace index",
        "预警人数 Reps warned",
        "缺交报告 Missing reports",
    ]
    assert ws["A5"].value == 66_000 and ws["A5"].number_format == "¥#,##0"
    assert ws["G5"].value == pytest.approx(66_000 / 131_000)
    assert ws["M5"].value == pytest.approx(66_000 / 95_000)
    assert ws["S5"].value == 3  # A and D written, B oral
    assert ws["S7"].value == "口头 1 · 书面 2"
    assert ws["G7"].value == "应完成 71%（进度线）"  # 15 of 21 workdays
    assert ws["A6"].value == "上月同期：无数据"  # a folder has no months before


def test_completion_by_rep_lowest_first_coloured_by_warning(book):
    wb = openpyxl.load_workbook(book)
    data = wb["图表数据 Chart data"]
    assert data.sheet_state == "hidden" and wb.sheetnames[-1] == "图表数据 Chart data"
    rows = list(data.iter_rows(min_row=2, max_row=8, values_only=True))
    # Lowest first: A 14.3 %, G 20 %, D 28.6 %, B 42.9 %, C 57.1 %, E 71.4 %, F 95.2 %.
    assert [r[0] for r in rows] == ["甲", "庚", "丁", "乙", "丙", "戊", "己"]
    assert [r[1] for r in rows] == pytest.approx(
        [3 / 21, 0.2, 6 / 21, 9 / 21, 12 / 21, 15 / 21, 20 / 21]
    )
    assert {r[2] for r in rows} == {1.0}
    assert [r[3] for r in rows] == pytest.approx([15 / 21] * 7)
    with zipfile.ZipFile(book) as z:
        chart = z.read("xl/charts/chart1.xml").decode()
    colours = re.findall(r"<c:dPt>.*?<a:srgbClr val=\"(\w+)\"", chart)
    # written red, not judged grey (G left), written, oral amber, then OK green.
    assert colours == ["C00000", "A5A5A5", "C00000", "FFC000", "70AD47", "70AD47", "70AD47"]
    assert "<c:lineChart>" in chart  # the 100 % and pace lines


def test_daily_sales_workdays_only_with_the_amount_so_far_and_the_target_line(book, summary):
    trend = summary.daily_trend.records()
    days = [r["date"] for r in trend]
    # Nov 2-6, 9-13, 16-20 and Sat Nov 14 (F closed 5,000 on it); no other weekend day.
    assert len(days) == 16 and dt.date(2026, 11, 14) in days
    assert dt.date(2026, 11, 15) not in days and dt.date(2026, 11, 7) not in days
    assert trend[-1]["cumulative"] == 66_000
    assert trend[-1]["target_line"] == pytest.approx(95_000)  # the MTD target
    # By Fri Nov 6: 5 workdays of 7 reps (G's last day) at 1,000 a day each: 35,000.
    assert trend[4]["target_line"] == pytest.approx(35_000)
    # After G left: 6 reps × 1,000 per workday; Saturday the 14th adds nothing.
    assert [r["target_line"] for r in trend if r["date"].day in (13, 14, 16)] == pytest.approx(
        [35_000 + 5 * 6_000, 35_000 + 5 * 6_000, 35_000 + 6 * 6_000]
    )


def test_the_reps_furthest_below_pace_are_named(book):
    ws = openpyxl.load_workbook(book)["总览 Overview"]
    header = next(r for r in range(1, 80) if ws[f"S{r}"].value == "销售员\nRep")
    names = [ws[f"S{header + i}"].value for i in range(1, 6)]
    behind = [ws[f"AB{header + i}"].value for i in range(1, 5)]
    # Pace below 1, lowest first: A 0.2, D 0.4, B 0.6, C 0.8 (E is exactly on pace; G left).
    assert names == ["甲", "丁", "乙", "丙", None]
    assert behind == [15_000 - 3_000, 15_000 - 6_000, 15_000 - 9_000, 15_000 - 12_000]


def test_team_table_headers_wrap_and_numbers_align_right(book):
    ws = openpyxl.load_workbook(book)["总览 Overview"]
    header = next(r for r in range(1, 80) if ws[f"A{r}"].value == "团队\nTeam")
    assert ws.row_dimensions[header].height >= 28  # two lines, not clipped
    assert ws[f"A{header}"].alignment.wrap_text
    amount = ws[f"F{header + 1}"]
    assert amount.value == 24_000 and amount.alignment.horizontal == "right"  # 一组: 3+9+12
    assert ws[f"A{header + 1}"].alignment.horizontal == "left"


def test_one_chart_per_team_past_40_reps(tmp_path):
    reps = {f"R{i:02d}": Rep(f"R{i:02d}", f"销售{i}", team=f"{i % 3}组") for i in range(45)}
    forms = [
        daily(k, [_deal(3, 1000 + i)], team=r.team or "") for i, (k, r) in enumerate(reps.items())
    ]
    summary = consolidate(
        forms, period=NOV, roster=Roster(reps), targets=dict.fromkeys(reps, 10_000), as_of=AS_OF
    )
    path = write_summary(summary, tmp_path / "s.xlsx")
    with zipfile.ZipFile(path) as z:
        drawing = z.read("xl/drawings/drawing1.xml").decode()
        titles = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert drawing.count("<c:chart ") == 3 + 1  # a chart per team, and daily sales
    assert sum("0组 — 完成率" in t for t in titles) == 1


@needs_soffice
@needs_pdftoppm
def test_libreoffice_prints_the_overview_on_one_page(book, tmp_path):
    png, pages = render_first_sheet(book, tmp_path / "lo")
    assert png.stat().st_size > 20_000 and png.read_bytes()[:4] == b"\x89PNG"
    assert "销售汇总 Sales summary 2026-11" in pages[0]
    assert "###" not in pages[0]  # every figure fits its cell
    assert pages[1].split()[:2] == ["工号", "销售员"]  # page 2 is already By rep
