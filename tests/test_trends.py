"""趋势 Trends from a store with three hand-made months (and one a year before), by hand.

Reps (no hire or leave dates): A and B in 一组, C in 二组 (region 华东).  Each month
every rep reports one closed deal; the month target is on the form.

             target    Sept (22 wd)      Oct (18 wd)                    Nov (21 wd, as of Fri 20th)
  A          10,000    8,000 on 9-10     5,000 on 10-09, 2,000 on 10-29  3,000 on 11-05
  B          20,000   20,000 on 9-10    18,000 on 10-12                 15,000 on 11-16
  C           5,000    2,000 on 9-10     2,500 on 10-12                  4,000 on 11-03
A year before, Nov 2025 (20 workdays), only A reported: 6,000 on 2025-11-05, target 10,000.

Nov 20 is the 15th of November's 21 workdays: pace = amount / (target × 15/21).
The 15th workday of October is Oct 27 (Oct 8, 9, Sat 10, 12-16, 19-23, 26, 27), of
November 2025 Nov 21: 环比 and 同比 compare with those days ("the same point").
Warnings: pace below 0.8 oral, below 0.6 written.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from salesxl.consolidate import consolidate, from_store
from salesxl.consolidate.from_store import consolidate_store
from salesxl.consolidate.history import same_point, stored_forms
from salesxl.consolidate.trends import COMPANY, month_figures, team_key
from salesxl.consolidate.workbook import write_summary
from salesxl.core.calendar import Workdays
from salesxl.core.people import Rep, Roster
from salesxl.core.periods import Month
from salesxl.demo import generate_demo
from salesxl.store import import_files
from salesxl.store.arrivals import load_arrivals
from tests.factory import daily as factory_daily
from tests.factory import row as factory_row
from tests.store_fixtures import contact, daily_file, rep, roster_file

SEP, OCT, NOV = Month(2026, 9), Month(2026, 10), Month(2026, 11)
AS_OF = dt.date(2026, 11, 20)
TARGETS = {"A": 10_000, "B": 20_000, "C": 5_000}
DEALS = {
    SEP: {"A": [(10, 8_000)], "B": [(10, 20_000)], "C": [(10, 2_000)]},
    OCT: {"A": [(9, 5_000), (29, 2_000)], "B": [(12, 18_000)], "C": [(12, 2_500)]},
    NOV: {"A": [(5, 3_000)], "B": [(16, 15_000)], "C": [(3, 4_000)]},
}


def _deal(month: Month, day: int, amount: float) -> dict:
    return contact(day, f"客户{day}", month=month, stage="7", qty=1, price=amount, amount=amount)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("trends")
    db = str(folder / "store.db")
    roster = roster_file(
        folder / "roster.xlsx",
        [rep("A", name="张三"), rep("B", name="王五"), rep("C", name="赵六", team="二组")],
    )
    import_files("roster", [roster], db=db)
    for month, deals in DEALS.items():
        for rep_id, rows in deals.items():
            path = daily_file(
                folder / str(month),
                rep_id,
                [_deal(month, day, amount) for day, amount in rows],
                month=month,
                month_target=TARGETS[rep_id],
                team="二组" if rep_id == "C" else "一组",
            )
            # Each report arrives on the morning after its last day, before 09:00 - except
            # B's October report, which arrives Oct 14 10:00: Oct 12's, due Oct 13 09:00, late.
            last = max(day for day, _ in rows)
            when = dt.datetime(month.year, month.month, last, 8) + dt.timedelta(days=1)
            if (rep_id, month) == ("B", OCT):
                when = dt.datetime(2026, 10, 14, 10)
            import_files("reports", [path], db=db, now=when)
    year_ago = Month(2025, 11)
    old = daily_file(
        folder / "2025-11", "A", [_deal(year_ago, 5, 6_000)], month=year_ago, month_target=10_000
    )
    import_files("reports", [old], db=db, now=dt.datetime(2025, 11, 6, 8))
    return db


@pytest.fixture(scope="module")
def summary(store: str):
    return consolidate_store(store, period=NOV, as_of=AS_OF)


def test_same_point_is_the_same_workday_of_the_month():
    w = Workdays()
    assert same_point(OCT, NOV, AS_OF, w) == dt.date(2026, 10, 27)
    assert same_point(Month(2025, 11), NOV, AS_OF, w) == dt.date(2025, 11, 21)
    assert same_point(OCT, NOV, dt.date(2026, 11, 30), w) == dt.date(2026, 10, 31)  # month over
    assert same_point(OCT, NOV, dt.date(2026, 11, 1), w) is None  # Sunday: no workday yet


def test_months_figures_by_hand(summary):
    trends = summary.trends
    assert [m.period for m in trends.months] == [SEP, OCT]  # June-August: nothing stored
    sep, octo = trends.months
    one = team_key("华东", "一组")
    # Sept, judged now (every report due): team 一组 8,000 + 20,000 = 28,000 of 30,000.
    assert sep.groups[one].amount == 28_000
    assert sep.groups[one].completion == pytest.approx(28_000 / 30_000)
    assert sep.groups[one].pace == pytest.approx(28_000 / 30_000)  # a whole month: = completion
    # Sept warnings: A 0.8 (not below 0.8: OK), B 1.0, C 0.4 (written): one in the company.
    assert (sep.groups[one].warnings, sep.groups[COMPANY].warnings) == (0, 1)
    # Oct: A 7,000/10,000 = 0.7 (oral), B 0.9, C 0.5 (written).
    assert octo.groups[one].amount == 25_000 and octo.groups[COMPANY].warnings == 2
    assert octo.reps["A"].completion == pytest.approx(0.7)
    # Late in Oct: B's Oct 12 report came Oct 14 10:00, after Oct 13 09:00; A's file
    # came Oct 30 08:00 with Oct 29 (on time) and Oct 9 (due Oct 10 09:00: late).
    got = (octo.groups[one].late, octo.groups[COMPANY].late, sep.groups[COMPANY].late)
    assert got == (2, 2, 0)
    # Missing in Sept, 一组: 22 workdays × 2 reps − 2 reported = 42 daily reports, the
    # weekly plans of Sept 7, 14, 21, 28 (4 × 2) and the month plan (2): 42 + 8 + 2 = 52.
    assert sep.groups[one].missing == 52


def test_this_month_against_the_same_point_of_last_month(summary):
    trends = summary.trends
    one = team_key("华东", "一组")
    now, point = trends.current.groups[one], trends.same_point.groups[one]
    assert trends.same_point.as_of == dt.date(2026, 10, 27)
    # Nov as of the 20th: 18,000 of 30,000 = 0.6; pace 18,000 / (30,000 × 15/21) = 0.84.
    assert now.completion == pytest.approx(0.6) and now.pace == pytest.approx(0.84)
    # Oct as of the 27th: A's Oct 29 deal not yet: 5,000 + 18,000 = 23,000;
    # completion 23,000/30,000; pace 23,000 / (30,000 × 15/18) = 0.92.
    assert point.amount == 23_000 and point.pace == pytest.approx(0.92)
    rows = {(r["metric"], r["group"]): r for r in summary.sheet("trend").records()}
    amount = rows[("amount", "一组")]
    assert (amount["m_2026-09"], amount["m_2026-10"], amount["m_2026-11"]) == (
        28_000,
        25_000,
        18_000,
    )
    assert amount["m_2026-06"] is None
    assert amount["mom"] == pytest.approx((18_000 - 23_000) / 23_000)  # -21.7 %
    assert rows[("completion", "一组")]["mom"] == pytest.approx(0.6 - 23_000 / 30_000)
    assert rows[("pace", "一组")]["mom"] == pytest.approx(0.84 - 0.92)
    # Company: Nov 22,000 of 35,000, pace 22,000 / 25,000 = 0.88; Oct 27th: 25,500, pace
    # 25,500 / (35,000 × 15/18) = 0.874...; A's written warning now vs A's and C's oral
    # ones at Oct 27 (C: 2,500 / (5,000 × 15/18) = 0.6, not below 0.6).
    company = {m: rows[(m, "合计 Total")] for m in ("amount", "pace", "warnings")}
    assert company["pace"]["m_2026-11"] == pytest.approx(0.88)
    assert company["pace"]["mom"] == pytest.approx(0.88 - 25_500 / (35_000 * 15 / 18))
    assert company["warnings"]["m_2026-11"] == 1 and company["warnings"]["mom"] == 1 - 2


def test_year_over_year_where_history_exists(summary):
    rows = {(r["metric"], r["group"]): r for r in summary.sheet("trend").records()}
    # Nov 2025 to its 15th workday (Nov 21): A's 6,000 only: (22,000 − 6,000) / 6,000.
    assert rows[("amount", "合计 Total")]["yoy"] == pytest.approx(16_000 / 6_000)
    # Completion a year ago: 6,000 of A's 10,000 (B and C had no target then).
    assert rows[("completion", "合计 Total")]["yoy"] == pytest.approx(22_000 / 35_000 - 0.6)
    # 二组 did not report a year ago: no comparison, not a made-up zero.
    assert rows[("amount", "二组")]["yoy"] is None


def test_by_rep_gains_last_month_and_months_warned_in_a_row(summary):
    reps = {r["rep_id"]: r for r in summary.sheet("by_rep").records()}
    a = reps["A"]
    # A: Nov pace 3,000 / (10,000 × 15/21) = 0.42 (written); Oct 0.7 (oral); Sept 0.8 (OK).
    assert a["pace"] == pytest.approx(0.42) and a["warning"] == "written"
    assert a["last_completion"] == pytest.approx(0.7)
    assert a["pace_change"] == pytest.approx(0.42 - 0.7)
    assert a["warning_months"] == 2
    # C: written in Sept and Oct, but OK now (4,000 / (5,000 × 15/21) = 1.12): 0 in a row.
    assert reps["C"]["warning_months"] == 0 and reps["C"]["last_completion"] == 0.5


def test_the_trend_sheet_has_sparklines(summary, tmp_path: Path):
    path = write_summary(summary, tmp_path / "s.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[4] == "趋势 Trend"
    trend = wb["趋势 Trend"]
    assert trend["B2"].value == "合计 Total" and trend["A2"].value == "金额"
    assert trend["J1"].value == "环比（同期）\nvs last month (same point)"
    assert trend["J3"].number_format == "+0.0%;-0.0%;0.0%"  # 一组's amount: relative
    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/worksheets/sheet5.xml").decode()
    # One sparkline per row, over the six months D..I.
    assert xml.count("<x14:sparkline>") == len(summary.sheet("trend").rows)
    assert "<xm:f>'趋势 Trend'!D2:I2</xm:f>" in xml


def test_the_stored_day_counts_give_the_figures_of_the_full_consolidation(tmp_path: Path):
    """The store's per-day sums (store.arrivals.DayFigures) stand in for the rows: every
    rep's counts and the month's figures must equal those of the rows themselves."""
    files = generate_demo(tmp_path / "demo", reps=8)
    db = str(tmp_path / "demo.db")
    import_files("roster", [files.roster], db=db)
    import_files("reports", [files.inbox], db=db, backfill=True, skip_bad_rows=True)
    as_of = dt.date(2026, 11, 24)
    full = consolidate_store(db, period=NOV, as_of=as_of, trend_months=1).results
    stored = load_arrivals(db, [NOV], figures=True)
    from salesxl.consolidate import consolidate_results

    light = consolidate_results(
        stored_forms(stored, as_of),
        period=NOV,
        roster=stored.roster,
        targets=stored.targets[NOV] or None,
        targets_from="store",
        as_of=as_of,
        first_seen=stored.first_seen,
        day_first_seen=stored.day_first_seen,
        refused=[(r.data, r.errors, r.at) for r in stored.refused_files],
    )
    keys = ("contacts", "visits", "deals", "amount", "deposit", "target", "warning", "rank_company")

    def figures(t: object) -> dict:  # sums of the same amounts in another order: to the cent
        return {
            k: round(v, 2) if isinstance(v, float) else v for k in keys for v in [getattr(t, k)]
        }

    for rep_id, t in full.reps.items():
        assert figures(light.reps[rep_id]) == figures(t), rep_id
    assert full.company.amount > 0
    ours, theirs = month_figures(light).groups, month_figures(full).groups
    assert ours.keys() == theirs.keys()
    for key, group in theirs.items():
        assert ours[key].amount == pytest.approx(group.amount)
        assert ours[key].completion == pytest.approx(group.completion)
        assert (ours[key].warnings, ours[key].late, ours[key].missing) == (
            group.warnings,
            group.late,
            group.missing,
        )


_PARENT = os.getpid()


def _ends_in_its_process(*args: Any) -> Any:
    """`_earlier_of_store` whose forked process ends at once (as the OOM killer ends one)."""
    if os.getpid() != _PARENT:
        os._exit(9)
    return _EARLIER_OF_STORE(*args)


_EARLIER_OF_STORE = from_store._earlier_of_store


@pytest.mark.skipif(sys.platform != "linux", reason="the months before are forked on Linux only")
def test_the_months_before_are_worked_out_here_when_their_process_dies(
    store: str, summary, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(from_store, "_earlier_of_store", _ends_in_its_process)
    again = consolidate_store(store, period=NOV, as_of=AS_OF).trends
    assert again is not None
    sep, octo = again.months
    one = team_key("华东", "一组")
    assert sep.groups[one].amount == 28_000 and octo.groups[one].amount == 25_000  # as above
    assert again.months == summary.trends.months
    assert (again.last, again.year_ago) == (summary.trends.last, summary.trends.year_ago)


def test_a_team_nobody_reported_in_has_no_figures_not_zeros():
    """二组's one rep, C (target ¥5,000), handed in no daily report in September: the By team
    sheet leaves its figures blank, and so does its month on the Trend sheet, so October's
    change is not set against a made-up ¥0 and 0 %.  一组's A closed ¥8,000 of ¥10,000."""
    roster = Roster({"A": Rep("A", "张三", "华东", "一组"), "C": Rep("C", "赵六", "华东", "二组")})
    report = factory_daily(
        "A", [factory_row(dt.date(2026, 9, 10), "甲", stage="7", amount=8000.0)], month=SEP
    )
    summary = consolidate(
        [report],
        period=SEP,
        roster=roster,
        targets={"A": 10_000, "C": 5_000},
        as_of=dt.date(2026, 10, 9),
    )
    assert summary.results is not None
    figures = month_figures(summary.results)
    nobody = figures.groups[team_key("华东", "二组")]
    assert (nobody.amount, nobody.completion, nobody.pace) == (None, None, None)
    (by_team,) = [r for r in summary.sheet("by_team").records() if r["team"] == "二组"]
    assert by_team["amount"] is None and by_team["completion"] is None
    one = figures.groups[team_key("华东", "一组")]
    assert one.amount == 8000.0 and one.completion == pytest.approx(0.8)
    company = figures.groups[COMPANY]  # ¥8,000 of ¥15,000: C's target counts, as By team's
    assert company.amount == 8000.0 and company.completion == pytest.approx(8000 / 15000)
