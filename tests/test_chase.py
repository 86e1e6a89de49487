"""催交 The chase list, checked by hand on a small inbox across National Day and a 调休 Saturday.

China's calendar around National Day 2026 (chinese-calendar): Wed Sept 30 is a
workday, Oct 1-7 are holidays, Thu Oct 8 and Fri Oct 9 are workdays, Sat Oct 10
is a make-up workday (调休), Sun Oct 11 is off, Mon Oct 12 and Tue Oct 13 work.
A day's report is due at 09:00 on the next workday:
  Sept 29 -> Sept 30 09:00   (fell due in September: that month is closed, not chased)
  Sept 30 -> Oct 8 09:00     (after the holiday: falls due in October, chased)
  Oct 8 -> Oct 9, Oct 9 -> Sat Oct 10, Oct 10 -> Mon Oct 12, Oct 12 -> Oct 13 09:00
  Oct 13 -> Oct 14 09:00     (not yet due at the end of Oct 13)
Weekly plans are due on their Monday: W40 (Mon Sept 28, reaches into October: chased),
W41 (Mon Oct 5, a holiday, due all the same), W42 (Mon Oct 12).  October's monthly
plan was due at the end of Sept 30.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from salesxl.cli import main
from salesxl.consolidate.chase import chase_list, chase_sheet, chase_text, chase_window
from salesxl.consolidate.chase_sources import chase_inbox
from salesxl.consolidate.from_store import chase_store
from salesxl.consolidate.submissions import SubmissionRow, SubmissionStatus
from salesxl.core.people import Rep, Roster
from salesxl.core.periods import Month, Week
from salesxl.store import import_files
from salesxl.store.migrations import open_store
from tests import store_fixtures
from tests.factory import daily, row
from tests.store_fixtures import (
    contact,
    daily_file,
    monthly_file,
    rep,
    roster_file,
    weekly_file,
)

pg_server = store_fixtures.pg_server
store_url = store_fixtures.store_url

SEP, OCT, NOV = Month(2026, 9), Month(2026, 10), Month(2026, 11)
AS_OF = dt.date(2026, 10, 13)
SEPT_WORKDAYS = [
    d
    for d in SEP.days()
    if d.weekday() < 5 and not dt.date(2026, 9, 25) <= d <= dt.date(2026, 9, 27)
] + [dt.date(2026, 9, 20)]  # Sun Sept 20 is a make-up workday; Fri Sept 25 a holiday


def _oct(*days: int) -> list[dt.date]:
    return [dt.date(2026, 10, d) for d in days]


def _report(folder: Path, rep_id: str, days: list[dt.date], month: Month) -> None:
    rows = [contact(d, f"客户{d.day}", month=month) for d in days]
    daily_file(folder, rep_id, rows, month=month, name=f"{rep_id}_{month}_日报.xlsx")


def _plans(folder: Path, rep_id: str, weeks: list[int], month: bool = True) -> None:
    for w in weeks:
        week = Week(2026, w)
        weekly_file(folder, rep_id, week, [{"date": week.monday, "customer": "甲"}])
    if month:
        monthly_file(folder, rep_id, [{"customer": "甲", "grade": "A"}], month=OCT)


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("chase")
    inbox = folder / "inbox"
    one = {"team": "一组", "manager": "李四"}
    two = {"team": "二组", "manager": "钱七"}
    roster = roster_file(
        folder / "roster.xlsx",
        [
            rep("A", name="张三", **one),
            rep("B", name="王五", **one),
            rep("C", name="赵六", hire_date=dt.date(2026, 10, 12), **two),
            rep("D", name="孙八", leave_date=dt.date(2026, 10, 9), **two),
            rep("E", name="周九", **two),
            rep("F", name="吴十", leave_date=dt.date(2026, 9, 15), status="left", **two),
            rep("G", name="郑一", hire_date=dt.date(2026, 10, 20), **two),
        ],
    )
    sept_all = sorted(SEPT_WORKDAYS)
    # A: September up to the 29th; October's 8th and 9th.  Owes Sept 30, Oct 10, Oct 12.
    _report(inbox, "A", [d for d in sept_all if d.day < 30], SEP)
    _report(inbox, "A", _oct(8, 9), OCT)
    _plans(inbox, "A", [40, 41, 42])
    # B: all of September and W40's plan; nothing since the holiday.
    _report(inbox, "B", sept_all, SEP)
    _plans(inbox, "B", [40], month=False)
    # C: hired on Mon Oct 12, nothing handed in.  D: left on Fri Oct 9, reported Oct 8 only.
    _report(inbox, "D", sept_all, SEP)
    _report(inbox, "D", _oct(8), OCT)
    _plans(inbox, "D", [40, 41])
    # E: everything (Oct 13 is not due yet).
    _report(inbox, "E", sept_all, SEP)
    _report(inbox, "E", _oct(8, 9, 10, 12), OCT)
    _plans(inbox, "E", [40, 41, 42])
    return inbox, roster


def test_who_owes_what_across_national_day_and_a_make_up_saturday(inbox):
    folder, roster = inbox
    chase = chase_inbox([folder], as_of=AS_OF, roster=roster)
    assert chase.window.months == (SEP, OCT)
    assert chase.owes
    teams = {(t.team, t.leader): [r.rep.rep_id for r in t.reps] for t in chase.teams}
    # E owes nothing; F left in September; G joins after as-of: none of them is listed.
    assert teams == {("一组", "李四"): ["A", "B"], ("二组", "钱七"): ["C", "D"]}
    messages = {r.rep.rep_id: r.message() for r in chase.owing}
    # A: Sept 29 was due Sept 30 (September, closed); Sept 30 fell due Oct 8: chased.
    # Oct 8 and 9 are in; the make-up Saturday Oct 10 and Mon Oct 12 are missing.
    assert messages["A"].zh == "@张三 09-30、10-10、10-12 日报未交"
    # B: the four October workdays due, W41 and W42's plans, October's plan.
    assert messages["B"].zh == (
        "@王五 10-08、10-09、10-10、10-12 日报未交；第41、42周周计划未交；10月月计划未交"
    )
    assert messages["B"].en == (
        "@王五 daily report 10-08, 10-09, 10-10, 10-12 missing; weekly plan W41, W42 "
        "missing; monthly plan 2026-10 missing"
    )
    # C: hired Mon Oct 12: that day's report (due Oct 13 09:00), W42's plan (its Monday
    # is the hire day) and October's plan (due at the end of the hire day).
    assert messages["C"].zh == "@赵六 10-12 日报未交；第42周周计划未交；10月月计划未交"
    # D: left Fri Oct 9: that day is still owed, nothing after; W42 starts after leaving.
    assert messages["D"].zh == "@孙八（10-09 离职） 10-09 日报未交"


def test_missing_three_workdays_in_a_row_goes_to_the_team_leader(inbox):
    folder, roster = inbox
    chase = chase_inbox([folder], as_of=AS_OF, roster=roster)
    one = chase.teams[0]
    # B: Oct 8, 9, 10 (Saturday, a workday) and 12 — the Sunday is no gap: 4 in a row.
    # A: Sept 30 alone, then Oct 10 and 12: 2 in a row, below 3.
    assert [r.rep.rep_id for r in one.escalated] == ["B"]
    assert [len(r.streak) for r in one.reps] == [2, 4]
    assert one.escalated[0].escalation(one.leader).zh == (
        "@李四 王五 已连续 4 个工作日未交日报（10-08 至 10-12），请跟进"
    )
    assert (
        chase_inbox([folder], as_of=AS_OF, roster=roster, escalate_after=2).teams[0].escalated
        == one.reps
    )


def test_text_json_and_exit_codes(inbox):
    folder, roster = inbox
    runner = CliRunner()
    base = ["chase", str(folder), "--roster", str(roster), "--as-of", "2026-10-13"]
    text = runner.invoke(main, base)
    assert text.exit_code == 1, text.output
    lines = text.output.splitlines()
    assert lines[0] == "催交名单 截至 2026-10-13（2026-09, 2026-10）"
    assert "华东 / 一组 (主管 李四): 2 人欠交" in lines
    assert "  @张三 09-30、10-10、10-12 日报未交" in lines
    assert "  [升级] @李四 王五 已连续 4 个工作日未交日报（10-08 至 10-12），请跟进" in lines
    english = runner.invoke(main, [*base, "--lang", "en"])
    assert "  @张三 daily report 09-30, 10-10, 10-12 missing" in english.output.splitlines()
    assert "华东 / 一组 (leader 李四): 2 reps owe" in english.output.splitlines()
    # Without a roster nobody's leader is known: said once, not "leader no leader".
    bare = ["chase", str(folder), "--as-of", "2026-10-13"]
    heads = [line for line in runner.invoke(main, bare).output.splitlines() if "欠交" in line]
    assert heads == ["华东 / 一组 (花名册无主管): 2 人欠交", "未分团队 (花名册无主管): 1 人欠交"]
    en_heads = runner.invoke(main, [*bare, "--lang", "en"]).output.splitlines()
    assert [line for line in en_heads if "owe" in line] == [
        "华东 / 一组 (no leader in the roster): 2 reps owe",
        "No team (no leader in the roster): 1 rep owes",
    ]
    got = runner.invoke(main, [*base, "--format", "json"])
    assert got.exit_code == 1
    data = json.loads(got.output)
    assert (data["owes"], data["reps_owing"], data["months"]) == (True, 4, ["2026-09", "2026-10"])
    b = data["teams"][0]["reps"][1]
    assert b["missing_days"] == ["2026-10-08", "2026-10-09", "2026-10-10", "2026-10-12"]
    assert b["missing_weekly_plans"] == ["2026-W41", "2026-W42"]
    assert (b["missing_in_a_row"], b["escalated"]) == (4, True)
    assert data["teams"][0]["escalations"][0]["days"] == 4


def test_nobody_owes_anything_exits_0(inbox, tmp_path):
    folder, _ = inbox
    only_e = roster_file(tmp_path / "e.xlsx", [rep("E", name="周九")])
    got = CliRunner().invoke(
        main, ["chase", str(folder), "--roster", str(only_e), "--as-of", "2026-10-13"]
    )
    assert got.exit_code == 0, got.output
    assert "无人欠交" in got.output


def test_an_empty_folder_without_a_roster_is_not_nobody_owes(tmp_path):
    """A mistyped or empty folder and no roster: nothing could be judged, so the command
    warns and exits 1 (to a scheduler, exit 0 would say every report is in)."""
    empty = tmp_path / "inbox"
    empty.mkdir()
    (empty / "~$张三_日报.xlsx").write_bytes(b"lock")  # only Excel's lock file: no form
    runner = CliRunner()
    args = ["chase", str(empty), "--as-of", "2026-10-13"]
    zh = runner.invoke(main, args)
    assert zh.exit_code == 1, zh.output
    assert "无人欠交" not in zh.output
    assert f"警告：在 {empty} 中没有找到表单文件" in zh.output
    en = runner.invoke(main, [*args, "--lang", "en"])
    assert en.exit_code == 1
    assert "nobody owes" not in en.output
    assert f"warning: No form files (.xlsx .xlsm .xls .csv) found in {empty}." in en.output
    got = runner.invoke(main, [*args, "--format", "json"])
    assert got.exit_code == 1
    data = json.loads(got.output)
    assert (data["owes"], [w["code"] for w in data["warnings"]]) == (False, ["no_forms"])


def test_the_window_on_the_first_of_a_month():
    """On Tue Dec 1 yesterday's report (Mon Nov 30) is November's, due Dec 1 09:00."""
    roster = Roster({"A": Rep("A", "张三", team="一组")})
    forms = [daily("A", [row(d, "x") for d in range(2, 28) if dt.date(2026, 11, d).weekday() < 5])]
    from salesxl.consolidate.chase_sources import chase_forms
    from salesxl.core.calendar import Workdays

    window = chase_window(dt.date(2026, 12, 1))
    assert window.months == (Month(2026, 11), Month(2026, 12))
    chase = chase_forms(
        forms, as_of=dt.date(2026, 12, 1), window=window, roster=roster, workdays=Workdays()
    )
    (owing,) = chase.owing
    # Nov 27 (Fri) was due Mon Nov 30 09:00: November's business.  Nov 30 fell due on
    # Dec 1: chased.  W49 (Mon Nov 30) reaches into December; W45-48's plans and
    # November's monthly plan fell due in November; December's plan was due Nov 30.
    assert owing.missing_days == [dt.date(2026, 11, 30)]
    assert owing.missing_weeks == [Week(2026, 49)]
    assert owing.missing_months == [Month(2026, 12)]
    # --period 2026-11 chases the whole of November instead.
    whole = chase_forms(
        forms,
        as_of=dt.date(2026, 12, 1),
        window=chase_window(dt.date(2026, 12, 1), Month(2026, 11)),
        roster=roster,
        workdays=Workdays(),
    )
    (owing,) = whole.owing
    assert owing.missing_days == [dt.date(2026, 11, 30)]
    assert [w.week for w in owing.missing_weeks] == [45, 46, 47, 48, 49]
    assert owing.missing_months == [Month(2026, 11)]


def test_a_refused_report_is_received_but_must_be_fixed(store_url, tmp_path):
    """From the store: first-seen times judge; a refused file is said as such, not as missing."""
    import_files(
        "roster",
        [roster_file(tmp_path / "r.xlsx", [rep("S1", name="张三"), rep("S2", name="李四")])],
        db=store_url,
    )
    good = daily_file(tmp_path / "in", "S1", [contact(d, "甲") for d in (2, 3)])
    bad = daily_file(
        tmp_path / "in",
        "S2",
        [contact(2, "乙", stage="7", qty=1, price=1.0, amount=9.0), contact(3, "丙")],
    )
    # Both arrive on Nov 4 at 08:00: the 2nd and 3rd are in (due Nov 3 and 4 09:00).
    result = import_files("reports", [good, bad], db=store_url, now=dt.datetime(2026, 11, 4, 8))
    assert (result.count("imported"), result.count("blocked")) == (1, 1)
    chase = chase_store(store_url, as_of=dt.date(2026, 11, 5), period=Month(2026, 11))
    by_rep = {r.rep.rep_id: r for r in chase.owing}
    # S1: Nov 4 was due Nov 5 09:00 and never came; the weekly plan of W45 (Mon Nov 2)
    # and November's plan are missing too.
    assert by_rep["S1"].missing_days == [dt.date(2026, 11, 4)]
    # S2: the refused file stands for Nov 2 and 3 (received, must be fixed); Nov 4 missing.
    assert by_rep["S2"].refused_days == [dt.date(2026, 11, 2), dt.date(2026, 11, 3)]
    assert by_rep["S2"].missing_days == [dt.date(2026, 11, 4)]
    assert by_rep["S2"].message().zh == (
        "@李四 11-04 日报未交；第45周周计划未交；11月月计划未交；"
        "11月日报已收到但被拒收（有错误），请修改后重交"
    )
    # Once a good file for S2 comes in (Nov 5 at 08:30, before Nov 4's 09:00 deadline
    # of Nov 5), only the plans are left.
    fixed = daily_file(tmp_path / "v2", "S2", [contact(d, "乙") for d in (2, 3, 4)])
    import_files("reports", [fixed], db=store_url, now=dt.datetime(2026, 11, 5, 8, 30))
    again = {
        r.rep.rep_id: r
        for r in chase_store(store_url, as_of=dt.date(2026, 11, 5), period=Month(2026, 11)).owing
    }
    assert again["S2"].refused_days == [] and again["S2"].missing_days == []
    assert again["S2"].message().zh == "@李四 第45周周计划未交；11月月计划未交"


def test_the_summary_has_a_chase_sheet(inbox):
    """The summary's 催交 Chase sheet lists the month's owed reports (as of the summary)."""
    from salesxl.consolidate import consolidate_inbox

    folder, roster = inbox
    summary = consolidate_inbox([folder], period=OCT, roster=roster, as_of=AS_OF)
    records = {r["rep_id"]: r for r in summary.sheet("chase").records()}
    assert sorted(records) == ["A", "B", "C", "D"]
    # October's summary chases October: A's Sept 30 belongs to September's.
    assert records["A"]["days"] == "10-10, 10-12" and records["A"]["missing_days"] == 2
    assert records["B"]["escalate"].zh == "李四" and records["B"]["in_a_row"] == 4
    assert records["B"]["plans"].zh == "W41 周计划, W42 周计划, 2026-10 月计划"
    assert records["B"]["message"].zh.startswith("@王五 10-08、10-09、10-10、10-12 日报未交")


def test_chase_list_from_submission_rows_directly():
    """The pure function: rows of a month in, owed reports by team out; pending is not owed."""
    reps = {"A": Rep("A", "张三", team="一组", manager="李四")}
    rows = [
        SubmissionRow(
            "A", "daily_report", "2026-11-02", None, None, SubmissionStatus.MISSING, None
        ),
        SubmissionRow("A", "daily_report", "2026-11-03", None, None, SubmissionStatus.LATE, None),
        SubmissionRow(
            "A", "daily_report", "2026-11-04", None, None, SubmissionStatus.PENDING, None
        ),
    ]
    chase = chase_list(
        {Month(2026, 11): rows},
        reps,
        as_of=dt.date(2026, 11, 4),
        window=chase_window(dt.date(2026, 11, 4), Month(2026, 11)),
    )
    (owing,) = chase.owing
    assert owing.missing_days == [dt.date(2026, 11, 2)] and len(owing.streak) == 1
    assert chase_text(chase)[-1] == "  @张三 11-02 日报未交"
    sheet = chase_sheet(chase)
    assert [c.key for c in sheet.columns][:5] == ["region", "team", "leader", "rep_id", "name"]


DEC = Month(2026, 12)


def _dec(*days: int) -> list[dt.date]:
    return [dt.date(2026, 12, d) for d in days]


def test_a_new_store_owes_nothing_before_its_first_report(store_url, tmp_path):
    """QA: a store whose first month is the current one escalated runs begun the month before.

    No holidays in November or December 2026: the workdays are Monday to Friday.  The store's
    first report is A's of Tue Dec 1, imported on Fri Dec 4 at 08:00; chased at the end of
    Mon Dec 7 (Dec 4's report was due Dec 7 09:00, Dec 7's is due Dec 8: not yet)."""
    import_files(
        "roster",
        [
            roster_file(
                tmp_path / "r.xlsx",
                [
                    rep("A", name="张三", manager="李四"),
                    rep("B", name="王五", manager="李四"),
                    rep("C", name="赵六", manager="李四"),  # no hire date in the roster
                    rep("E", name="周九", manager="李四", leave_date=dt.date(2026, 12, 2)),
                ],
            )
        ],
        db=store_url,
    )
    a = daily_file(tmp_path / "in", "A", [contact(d, "甲", month=DEC) for d in (1, 2)], month=DEC)
    c = daily_file(tmp_path / "in", "C", [contact(3, "丙", month=DEC)], month=DEC)
    import_files("reports", [a, c], db=store_url, now=dt.datetime(2026, 12, 4, 8))
    chase = chase_store(store_url, as_of=dt.date(2026, 12, 7))
    assert chase.window.months == (Month(2026, 11), DEC)
    by_rep = {r.rep.rep_id: r for r in chase.owing}
    # November is before anything the store holds: Nov 30 (due Dec 1 09:00) is owed by
    # nobody, and no run reaches back into it.
    # A: Dec 1 and 2 in; Dec 3 and 4 missing: 2 in a row.
    assert by_rep["A"].missing_days == _dec(3, 4) and len(by_rep["A"].streak) == 2
    # B: nothing at all: Tue Dec 1 to Fri Dec 4, 4 in a row (not November's 21 workdays
    # besides), counted from Dec 1.
    assert by_rep["B"].missing_days == _dec(1, 2, 3, 4)
    assert by_rep["B"].streak == _dec(1, 2, 3, 4)
    # C: the roster gives no hire date, so C was expected all along (a rep's own first
    # report says nothing of when they joined): Dec 1, 2 and 4 are owed, the longest run 2;
    # so are W50's plan (Mon Dec 7) and December's, not W49's (Mon Nov 30, before the
    # store's first report).
    assert by_rep["C"].missing_days == _dec(1, 2, 4) and len(by_rep["C"].streak) == 2
    assert by_rep["C"].counted_from == (dt.date(2026, 12, 1), "store")
    assert by_rep["C"].message().zh == (
        "@赵六 12-01、12-02、12-04 日报未交；第50周周计划未交；12月月计划未交"
    )
    # E left on Wed Dec 2: Dec 1 and 2 owed, nothing after (W50 starts after leaving).
    assert by_rep["E"].missing_days == _dec(1, 2) and len(by_rep["E"].streak) == 2
    assert by_rep["E"].message().zh == "@周九（12-02 离职） 12-01、12-02 日报未交；12月月计划未交"
    (team,) = chase.teams
    assert [r.rep.rep_id for r in team.escalated] == ["B"]
    assert team.escalated[0].escalation(team.leader).zh == (
        "@李四 王五 已连续 4 个工作日未交日报（12-01 至 12-04；自 12-01 起计："
        "数据库中没有更早的报表），请跟进"
    )
    text = chase_text(chase)
    assert text[1] == "  数据库中没有 2026-12-01 之前的报表：此前的日子不算缺交"
    english = chase_text(chase, "en")
    assert english[1] == (
        "  the store holds no report before 2026-12-01: earlier days are not counted as missing"
    )
    assert (
        "  [escalate] @李四 王五 has missed the daily report on 4 workdays in a row (12-01 to "
        "12-04; counted from 12-01: the store holds no earlier report); please follow up"
    ) in english
    data = chase.to_dict()
    assert data["known_from"] == "2026-12-01"
    (escalation,) = data["teams"][0]["escalations"]
    assert (escalation["days"], escalation["counted_from"]) == (4, "2026-12-01")


STORE_EMPTY_ZH = (
    "  警告：数据库中没有 2026-11, 2026-12 的销售员表单（日报、周计划、月计划）。"
    "请先用 salesxl import reports 导入。"
)
STORE_EMPTY_EN = (
    "  warning: The store holds no rep forms (daily report, weekly plan, monthly plan) for "
    "2026-11, 2026-12. Import them first with `salesxl import reports`."
)


def test_a_store_without_reports_of_the_window_or_roster_is_not_nobody_owes(store_url, tmp_path):
    """A store nothing was imported into yet, then one whose imports stopped in September:
    without a roster nobody is known, so "nobody owes" (exit 0) would tell a scheduler that
    every report is in.  Chased at the end of Mon Dec 7: the window is Nov and Dec 2026."""
    with open_store(store_url):  # created, nothing imported
        pass
    runner = CliRunner()
    args = ["chase", "--db", store_url, "--as-of", "2026-12-07"]

    def check() -> None:
        zh = runner.invoke(main, args)
        assert zh.exit_code == 1, zh.output
        assert STORE_EMPTY_ZH in zh.output.splitlines()
        assert "无人欠交" not in zh.output
        en = runner.invoke(main, [*args, "--lang", "en"])
        assert en.exit_code == 1
        assert STORE_EMPTY_EN in en.output.splitlines()
        assert "nobody owes" not in en.output
        got = runner.invoke(main, [*args, "--format", "json"])
        assert got.exit_code == 1
        data = json.loads(got.output)
        assert (data["owes"], [w["code"] for w in data["warnings"]]) == (False, ["no_forms"])

    check()
    # A's September came in; then nothing: the window holds no report, nobody is known.
    sept = [d for d in SEP.days() if d.weekday() < 5]
    _report(tmp_path / "in", "A", sept, SEP)
    import_files("reports", [tmp_path / "in"], db=store_url, now=dt.datetime(2026, 10, 1, 8))
    check()
    # Once a report of the window arrives the store is not empty: no warning.
    daily_file(tmp_path / "dec", "A", [contact(d, "甲", month=DEC) for d in (1, 2)], month=DEC)
    import_files("reports", [tmp_path / "dec"], db=store_url, now=dt.datetime(2026, 12, 3, 8))
    assert chase_store(store_url, as_of=dt.date(2026, 12, 7)).empty is None


def test_a_store_with_a_roster_but_no_report_everyone_owes(store_url, tmp_path):
    """Only the roster was imported: every rep on it owes what fell due, and the warning
    says the store holds no report (an import that never ran), not only the list.

    No holidays in December 2026.  Chased at the end of Mon Dec 7: Dec 1-4 are due (Dec 7's
    on Dec 8), W50's plan (Mon Dec 7) and December's.  The store holds no report at all, so
    November (Nov 30, due Dec 1 09:00; W49 of Mon Nov 30) is before what it knows: not owed."""
    import_files(
        "roster",
        [
            roster_file(
                tmp_path / "r.xlsx",
                [
                    rep("A", name="张三", manager="李四"),
                    rep("B", name="王五", team="二组", manager="钱七"),
                ],
            )
        ],
        db=store_url,
    )
    chase = chase_store(store_url, as_of=dt.date(2026, 12, 7))
    assert chase.empty is not None and chase.empty.code == "no_forms"
    assert [r.rep.rep_id for r in chase.owing] == ["A", "B"]
    for owing in chase.owing:
        assert owing.missing_days == _dec(1, 2, 3, 4)
        assert owing.missing_weeks == [Week(2026, 50)]
        assert owing.missing_months == [DEC]
    got = CliRunner().invoke(main, ["chase", "--db", store_url, "--as-of", "2026-12-07"])
    assert got.exit_code == 1
    lines = got.output.splitlines()
    assert lines[1:3] == [
        STORE_EMPTY_ZH,
        "  数据库中没有 2026-12-01 之前的报表：此前的日子不算缺交",
    ]
    assert "  @张三 12-01、12-02、12-03、12-04 日报未交；第50周周计划未交；12月月计划未交" in lines


def test_an_inbox_starting_mid_month_and_reps_joining_mid_month(tmp_path):
    """The inbox's first report is of Wed Nov 18 (the team took the forms up then); chased at
    the end of Thu Dec 10 (Dec 9's report was due Dec 10 09:00).  November's workdays from
    the 18th: 18, 19, 20, 23-27, 30 (9); December's to the 9th: 1-4, 7-9 (7)."""
    folder = tmp_path / "inbox"
    roster = roster_file(
        tmp_path / "roster.xlsx",
        [
            rep("A", name="张三", manager="李四"),
            rep("B", name="王五", manager="李四"),
            rep("C", name="赵六", manager="李四", hire_date=dt.date(2026, 12, 3)),
            rep("D", name="孙八", manager="李四"),  # no hire date
            rep("E", name="周九", manager="李四", leave_date=dt.date(2026, 12, 2)),
        ],
    )
    nov_from_18 = [d for d in NOV.days() if d.day >= 18 and d.weekday() < 5]
    dec_to_9 = [d for d in DEC.days() if d.day <= 9 and d.weekday() < 5]
    _report(folder, "A", nov_from_18, NOV)
    _report(folder, "A", dec_to_9, DEC)
    _report(folder, "D", _dec(7, 8), DEC)
    _report(folder, "E", [d for d in nov_from_18 if d.day <= 27], NOV)
    chase = chase_inbox([folder], as_of=dt.date(2026, 12, 10), roster=roster)
    by_rep = {r.rep.rep_id: r for r in chase.owing}
    # A sent every day (its plans are owed: none sent here).
    assert by_rep["A"].missing_days == [] and by_rep["A"].streak == []
    # B sent nothing: owed from the inbox's first day, Nov 18 (9 + 7 = 16 in a row, not 28).
    assert by_rep["B"].missing_days == [dt.date(2026, 11, 30), *dec_to_9]
    assert len(by_rep["B"].streak) == 16 and by_rep["B"].streak[0] == dt.date(2026, 11, 18)
    assert by_rep["B"].run_cut_short
    assert by_rep["B"].counted_from == (dt.date(2026, 11, 18), "inbox")
    # C joined Thu Dec 3 (the roster says so): Dec 3, 4, 7, 8, 9 are owed, 5 in a row.
    assert by_rep["C"].missing_days == _dec(3, 4, 7, 8, 9) and len(by_rep["C"].streak) == 5
    assert by_rep["C"].counted_from is None
    # D: no hire date, so expected all along: first report Mon Dec 7, so Nov 30 and Dec 1-4
    # are missing (the window's), and Dec 9; the run is Nov 18 to Dec 4 (9 + 4 = 13).
    assert by_rep["D"].missing_days == [dt.date(2026, 11, 30), *_dec(1, 2, 3, 4, 9)]
    assert len(by_rep["D"].streak) == 13 and by_rep["D"].streak[0] == dt.date(2026, 11, 18)
    assert by_rep["D"].counted_from == (dt.date(2026, 11, 18), "inbox")
    # E left Wed Dec 2 after reporting up to Nov 27: Nov 30, Dec 1 and 2; 3 in a row.
    assert by_rep["E"].missing_days == [dt.date(2026, 11, 30), *_dec(1, 2)]
    assert len(by_rep["E"].streak) == 3
    (team,) = chase.teams
    assert [r.rep.rep_id for r in team.escalated] == ["B", "C", "D", "E"]
    lines = chase_text(chase)
    assert lines[1] == "  收件箱中没有 2026-11-18 之前的报表：此前的日子不算缺交"
    assert (
        "  [升级] @李四 王五 已连续 16 个工作日未交日报（11-18 至 12-09；自 11-18 起计："
        "收件箱中没有更早的报表），请跟进"
    ) in lines
    # C's run starts on the hire day: nothing was cut, nothing to say.
    assert "  [升级] @李四 赵六 已连续 5 个工作日未交日报（12-03 至 12-09），请跟进" in lines
