"""分配依据 Share basis, and no target outside a rep's active months (hire and leave dates)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from salesxl.core.people import Rep, Roster
from salesxl.core.periods import Month
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


def test_sales_under_an_id_typed_otherwise_are_the_reps_history():
    """The ERP export typed half of B's orders `b` (a store keeps IDs as the export typed
    them): B sold 50 + 50 a month, A 300, so last year's shares of 4,000 are 3,600 : 1,200
    = 3,000 : 1,000, not 3,600 : 600 (3,429 : 571) with `b`'s sales dropped."""
    units = [
        UnitSpec("company", "HQ", annual=D(4_000)),
        UnitSpec("rep", "A", "HQ"),
        UnitSpec("rep", "B", "HQ"),
    ]
    history = _history("A", 300) + _history("B", 50) + _history("b", 50) + _history("Ｂ", 0)
    plans = _annuals(units, history)
    assert (plans["A"].annual, plans["B"].annual) == (3_000, 1_000)


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
    # equal shares of the months active, a ramp month at its percentage: OLD 12, NEW
    # 0.25 + 0.5 + 0.75 + 1 + 5 × 1 = 7.5 (April to December), LEFT 8 (to August), GONE 0
    # of 27.5 → 10,000 × 12 / 27.5 = 4,363.6, × 7.5 / 27.5 = 2,727.3, × 8 / 27.5 = 2,909.1
    # → 4,363 + 2,727 + 2,909 = 9,999, the last unit to the largest remainder (OLD)
    annual = {p.unit: p.annual for p in split.plans}
    assert (annual["OLD"], annual["NEW"], annual["LEFT"], annual["GONE"]) == (4364, 2727, 2909, 0)


def test_a_leaver_with_a_target_of_his_own_is_refused():
    units = [
        UnitSpec("company", "HQ", annual=D(1_000)),
        UnitSpec("rep", "GONE", "HQ", annual=D(1_000), row=3),
    ]
    inp = TargetsInput(Settings(2026, method="equal"), units, ends={"GONE": Month(2025, 6)})
    with pytest.raises(TargetsError, match=r"GONE.*not active"):
        split_targets(inp)


def test_a_mid_month_hire_and_leaver_get_their_part_of_the_year_not_the_whole_of_it(tmp_path):
    """The demo's case: a hire on 2026-11-16 with a ramp, a leaver on 2026-11-13.

    The split gives each a full month's target for every month they work at all (the
    ramp lowering the first ones) and a share of the year for those months only;
    consolidation pro-rates the partial month by the workdays employed, once."""
    from salesxl.consolidate import consolidate, read_targets
    from salesxl.targets.workbook import write_targets
    from tests.factory import NOV

    roster = Roster(
        {
            "A": Rep("A", "甲", "华南", "T", hire_date=dt.date(2019, 3, 1)),
            "B": Rep("B", "乙", "华南", "T", hire_date=dt.date(2020, 5, 1)),
            "H": Rep("H", "何", "华南", "T", hire_date=dt.date(2026, 11, 16)),
            "L": Rep("L", "李", "华南", "T", leave_date=dt.date(2026, 11, 13), status="left"),
        }
    )
    starts, ends = active_months(roster)
    units = [
        UnitSpec("company", "HQ", annual=D(35_750)),
        UnitSpec("rep", "A", "HQ"),
        UnitSpec("rep", "B", "HQ"),
        UnitSpec("rep", "H", "HQ", ramp=(25.0, 50.0, 75.0, 100.0)),
        UnitSpec("rep", "L", "HQ"),
    ]
    s = Settings(2026, method="equal", share_basis="equal")
    split = split_targets(TargetsInput(s, units, starts=starts, ends=ends))
    plans = {p.unit: p for p in split.plans}
    # Months of a normal year each: A 12, B 12, H November at 25 % and December at 50 %
    # = 0.75, L January to November = 11; 35.75 in all, 35,750 / 35.75 = 1,000 a month.
    assert [plans[r].annual for r in "ABHL"] == [12_000, 12_000, 750, 11_000]
    assert plans["A"].months == [1_000] * 12
    assert plans["H"].months == [0] * 10 + [250, 500]  # 25 % and 50 % of a normal month
    assert plans["L"].months == [1_000] * 11 + [0]  # November whole: it works in it
    # The company's months add up exactly: 3 reps × 1,000 to October, then
    # November 1,000 + 1,000 + 250 + 1,000 = 3,250, December 1,000 + 1,000 + 500 = 2,500.
    assert plans["HQ"].months == [3_000] * 10 + [3_250, 2_500]
    # Consolidation pro-rates November by the workdays employed (21 in November 2026):
    # H from the 16th, 11 workdays: 250 × 11 / 21; L to the 13th, 10 workdays: 1,000 × 10 / 21.
    targets, _ = read_targets(write_targets(split, tmp_path / "targets.xlsx"), NOV)
    assert (targets["H"], targets["L"]) == (250, 1_000)
    summary = consolidate(
        [], period=NOV, roster=roster, targets=targets, as_of=dt.date(2026, 11, 30)
    )
    rows = {r["rep_id"]: r for r in summary.sheet("by_rep").records()}
    assert rows["H"]["prorated_target"] == pytest.approx(250 * 11 / 21)
    assert rows["L"]["prorated_target"] == pytest.approx(1_000 * 10 / 21)
    assert rows["A"]["prorated_target"] == pytest.approx(1_000)
