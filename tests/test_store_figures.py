"""The per-report figures the database computes equal the digest Python makes of the rows."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salesxl.consolidate.digest import DailyDigest, digest_daily, digest_from_figures
from salesxl.core.periods import Month
from salesxl.store import import_form, open_store
from salesxl.store.engine import read_transaction
from salesxl.store.figures import ReportFigures, report_figures
from salesxl.store.schema import submissions
from tests import factory, store_fixtures

pg_server = store_fixtures.pg_server
store_url = store_fixtures.store_url

NOV = Month(2026, 11)
NOW = dt.datetime(2026, 12, 5, 9)

# Values as a rep's rows hold them after reading: codes for choices, None for empty; the
# date and the customer are required (a row without them never reaches the store).
DAYS = st.dates(min_value=dt.date(2026, 10, 29), max_value=dt.date(2026, 12, 2))
CUSTOMERS = st.sampled_from(["甲公司", "甲 公司", "甲公司有限公司", "乙贸易", "丙"])
PHONES = st.sampled_from([None, "13800138000", "138 0013 8000", "12345", "13912345678"])
SOURCES = st.sampled_from([None, "phone", "walkin", "visit", "referral", "other"])
GRADES = st.sampled_from([None, "A", "B", "C"])
STAGES = st.sampled_from([None, "0", "1", "2", "3", "4", "5", "6", "7"])
MONEY = st.one_of(st.none(), st.sampled_from([0.0, 0.1, 0.2, 99.5, 300.0, 1234.56]))

ROWS = st.lists(
    st.fixed_dictionaries(
        {
            "date": DAYS,
            "customer": CUSTOMERS,
            "phone": PHONES,
            "source": SOURCES,
            "grade": GRADES,
            "stage": STAGES,
            "amount": MONEY,
            "deposit": MONEY,
        }
    ),
    max_size=25,
)
CLOSES = st.lists(
    st.fixed_dictionaries({"date": DAYS, "forecast": MONEY}),
    max_size=4,
)


def stored_digest(
    db: str, form_id: int, period: Month, as_of: dt.date, *, current: bool = True
) -> DailyDigest:
    with open_store(db, create=False) as engine, read_transaction(engine) as conn:
        figures = report_figures(conn, [form_id], period, as_of, names_for=[form_id])
    return digest_from_figures(figures[form_id], period, as_of, current=current)


def assert_same(stored: DailyDigest, python: DailyDigest) -> None:
    """Counts, days and trails exactly; sums of money to float precision (the database adds
    in its own order)."""
    assert (stored.contacts, stored.visits, stored.deals) == (
        python.contacts,
        python.visits,
        python.deals,
    )
    assert math.isclose(stored.amount, python.amount, abs_tol=1e-6)
    assert math.isclose(stored.deposit, python.deposit, abs_tol=1e-6)
    assert stored.days == python.days
    assert stored.closes == python.closes
    assert sorted(stored.per_day) == sorted(python.per_day)
    for day, activity in python.per_day.items():
        mine = stored.per_day[day]
        assert (mine.contacts, mine.names) == (activity.contacts, activity.names), day
        assert math.isclose(mine.closed, activity.closed, abs_tol=1e-6), day
    assert [dataclasses.astuple(t) for t in stored.trails] == [
        dataclasses.astuple(t) for t in python.trails
    ]


def import_daily(
    db: str,
    rows: list[dict[str, Any]],
    closes: list[dict[str, Any]],
    *,
    rep: str = "S001",
    sheet_rows: list[int] | None = None,
) -> int:
    data = daily_with_rows(rep, rows, closes, sheet_rows)
    result = import_form("reports", data, db=db, now=NOW)
    assert result.status == "imported", result.note
    assert result.submission_id is not None
    return result.submission_id


def daily_with_rows(
    rep: str,
    rows: list[dict[str, Any]],
    closes: list[dict[str, Any]],
    sheet_rows: list[int] | None = None,
) -> Any:
    """A daily report whose contact rows sit on `sheet_rows` (default: from row 10 on)."""
    data = factory.daily(rep, rows, closes=closes)
    if sheet_rows is not None:
        for record, row in zip(data.tables["daily"].records, sheet_rows, strict=False):
            record["_row"] = row
    return data


# Sheet rows in sheet order, spread over every width a sheet's row numbers have (9 before 10,
# 99 before 100, up to Excel's last row): the database orders rows of a day by their number.
SHEET_ROWS = st.lists(st.integers(2, 1_048_576), min_size=25, max_size=25, unique=True).map(sorted)
_reps = itertools.count(1)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,  # one store for every example: each its own rep
    ],
)
@given(
    rows=ROWS,
    closes=CLOSES,
    as_of=st.dates(min_value=dt.date(2026, 11, 1), max_value=dt.date(2026, 12, 3)),
    current=st.booleans(),
    sheet_rows=st.one_of(st.none(), SHEET_ROWS),
)
def test_the_database_digests_a_report_as_python_does(
    store_url, rows, closes, as_of, current, sheet_rows
):
    rep = f"S{next(_reps):05d}"
    sub = import_daily(store_url, rows, closes, rep=rep, sheet_rows=sheet_rows)
    python = digest_daily(
        daily_with_rows(rep, rows, closes, sheet_rows), NOV, as_of, current=current
    )
    assert_same(stored_digest(store_url, sub, NOV, as_of, current=current), python)
    # an earlier month's report is read for its customer trails alone: the same trails
    with open_store(store_url, create=False) as engine, read_transaction(engine) as conn:
        alone = report_figures(conn, [sub], NOV, as_of, trails_only=True)[sub]
        full = report_figures(conn, [sub], NOV, as_of)[sub]
    assert alone.trails == full.trails
    assert (alone.days, alone.per_day, alone.closes) == (set(), {}, [])


def test_a_worked_example_on_both_databases(store_url):
    """Two spellings of one customer, a lost stage, a graded row before an ungraded one, a
    deposit of 0, a row after as-of and one of the month before.
    Worked out by hand: rows of November up to the 20th are rows 10-13 (sheet rows);
      contacts 4, visits 2 (walkin, visit), deals 1 (stage 7, 300.0), deposits 50 + 0 = 50;
      甲公司/13800138000: first 11-02 (walkin), last 11-05 stage 7, grade A (11-02: the
        11-05 row has none), furthest 7, walk-in, first visit 11-02, first deposit 11-05;
      甲 公司 (no phone): first 11-03 (visit), stage 0 (lost: no stage reached), no grade;
      乙贸易: one contact on 11-20, grade C, deposit 0 is no deposit.
    """
    rows = [
        factory.row(2, "甲公司", phone="13800138000", source="walkin", grade="A", stage="3"),
        factory.row(3, "甲 公司", source="visit", stage="0"),
        factory.row(5, "甲公司", phone="13800138000", stage="7", amount=300.0, deposit=50.0),
        factory.row(20, "乙贸易", source="phone", grade="C", stage="1", deposit=0.0),
        factory.row(25, "丙", stage="7", amount=999.0),  # after as-of: per day only
        factory.row(dt.date(2026, 10, 30), "丁", stage="2"),  # October: a day, nothing more
    ]
    sub = import_daily(store_url, rows, [{"date": dt.date(2026, 11, 2), "forecast": 800.0}])
    got = stored_digest(store_url, sub, NOV, dt.date(2026, 11, 20))
    assert (got.contacts, got.visits, got.deals, got.amount, got.deposit) == (4, 2, 1, 300.0, 50.0)
    assert got.per_day[dt.date(2026, 11, 25)].closed == 999.0
    assert dt.date(2026, 10, 30) in got.days and dt.date(2026, 10, 30) not in got.per_day
    first, second, third = got.trails
    assert (first.customer, first.phone, first.first, first.first_source) == (
        "甲公司",
        "13800138000",
        dt.date(2026, 11, 2),
        "walkin",
    )
    assert (first.last, first.last_stage, first.grade, first.grade_date, first.furthest) == (
        dt.date(2026, 11, 5),
        "7",
        "A",
        dt.date(2026, 11, 2),
        "7",
    )
    assert (first.walk_in, first.first_visit, first.first_deposit) == (
        True,
        dt.date(2026, 11, 2),
        dt.date(2026, 11, 5),
    )
    assert (second.customer, second.phone, second.furthest, second.grade) == (
        "甲 公司",
        None,
        None,
        None,
    )
    assert (third.customer, third.grade, third.first_deposit) == ("乙贸易", "C", None)
    python = digest_daily(factory.daily("S001", rows), NOV, dt.date(2026, 11, 20))
    assert [dataclasses.astuple(t) for t in got.trails] == [
        dataclasses.astuple(t) for t in python.trails
    ]


def test_values_holding_the_separator_come_back_whole(store_url):
    """The database takes each first/last/grade place apart itself: a value holding '=' (the
    separator after the place), Chinese text, empty text and NULL each come back as stored.
    Worked out by hand, as of 30 November:
      甲公司: first 11-02 on sheet row 10, source '微信=朋友' (not a code: kept as written);
        last 11-03, stage '不知道=x'; grade '' is no grade; furthest stage reached 3 (the
        unknown stage is none); no walk-in source.
      乙贸易: one contact on 11-04 with source '' (empty text, not NULL) and stage NULL:
        furthest None."""
    rows = [
        factory.row(2, "甲公司", source="微信=朋友", grade="", stage="3"),
        factory.row(3, "甲公司", source="", stage="不知道=x"),
        factory.row(4, "乙贸易", source="", stage=None),
    ]
    sub = import_daily(store_url, rows, [], rep=f"S{next(_reps):05d}")
    as_of = dt.date(2026, 11, 30)
    with open_store(store_url, create=False) as engine, read_transaction(engine) as conn:
        jia, yi = report_figures(conn, [sub], NOV, as_of)[sub].trails
    assert (jia.first, jia.first_row, jia.first_source) == (dt.date(2026, 11, 2), 10, "微信=朋友")
    assert (jia.last, jia.last_stage, jia.grade, jia.grade_date) == (
        dt.date(2026, 11, 3),
        "不知道=x",
        None,
        None,
    )
    assert (jia.furthest, jia.walk_in) == ("3", False)
    assert (yi.first, yi.first_row, yi.first_source, yi.last_stage, yi.furthest) == (
        dt.date(2026, 11, 4),
        12,
        "",
        None,
        None,
    )
    python = digest_daily(factory.daily("S001", rows), NOV, as_of)
    assert [dataclasses.astuple(t) for t in stored_digest(store_url, sub, NOV, as_of).trails] == [
        dataclasses.astuple(t) for t in python.trails
    ]


def test_only_the_reports_asked_for_carry_customer_names(tmp_path):
    db = f"sqlite:///{tmp_path / 'store.db'}"
    sub = import_daily(db, [factory.row(2, "甲公司")], [])
    with open_store(db, create=False) as engine, read_transaction(engine) as conn:
        assert conn.execute(submissions.select()).first() is not None
        without = report_figures(conn, [sub], NOV, dt.date(2026, 11, 30))
        named = report_figures(conn, [sub], NOV, dt.date(2026, 11, 30), names_for=[sub])
    assert without[sub].names == {}
    assert named[sub].names == {dt.date(2026, 11, 2): {"甲公司"}}


@pytest.mark.parametrize("details", [False, True])
def test_consolidation_from_the_store_gives_the_same_summary_either_way(tmp_path, details):
    """The figures path (no --details) and the rows path (--details) give one summary."""
    from salesxl.consolidate.from_store import consolidate_store

    db = f"sqlite:///{tmp_path / 'store.db'}"
    for rep, base in (("S001", 0), ("S002", 1)):
        rows = [
            factory.row(2 + base, "甲公司", phone="13800138000", source="walkin", stage="2"),
            factory.row(9, "乙贸易", stage="7", amount=100.0 + base, deposit=10.0),
            factory.row(27, "丙", stage="3"),
        ]
        data = factory.daily(rep, rows, path=f"inbox/{rep}.xlsx")
        assert import_form("reports", data, db=db, now=NOW).status == "imported"
    as_of = dt.date(2026, 11, 24)
    quick = consolidate_store(db, period=NOV, as_of=as_of)
    full = consolidate_store(db, period=NOV, as_of=as_of, details=details)
    for sheet in quick.sheets:
        if sheet.key != "details":
            assert full.sheet(sheet.key).rows == sheet.rows, sheet.key
    # S001 100.0 + S002 101.0 on the 9th; the 27th is after as-of
    assert quick.headline.amount == 201.0


def test_the_months_before_count_the_same_from_figures_as_from_rows(store_url):
    """October's reports are read for their customer trails alone (figures) or row by row
    (--details): the same summary, and October decides who registered a customer first.
    Worked out by hand, as of 24 November:
      甲公司 (13800138000): S001 on 28 Oct, then S001 2 Nov and S002 3 Nov -> S001's, from October;
      乙贸易 (no phone): S002 on 30 Oct, then both on 9 Nov -> S002's, from October;
      丙: both on 27 Nov, after as-of -> not yet a customer.
    So neither rep has a new customer in November (without October, S001 would have two:
    甲公司 on 2 Nov and 乙贸易 on 9 Nov, a tie on the day going to the lower rep ID)."""
    from salesxl.consolidate.from_store import consolidate_store

    october = Month(2026, 10)
    firsts = {
        "S001": factory.row(dt.date(2026, 10, 28), "甲公司", phone="13800138000", stage="2"),
        "S002": factory.row(dt.date(2026, 10, 30), "乙贸易", source="walkin", stage="3"),
    }
    for rep, base in (("S001", 0), ("S002", 1)):
        before = factory.daily(rep, [firsts[rep]], month=october, path=f"inbox/{rep}_10.xlsx")
        assert import_form("reports", before, db=store_url, now=NOW).status == "imported"
        rows = [
            factory.row(2 + base, "甲公司", phone="13800138000", source="walkin", stage="2"),
            factory.row(9, "乙贸易", stage="7", amount=100.0 + base, deposit=10.0),
            factory.row(27, "丙", stage="3"),
        ]
        data = factory.daily(rep, rows, path=f"inbox/{rep}_11.xlsx")
        assert import_form("reports", data, db=store_url, now=NOW).status == "imported"
    as_of = dt.date(2026, 11, 24)
    quick = consolidate_store(store_url, period=NOV, as_of=as_of)
    full = consolidate_store(store_url, period=NOV, as_of=as_of, details=True)
    for sheet in quick.sheets:
        if sheet.key != "details":
            assert full.sheet(sheet.key).rows == sheet.rows, sheet.key
    assert {rep: t.new_customers for rep, t in quick.results.reps.items()} == {
        "S001": 0,
        "S002": 0,
    }


def test_a_deposit_beyond_reason_in_an_earlier_month_is_no_deposit(store_url):
    """An old store can hold a deposit of 9e307 (an import refuses one now).  An earlier
    month's report, read for its customer trails alone, leaves it out in the database, as
    reading the report row by row leaves it out: 甲公司's deposit of 10 October (made 9e307)
    is none; 乙贸易's of 12 October stands."""
    from sqlalchemy import create_engine, update

    from salesxl.store import load_history, load_period
    from salesxl.store.schema import activities

    october = Month(2026, 10)
    rows = [
        factory.row(dt.date(2026, 10, 10), "甲公司", stage="6", deposit=50.0),
        factory.row(dt.date(2026, 10, 12), "乙贸易", stage="6", deposit=20.0),
    ]
    data = factory.daily("S001", rows, month=october, path="inbox/S001_10.xlsx")
    assert import_form("reports", data, db=store_url, now=NOW).status == "imported"
    engine = create_engine(store_url)
    with engine.begin() as conn:  # what a store filled before the check could hold
        conn.execute(update(activities).where(activities.c.deposit == 50).values(deposit=9e307))
    engine.dispose()
    as_of = dt.date(2026, 11, 24)
    (figures,) = load_history(store_url, NOV, as_of=as_of)
    assert isinstance(figures.digest, ReportFigures)  # not read row by row
    trails = digest_from_figures(figures.digest, october, as_of, current=False).trails
    assert {t.customer: t.first_deposit for t in trails} == {
        "甲公司": None,
        "乙贸易": dt.date(2026, 10, 12),
    }
    (by_rows,) = load_period(store_url, NOV, as_of=as_of, rows=True).history
    assert digest_daily(by_rows, october, as_of, current=False).trails == trails


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [("activities", "price", 9e307), ("day_closes", "sales", -9e307), ("activities", "qty", 1e13)],
)
def test_a_report_holding_a_number_beyond_reason_is_read_row_by_row(
    store_url, table, column, value
):
    """An old store can hold a number no form may (an import refuses one now), in any
    numeric column of a contact or a 日清 close.  Its month reads that report row by row,
    where the number is left out with an error; the other report is summed by the database.
    By hand: S002's two deals (stage 7, 成交) come to 1,000 + 500."""
    from sqlalchemy import create_engine, update

    from salesxl.store import load_period
    from salesxl.store.schema import activities, day_closes

    closes = [{"date": dt.date(2026, 11, 3), "sales": 100.0, "forecast": 200.0}]
    for rep, amounts in (("S001", (3000.0,)), ("S002", (1000.0, 500.0))):
        rows = [
            factory.row(2 + i, f"客户{i}", stage="7", qty=2.0, price=a / 2, amount=a)
            for i, a in enumerate(amounts)
        ]
        data = factory.daily(rep, rows, closes=closes, path=f"inbox/{rep}.xlsx")
        assert import_form("reports", data, db=store_url, now=NOW).status == "imported"
    stored = {"activities": activities, "day_closes": day_closes}[table]
    engine = create_engine(store_url)
    with engine.begin() as conn:  # what a store filled before the check could hold
        s001 = conn.execute(submissions.select().where(submissions.c.rep_id == "S001")).one()
        conn.execute(
            update(stored).where(stored.c.submission_id == s001.id).values({column: value})
        )
    engine.dispose()
    loaded = load_period(store_url, NOV, as_of=dt.date(2026, 11, 24), rows=False)
    forms = {f.rep_id: f for f in loaded.forms}
    assert not isinstance(forms["S001"].digest, ReportFigures)  # its rows were read
    key = "daily" if stored is activities else "day_close"
    assert [r[column] for r in forms["S001"].records(key)] == [None]
    assert [i.code.value for i in forms["S001"].issues if i.is_error] == ["out_of_range"]
    assert isinstance(forms["S002"].digest, ReportFigures)
    assert sum(d.amount for d in forms["S002"].digest.per_day.values()) == 1500.0
    assert forms["S002"].issues == []
