"""On time / late / missing: daily records due 09:00 the next workday (README.md "For managers")."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from salesxl.consolidate import consolidate, consolidate_inbox
from salesxl.core.calendar import Workdays
from salesxl.core.deadlines import daily_deadline
from salesxl.core.people import Rep, Roster
from salesxl.core.periods import Month, Week
from tests.factory import NOV, daily, monthly, row, weekly
from tests.make_files import set_core_times
from tests.store_fixtures import contact, daily_file

OCT = Month(2026, 10)


def statuses(summary, form="daily_report"):
    return {
        (r.rep, r.due_for): {
            "status": r.status,
            "submitted": r.submitted,
            "deadline": r.deadline,
            "file": r.file,
        }
        for r in summary.submissions
        if r.form == form
    }


@pytest.mark.parametrize(
    ("day", "deadline"),
    [
        (dt.date(2026, 11, 2), dt.datetime(2026, 11, 3, 9)),  # Monday -> Tuesday 09:00
        (dt.date(2026, 11, 6), dt.datetime(2026, 11, 9, 9)),  # Friday -> Monday, over the weekend
        (dt.date(2026, 9, 30), dt.datetime(2026, 10, 8, 9)),  # before National Day -> after it
        (dt.date(2026, 10, 9), dt.datetime(2026, 10, 10, 9)),  # Friday -> the make-up Saturday
        (dt.date(2026, 10, 10), dt.datetime(2026, 10, 12, 9)),  # make-up Saturday -> Monday
    ],
)
def test_daily_deadline(day, deadline):
    assert daily_deadline(day, Workdays()) == deadline


@pytest.mark.parametrize(
    ("seen", "status"),
    [
        (dt.datetime(2026, 10, 10, 8, 59), "on_time"),
        (dt.datetime(2026, 10, 10, 9, 0), "on_time"),
        (dt.datetime(2026, 10, 10, 9, 1), "late"),
        (dt.datetime(2026, 10, 12, 8, 0), "late"),
    ],
)
def test_first_seen_around_0900_on_a_make_up_saturday(seen, status):
    form = daily("A", [row(dt.date(2026, 10, 9), "x")], month=OCT)
    summary = consolidate(
        [form],
        period=OCT,
        as_of=dt.date(2026, 10, 31),
        day_first_seen={("A", dt.date(2026, 10, 9)): seen},
    )
    got = statuses(summary)[("A", "2026-10-09")]
    assert got["status"] == status and got["submitted"] == seen
    assert got["deadline"] == dt.datetime(2026, 10, 10, 9)


def test_holiday_week_days_are_not_expected_and_missing_days_are_listed():
    form = daily(
        "A",
        [row(dt.date(2026, 10, 8), "x"), row(dt.date(2026, 10, 10), "y")],
        month=OCT,
        mtime=dt.datetime(2026, 10, 12, 8, 0),
    )
    got = statuses(consolidate([form], period=OCT, as_of=dt.date(2026, 10, 12)))
    days = sorted(d for _, d in got)
    assert days == ["2026-10-08", "2026-10-09", "2026-10-10", "2026-10-12"]  # no Oct 1-7, no Sunday
    assert got[("A", "2026-10-09")]["status"] == "missing"
    assert got[("A", "2026-10-10")]["status"] == "on_time"  # newest day, saved before its deadline
    assert got[("A", "2026-10-12")]["status"] == "pending"  # due Oct 13 09:00


def test_file_time_dates_only_the_newest_day():
    # Saved on Nov 5 at 10:00: Nov 4's record (due Nov 5 09:00) was late, Nov 2's is assumed on time.
    form = daily("A", [row(2, "x"), row(4, "y")], mtime=dt.datetime(2026, 11, 5, 10, 0))
    got = statuses(consolidate([form], period=NOV, as_of=dt.date(2026, 11, 5)))
    assert got[("A", "2026-11-04")]["status"] == "late"
    assert got[("A", "2026-11-02")]["status"] == "on_time"
    assert got[("A", "2026-11-02")]["submitted"] is None  # exact time unknown
    assert got[("A", "2026-11-03")]["status"] == "missing"


def test_store_first_seen_of_the_file_applies_to_every_day():
    form = daily("A", [row(2, "x"), row(4, "y")])
    summary = consolidate(
        [form],
        period=NOV,
        as_of=dt.date(2026, 11, 5),
        first_seen={form.path: dt.datetime(2026, 11, 4, 12, 0)},
    )
    got = statuses(summary)
    assert got[("A", "2026-11-02")]["status"] == "late"  # first reached the store after its 09:00
    assert got[("A", "2026-11-04")]["status"] == "on_time"


def test_roster_hire_and_leave_dates_decide_who_is_expected():
    roster = Roster(
        {
            "A": Rep("A", "甲", hire_date=dt.date(2026, 11, 4)),
            "B": Rep("B", "乙", leave_date=dt.date(2026, 11, 3)),
            "C": Rep("C", "丙"),
        }
    )
    forms = [daily("A", [row(4, "x")]), daily("B", [row(2, "y")])]
    summary = consolidate(forms, period=NOV, roster=roster, as_of=dt.date(2026, 11, 6))
    got = statuses(summary)
    assert sorted(d for r, d in got if r == "A") == ["2026-11-04", "2026-11-05", "2026-11-06"]
    assert sorted(d for r, d in got if r == "B") == ["2026-11-02", "2026-11-03"]
    # C has no file at all: every report due by Friday Nov 6 is missing (issue 15 item 7).
    # Daily: Nov 2-5 were due by 09:00 Nov 3-6 -> 4 missing; Nov 6 is due Nov 9 -> pending.
    # Weekly plan of W45 (Monday Nov 2) -> missing; the month plan (due Oct 31) -> missing.
    c = [(r.form, r.due_for, r.status) for r in summary.submissions if r.rep == "C"]
    assert c[0] == (None, "2026-11", "no_file")
    assert sorted(c[1:], key=str) == sorted(
        [
            ("daily_report", "2026-11-02", "missing"),
            ("daily_report", "2026-11-03", "missing"),
            ("daily_report", "2026-11-04", "missing"),
            ("daily_report", "2026-11-05", "missing"),
            ("daily_report", "2026-11-06", "pending"),
            ("weekly_plan", "2026-W45", "missing"),
            ("monthly_plan", "2026-11", "missing"),
        ],
        key=str,
    )
    grid = {r["rep_id"]: r for r in summary.sheet("submissions").records()}
    assert grid["C"]["note"] == "no_file" and grid["C"]["missing"] == 4 + 1 + 1
    assert grid["A"]["day_2026-11-02"] is None  # not hired yet: not expected
    assert grid["A"]["day_2026-11-05"] == "missing" and grid["A"]["on_time"] == 1


def test_files_of_reps_not_in_the_roster_are_listed():
    roster = Roster({"A": Rep("A", "甲")})
    summary = consolidate(
        [daily("A", [row(2, "x")]), daily("X", [row(2, "y")])],
        period=NOV,
        roster=roster,
        as_of=dt.date(2026, 11, 3),
    )
    strays = [r for r in summary.submissions if r.status == "not_in_roster"]
    assert [(r.rep, r.file) for r in strays] == [("X", "inbox/X_2026-11_daily.xlsx")]
    grid = {r["rep_id"]: r for r in summary.sheet("submissions").records()}
    assert grid["X"]["note"] == "not_in_roster"
    assert "X" not in {r["rep_id"] for r in summary.sheet("by_rep").records()}


def test_weekly_plan_due_monday_and_monthly_plan_due_before_the_month():
    forms = [
        daily("A", [row(2, "x")]),
        weekly("A", Week(2026, 45), [], mtime=dt.datetime(2026, 11, 2, 18, 0)),
        weekly("A", Week(2026, 46), [], mtime=dt.datetime(2026, 11, 10, 8, 0)),
        monthly("A", mtime=dt.datetime(2026, 10, 28, 17, 0)),
    ]
    summary = consolidate(forms, period=NOV, as_of=dt.date(2026, 11, 18))
    weeks = statuses(summary, "weekly_plan")
    assert weeks[("A", "2026-W45")]["status"] == "on_time"
    assert weeks[("A", "2026-W46")]["status"] == "late"
    assert weeks[("A", "2026-W47")]["status"] == "missing"
    assert ("A", "2026-W48") not in weeks  # its Monday is after as_of
    assert statuses(summary, "monthly_plan")[("A", "2026-11")]["status"] == "on_time"


def test_headline_counts_late_and_missing():
    form = daily("A", [row(2, "x"), row(4, "y")], mtime=dt.datetime(2026, 11, 5, 10, 0))
    h = consolidate([form], period=NOV, as_of=dt.date(2026, 11, 5)).headline
    assert h.late == 1 and h.missing >= 1


def _report(folder, rep, *, saved_inside, copied, name=None):
    """Rep `rep`'s report of Nov 2 and Nov 4, saved in Excel at `saved_inside`, then copied
    (e-mailed, downloaded) into the inbox at `copied`, which sets the file's modification time."""
    path = daily_file(folder, rep, [contact(2, "甲公司"), contact(4, "乙公司")], name=name)
    set_core_times(path, saved_inside, dt.datetime(2026, 11, 1))
    os.utime(path, (copied.timestamp(), copied.timestamp()))
    return path


# Nov 4's record is due Nov 5 09:00; the manager saves the e-mailed files on Nov 6 at 10:00.
@pytest.mark.parametrize(
    ("saved_inside", "status", "submitted"),
    [
        (dt.datetime(2026, 11, 5, 8, 30), "on_time", dt.datetime(2026, 11, 5, 8, 30)),
        (dt.datetime(2026, 11, 5, 9, 30), "late", dt.datetime(2026, 11, 5, 9, 30)),
        (None, "late", dt.datetime(2026, 11, 6, 10, 0)),  # nothing inside: the file's time
        # "saved" before the newest day it reports: a stale record, the file's time it is
        (dt.datetime(2026, 11, 3, 18, 0), "late", dt.datetime(2026, 11, 6, 10, 0)),
    ],
)
def test_a_copied_report_is_judged_by_the_save_recorded_inside_it(
    tmp_path, saved_inside, status, submitted
):
    _report(tmp_path, "A", saved_inside=saved_inside, copied=dt.datetime(2026, 11, 6, 10, 0))
    got = statuses(consolidate_inbox([tmp_path], period=NOV, as_of=dt.date(2026, 11, 6)))
    assert got[("A", "2026-11-04")]["status"] == status
    assert got[("A", "2026-11-04")]["submitted"] == submitted


def test_of_two_copies_the_one_saved_last_is_used_not_the_one_copied_last(tmp_path):
    _report(
        tmp_path,
        "A",
        name="A_新.xlsx",
        saved_inside=dt.datetime(2026, 11, 5, 8, 0),
        copied=dt.datetime(2026, 11, 5, 8, 5),
    )
    _report(
        tmp_path,
        "A",
        name="A_旧.xlsx",
        saved_inside=dt.datetime(2026, 11, 4, 18, 0),
        copied=dt.datetime(2026, 11, 6, 10, 0),
    )  # an old copy found later in the mailbox
    summary = consolidate_inbox([tmp_path], period=NOV, as_of=dt.date(2026, 11, 6))
    assert statuses(summary)[("A", "2026-11-04")]["file"].endswith("A_新.xlsx")
    (dropped,) = [i for i in summary.issues if i.code.value == "duplicate_file"]
    assert (dropped.file, dropped.severity) == (str(tmp_path / "A_旧.xlsx"), "warning")
    assert not [i for i in summary.issues if i.code.value == "duplicate_row"]
    # Both files are named, so the manager knows which to delete.
    for message in (dropped.message_zh, dropped.message_en):
        assert str(tmp_path / "A_旧.xlsx") in message and str(tmp_path / "A_新.xlsx") in message
