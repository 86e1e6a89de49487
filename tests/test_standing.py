"""Leavers and new hires are judged on the workdays they were employed (issue 15, items 1 and 7).

November 2026 has 21 workdays (Nov 2-6, 9-13, 16-20, 23-27, 30; no holiday).
By Tuesday Nov 24, 17 of them have passed (5 + 5 + 5 + Nov 23 and 24).
"""

from __future__ import annotations

import datetime as dt

import pytest

from salesxl.consolidate import consolidate
from salesxl.consolidate.standing import employed_in
from salesxl.core.people import Rep, Roster
from salesxl.core.periods import Month
from tests.factory import NOV, daily, row

AS_OF = dt.date(2026, 11, 24)


def _roster(**reps: Rep) -> Roster:
    return Roster(dict(reps))


def _sale(day: int, amount: float) -> dict:
    return row(day, f"客户{day}", source="visit", grade="A", stage="7", amount=amount)


@pytest.fixture
def summary():
    roster = _roster(
        A=Rep("A", "甲", "华南", "广州组"),  # the whole month
        L=Rep("L", "李", "华南", "广州组", leave_date=dt.date(2026, 11, 13), status="left"),
        H=Rep("H", "何", "华南", "广州组", hire_date=dt.date(2026, 11, 16)),
    )
    forms = [
        daily("A", [_sale(3, 10000.0), _sale(20, 7000.0)], team="广州组", region="华南"),
        daily("L", [_sale(5, 5000.0)], team="广州组", region="华南"),
        daily("H", [_sale(18, 3500.0)], team="广州组", region="华南"),
    ]
    targets = {"A": 21000, "L": 21000, "H": 21000}
    return consolidate(forms, period=NOV, roster=roster, targets=targets, as_of=AS_OF)


def by_rep(summary):
    return {r["rep_id"]: r for r in summary.sheet("by_rep").records()}


def test_a_leaver_is_judged_on_the_workdays_before_leaving(summary):
    leaver = by_rep(summary)["L"]
    # Employed Nov 2-13: 10 of 21 workdays, all of them before as-of.
    assert leaver["workdays"] == 10
    assert leaver["target"] == 21000  # the original month target, shown beside
    assert leaver["prorated_target"] == pytest.approx(21000 * 10 / 21)  # 10,000
    assert leaver["paced_target"] == pytest.approx(10000)  # not 21,000 × 17/21 = 17,000
    assert leaver["completion"] == pytest.approx(5000 / 10000)
    assert leaver["pace"] == pytest.approx(0.5)
    # Marked 离职 Left; no warning and no rank after leaving (the pace is only shown).
    assert leaver["status"] == "left"
    assert leaver["warning"] is None
    assert leaver["rank_team"] is None and leaver["rank_company"] is None
    assert "11-13" in leaver["note"] and "10 of 21" in leaver["note"]


def test_a_mid_month_hire_is_judged_from_the_hire_date(summary):
    hire = by_rep(summary)["H"]
    # Employed Nov 16-30: 11 workdays; up to Nov 24: Nov 16-20, 23, 24 = 7.
    assert hire["status"] == "joined" and hire["workdays"] == 11
    assert hire["prorated_target"] == pytest.approx(21000 * 11 / 21)  # 11,000
    assert hire["paced_target"] == pytest.approx(21000 * 7 / 21)  # 7,000
    assert hire["completion"] == pytest.approx(3500 / 11000)
    assert hire["pace"] == pytest.approx(3500 / 7000)  # 0.5 < 0.6: written warning
    assert hire["warning"] == "written"
    # Ranked among the judged reps: A (17,000 / 21,000 = 81 %) before H (32 %).
    assert (hire["rank_team"], hire["rank_company"]) == (2, 2)
    assert by_rep(summary)["A"]["rank_company"] == 1


def test_team_region_and_company_use_the_pro_rated_figures(summary):
    team = {r["team"]: r for r in summary.sheet("by_team").records()}["广州组"]
    # Targets as given: 3 × 21,000.  Pro-rated: 21,000 + 10,000 + 11,000 = 42,000.
    # Paced: A 21,000 × 17/21 = 17,000; L 10,000; H 7,000: 34,000.
    # Amount: 17,000 + 5,000 + 3,500 = 25,500.
    assert team["target"] == 63000
    assert team["prorated_target"] == pytest.approx(42000)
    assert team["paced_target"] == pytest.approx(34000)
    assert team["amount"] == 25500
    assert team["completion"] == pytest.approx(25500 / 42000)
    assert team["pace"] == pytest.approx(25500 / 34000)  # 0.75: oral, not written
    assert team["warning"] == "oral"
    region = {r["region"]: r for r in summary.sheet("by_region").records()}["华南"]
    assert region["pace"] == pytest.approx(0.75)
    h = summary.headline
    assert (h.month_target, h.target) == (63000, pytest.approx(42000))
    assert h.completion == pytest.approx(25500 / 42000)
    overview = {r["metric_en"]: r["value"] for r in summary.sheet("overview").records()}
    assert overview["Left this month"] == 1 and overview["Joined this month"] == 1
    assert overview["Month target"] == 63000
    assert overview["Pro-rated target"] == pytest.approx(42000)


def test_every_sheet_agrees_on_the_leaving_day(summary):
    due = sorted(
        r.due_for for r in summary.submissions if r.rep == "L" and r.form == "daily_report"
    )
    # The Submissions grid stops at the leaving day: the same 10 workdays By rep counts.
    assert due[0] == "2026-11-02" and due[-1] == "2026-11-13" and len(due) == 10
    assert by_rep(summary)["L"]["workdays"] == len(due)
    hired = [r.due_for for r in summary.submissions if r.rep == "H" and r.form == "daily_report"]
    assert min(hired) == "2026-11-16" and len(hired) == 7  # Nov 16-20, 23, 24


def test_before_the_leaving_day_the_rep_is_still_judged():
    roster = _roster(L=Rep("L", "李", leave_date=dt.date(2026, 11, 13), status="left"))
    # As of Thursday Nov 12: 9 workdays employed so far (Nov 2-6, 9-12).
    summary = consolidate(
        [daily("L", [_sale(5, 4500.0)])],
        period=NOV,
        roster=roster,
        targets={"L": 21000},
        as_of=dt.date(2026, 11, 12),
    )
    leaver = by_rep(summary)["L"]
    assert leaver["status"] == "active"
    assert leaver["prorated_target"] == pytest.approx(10000)  # he leaves after 10 workdays
    assert leaver["paced_target"] == pytest.approx(21000 * 9 / 21)  # 9,000
    assert leaver["pace"] == pytest.approx(0.5) and leaver["warning"] == "written"
    assert leaver["rank_company"] == 1


def test_a_rep_who_left_before_the_month_is_not_listed():
    roster = _roster(
        A=Rep("A", "甲"), Z=Rep("Z", "赵", leave_date=dt.date(2026, 10, 20), status="left")
    )
    summary = consolidate([daily("A", [_sale(3, 1.0)])], period=NOV, roster=roster, as_of=AS_OF)
    assert [r["rep_id"] for r in summary.sheet("by_rep").records()] == ["A"]
    assert not [r for r in summary.submissions if r.rep == "Z"]
    assert summary.headline.reps == 1


@pytest.mark.parametrize(
    ("rep", "employed"),
    [
        (Rep("R", "r"), True),
        (Rep("R", "r", hire_date=dt.date(2026, 11, 30)), True),
        (Rep("R", "r", hire_date=dt.date(2026, 12, 1)), False),
        (Rep("R", "r", leave_date=dt.date(2026, 11, 1)), True),
        (Rep("R", "r", leave_date=dt.date(2026, 10, 31)), False),
        (Rep("R", "r", status="left"), False),  # left, date unknown
    ],
)
def test_employed_in_the_month(rep, employed):
    assert employed_in(rep, Month(2026, 11)) is employed


def test_reps_without_a_report_are_not_ranked_and_count_as_missing():
    """Only one rep reported: the others get 无数据 No data, no rank, no warning (item 7)."""
    roster = _roster(
        A=Rep("A", "甲", team="一组"), B=Rep("B", "乙", team="一组"), C=Rep("C", "丙", team="一组")
    )
    # A reported every workday Nov 2-10 but closed nothing: completion 0.
    a = daily(
        "A", [row(day, f"客户{day}", source="phone", stage="1") for day in (2, 3, 4, 5, 6, 9, 10)]
    )
    summary = consolidate(
        [a],
        period=NOV,
        roster=roster,
        targets={"A": 21000, "B": 21000, "C": 21000},
        as_of=dt.date(2026, 11, 10),
    )
    reps = by_rep(summary)
    assert (reps["A"]["rank_team"], reps["A"]["rank_company"]) == (1, 1)
    assert reps["A"]["warning"] == "written"  # 0 against 7,000 paced
    for rep_id in "BC":
        assert reps[rep_id]["status"] == "no_data"
        assert reps[rep_id]["rank_team"] is None and reps[rep_id]["rank_company"] is None
        assert reps[rep_id]["warning"] is None and reps[rep_id]["amount"] is None
    # The overview counts no warning for them either: A's is the only one.
    overview = {r["metric_en"]: r["value"] for r in summary.sheet("overview").records()}
    assert overview["Written warnings"] == 1 and overview["No data"] == 2
    # Missing reports by Tuesday Nov 10 (23:59): daily Nov 2-6 and 9 (due 09:00 the next
    # workday, Nov 10's is due Nov 11) = 6, the W45 and W46 plans and the month plan = 3.
    # A misses its 3 plans; B and C miss 6 + 3 each: 3 + 9 + 9 = 21.
    grid = {r["rep_id"]: r for r in summary.sheet("submissions").records()}
    assert (grid["A"]["missing"], grid["B"]["missing"], grid["C"]["missing"]) == (3, 9, 9)
    assert summary.headline.missing == 21


def test_pace_lines_of_reps_employed_alike_are_one_line():
    """Each rep's pace line (the share of the month target due by each day), worked out once
    for reps employed alike.  By hand, of November's 21 workdays:
      A and B (the whole month): 17/21 due by the 24th, 21/21 by the 30th;
      H (hired on the 16th): 7 workdays employed by the 24th (16-20, 23, 24) -> 7/21,
        11/21 by the 30th (and 23-27, 30), 0 on the 13th;
      L (left on the 13th): 10/21 from the 13th on."""
    roster = _roster(
        A=Rep("A", "甲", "华南", "广州组"),
        B=Rep("B", "乙", "华南", "广州组"),
        L=Rep("L", "李", "华南", "广州组", leave_date=dt.date(2026, 11, 13), status="left"),
        H=Rep("H", "何", "华南", "广州组", hire_date=dt.date(2026, 11, 16)),
    )
    forms = [daily(rep, [_sale(3, 100.0)], team="广州组", region="华南") for rep in "ABLH"]
    lines = consolidate(forms, period=NOV, roster=roster, as_of=AS_OF).results.pace_lines
    assert lines["A"] is lines["B"]
    day = dt.date(2026, 11, 24)
    assert (lines["A"][day], lines["H"][day], lines["L"][day]) == (17 / 21, 7 / 21, 10 / 21)
    end = dt.date(2026, 11, 30)
    assert (lines["A"][end], lines["H"][end], lines["L"][end]) == (1.0, 11 / 21, 10 / 21)
    assert lines["H"][dt.date(2026, 11, 13)] == 0.0
