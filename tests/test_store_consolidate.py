"""Consolidation from the store: the same summary as from the folder, plus what only the store knows."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from salesxl.cli import main
from salesxl.consolidate import consolidate, consolidate_inbox
from salesxl.consolidate.chase_sources import chase_inbox
from salesxl.consolidate.from_store import chase_store, consolidate_store
from salesxl.core.periods import Month
from salesxl.demo import generate_demo
from salesxl.intake.files import load_form
from salesxl.store import StoreError, import_files, sales_history, stored_roster
from tests import store_fixtures
from tests.conftest import GOOD_ROW, write_daily
from tests.make_files import set_core_times
from tests.store_fixtures import contact, daily_file, rep, roster_file

# `store_url` runs a test on SQLite and on a PostgreSQL server started for the session.
pg_server = store_fixtures.pg_server
store_url = store_fixtures.store_url

NOV = Month(2026, 11)
AS_OF = dt.date(2026, 11, 24)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    """A small sample organisation, imported into SQLite with its file times (--backfill)."""
    folder = tmp_path_factory.mktemp("demo")
    files = generate_demo(folder, reps=6)
    db = str(folder / "salesxl.db")
    assert import_files("roster", [files.roster], db=db).count("blocked") == 0
    import_files("reports", [files.inbox], db=db, backfill=True, skip_bad_rows=True)
    return files, db


def rows(summary, key: str) -> list[tuple]:
    sheet = summary.sheet(key)
    return sorted(tuple(map(str, row)) for row in sheet.rows)


@pytest.mark.parametrize(
    "key", ["by_rep", "by_team", "funnel", "plan_vs_actual", "day_close", "submissions"]
)
def test_store_gives_the_folder_numbers(demo, key):
    files, db = demo
    folder = consolidate_inbox([files.inbox], period=NOV, roster=files.roster, as_of=AS_OF)
    # without the trend columns of By rep, which only the store has (test_trends.py)
    stored = consolidate_store(db, period=NOV, as_of=AS_OF, trend_months=1)
    assert stored.headline.amount == folder.headline.amount > 0
    assert rows(stored, key) == rows(folder, key) != []


def test_a_roster_file_overrides_the_stored_one(demo, tmp_path):
    files, db = demo
    one = roster_file(tmp_path / "one.xlsx", [rep(files.months[0].rep.rep_id)])
    summary = consolidate_store(db, period=NOV, as_of=AS_OF, roster=one)
    stored = consolidate_store(db, period=NOV, as_of=AS_OF)
    assert summary.headline.reps == 1 < stored.headline.reps


def test_late_is_judged_by_arrival_in_the_store_not_by_file_time(store_url, tmp_path):
    """A report dated Monday whose file says Monday evening but reached the store on Thursday."""
    db = store_url
    path = daily_file(tmp_path / "inbox", "S001", [contact(2, "甲公司")])
    monday = dt.datetime(2026, 11, 2, 18, 0).timestamp()
    os.utime(path, (monday, monday))
    import_files("reports", [path], db=db, now=dt.datetime(2026, 11, 5, 10, 0))
    by_folder = consolidate_inbox([path], period=NOV, as_of=dt.date(2026, 11, 6))
    by_store = consolidate_store(db, period=NOV, as_of=dt.date(2026, 11, 6))

    def monday(summary) -> str:
        sheet = summary.sheet("submissions")
        (row,) = sheet.rows
        return row[sheet.column("day_2026-11-02")]

    assert monday(by_folder) == "on_time"
    assert monday(by_store) == "late"


def test_cli_from_the_store(demo, tmp_path):
    _, db = demo
    out = tmp_path / "summary.xlsx"
    result = CliRunner().invoke(
        main,
        ["consolidate", "--db", db, "--period", "2026-11", "--as-of", "2026-11-24", "-o", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert "summary written to" in result.output
    book = openpyxl.load_workbook(out, read_only=True)
    assert "销售员 By rep" in book.sheetnames
    book.close()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2026-11"], "give either INBOX folders or --db"),
        ([".", "--db", "x.db", "--period", "2026-11"], "not both"),
    ],
)
def test_cli_wants_exactly_one_source(args, message):
    result = CliRunner().invoke(main, ["consolidate", *args])
    assert result.exit_code == 2
    assert message in result.output


def test_cli_with_no_store_says_so(tmp_path: Path):
    missing = tmp_path / "nothing.db"
    result = CliRunner().invoke(
        main,
        [
            "consolidate",
            "--db",
            str(missing),
            "--period",
            "2026-11",
            "-o",
            str(tmp_path / "s.xlsx"),
        ],
    )
    assert result.exit_code == 1
    assert "nothing.db" in result.output
    assert not missing.exists() and not (tmp_path / "s.xlsx").exists()
    with pytest.raises(StoreError):
        consolidate_store(str(missing), period=NOV)


def test_targets_split_learns_from_the_stored_sales(demo, tmp_path):
    """`targets split --db` sees the same history as `--history sales_records.xlsx`."""
    from salesxl.targets import split_file
    from salesxl.targets.inputs import history_from_sales

    files, db = demo
    assert import_files("sales", [files.sales_records], db=db).count("blocked") == 0
    assert sales_history(db) == history_from_sales([files.sales_records]) != []
    by_file = split_file(
        files.targets_input, tmp_path / "a.xlsx", history=[files.sales_records], roster=files.roster
    )
    by_store = split_file(  # history and roster from the store
        files.targets_input,
        tmp_path / "b.xlsx",
        roster=stored_roster(db),
        extra_history=sales_history(db),
    )
    assert by_store.split.plans == by_file.split.plans
    result = CliRunner().invoke(
        main,
        ["targets", "split", str(files.targets_input), "--db", db, "-o", str(tmp_path / "c.xlsx")],
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "c.xlsx").exists()
    missing = CliRunner().invoke(
        main,
        [
            "targets",
            "split",
            str(files.targets_input),
            "--db",
            str(tmp_path / "none.db"),
            "-o",
            str(tmp_path / "d.xlsx"),
        ],
    )
    assert missing.exit_code == 1 and "none.db" in missing.output


def test_a_refused_report_is_listed_until_a_good_one_is_imported(store_url, tmp_path):
    """The store says why a rep's month is missing; the reason goes once the file is fixed."""
    from sqlalchemy import select

    from salesxl.store.schema import audit_log
    from tests.store_fixtures import query

    bad = daily_file(
        tmp_path / "v1", "S002", [contact(3, "乙公司", stage="7", qty=1, price=1.0, amount=9.0)]
    )
    for _ in range(2):  # the same refused bytes twice are logged once
        assert import_files("reports", [bad], db=store_url).count("blocked") == 1
    refusals = query(store_url, select(audit_log.c.path).where(audit_log.c.action == "refuse"))
    assert [r.path for r in refusals] == [str(bad.resolve())]
    summary = consolidate_store(store_url, period=NOV, as_of=dt.date(2026, 11, 30))
    (error,) = [i for i in summary.issues if i.is_error]
    assert (error.code.value, error.sheet, error.cell) == ("amount_mismatch", "日报 Daily", "K10")
    assert error.file == str(bad.resolve())
    october = consolidate_store(store_url, period=Month(2026, 10), as_of=dt.date(2026, 10, 31))
    assert not [i for i in october.issues if i.is_error]  # filed under its own month only

    good = daily_file(
        tmp_path / "v2", "S002", [contact(3, "乙公司", stage="7", qty=1, price=9.0, amount=9.0)]
    )
    assert import_files("reports", [good], db=store_url).count("imported") == 1
    fixed = consolidate_store(store_url, period=NOV, as_of=dt.date(2026, 11, 30))
    assert not [i for i in fixed.issues if i.is_error] and fixed.headline.amount == 9.0


def test_a_refusal_is_lifted_by_a_good_file_whose_id_is_typed_otherwise(store_url, tmp_path):
    """S003's report was refused (stage 9 at G10); the fixed copy says `s003`.  It is the
    same rep's month, as By rep counts it: the refusal's error is no longer listed, and
    S003 is not refused, with the fixed file's ¥1,000."""
    bad = daily_file(
        tmp_path / "v1",
        "S003",
        [contact(3, "癸公司", stage="9", qty=1, price=1000.0, amount=1000.0)],
    )
    assert import_files("reports", [bad], db=store_url).count("blocked") == 1
    good = daily_file(
        tmp_path / "v2",
        "s003",
        [contact(3, "癸公司", stage="7", qty=1, price=1000.0, amount=1000.0)],
    )
    assert import_files("reports", [good], db=store_url).count("imported") == 1
    import_files("roster", [roster_file(tmp_path / "r.xlsx", [rep("S003")])], db=store_url)
    fixed = consolidate_store(store_url, period=NOV, as_of=dt.date(2026, 11, 30))
    assert [(i.code.value, i.cell) for i in fixed.issues if i.is_error] == []
    (row,) = fixed.sheet("by_rep").records()
    assert (row["rep_id"], row["amount"]) == ("S003", 1000.0)
    assert row["status"] != "refused"


def test_a_row_skipped_by_the_import_is_said_to_count_in_no_figure(store_url, tmp_path):
    """S004's second row (row 11) has stage 8, which does not exist.  The folder counts the
    row (3 contacts: all but its stage); imported with its bad rows skipped the store has
    2 contacts, and its summary says so after the row's error: the same error alone would
    read as if the row were counted, as in the folder."""
    rows = [
        contact(8, "丑公司", source="visit", stage="7", qty=1, price=2000.0, amount=2000.0),
        contact(9, "寅公司", source="visit", stage="8"),
        contact(20, "卯公司", source="phone", stage="7", qty=1, price=500.0, amount=500.0),
    ]
    path = daily_file(tmp_path / "inbox", "S004", rows)
    import_files("reports", [path], db=store_url, skip_bad_rows=True)
    by_store = consolidate_store(store_url, period=NOV, as_of=AS_OF)
    by_folder = consolidate_inbox([path], period=NOV, as_of=AS_OF)
    said = [(code, cell, row) for _, cell, row, _, code, *_ in issues_of(by_store, path)]
    assert said == [("not_in_list", "G11", 11), ("row_not_imported", "G11", 11)]
    (note,) = [i for i in by_store.issues if i.code.value == "row_not_imported"]
    assert note.message_en.startswith("Row 11 has an error and was skipped by the import")
    assert [c for _, _, _, _, c, *_ in issues_of(by_folder, path)] == ["not_in_list"]
    counts = [
        {r["rep_id"]: (r["contacts"], r["amount"]) for r in s.sheet("by_rep").records()}
        for s in (by_folder, by_store)
    ]
    assert counts == [{"S004": (3, 2500.0)}, {"S004": (2, 2500.0)}]


def test_a_day_whose_only_row_was_skipped_by_the_import_is_still_handed_in(store_url, tmp_path):
    """张三 (S1) reported the 2nd (甲公司) and the 3rd (乙公司, stage 8, which does not
    exist), and a row dated 11月32日.  Imported on the 4th at 08:00 with bad rows skipped,
    the 3rd's only row is not in the store, but 张三 did hand the 3rd in (before its deadline,
    the 4th at 09:00), as the folder says; the row dated 11月32日 reports no day anyone can
    tell, and its warning says so.  Nov 4 is missing on both paths (due the 5th at 09:00)."""
    roster = roster_file(tmp_path / "roster.xlsx", [rep("S1", name="张三")])
    import_files("roster", [roster], db=store_url)
    path = daily_file(
        tmp_path / "inbox",
        "S1",
        [
            contact(2, "甲公司", source="visit", stage="7", qty=1, price=1000.0, amount=1000.0),
            contact(3, "乙公司", source="visit", stage="8"),
            {"date": "11月32日", "customer": "丙公司", "source": "visit", "stage": "2"},
        ],
    )
    arrived = dt.datetime(2026, 11, 4, 8, 0)
    os.utime(path, (arrived.timestamp(), arrived.timestamp()))
    import_files("reports", [path], db=store_url, skip_bad_rows=True, now=arrived)
    as_of = dt.date(2026, 11, 5)
    by_store = consolidate_store(store_url, period=NOV, as_of=as_of, trend_months=1)
    by_folder = consolidate_inbox([path], period=NOV, roster=roster, as_of=as_of)

    def day(summary, which: int) -> str:
        sheet = summary.sheet("submissions")
        (row,) = sheet.rows
        return row[sheet.column(f"day_2026-11-{which:02d}")]

    # with the Details sheet the month is read row by row: the same
    by_rows = consolidate_store(store_url, period=NOV, as_of=as_of, trend_months=1, details=True)
    summaries = (by_folder, by_store, by_rows)
    assert [day(s, 3) for s in summaries] == ["on_time"] * 3
    assert [day(s, 4) for s in summaries] == ["missing"] * 3
    said = [(i.code.value, i.cell) for i in by_store.issues if i.file == str(path)]
    assert said == [
        ("not_in_list", "G11"),
        ("row_not_imported", "G11"),
        ("bad_type", "A12"),
        ("row_not_imported", "A12"),
    ]
    notes = [i.message_en for i in by_store.issues if i.code.value == "row_not_imported"]
    assert notes == [
        "Row 11 has an error and was skipped by the import: it counts in none of the "
        "figures, but 2026-11-03 still counts as a day reported. Correct it and import "
        "the file again.",
        "Row 12 has an error and was skipped by the import: it counts in none of the figures. "
        "Its date could not be read, so the day it reports is unknown and a day with only "
        "this row shows as missing. Correct the date and import the file again.",
    ]
    # The chase list from the store owes the 4th only, as the folder's does.
    window = {"as_of": as_of, "period": NOV}
    owed = [
        [r.missing_days for r in chase.owing]
        for chase in (
            chase_inbox([path], roster=roster, **window),
            chase_store(store_url, **window),
        )
    ]
    assert owed == [[[dt.date(2026, 11, 4)]], [[dt.date(2026, 11, 4)]]]


def test_a_refused_file_without_a_rep_is_filed_under_the_month_it_was_saved(tmp_path):
    db = str(tmp_path / "s.db")
    path = tmp_path / "scan.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    saved = dt.datetime(2026, 11, 12, 10, 0).timestamp()
    os.utime(path, (saved, saved))
    assert import_files("reports", [path], db=db).count("blocked") == 1
    import_files("roster", [roster_file(tmp_path / "r.xlsx", [rep("S001")])], db=db)
    nov = consolidate_store(db, period=NOV, as_of=dt.date(2026, 11, 30))
    assert [i.code.value for i in nov.issues if i.is_error] == ["unreadable"]
    dec = consolidate_store(db, period=Month(2026, 12), as_of=dt.date(2026, 12, 31))
    assert not [i for i in dec.issues if i.is_error]


def _refused_month(db: str, folder: Path) -> Path:
    """S001's report is imported; S002's has one bad row (amount ≠ qty × price) and is refused."""
    import_files("roster", [roster_file(folder / "roster.xlsx", [rep("S001"), rep("S002")])], db=db)
    good = daily_file(
        folder / "in",
        "S001",
        [contact(3, "甲公司", source="visit", stage="7", qty=1, price=2000.0, amount=2000.0)],
        month_target=21000,
    )
    bad = daily_file(
        folder / "in",
        "S002",
        [
            contact(3, "乙公司", source="visit", stage="7", qty=1, price=1.0, amount=9.0),
            contact(4, "丙公司", source="walkin", stage="7", qty=1, price=3000.0, amount=3000.0),
        ],
        month_target=21000,
    )
    result = import_files("reports", [good, bad], db=db)  # without --skip-bad-rows
    assert (result.count("imported"), result.count("blocked")) == (1, 1)
    return bad


def test_a_refused_report_is_received_and_its_figures_are_provisional(store_url, tmp_path):
    """Issue 15 item 5: not 'missing every day', not ranked as zero."""
    bad = _refused_month(store_url, tmp_path)
    summary = consolidate_store(store_url, period=NOV, as_of=AS_OF)
    reps = {r["rep_id"]: r for r in summary.sheet("by_rep").records()}
    s2 = reps["S002"]
    assert s2["status"] == "refused"
    # The refused file's own figures, as a folder consolidation reads them: 2 contacts,
    # 2 deals, 9 + 3,000 = 3,009 (the bad row's amount as written).
    assert (s2["contacts"], s2["deals"], s2["amount"]) == (2, 2, 3009.0)
    assert s2["completion"] == pytest.approx(3009 / 21000)  # target from the form
    assert s2["warning"] is None and s2["rank_team"] is None and s2["rank_company"] is None
    assert "1 error" in s2["note"] and "provisional" in s2["note"]
    assert (reps["S001"]["rank_team"], reps["S001"]["rank_company"]) == (1, 1)
    # Submissions: received on Nov 3 and 4 (refused), the other 14 days due by Nov 24
    # (Nov 2, 5, 6, 9-13, 16-20, 23) missing; Nov 24 is not yet due.  Missing too: the
    # weekly plans of W45-W48 (Mondays Nov 2-23) and the month plan: 14 + 4 + 1 = 19.
    grid = {r["rep_id"]: r for r in summary.sheet("submissions").records()}
    assert (grid["S002"]["refused"], grid["S002"]["missing"]) == (2, 14 + 4 + 1)
    assert grid["S002"]["note"] == "refused"
    assert grid["S002"]["day_2026-11-03"] == "refused"
    assert grid["S002"]["file"] == str(bad.resolve())
    # Its error, with the cell, is in 问题 Issues.
    (error,) = [i for i in summary.issues if i.is_error]
    assert (error.file, error.code.value, error.cell) == (
        str(bad.resolve()),
        "amount_mismatch",
        "K10",
    )
    overview = {r["metric_en"]: r["value"] for r in summary.sheet("overview").records()}
    assert overview["Refused (provisional)"] == 1


def test_a_refusal_logged_without_rows_has_unknown_figures_not_zero(tmp_path):
    """A store that kept only the errors of a refused file (before it kept rows)."""
    from sqlalchemy import create_engine, select, update

    from salesxl.store import codec
    from salesxl.store.schema import audit_log

    db = str(tmp_path / "s.db")
    _refused_month(db, tmp_path)
    engine = create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        (row_id, details) = conn.execute(
            select(audit_log.c.id, audit_log.c.details).where(audit_log.c.action == "refuse")
        ).one()
        d = codec.loads(details)
        old = {
            k: v
            for k, v in d.items()
            if k not in ("header", "header_cells", "layout", "tables", "mtime")
        }
        conn.execute(
            update(audit_log).where(audit_log.c.id == row_id).values(details=codec.dumps(old))
        )
    engine.dispose()
    summary = consolidate_store(db, period=NOV, as_of=AS_OF)
    s2 = {r["rep_id"]: r for r in summary.sheet("by_rep").records()}["S002"]
    assert s2["status"] == "refused" and s2["amount"] is None and s2["contacts"] is None
    assert s2["rank_company"] is None
    grid = {r["rep_id"]: r for r in summary.sheet("submissions").records()}
    # Which days it held is unknown: every day due by Nov 24 (16, plus the pending 24th) is
    # 'received, refused'; only the 4 weekly plans and the month plan are missing.
    assert (grid["S002"]["refused"], grid["S002"]["missing"]) == (17, 4 + 1)


def test_rows_outside_a_reps_employment_are_warned_and_counted_alike(store_url, tmp_path):
    """S002 left on Friday 13 November and has a ¥5,000 deal dated the 18th; S003 joined on
    Monday 16 November and has a ¥1,000 deal dated the 13th.  Each such row is a warning at
    its date cell, saying it still counts; the folder and the store count it alike."""
    folder = tmp_path / "inbox"
    roster = roster_file(
        tmp_path / "roster.xlsx",
        [
            rep("S001", hire_date=dt.date(2025, 1, 6)),
            rep("S002", hire_date=dt.date(2024, 5, 6), leave_date=dt.date(2026, 11, 13)),
            rep("S003", hire_date=dt.date(2026, 11, 16)),
        ],
    )

    def deal(day: int, customer: str, amount: float) -> dict:
        return contact(day, customer, source="visit", stage="7", qty=1, price=amount, amount=amount)

    daily_file(folder, "S001", [deal(3, "甲公司", 2000.0)])
    s002 = daily_file(folder, "S002", [deal(12, "乙公司", 3000.0), deal(18, "丙公司", 5000.0)])
    s003 = daily_file(folder, "S003", [deal(13, "丁公司", 1000.0), deal(17, "戊公司", 4000.0)])
    import_files("roster", [roster], db=store_url)
    import_files("reports", [folder], db=store_url)
    by_folder = consolidate_inbox([folder], period=NOV, roster=roster, as_of=AS_OF)
    by_store = consolidate_store(store_url, period=NOV, as_of=AS_OF)

    def warned(summary) -> list[tuple]:
        return sorted(
            (Path(i.file).name, i.code.value, i.cell, i.severity.value, i.message_en)
            for i in summary.issues
            if i.code.value in ("after_leave_date", "before_hire_date")
        )

    first = openpyxl.load_workbook(s002).active  # the rows sit below the template's header
    row = next(r for r in range(1, 40) if first.cell(r, 1).value == dt.datetime(2026, 11, 12))
    assert (
        warned(by_folder)
        == warned(by_store)
        == [
            (
                s002.name,
                "after_leave_date",
                f"A{row + 1}",  # the second row, the 18th
                "warning",
                "S002 销售S002 left on 2026-11-13 (roster) but this row's date is 2026-11-18. "
                "The row still counts in the figures. Correct the date, or the roster's leave date.",
            ),
            (
                s003.name,
                "before_hire_date",
                f"A{row}",  # the first row, the 13th
                "warning",
                "S003 销售S003 joined on 2026-11-16 (roster) but this row's date is 2026-11-13. "
                "The row still counts in the figures. Correct the date, or the roster's hire date.",
            ),
        ]
    )
    # Counted, as the warnings say: S002 3,000 + 5,000, S003 1,000 + 4,000, and the company
    # 2,000 + 8,000 + 5,000 = 15,000, from the folder and from the store alike.
    for summary in (by_folder, by_store):
        amounts = {r["rep_id"]: r["amount"] for r in summary.sheet("by_rep").records()}
        assert amounts == {"S001": 2000.0, "S002": 8000.0, "S003": 5000.0}
        assert summary.headline.amount == 15000.0


# ----------------------------------------------------------------------------
# Rows outside a rep's employment: judged against the roster in use, not the import's
# ----------------------------------------------------------------------------

OUTSIDE = ("after_leave_date", "before_hire_date")


def employment_files(folder: Path, *, typed: str | None = None) -> dict[str, Path]:
    """S001 has a ¥2,000 deal on the 3rd; S002 deals of ¥3,000 on Thursday 12 November (A10)
    and ¥5,000 on Wednesday the 18th (A11, whose phone 12345 is also a warning, at D11; the
    date typed as the text `typed` when given), and 日清 Day close rows for the 12th (A4) and
    Monday the 16th (A5); S003 deals of ¥1,000 on Friday the 13th (A10) and ¥4,000 on Tuesday
    the 17th (A11)."""

    def deal(day: int, customer: str, amount: float, **more: str) -> dict:
        return contact(
            day, customer, source="visit", stage="7", qty=1, price=amount, amount=amount, **more
        )

    closes = [{"date": dt.date(2026, 11, day), "forecast": 100.0} for day in (12, 16)]
    the_18th = deal(18, "丙公司", 5000.0, phone="12345")
    if typed is not None:
        the_18th["date"] = typed
    return {
        "S001": daily_file(folder, "S001", [deal(3, "甲公司", 2000.0)]),
        "S002": daily_file(
            folder,
            "S002",
            [deal(12, "乙公司", 3000.0), the_18th],
            closes=closes,
        ),
        "S003": daily_file(
            folder, "S003", [deal(13, "丁公司", 1000.0), deal(17, "戊公司", 4000.0)]
        ),
    }


def left_on(left: str, day: str) -> str:
    return (
        f"S002 销售S002 left on {left} (roster) but this row's date is {day}. The row still "
        "counts in the figures. Correct the date, or the roster's leave date."
    )


def joined_on(joined: str, day: str) -> str:
    return (
        f"S003 销售S003 joined on {joined} (roster) but this row's date is {day}. The row still "
        "counts in the figures. Correct the date, or the roster's hire date."
    )


def outside_warnings(summary) -> list[tuple]:
    """(file, sheet, cell, code, message) of each row dated outside a rep's employment."""
    return sorted(
        (Path(i.file).name, i.sheet, i.cell, i.code.value, i.message_en)
        for i in summary.issues
        if i.code.value in OUTSIDE
    )


def issues_of(summary, path: Path) -> list[tuple]:
    """Every issue of one file, in the order the summary lists them."""
    return [
        (
            i.sheet,
            i.cell,
            i.row,
            i.column,
            i.code.value,
            i.severity.value,
            i.message_zh,
            i.message_en,
            i.value,
        )
        for i in summary.issues
        if Path(i.file).name == path.name
    ]


def assert_same_figures(*summaries) -> None:
    """Every row counts, warned or not: S001 2,000, S002 3,000 + 5,000, S003 1,000 + 4,000,
    and the company 15,000."""
    for summary in summaries:
        amounts = {r["rep_id"]: r["amount"] for r in summary.sheet("by_rep").records()}
        assert amounts == {"S001": 2000.0, "S002": 8000.0, "S003": 5000.0}
        assert summary.headline.amount == 15000.0


LEFT_13TH = [
    rep("S001", hire_date=dt.date(2025, 1, 6)),
    rep("S002", hire_date=dt.date(2024, 5, 6), leave_date=dt.date(2026, 11, 13)),
    rep("S003", hire_date=dt.date(2026, 11, 16)),
]


def test_a_roster_imported_after_the_reports_warns_at_their_rows(store_url, tmp_path):
    """The reports reach the store before any roster: nothing to judge them by then.  Once
    the roster says S002 left on Friday 13 November and S003 joined on Monday the 16th, the
    store warns where the folder does: S002's deal of the 18th (A11) and its 日清 row of the
    16th (A5), S003's deal of the 13th (A10); in the folder's order, the cell's own warning
    before the same row's phone (D11)."""
    files = employment_files(tmp_path / "inbox")
    import_files("reports", list(files.values()), db=store_url)
    assert outside_warnings(consolidate_store(store_url, period=NOV, as_of=AS_OF)) == []
    roster = roster_file(tmp_path / "roster.xlsx", LEFT_13TH)
    import_files("roster", [roster], db=store_url)
    by_store = consolidate_store(store_url, period=NOV, as_of=AS_OF)
    by_folder = consolidate_inbox([tmp_path / "inbox"], period=NOV, roster=roster, as_of=AS_OF)
    s002, s003 = files["S002"].name, files["S003"].name
    assert (
        outside_warnings(by_store)
        == outside_warnings(by_folder)
        == [
            (s002, "日报 Daily", "A11", "after_leave_date", left_on("2026-11-13", "2026-11-18")),
            (s002, "日清 Day close", "A5", "after_leave_date", left_on("2026-11-13", "2026-11-16")),
            (s003, "日报 Daily", "A10", "before_hire_date", joined_on("2026-11-16", "2026-11-13")),
        ]
    )
    # The same issues, in the same order, with the same values, as the folder's.
    s002_issues = issues_of(by_store, files["S002"])
    assert s002_issues == issues_of(by_folder, files["S002"])
    codes = [(cell, code) for _, cell, _, _, code, *_ in s002_issues if cell in ("A11", "D11")]
    assert codes == [("A11", "after_leave_date"), ("D11", "phone_format")]
    assert issues_of(by_store, files["S003"]) == issues_of(by_folder, files["S003"])
    assert_same_figures(by_store, by_folder)


def test_a_report_whose_id_is_typed_otherwise_is_judged_by_the_roster_imported_after(
    store_url, tmp_path
):
    """S003 typed its ID `s003` (the roster says S003) and its report reached the store
    before any roster.  Once the roster says S003 joined on Monday the 16th, its deal of
    Friday the 13th (A10) is warned as the folder warns it: the file is S003's (By rep
    counts it there), so the rows are judged by S003's hire date."""
    inbox = tmp_path / "inbox"
    typed = daily_file(
        inbox,
        "s003",
        [contact(13, "丁公司", source="visit", stage="7", qty=1, price=1000.0, amount=1000.0)],
        name="S003_2026-11_日报.xlsx",
    )
    import_files("reports", [typed], db=store_url)
    roster = roster_file(tmp_path / "roster.xlsx", LEFT_13TH)
    import_files("roster", [roster], db=store_url)
    by_store = consolidate_store(store_url, period=NOV, as_of=AS_OF)
    by_folder = consolidate_inbox([inbox], period=NOV, roster=roster, as_of=AS_OF)
    warned = [
        (typed.name, "日报 Daily", "A10", "before_hire_date", joined_on("2026-11-16", "2026-11-13"))
    ]
    assert outside_warnings(by_folder) == warned
    assert outside_warnings(by_store) == warned
    for summary in (by_store, by_folder):
        amounts = {r["rep_id"]: r["amount"] for r in summary.sheet("by_rep").records()}
        assert amounts["S003"] == 1000.0


def test_a_corrected_leave_date_takes_the_warning_back(store_url, tmp_path):
    """Imported while the roster said S002 left on 13 November and S003 joined on the 16th,
    the reports were warned (3 rows).  The roster is corrected: S002 left on Friday the 20th,
    S003 joined on Thursday the 12th.  Every one of their rows is then within the
    employment: no warning from the store, as none from the folder with that roster; moving
    S002's leave date to Tuesday the 10th instead warns at all four of its rows.  (The 18th
    is typed as text: its warning shows it as typed, as the import's did.)"""
    import_files("roster", [roster_file(tmp_path / "old.xlsx", LEFT_13TH)], db=store_url)
    files = employment_files(tmp_path / "inbox", typed="2026/11/18")
    import_files("reports", list(files.values()), db=store_url)
    before = consolidate_store(store_url, period=NOV, as_of=AS_OF)
    assert [code for *_, code, _ in outside_warnings(before)] == [
        "after_leave_date",
        "after_leave_date",
        "before_hire_date",
    ]

    corrected = roster_file(
        tmp_path / "corrected.xlsx",
        [
            rep("S001", hire_date=dt.date(2025, 1, 6)),
            rep("S002", hire_date=dt.date(2024, 5, 6), leave_date=dt.date(2026, 11, 20)),
            rep("S003", hire_date=dt.date(2026, 11, 12)),
        ],
    )
    import_files("roster", [corrected], db=store_url)
    by_store = consolidate_store(store_url, period=NOV, as_of=AS_OF)
    by_folder = consolidate_inbox([tmp_path / "inbox"], period=NOV, roster=corrected, as_of=AS_OF)
    assert outside_warnings(by_store) == outside_warnings(by_folder) == []
    assert issues_of(by_store, files["S002"]) == issues_of(by_folder, files["S002"])
    assert_same_figures(by_store, by_folder)

    earlier = roster_file(
        tmp_path / "earlier.xlsx",
        [
            rep("S001", hire_date=dt.date(2025, 1, 6)),
            rep("S002", hire_date=dt.date(2024, 5, 6), leave_date=dt.date(2026, 11, 10)),
            rep("S003", hire_date=dt.date(2026, 11, 12)),
        ],
    )
    import_files("roster", [earlier], db=store_url)
    by_store = consolidate_store(store_url, period=NOV, as_of=AS_OF)
    by_folder = consolidate_inbox([tmp_path / "inbox"], period=NOV, roster=earlier, as_of=AS_OF)
    s002 = files["S002"].name
    assert (
        outside_warnings(by_store)
        == outside_warnings(by_folder)
        == [
            (s002, "日报 Daily", "A10", "after_leave_date", left_on("2026-11-10", "2026-11-12")),
            (s002, "日报 Daily", "A11", "after_leave_date", left_on("2026-11-10", "2026-11-18")),
            (s002, "日清 Day close", "A4", "after_leave_date", left_on("2026-11-10", "2026-11-12")),
            (s002, "日清 Day close", "A5", "after_leave_date", left_on("2026-11-10", "2026-11-16")),
        ]
    )
    s002_issues = issues_of(by_store, files["S002"])
    assert s002_issues == issues_of(by_folder, files["S002"])
    values = [(cell, value) for _, cell, _, _, code, *_, value in s002_issues if code in OUTSIDE]
    assert values == [
        ("A10", dt.date(2026, 11, 12)),
        ("A11", "2026/11/18"),
        ("A4", dt.date(2026, 11, 12)),
        ("A5", dt.date(2026, 11, 16)),
    ]
    assert_same_figures(by_store, by_folder)


def test_a_roster_file_given_to_consolidate_judges_the_rows(store_url, tmp_path):
    """The store's roster says S002 left on 13 November and S003 joined on the 16th; a roster
    file given with --roster has S002 still employed and S003 hired on Friday the 13th but
    S001 leaving on Monday 2 November, before the deal of the 3rd.  The file's dates judge
    the rows, as the folder's with that roster; without it, the store's roster does."""
    import_files("roster", [roster_file(tmp_path / "stored.xlsx", LEFT_13TH)], db=store_url)
    files = employment_files(tmp_path / "inbox")
    import_files("reports", list(files.values()), db=store_url)
    other = roster_file(
        tmp_path / "other.xlsx",
        [
            rep("S001", hire_date=dt.date(2025, 1, 6), leave_date=dt.date(2026, 11, 2)),
            rep("S002", hire_date=dt.date(2024, 5, 6)),
            rep("S003", hire_date=dt.date(2026, 11, 13)),
        ],
    )
    by_store = consolidate_store(store_url, period=NOV, as_of=AS_OF, roster=other)
    by_folder = consolidate_inbox([tmp_path / "inbox"], period=NOV, roster=other, as_of=AS_OF)
    s001_left = (
        "S001 销售S001 left on 2026-11-02 (roster) but this row's date is 2026-11-03. The row "
        "still counts in the figures. Correct the date, or the roster's leave date."
    )
    assert (
        outside_warnings(by_store)
        == outside_warnings(by_folder)
        == [(files["S001"].name, "日报 Daily", "A10", "after_leave_date", s001_left)]
    )
    assert_same_figures(by_store, by_folder)
    # The same with the rows read out of the store for the Details sheet.
    detailed = consolidate_store(store_url, period=NOV, as_of=AS_OF, roster=other, details=True)
    assert outside_warnings(detailed) == outside_warnings(by_store)
    # Without the file, the store's own roster: S002's two rows after the 13th, S003's 13th.
    stored = consolidate_store(store_url, period=NOV, as_of=AS_OF)
    assert [(cell, code) for _, _, cell, code, _ in outside_warnings(stored)] == [
        ("A11", "after_leave_date"),
        ("A5", "after_leave_date"),
        ("A10", "before_hire_date"),
    ]


def _graded_months(folder: Path) -> tuple[Path, Path]:
    """S001's October and November: a customer keeps the grade last given until another is.

    October: 甲 A (20th), 乙 B (21st), 丙 A (22nd), 丁 no grade (5th).
    November: 甲 again on the 3rd without a grade (still A), 乙 on the 4th graded C, 丁 on
    the 5th without a grade (never graded), 戊 new on the 6th graded B; 丙 not met.
    """
    oct_, nov = Month(2026, 10), Month(2026, 11)

    def met(day: int, name: str, month: Month, grade: str | None = None) -> dict:
        values = {"source": "visit", "stage": "3", "phone": f"1390000000{'甲乙丙丁戊'.index(name)}"}
        if grade:
            values["grade"] = grade
        if grade in ("A", "B"):  # an A/B customer still open has a next follow-up
            values["next_followup"] = dt.date(month.year, month.month, day + 7)
        return contact(day, name, month, **values)

    october = daily_file(
        folder / "oct",
        "S001",
        [
            met(20, "甲", oct_, "A"),
            met(21, "乙", oct_, "B"),
            met(22, "丙", oct_, "A"),
            met(5, "丁", oct_),
        ],
        month=oct_,
    )
    november = daily_file(
        folder / "nov",
        "S001",
        [met(3, "甲", nov), met(4, "乙", nov, "C"), met(5, "丁", nov), met(6, "戊", nov, "B")],
        month=nov,
    )
    return october, november


def test_a_grade_given_last_month_counts_this_month_as_the_7_day_rule_sees_it(store_url, tmp_path):
    """Counted by the latest grade given (in this month or the two before, what the 7-day
    rule sees): 甲 A (October's, no grade since), 戊 B, 乙 C (November's C over October's
    B); 丁 was never graded, 丙 was not met this month.  A 1, B 1, C 1 — not A 0.  As of
    the 20th, the A/B customers whose 7 days ran out are 甲 (met the 3rd, due the 10th) and
    戊 (met the 6th, due the 13th): the rule judged 甲 as A before, too."""
    october, november = _graded_months(tmp_path)
    import_files("reports", [october], db=store_url, now=dt.datetime(2026, 11, 1, 8))
    import_files("reports", [november], db=store_url, now=dt.datetime(2026, 11, 20, 8))
    results = consolidate_store(store_url, period=NOV, as_of=dt.date(2026, 11, 20)).results
    assert results is not None
    s001 = results.reps["S001"]
    assert (s001.grades["A"], s001.grades["B"], s001.grades["C"]) == (1, 1, 1)
    assert (results.company.grades["A"], results.company.grades["B"]) == (1, 1)
    assert sorted((lapse.customer, lapse.due.day) for lapse in results.lapses) == [
        ("戊", 13),
        ("甲", 10),
    ]


def test_the_forms_path_counts_grades_as_its_7_day_rule_sees_them(tmp_path):
    """The same months given as forms: with October as history (the library's `consolidate`
    takes it) the counts are the store's, A 1, B 1, C 1; a folder sees November alone, where
    甲 has no grade — counted in no grade and, alike, not judged as an A customer."""
    october, november = _graded_months(tmp_path)
    as_of = dt.date(2026, 11, 20)
    forms = [load_form(november)]
    summary = consolidate(forms, period=NOV, as_of=as_of, history=[load_form(october)])
    assert summary.results is not None
    s001 = summary.results.reps["S001"]
    assert (s001.grades["A"], s001.grades["B"], s001.grades["C"]) == (1, 1, 1)
    alone = consolidate_inbox([november.parent], period=NOV, as_of=as_of).results
    assert alone is not None
    s001 = alone.reps["S001"]
    assert (s001.grades["A"], s001.grades["B"], s001.grades["C"]) == (0, 1, 1)
    assert [lapse.customer for lapse in alone.lapses] == ["戊"]


def test_a_deal_whose_amount_is_an_uncalculated_formula_is_an_error_not_zero(store_url, tmp_path):
    """张伟 (S001) closed two deals: 华联超市 on the 3rd, 2 × 1,500 = ¥3,000 (row 6), and
    永辉超市 on the 4th, whose 金额 K7 is `=I7*J7` saved by a program that does not
    calculate: the file holds no value.  That is an error at K7, as a blank 金额 of a 成交
    row is, never a deal counted ¥0 with only a warning.  The folder counts the row as it
    counts other rows with errors (2 deals, ¥3,000 — the second deal's amount is missing,
    and the error says so); the store refuses the file whole; with --skip-bad-rows it
    leaves the row out (1 deal, ¥3,000) and says that after the error."""
    rows = [
        {**GOOD_ROW, "deposit": None},
        {
            **GOOD_ROW,
            "date": "2026-11-04",
            "customer": "永辉超市",
            "amount": "=I7*J7",
            "deposit": None,
        },
    ]
    (tmp_path / "inbox").mkdir()
    path = write_daily(tmp_path / "inbox" / "S001_2026-11_日报.xlsx", rows)
    by_folder = consolidate_inbox([path], period=NOV, as_of=AS_OF)
    said = [
        (code, cell, severity) for _, cell, _, _, code, severity, *_ in issues_of(by_folder, path)
    ]
    assert said == [("formula_without_value", "K7", "error")]
    (s001,) = by_folder.sheet("by_rep").records()
    assert (s001["rep_id"], s001["deals"], s001["amount"]) == ("S001", 2, 3000.0)

    assert import_files("reports", [path], db=store_url).count("blocked") == 1
    refused = consolidate_store(store_url, period=NOV, as_of=AS_OF)
    assert [(i.code.value, i.cell) for i in refused.issues if i.is_error] == [
        ("formula_without_value", "K7")
    ]
    (s001,) = refused.sheet("by_rep").records()
    assert s001["status"] == "refused"

    import_files("reports", [path], db=store_url, skip_bad_rows=True)
    skipped = consolidate_store(store_url, period=NOV, as_of=AS_OF)
    said = [(code, cell) for _, cell, _, _, code, *_ in issues_of(skipped, path)]
    assert said == [("formula_without_value", "K7"), ("row_not_imported", "K7")]
    (s001,) = skipped.sheet("by_rep").records()
    assert (s001["deals"], s001["amount"]) == (1, 3000.0)


def test_a_store_holding_a_rep_under_two_spellings_counts_one_rep(store_url, tmp_path, monkeypatch):
    """A store written before imports folded rep IDs: 张伟's report typed `s020` (甲公司
    ¥700 on the 2nd) was imported on the 2nd at 19:00; his corrected copy typed `Ｓ020`
    (read as `S020`: 甲公司 ¥1,000 on the 2nd, 乙公司 ¥500 on the 3rd), saved on the 4th
    at 08:00, was imported on the 4th at 10:00 as another rep's month, both current.  The
    summary from the store counts one rep, as the folder does: the later-saved copy (2
    deals, ¥1,500; the first is a `duplicate_file`), and the 2nd handed in on time, when
    the store first had it (under `s020`, due the 3rd at 09:00) — not late by the copy's
    arrival.  The 3rd, due the 4th at 09:00, came at 10:00: late."""
    from salesxl.store import imports

    deal = contact(2, "甲公司", source="visit", stage="7", qty=1, price=1000.0, amount=1000.0)
    first = daily_file(
        tmp_path / "v1", "s020", [{**deal, "price": 700.0, "amount": 700.0}], name="a.xlsx"
    )
    second = daily_file(
        tmp_path / "v2",
        "Ｓ020",
        [deal, contact(3, "乙公司", source="visit", stage="7", qty=1, price=500.0, amount=500.0)],
        name="b.xlsx",
    )
    for path, saved in (
        (first, dt.datetime(2026, 11, 2, 18)),
        (second, dt.datetime(2026, 11, 4, 8)),
    ):
        set_core_times(path, saved)
        os.utime(path, (saved.timestamp(), saved.timestamp()))
    with monkeypatch.context() as old_store:  # as imports stored them before they folded IDs
        old_store.setattr(imports, "_fold_rep_ids", lambda forms, ids: None)
        import_files("reports", [first], db=store_url, now=dt.datetime(2026, 11, 2, 19))
        import_files("reports", [second], db=store_url, now=dt.datetime(2026, 11, 4, 10))
    from sqlalchemy import select

    from salesxl.store.schema import submissions
    from tests.store_fixtures import query

    c = submissions.c
    stored = query(store_url, select(c.rep_id).where(c.status == "current").order_by(c.id))
    assert [r for (r,) in stored] == ["s020", "S020"]  # the old store: two reps

    summary = consolidate_store(store_url, period=NOV, as_of=dt.date(2026, 11, 24))
    (row,) = summary.sheet("by_rep").records()
    assert (row["deals"], row["amount"]) == (2, 1500.0)
    assert [(i.code.value, Path(i.file).name) for i in summary.issues] == [
        ("duplicate_file", "a.xlsx")
    ]
    sheet = summary.sheet("submissions")
    (days,) = sheet.rows
    assert days[sheet.column("day_2026-11-02")] == "on_time"
    assert days[sheet.column("day_2026-11-03")] == "late"
