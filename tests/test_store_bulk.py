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
