"""What the store remembers for the history-aware rules (README.md "For managers").

- daily records are due 09:00 on the next workday: the store keeps when each
  report day first reached it, across resubmissions of the month's file;
- the 7-day follow-up rules and attribution look back across months;
- the roster's hire and leave dates decide who is expected to report.
The rules themselves belong to consolidation; these tests check the data the
store hands it.  Every test runs against SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
from sqlalchemy import select

from salesxl.core.calendar import Workdays
from salesxl.core.periods import Month, Week
from salesxl.store import import_files, load_period, read_customers
from salesxl.store.schema import report_days, submissions
from tests import store_fixtures
from tests.make_files import set_core_times
from tests.store_fixtures import (
    NOV,
    contact,
    daily_file,
    query,
    rep,
    roster_file,
    weekly_file,
)

# Every test taking `store_url` runs on SQLite and on a PostgreSQL server started for the session.
pg_server = store_fixtures.pg_server
store_url = store_fixtures.store_url

OCT = Month(2026, 10)
SEP = Month(2026, 9)


def deadline(day: dt.date) -> dt.datetime:
    """09:00 on the next workday (README.md "For reps": due 09:00 the next workday)."""
    return dt.datetime.combine(Workdays().next_workday(day), dt.time(9, 0))


def test_a_day_keeps_the_time_it_first_arrived_across_resubmissions(store_url, tmp_path):
    friday, monday = dt.date(2026, 11, 6), dt.date(2026, 11, 9)
    assert deadline(friday) == dt.datetime(2026, 11, 9, 9, 0)  # over the weekend
    v1 = daily_file(tmp_path / "a", "S001", [contact(friday, "甲公司")])
    import_files("reports", [v1], db=store_url, now=dt.datetime(2026, 11, 9, 8, 59))
    v2 = daily_file(
        tmp_path / "b",
        "S001",
        [contact(friday, "甲公司"), contact(friday, "乙公司"), contact(monday, "丙公司")],
    )
    (got,) = import_files("reports", [v2], db=store_url, now=dt.datetime(2026, 11, 9, 10, 0)).files
    assert got.status == "replaced"
    # The same file again on Tuesday changes nothing.
    import_files("reports", [v2], db=store_url, now=dt.datetime(2026, 11, 10, 12, 0))

    inputs = load_period(store_url, NOV)
    seen = inputs.day_first_seen
    assert seen == {
        ("S001", friday): dt.datetime(2026, 11, 9, 8, 59),
        ("S001", monday): dt.datetime(2026, 11, 9, 10, 0),
    }
    assert seen[("S001", friday)] <= deadline(friday)  # on time, though the file came again later
    assert seen[("S001", monday)] <= deadline(monday)
    (form,) = inputs.forms
    assert inputs.first_seen == {form.path: dt.datetime(2026, 11, 9, 8, 59)}


@pytest.mark.parametrize(
    ("arrived", "on_time"),
    [
        (dt.datetime(2026, 10, 10, 8, 59), True),
        (dt.datetime(2026, 10, 10, 9, 0), True),
        (dt.datetime(2026, 10, 10, 9, 1), False),
        (dt.datetime(2026, 10, 12, 8, 0), False),  # Monday is too late: Saturday was a workday
    ],
)
def test_a_make_up_saturday_is_the_next_workday(store_url, tmp_path, arrived, on_time):
    friday = dt.date(2026, 10, 9)
    assert deadline(friday) == dt.datetime(2026, 10, 10, 9, 0)  # 调休: Saturday Oct 10 is a workday
    path = daily_file(tmp_path, "S001", [contact(friday, "甲公司")], month=OCT)
    import_files("reports", [path], db=store_url, now=arrived)
    seen = load_period(store_url, OCT).day_first_seen[("S001", friday)]
    assert seen == arrived
    assert (seen <= deadline(friday)) is on_time


def test_a_day_added_in_a_later_version_is_judged_by_that_version(store_url, tmp_path):
    monday, tuesday = dt.date(2026, 11, 16), dt.date(2026, 11, 17)
    v1 = daily_file(tmp_path / "a", "S001", [contact(monday, "甲公司")])
    import_files("reports", [v1], db=store_url, now=dt.datetime(2026, 11, 17, 8, 0))
    v2 = daily_file(
        tmp_path / "b",
        "S001",
        [contact(monday, "甲公司"), contact(monday, "乙公司"), contact(tuesday, "丙公司")],
    )
    import_files("reports", [v2], db=store_url, now=dt.datetime(2026, 11, 18, 12, 0))
    seen = load_period(store_url, NOV).day_first_seen
    assert seen[("S001", monday)] == dt.datetime(2026, 11, 17, 8, 0)  # on time
    assert seen[("S001", tuesday)] == dt.datetime(2026, 11, 18, 12, 0)
    assert seen[("S001", tuesday)] > deadline(tuesday)  # late


def test_a_day_close_row_alone_counts_as_the_day_reported(store_url, tmp_path):
    day = dt.date(2026, 11, 18)
    path = daily_file(
        tmp_path,
        "S001",
        [contact(17, "甲公司")],
        closes=[{"date": day, "forecast": 0.0, "analysis": "无拜访，整理资料"}],
    )
    import_files("reports", [path], db=store_url, now=dt.datetime(2026, 11, 19, 8, 0))
    assert ("S001", day) in load_period(store_url, NOV).day_first_seen


def test_a_blocked_file_has_not_arrived(store_url, tmp_path):
    day = dt.date(2026, 11, 18)
    bad = daily_file(
        tmp_path / "a", "S001", [contact(day, "甲", stage="7", qty=1, price=2.0, amount=3.0)]
    )
    assert (
        import_files("reports", [bad], db=store_url, now=dt.datetime(2026, 11, 19, 8, 0))
        .files[0]
        .status
        == "blocked"
    )
    fixed = daily_file(
        tmp_path / "b", "S001", [contact(day, "甲", stage="7", qty=1, price=2.0, amount=2.0)]
    )
    import_files("reports", [fixed], db=store_url, now=dt.datetime(2026, 11, 19, 10, 0))
    inputs = load_period(store_url, NOV)
    assert inputs.day_first_seen[("S001", day)] == dt.datetime(2026, 11, 19, 10, 0)
    assert list(inputs.first_seen.values()) == [dt.datetime(2026, 11, 19, 10, 0)]


def test_an_empty_file_does_not_start_the_clock(store_url, tmp_path):
    empty = daily_file(tmp_path / "a", "S001", [])
    (first,) = import_files(
        "reports", [empty], db=store_url, now=dt.datetime(2026, 11, 2, 8, 0)
    ).files
    assert (first.status, first.rows) == ("imported", 0)
    full = daily_file(tmp_path / "b", "S001", [contact(3, "甲公司")])
    import_files("reports", [full], db=store_url, now=dt.datetime(2026, 11, 4, 10, 0))
    assert list(load_period(store_url, NOV).first_seen.values()) == [
        dt.datetime(2026, 11, 4, 10, 0)
    ]
    # Once a version had content, its time is kept by every later version.
    more = daily_file(tmp_path / "c", "S001", [contact(3, "甲公司"), contact(5, "乙公司")])
    import_files("reports", [more], db=store_url, now=dt.datetime(2026, 11, 6, 10, 0))
    current = query(store_url, select(submissions).where(submissions.c.status == "current"))
    assert [(s.version, s.first_seen) for s in current] == [(3, dt.datetime(2026, 11, 4, 10, 0))]


def test_history_is_the_current_daily_reports_of_the_two_months_before(store_url, tmp_path):
    for month in (Month(2026, 8), SEP, OCT, NOV):
        path = daily_file(
            tmp_path / str(month), "S001", [contact(3, f"客户{month}", month=month)], month=month
        )
        import_files("reports", [path], db=store_url, now=dt.datetime(2026, 11, 20))
    newer = daily_file(
        tmp_path / "oct2",
        "S001",
        [contact(3, "客户2026-10", month=OCT), contact(9, "新客户", month=OCT)],
        month=OCT,
    )
    import_files("reports", [newer], db=store_url, now=dt.datetime(2026, 11, 20))
    inputs = load_period(store_url, NOV)
    assert [(str(h.period), len(h.records("daily"))) for h in inputs.history] == [
        ("2026-09", 1),
        ("2026-10", 2),
    ]
    assert [str(f.period) for f in inputs.forms] == ["2026-11"]


def test_attribution_across_months(store_url, tmp_path):
    phone = "13912345678"
    sep = daily_file(
        tmp_path / "sep",
        "S001",
        [
            contact(
                8,
                "甲公司",
                month=SEP,
                phone=phone,
                source="walkin",
                grade="A",
                stage="3",
                next_followup=dt.date(2026, 9, 12),
            )
        ],
        month=SEP,
    )
    import_files("reports", [sep], db=store_url, now=dt.datetime(2026, 9, 9, 8, 0))
    nov = daily_file(
        tmp_path / "nov",
        "S002",
        [
            contact(
                10,
                "甲公司(新)",
                phone="139-1234-5678",
                source="phone",
                grade="A",
                stage="7",
                qty=1,
                price=5000.0,
                amount=5000.0,
                deposit=1000.0,
            )
        ],
    )
    import_files("reports", [nov], db=store_url, now=dt.datetime(2026, 11, 11, 8, 0))

    (customer,) = read_customers(store_url)
    assert customer.key == f"tel:{phone}"
    assert (customer.owner_rep, customer.first_date, customer.name) == (
        "S001",
        dt.date(2026, 9, 8),
        "甲公司",
    )  # first registration wins the customer
    assert (customer.reps, customer.deal_rep, customer.deposit_date) == (
        2,
        "S002",
        dt.date(2026, 11, 10),
    )  # first deposit wins the deal
    inputs = load_period(store_url, NOV)
    assert [h.rep_id for h in inputs.history] == ["S001"]  # consolidation sees September too

    # S001 resubmits September without the customer: the registration goes with it.
    sep2 = daily_file(tmp_path / "sep2", "S001", [contact(8, "乙公司", month=SEP)], month=SEP)
    import_files("reports", [sep2], db=store_url, now=dt.datetime(2026, 11, 12, 8, 0))
    owners = {c.key: (c.owner_rep, c.reps) for c in read_customers(store_url)}
    assert owners == {f"tel:{phone}": ("S002", 1), "name:乙公司": ("S001", 1)}


def test_on_the_same_day_the_report_that_arrived_first_registers_the_customer(store_url, tmp_path):
    day = dt.date(2026, 11, 10)
    late = daily_file(tmp_path / "a", "S001", [contact(day, "甲公司")])
    early = daily_file(tmp_path / "b", "S002", [contact(day, "甲 公司")])
    import_files("reports", [early], db=store_url, now=dt.datetime(2026, 11, 10, 18, 0))
    import_files("reports", [late], db=store_url, now=dt.datetime(2026, 11, 11, 8, 0))
    (customer,) = read_customers(store_url)
    assert (customer.key, customer.owner_rep, customer.reps) == ("name:甲公司", "S002", 2)


def test_hire_and_leave_dates_decide_who_is_expected_to_report(store_url, tmp_path):
    roster = roster_file(
        tmp_path / "roster.xlsx",
        [
            rep("S001", hire_date=dt.date(2025, 3, 1)),
            rep(
                "S002",
                hire_date=dt.date(2024, 1, 1),
                leave_date=dt.date(2026, 11, 13),
                status="left",
            ),
            rep("S003", hire_date=dt.date(2026, 11, 16)),
        ],
    )
    import_files("roster", [roster], db=store_url, now=dt.datetime(2026, 11, 1))
    found = load_period(store_url, NOV).roster
    assert found is not None

    def expected(day):
        return sorted(r.rep_id for r in found.reps.values() if r.active_on(day))

    assert expected(dt.date(2026, 11, 13)) == ["S001", "S002"]
    assert expected(dt.date(2026, 11, 16)) == ["S001", "S003"]


def test_a_backfill_takes_the_file_time_and_marks_it_estimated(store_url, tmp_path):
    """An inbox from before the store: each file's time dates its newest day; earlier days
    count as arrived by their deadline unless the file was saved before that."""
    days = [dt.date(2026, 11, d) for d in (2, 3, 4)]
    path = daily_file(tmp_path / "a", "S001", [contact(d, "甲公司") for d in days])
    saved = dt.datetime(2026, 11, 5, 10, 30)  # after Nov 4's deadline (Nov 5 09:00): late
    os.utime(path, (saved.timestamp(), saved.timestamp()))
    weekly = weekly_file(
        tmp_path / "a", "S001", Week(2026, 45), [{"date": days[0], "customer": "甲"}]
    )
    plan_saved = dt.datetime(2026, 11, 2, 8, 0)
    os.utime(weekly, (plan_saved.timestamp(), plan_saved.timestamp()))
    result = import_files(
        "reports",
        [tmp_path / "a"],
        db=store_url,
        backfill=True,
        now=dt.datetime(2026, 11, 20, 12, 0),
    )
    assert result.count("imported") == 2

    inputs = load_period(store_url, NOV)
    assert inputs.day_first_seen == {
        ("S001", days[0]): deadline(days[0]),
        ("S001", days[1]): deadline(days[1]),
        ("S001", days[2]): saved,
    }
    assert sorted(inputs.first_seen.values()) == [plan_saved, saved]
    rows = query(store_url, select(report_days.c.estimated))
    assert [r.estimated for r in rows] == [True, True, True]
    assert {s.received for s in query(store_url, select(submissions))} == {"file_time"}

    # Later the rep resubmits as usual: new days are timed by the store, old ones keep theirs.
    again = daily_file(
        tmp_path / "b", "S001", [contact(d, "甲公司") for d in [*days, dt.date(2026, 11, 20)]]
    )
    import_files("reports", [again], db=store_url, now=dt.datetime(2026, 11, 21, 8, 0))
    seen = load_period(store_url, NOV).day_first_seen
    assert seen[("S001", dt.date(2026, 11, 20))] == dt.datetime(2026, 11, 21, 8, 0)
    assert seen[("S001", days[2])] == saved
    current = query(
        store_url,
        select(submissions).where(
            submissions.c.status == "current", submissions.c.form_id == "daily_report"
        ),
    )
    assert [(s.received, s.first_seen) for s in current] == [("store", saved)]


def test_a_backfilled_file_saved_before_its_deadlines_is_on_time(store_url, tmp_path):
    days = [dt.date(2026, 11, d) for d in (2, 3)]
    path = daily_file(tmp_path, "S001", [contact(d, "甲公司") for d in days])
    saved = dt.datetime(2026, 11, 3, 8, 0)  # before Nov 2's deadline (Nov 3 09:00)
    os.utime(path, (saved.timestamp(), saved.timestamp()))
    import_files("reports", [path], db=store_url, backfill=True, now=dt.datetime(2026, 11, 20))
    seen = load_period(store_url, NOV).day_first_seen
    assert seen == {("S001", days[0]): saved, ("S001", days[1]): saved}
    assert all(when <= deadline(day) for (_, day), when in seen.items())


def test_a_backfill_takes_the_save_recorded_inside_a_copied_file(store_url, tmp_path):
    """Files e-mailed in and saved to the inbox later: Excel's own save time dates them."""
    path = daily_file(tmp_path, "S001", [contact(2, "甲公司"), contact(4, "乙公司")])
    saved = dt.datetime(2026, 11, 5, 8, 30)  # before Nov 4's deadline (Nov 5 09:00)
    set_core_times(path, saved)
    copied = dt.datetime(2026, 11, 9, 10, 0).timestamp()
    os.utime(path, (copied, copied))
    import_files("reports", [path], db=store_url, backfill=True, now=dt.datetime(2026, 11, 20))
    seen = load_period(store_url, NOV).day_first_seen
    assert seen[("S001", dt.date(2026, 11, 4))] == saved
    assert all(when <= deadline(day) for (_, day), when in seen.items())
