"""The store creates and upgrades its own schema: a version table and ordered migrations.

A new database gets the current tables at once and is stamped with the
newest version (running every historical step on an empty database would
only re-create what `schema.py` already describes).  An existing database
runs, in order, each migration newer than its version, all in one write
transaction, so two processes opening an old database at the same moment
upgrade it once.  A database stamped with a version newer than this code
knows is refused rather than misread.

To change the schema: edit `schema.py`, then append a `Migration` that
brings a database of the previous version to the new one.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Date, Engine, func, inspect, select, text

from salesxl.core.issues import Code
from salesxl.forms import FORMS
from salesxl.store import codec
from salesxl.store.engine import (
    StoreError,
    create_store_engine,
    display_url,
    read_transaction,
    write_transaction,
)
from salesxl.store.schema import (
    ACTIVITIES_BY_DAY,
    LINKED,
    ROW_TABLES,
    activities,
    column_maps,
    issues,
    metadata,
    sales_records,
    schema_versions,
    submissions,
    target_notes,
    target_versions,
    targets,
)

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "Migration", "migrate", "open_store", "schema_version"]


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    description: str
    apply: Callable[[Connection], None]


def _create_tables(conn: Connection) -> None:
    metadata.create_all(conn)


def _target_versions(conn: Connection) -> None:
    """Targets gain their tiers and version; the Method sheet's notes and the versions list."""
    for name in ("stretch", "challenge", "version", "version_date"):
        column = targets.c[name]
        kind = column.type.compile(dialect=conn.dialect)
        conn.execute(text(f"ALTER TABLE {targets.name} ADD COLUMN {name} {kind}"))
    target_notes.create(conn)
    target_versions.create(conn)


def _v3_exports(conn: Connection) -> None:
    """Sales rows without a rep (rep_id may be empty), by name (rep_name), from a source
    (the export's header signature); remembered column mappings."""
    if conn.dialect.name == "sqlite":  # SQLite cannot drop NOT NULL: rebuild the table
        conn.execute(text("ALTER TABLE sales_records RENAME TO sales_records_v1"))
        for index in inspect(conn).get_indexes("sales_records_v1"):
            conn.execute(text(f'DROP INDEX "{index["name"]}"'))
        old = [c["name"] for c in inspect(conn).get_columns("sales_records_v1")]
        sales_records.create(conn)
        names = ", ".join(f'"{name}"' for name in old)
        conn.execute(
            text(f"INSERT INTO sales_records ({names}) SELECT {names} FROM sales_records_v1")
        )
        conn.execute(text("DROP TABLE sales_records_v1"))
    else:
        conn.execute(text("ALTER TABLE sales_records ALTER COLUMN rep_id DROP NOT NULL"))
        conn.execute(text("ALTER TABLE sales_records ADD COLUMN rep_name TEXT"))
        conn.execute(text("ALTER TABLE sales_records ADD COLUMN source VARCHAR(32)"))
    column_maps.create(conn)


def _v4_activities_by_day(conn: Connection) -> None:
    """Contact rows indexed by submission and date in place of submission alone: a month
    from the store reads its reports' days, per-day figures and trails by that index."""
    have = {index["name"] for index in inspect(conn).get_indexes(activities.name)}
    if ACTIVITIES_BY_DAY not in have:
        conn.execute(
            text(f"CREATE INDEX {ACTIVITIES_BY_DAY} ON {activities.name} (submission_id, date)")
        )
    if _ACTIVITIES_BY_SUBMISSION in have:  # the new index serves its look-ups too
        conn.execute(text(f"DROP INDEX {_ACTIVITIES_BY_SUBMISSION}"))


_ACTIVITIES_BY_SUBMISSION = "ix_activities_submission_id"  # schemas 1-3


def _v5_future_days(conn: Connection) -> None:
    """Issues gain `future_day`: each `future_date` warning's date, read here once from the
    stored row it is on (the import now writes it with the warning)."""
    kind = Date().compile(dialect=conn.dialect)
    conn.execute(text(f"ALTER TABLE {issues.name} ADD COLUMN future_day {kind}"))
    i, c = issues.c, submissions.c
    warned = select(i.submission_id).where(i.code == Code.FUTURE_DATE.value).distinct()
    by_layout: dict[tuple[str, str | None], list[int]] = defaultdict(list)
    for sub_id, form_id, layout in conn.execute(
        select(c.id, c.form_id, c.layout).where(c.id.in_(warned))
    ):
        by_layout[(form_id, layout)].append(sub_id)
    for (form_id, layout), ids in by_layout.items():
        form = FORMS.get(form_id)
        if form is None:
            continue
        for key, spec in (codec.loads(layout) or {}).items():
            stored = ROW_TABLES.get((form_id, key))
            if stored is None:
                continue
            row = stored.c
            for f in form.table(key).fields:
                if not f.not_future:
                    continue
                for start in range(0, len(ids), 500):
                    conn.execute(  # UPDATE ... FROM: one join, not a look-up per warning
                        issues.update()
                        .where(
                            i.submission_id.in_(ids[start : start + 500]),
                            i.code == Code.FUTURE_DATE.value,
                            i.sheet == spec["sheet"],
                            i.column == f.bilingual,
                            row.submission_id == i.submission_id,
                            row.sheet_row == i.row,
                        )
                        .values(future_day=row[f.key])
                    )


def _v6_bulk_links(conn: Connection) -> None:
    """The tables the import fills in bulk point at their submission without a FOREIGN KEY:
    PostgreSQL checked it with a look-up and a row lock for every row written.  SQLite
    keeps the constraints of a store created before (dropping one rewrites the table, and
    SQLite checks it by the primary key at little cost); a store created now has none."""
    if conn.dialect.name == "sqlite":
        return
    quote = conn.dialect.identifier_preparer.quote
    found = inspect(conn)
    for table in LINKED:
        for key in found.get_foreign_keys(table.name):
            name = key.get("name")
            if key["referred_table"] == submissions.name and name:
                conn.execute(text(f"ALTER TABLE {quote(table.name)} DROP CONSTRAINT {quote(name)}"))


def _v7_source_names(conn: Connection) -> None:
    """Sales rows and submissions gain `source_name` (`salesxl import sales --source`); what
    is already stored keeps none: it belongs to the unnamed source of its headers.  A store
    of schema 1 or 2 on SQLite has the rows' column already (schema 3 rebuilt that table as
    it is now)."""
    for table in (sales_records, submissions):
        have = {column["name"] for column in inspect(conn).get_columns(table.name)}
        if "source_name" not in have:
            kind = table.c.source_name.type.compile(dialect=conn.dialect)
            conn.execute(text(f"ALTER TABLE {table.name} ADD COLUMN source_name {kind}"))


def _v8_saved_and_skipped_days(conn: Connection) -> None:
    """Submissions gain `saved` (the save time recorded inside the file: an older copy
    imported later does not become current) and `skipped_days` (the days of rows
    `--skip-bad-rows` left out still count as reported).  What is already stored has
    neither: it keeps the order it arrived in, and its skipped rows' days stay unknown."""
    have = {column["name"] for column in inspect(conn).get_columns(submissions.name)}
    for name in ("saved", "skipped_days"):
        if name not in have:
            kind = submissions.c[name].type.compile(dialect=conn.dialect)
            conn.execute(text(f"ALTER TABLE {submissions.name} ADD COLUMN {name} {kind}"))


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "reps, customers, activities, day closes, plans, sales records, targets, "
        "submissions, issues, audit log",
        _create_tables,
    ),
    Migration(
        2,
        "targets: stretch and challenge tiers, version and version date; target_notes "
        "(the Method sheet); target_versions (every version of a year's targets)",
        _target_versions,
    ),
    Migration(
        3,
        "sales records without a rep or by name, with their source; remembered column maps",
        _v3_exports,
    ),
    Migration(
        4,
        "contact rows indexed by submission and date (a month from the store reads by day)",
        _v4_activities_by_day,
    ),
    Migration(
        5,
        "issues: a future-date warning's date (whether it is still true is a plain filter)",
        _v5_future_days,
    ),
    Migration(
        6,
        "rows, report days and issues point at their submission without a foreign key "
        "(PostgreSQL checked it row by row in every import)",
        _v6_bulk_links,
    ),
    Migration(
        7,
        "sales records: the source's name (import --source), so two shops or systems "
        "with the same headers are kept apart",
        _v7_source_names,
    ),
    Migration(
        8,
        "submissions: the save time recorded inside the file (an older copy imported "
        "later stays out of the current version) and the days of rows skipped by "
        "--skip-bad-rows (they count as reported)",
        _v8_saved_and_skipped_days,
    ),
)
SCHEMA_VERSION = MIGRATIONS[-1].version


def schema_version(conn: Connection) -> int | None:
    """The database's schema version, or None when salesxl has not set it up yet."""
    if not inspect(conn).has_table(schema_versions.name):
        return None
    return conn.execute(select(func.max(schema_versions.c.version))).scalar_one_or_none() or 0


def migrate(engine: Engine, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Bring the database to the newest schema; returns its version."""
    newest = migrations[-1].version
    with read_transaction(engine) as conn:
        if schema_version(conn) == newest:
            return newest  # the common case: no write lock needed
    with write_transaction(engine) as conn:
        version = schema_version(conn)  # again, under the lock: another process may have won
        now = dt.datetime.now()
        if version is None:
            metadata.create_all(conn)
            conn.execute(
                schema_versions.insert(),
                [
                    {
                        "version": newest,
                        "description": f"created at version {newest}: "
                        + migrations[-1].description,
                        "applied_at": now,
                    }
                ],
            )
            return newest
        if version > newest:
            raise StoreError(
                f"数据库 {display_url(str(engine.url))} 的结构版本 {version} 比这个 salesxl "
                f"能理解的（{newest}）更新",
                f"the database {display_url(str(engine.url))} has schema version {version}, "
                f"newer than this salesxl understands ({newest})",
                hint_zh="请升级 salesxl",
                hint_en="upgrade salesxl",
            )
        if version == newest:  # another process upgraded it meanwhile
            return newest
        # an upgrade can take minutes on a large store (schema 5 reads a million rows):
        # said before it starts, so that a long wait is not taken for a hang
        print(
            f"正在升级数据库结构 {version} → {newest}（大型数据库可能需要几分钟）\n"
            f"upgrading the store's schema {version} -> {newest} "
            f"(a large store may take minutes): {display_url(str(engine.url))}",
            file=sys.stderr,
            flush=True,
        )
        for step in migrations:
            if step.version > version:
                step.apply(conn)
                conn.execute(
                    schema_versions.insert(),
                    [{"version": step.version, "description": step.description, "applied_at": now}],
                )
        return newest


@contextmanager
def open_store(db: str | Engine | None = None, *, create: bool = True) -> Iterator[Engine]:
    """An engine on an up-to-date store (created when missing, unless `create` is False).

    `db` is an engine, or a URL or path resolved as in `resolve_url`.  An
    engine made here is disposed of on the way out.
    """
    if isinstance(db, Engine):
        _ready(db, create)
        yield db
        return
    engine = create_store_engine(db)
    try:
        _ready(engine, create)
        yield engine
    finally:
        engine.dispose()


def _ready(engine: Engine, create: bool) -> None:
    if not create:
        where = display_url(str(engine.url))
        database = engine.url.database
        missing = (
            engine.dialect.name == "sqlite"
            and database not in (None, "", ":memory:")
            and not Path(database).exists()
        )
        if not missing:
            with read_transaction(engine) as conn:
                missing = schema_version(conn) is None
        if missing:
            raise StoreError(
                f"{where} 没有 salesxl 数据库",
                f"there is no salesxl store at {where}",
                hint_zh="请先导入文件（salesxl import），或检查环境变量 SALESXL_DB 和数据库设置",
                hint_en="import files into it first (salesxl import), or check $SALESXL_DB "
                "and the database setting",
            )
    migrate(engine)
