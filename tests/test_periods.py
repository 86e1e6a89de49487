"""Months and weeks (salesxl/core/periods.py): parsing a period and their arithmetic."""

from __future__ import annotations

import datetime as dt

import pytest

from salesxl.core.periods import Month, Week, parse_period

NOV_3 = dt.date(2026, 11, 3)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-11", Month(2026, 11)),
        ("2026-W48", Week(2026, 48)),
        ("2026-w48", Week(2026, 48)),
        ("2026年11月", Month(2026, 11)),
    ],
)
def test_periods(raw, expected):
    assert parse_period(raw) == expected


@pytest.mark.parametrize("raw", ["2026-13", "x", "2026-11-03", "2026-W60"])
def test_bad_periods(raw):
    with pytest.raises(ValueError):
        parse_period(raw)


def test_month_and_week_arithmetic():
    nov = Month(2026, 11)
    assert nov.first_day == dt.date(2026, 11, 1) and nov.last_day == dt.date(2026, 11, 30)
    assert len(nov.days()) == 30 and nov.contains(NOV_3) and not nov.contains(dt.date(2026, 12, 1))
    assert nov.shift(2) == Month(2027, 1) and nov.shift(-11) == Month(2025, 12)
    assert str(Month(2026, 2)) == "2026-02" and Month(2024, 2).last_day.day == 29
    week = Week(2026, 48)
    assert week.monday == dt.date(2026, 11, 23) and week.sunday == dt.date(2026, 11, 29)
    assert str(week) == "2026-W48" and week.overlaps(nov) and not week.overlaps(Month(2026, 12))
    assert Week(2026, 49).overlaps(Month(2026, 12)) and Week(2026, 49).overlaps(nov)
