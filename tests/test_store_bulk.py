"""A real ERP export: 200,000 sales lines in one file, into SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import func, select

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
