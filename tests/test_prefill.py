"""Next forms filled in from what the rep already wrote (salesxl.consolidate.prefill,
salesxl.write.issued, `salesxl forms issue`): figures worked out by hand from the rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from salesxl.cli import cmd_forms, main
from salesxl.consolidate import consolidate
from salesxl.consolidate.digest import digest_daily
from salesxl.consolidate.prefill import LastWeek, PlanSeed, weekly_prefill
from salesxl.core.people import Rep, Roster
from salesxl.core.periods import Month, Week
from salesxl.intake.files import load_form
from salesxl.validate import ValidationContext
from salesxl.write.issued import FormsExistError, issue_forms
from tests.store_fixtures import contact, daily_file, rep, roster_file, weekly_file

NOV, DEC = Month(2026, 11), Month(2026, 12)
W47, W48 = Week(2026, 47), Week(2026, 48)  # 11-16..11-22 and 11-23..11-29
D = dt.date


def c(
    day: int, customer: str, phone: str, source: str, grade: str, stage: str, **more: Any
) -> dict:
    return contact(day, customer, phone=phone, source=source, grade=grade, stage=stage, **more)


S001_NOVEMBER = [
    c(2, "客户己", "13900000006", "visit", "A", "4"),  # A, open, no next step; lapsed 11-09
    c(3, "客户庚", "13900000007", "visit", "A", "4", next_followup=D(2026, 11, 30)),  # step ahead
    c(4, "客户辛", "13900000008", "visit", "A", "7", qty=1, price=2000, amount=2000),  # won
    c(10, "客户甲", "13900000001", "phone", "B", "1"),
    # week 47
    c(16, "客户甲", "13900000001", "visit", "B", "3"),  # 1 -> 3: a stage move
    c(17, "客户乙", "13900000002", "phone", "C", "1"),  # a phone lead, not visited
    c(18, "客户丙", "13900000003", "walkin", "A", "7", qty=1, price=8000, amount=8000),
    c(20, "客户丁", "13900000004", "visit", "A", "4"),
    c(21, "客户戊", "13900000005", "visit", "A", "5", next_followup=D(2026, 11, 26)),
]


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("prefill") / "inbox"
    daily_file(folder, "S001", S001_NOVEMBER)
    # S002 met 客户乙 first (11-05): the customer is S002's new customer, not S001's.
    daily_file(folder, "S002", [c(5, "客户乙", "13900000002", "visit", "C", "2")])
    weekly_file(folder, "S001", W47, [{"date": D(2026, 11, 16), "customer": "客户甲"}])
    return folder


@pytest.fixture(scope="module")
def forms(inbox: Path) -> list[Any]:
    return [load_form(p, ValidationContext(today=D(2026, 11, 30))) for p in sorted(inbox.iterdir())]


def test_last_week_is_counted_from_the_daily_rows_of_that_week(forms: list[Any]) -> None:
    prefill = weekly_prefill(forms, [W48])
    last = prefill[("S001", W48)].last_week
    # Rows of 11-16..11-22: 甲 乙 丙 丁 戊 = 5 contacts; visits/walk-ins 甲 丙 丁 戊 = 4 (乙 was a
    # call); first seen that week and registered first by S001: 丙 丁 戊 = 3 (S002 had 乙 on
    # 11-05); 甲 moved from stage 1 to 3: 1 stage move; one deal, 丙, of 8,000.
    assert last == LastWeek(
        W47,
        contacts=5,
        visits=4,
        new_customers=3,
        stage_moves=1,
        deals=1,
        amount=8000.0,
        days=(D(2026, 11, 16), D(2026, 11, 17), D(2026, 11, 18), D(2026, 11, 20), D(2026, 11, 21)),
    )
    # S002 wrote nothing that week: its plan has no last week, and no customer falls due.
    assert ("S002", W48) not in prefill


def test_last_weeks_amount_is_the_plan_vs_actual_sheets(forms: list[Any]) -> None:
    summary = consolidate(forms, period=NOV, as_of=D(2026, 11, 30))
    (row,) = [r for r in summary.sheet("plan_vs_actual").records() if r["week"] == str(W47)]
    assert row["actual_amount"] == weekly_prefill(forms, [W48])[("S001", W48)].last_week.amount


def test_the_plan_is_seeded_with_the_customers_falling_due(forms: list[Any]) -> None:
    seeds = weekly_prefill(forms, [W48])[("S001", W48)].seeds
    # 7-day windows running out from 11-16 (last week's Monday) to 11-29 (this Sunday):
    # 甲 (B, last 11-16) by 11-23; 乙 (phone lead 11-17, no visit) by 11-24; 丁 (A, 11-20) by
    # 11-27; 戊 (A, 11-21) by 11-28. Then A-grade, open, no next follow-up from 11-23 on: 己
    # (lapsed 11-09). 庚 has a step on 11-30; 丙 and 辛 are won.
    assert seeds == [
        PlanSeed("客户甲", "B", "no_follow_up", D(2026, 11, 16), D(2026, 11, 23), "4"),
        PlanSeed("客户乙", "C", "phone_no_visit", D(2026, 11, 17), D(2026, 11, 24), "2"),
        PlanSeed("客户丁", "A", "no_follow_up", D(2026, 11, 20), D(2026, 11, 27), "5"),
        PlanSeed("客户戊", "A", "no_follow_up", D(2026, 11, 21), D(2026, 11, 28), "6"),
        PlanSeed("客户己", "A", "no_next_step", D(2026, 11, 2), None, "5"),
    ]


def test_the_seeds_follow_the_consolidations_customer_rules(forms: list[Any]) -> None:
    """A seed's 7-day window is one the summary's customer book gives (windows())."""
    from salesxl.consolidate.customers import build_customer_book

    digests = [
        (f.rep_id, digest_daily(f, NOV, W47.sunday)) for f in forms if f.form_id == "daily_report"
    ]
    book = build_customer_book((r, t) for r, d in digests for t in d.trails)
    windows = {
        (w.customer, w.rule, w.due)
        for w in book.windows(W47.monday, W48.sunday + dt.timedelta(days=1), W48.monday)
        if w.rep == "S001"
    }
    seeds = weekly_prefill(forms, [W48])[("S001", W48)].seeds
    assert {(s.customer, s.reason, s.due) for s in seeds if s.due} == windows


def test_a_week_across_two_months_reads_both_reports(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    daily_file(
        folder,
        "S001",
        [c(30, "客户甲", "13900000001", "visit", "C", "7", qty=1, price=100, amount=100)],
    )
    daily_file(
        folder,
        "S001",
        [
            c(D(2026, 12, 1), "客户乙", "13900000002", "visit", "C", "2", month=DEC),
            c(D(2026, 12, 7), "客户丙", "13900000003", "visit", "C", "2", month=DEC),  # next week
        ],
        month=DEC,
    )
    forms = [load_form(p) for p in sorted(folder.iterdir())]
    # W50's plan looks back at W49, 11-30..12-06: one row in November, one in December.
    last = weekly_prefill(forms, [Week(2026, 50)])[("S001", Week(2026, 50))].last_week
    assert (last.contacts, last.deals, last.amount, last.new_customers) == (2, 1, 100.0, 2)


def test_the_issued_weekly_plan_carries_the_rows_and_reads_back_clean(
    forms: list[Any], tmp_path: Path
) -> None:
    prefill = weekly_prefill(forms, [W48])[("S001", W48)]
    roster = Roster({"S001": Rep("S001", "张伟", "华东", "一组")})
    written = issue_forms(
        roster,
        None,
        tmp_path / "forms",
        weeks=[W48],
        plan_rows={("S001", W48): prefill.plan_rows},
        last_week_rows={("S001", W48): prefill.last_week_rows},
    )
    (path,) = written
    data = load_form(path, ValidationContext(today=D(2026, 11, 22), period=W48))
    assert data.issues == []
    plan = data.records("plan")
    assert [(r["date"], r["customer"], r["purpose"]) for r in plan] == [
        (D(2026, 11, 23), "客户甲", "4"),
        (D(2026, 11, 24), "客户乙", "2"),
        (D(2026, 11, 27), "客户丁", "5"),
        (D(2026, 11, 28), "客户戊", "6"),
        (D(2026, 11, 23), "客户己", "5"),
    ]
    assert "11-16" in plan[0]["outcome"] and "11-23" in plan[0]["outcome"]
    lines = [r["summary"] for r in data.records("last_week")]
    assert lines[0].startswith("以下据日报 11-16 至 11-22 的 5 行")
    assert lines[1:] == [
        "联系客户 Contacts: 5",
        "拜访来访 Visits: 4",
        "新客户 New customers: 3",
        "阶段推进 Stage moves: 1",
        "成交 Deals: 1",
        "成交金额 Amount: ¥8,000.00",
    ]


def test_every_week_of_the_month_and_day_close_dates(tmp_path: Path) -> None:
    roster = Roster(
        {
            "S001": Rep("S001", "张伟", "华东", "一组"),
            "S003": Rep("S003", "王强", "华南", "广州组", hire_date=D(2026, 11, 16)),
        }
    )
    written = issue_forms(roster, NOV, tmp_path / "forms")
    weeks = sorted(
        p.stem.rsplit("_", 1)[1] for p in written if "S001" in p.name and "周计划" in p.name
    )
    assert weeks == ["2026-W45", "2026-W46", "2026-W47", "2026-W48", "2026-W49"]
    # S003 joins on Monday 11-16: the plans of W47, W48 and W49 only.
    assert sum("S003" in p.name and "周计划" in p.name for p in written) == 3
    daily = next(p for p in written if "S001" in p.name and "日报" in p.name)
    ctx = ValidationContext(today=D(2026, 11, 3), period=NOV)
    data = load_form(daily, ctx)
    assert data.issues == []  # dates after today are only prepared rows: no future_date
    assert data.records("day_close") == []  # a prepared date alone is not a day closed
    import openpyxl

    ws = openpyxl.load_workbook(daily)["日清 Day close"]
    dates = [ws.cell(r, 1).value.date() for r in range(4, 40) if ws.cell(r, 1).value]
    # November 2026's 21 workdays: no holiday, 4 full weeks and Monday 30.
    assert len(dates) == 21 and dates[0] == D(2026, 11, 2) and dates[-1] == D(2026, 11, 30)
    assert all(d.weekday() < 5 for d in dates)
    newcomer = next(p for p in written if "S003" in p.name and "日报" in p.name)
    ws = openpyxl.load_workbook(newcomer)["日清 Day close"]
    assert ws.cell(4, 1).value.date() == D(2026, 11, 16)
    # Filled in later, the row counts as a day closed.
    digest = digest_daily(data, NOV, D(2026, 11, 30))
    assert digest.days == set()


def test_reissuing_asks_before_replacing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    roster = roster_file(tmp_path / "roster.xlsx", [rep("S001")])
    args = [
        "forms",
        "issue",
        "--roster",
        str(roster),
        "--week",
        "2026-W48",
        "-o",
        str(tmp_path / "f"),
    ]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0 and "1 form for 1 rep" in first.output
    path = next((tmp_path / "f").rglob("*.xlsx"))
    before = path.read_bytes()
    # Not at a terminal (a script, a scheduled job): a clear refusal, nothing replaced.
    again = CliRunner().invoke(main, args)
    assert (
        again.exit_code == 1 and "--force" in again.output and "nothing was written" in again.output
    )
    assert "提示：加 --force 替换它们，或另选文件夹" in again.output  # both languages name it
    assert path.read_bytes() == before
    with pytest.raises(FormsExistError) as caught:  # the library names no flag
        issue_forms(
            Roster({"S001": Rep("S001", "销售S001", "华东", "一组")}),
            None,
            tmp_path / "f",
            weeks=[W48],
        )
    assert "--force" not in caught.value.hint_en + caught.value.hint_zh
    # At a terminal: asked; "n" keeps the forms, "y" replaces them.
    monkeypatch.setattr(cmd_forms, "_interactive", lambda: True)
    declined = CliRunner().invoke(main, args, input="n\n")
    assert declined.exit_code == 1 and "Replace them?" in declined.output
    assert path.read_bytes() == before
    accepted = CliRunner().invoke(main, args, input="y\n")
    assert accepted.exit_code == 0
    forced = CliRunner().invoke(main, [*args, "--force"])
    assert forced.exit_code == 0 and "Replace" not in forced.output


def test_cli_fills_in_the_weekly_plans_from_the_reports(inbox: Path, tmp_path: Path) -> None:
    roster = roster_file(tmp_path / "roster.xlsx", [rep("S001"), rep("S002")])
    result = CliRunner().invoke(
        main,
        [
            "forms",
            "issue",
            "--roster",
            str(roster),
            "--week",
            "2026-W48",
            "--reports",
            str(inbox),
            "-o",
            str(tmp_path / "forms"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "1 weekly plan with last week filled in" in result.output
    plan = load_form(next((tmp_path / "forms").rglob("S001_*周计划_2026-W48.xlsx")))
    assert len(plan.records("plan")) == 5
    assert CliRunner().invoke(main, ["forms", "issue", "--roster", str(roster)]).exit_code == 2
