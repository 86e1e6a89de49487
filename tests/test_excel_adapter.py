"""The xlwings adapter (salesxl.excel) driven through a book-like fake of the built workbook."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import msoffcrypto
import openpyxl
import pytest

from salesxl import excel
from salesxl.consolidate import consolidate_inbox
from salesxl.core.periods import Month
from salesxl.demo import generate_demo
from salesxl.excel.builder import build_manager_workbook
from salesxl.excel.settings import (
    BY_REP_SHEET,
    CHASE_SHEET,
    ISSUES_SHEET,
    OVERVIEW_SHEET,
    SETTINGS_SHEET,
    excel_text,
    hyperlink,
)
from salesxl.targets import split_file
from tests.fake_book import FakeBook

RESULTS = (OVERVIEW_SHEET, BY_REP_SHEET, ISSUES_SHEET)


@pytest.fixture(scope="module")
def organisation(tmp_path_factory: pytest.TempPathFactory) -> Path:
    demo = generate_demo(tmp_path_factory.mktemp("org") / "demo", reps=14)
    split_file(demo.targets_input, demo.folder / "targets.xlsx")
    return demo.folder


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_manager_workbook(tmp_path_factory.mktemp("wb") / "salesxl_manager.xlsm")


@pytest.fixture
def book(organisation: Path, workbook: Path, tmp_path: Path) -> FakeBook:
    """The manager workbook saved in a copy of the demo folder, settings filled in."""
    folder = tmp_path / "org"
    shutil.copytree(organisation, folder)
    target = folder / workbook.name
    shutil.copy(workbook, target)
    fake = FakeBook.from_workbook(target)
    fake.set(SETTINGS_SHEET, "期间", "2026-11")
    fake.set(SETTINGS_SHEET, "截至日期", dt.datetime(2026, 11, 24))
    fake.set(SETTINGS_SHEET, "花名册", "roster.xlsx")
    fake.set(SETTINGS_SHEET, "目标 Targets", "targets.xlsx")
    return fake


def _results(book: FakeBook) -> list[tuple]:
    return [book.sheets[name].snapshot() for name in RESULTS]


def test_consolidate_writes_the_summary_file_and_the_result_sheets(book: FakeBook) -> None:
    folder = Path(book.fullname).parent
    excel.consolidate(book)

    alert = book.alert
    assert alert["mode"] == "info", alert["prompt"]
    assert "销售员 Reps: 14" in alert["prompt"] and "完成率 Completion" in alert["prompt"]
    assert str(folder / "summary.xlsx") in alert["prompt"]
    assert (folder / "summary.xlsx").exists()

    overview = book.sheets[OVERVIEW_SHEET].rows()
    assert overview[0][0] == "完整汇总 Full summary"
    assert overview[0][1].startswith('=HYPERLINK("') and "summary.xlsx" in overview[0][1]
    metrics = {row[1]: row[2] for row in overview[3:] if row[1]}
    assert metrics["Reps"] == 14 and metrics["Period"] == "2026-11"

    by_rep = book.sheets[BY_REP_SHEET]
    rows = by_rep.rows()
    assert len(rows) == 1 + 14 and any("预警" in str(v) for v in rows[0])
    warned = {r for (r, c) in by_rep.colours if c == 1}
    assert warned, "warning levels are coloured"
    summary = openpyxl.load_workbook(folder / "summary.xlsx", read_only=True)
    assert summary.sheetnames[0].startswith("总览")
    assert by_rep.bold[(1, 1)] is True

    issues = book.sheets[ISSUES_SHEET].rows()
    assert issues[0][0] == "文件 File" and len(issues) > 1  # the demo plants mistakes
    assert any(str(v).startswith('=HYPERLINK("') and "#'" in str(v) for row in issues for v in row)
    assert book.app.statuses[-1] is False, "the status bar goes back to Excel"
    assert any(isinstance(s, str) and "Reading forms" in s for s in book.app.statuses)


def test_validate_lists_the_problems(book: FakeBook) -> None:
    excel.validate(book)
    assert book.alert["mode"] == "info"
    assert "错误 Errors:" in book.alert["prompt"]
    rows = book.sheets[ISSUES_SHEET].rows()
    assert len(rows) > 1
    assert {"错误", "警告"} & {row[6] for row in rows[1:]}  # the severity as the workbook shows it
    assert book.sheets[BY_REP_SHEET].rows()[0][0].startswith("点击"), "validate leaves By rep alone"


def test_split_targets_writes_the_targets_workbook(book: FakeBook) -> None:
    book.set(SETTINGS_SHEET, "目标 Targets", "out/targets.xlsx")
    (Path(book.fullname).parent / "out").mkdir()
    excel.split_targets(book)
    assert book.alert["mode"] == "info", book.alert["prompt"]
    written = Path(book.fullname).parent / "out" / "targets.xlsx"
    assert written.exists() and str(written) in book.alert["prompt"]
    assert "明细 Long" in openpyxl.load_workbook(written, read_only=True).sheetnames


def test_return_writes_the_return_copies_and_the_lists(book: FakeBook) -> None:
    folder = Path(book.fullname).parent
    inbox = sorted((p, p.read_bytes()) for p in (folder / "inbox").rglob("*") if p.is_file())
    excel.return_copies(book)
    alert = book.alert
    assert alert["mode"] == "info", alert["prompt"]
    returns = folder / "returns"
    copies = sorted(returns.rglob("*_退回_2026-11-24.xlsx"))
    assert copies and f"退回件 Return copies: {len(copies)}" in alert["prompt"]
    listed = returns / "退回清单_2026-11-24.xlsx"
    assert listed.exists() and str(listed) in alert["prompt"]
    assert "无法打开 Could not be opened: 1" in alert["prompt"]  # the demo's damaged scan
    assert inbox == sorted(
        (p, p.read_bytes()) for p in (folder / "inbox").rglob("*") if p.is_file()
    )
    assert any(isinstance(s, str) and "Checking" in s for s in book.app.statuses)


def test_a_returns_folder_inside_the_inbox_is_refused(book: FakeBook) -> None:
    folder = Path(book.fullname).parent
    book.set(SETTINGS_SHEET, "退回文件夹", "inbox/returns")
    excel.return_copies(book)
    assert book.alert["mode"] == "critical"
    assert "收件箱" in book.alert["prompt"] and "inside the inbox" in book.alert["prompt"]
    assert (
        "退回文件夹 Returns folder" in book.alert["prompt"]
        or "Returns folder" in book.alert["prompt"]
    )
    assert not (folder / "inbox" / "returns").exists()


@pytest.mark.parametrize(
    ("label", "value", "zh", "en"),
    [
        ("收件箱", "no_such_inbox", "不存在", "'no_such_inbox' does not exist"),
        ("收件箱", "roster.xlsx", "应该是文件夹", "should be a folder"),
        ("收件箱", None, "请填写", "Fill in 'Inbox folder'"),
        ("期间", "2026/13", "格式不对", "Period '2026/13' is malformed"),
        ("截至日期", "next tuesday", "不是日期", "is not a date"),
        # issue 15 item 8: the book's period is 2026-11
        ("截至日期", dt.date(2026, 10, 1), "在期间 2026-11 开始", "is before the period 2026-11"),
        ("花名册", "rosters.xlsx", "不存在", "Roster 'rosters.xlsx' does not exist"),
        ("目标 Targets", "nope.xlsx", "不存在", "Targets 'nope.xlsx' does not exist"),
        ("输出文件", "missing/summary.xlsx", "文件夹不存在", "its folder does not exist"),
        ("口头预警", 0.5, "预警阈值", "oral above written"),
        ("书面预警", "a lot", "预警阈值", "must be numbers"),
        ("数据库", "sales.db", "数据库文件", "The database file 'sales.db' does not exist"),
        ("数据库", "mysql://u@h/db", "无法识别", "is not one salesxl can use"),
        ("退回文件夹", "missing/returns", "文件夹不存在", "its folder does not exist"),
        ("分包", "部门", "应为 团队 team 或 区域 region", "should be team or region"),
        ("催交名单", "maybe", "应为 是 或 否", "should be yes or no"),
        ("分包密码", "missing.txt", "不存在", "does not exist"),
        ("列映射", "amount", "列映射", "is not FIELD=HEADER"),
        ("列映射", "turnover=Price", "列映射", "'turnover' is not a field"),
    ],
)
def test_each_bad_setting_gives_its_message_and_writes_nothing(
    book: FakeBook, label: str, value: object, zh: str, en: str
) -> None:
    folder = Path(book.fullname).parent
    book.set(SETTINGS_SHEET, label, value)
    before = _results(book)
    excel.consolidate(book)
    alert = book.alert
    assert alert["mode"] == "critical"
    assert zh in alert["prompt"] and en in alert["prompt"], alert["prompt"]
    assert _results(book) == before
    assert not (folder / "summary.xlsx").exists()


def test_an_open_output_file_gives_a_message_and_writes_nothing(book: FakeBook) -> None:
    folder = Path(book.fullname).parent
    (folder / "summary.xlsx").write_bytes(b"yesterday's summary")
    (folder / "~$summary.xlsx").write_bytes(b"owner")  # Excel's lock file: the summary is open
    before = _results(book)
    excel.consolidate(book)
    assert book.alert["mode"] == "critical"
    assert "正在 Excel 中打开" in book.alert["prompt"] and "open in Excel" in book.alert["prompt"]
    assert _results(book) == before
    assert (folder / "summary.xlsx").read_bytes() == b"yesterday's summary"


def test_an_open_output_file_is_reported_before_the_inbox_is_read(
    book: FakeBook, monkeypatch
) -> None:
    folder = Path(book.fullname).parent
    (folder / "~$summary.xlsx").write_bytes(b"owner")
    monkeypatch.setattr("salesxl.consolidate.consolidate_inbox", _read_nothing)
    excel.consolidate(book)
    assert book.alert["mode"] == "critical" and "open in Excel" in book.alert["prompt"]


def test_an_output_that_is_a_folder_is_reported_before_the_inbox_is_read(
    book: FakeBook, monkeypatch
) -> None:
    folder = Path(book.fullname).parent
    (folder / "summary.xlsx").mkdir()
    monkeypatch.setattr("salesxl.consolidate.consolidate_inbox", _read_nothing)
    excel.consolidate(book)
    assert book.alert["mode"] == "critical" and "is a folder" in book.alert["prompt"]
    assert (folder / "summary.xlsx").is_dir()


def _read_nothing(*args: object, **kwargs: object) -> None:
    raise AssertionError("the inbox was read although the summary cannot be written")


def test_a_workbook_opened_from_a_web_address_says_what_to_do(book: FakeBook) -> None:
    book.fullname = "https://contoso.sharepoint.com/sites/sales/Shared Documents/manager.xlsm"
    excel.consolidate(book)
    assert book.alert["mode"] == "critical"
    assert "SHAREPOINT_WIN" in book.alert["prompt"] and "OneDrive" in book.alert["prompt"]
    assert _results(book)[0][0][(1, 1)].startswith("点击")


def test_a_bad_roster_is_reported_not_raised(book: FakeBook) -> None:
    folder = Path(book.fullname).parent
    shutil.copy(folder / "targets_input.xlsx", folder / "not_a_roster.xlsx")
    book.set(SETTINGS_SHEET, "花名册", "not_a_roster.xlsx")
    before = _results(book)
    excel.consolidate(book)
    assert book.alert["mode"] == "critical" and "roster" in book.alert["prompt"]
    assert _results(book) == before


def test_with_a_database_consolidate_reads_the_store_not_the_inbox(book: FakeBook) -> None:
    from salesxl.consolidate.from_store import consolidate_store
    from salesxl.excel.settings import sheet_grid
    from salesxl.store import import_files

    folder = Path(book.fullname).parent
    db = str(folder / "team.db")
    import_files("roster", [folder / "roster.xlsx"], db=db)
    import_files("reports", [folder / "inbox"], db=db, backfill=True, skip_bad_rows=True)
    shutil.rmtree(folder / "inbox")
    book.set(SETTINGS_SHEET, "收件箱", None)  # not needed when the store is used
    book.set(SETTINGS_SHEET, "数据库", "team.db")  # relative to the workbook's folder
    excel.consolidate(book)
    assert book.alert["mode"] == "info", book.alert["prompt"]
    expected = consolidate_store(
        db,
        period=Month(2026, 11),
        as_of=dt.date(2026, 11, 24),
        roster=folder / "roster.xlsx",
        targets=folder / "targets.xlsx",
    )
    assert f"¥{expected.headline.amount:,.0f}" in book.alert["prompt"]
    grid = sheet_grid(expected.sheet("by_rep"))
    assert book.sheets[BY_REP_SHEET].rows()[1:] == [
        row + [None] * (grid.width - len(row)) for row in grid.rows[1:]
    ]


def test_settings_are_found_by_label_not_by_row(book: FakeBook) -> None:
    """A manager who inserts a row above the settings does not break the buttons."""
    sheet = book.sheets[SETTINGS_SHEET]
    sheet.values = {(r + 1, c): v for (r, c), v in sheet.values.items()}
    book.set(SETTINGS_SHEET, "期间", "2026-1x")
    excel.consolidate(book)
    assert "Period '2026-1x' is malformed" in book.alert["prompt"]


def test_text_that_looks_like_a_formula_stays_text() -> None:
    assert excel_text("=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0"
    assert excel_text("-5 days") == "'-5 days"
    assert excel_text("ok") == "ok" and excel_text(3) == 3
    assert hyperlink('C:\\a "b".xlsx', "x") == '=HYPERLINK("C:\\a ""b"".xlsx","x")'
    assert hyperlink("C:\\" + "d" * 300, "=evil") == "'=evil", "too long for HYPERLINK: text"


def _demo_summary(folder: Path):  # what the Consolidate button consolidates, for comparison
    return consolidate_inbox(
        [folder / "inbox"],
        period=Month(2026, 11),
        roster=folder / "roster.xlsx",
        targets=folder / "targets.xlsx",
        as_of=dt.date(2026, 11, 24),
    )


def test_consolidate_fills_the_chase_sheet_and_says_how_many_owe(book: FakeBook) -> None:
    folder = Path(book.fullname).parent
    excel.consolidate(book)
    expected = _demo_summary(folder).sheet("chase")
    assert expected.rows, "the demo has reps who owe reports"
    rows = book.sheets[CHASE_SHEET].rows()
    assert rows[0][0] == "区域 Region" and rows[0][-1] == "催交消息 Message"
    assert len(rows) == 1 + len(expected.rows)
    message = expected.columns.index(next(c for c in expected.columns if c.key == "message"))
    # The Chinese message, ready to paste: `@name 11-20、11-23 日报未交`; the leading ' is
    # how Excel is told that text starting with @ is text (it does not show it).
    assert [r[message] for r in rows[1:]] == ["'" + r[message].zh for r in expected.rows]
    assert f"催交 Chase: {len(expected.rows)} 人欠交报表" in book.alert["prompt"]


def test_chase_list_off(book: FakeBook) -> None:
    book.set(SETTINGS_SHEET, "催交名单", "否 no")
    excel.consolidate(book)
    assert book.sheets[CHASE_SHEET].rows() == [
        ["「催交名单」设置为否 The Chase list setting is no."]
    ]
    assert "催交 Chase" not in book.alert["prompt"]


def test_a_workbook_built_before_the_chase_sheet_gets_it(book: FakeBook) -> None:
    del book.sheets[CHASE_SHEET]
    book.sheets[SETTINGS_SHEET].values = {  # nor the rows of the newer settings
        k: v
        for k, v in book.sheets[SETTINGS_SHEET].values.items()
        if not str(book.sheets[SETTINGS_SHEET].values.get((k[0], 1), "")).startswith(
            ("催交", "分包")
        )
    }
    excel.consolidate(book)
    assert book.alert["mode"] == "info", book.alert["prompt"]
    assert len(book.sheets[CHASE_SHEET].rows()) > 1


def test_split_by_team_saves_a_pack_per_leader_with_its_password(book: FakeBook) -> None:
    folder = Path(book.fullname).parent
    teams = sorted({(region, team) for _, region, team in _roster_rows(folder)})
    (folder / "pw.txt").write_text(
        "".join(f"{region}/{team},pw-{i}\n" for i, (region, team) in enumerate(teams)),
        encoding="utf-8",
    )
    book.set(SETTINGS_SHEET, "分包 Split", "团队 team")
    book.set(SETTINGS_SHEET, "分包密码", "pw.txt")
    excel.consolidate(book)
    prompt = book.alert["prompt"]
    assert book.alert["mode"] == "info", prompt
    packs = sorted((folder / "packs").glob("*.xlsx"))
    assert len(packs) == len(teams) >= 2
    assert f"分包 Packs: {len(teams)}（{len(teams)} 份设了打开密码" in prompt
    headlines = (folder / "packs" / "headlines.txt").read_text(encoding="utf-8").splitlines()
    assert len(headlines) == len(teams) and all(line in prompt for line in headlines)
    for i, (region, team) in enumerate(teams):  # each opens with its leader's password
        with (folder / "packs" / f"2026-11 {region} {team}.xlsx").open("rb") as fh:
            office = msoffcrypto.OfficeFile(fh)
            office.load_key(password=f"pw-{i}")
            plain = io.BytesIO()
            office.decrypt(plain)
        assert openpyxl.load_workbook(plain).sheetnames[0] == "总览 Overview"
    assert (folder / "summary.xlsx").exists()  # the company summary as before


def test_pack_passwords_without_split_by_is_a_setting_to_fix(book: FakeBook) -> None:
    folder = Path(book.fullname).parent
    (folder / "pw.txt").write_text("一组,x\n", encoding="utf-8")
    book.set(SETTINGS_SHEET, "分包密码", "pw.txt")
    excel.consolidate(book)
    assert book.alert["mode"] == "critical"
    assert "'Pack passwords' is filled but 'Split by' is not" in book.alert["prompt"]
    assert not (folder / "summary.xlsx").exists()


def _roster_rows(folder: Path) -> list[tuple]:
    """(rep id, region, team) of every rep in the demo's roster."""
    from salesxl.intake.roster import read_roster

    roster = read_roster(folder / "roster.xlsx")
    return [(r.rep_id, r.region, r.team) for r in roster.reps.values()]


def test_the_column_mapping_setting_reads_an_export_as_validate_does(book: FakeBook) -> None:
    folder = Path(book.fullname).parent
    inbox = folder / "exports"
    inbox.mkdir()
    (inbox / "SalesJan2009.csv").write_text(
        "Transaction_date,Product,Price,Payment_Type,Name\n2009-01-02,P1,1200,Visa,carolina\n",
        encoding="utf-8",
    )
    book.set(SETTINGS_SHEET, "收件箱", "exports")
    excel.validate(book)
    assert "错误 Errors: 1" in book.alert["prompt"]  # no amount column
    book.app.alerts.clear()
    book.set(SETTINGS_SHEET, "列映射", "amount=Price；customer = Name")
    excel.validate(book)
    assert book.alert["mode"] == "info" and "错误 Errors: 0" in book.alert["prompt"]


def test_a_button_gives_back_what_its_run_froze(book: FakeBook) -> None:
    # Excel may keep the Python process for the next click: what the run's paused phases
    # froze goes back to the collector when the button is done.
    import gc

    gc.unfreeze()
    try:
        excel.consolidate(book)
        assert book.alert["mode"] == "info"
        assert gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()


def test_return_again_removes_the_copy_of_a_file_gone_from_the_inbox(book: FakeBook) -> None:
    """A rep's file taken out of the inbox (handed in again elsewhere, or withdrawn): the
    button's second run removes its return copy and says so."""
    folder = Path(book.fullname).parent
    excel.return_copies(book)
    returns = folder / "returns"
    copy = sorted(returns.rglob("*_退回_2026-11-24.xlsx"))[0]
    stem = copy.name.split("_退回_")[0]
    (source,) = [p for p in (folder / "inbox").rglob(f"{stem}.*") if p.is_file()]
    source.unlink()
    excel.return_copies(book)
    second = book.app.alerts[-1]
    assert second["mode"] == "info", second["prompt"]
    assert not copy.exists()
    assert "旧退回件 Earlier runs' files: 已删除 removed" in second["prompt"]
