"""分配依据 Share basis, and no target outside a rep's active months (hire and leave dates)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from salesxl.periods import Month
from salesxl.roster import Rep, Roster
from salesxl.targets import Settings, TargetsError, TargetsInput, UnitSpec, split_targets
from salesxl.targets.inputs import active_months


def _history(unit: str, per_month: float, years=(2024, 2025)):
    return [(unit, None, Month(y, m), per_month) for y in years for m in range(1, 13)]


def _annuals(units, history=(), **settings):
    s = Settings(2026, method="equal", **settings)
    split = split_targets(TargetsInput(s, units, list(history)))
    return {p.unit: p for p in split.plans}


def test_weights_are_exactly_what_the_admin_typed_even_with_history():
    # A sold 300 a month, B 100: last year × weights would give 3 × 1 : 1 × 1.5 = 2 : 1.
    units = [
        UnitSpec("company", "HQ", annual=D(250_000)),
        UnitSpec("rep", "A", "HQ", weight=1.0),
        UnitSpec("rep", "B", "HQ", weight=1.5),
    ]
    plans = _annuals(units, _history("A", 300) + _history("B", 100))
    assert (plans["A"].annual, plans["B"].annual) == (100_000, 150_000)  # 1 : 1.5
    assert plans["HQ"].basis.startswith("weights (default)")
    assert plans["B"].annual_from == "share of HQ by weights (60.0%)"


def test_default_is_last_year_without_weights_and_equal_without_history():
    units = [
        UnitSpec("company", "HQ", annual=D(4_000)),
        UnitSpec("rep", "A", "HQ"),
        UnitSpec("rep", "B", "HQ"),
    ]
    plans = _annuals(units, _history("A", 300) + _history("B", 100))
    assert (plans["A"].annual, plans["B"].annual) == (3_000, 1_000)  # 3,600 : 1,200
    assert plans["HQ"].basis.startswith("last-year")
    plans = _annuals(units)
    assert (plans["A"].annual, plans["B"].annual) == (2_000, 2_000)
    assert plans["HQ"].basis.startswith("equal")


@pytest.mark.parametrize(
    ("basis", "expected"),
    [
        ("weights", (2_667, 1_333)),  # 2 : 1 of 4,000 = 2,666.7 : 1,333.3
        ("last-year", (3_000, 1_000)),  # 3,600 : 1,200
        ("last-year×weights", (3_429, 571)),  # 3,600 × 2 : 1,200 × 1 → 4,000 × 6/7 = 3,428.6
        ("equal", (2_000, 2_000)),
        ("proposals", (1_000, 3_000)),  # proposals 100 : 300
    ],
)
def test_each_share_basis_by_hand(basis, expected):
    units = [
        UnitSpec("company", "HQ", annual=D(4_000)),
        UnitSpec("rep", "A", "HQ", weight=2.0, proposed=D(100)),
        UnitSpec("rep", "B", "HQ", weight=1.0, proposed=D(300)),
    ]
    plans = _annuals(units, _history("A", 300) + _history("B", 100), share_basis=basis)
    assert (plans["A"].annual, plans["B"].annual) == expected
    assert plans["HQ"].basis.startswith(basis)


def test_a_parent_row_overrides_the_setting_and_missing_weights_count_as_one():
    units = [
        UnitSpec("company", "HQ", annual=D(3_000), share_basis="equal"),
        UnitSpec("team", "T", "HQ", annual=D(3_000)),  # given: the basis shares nothing here
        UnitSpec("rep", "A", "T", weight=2.0),
        UnitSpec("rep", "B", "T"),
    ]
    plans = _annuals(units, share_basis="last-year")
    assert plans["T"].basis.startswith("last-year")  # the setting: no history, so equal
    assert (plans["A"].annual, plans["B"].annual) == (1_500, 1_500)
    units[1] = UnitSpec("team", "T", "HQ", annual=D(3_000), share_basis="weights")
    plans = _annuals(units)
    assert (plans["A"].annual, plans["B"].annual) == (2_000, 1_000)
    assert "no weight, counted as 1: B" in plans["T"].basis


# -- active months: hires and leavers (every method) ----------------------------------

METHODS = (
    "equal",
    "workdays",
    "last-year",
    "seasonal",
    "seasonal-workdays",
    "trend",
    "weights",
    "auto",
)


def _roster() -> Roster:
    return Roster(
        {
            "OLD": Rep("OLD", "老员工", hire_date=dt.date(2019, 3, 1)),
            "NEW": Rep("NEW", "新人", hire_date=dt.date(2026, 4, 1)),
            "LEFT": Rep(
                "LEFT", "离职者", hire_date=dt.date(2020, 1, 1), leave_date=dt.date(2026, 8, 13)
            ),
            "GONE": Rep("GONE", "早已离职", status="left"),
        }
    )


@pytest.mark.parametrize("method", METHODS)
def test_no_target_outside_a_reps_active_months_under_every_method(method):
    starts, ends = active_months(_roster())
    weights = (8.0, 8, 8, 8, 8, 8, 8, 8, 8, 9, 9, 10)  # 100 %
    units = [
        UnitSpec("company", "HQ", annual=D(1_000_000)),
        UnitSpec("team", "T", "HQ"),
        UnitSpec("rep", "OLD", "T", month_weights=weights),
        UnitSpec("rep", "NEW", "T", ramp=(25.0, 50.0, 75.0, 100.0), month_weights=weights),
        UnitSpec("rep", "LEFT", "T", month_weights=weights),
        UnitSpec("rep", "GONE", "T", month_weights=weights),
    ]
    history = [
        (rep, None, Month(y, m), base * (1 + 0.3 * (m in (3, 9, 12))))
        for rep, base in (("OLD", 10_000.0), ("LEFT", 8_000.0), ("GONE", 5_000.0))
        for y in (2023, 2024, 2025)
        for m in range(1, 13)
    ]
    s = Settings(2026, method=method, rounding=D(100), share_basis="equal")
    split = split_targets(TargetsInput(s, units, history, starts=starts, ends=ends))
    plans = {p.unit: p.months for p in split.plans}
    assert plans["NEW"][:3] == [0, 0, 0] and all(v > 0 for v in plans["NEW"][3:])
    assert plans["NEW"][3] < plans["NEW"][4] < plans["NEW"][5] < plans["NEW"][6]  # the ramp
    assert plans["LEFT"][8:] == [0, 0, 0, 0] and all(v > 0 for v in plans["LEFT"][:8])
    assert plans["GONE"] == [0] * 12
    for k in range(12):  # the team's month is shared among the reps active in it
        assert plans["T"][k] == plans["OLD"][k] + plans["NEW"][k] + plans["LEFT"][k]
        assert plans["HQ"][k] == plans["T"][k]
    assert sum(plans["HQ"]) == 10_000  # 1,000,000 in units of 100
    # equal shares of the months active: 12 : 9 : 8 : 0 of 10,000 units →
    # 4,137.9 / 3,103.4 / 2,758.6 → 4,138 + 3,103 + 2,759 (largest remainders)
    annual = {p.unit: p.annual for p in split.plans}
    assert (annual["OLD"], annual["NEW"], annual["LEFT"], annual["GONE"]) == (4138, 3103, 2759, 0)


def test_a_leaver_with_a_target_of_his_own_is_refused():
    units = [
        UnitSpec("company", "HQ", annual=D(1_000)),
        UnitSpec("rep", "GONE", "HQ", annual=D(1_000), row=3),
    ]
    inp = TargetsInput(Settings(2026, method="equal"), units, ends={"GONE": Month(2025, 6)})
    with pytest.raises(TargetsError, match=r"GONE.*not active"):
        split_targets(inp)
