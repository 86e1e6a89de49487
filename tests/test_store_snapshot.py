"""Reading the store back gives what reading the folder gives (README.md "The store")."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from salesxl.core.issues import Code
from salesxl.core.periods import Month, Week
from salesxl.intake.files import load_form
from salesxl.intake.roster import read_roster
from salesxl.store import (
    StoreError,
    import_files,
    import_form,
    load_period,
    submission_versions,
)
from salesxl.validate import FormData, ValidationContext
from tests import store_fixtures
from tests.store_fixtures import (
    NOV,
    contact,
    daily_file,
    import_future_dates,
    monthly_file,
    rep,
    roster_file,
    targets_form,
    weekly_file,
)

# Every test taking `store_url` runs on SQLite and on a PostgreSQL server started for the session.
pg_server = store_fixtures.pg_server
store_url = store_fixtures.store_url

TODAY = dt.date(2026, 11, 20)


def _add_extra_column(path: Path, sheet: str, label: str, values: dict[int, str]) -> None:
    """What reps do: a column of their own beside the form's (kept as `_extra`)."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    header = next(r for r in range(1, 30) if str(ws.cell(r, 1).value or "").startswith("日期"))
    col = ws.max_column + 1
    ws.cell(header, col, label)
    for row, value in values.items():
        ws.cell(row, col, value)
    wb.save(path)


def _same(stored: FormData, read: FormData) -> None:
    assert (stored.path, stored.form_id, stored.header, stored.mtime) == (
        read.path,
        read.form_id,
        read.header,
        read.mtime,
    )
    assert stored.tables.keys() == read.tables.keys()
    for key, table in read.tables.items():
        got = stored.tables[key]
        assert (got.key, got.sheet, got.columns, got.extras) == (
            table.key,
            table.sheet,
            table.columns,
            table.extras,
        )
        assert got.records == table.records
    assert [i.to_dict() for i in stored.issues] == [i.to_dict() for i in read.issues]


def test_forms_from_the_store_equal_forms_from_the_folder(store_url, tmp_path):
    inbox = tmp_path / "inbox"
    daily = daily_file(
        inbox,
        "S001",
        [
            contact(
                2,
                "甲公司",
                phone="138 0013 8000",
                source="电话",
                grade="A",
                stage="2",
                next_followup=dt.date(2026, 11, 6),
                notes="=IF(1,2)",
            ),
            contact(3, "乙公司", phone="12345", source="walkin", grade="B", stage="3"),  # warnings
            contact(25, "丙公司", stage="7", qty=3, price=100.0, amount=300.0, deposit=50.0),
        ],  # future
        closes=[{"date": dt.date(2026, 11, 2), "forecast": 1200.5, "analysis": "跟进"}],
    )
    _add_extra_column(daily, "日报 Daily", "客户经理 KAM", {10: "王五", 12: "赵六"})
    weekly = weekly_file(
        inbox,
        "S001",
        Week(2026, 47),
        [
            {
                "date": dt.date(2026, 11, 17),
                "customer": "甲公司",
                "grade": "A",
                "purpose": "5",
                "outcome": "报价",
                "expected_amount": 8000.0,
            }
        ],
    )
    monthly = monthly_file(
        inbox,
        "S001",
        [
            {
                "customer": "甲公司",
                "grade": "A",
                "expected_amount": 1.2e4,
                "owner": "张伟",
                "start": dt.date(2026, 11, 1),
            }
        ],
    )
    result = import_files("reports", [inbox], db=store_url, now=dt.datetime(2026, 11, 20, 9))
    assert result.count("imported") == 3

    ctx = ValidationContext(today=TODAY)
    read = {p.resolve(): load_form(p.resolve(), ctx) for p in (daily, weekly, monthly)}
    assert any(i.code is Code.EXTRA_COLUMN for i in read[daily.resolve()].issues)
    assert read[daily.resolve()].records("daily")[0]["_extra"] == {"客户经理 KAM": "王五"}
    inputs = load_period(store_url, NOV)
    assert sorted(f.form_id for f in inputs.forms) == [
        "daily_report",
        "monthly_plan",
        "weekly_plan",
    ]
    for stored in inputs.forms:
        _same(stored, read[Path(stored.path)])


@pytest.mark.parametrize("rows", [True, False])
def test_future_dates_that_have_come_are_no_longer_warned_about(store_url, tmp_path, rows):
    """With its rows or with the figures the database computed (rows=False)."""
    path = daily_file(tmp_path, "S001", [contact(2, "甲公司"), contact(25, "乙公司")])
    import_files("reports", [path], db=store_url, now=dt.datetime(2026, 11, 20, 9))
    (form,) = load_period(store_url, NOV).forms
    assert [i.cell for i in form.issues if i.code is Code.FUTURE_DATE] == ["A11"]
    (form,) = load_period(store_url, NOV, as_of=dt.date(2026, 11, 24), rows=rows).forms
    assert [i.cell for i in form.issues if i.code is Code.FUTURE_DATE] == ["A11"]
    (form,) = load_period(store_url, NOV, as_of=dt.date(2026, 11, 25), rows=rows).forms
    assert [i.cell for i in form.issues if i.code is Code.FUTURE_DATE] == []


@pytest.mark.parametrize("rows", [True, False])
def test_future_dates_of_many_reports_are_judged_each_on_its_own_rows(store_url, tmp_path, rows):
    """Reports read together (one query for all of them) keep each its own rows apart: as of
    the 24th, S001's row 11 (the 25th) is still ahead; S002's row 10 (the 23rd) has come, its
    row 11 (the 28th) has not, and S001's row 10 (the 2nd) was never ahead."""
    s001 = daily_file(tmp_path, "S001", [contact(2, "甲公司"), contact(25, "乙公司")])
    s002 = daily_file(tmp_path, "S002", [contact(23, "丙公司"), contact(28, "丁公司")])
    import_files("reports", [s001, s002], db=store_url, now=dt.datetime(2026, 11, 20, 9))
    stored = load_period(store_url, NOV, as_of=dt.date(2026, 11, 24), rows=rows).forms
    warned = {
        form.rep_id: [i.cell for i in form.issues if i.code is Code.FUTURE_DATE] for form in stored
    }
    assert warned == {"S001": ["A11"], "S002": ["A11"]}


def test_weekly_plans_of_weeks_overlapping_the_month(store_url, tmp_path):
    for week in (Week(2026, 44), Week(2026, 45), Week(2026, 49), Week(2026, 50)):
        weekly_file(tmp_path, "S001", week, [{"date": week.monday, "customer": "甲"}])
    import_files("reports", [tmp_path], db=store_url, now=dt.datetime(2026, 12, 1))
    weeks = sorted(str(f.period) for f in load_period(store_url, NOV).forms)
    assert weeks == ["2026-W44", "2026-W45", "2026-W49"]  # Oct 26-Nov 1 and Nov 30-Dec 6 overlap


def test_one_path_reused_for_several_weeks_gets_one_key_per_week(store_url, tmp_path):
    for i, week in enumerate((Week(2026, 46), Week(2026, 47))):
        path = weekly_file(
            tmp_path,
            "S001",
            week,
            [{"date": week.monday, "customer": "甲"}],
            name="张伟_周计划.xlsx",
        )
        import_files("reports", [path], db=store_url, now=dt.datetime(2026, 11, 9 + 7 * i, 8))
    inputs = load_period(store_url, NOV)
    assert len(inputs.forms) == 2 and len({f.path for f in inputs.forms}) == 2
    assert sorted(inputs.first_seen.values()) == [
        dt.datetime(2026, 11, 9, 8),
        dt.datetime(2026, 11, 16, 8),
    ]
    assert all(f.path in inputs.first_seen for f in inputs.forms)


def test_the_roster_from_the_store_equals_the_roster_file(store_url, tmp_path):
    path = roster_file(
        tmp_path / "roster.xlsx",
        [
            rep("S001", hire_date=dt.date(2025, 3, 1), email="a@example.com", manager="李经理"),
            rep("S002", leave_date=dt.date(2026, 11, 13), status="left", level="senior"),
        ],
    )
    import_files("roster", [path], db=store_url)
    stored = load_period(store_url, NOV).roster
    read = read_roster(path.resolve())
    assert stored is not None and stored.reps == read.reps and stored.path == read.path


def test_targets_give_each_rep_its_month_target(store_url):
    oct_, nov, dec = Month(2026, 10), NOV, Month(2026, 12)
    plan = targets_form(
        [
            ("company", "总公司", None, None, nov, 900.0),
            ("team", "一组", "总公司", None, nov, 900.0),
            ("rep", "S001", "一组", None, nov, 500.0),
            ("rep", "S002", "一组", "A药", nov, 300.0),  # rows by product add up
            ("rep", "S002", "一组", "B药", nov, 100.0),
            ("rep", "S001", "一组", None, oct_, 450.0),
            ("rep", "S001", "一组", None, dec, 520.0),
        ]
    )
    got = import_form("targets", plan, db=store_url, now=dt.datetime(2026, 10, 1))
    assert (got.status, got.rows) == ("imported", 7)
    assert load_period(store_url, NOV).targets == {"S001": 500.0, "S002": 400.0}
    assert import_form("targets", plan, db=store_url).status == "unchanged"

    # A re-split for November replaces every November target, and only those.
    resplit = targets_form([("rep", "S001", "一组", None, nov, 550.0)], "targets_v2.xlsx")
    again = import_form("targets", resplit, db=store_url, now=dt.datetime(2026, 10, 20))
    assert (again.status, again.version) == ("replaced", 2)
    assert load_period(store_url, NOV).targets == {"S001": 550.0}
    assert load_period(store_url, dec).targets == {"S001": 520.0}
    versions = submission_versions(store_url, "targets", None, None)
    assert [(v["version"], v["status"]) for v in versions] == [(1, "current"), (2, "current")]


def test_a_targets_file_that_is_not_targets_is_refused(store_url, tmp_path):
    path = daily_file(tmp_path, "S001", [contact(2, "甲")])
    (got,) = import_files("targets", [path], db=store_url).files
    assert got.status == "blocked" and "salesxl import reports" in got.issues[0].message_en


def test_reading_a_store_that_was_never_written(tmp_path):
    with pytest.raises(StoreError, match="no salesxl store"):
        load_period(str(tmp_path / "none.db"), NOV)


@pytest.mark.parametrize("rows", [True, False])
def test_a_future_date_is_judged_on_the_sheet_it_is_on(store_url, tmp_path, rows):
    """日报 Daily row 10 (the 2nd) and 日清 Day close row 10 (the 25th) share a row number: as
    of the 24th the close's warning stands, whatever the contact on its row number says; a
    report whose sheets were renamed is judged by its own sheet names; warnings of other
    kinds and about the whole file stay."""
    import_future_dates(store_url, tmp_path)

    def warned(as_of: dt.date) -> dict[str, list[tuple[str | None, str | None]]]:
        forms = load_period(store_url, NOV, as_of=as_of, rows=rows).forms
        return {
            form.rep_id or "": [
                (i.sheet, i.cell) for i in form.issues if i.code is Code.FUTURE_DATE
            ]
            for form in forms
        }

    assert warned(dt.date(2026, 11, 24)) == {
        "S001": [("日清 Day close", "A10")],
        "S002": [("Daily", "A11")],
    }
    assert warned(dt.date(2026, 11, 25)) == {"S001": [], "S002": [("Daily", "A11")]}
    assert warned(dt.date(2026, 11, 28)) == {"S001": [], "S002": []}
    stored = load_period(store_url, NOV, as_of=dt.date(2026, 11, 28), rows=rows).forms
    s002_form = next(f for f in stored if f.rep_id == "S002")
    assert any(i.code is not Code.FUTURE_DATE for i in s002_form.issues)  # the renamed sheet
