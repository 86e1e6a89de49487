"""个人战报 Scorecards (salesxl.scorecards): figures worked out by hand on a small inbox.

November 2026 has 21 workdays (no holiday); by Friday 13 November 10 have
passed, so a month target T is due at workday pace at T × 10/21.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from salesxl.cli import main
from salesxl.consolidate import consolidate, consolidate_inbox
from salesxl.core.people import Rep, Roster
from salesxl.core.periods import Month, Week
from salesxl.demo import generate_demo
from salesxl.forms import TARGETS
from salesxl.scorecards import (
    build_scorecards,
    card_path,
    scorecards_inbox,
    scorecards_store,
    write_scorecards,
)
from salesxl.store import import_files
from salesxl.write.templates import write_form
from tests.factory import daily as factory_daily
from tests.factory import row as factory_row
from tests.lo import convert, needs_soffice
from tests.store_fixtures import contact, daily_file, rep, roster_file, weekly_file

NOV = Month(2026, 11)
AS_OF = dt.date(2026, 11, 13)


def won(day: int, customer: str, phone: str, qty: float, price: float, **more: Any) -> dict:
    """A closed deal (stage 7 成交) of qty × price, found on a visit."""
    values = {"source": "visit", "grade": "C", "stage": "7", "qty": qty, "price": price}
    return contact(day, customer, phone=phone, amount=qty * price, **{**values, **more})


def targets_file(path: Path, months: dict[Month, dict[str, float]]) -> Path:
    rows = [
        {"level": "rep", "unit": rep_id, "month": month, "target": target}
        for month, targets in months.items()
        for rep_id, target in targets.items()
    ]
    return write_form(path, TARGETS, rows={"long": rows})


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Three reps: S001 and S002 in team 一组, S003 in 二组."""
    base = tmp_path_factory.mktemp("cards")
    inbox = base / "inbox"
    daily_file(
        inbox,
        "S001",
        [
            # a phone lead, grade B, never visited: both 7-day rules run out on 11-09
            contact(2, "客户甲", phone="13800000001", source="phone", grade="B", stage="2"),
            won(3, "客户乙", "13800000002", 2, 5000.0, deposit=2000.0, grade="A"),
            # a walk-in, grade A, open: its follow-up is due by 11-17
            contact(
                10,
                "客户丙",
                phone="13800000003",
                source="walkin",
                grade="A",
                stage="4",
                next_followup=dt.date(2026, 11, 12),
            ),
            won(12, "客户丁", "13800000004", 1, 11000.0),
        ],
        closes=[
            {"date": dt.date(2026, 11, 2), "forecast": 10000.0},  # 11-03 closed 10,000: exact
            {"date": dt.date(2026, 11, 11), "forecast": 22000.0},  # 11-12 closed 11,000: half
        ],
    )
    daily_file(
        inbox,
        "S002",
        [
            # 客户甲 again (same phone): S001 registered it first, on 11-02
            contact(4, "客户甲", phone="13800000001", source="visit", grade="B", stage="3"),
            won(5, "客户戊", "13800000005", 1, 5000.0),
        ],
    )
    daily_file(inbox, "S003", [won(6, "客户己", "13800000006", 3, 10000.0)], team="二组")
    weekly_file(
        inbox,
        "S001",
        Week(2026, 46),
        [
            {"date": dt.date(2026, 11, 10), "customer": "客户丙", "expected_amount": 8000.0},
            {"date": dt.date(2026, 11, 12), "customer": "客户丁", "expected_amount": 10000.0},
        ],
    )
    roster = roster_file(base / "roster.xlsx", [rep("S001"), rep("S002"), rep("S003", team="二组")])
    targets = targets_file(
        base / "targets.xlsx", {NOV: {"S001": 42000.0, "S002": 21000.0, "S003": 30000.0}}
    )
    summary, cards = scorecards_inbox(
        [inbox], period=NOV, roster=roster, targets=targets, as_of=AS_OF
    )
    return {
        "base": base,
        "inbox": inbox,
        "roster": roster,
        "targets": targets,
        "summary": summary,
        "cards": {c.rep_id: c for c in cards},
    }


def test_the_month_figures_by_hand(small: dict[str, Any]) -> None:
    a, b, c = (small["cards"][r] for r in ("S001", "S002", "S003"))
    # S001: 2 × 5,000 + 1 × 11,000 = 21,000 against 42,000: 50 %; at pace 42,000 × 10/21 =
    # 20,000 is due, so the pace index is 21,000 / 20,000 = 1.05 (正常) and 1,000 ahead.
    assert a.amount == 21000 and a.target == 42000 and a.completion == pytest.approx(0.5)
    assert a.paced_target == pytest.approx(20000) and a.pace == pytest.approx(1.05)
    assert a.ahead == pytest.approx(1000) and a.warning == "ok" and a.warning_months is None
    # S002: 5,000 against 21,000 (23.8 %); 10,000 due at pace: 0.5 < 0.6, 书面预警.
    assert b.amount == 5000 and b.completion == pytest.approx(5000 / 21000)
    assert b.pace == pytest.approx(0.5) and b.warning == "written"
    assert b.warning_months == 1 and not b.streak_from_store  # no store: this month only
    # S003: 3 × 10,000 = 30,000 = its target: 100 %.
    assert c.completion == pytest.approx(1.0) and c.warning == "ok"
    # Ranks by completion: S003 (100 %), S001 (50 %), S002 (23.8 %); teams of 2 and 1.
    assert (c.rank_company, a.rank_company, b.rank_company) == (1, 2, 3)
    assert (a.rank_team, a.team_size, b.rank_team, b.team_size) == (1, 2, 2, 2)
    assert (c.rank_team, c.team_size, c.company_size) == (1, 1, 3)
    # Contacts, visits (来访/拜访: 乙 丙 丁), new customers (甲 乙 丙 丁 registered by S001), deals.
    assert (a.contacts, a.visits, a.new_customers, a.deals) == (4, 3, 4, 2)
    assert (b.contacts, b.visits, b.new_customers, b.deals) == (2, 2, 1, 1)


def test_the_same_numbers_as_the_summary(small: dict[str, Any]) -> None:
    by_rep = {r["rep_id"]: r for r in small["summary"].sheet("by_rep").records()}
    for rep_id, card in small["cards"].items():
        row = by_rep[rep_id]
        assert (card.amount, card.target, card.completion, card.pace, card.warning) == (
            row["amount"],
            row["target"],
            row["completion"],
            row["pace"],
            row["warning"],
        )
        assert (card.rank_team, card.rank_company) == (row["rank_team"], row["rank_company"])


def test_a_rep_without_a_report_has_blank_figures_not_zeros(tmp_path: Path) -> None:
    """S002 is in the roster with a target but sent no daily report: the summary leaves its
    figures blank, and so does its card (no ¥0, no 'behind' by the whole pace target)."""
    inbox = tmp_path / "inbox"
    daily_file(inbox, "S001", [won(3, "客户乙", "13800000002", 2, 5000.0)])
    roster = roster_file(tmp_path / "roster.xlsx", [rep("S001"), rep("S002")])
    targets = targets_file(tmp_path / "targets.xlsx", {NOV: {"S001": 42000.0, "S002": 21000.0}})
    summary, cards = scorecards_inbox(
        [inbox], period=NOV, roster=roster, targets=targets, as_of=AS_OF
    )
    (row,) = [r for r in summary.sheet("by_rep").records() if r["rep_id"] == "S002"]
    assert (row["amount"], row["contacts"], row["deals"]) == (None, None, None)
    (card,) = [c for c in cards if c.rep_id == "S002"]
    assert (card.amount, card.contacts, card.visits, card.new_customers, card.deals) == (
        (None,) * 5
    )
    assert card.target == 21000 and card.ahead is None and not card.reported
    assert all(p.cumulative is None for p in card.days)  # no amount line on the chart
    (path,) = [p for p in write_scorecards(cards, tmp_path / "cards") if "S002" in p.name]
    sheet = openpyxl.load_workbook(path).active
    shown = {
        str(sheet.cell(r, c).value): sheet.cell(r, c + 1).value
        for r in range(1, sheet.max_row + 1)
        for c in (1, 3)
        if sheet.cell(r, c).value
    }
    for label in ("本月金额 Amount", "联系 Contacts", "新客户 New customers", "成交 Deals"):
        assert shown[label] is None, label
    assert shown["比进度 Ahead (+) / behind (−)"] is None
    assert shown["月度目标 Target"] == 21000


def test_the_pace_line_and_the_amount_so_far(small: dict[str, Any]) -> None:
    a = small["cards"]["S001"]
    days = {p.day: p for p in a.days}
    assert len(days) == 30
    # 10,000 closed on 11-03, 11,000 on 11-12; nothing is drawn after the as-of date.
    assert days[dt.date(2026, 11, 2)].cumulative == 0
    assert days[dt.date(2026, 11, 3)].cumulative == 10000
    assert days[dt.date(2026, 11, 13)].cumulative == 21000 == a.amount
    assert days[dt.date(2026, 11, 14)].cumulative is None
    # The pace line: 42,000 × workdays passed / 21 — 1 on Monday 11-02, 10 on Friday 11-13
    # (weekends add none), all 21 on 11-30.
    assert days[dt.date(2026, 11, 2)].pace == pytest.approx(2000)
    assert days[dt.date(2026, 11, 13)].pace == pytest.approx(20000) == a.paced_target
    assert days[dt.date(2026, 11, 15)].pace == pytest.approx(20000)
    assert days[dt.date(2026, 11, 30)].pace == pytest.approx(42000)


def test_plan_against_actual_week_by_week(small: dict[str, Any]) -> None:
    a, b = small["cards"]["S001"], small["cards"]["S002"]
    # Weeks whose Monday is in November, up to 11-13: W45 (11-02) and W46 (11-09).
    assert [str(w.week) for w in a.weeks] == ["2026-W45", "2026-W46"]
    assert a.weeks[0].plan is None  # no weekly plan filed for W45
    plan = a.weeks[1].plan
    # W46: 客户丙 and 客户丁 planned, both contacted: 2 of 2; 18,000 expected, 11,000 closed.
    assert (plan.planned, plan.done, plan.other) == (2, 2, 0)
    assert plan.planned_amount == 18000 and plan.actual_amount == 11000
    assert plan.amount_ratio == pytest.approx(11000 / 18000)
    assert all(w.plan is None for w in b.weeks)


def test_open_windows_are_worked_out_only_when_asked(small: dict[str, Any]) -> None:
    plain = consolidate_inbox(
        [small["inbox"]], period=NOV, roster=small["roster"], targets=small["targets"], as_of=AS_OF
    )
    asked = small["summary"].results
    assert plain.results is not None and asked is not None
    # The lapses are the same either way; only the windows still open are left out.
    assert plain.results.lapses == asked.lapses and len(asked.lapses) == 3
    assert plain.results.coming_due is None
    # S001's 客户丙: walk-in, last contact 11-10, due by 11-17 (after the as-of date 11-13).
    assert [(c.rep, c.customer, c.due) for c in asked.coming_due or []] == [
        ("S001", "客户丙", dt.date(2026, 11, 17))
    ]
    with pytest.raises(ValueError, match="coming_due=True"):
        build_scorecards(plain)


def test_day_close_forecast_accuracy(small: dict[str, Any]) -> None:
    a = small["cards"]["S001"]
    # 11-02 forecast 10,000, 11-03 closed 10,000: 1.0; 11-11 forecast 22,000, 11-12 closed
    # 11,000: 1 − 11,000 / 22,000 = 0.5.  Mean 0.75 over 2 days.
    assert a.forecast_days == 2 and a.forecast_accuracy == pytest.approx(0.75)
    assert small["cards"]["S002"].forecast_accuracy is None


def test_the_to_do_list_follows_the_customer_rules(small: dict[str, Any]) -> None:
    a, b, c = (small["cards"][r] for r in ("S001", "S002", "S003"))
    # S001: 客户甲 (phone lead 11-02, grade B) ran out of both rules on 11-09; 客户丙 (walk-in,
    # last contact 11-10) is due by 11-17. Won customers need nothing.
    assert [(t.customer, t.rule, t.last_contact, t.due, t.overdue) for t in a.todo] == [
        ("客户甲", "no_follow_up", dt.date(2026, 11, 2), dt.date(2026, 11, 9), True),
        ("客户甲", "phone_no_visit", dt.date(2026, 11, 2), dt.date(2026, 11, 9), True),
        ("客户丙", "no_follow_up", dt.date(2026, 11, 10), dt.date(2026, 11, 17), False),
    ]
    # S002's grade-B 客户甲, last contact 11-04, ran out on 11-11.
    assert [(t.customer, t.rule, t.due, t.overdue) for t in b.todo] == [
        ("客户甲", "no_follow_up", dt.date(2026, 11, 11), True)
    ]
    assert c.todo == []
    # The overdue lines are exactly the summary's Customers sheet rows of the rep.
    sheet = small["summary"].sheet("customers").records()
    for card in (a, b, c):
        mine = sorted(
            (r["customer"], r["due"]) for r in sheet if r["rep_id"] == card.rep_id and r["due"]
        )
        assert mine == sorted((t.customer, t.due) for t in card.todo if t.overdue)


def test_conflicts_appear_on_both_reps_cards(small: dict[str, Any]) -> None:
    a, b, c = (small["cards"][r] for r in ("S001", "S002", "S003"))
    (mine,) = a.conflicts
    (theirs,) = b.conflicts
    assert (mine.customer, mine.other, mine.owner, mine.deal_owner) == (
        "客户甲",
        "S002",
        "S001",
        None,
    )
    assert (theirs.customer, theirs.other, theirs.owner) == ("客户甲", "S001", "S001")
    assert c.conflicts == []


def test_a_workbook_per_rep_on_one_a4_page_with_its_chart(
    small: dict[str, Any], tmp_path: Path
) -> None:
    cards = list(small["cards"].values())
    written = write_scorecards(cards, tmp_path / "cards")
    assert written == [card_path(tmp_path / "cards", c) for c in cards]
    assert written[0].name == "S001_销售S001_战报_2026-11.xlsx"
    assert written[0].parent.name == "一组" and written[0].parent.parent.name == "华东"
    wb = openpyxl.load_workbook(written[0])
    ws = wb.active
    # A4, fitted to one page wide and one page tall (1 is the default, so it may be left out).
    assert ws.page_setup.paperSize == 9 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToHeight in (None, 1) and ws.page_setup.fitToWidth in (None, 1)
    texts = [v for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    assert "本月金额 Amount" in texts and "进度指数 Pace index" in texts
    assert any(t == "客户甲" for t in texts)
    with zipfile.ZipFile(written[0]) as archive:
        chart = archive.read("xl/charts/chart1.xml").decode()
    assert "进度线 Pace line" in chart and "累计金额 Amount so far" in chart
    one = write_scorecards(cards, tmp_path / "one", one_file=True)
    assert len(one) == 1 and len(openpyxl.load_workbook(one[0]).sheetnames) == 3


@needs_soffice
def test_libreoffice_prints_a_scorecard_on_one_page(small: dict[str, Any], tmp_path: Path) -> None:
    (path,) = write_scorecards([small["cards"]["S001"]], tmp_path / "cards")
    pdf = convert(path, "pdf", tmp_path / "pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert re.search(r"Pages:\s+1\n", info), info
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Scorecard" in text and "21,000" in text


def test_months_of_warnings_in_a_row_come_from_the_store(tmp_path: Path) -> None:
    """S002 is warned in September, October and November: three months in a row; S001 was
    fine in October, so its run is November alone; August has no report and ends a run."""
    db = f"sqlite:///{tmp_path / 'store.db'}"
    inbox = tmp_path / "inbox"
    sep, oct_ = Month(2026, 9), Month(2026, 10)
    for month, amounts in ((sep, (1000, 1000)), (oct_, (42000, 5000)), (NOV, (5000, 5000))):
        for rep_id, amount in zip(("S001", "S002"), amounts, strict=True):
            daily_file(
                inbox / str(month),
                rep_id,
                [
                    won(
                        2,
                        "客户X",
                        "13800000009",
                        1,
                        float(amount),
                        date=month.first_day.replace(day=2),
                    )
                ],
                month=month,
            )
    roster = roster_file(tmp_path / "roster.xlsx", [rep("S001"), rep("S002")])
    targets = targets_file(
        tmp_path / "targets.xlsx",
        {m: {"S001": 42000.0, "S002": 21000.0} for m in (Month(2026, 8), sep, oct_, NOV)},
    )
    import_files("roster", [roster], db=db)
    import_files("targets", [targets], db=db)
    result = import_files("reports", [inbox], db=db, backfill=True)
    assert result.count("imported") == 6, result.to_dict()
    _, cards = scorecards_store(db, period=NOV, as_of=AS_OF)
    by_rep = {c.rep_id: c for c in cards}
    # November at pace (10/21): S001 5,000 / 20,000 = 0.25 and S002 5,000 / 10,000 = 0.5.
    assert by_rep["S001"].warning == by_rep["S002"].warning == "written"
    assert by_rep["S002"].warning_months == 3 and by_rep["S002"].streak_from_store
    assert by_rep["S001"].warning_months == 1 and by_rep["S001"].streak_from_store


def test_cli_writes_every_reps_scorecard(tmp_path: Path) -> None:
    demo = generate_demo(tmp_path / "demo", reps=12)
    result = CliRunner().invoke(
        main,
        [
            "scorecards",
            str(demo.inbox),
            "--period",
            "2026-11",
            "--roster",
            str(demo.roster),
            "--as-of",
            "2026-11-24",
            "-o",
            str(tmp_path / "cards"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "12 scorecards" in result.output
    assert len(list((tmp_path / "cards").rglob("*_战报_2026-11.xlsx"))) == 12
    summary = consolidate_inbox(
        [demo.inbox], period=NOV, roster=demo.roster, as_of=dt.date(2026, 11, 24), coming_due=True
    )
    assert len(build_scorecards(summary)) == 12
    both = CliRunner().invoke(
        main, ["scorecards", str(demo.inbox), "--db", "x.db", "--period", "2026-11"]
    )
    assert both.exit_code == 2 and "not both" in both.output


@pytest.mark.parametrize("one_file", [[], ["--one-file"]])
def test_cli_output_named_like_a_workbook_is_refused_not_made_a_folder(tmp_path, one_file):
    # `-o cards.xlsx --one-file` reads as "write the cards into cards.xlsx"; -o is the
    # folder, and a folder called cards.xlsx would hold 战报_2026-11.xlsx.
    demo = generate_demo(tmp_path / "demo", reps=6)
    args = ["scorecards", str(demo.inbox), "--period", "2026-11", "--as-of", "2026-11-24"]
    result = CliRunner().invoke(main, [*args, *one_file, "-o", str(tmp_path / "cards.xlsx")])
    assert result.exit_code == 2, result.output
    assert "cards.xlsx is a file's name, but this option names the folder" in result.output
    assert "give a folder such as cards/" in result.output
    assert not (tmp_path / "cards.xlsx").exists()


def test_a_newcomers_pace_line_counts_only_the_workdays_employed(tmp_path: Path) -> None:
    from salesxl.consolidate import consolidate
    from salesxl.core.people import Rep, Roster
    from salesxl.intake.files import load_form

    folder = tmp_path / "inbox"
    daily_file(folder, "S009", [won(10, "客户壬", "13800000010", 1, 12000.0)])
    forms = [load_form(p) for p in folder.iterdir()]
    roster = Roster({"S009": Rep("S009", "新人", "华东", "一组", hire_date=dt.date(2026, 11, 9))})
    summary = consolidate(
        forms,
        period=NOV,
        roster=roster,
        targets={"S009": 42000.0},
        as_of=AS_OF,
        coming_due=True,
    )
    (card,) = build_scorecards(summary)
    days = {p.day: p.pace for p in card.days}
    # Hired on Monday 11-09: 16 of November's 21 workdays, 5 of them by Friday 11-13.
    # Month target pro-rated 42,000 × 16/21 = 32,000; due at pace 42,000 × 5/21 = 10,000.
    assert card.prorated_target == pytest.approx(32000)
    assert card.paced_target == pytest.approx(10000) == days[dt.date(2026, 11, 13)]
    assert days[dt.date(2026, 11, 6)] == 0 and days[dt.date(2026, 11, 30)] == pytest.approx(32000)
    assert card.completion == pytest.approx(12000 / 32000) and card.pace == pytest.approx(1.2)
    assert card.note is not None and "11-09" in card.note


def _figures(path: Path) -> dict[str, Any]:
    """The card's figures: each label of the This month grid with the value beside it."""
    sheet = openpyxl.load_workbook(path).active
    return {
        str(sheet.cell(r, c).value): sheet.cell(r, c + 1).value
        for r in range(1, sheet.max_row + 1)
        for c in (1, 3)
        if sheet.cell(r, c).value
    }


def test_a_leavers_card_shows_the_pro_rated_target_its_completion_is_computed_on(
    tmp_path: Path,
) -> None:
    """S007 left on Tuesday 11-10 (the day counted as employed): November's workdays 11-02 to
    11-06 and 11-09, 11-10 = 7 of 21.  Month target 42,000 pro-rated to 42,000 × 7/21 =
    14,000; one deal of 7,000: completion 7,000 / 14,000 = 50 %.  The card shows 14,000 as
    the target (to the leave date), the full 42,000 beside it, and 7 of 21 workdays: never
    42,000 next to 50 %."""
    inbox = tmp_path / "inbox"
    daily_file(inbox, "S007", [won(4, "客户庚", "13800000007", 1, 7000.0)])
    roster = roster_file(
        tmp_path / "roster.xlsx", [rep("S007", status="left", leave_date=dt.date(2026, 11, 10))]
    )
    targets = targets_file(tmp_path / "targets.xlsx", {NOV: {"S007": 42000.0}})
    _, cards = scorecards_inbox([inbox], period=NOV, roster=roster, targets=targets, as_of=AS_OF)
    (card,) = cards
    assert card.prorated and card.prorated_target == pytest.approx(14000)
    assert card.completion == pytest.approx(0.5)
    (path,) = write_scorecards(cards, tmp_path / "cards")
    shown = _figures(path)
    assert shown["折算目标（至 11-10 离职）Target pro-rated to leaving 11-10"] == pytest.approx(
        14000
    )
    assert shown["全月目标 Full-month target"] == 42000
    assert shown["在岗工作日 Workdays employed"] == "7 / 21"
    assert shown["完成率 Completion"] == pytest.approx(0.5)
    assert "月度目标 Target" not in shown  # the full target is never the one beside completion


def test_a_new_hires_card_shows_the_target_pro_rated_from_the_hire_date(tmp_path: Path) -> None:
    """S009 joined on Monday 11-09: 16 of November's 21 workdays, target 42,000 pro-rated to
    32,000; 12,000 closed: completion 12,000 / 32,000 = 37.5 %.  A rep employed all month
    (S001, target 21,000) keeps the plain month target and no pro-rating lines."""
    inbox = tmp_path / "inbox"
    daily_file(inbox, "S009", [won(10, "客户壬", "13800000010", 1, 12000.0)])
    daily_file(inbox, "S001", [won(3, "客户乙", "13800000002", 1, 5000.0)])
    roster = roster_file(
        tmp_path / "roster.xlsx", [rep("S009", hire_date=dt.date(2026, 11, 9)), rep("S001")]
    )
    targets = targets_file(tmp_path / "targets.xlsx", {NOV: {"S009": 42000.0, "S001": 21000.0}})
    _, cards = scorecards_inbox([inbox], period=NOV, roster=roster, targets=targets, as_of=AS_OF)
    paths = {p.name: p for p in write_scorecards(cards, tmp_path / "cards")}
    (newcomer,) = [p for name, p in paths.items() if "S009" in name]
    shown = _figures(newcomer)
    assert shown["折算目标（自 11-09 入职）Target pro-rated from joining 11-09"] == pytest.approx(
        32000
    )
    assert shown["全月目标 Full-month target"] == 42000
    assert shown["在岗工作日 Workdays employed"] == "16 / 21"
    assert shown["完成率 Completion"] == pytest.approx(0.375)
    (whole,) = [p for name, p in paths.items() if "S001" in name]
    shown = _figures(whole)
    assert shown["月度目标 Target"] == 21000
    assert shown["完成率 Completion"] == pytest.approx(5000 / 21000)
    assert "全月目标 Full-month target" not in shown
    assert "在岗工作日 Workdays employed" not in shown


def test_weeks_before_joining_or_after_leaving_are_not_plans_missing() -> None:
    """As of Fri 11-27 November's weeks so far are W45 (Mon 11-02), W46 (11-09), W47 (11-16)
    and W48 (11-23).  A plan is owed for the weeks whose Monday the rep was employed on, as
    in Submissions: 新人 joined on Wed 11-11, so W47 and W48; 老王 left on Tue 11-17, so
    W45, W46 and W47.  Neither filed one: only those weeks say "no plan filed"."""
    roster = Roster(
        {
            "N": Rep("N", "新人", "华东", "一组", hire_date=dt.date(2026, 11, 11)),
            "L": Rep("L", "老王", "华东", "一组", leave_date=dt.date(2026, 11, 17)),
        }
    )
    forms = [
        factory_daily("N", [factory_row(12, "甲", stage="7", amount=1000.0)]),
        factory_daily("L", [factory_row(3, "乙", stage="7", amount=1000.0)]),
    ]
    summary = consolidate(
        forms, period=NOV, roster=roster, as_of=dt.date(2026, 11, 27), coming_due=True
    )
    cards = {c.rep_id: c for c in build_scorecards(summary)}
    assert [(w.week.week, w.plan) for w in cards["N"].weeks] == [(47, None), (48, None)]
    assert [(w.week.week, w.plan) for w in cards["L"].weeks] == [(45, None), (46, None), (47, None)]
    missing = {
        (r["rep_id"], col)
        for r in summary.sheet("submissions").records()
        for col, v in r.items()
        if col.startswith("week_") and v is not None
    }
    assert missing == {("N", "week_2026-W47"), ("N", "week_2026-W48")} | {
        ("L", f"week_2026-W{w}") for w in (45, 46, 47)
    }
