"""A whole store copied to another database: SQLite to PostgreSQL when a team outgrows a file.

`copy_store` creates the current schema in an empty target, copies every
table in primary-key order (ids kept, so every link between rows holds),
moves PostgreSQL's id sequences past the copied ids, and then proves the
copy: each table's row count and a checksum of every value, read back from
both databases, must agree, or the copy is reported as failed.  Rows travel
in batches through the same bulk path as imports (`COPY` on PostgreSQL), so
memory stays flat however large the store.  README.md "The store" says
when a team should move and how.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, Table, func, select, text

from salesxl.store.bulk import insert_columns
from salesxl.store.engine import StoreError, display_url, read_transaction, write_transaction
from salesxl.store.migrations import open_store, schema_version
from salesxl.store.schema import metadata, schema_versions

__all__ = ["TableCopy", "TransferError", "TransferReport", "copy_store", "table_checksums"]

BATCH = 50_000


class TransferError(StoreError):
    """The target is not empty, or the copy does not match its source."""


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

    `progress(table, rows)` is called after each batch.  Raises StoreError
    when either database cannot be used, TransferError when the target
    already holds a store with data or the copy does not match.
    """
    with open_store(source, create=False) as src, open_store(target) as dst:
        names = (display_url(str(src.url)), display_url(str(dst.url)))
        _check_empty(dst, names[1])
        with read_transaction(src) as read, write_transaction(dst) as write:
            if write.dialect.name == "sqlite":  # submissions point at newer submissions
                write.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
            for table in _copied_tables():
                for n in _copy_table(read, write, table):
                    if progress:
                        progress(table.name, n)
            if write.dialect.name == "postgresql":
                _advance_sequences(write)
        report = TransferReport(*names)
        with read_transaction(src) as a, read_transaction(dst) as b:
            theirs, ours = table_checksums(a), table_checksums(b)
        for table in _copied_tables():
            (rows, checksum), (got, copied) = theirs[table.name], ours[table.name]
            report.tables.append(TableCopy(table.name, rows, got, checksum, copied))
    if not report.ok:
        wrong = ", ".join(t.table for t in report.tables if not t.matches)
        raise TransferError(
            f"复制后的数据与原数据库不一致（{wrong}）：目标数据库 {names[1]} 不能使用。",
            f"the copy does not match the source in {wrong}: do not use {names[1]}",
            hint_zh="请清空目标数据库后重试，并报告此问题",
            hint_en="empty the target database, try again and report this",
        )
    return report


def _check_empty(engine: Engine, name: str) -> None:
    with read_transaction(engine) as conn:
        for table in _copied_tables():
            if conn.execute(select(func.count()).select_from(table)).scalar_one():
                raise TransferError(
                    f"目标数据库 {name} 已有数据（{table.name}），不会覆盖。",
                    f"the target database {name} already holds data ({table.name}); "
                    "nothing was copied",
                    hint_zh="请给出一个空的数据库",
                    hint_en="give an empty database",
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


def table_checksums(conn: Connection) -> dict[str, tuple[int, str]]:
    """Table name -> (rows, sha256 of every value in primary-key order), of the store's
    tables; the schema version table is left out (each database has its own history)."""
    if schema_version(conn) is None:
        return {}
    out: dict[str, tuple[int, str]] = {}
    for table in _copied_tables():
        digest, n = hashlib.sha256(), 0
        rows = conn.execution_options(stream_results=True, yield_per=BATCH).execute(
            select(table).order_by(*table.primary_key.columns)
        )
        for row in rows:
            n += 1
            digest.update(b"\x1e".join(_canonical(v) for v in row))
            digest.update(b"\x1f")
        out[table.name] = (n, digest.hexdigest())
    return out
