"""`salesxl store migrate`: a store copied to another database, proven by counts and checksums."""

from __future__ import annotations

import datetime as dt
import itertools
import sqlite3

import pytest
from click.testing import CliRunner
from sqlalchemy import update

from salesxl.cli import main
from salesxl.consolidate.from_store import consolidate_store
from salesxl.core.periods import Month
from salesxl.store import import_files, import_form, open_store
from salesxl.store.engine import StoreError, read_transaction, write_transaction
from salesxl.store.schema import activities, submissions
from salesxl.store.transfer import TransferError, copy_store, table_checksums
from tests import factory, store_fixtures
from tests.store_fixtures import contact, daily_file, generated_sales, rep, roster_file, sales_csv

pg_server = store_fixtures.pg_server
pg_url = store_fixtures.pg_url

NOV = Month(2026, 11)
AS_OF = dt.date(2026, 11, 24)


@pytest.fixture
def sqlite_store(tmp_path) -> str:
    """A small store with everything a team's store holds: a roster, two versions of one
    report (links between submissions), a second rep, sales records, an issue."""
    db = f"sqlite:///{tmp_path / 'salesxl.db'}"
    roster = roster_file(tmp_path / "roster.xlsx", [rep("S001"), rep("S002", team="二组")])
    assert import_files("roster", [roster], db=db).count("imported") == 1
    first = daily_file(tmp_path / "v1", "S001", [contact(2, "甲公司", stage="2")])
    second = daily_file(
        tmp_path / "v2",
        "S001",
        [
            contact(2, "甲公司", stage="2", phone="13800138000", source="walkin"),
            contact(9, "乙公司", stage="7", amount=1200.0, deposit=100.0),
        ],
    )
    other = daily_file(tmp_path / "v1", "S002", [contact(3, "丙公司", stage="3", phone="12345")])
    import_files("reports", [first, other], db=db, now=dt.datetime(2026, 11, 10, 9))
    import_files("reports", [second], db=db, now=dt.datetime(2026, 11, 12, 9))
    sales = sales_csv(tmp_path / "sales.csv", generated_sales(300, start=dt.date(2026, 9, 1)))
    assert import_files("sales", [sales], db=db).count("imported") == 1
    return db


def same_summary(a: str, b: str) -> None:
    one = consolidate_store(a, period=NOV, as_of=AS_OF)
    two = consolidate_store(b, period=NOV, as_of=AS_OF)
    assert [s.key for s in one.sheets] == [s.key for s in two.sheets]
    for x, y in zip(one.sheets, two.sheets, strict=True):
        assert x.rows == y.rows, x.key
    assert one.headline == two.headline


@pytest.mark.postgres
def test_sqlite_to_postgresql_and_back_gives_the_same_summary(sqlite_store, pg_url, tmp_path):
    pg = pg_url
    report = copy_store(sqlite_store, pg)
    assert report.ok
    # roster 2 reps; reports: 2 + 1 daily rows of the current version, 1 of the old one kept
    rows = {t.table: t.rows for t in report.tables}
    assert rows["reps"] == 2 and rows["activities"] == 4 and rows["sales_records"] == 300
    assert rows["submissions"] == 5  # roster, S001 twice, S002, the sales export
    same_summary(sqlite_store, pg)
    # the copy is a store like any other: new imports get new ids after the copied ones
    data = factory.daily("S003", [factory.row(4, "丁公司")], path="inbox/S003.xlsx")
    result = import_form("reports", data, db=pg, now=dt.datetime(2026, 11, 20, 9))
    assert result.status == "imported" and result.submission_id == 6
    back = f"sqlite:///{tmp_path / 'back.db'}"
    assert copy_store(pg, back).ok
    same_summary(pg, back)


def test_a_copy_into_a_database_with_data_is_refused(sqlite_store, tmp_path):
    target = f"sqlite:///{tmp_path / 'other.db'}"
    data = factory.daily("S009", [factory.row(4, "丁公司")])
    import_form("reports", data, db=target, now=dt.datetime(2026, 11, 20, 9))
    before = _checksums(target)
    with pytest.raises(TransferError, match="already holds data"):
        copy_store(sqlite_store, target)
    assert _checksums(target) == before  # nothing written


def test_checksums_see_a_changed_value(sqlite_store, tmp_path):
    copy = f"sqlite:///{tmp_path / 'copy.db'}"
    copy_store(sqlite_store, copy)
    assert _checksums(copy) == _checksums(sqlite_store)
    with open_store(copy) as engine, write_transaction(engine) as conn:
        conn.execute(update(activities).where(activities.c.id == 1).values(amount=0.5))
    changed = _checksums(copy)
    assert changed["activities"] != _checksums(sqlite_store)["activities"]
    assert changed["activities"][0] == _checksums(sqlite_store)["activities"][0]  # same count
    assert changed["submissions"] == _checksums(sqlite_store)["submissions"]


def test_cli_migrate_reports_every_table(sqlite_store, tmp_path):
    target = tmp_path / "copy.db"
    result = CliRunner().invoke(
        main, ["store", "migrate", "--db", sqlite_store, "--to", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert "activities" in result.output and "verified" in result.output
    assert "every table's count and checksum match" in result.output
    again = CliRunner().invoke(
        main, ["store", "migrate", "--db", sqlite_store, "--to", str(target)]
    )
    assert again.exit_code == 1 and "already holds data" in again.output
    with open_store(f"sqlite:///{target}", create=False) as engine, read_transaction(engine) as c:
        assert c.execute(submissions.select()).all()


def _checksums(db: str) -> dict[str, tuple[int, str]]:
    with open_store(db, create=False) as engine, read_transaction(engine) as conn:
        return table_checksums(conn)


def _icu_database(server: str) -> str | None:
    """A new database on the test server that sorts text by English rules (ICU en-US), or
    None when the server was built without ICU."""
    import psycopg

    name = f"salesxl_icu_{next(_icu_numbers)}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        try:
            conn.execute(
                f"CREATE DATABASE {name} TEMPLATE template0 LOCALE_PROVIDER icu "
                "ICU_LOCALE 'en-US' LOCALE 'C'"
            )
        except psycopg.Error:
            return None
    return f"{server}/{name}"


_icu_numbers = itertools.count(1)


@pytest.mark.postgres
def test_a_database_that_sorts_text_its_own_way_gets_a_proven_copy(
    sqlite_store, pg_server, tmp_path
):
    """Customer keys é…, Z…, a… sort apart in SQLite (by their bytes: Z, a, é) and in an
    en-US database (a, é, Z): the checksums read both in one order, so the copy is proven
    both ways."""
    pg = _icu_database(pg_server)
    if pg is None:
        pytest.skip(
            "the test server cannot make an ICU-collated database (needs PostgreSQL 15+ with ICU)"
        )
    rows = [contact(4, name) for name in ("Émile Café", "Zara Home", "apple store", "Ørsted")]
    extra = daily_file(tmp_path / "v3", "S002", rows)
    assert import_files("reports", [extra], db=sqlite_store).count("replaced") == 1
    report = copy_store(sqlite_store, pg)
    assert report.ok and {t.table: t.rows for t in report.tables}["customers"] >= 4
    back = f"sqlite:///{tmp_path / 'back.db'}"
    assert copy_store(pg, back).ok
    assert _checksums(back) == _checksums(sqlite_store)
    same_summary(sqlite_store, back)


def test_a_copy_that_does_not_match_leaves_the_target_as_it_was(
    sqlite_store, tmp_path, monkeypatch
):
    """The copy is read back before it is committed: when it does not match (here: made not
    to), the target keeps no row of it."""
    import salesxl.store.transfer as transfer

    real = transfer.table_checksums
    calls = []

    def checksums(conn):
        found = real(conn)
        calls.append(conn)
        if len(calls) == 2:  # the target's, read second
            rows, _ = found["activities"]
            found["activities"] = (rows, "0" * 64)
        return found

    monkeypatch.setattr(transfer, "table_checksums", checksums)
    target = f"sqlite:///{tmp_path / 'copy.db'}"
    with pytest.raises(TransferError, match="does not match the source in activities") as err:
        copy_store(sqlite_store, target)
    assert "as it was" in str(err.value) and err.value.setting == "target_database"
    monkeypatch.setattr(transfer, "table_checksums", real)
    assert {name: rows for name, (rows, _) in _checksums(target).items()} == dict.fromkeys(
        _checksums(sqlite_store), 0
    )
    assert copy_store(sqlite_store, target).ok  # still empty: a second run copies it


def test_a_target_with_another_applications_tables_is_refused_before_anything_is_made(
    sqlite_store, tmp_path
):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    with pytest.raises(TransferError, match=r"tables salesxl did not make \(customers\)"):
        copy_store(sqlite_store, str(path))
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    assert tables == ["customers"]


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("postgresql://postgres@127.0.0.1:1/", "names no database"),
        ("postgres://postgres@127.0.0.1:1", "names no database"),
        ("SAME", "is the store being copied"),
    ],
)
def test_targets_that_cannot_be_meant_are_refused(sqlite_store, target, message, tmp_path):
    if target == "SAME":  # the source's file, written another way
        target = str(tmp_path / "." / "salesxl.db")
    before = _checksums(sqlite_store)
    with pytest.raises(StoreError, match=message) as err:
        copy_store(sqlite_store, target)
    assert err.value.setting == "target_database"
    assert _checksums(sqlite_store) == before


def test_a_folder_or_a_workbook_as_the_target_says_what_to_give(sqlite_store, tmp_path):
    book = tmp_path / "roster.xlsx"
    book.write_bytes(b"PK\x03\x04" + b"\0" * 200)
    for target in (tmp_path, book):
        with pytest.raises(StoreError, match="not an SQLite database file") as err:
            copy_store(sqlite_store, str(target))
        assert "the store's .db file" in str(err.value)


def test_cli_errors_about_the_target_point_at_to(sqlite_store, tmp_path):
    target = tmp_path / "copy.db"
    assert copy_store(sqlite_store, str(target)).ok
    again = CliRunner().invoke(
        main, ["store", "migrate", "--db", sqlite_store, "--to", str(target)]
    )
    assert again.exit_code == 1 and "already holds data" in again.output
    assert "--to" in again.output and "--db" not in again.output.replace("--db ", "")
