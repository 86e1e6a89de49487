"""Many rows into one table, fast: `COPY` on PostgreSQL, one prepared `executemany` on SQLite.

SQLAlchemy's `insert()` with a list of dicts costs about three times the
driver's own `executemany` on 200,000 sales rows (it builds and processes a
dict per row).  Here the values come column by column; each column is
converted once per distinct value by its SQLAlchemy type's own bind
processor (an ERP export repeats the same few hundred dates), so what is
stored is exactly what SQLAlchemy would store and reads back the same way.
On PostgreSQL the COPY is binary where every column's type and values allow
it (`binary_types`), and text otherwise.

`PendingRows` holds back the rows of the many small files written in one
transaction (a batch of daily reports) so that each table gets one insert
for the batch instead of one per file: on PostgreSQL a `COPY` costs about a
millisecond before its first row, as much as 250 rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Column, Connection, Table, text
from sqlalchemy.engine import Dialect

__all__ = ["BATCH", "PendingRows", "binary_types", "insert_columns", "insert_or_hold"]

BATCH = 20_000


def _converted(column: Column[Any], values: Sequence[Any], dialect: Dialect) -> Sequence[Any]:
    process = column.type.dialect_impl(dialect).bind_processor(dialect)
    if process is None:
        return values
    try:
        mapping = {v: process(v) for v in set(values) if v is not None}
    except TypeError:  # unhashable values: convert one by one
        return [None if v is None else process(v) for v in values]
    mapping[None] = None
    return [mapping[v] for v in values]


def _left_null(column: Column[Any], values: Sequence[Any], n: int) -> bool:
    """Whether the column may be left out of an insert: all None, and NULL by default."""
    return (
        column.default is None
        and column.server_default is None
        and not column.primary_key
        and values.count(None) == n
    )


def insert_columns(
    conn: Connection,
    table: Table,
    columns: Mapping[str, Sequence[Any]],
    *,
    step: Callable[[int], None] | None = None,
) -> int:
    """Insert rows given as equally long columns (name -> values); `step(n)` after each batch."""
    names = list(columns)
    if not names:
        return 0
    n = len(columns[names[0]])
    if n == 0:  # nothing to write: not even a round trip
        return 0
    # A column empty in every row (no unknown columns, no rep names) is left to its default,
    # NULL, rather than sent row by row: a tenth of the parameters of an ERP export.
    names = [c for c in names if not _left_null(table.c[c], columns[c], n)] or names[:1]
    dialect = conn.dialect
    quote = dialect.identifier_preparer.quote
    target = f"{quote(table.name)} ({', '.join(quote(c) for c in names)})"
    if dialect.name == "postgresql":
        values = [columns[c] for c in names]
        _copy(conn, target, values, n, step, binary_types(conn, table.name, names, values))
        return n
    if dialect.paramstyle != "qmark":  # another driver: through SQLAlchemy (slower, always right)
        conn.execute(
            table.insert(),
            [
                dict(zip(names, row, strict=True))
                for row in zip(*(columns[c] for c in names), strict=True)
            ],
        )
        if step:
            step(n)
        return n
    values = [_converted(table.c[c], columns[c], dialect) for c in names]
    sql = f"INSERT INTO {target} VALUES ({', '.join('?' * len(names))})"
    for start in range(0, n, BATCH):
        conn.exec_driver_sql(
            sql, list(zip(*(v[start : start + BATCH] for v in values), strict=True))
        )
        if step:
            step(min(BATCH, n - start))
    return n


# PostgreSQL's binary COPY: values go as they are held (a date as its day number, a float as
# its 8 bytes), neither turned into text here nor parsed back there: for a batch of contact
# rows the writer spends a third of the CPU of the text form on it, and the server a little
# less.  A column goes so when the database holds it as one of these types (asked of the
# database, not taken from the schema in the code) and its values are of the Python types
# that type's binary form takes exactly (no bool for an integer, no number for a text, no
# datetime for a date); otherwise the whole COPY is text, which the server parses as it
# always did.
_BINARY: dict[str, tuple[str, frozenset[type]]] = {
    "integer": ("int4", frozenset({int, type(None)})),
    "bigint": ("int8", frozenset({int, type(None)})),
    "smallint": ("int2", frozenset({int, type(None)})),
    "double precision": ("float8", frozenset({float, int, type(None)})),
    "date": ("date", frozenset({dt.date, type(None)})),
    "text": ("text", frozenset({str, type(None)})),
    "character varying": ("text", frozenset({str, type(None)})),
}
_COLUMN_TYPES = text(
    "SELECT attname, format_type(atttypid, NULL) FROM pg_attribute "
    "WHERE attrelid = to_regclass(:table) AND attnum > 0 AND NOT attisdropped"
)


def binary_types(
    conn: Connection, table: str, names: Sequence[str], values: Sequence[Sequence[Any]]
) -> list[str] | None:
    """The types to send the columns `names` of `table` (holding `values`) as in a binary
    COPY; None when one of them cannot go so (the COPY is then text)."""
    # what the database holds, asked once per connection and table
    held = conn.connection.info.setdefault("salesxl_column_types", {})
    quoted = conn.dialect.identifier_preparer.quote(table)
    if quoted not in held:
        found = conn.execute(_COLUMN_TYPES, {"table": quoted})
        held[quoted] = {name: kind for name, kind in found}
    types = []
    for name, column in zip(names, values, strict=True):
        binary = _BINARY.get(held[quoted].get(name, ""))
        if binary is None or not binary[1].issuperset(map(type, column)):
            return None
        types.append(binary[0])
    return types


def _copy(
    conn: Connection,
    target: str,
    values: Sequence[Sequence[Any]],
    n: int,
    step: Callable[[int], None] | None,
    binary: list[str] | None,
) -> None:
    driver = conn.connection.driver_connection
    assert driver is not None
    sql = f"COPY {target} FROM STDIN" + (" (FORMAT BINARY)" if binary else "")
    with driver.cursor() as cursor, cursor.copy(sql) as copy:
        if binary:
            copy.set_types(binary)
        for start in range(0, n, BATCH):
            for row in zip(*(v[start : start + BATCH] for v in values), strict=True):
                copy.write_row(row)
            if step:
                step(min(BATCH, n - start))


@dataclass(slots=True)
class PendingRows:
    """Rows added for several files, inserted together by `flush` (one insert per table).

    The caller flushes before anything reads the tables back: before it
    recomputes what depends on them, and before a file whose `owner` (a rep)
    already has rows waiting here, since that file's versions and days are
    looked up from the rows of that rep.  Nothing is written that `add`
    did not get, in the order it got it.
    """

    tables: dict[tuple[str, tuple[str, ...]], tuple[Table, dict[str, list[Any]]]] = field(
        default_factory=dict
    )
    owners: set[Hashable] = field(default_factory=set)

    def add(self, table: Table, columns: Mapping[str, Sequence[Any]]) -> int:
        """Hold back rows given as `insert_columns` takes them; returns their number."""
        names = tuple(columns)
        n = len(columns[names[0]]) if names else 0
        if n == 0:
            return 0
        _, held = self.tables.setdefault((table.name, names), (table, {c: [] for c in names}))
        for name in names:
            held[name].extend(columns[name])
        return n

    def add_row(self, table: Table, row: Mapping[str, Any]) -> None:
        """Hold back one row given as a plain insert takes it (column -> value)."""
        self.add(table, {name: [value] for name, value in row.items()})

    def flush(self, conn: Connection) -> None:
        """Insert everything held back, table by table, and start empty.

        Tables referred to go in first (`MetaData.sorted_tables`): after a flush for a
        rep's second file, its log entry is held before the next file's submission, and
        the log's foreign key needs that submission in."""
        held = list(self.tables.values())
        if held:
            order = {t.name: i for i, t in enumerate(held[0][0].metadata.sorted_tables)}
            held.sort(key=lambda entry: order.get(entry[0].name, len(order)))
        for table, columns in held:
            insert_columns(conn, table, columns)
        self.tables.clear()
        self.owners.clear()


def insert_or_hold(
    conn: Connection,
    table: Table,
    columns: Mapping[str, Sequence[Any]],
    pending: PendingRows | None,
    *,
    step: Callable[[int], None] | None = None,
) -> int:
    """`insert_columns` now, or, with `pending`, held back for its batch's one insert."""
    if pending is not None:
        return pending.add(table, columns)
    return insert_columns(conn, table, columns, step=step)
