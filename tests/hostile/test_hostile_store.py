"""The store: an empty roster is refused, an older version comes back when imported again, and
amounts beyond reason stored before salesxl checked them are never summed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import create_engine, update

from salesxl.consolidate.from_store import consolidate_store
from salesxl.consolidate.workbook import write_summary
from salesxl.core.issues import Code
from salesxl.core.periods import Month
from salesxl.store import import_files, sales_history
from salesxl.store.schema import activities, sales_records
from salesxl.store.snapshot import load_period
from tests import store_fixtures
from tests.hostile.build import SHEET, _sub, report, rezip
from tests.store_fixtures import rep, roster_file, sale, sales_csv

# Every test taking `store_url` runs on SQLite and on a PostgreSQL server started for the session.
pg_server = store_fixtures.pg_server
store_url = store_fixtures.store_url

NOV = Month(2026, 11)
T0 = dt.datetime(2026, 11, 24, 9, 0)
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def _roster_ids(url: str) -> list[str]:
    roster = load_period(url, NOV).roster
    return sorted(roster.reps) if roster is not None else []


def test_the_blank_roster_template_is_refused_and_the_roster_stays(store_url, tmp_path):
    real = roster_file(tmp_path / "roster.xlsx", [rep("S001"), rep("S002")])
    import_files("roster", [real], db=store_url, now=T0)
    (blank,) = import_files("roster", [TEMPLATES / "roster.xlsx"], db=store_url, now=T0).files
    assert blank.status == "blocked"
    assert [i.code for i in blank.issues if i.is_error] == [Code.REQUIRED]
    assert "lists no reps" in blank.issues[0].message_en
    assert _roster_ids(store_url) == ["S001", "S002"]


def test_importing_an_earlier_version_again_makes_it_current(store_url, tmp_path):
    first = roster_file(tmp_path / "r1.xlsx", [rep("S001"), rep("S002")])
    second = roster_file(tmp_path / "r2.xlsx", [rep("S001")])  # S002 left out by mistake
    import_files("roster", [first], db=store_url, now=T0)
    import_files("roster", [second], db=store_url, now=T0)
    assert _roster_ids(store_url) == ["S001"]
    (again,) = import_files("roster", [first], db=store_url, now=T0).files
    assert (again.status, again.version) == ("replaced", 1)
    assert "current version again" in again.note
    assert _roster_ids(store_url) == ["S001", "S002"]
    # and the same file once more changes nothing
    (same,) = import_files("roster", [first], db=store_url, now=T0).files
    assert same.status == "unchanged"


def test_a_report_imported_again_after_its_resubmission_is_current_again(store_url, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    old = report(tmp_path / "a" / "S001.xlsx", "S001", "张伟", (3000.0,))
    new = report(tmp_path / "b" / "S001.xlsx", "S001", "张伟", (3000.0, 4500.0))
    import_files("reports", [old], db=store_url, now=T0)
    import_files("reports", [new], db=store_url, now=T0)
    (again,) = import_files("reports", [old], db=store_url, now=T0).files
    assert again.status == "replaced"
    (data,) = [d for d in load_period(store_url, NOV).forms if d.rep_id == "S001"]
    assert [r["amount"] for r in data.records("daily")] == [3000.0]


def test_amounts_beyond_reason_in_an_old_store_are_left_out_not_summed(store_url, tmp_path):
    path = report(tmp_path / "S001.xlsx", "S001", "张伟", (3000.0, 4500.0, 1200.0))
    import_files("reports", [path], db=store_url, now=T0)
    engine = create_engine(store_url)
    with engine.begin() as conn:  # what a store filled before the check could hold
        conn.execute(update(activities).where(activities.c.amount > 4000).values(amount=9e307))
        conn.execute(update(activities).where(activities.c.amount == 1200).values(amount=9e307))
    engine.dispose()
    summary = consolidate_store(store_url, period=NOV, as_of=dt.date(2026, 11, 24))
    by_rep = summary.sheet("by_rep")
    (row,) = by_rep.rows
    assert row[by_rep.column("amount")] == 3000  # by hand: the one sane deal
    found = [i for i in summary.issues if i.code is Code.OUT_OF_RANGE]
    assert len(found) == 2 and "beyond the largest figure" in found[0].message_en
    write_summary(summary, tmp_path / "summary.xlsx")  # finite numbers only: it writes


def test_sales_history_never_sums_past_reason(store_url, tmp_path):
    path = sales_csv(
        tmp_path / "erp.csv",
        [
            sale(dt.date(2026, 10, 5), "S001", "甲公司", "阿莫西林", 10, 2.5),
            sale(dt.date(2026, 10, 9), "S001", "乙公司", "阿莫西林", 4, 2.5),
        ],
    )
    import_files("sales", [path], db=store_url, now=T0)
    engine = create_engine(store_url)
    with engine.begin() as conn:
        conn.execute(update(sales_records).where(sales_records.c.qty == 4).values(amount=9e307))
    engine.dispose()
    # by hand: 10 × 2.5 = 25 stays; the row of 9e307 is left out
    assert [(r, m, a) for r, _, m, a in sales_history(store_url)] == [
        ("S001", Month(2026, 10), 25.0)
    ]


@pytest.mark.parametrize("value", ["9e307", "1e13"])
def test_an_amount_beyond_reason_blocks_the_import(store_url, tmp_path, value):
    path = report(tmp_path / "S001.xlsx", "S001", "张伟", (3000.0,))
    rezip(
        path, {SHEET: _sub(rb'(<c r="K6"[^>]*>)<v>[^<]*</v>', rb"\1<v>" + value.encode() + b"</v>")}
    )
    (got,) = import_files("reports", [path], db=store_url, now=T0).files
    assert got.status == "blocked"
    assert [i.cell for i in got.issues if i.code is Code.OUT_OF_RANGE] == ["K6"]
