"""A whole store copied to another database: SQLite to PostgreSQL when a team outgrows a file.

`copy_store` creates the current schema in an empty target, copies every
table in primary-key order (ids kept, so every link between rows holds),
moves PostgreSQL's id sequences past the copied ids, and then proves the
copy: each table's row count and a checksum of every value, read back from
both databases before the copy is committed, must agree, or nothing is kept.  Rows travel
in batches through the same bulk path as imports (`COPY` on PostgreSQL), so
memory stays flat however large the store.  README.md "The store" says
when a team should move and how.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Connection, Engine, String, Table, func, inspect, select, text

from salesxl.store.bulk import insert_columns
from salesxl.store.engine import (
    StoreError,
    create_store_engine,
    display_url,
    read_transaction,
    write_transaction,
)
from salesxl.store.migrations import open_store, schema_version
from salesxl.store.schema import metadata, schema_versions

__all__ = ["TableCopy", "TransferError", "TransferReport", "copy_store", "table_checksums"]

BATCH = 50_000


class TransferError(StoreError):
    """The target is the source or not empty, or the copy does not match its source."""


@dataclass(frozen=True, slots=True)
class TableCopy:
    """One table: rows in the source and the target, and the checksum both gave."""

    table: str
    rows: int
    target_rows: int
    checksum: str
    target_checksum: str

    @property
    def matches(self) -> bool:
        return self.rows == self.target_rows and self.checksum == self.target_checksum


@dataclass(slots=True)
class TransferReport:
    source: str
    target: str
    tables: list[TableCopy] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)

    @property
    def ok(self) -> bool:
        return all(t.matches for t in self.tables)


def _copied_tables() -> list[Table]:
    """Every table, parents before children; the schema version table is the target's own."""
    return [t for t in metadata.sorted_tables if t is not schema_versions]


def copy_store(
    source: str | Engine | None,
    target: str | Engine,
    *,
    progress: Callable[[str, int], None] | None = None,
) -> TransferReport:
    """Copy the store at `source` into the empty database `target`; returns the proof.

    `progress(table, rows)` is called after each batch.  The copy is checked
    before it is committed: a copy that does not match, or that is stopped
    (Ctrl-C) while it is checked, leaves the target as it was.  Raises
    StoreError when either database cannot be used, TransferError when the
    target is the source, holds tables or data of its own, or the copy does
    not match.
    """
    with ExitStack() as stack:
        src = stack.enter_context(open_store(source, create=False))
        with _about_target():
            # one engine for the target: looked at before anything is made in it, then filled
            dst = target if isinstance(target, Engine) else create_store_engine(target)
            if dst is not target:
                stack.callback(dst.dispose)
            names = (display_url(str(src.url)), display_url(str(dst.url)))
            _check_target(src, dst, names[1])
            stack.enter_context(open_store(dst))
            _check_empty(dst, names[1])
        report = TransferReport(*names)
        with read_transaction(src) as read, _about_target(), write_transaction(dst) as write:
            if write.dialect.name == "sqlite":  # submissions point at newer submissions
                write.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
            for table in _copied_tables():
                for n in _copy_table(read, write, table):
                    if progress:
                        progress(table.name, n)
            if write.dialect.name == "postgresql":
                _advance_sequences(write)
            # read back inside the copy's own transaction: nothing is kept unless it matches
            theirs, ours = table_checksums(read), table_checksums(write)
            for table in _copied_tables():
                (rows, checksum), (got, copied) = theirs[table.name], ours[table.name]
                report.tables.append(TableCopy(table.name, rows, got, checksum, copied))
            if not report.ok:
                wrong = ", ".join(t.table for t in report.tables if not t.matches)
                raise TransferError(
                    f"复制后的数据与原数据库不一致（{wrong}），已撤销，目标数据库 {names[1]} 未改动。",
                    f"the copy does not match the source in {wrong}; it was undone and "
                    f"{names[1]} is as it was",
                    hint_zh="请报告此问题",
                    hint_en="please report this",
                    setting=_TARGET,
                )
    return report


_TARGET = "target_database"  # the setting errors about the target are about (--to)


@contextmanager
def _about_target() -> Iterator[None]:
    """A database error in here is about the target: its fix goes to --to, not --db."""
    try:
        yield
    except StoreError as exc:
        if exc.setting == _TARGET:
            raise
        raise StoreError(
            exc.message_zh,
            exc.message_en,
            hint_zh=exc.hint_zh,
            hint_en=exc.hint_en,
            setting=_TARGET,
        ) from exc


def _check_target(source: Engine, target: Engine, name: str) -> None:
    """Refuse a target that names no database, is the source itself, or holds tables named
    as the store's that salesxl did not make (another application's): before anything is
    created in it."""
    url = target.url
    if url.get_backend_name() == "postgresql" and not url.database:
        raise StoreError(
            f"{name} 没有给出数据库名",
            f"{name} names no database (PostgreSQL would use the one named after the user)",
            hint_zh="请在地址末尾写上数据库名：postgresql://user@host/dbname",
            hint_en="end the URL with the database's name: postgresql://user@host/dbname",
            setting=_TARGET,
        )
    if _same_database(source.url, url):
        raise TransferError(
            f"{name} 就是要复制的数据库本身",
            f"{name} is the store being copied",
            hint_zh="请给出另一个空的数据库",
            hint_en="give another, empty database",
            setting=_TARGET,
        )
    with read_transaction(target) as conn:
        present = set(inspect(conn).get_table_names())
    ours = {t.name for t in metadata.sorted_tables}
    clash = sorted(present & ours)
    if clash and schema_versions.name not in present:
        raise TransferError(
            f"目标数据库 {name} 已有不是 salesxl 建立的表（{', '.join(clash)}），不会写入。",
            f"the target database {name} has tables salesxl did not make "
            f"({', '.join(clash)}); nothing was copied",
            hint_zh="请给出一个空的数据库",
            hint_en="give an empty database",
            setting=_TARGET,
        )


def _same_database(a: URL, b: URL) -> bool:
    if a.get_backend_name() != b.get_backend_name():
        return False
    if a.get_backend_name() == "sqlite":
        one, two = (Path(u.database or "").expanduser() for u in (a, b))
        if one.exists() and two.exists():
            return one.samefile(two)
        return one.resolve() == two.resolve()
    return (a.host, a.port or 5432, a.database) == (b.host, b.port or 5432, b.database)


def _check_empty(engine: Engine, name: str) -> None:
    with read_transaction(engine) as conn:
        for table in _copied_tables():
            if conn.execute(select(func.count()).select_from(table)).scalar_one():
                raise TransferError(
                    f"目标数据库 {name} 已有数据（{table.name}），不会覆盖。",
                    f"the target database {name} already holds data ({table.name}); "
                    "nothing was copied",
                    hint_zh="请给出一个空的数据库（或删除这个 SQLite 文件 / 重建这个 PostgreSQL 数据库）",
                    hint_en="give an empty database (or delete that SQLite file / drop and "
                    "create that PostgreSQL database again)",
                    setting=_TARGET,
                )


def _copy_table(read: Connection, write: Connection, table: Table) -> Iterator[int]:
    names = [c.name for c in table.columns]
    order = list(table.primary_key.columns)
    # A table whose rows point at its own rows (a submission at the one that replaced it)
    # goes in one statement: PostgreSQL checks such links at the end of each statement.
    whole = any(fk.column.table is table for fk in table.foreign_keys)
    rows = read.execution_options(stream_results=True, yield_per=BATCH).execute(
        select(table).order_by(*order)
    )
    pending: list[Any] = []
    for partition in rows.partitions(BATCH):
        pending.extend(partition)
        if not whole:
            yield _write(write, table, names, pending)
            pending = []
    if pending:
        yield _write(write, table, names, pending)


def _write(write: Connection, table: Table, names: list[str], rows: list[Any]) -> int:
    columns = {name: [row[i] for row in rows] for i, name in enumerate(names)}
    return insert_columns(write, table, columns)


def _advance_sequences(conn: Connection) -> None:
    """PostgreSQL hands out ids from a sequence: move it past the ids copied in."""
    for table in _copied_tables():
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not pk[0].autoincrement or pk[0].type.python_type is not int:
            continue
        conn.execute(
            text(
                "SELECT setval(pg_get_serial_sequence(:t, :c), "
                f'COALESCE((SELECT MAX("{pk[0].name}") FROM "{table.name}"), 0) + 1, false)'
            ),
            {"t": table.name, "c": pk[0].name},
        )


def _canonical(value: Any) -> bytes:
    """One value as the same bytes whichever database returned it."""
    if value is None:
        return b"\x00"
    if isinstance(value, bool):
        return b"T" if value else b"F"
    if isinstance(value, float):
        return repr(value).encode()
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat().encode()
    return str(value).encode("utf-8")


def _key_order(conn: Connection, table: Table) -> list[Any]:
    """The primary key to order rows by, texts compared byte by byte (as SQLite does): a
    PostgreSQL database may sort text by a language's rules (en_US puts é before z), and
    both databases must give the rows in one order."""
    columns = list(table.primary_key.columns)
    if conn.dialect.name != "postgresql":
        return columns
    return [c.collate("C") if isinstance(c.type, String) else c for c in columns]


def table_checksums(conn: Connection) -> dict[str, tuple[int, str]]:
    """Table name -> (rows, sha256 of every value in primary-key order, texts by their
    bytes), of the store's tables; the schema version table is left out (each database has
    its own history)."""
    if schema_version(conn) is None:
        return {}
    out: dict[str, tuple[int, str]] = {}
    for table in _copied_tables():
        digest, n = hashlib.sha256(), 0
        rows = conn.execution_options(stream_results=True, yield_per=BATCH).execute(
            select(table).order_by(*_key_order(conn, table))
        )
        for row in rows:
            n += 1
            digest.update(b"\x1e".join(_canonical(v) for v in row))
            digest.update(b"\x1f")
        out[table.name] = (n, digest.hexdigest())
    return out
