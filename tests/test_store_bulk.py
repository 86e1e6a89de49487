"""A real ERP export: 200,000 sales lines in one file, into SQLite and PostgreSQL; and rows
sent to PostgreSQL by a binary COPY, or as text when a value does not fit its column's binary
form."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Connection, create_engine, func, select

from salesxl.core.periods import Month
from salesxl.store import import_files, sales_history
from salesxl.store.schema import sales_records
from tests import store_fixtures
from tests.store_fixtures import (
    generated_sales,
    query,
    sales_csv,
)

# Every test taking `store_url` runs on SQLite and on a PostgreSQL server started for the session.
pg_server = store_fixtures.pg_server
pg_url = store_fixtures.pg_url
store_url = store_fixtures.store_url

N = 200_000


def test_an_export_of_200000_sales_lines(store_url, tmp_path):
    rows = generated_sales(N)
    path = sales_csv(tmp_path / "erp_export.csv", rows, encoding="gbk")
    steps: list[int] = []

    def progress(total, label):
        from contextlib import contextmanager

        @contextmanager
        def bar():
            steps.append(-total)
            yield steps.append

        return bar()

    (got,) = import_files(
        "sales", [path], db=store_url, now=dt.datetime(2026, 1, 10), progress=progress
    ).files
    assert (got.status, got.rows, got.skipped_rows) == ("imported", N, 0)
    assert -N in steps and sum(s for s in steps if s > 0) >= N  # the rows bar went to the end
    assert query(store_url, select(func.count()).select_from(sales_records))[0][0] == N

    expected: dict[tuple[str, str, Month], float] = defaultdict(float)
    for day, rep_id, _, product, *_, amount in rows:
        expected[(rep_id, product, Month.of(dt.date.fromisoformat(day)))] += amount
    history = sales_history(store_url)
    assert len(history) == len(expected)
    for rep_id, product, month, amount in history:
        assert abs(amount - expected[(rep_id, product, month)]) < 1e-6


def test_a_column_empty_in_every_row_is_stored_as_null_unless_it_has_a_default(tmp_path):
    """Empty columns are left out of the insert (fewer parameters per row): only where that
    stores the same NULL; a column with a default still gets the NULLs it was given."""
    from sqlalchemy import Column, Integer, MetaData, Table, Text, create_engine, event, text

    from salesxl.store.bulk import insert_columns

    table = Table(
        "t",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("name", Text),
        Column("empty", Text),
        Column("defaulted", Text, server_default="x"),
    )
    engine = create_engine(f"sqlite:///{tmp_path / 't.db'}")
    sent: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: sent.append(args[2]))
    with engine.begin() as conn:
        table.create(conn)
        n = insert_columns(
            conn,
            table,
            {"name": ["a", "b"], "empty": [None, None], "defaulted": [None, None]},
        )
        assert n == 2
        rows = conn.execute(text("SELECT name, empty, defaulted FROM t ORDER BY id")).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [("a", None, None), ("b", None, None)]
    (insert,) = [sql for sql in sent if sql.startswith("INSERT")]
    assert insert == "INSERT INTO t (name, defaulted) VALUES (?, ?)"  # `empty` left out


@contextmanager
def _transaction(url: str) -> Iterator[Connection]:
    """A connection to `url` in a transaction (committed at the end), its engine disposed."""
    from salesxl.store.engine import resolve_url

    engine = create_engine(resolve_url(url))
    try:
        with engine.begin() as conn:
            yield conn
    finally:
        engine.dispose()


def _typed_table():
    from sqlalchemy import Column, Date, Float, Integer, MetaData, String, Table, Text

    return Table(
        "typed",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("n", Integer),
        Column("code", String(8)),
        Column("note", Text),
        Column("day", Date),
        Column("amount", Float),
    )


@pytest.mark.postgres
def test_which_columns_go_to_postgresql_in_binary(pg_url):
    """By the type the database holds and the Python types of the values: each binary form
    takes only its own (no bool for an integer, no number for a text, no datetime for a
    date); one column that cannot go so makes the whole COPY text."""
    from salesxl.store.bulk import binary_types

    table = _typed_table()
    names = ["n", "code", "note", "day", "amount"]
    good = [[1, None], ["A1", None], ["x", ""], [dt.date(2025, 1, 2), None], [1.5, 2]]
    with _transaction(pg_url) as conn:
        table.create(conn)
        assert binary_types(conn, "typed", names, good) == [
            "int4",
            "text",
            "text",
            "date",
            "float8",
        ]
        for column, odd in [
            (0, True),  # a bool in an integer column
            (0, 1.0),
            (1, 7),  # a number in a text column
            (3, dt.datetime(2025, 1, 2, 9)),
            (3, "2025-01-02"),
            (4, "1.5"),
        ]:
            values = [list(v) for v in good]
            values[column][0] = odd
            assert binary_types(conn, "typed", names, values) is None, odd
        assert binary_types(conn, "typed", ["id"], [[1]]) == ["int4"]


def _copies(monkeypatch) -> list[bool]:
    """Records, for each COPY `insert_columns` starts, whether it was binary."""
    from salesxl.store import bulk

    started: list[bool] = []
    real = bulk._copy

    def spy(conn, target, values, n, step, binary):
        started.append(binary is not None)
        return real(conn, target, values, n, step, binary)

    monkeypatch.setattr(bulk, "_copy", spy)
    return started


@pytest.mark.postgres
def test_rows_reach_postgresql_in_binary_as_they_were_given(pg_url, monkeypatch):
    from salesxl.store.bulk import BATCH, insert_columns

    table = _typed_table()
    n = BATCH + 3  # more than one batch of the progress bar
    day = dt.date(2025, 12, 31)
    columns = {
        "n": [i if i % 7 else None for i in range(n)],
        "code": ["A1", "", None, "中文"] * (n // 4) + ["x"] * (n % 4),
        "note": ["tab\there", "new\nline", "back\\slash", None] * (n // 4) + [""] * (n % 4),
        "day": [day - dt.timedelta(days=i % 400) for i in range(n)],
        "amount": [0.1 * i if i % 3 else i for i in range(n)],  # an int in a float column too
    }
    started = _copies(monkeypatch)
    steps: list[int] = []
    with _transaction(pg_url) as conn:
        table.create(conn)
        assert insert_columns(conn, table, columns, step=steps.append) == n
        got = conn.execute(select(table).order_by(table.c.id)).all()
    assert started == [True]
    assert sum(steps) == n
    names = ["n", "code", "note", "day", "amount"]
    assert [tuple(r)[1:] for r in got] == list(zip(*(columns[c] for c in names), strict=True))
    assert got[3].amount == 3.0 and isinstance(got[3].amount, float)


@pytest.mark.postgres
def test_a_value_the_binary_form_cannot_carry_sends_the_copy_as_text(pg_url, monkeypatch):
    """A number in a text column (an odd export), a text in a date column: the COPY goes as
    text and stores them as it always did."""
    from salesxl.store.bulk import insert_columns

    table = _typed_table()
    started = _copies(monkeypatch)
    with _transaction(pg_url) as conn:
        table.create(conn)
        insert_columns(conn, table, {"note": ["first"]})
        insert_columns(
            conn,
            table,
            {"note": ["a", 3, None], "day": ["2025-01-02", None, dt.date(2025, 1, 3)]},
        )
        got = conn.execute(select(table.c.note, table.c.day).order_by(table.c.id)).all()
    assert started == [True, False]
    assert [tuple(r) for r in got] == [
        ("first", None),
        ("a", dt.date(2025, 1, 2)),
        ("3", None),
        (None, dt.date(2025, 1, 3)),
    ]
