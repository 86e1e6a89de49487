"""The store's database: which one, how it is opened, and how its schema is kept up to date."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Column, Integer, MetaData, Table, inspect, select, text

from salesxl.cli import main
from salesxl.forms import FORMS
from salesxl.store import (
    StoreError,
    codec,
    import_files,
    import_form,
    load_period,
    open_store,
    resolve_url,
)
from salesxl.store.engine import (
    BUSY_TIMEOUT_S,
    WRITE_CACHE_KIB,
    create_store_engine,
    read_transaction,
    write_transaction,
)
from salesxl.store.migrations import MIGRATIONS, SCHEMA_VERSION, Migration, migrate, schema_version
from salesxl.store.schema import (
    ACTIVITIES_BY_DAY,
    ROW_TABLES,
    data_columns,
    issues,
    metadata,
    schema_versions,
    submissions,
)
from tests import factory, store_fixtures
from tests.conftest import FILES
from tests.store_fixtures import (
    NOV,
    contact,
    daily_file,
    dump_tables,
    import_future_dates,
    query,
)

# Every test taking `store_url` runs on SQLite and on a PostgreSQL server started for the session.
pg_server = store_fixtures.pg_server
store_url = store_fixtures.store_url


@pytest.mark.parametrize(
    ("db", "env", "url"),
    [
        (None, {}, "sqlite:///salesxl.db"),
        (None, {"SALESXL_DB": "team.db"}, "sqlite:///team.db"),
        (
            "mine.db",
            {"SALESXL_DB": "team.db"},
            "sqlite:///mine.db",
        ),  # --db wins over the environment
        ("/srv/sales/x.db", {}, "sqlite:////srv/sales/x.db"),
        ("sqlite:///a/b.db", {}, "sqlite:///a/b.db"),
        ("postgresql://u:p@db.example/sales", {}, "postgresql+psycopg://u:p@db.example/sales"),
        ("postgres://u@db/sales", {}, "postgresql+psycopg://u@db/sales"),
        (None, {"SALESXL_DB": "postgresql://db/sales"}, "postgresql+psycopg://db/sales"),
        ("  ", {"SALESXL_DB": ""}, "sqlite:///salesxl.db"),
    ],
)
def test_url_resolution(db, env, url):
    assert resolve_url(db, env=env) == url


@pytest.mark.parametrize("db", ["mysql://u@h/db", "oracle://x"])
def test_unsupported_database_says_what_works(db):
    with pytest.raises(StoreError, match="postgresql://"):
        resolve_url(db, env={})


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    engine = create_store_engine(str(tmp_path / "s.db"))
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == BUSY_TIMEOUT_S * 1000
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()


def test_a_write_transaction_keeps_its_pages_in_a_large_cache_then_gives_it_back(tmp_path):
    """A large import's dirty pages must not spill into the WAL before it commits; readers
    (and the pooled connection afterwards) keep SQLite's default cache."""
    engine = create_store_engine(str(tmp_path / "s.db"))
    try:
        with read_transaction(engine) as conn:
            default = conn.exec_driver_sql("PRAGMA cache_size").scalar()
        assert default == -2000  # SQLite's own default: 2,000 KiB
        with write_transaction(engine) as conn:
            # a negative cache size is in KiB: 65,536 KiB = 64 MiB
            assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -WRITE_CACHE_KIB
            assert WRITE_CACHE_KIB == 64 * 1024
        with read_transaction(engine) as conn:
            assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == default
    finally:
        engine.dispose()


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        create_store_engine(str(tmp_path / "nowhere" / "s.db"))


@pytest.fixture
def locked_folder(tmp_path):
    """A folder that exists but takes no new file: the tests run as root, who may write
    anywhere, so it is made immutable (chattr +i) rather than read-only."""
    folder = tmp_path / "locked"
    folder.mkdir()
    if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not available here")
    yield folder
    subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_a_folder_that_cannot_be_written_is_said_so(locked_folder):
    """SQLite's "unable to open database file" read as "not an SQLite database file ...
    give a new file name in a folder that exists": the folder exists, it cannot be written."""
    db = str(locked_folder / "x.db")
    got = CliRunner().invoke(
        main, ["import", "reports", str(FILES / "daily_en_only.xlsx"), "--db", db]
    )
    assert got.exit_code == 1, got.output
    assert f"the folder {locked_folder} cannot be written (Operation not permitted)" in got.output
    assert f"文件夹 {locked_folder} 不可写" in got.output
    assert "not an SQLite database file" not in got.output
    assert "a folder that exists" not in got.output


def test_a_file_where_the_folder_should_be_is_said_so(tmp_path):
    (tmp_path / "reports").write_text("not a folder")
    with pytest.raises(StoreError, match="is a file, not a folder") as err:
        create_store_engine(str(tmp_path / "reports" / "s.db"))
    assert "does not exist" not in str(err.value)


def test_reading_a_store_that_does_not_exist_does_not_create_one(tmp_path):
    path = tmp_path / "s.db"
    with pytest.raises(StoreError, match="no salesxl store"), open_store(str(path), create=False):
        pass
    assert not path.exists()


def test_a_new_store_gets_every_table_at_the_newest_version(store_url):
    with open_store(store_url) as engine:
        names = set(inspect(engine).get_table_names())
        assert {t.name for t in metadata.sorted_tables} <= names
        with engine.connect() as conn:
            assert schema_version(conn) == SCHEMA_VERSION
        assert migrate(engine) == SCHEMA_VERSION  # opening again changes nothing
    assert len(query(store_url, select(schema_versions))) == 1


def test_migrations_run_in_order_once(store_url):
    with open_store(store_url) as engine:
        applied = []

        def add_table(name):
            def apply(conn):
                applied.append(name)
                Table(name, MetaData(), Column("x", Integer)).create(conn)

            return apply

        later = (
            *MIGRATIONS,
            Migration(SCHEMA_VERSION + 1, "first extra", add_table("extra_one")),
            Migration(SCHEMA_VERSION + 2, "second extra", add_table("extra_two")),
        )
        assert migrate(engine, later) == SCHEMA_VERSION + 2
        assert migrate(engine, later) == SCHEMA_VERSION + 2
        assert applied == ["extra_one", "extra_two"]
        assert {"extra_one", "extra_two"} <= set(inspect(engine).get_table_names())
        versions = [
            r.version
            for r in query(store_url, select(schema_versions).order_by(schema_versions.c.version))
        ]
        assert versions == [SCHEMA_VERSION, SCHEMA_VERSION + 1, SCHEMA_VERSION + 2]
        # This code knows fewer versions than the database has: refuse, don't misread.
        with pytest.raises(StoreError, match="newer than this salesxl"):
            migrate(engine)


def test_a_failed_migration_leaves_the_database_as_it_was(store_url):
    with open_store(store_url) as engine:

        def broken(conn):
            conn.execute(text("CREATE TABLE half_done (x INTEGER)"))
            raise RuntimeError("boom")

        with pytest.raises(RuntimeError, match="boom"):
            migrate(engine, (*MIGRATIONS, Migration(SCHEMA_VERSION + 1, "broken", broken)))
        assert "half_done" not in inspect(engine).get_table_names()
        with engine.connect() as conn:
            assert schema_version(conn) == SCHEMA_VERSION


@pytest.mark.parametrize(("form_id", "table_key"), sorted(k for k in ROW_TABLES if k[0] in FORMS))
def test_every_form_field_has_its_column(form_id, table_key):
    """A field added to a form needs a column (and a migration) before the store can keep it."""
    fields = [f.key for f in FORMS[form_id].table(table_key).fields]
    assert data_columns(ROW_TABLES[(form_id, table_key)]) == fields


def test_targets_table_holds_the_long_sheet():
    assert data_columns(ROW_TABLES[("targets", "long")]) == [
        "level",
        "unit",
        "parent",
        "product",
        "month",
        "target",
        "stretch",
        "challenge",
        "version",
        "version_date",
    ]


def test_a_schema_1_store_upgrades_to_keep_target_versions(tmp_path):
    """A store made before targets had tiers and versions gains the columns and tables."""
    from sqlalchemy import create_engine

    from salesxl.store.schema import column_maps, target_notes, target_versions, targets

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    with engine.begin() as conn:  # schema 1 as it was: targets without the new columns
        later = (target_notes, target_versions, column_maps)  # tables of schema 2 and 3
        keep = [t for t in metadata.sorted_tables if t not in later]
        metadata.create_all(conn, tables=keep)
        for name in ("stretch", "challenge", "version", "version_date"):
            conn.execute(text(f"ALTER TABLE targets DROP COLUMN {name}"))
        for name in ("source", "rep_name", "source_name"):  # sales columns of schemas 3 and 7
            conn.execute(text(f"ALTER TABLE sales_records DROP COLUMN {name}"))
        _index_as_before_schema_4(conn)
        conn.execute(text("ALTER TABLE issues DROP COLUMN future_day"))  # schema 5's
        conn.execute(
            schema_versions.insert().values(
                version=1, description="old", applied_at=dt.datetime.now()
            )
        )
    assert migrate(engine) == SCHEMA_VERSION == 8
    names = {c["name"] for c in inspect(engine).get_columns(targets.name)}
    assert {"stretch", "challenge", "version", "version_date"} <= names
    assert {"target_notes", "target_versions"} <= set(inspect(engine).get_table_names())
    assert _activity_indexes(engine) == {
        "ix_activities_customer": ["customer_key"],
        ACTIVITIES_BY_DAY: ["submission_id", "date"],
    }
    engine.dispose()


def _index_as_before_schema_4(conn) -> None:
    """Contact rows indexed by submission alone, as schemas 1 to 3 had them."""
    conn.execute(text(f"DROP INDEX {ACTIVITIES_BY_DAY}"))
    conn.execute(text("CREATE INDEX ix_activities_submission_id ON activities (submission_id)"))


def _activity_indexes(engine) -> dict[str, list[str]]:
    return {i["name"]: i["column_names"] for i in inspect(engine).get_indexes("activities")}


def test_a_schema_3_store_upgrades_to_read_contacts_by_day(store_url):
    """The index by submission gives way to one by submission and date; every row stays and
    reads back the same (on both databases: PostgreSQL and SQLite drop indexes alike)."""
    data = factory.daily(
        "S001", [factory.row(2, "甲公司"), factory.row(3, "乙贸易"), factory.row(3, "丙")]
    )
    import_form("reports", data, db=store_url, now=dt.datetime(2026, 12, 1, 9))
    before = dump_tables(store_url)["activities"]
    with open_store(store_url) as engine:
        with engine.begin() as conn:
            _index_as_before_schema_4(conn)
            conn.execute(text("ALTER TABLE issues DROP COLUMN future_day"))  # schema 5's
            conn.execute(schema_versions.delete())  # it was created at the newest version
            conn.execute(
                schema_versions.insert().values(
                    version=3, description="old", applied_at=dt.datetime.now()
                )
            )
        assert "ix_activities_submission_id" in _activity_indexes(engine)
        assert migrate(engine) == 8
        assert _activity_indexes(engine) == {
            "ix_activities_customer": ["customer_key"],
            ACTIVITIES_BY_DAY: ["submission_id", "date"],
        }
        assert migrate(engine) == 8  # once
    assert dump_tables(store_url)["activities"] == before


def test_a_schema_4_store_upgrades_to_date_its_future_date_warnings(store_url, tmp_path, capsys):
    """Each 未来日期 warning gets the date its stored row holds, read on the sheet it is on:
    S001's 日清 Day close row 10 (the 25th) shares its row number with a contact of the 2nd;
    S002's contact sheet was renamed, its rows 10 and 11 are the 23rd and the 28th.  Other
    issues get none; a month read after the upgrade warns as one imported anew does."""
    import_future_dates(store_url, tmp_path)
    expected = {
        ("日清 Day close", "A10"): dt.date(2026, 11, 25),
        ("Daily", "A10"): dt.date(2026, 11, 23),
        ("Daily", "A11"): dt.date(2026, 11, 28),
    }

    def future_days() -> tuple[dict[tuple[str, str], object], set[object]]:
        rows = query(store_url, select(issues))
        warned = {(r.sheet, r.cell): r.future_day for r in rows if r.code == "future_date"}
        return warned, {r.future_day for r in rows if r.code != "future_date"}

    def as_of(day: dt.date) -> list[tuple[str | None, str | None]]:
        forms = load_period(store_url, NOV, as_of=day, rows=False).forms
        return sorted((i.sheet, i.cell) for f in forms for i in f.issues if i.code == "future_date")

    assert future_days() == (expected, {None})  # as the import writes them
    judged = [as_of(dt.date(2026, 11, day)) for day in (24, 25, 28)]
    assert judged == [
        [("Daily", "A11"), ("日清 Day close", "A10")],  # the 23rd has come by the 24th
        [("Daily", "A11")],
        [],
    ]
    with open_store(store_url) as engine:
        with engine.begin() as conn:
            conn.execute(text("ALTER TABLE issues DROP COLUMN future_day"))
            conn.execute(schema_versions.delete())
            conn.execute(
                schema_versions.insert().values(
                    version=4, description="old", applied_at=dt.datetime.now()
                )
            )
        assert migrate(engine) == 8
    assert future_days() == (expected, {None})
    said = capsys.readouterr().err  # a long upgrade is announced, not taken for a hang
    assert "升级数据库结构 4 → 8" in said and "upgrading the store's schema 4 -> 8" in said
    assert [as_of(dt.date(2026, 11, day)) for day in (24, 25, 28)] == judged


def test_the_default_database_is_in_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SALESXL_DB", raising=False)
    with open_store() as engine:
        assert Path(engine.url.database).name == "salesxl.db"
    assert (tmp_path / "salesxl.db").exists()


def _import_every_linked_table(url: str, folder: Path) -> None:
    """A roster, reports replaced by a second version, a report with bad rows left out, a
    weekly and a monthly plan, sales records replaced by a later export, targets re-split."""
    from salesxl.core.periods import Week
    from salesxl.store import import_files
    from tests.store_fixtures import (
        contact,
        daily_file,
        generated_sales,
        monthly_file,
        rep,
        roster_file,
        sales_csv,
        targets_form,
        weekly_file,
    )

    roster = roster_file(folder / "roster.xlsx", [rep("S001"), rep("S002")])
    assert import_files("roster", [roster], db=url).count("imported") == 1
    first = daily_file(folder / "v1", "S001", [contact(2, "甲公司")], closes=[])
    second = daily_file(
        folder / "v2",
        "S001",
        [contact(2, "甲公司", phone="13800138000"), contact(9, "乙公司", stage="7", amount=900.0)],
        closes=[{"date": dt.date(2026, 11, 9), "sales": 900.0, "forecast": 1000.0}],
    )
    bad = daily_file(folder / "v1", "S002", [contact(3, "丙公司"), contact(4, "丁", qty="三")])
    now = dt.datetime(2026, 11, 10, 9)
    import_files("reports", [first], db=url, now=now)
    assert import_files("reports", [second], db=url, now=now).count("replaced") == 1
    assert (
        import_files("reports", [bad], db=url, now=now, skip_bad_rows=True).count("imported") == 1
    )
    week = Week(2026, 46)
    plans = [
        weekly_file(folder, "S001", week, [{"date": week.monday, "customer": "甲公司"}]),
        monthly_file(folder, "S001", [{"customer": "甲公司", "grade": "A"}]),
    ]
    assert import_files("reports", plans, db=url, now=now).count("imported") == 2
    sales = generated_sales(40, start=dt.date(2026, 9, 1))
    import_files("sales", [sales_csv(folder / "sales_1.csv", sales)], db=url)
    later = sales_csv(folder / "sales_2.csv", [*sales[:20], *generated_sales(5)])
    assert import_files("sales", [later], db=url).count("replaced") == 1
    nov = NOV
    import_form("targets", targets_form([("rep", "S001", "一组", None, nov, 500.0)]), db=url)
    resplit = targets_form([("rep", "S001", "一组", None, nov, 550.0)], "targets_v2.xlsx")
    assert import_form("targets", resplit, db=url).status == "replaced"


def test_every_row_of_every_kind_of_import_names_a_submission_the_store_has(store_url, tmp_path):
    """The bulk tables hold no FOREIGN KEY (schema 6): `orphan_rows` makes its check.  Every
    kind of import leaves none; a row naming a missing submission is found."""
    from salesxl.store.schema import LINKED, activities, orphan_rows

    _import_every_linked_table(store_url, tmp_path)
    with open_store(store_url) as engine, read_transaction(engine) as conn:
        assert orphan_rows(conn) == {}
        filled = {
            f"{table.name}.{name}"
            for table, names in LINKED.items()
            for name in names
            if conn.execute(
                select(table.c[name]).where(table.c[name].is_not(None)).limit(1)
            ).first()
        }
    linked = {f"{table.name}.{name}" for table, names in LINKED.items() for name in names}
    # every table the import fills in bulk was filled (the Method sheet's notes aside)
    assert linked - filled == {"target_notes.submission_id"}
    with open_store(store_url) as engine:
        with write_transaction(engine) as conn:
            conn.execute(
                activities.insert().values(
                    submission_id=999, sheet_row=2, rep_id="S9", period="2026-11"
                )
            )
        with read_transaction(engine) as conn:
            assert orphan_rows(conn) == {"activities.submission_id": 1}


def _foreign_keys(engine) -> dict[str, list[list[str]]]:
    from salesxl.store.schema import LINKED

    found = inspect(engine)
    return {
        table.name: [k["constrained_columns"] for k in found.get_foreign_keys(table.name)]
        for table in LINKED
        if found.get_foreign_keys(table.name)
    }


def test_a_schema_5_store_upgrades_to_bulk_tables_without_foreign_keys(store_url, tmp_path):
    """PostgreSQL drops the constraints schema 5 had on the tables the import fills in bulk
    (their rows stay, as they were); SQLite keeps those of a store created before (dropping
    one rewrites a table); a store made now has none on either."""
    from salesxl.store.schema import LINKED, orphan_rows

    _import_every_linked_table(store_url, tmp_path)
    before = dump_tables(store_url)
    with open_store(store_url) as engine:
        assert _foreign_keys(engine) == {}  # a store made now
        postgres = engine.dialect.name == "postgresql"
        with engine.begin() as conn:
            if postgres:  # the constraints schema 5 made
                for table, names in LINKED.items():
                    for name in names:
                        conn.execute(
                            text(
                                f"ALTER TABLE {table.name} ADD FOREIGN KEY ({name}) "
                                "REFERENCES submissions (id)"
                            )
                        )
            conn.execute(schema_versions.delete())
            conn.execute(
                schema_versions.insert().values(
                    version=5, description="old", applied_at=dt.datetime.now()
                )
            )
        if postgres:
            assert set(_foreign_keys(engine)) == {t.name for t in LINKED}
        assert migrate(engine) == 8
        assert _foreign_keys(engine) == {}
        assert migrate(engine) == 8  # once
        with read_transaction(engine) as conn:
            assert orphan_rows(conn) == {}
    after = dump_tables(store_url)
    assert [v for v, *_ in after.pop("salesxl_schema")] == [5, 6, 7, 8]
    assert after == {k: v for k, v in before.items() if k != "salesxl_schema"}
    # the upgraded store imports as before
    data = factory.daily("S003", [factory.row(4, "丁公司")], path="inbox/S003.xlsx")
    assert import_form("reports", data, db=store_url).status == "imported"


def test_a_schema_7_store_upgrades_to_keep_save_times_and_skipped_days(store_url, tmp_path):
    """Submissions gain the save time inside the file and the days of skipped rows; what was
    stored before has neither: a row it skipped is said to leave its day missing, as it
    does (its day was not kept), and the next import keeps both."""
    first = daily_file(
        tmp_path / "a", "S001", [contact(2, "甲公司"), contact(3, "乙公司", stage="8")]
    )
    import_files("reports", [first], db=store_url, skip_bad_rows=True)
    with open_store(store_url) as engine:
        with engine.begin() as conn:
            for name in ("saved", "skipped_days"):
                conn.execute(text(f"ALTER TABLE submissions DROP COLUMN {name}"))
            conn.execute(schema_versions.delete())
            conn.execute(
                schema_versions.insert().values(
                    version=7, description="old", applied_at=dt.datetime.now()
                )
            )
        assert migrate(engine) == 8
        assert migrate(engine) == 8  # once
    assert query(store_url, select(submissions.c.saved, submissions.c.skipped_days)) == [
        (None, None)
    ]
    (form,) = load_period(store_url, NOV).forms
    (note,) = [i for i in form.issues if i.code == "row_not_imported"]
    assert note.message_en == (
        "Row 11 has an error and was skipped by the import: it counts in none of the figures, "
        "nor as a day reported. Correct it and import the file again."
    )
    assert form.days_left_out == frozenset()
    other = daily_file(
        tmp_path / "b", "S002", [contact(4, "丙公司"), contact(5, "丁公司", stage="8")]
    )
    import_files("reports", [other], db=store_url, skip_bad_rows=True)
    ((kept,),) = query(
        store_url, select(submissions.c.skipped_days).where(submissions.c.rep_id == "S002")
    )
    assert codec.loads(kept) == [["日报 Daily", 11, dt.date(2026, 11, 5)]]
