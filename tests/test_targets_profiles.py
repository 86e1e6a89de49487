"""History windows (planning in December), the Spring Festival decision and method `auto`."""

from __future__ import annotations

import math
from decimal import Decimal as D

import pytest

from salesxl.core.calendar import Workdays
from salesxl.core.periods import Month
from salesxl.targets import Settings, TargetsInput, UnitSpec, split_targets
from salesxl.targets.backtest import choose_method
from salesxl.targets.calendar import Calendar
from salesxl.targets.history import recent_years
from salesxl.targets.profiles import LUNAR_NEW_YEAR, fiscal_months


def _months(first: Month, last: Month) -> list[Month]:
    out, m = [], first
    while m <= last:
        out.append(m)
        m = m.shift(1)
    return out


def _plan(units, history, year=2027, **settings):
    s = Settings(year, rounding=D(1), **settings)
    return split_targets(TargetsInput(s, units, history))


# -- planning in December --------------------------------------------------------------


def test_a_december_plan_uses_the_latest_24_months_whatever_their_years():
    # Planning 2027 in December 2026: sales from January 2025 to November 2026 (23 months),
    # 10 a day and 20 a day in December.  The windows are December 2025 – November 2026 and
    # December 2024 – November 2025, whose missing December 2024 is taken from December
    # 2025.  The per-day indices are the same in both: 2027's months are 100 × rate × days
    # for a year of 100 × (10 × 334 + 20 × 31) = 396,000.
    history = [
        ("S1", None, m, (20.0 if m.month == 12 else 10.0) * m.last_day.day)
        for m in _months(Month(2025, 1), Month(2026, 11))
    ]
    units = [
        UnitSpec("company", "HQ", annual=D(396_000)),
        UnitSpec("rep", "S1", "HQ", method="seasonal"),
    ]
    split = _plan(units, history, spring_festival="no")
    s1 = split.plans[1]
    assert s1.method == "seasonal"
    expected = [
        100 * (20 if m.month == 12 else 10) * m.last_day.day for m in fiscal_months(2027, 1)
    ]
    assert s1.months == expected
    assert "2024-12 taken from 2025-12" in s1.note
    assert any("S1 (2024-12 from 2025-12)" in w for w in split.warnings)
    years = recent_years({m: 1.0 for m in _months(Month(2025, 1), Month(2026, 11))}, split.months)
    assert [str(w.months[0]) for w in years.windows] == ["2026-01", "2025-01"]  # fiscal order
    assert years.filled == [(Month(2024, 12), Month(2025, 12))]


def test_a_fallback_is_reported_once_with_the_units_it_concerns():
    one_year = [(rep, None, m, 100.0) for rep in ("S1", "S2", "S3") for m in fiscal_months(2026, 1)]
    units = [UnitSpec("company", "HQ", annual=D(36_000))] + [
        UnitSpec("rep", rep, "HQ", method="seasonal") for rep in ("S1", "S2", "S3")
    ]
    split = _plan(units, one_year)
    fallbacks = [w for w in split.warnings if "fell back" in w]
    assert fallbacks == [
        "seasonal needs two complete years of history; fell back to last-year for 3 units: "
        "S1, S2, S3"
    ]
    assert all(p.method == "last-year" for p in split.plans[1:])


# -- Spring Festival: auto ---------------------------------------------------------------


def _festival_sales(year: int) -> list[float]:
    """100 a month with a 40 % dip in the month of the lunar new year (a Chinese B2B rep)."""
    dip = LUNAR_NEW_YEAR[year].month
    return [60.0 if m == dip else 100.0 for m in range(1, 13)]


def test_spring_festival_auto_follows_each_units_own_history():
    # CN: the dip moves with the festival (January 2023, February 2024, January 2025).
    # US: January twice February every year, whatever the lunar calendar says.
    history = []
    for k, year in enumerate((2023, 2024, 2025)):
        for m in range(1, 13):
            history.append(("CN", None, Month(year, m), _festival_sales(year)[m - 1]))
            us = 43_971.0 if m == 1 else 20_301.0 if m == 2 else 30_000.0
            history.append(("US", None, Month(year, m), us * (1 + 0.01 * k)))
    units = [
        UnitSpec("company", "HQ", annual=D(1_000_000)),
        UnitSpec("rep", "CN", "HQ", annual=D(114_000)),
        UnitSpec("rep", "US", "HQ"),
    ]
    split = _plan(units, history, year=2026, method="seasonal")  # auto is the default
    plans = {p.unit: p for p in split.plans}
    assert plans["CN"].spring.startswith("applied")
    assert plans["US"].spring.startswith("not applied")
    # 2026's festival is in February: CN's February gets the lower target, US keeps
    # January about twice February (with the adjustment both would be near 20,886).
    assert plans["CN"].months[0] > plans["CN"].months[1]
    jan, feb = plans["US"].months[:2]
    assert 2.0 < jan / feb < 2.3
    forced = _plan(units, history, year=2026, method="seasonal", spring_festival="yes")
    us = {p.unit: p for p in forced.plans}["US"]
    assert us.spring.startswith("applied (设置") and us.months[0] / us.months[1] < 1.5


# -- method auto --------------------------------------------------------------------------


def _noise(k: int) -> float:
    """A fixed, repeatable ±5 % wobble."""
    return 1 + 0.05 * math.sin(k * 12.9898) * math.cos(k * 4.1414)


def _auto(series: dict[Month, float]):
    months = fiscal_months(2026, 1)
    calendar = Calendar(Workdays(), strict_from=months[0])
    return choose_method(recent_years(series, months), calendar)


def test_auto_picks_seasonal_for_a_seasonal_series():
    pattern = [0.6, 0.7, 1.1, 1.0, 1.0, 0.9, 0.8, 0.8, 1.0, 1.2, 1.3, 1.6]
    history = _months(Month(2023, 1), Month(2025, 12))
    series = {m: 1000 * pattern[m.month - 1] * _noise(k) for k, m in enumerate(history)}
    choice = _auto(series)
    assert choice is not None and choice.method == "seasonal", choice
    assert choice.errors["seasonal"] < choice.errors["equal"] / 3


def test_auto_picks_trend_for_a_trending_series():
    history = _months(Month(2023, 1), Month(2025, 12))
    series = {m: (100 + 4 * k) * m.last_day.day for k, m in enumerate(history)}  # a line per day
    choice = _auto(series)
    assert choice is not None and choice.method == "trend", choice
    assert choice.errors["trend"] < 1e-9


def test_auto_picks_equal_for_a_flat_series():
    history = _months(Month(2023, 1), Month(2025, 12))
    choice = _auto({m: 5_000.0 for m in history})
    assert choice is not None and choice.method == "equal", choice


def test_auto_in_the_plan_says_what_it_chose_and_falls_back_without_history():
    pattern = [0.6, 0.7, 1.1, 1.0, 1.0, 0.9, 0.8, 0.8, 1.0, 1.2, 1.3, 1.6]
    history = [
        ("S1", None, m, 1000 * pattern[m.month - 1] * _noise(k))
        for k, m in enumerate(_months(Month(2023, 1), Month(2025, 12)))
    ] + [("S2", None, m, 500.0) for m in fiscal_months(2025, 1)]
    units = [
        UnitSpec("company", "HQ", annual=D(30_000)),
        UnitSpec("rep", "S1", "HQ"),
        UnitSpec("rep", "S2", "HQ"),
    ]
    split = _plan(units, history, year=2026, method="auto")
    plans = {p.unit: p for p in split.plans}
    assert plans["S1"].method == "seasonal"
    assert plans["S1"].backtest.startswith("auto chose seasonal (backtest WAPE")
    assert "equal" in plans["S1"].backtest  # the other methods' errors are listed
    assert plans["S2"].method == "last-year"  # one year: seasonal's fall-back, as today
    assert any("auto needs 3 years" in w and "S2" in w for w in split.warnings)


@pytest.mark.parametrize("method", ["seasonal", "seasonal-workdays", "trend"])
def test_history_methods_fall_back_alike(method):
    units = [UnitSpec("company", "HQ", annual=D(1200)), UnitSpec("rep", "S1", "HQ", method=method)]
    split = _plan(units, [], year=2026)
    assert split.plans[1].method == "workdays"
