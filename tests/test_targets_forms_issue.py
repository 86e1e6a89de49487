"""`salesxl forms issue` with targets: who is skipped and why, and the tiers on the forms."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from click.testing import CliRunner

from salesxl.cli import main
from salesxl.core.periods import Month
from salesxl.forms import ROSTER
from salesxl.intake.files import load_form
from salesxl.targets import Settings, TargetsInput, UnitSpec, split_targets
from salesxl.targets.inputs import active_months
from salesxl.targets.workbook import write_targets
from salesxl.write.templates import write_form


def test_forms_issue_names_whom_it_skipped_and_shows_the_tiers(tmp_path):
    reps = [
        {"rep_id": "S001", "name": "张伟", "team": "一组", "region": "华东"},
        {"rep_id": "S027", "name": "离职者", "team": "一组", "region": "华东"},
        {"rep_id": "S031", "name": "新人", "team": "一组", "region": "华东"},
    ]
    reps[1] |= {"hire_date": dt.date(2020, 1, 6), "leave_date": dt.date(2026, 11, 13)}
    reps[2] |= {"hire_date": dt.date(2027, 1, 4)}
    write_form(tmp_path / "roster.xlsx", ROSTER, rows={"reps": reps})
    from salesxl.intake.roster import read_roster

    starts, ends = active_months(read_roster(tmp_path / "roster.xlsx"))
    units = [
        UnitSpec("company", "HQ", annual=D(1_200_000)),
        *[UnitSpec("rep", r["rep_id"], "HQ") for r in reps],
    ]
    s = Settings(2026, method="equal", rounding=D(100), stretch_uplift=10.0, challenge_uplift=20.0)
    split = split_targets(TargetsInput(s, units, starts=starts, ends=ends))
    plans = {p.unit: p for p in split.plans}
    # S027 left in November: no December target, S031 has none at all in 2026.
    assert plans["S027"].months[11] == 0 and plans["S031"].months == [0] * 12
    targets = write_targets(split, tmp_path / "targets.xlsx")
    result = CliRunner().invoke(
        main,
        [
            "forms",
            "issue",
            "--roster",
            str(tmp_path / "roster.xlsx"),
            "--targets",
            str(targets),
            "--period",
            "2026-12",
            "-o",
            str(tmp_path / "forms"),
        ],
    )
    assert result.exit_code == 0, result.output
    # S001 alone: a daily report, a monthly plan and a weekly plan for each week whose
    # Monday is in December 2026 (the 7th, 14th, 21st and 28th): 2 + 4 = 6 forms.
    assert "6 forms for 1 rep written" in result.output  # the singular
    assert "skipped S027 离职者: left 2026-11-13 (离职), before 2026-12" in result.output
    assert "skipped S031 新人: hired 2027-01-04 (入职), after 2026-12" in result.output
    assert "no 2026-12 target" not in result.output  # the skipped are not "missing"
    # The monthly plan shows the three tiers; the daily report's progress the base target.
    monthly = next((tmp_path / "forms").rglob("S001_*月计划*.xlsx"))
    header = load_form(monthly).header
    december = [int(split.money(plans["S001"].tier(t)[11])) for t in split.tier_names]
    daily = next((tmp_path / "forms").rglob("S001_*日报*.xlsx"))
    assert load_form(daily).header["month_target"] == december[0]
    assert [header["month_target"], header["stretch_target"], header["challenge_target"]] == (
        december
    )
    assert december[0] < december[1] < december[2]
    assert Month(2026, 12) == header["month"]


def test_the_summary_shows_completion_against_each_tier():
    from salesxl.consolidate import consolidate
    from tests.factory import NOV, daily, row

    a = daily("A", [row(4, "天河科技", grade="B", stage="7", amount=5_000.0)])
    b = daily("B", [row(5, "前海物流", grade="A", stage="7", amount=3_000.0)])
    summary = consolidate(
        [a, b],
        period=NOV,
        as_of=dt.date(2026, 11, 10),
        targets={"A": 10_000, "B": 6_000},
        tiers={"stretch": {"A": 11_000, "B": 6_600}, "challenge": {"A": 12_500, "B": 7_500}},
    )
    sheet = summary.sheet("tiers")
    rows = {r["rep_id"]: r for r in sheet.records()}
    # A: 5,000 of 10,000 = 50 %, of 11,000 = 45.45 %, of 12,500 = 40 %
    assert rows["A"]["completion"] == 0.5 and rows["A"]["challenge_completion"] == 0.4
    assert abs(rows["A"]["stretch_completion"] - 5_000 / 11_000) < 1e-12
    # Total: 8,000 of 16,000 = 50 %, of 17,600 = 45.45 %, of 20,000 = 40 %
    total = rows["合计 Total"]
    assert (total["amount"], total["target"], total["challenge_target"]) == (8_000, 16_000, 20_000)
    assert total["challenge_completion"] == 0.4
    # warnings and completion of the By rep sheet stay on the base target
    by_rep = {r["rep_id"]: r for r in summary.sheet("by_rep").records()}
    assert by_rep["A"]["completion"] == 0.5
    assert [s.key for s in summary.sheets][:3] == ["overview", "by_rep", "tiers"]
    no_tiers = consolidate([a], period=NOV, as_of=dt.date(2026, 11, 10), targets={"A": 1})
    assert "tiers" not in [s.key for s in no_tiers.sheets]


def test_the_tiers_total_is_the_company_completion_of_by_team():
    """S002 is on the roster with a ¥10,000 target and has sent no daily report (无数据 No
    data): By team's company row counts the target without an amount, ¥5,000 of ¥20,000 =
    25 %.  The Tiers sheet's total base completion is that same figure, not 50 % of the
    reps who reported; its stretch total likewise ¥5,000 of ¥24,000."""
    from salesxl.consolidate import consolidate
    from salesxl.core.people import Rep, Roster
    from tests.factory import NOV, daily, row

    roster = Roster(
        {
            "S001": Rep("S001", "张伟", team="一组", region="华东"),
            "S002": Rep("S002", "李娜", team="一组", region="华东"),
        }
    )
    report = daily("S001", [row(4, "天河科技", grade="B", stage="7", amount=5_000.0)])
    summary = consolidate(
        [report],
        period=NOV,
        as_of=dt.date(2026, 11, 30),
        roster=roster,
        targets={"S001": 10_000, "S002": 10_000},
        tiers={"stretch": {"S001": 12_000, "S002": 12_000}},
    )
    company = {r["team"]: r for r in summary.sheet("by_team").records()}["合计 Total"]
    assert company["completion"] == 0.25
    tiers = {r["rep_id"]: r for r in summary.sheet("tiers").records()}
    assert tiers["S002"]["amount"] is None and tiers["S002"]["completion"] is None
    total = tiers["合计 Total"]
    assert (total["amount"], total["target"], total["prorated"]) == (5_000, 20_000, 20_000)
    assert total["completion"] == 0.25
    assert total["stretch_prorated"] == 24_000
    assert abs(total["stretch_completion"] - 5_000 / 24_000) < 1e-12
