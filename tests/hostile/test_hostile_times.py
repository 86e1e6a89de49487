"""File times are a courtesy for e-mailed files: a back-dated inside time is marked, and can be
ignored."""

from __future__ import annotations

import datetime as dt
import os

from salesxl.consolidate import consolidate_inbox
from salesxl.core.periods import Month
from tests.hostile.build import report
from tests.make_files import set_core_times

NOV = Month(2026, 11)


def _late_report(folder):
    """A report of Nov 3 and 4, really sent on Nov 20 (its file time), whose inside save time
    says Nov 4 18:00: on time by the inside time (Nov 4 is due Nov 5 09:00), late by arrival."""
    path = report(folder / "S001_日报.xlsx", "S001", "张伟", (3000.0, 4500.0))
    set_core_times(path, dt.datetime(2026, 11, 4, 18, 0), dt.datetime(2026, 11, 1))
    arrived = dt.datetime(2026, 11, 20, 10, 0).timestamp()
    os.utime(path, (arrived, arrived))
    return path


def _status(summary, day):
    sheet = summary.sheet("submissions")
    column = sheet.column(f"day_{day}")
    (row,) = [r for r in sheet.rows if r[0] == "S001"]
    return row[column]


def test_a_report_judged_by_an_inside_time_far_before_its_arrival_is_marked(tmp_path):
    _late_report(tmp_path)
    summary = consolidate_inbox([tmp_path], period=NOV, as_of=dt.date(2026, 11, 24))
    (mark,) = [i for i in summary.issues if i.code.value == "saved_early"]
    # Nov 4 18:00 to Nov 20 10:00: 15 days and 16 hours
    assert mark.severity.value == "warning" and "15 days before it arrived" in mark.message_en
    assert _status(summary, "2026-11-04") == "on_time"  # what the inside time says


def test_ignoring_inside_times_judges_by_arrival(tmp_path):
    _late_report(tmp_path)
    summary = consolidate_inbox(
        [tmp_path], period=NOV, as_of=dt.date(2026, 11, 24), saved_times=False
    )
    assert not [i for i in summary.issues if i.code.value == "saved_early"]
    assert _status(summary, "2026-11-04") == "late"


def test_a_weekend_of_e_mail_is_not_marked(tmp_path):
    path = _late_report(tmp_path)
    arrived = dt.datetime(2026, 11, 7, 9, 0).timestamp()  # 2.6 days after the save
    os.utime(path, (arrived, arrived))
    summary = consolidate_inbox([tmp_path], period=NOV, as_of=dt.date(2026, 11, 24))
    assert not [i for i in summary.issues if i.code.value == "saved_early"]
