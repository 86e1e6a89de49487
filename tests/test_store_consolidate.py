"""Consolidation from the store: the same summary as from the folder, plus what only the store knows."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from salesxl.cli import main
from salesxl.consolidate import consolidate_inbox
from salesxl.consolidate.from_store import consolidate_store
from salesxl.core.periods import Month
from salesxl.demo import generate_demo
from salesxl.store import StoreError, import_files, sales_history, stored_roster
from tests import store_fixtures
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
    stored = consolidate_store(db, period=NOV, as_of=AS_OF)
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
