"""The target engine's guarantees (README.md "For admins", 整分合), as properties and hand-checked cases."""

from __future__ import annotations

import math
from collections import defaultdict
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salesxl.core.calendar import Workdays
from salesxl.core.periods import Month
from salesxl.targets import Lock, Settings, TargetsError, TargetsInput, UnitSpec, split_targets
from salesxl.targets.profiles import fiscal_months, monthly_profile, ramped
from salesxl.targets.rounding import apportion, fit_margins, round_matrix

# -- rounding -----------------------------------------------------------------------------


@given(st.integers(0, 10**7), st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=40))
def test_apportion_adds_up_and_stays_near(total, weights):
    parts = apportion(total, weights)
    assert sum(parts) == total and all(p >= 0 for p in parts)
    s = math.fsum(weights)
    exact = [total * w / s for w in weights] if s > 0 else [total / len(weights)] * len(weights)
    assert all(
        math.floor(x) - 1e-6 <= p <= math.ceil(x) + 1e-6 for p, x in zip(parts, exact, strict=True)
    )


# no deadline: tests never assert wall-clock time (this one ran 280 ms on a loaded machine)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_controlled_rounding_keeps_rows_and_columns(data):
    m = data.draw(st.integers(1, 25))
    n = data.draw(st.integers(1, 14))
    rows = data.draw(st.lists(st.integers(0, 400), min_size=m, max_size=m))
    columns = apportion(sum(rows), data.draw(st.lists(st.floats(0.01, 10), min_size=n, max_size=n)))
    seed = data.draw(
        st.lists(st.lists(st.floats(0.0, 5.0), min_size=n, max_size=n), min_size=m, max_size=m)
    )
    x = fit_margins(seed, rows, columns)
    y = round_matrix(x, rows, columns)
    assert [sum(r) for r in y] == rows
    assert [sum(y[i][j] for i in range(m)) for j in range(n)] == columns
    for i in range(m):
        for j in range(n):
            assert math.floor(x[i][j] + 1e-7) <= y[i][j] <= math.ceil(x[i][j] - 1e-7)


# -- the engine on random organisations ---------------------------------------------------------

METHODS = ("equal", "workdays", "seasonal", "last-year", "trend")


@st.composite
def organisations(draw):
    rounding = draw(st.sampled_from([1, 10, 100, 1000]))
    start = draw(st.integers(1, 12))
    company = rounding * draw(st.integers(0, 200_000))
    units = [UnitSpec("company", "HQ", annual=D(company))]
    history = []
    reps = []
    for r in range(draw(st.integers(1, 3))):
        region = f"R{r}"
        units.append(UnitSpec("region", region, "HQ", weight=draw(st.none() | st.floats(0.5, 2))))
        for t in range(draw(st.integers(1, 3))):
            team = f"{region}T{t}"
            units.append(UnitSpec("team", team, region))
            for p in range(draw(st.integers(1, 5))):
                rep = f"{team}S{p}"
                ramp = draw(st.none() | st.just((25.0, 50.0, 75.0, 100.0)))
                units.append(
                    UnitSpec("rep", rep, team, method=draw(st.sampled_from(METHODS)), ramp=ramp)
                )
                reps.append(rep)
                base = draw(st.floats(100, 10_000))
                for back in range(1, draw(st.integers(0, 3)) + 1):
                    for k, month in enumerate(fiscal_months(2025 - back, start)):
                        history.append((rep, None, month, base * (1 + 0.3 * math.sin(k))))
    locks = []
    if draw(st.booleans()) and reps:
        rep = draw(st.sampled_from(reps))
        month = draw(st.sampled_from(fiscal_months(2025, start)))
        locks.append(Lock(rep, month, D(rounding * draw(st.integers(0, 20))), row=2))
    s = Settings(2025, fiscal_start=start, method="seasonal", rounding=D(rounding))
    return TargetsInput(s, units, history, locks, Workdays())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(organisations())
def test_every_guarantee_holds_for_random_organisations(inp):
    try:
        split = split_targets(inp)
    except TargetsError as exc:  # only an impossible lock may refuse, and it names the unit
        assert inp.locks and inp.locks[0].unit in str(exc)
        return
    plans = {p.unit: p for p in split.plans if p.product is None}
    assert split.months == fiscal_months(2025, inp.settings.fiscal_start)
    children = defaultdict(list)
    for p in plans.values():
        assert sum(p.months) == p.annual  # months add up to the year
        assert all(v >= 0 for v in p.months)
        if p.parent:
            children[p.parent].append(p)
    for parent, kids in children.items():  # every parent month = its children's months
        assert sum(k.annual for k in kids) == plans[parent].annual
        for k in range(12):
            assert sum(kid.months[k] for kid in kids) == plans[parent].months[k]
    assert plans["HQ"].annual * inp.settings.rounding == inp.units[0].annual
    for lock in inp.locks:  # locked cells stay exactly as given
        index = split.months.index(lock.month)
        assert plans[lock.unit].months[index] * inp.settings.rounding == lock.target
    for p in plans.values():  # every figure a multiple of the rounding unit
        assert all((v * inp.settings.rounding) % inp.settings.rounding == 0 for v in p.months)


# -- hand-checked cases ------------------------------------------------------------------


def _one(annual, method="equal", rounding=1, history=(), start=1, **unit):
    units = [
        UnitSpec("company", "HQ", annual=D(annual)),
        UnitSpec("rep", "S1", "HQ", method=method, **unit),
    ]
    return split_targets(
        TargetsInput(Settings(2025, fiscal_start=start, rounding=D(rounding)), units, list(history))
    )


def test_equal_split_by_hand():
    split = _one(1200)
    assert split.plans[1].months == [100] * 12
    assert _one(1201).plans[1].months == [101] + [100] * 11  # the remainder goes first


def test_rounding_unit():
    split = _one(1_000_000, rounding=1000)
    months = [split.money(v) for v in split.plans[1].months]
    assert sum(months) == 1_000_000 and all(m % 1000 == 0 for m in months)
    assert sorted({int(m) for m in months}) == [83000, 84000]


def test_workdays_method_by_hand():
    workdays = [len(Workdays().workdays_in(m)) for m in fiscal_months(2025, 1)]
    assert workdays[:3] == [19, 19, 21]  # Spring Festival late in January 2025
    split = _one(10 * sum(workdays), method="workdays")
    assert split.plans[1].months == [10 * w for w in workdays]


def test_last_year_method_by_hand():
    history = [("S1", None, Month(2024, m), 100.0 * m) for m in range(1, 13)]  # total 7800
    split = _one(7800 * 2, method="last-year", history=history)
    assert split.plans[1].months == [200 * m for m in range(1, 13)]


def test_seasonal_method_averages_per_day_indices_recent_years_weighing_more():
    # Sales proportional to each month's days: 2023 at 10 a day (December 30 a day),
    # 2024 at 20 a day.  Per-day indices: 2023 = 12·10/140 = 6/7 (December 12·30/140 =
    # 18/7), 2024 = 1.  Weighted 1 (2023) and 2 (2024): 20/21 a month, December 32/21.
    # Times 2025's days: Σ = (20·334 + 32·31)/21 = 7672/21, so a year of 76,720 gives
    # 200 per day (December 320 per day).
    a = [("S1", None, m, (10.0 if m.month != 12 else 30.0) * m.last_day.day) for m in _year(2023)]
    b = [("S1", None, m, 20.0 * m.last_day.day) for m in _year(2024)]
    split = _one(76_720, method="seasonal", history=a + b)
    expected = [200 * m.last_day.day for m in _year(2025)]
    expected[11] = 320 * 31
    assert split.plans[1].months == expected
    # January and February kept their per-day shares in both years: no festival effect.
    assert split.plans[1].spring.startswith("not applied")


def _year(year):
    return [Month(year, m) for m in range(1, 13)]


def test_seasonal_falls_back_with_a_warning():
    history = [("S1", None, Month(2024, m), 100.0) for m in range(1, 13)]
    split = _one(1200, method="seasonal", history=history)
    assert split.plans[1].method == "last-year"
    assert any("needs two complete years" in w and "last-year" in w for w in split.warnings)
    split = _one(1200, method="seasonal")
    assert split.plans[1].method == "workdays"


def test_missing_month_in_history_makes_the_year_incomplete():
    history = [("S1", None, Month(2024, m), 100.0) for m in range(1, 13) if m != 7]
    split = _one(1200, method="last-year", history=history)
    assert split.plans[1].method == "workdays"
    assert any("no complete last year" in w for w in split.warnings)


def test_trend_carries_the_fitted_line_through_the_plan_year():
    # Sales per day rising by 1 a month from 100 (January 2023) to 123 (December 2024):
    # the fitted line is exact and every seasonal index 1, so 2025's months are
    # days × (124 + k).  Σ days × (124 + k) = 124·365 + 2017 = 47,277; a year of
    # 472,770 is 10 per unit of that: January 10·31·124 = 38,440, February 10·28·125 =
    # 35,000, …, December 10·31·135 = 41,850.
    history = [
        ("S1", None, m, (100.0 + 12 * (m.year - 2023) + m.month - 1) * m.last_day.day)
        for m in _year(2023) + _year(2024)
    ]
    rising = _one(472_770, method="trend", history=history)
    expected = [10 * m.last_day.day * (124 + k) for k, m in enumerate(_year(2025))]
    assert expected[:2] == [38_440, 35_000] and expected[-1] == 41_850
    assert rising.plans[1].months == expected
    # seasonal keeps the older years' steeper rise relative to their lower level
    seasonal = _one(472_770, method="seasonal", history=history)
    assert seasonal.plans[1].months[-1] > expected[-1] and seasonal.plans[1].months[0] < 38_440


def test_weights_method_and_percentages_that_do_not_add_up():
    split = _one(1300, method="weights", month_weights=(2,) + (1,) * 11)
    assert split.plans[1].months == [200] + [100] * 11
    percent = (10.0,) * 2 + (8.0,) * 10  # 100 %
    assert _one(1000, method="weights", month_weights=percent).plans[1].months[:3] == [100, 100, 80]
    with pytest.raises(TargetsError, match="add up to 98%"):
        _one(1000, method="weights", month_weights=(10.0,) * 2 + (7.8,) * 10)
    with pytest.raises(TargetsError, match="twelve month weights"):
        _one(1200, method="weights", month_weights=(50, 50))


def test_fiscal_year_starting_in_april():
    split = _one(1200, start=4)
    assert [str(m) for m in (split.months[0], split.months[-1])] == ["2025-04", "2026-03"]


def test_ramp_lowers_the_first_months_and_hands_the_rest_on():
    plain = _one(12_000).plans[1].months
    ramped_plan = _one(12_000, ramp=(25.0, 50.0, 75.0, 100.0)).plans[1].months
    assert sum(ramped_plan) == 12_000
    assert ramped_plan[0] < ramped_plan[1] < ramped_plan[2] < ramped_plan[3]
    assert all(r > p for r, p in zip(ramped_plan[4:], plain[4:], strict=True))
    assert ramped((1,) * 12, (50,), start=2)[:3] == (0.0, 0.0, 0.5)


def test_new_rep_starting_in_september_gets_the_months_left():
    units = [
        UnitSpec("company", "HQ", annual=D(24_000)),
        UnitSpec("rep", "OLD", "HQ", method="equal"),
        UnitSpec("rep", "NEW", "HQ", method="equal", ramp=(50.0, 100.0)),
    ]
    inp = TargetsInput(Settings(2025, rounding=D(1)), units, starts={"NEW": Month(2025, 9)})
    plans = {p.unit: p for p in split_targets(inp).plans}
    # NEW works September at 50 % and October to December in full: 3.5 months against
    # OLD's 12 → 24,000 × 3.5 / 15.5 = 5,419.4 and 24,000 × 12 / 15.5 = 18,580.6 →
    # 5,419 and 18,581 (the unit left over to the larger remainder)
    assert (plans["NEW"].annual, plans["OLD"].annual) == (5_419, 18_581)
    assert plans["NEW"].months[:8] == [0] * 8 and plans["NEW"].months[8] < plans["NEW"].months[9]
    # no crammed months: a full month of NEW's is a normal month (5,419 × 2 / 7 = 1,548.3,
    # OLD's 18,581 / 12 = 1,548.4), September half of that (774.1)
    assert all(abs(v - 1_548.3) <= 1 for v in plans["NEW"].months[9:])
    assert abs(plans["NEW"].months[8] - 774.1) <= 1
    assert all(abs(v - 1_548.4) <= 1 for v in plans["OLD"].months)


def test_a_lock_moves_only_its_unit_and_the_sums_above():
    units = [
        UnitSpec("company", "HQ", annual=D(2400)),
        UnitSpec("rep", "A", "HQ", method="equal"),
        UnitSpec("rep", "B", "HQ", method="equal"),
    ]
    inp = TargetsInput(Settings(2025), units, locks=[Lock("A", Month(2025, 1), D(0), row=2)])
    plans = {p.unit: p for p in split_targets(inp).plans}
    # A's year of 1,200 over its 11 other months: 109 each and one left over (February).
    assert plans["A"].months == [0, 110] + [109] * 10
    assert plans["B"].months == [100] * 12  # B does not move
    assert plans["HQ"].months == [100, 210] + [209] * 10 and sum(plans["HQ"].months) == 2400


@pytest.mark.parametrize(
    ("units", "locks", "message"),
    [
        (
            [UnitSpec("company", "HQ", annual=D(1000)), UnitSpec("rep", "A", "HQ", annual=D(1200))],
            [],
            "smaller than its children",
        ),
        (
            [
                UnitSpec("company", "HQ", annual=D(1000)),
                UnitSpec("rep", "A", "HQ", annual=D(600)),
                UnitSpec("rep", "B", "HQ", annual=D(300)),
            ],
            [],
            "do not add up",
        ),
        (
            [UnitSpec("company", "HQ", annual=D(1000)), UnitSpec("rep", "A", "HQ", method="equal")],
            [Lock("A", Month(2025, 3), D(2000), row=5)],
            "A",
        ),
        (
            [UnitSpec("company", "HQ", annual=D(1000)), UnitSpec("rep", "A", "XX", row=3)],
            [],
            "parent 'XX'",
        ),
        ([UnitSpec("company", "HQ", annual=D("1000.5"))], [], "not a multiple"),
        ([UnitSpec("company", "HQ")], [], "needs an annual target"),
        (
            [UnitSpec("company", "HQ", annual=D(1000)), UnitSpec("rep", "A", "HQ")],
            [Lock("B", Month(2025, 1), D(10), row=4)],
            "'B' is not a unit",
        ),
        (
            [UnitSpec("company", "HQ", annual=D(1000)), UnitSpec("rep", "A", "HQ")],
            [Lock("A", Month(2027, 1), D(10), row=4)],
            "outside fiscal year",
        ),
    ],
)
def test_impossible_inputs_are_named(units, locks, message):
    with pytest.raises(TargetsError, match=message):
        split_targets(TargetsInput(Settings(2025, method="equal"), units, locks=locks))


def test_bottom_up_and_negotiated_modes():
    units = [
        UnitSpec("company", "HQ", annual=D(1000)),
        UnitSpec("rep", "A", "HQ", proposed=D(700)),
        UnitSpec("rep", "B", "HQ", proposed=D(500)),
    ]
    up = {
        p.unit: p
        for p in split_targets(
            TargetsInput(Settings(2025, method="equal", mode="bottom-up"), units)
        ).plans
    }
    assert (up["HQ"].annual, up["A"].annual, up["B"].annual) == (1200, 700, 500)
    assert up["A"].top_down == 500 and up["HQ"].top_down == 1000  # for the gap report
    nego = {
        p.unit: p
        for p in split_targets(
            TargetsInput(Settings(2025, method="equal", mode="negotiated"), units)
        ).plans
    }
    assert (nego["HQ"].annual, nego["A"].annual) == (1000, 500)
    scaled = {
        p.unit: p
        for p in split_targets(
            TargetsInput(
                Settings(2025, method="equal", mode="negotiated", scale_proposals=True), units
            )
        ).plans
    }
    assert (scaled["A"].annual, scaled["B"].annual) == (583, 417)


def test_products_are_a_second_dimension():
    units = [
        UnitSpec("company", "HQ", annual=D(1200)),
        UnitSpec("rep", "A", "HQ", method="equal"),
        UnitSpec("rep", "A", "HQ", product="P1", weight=3.0),
        UnitSpec("rep", "A", "HQ", product="P2", weight=1.0),
    ]
    split = split_targets(TargetsInput(Settings(2025), units))
    a, p1, p2 = split.plans[1:]
    assert (p1.product, p1.annual, p2.annual) == ("P1", 900, 300)
    assert [x + y for x, y in zip(p1.months, p2.months, strict=True)] == a.months


def test_profiles_directly():
    months = fiscal_months(2025, 1)
    assert monthly_profile("equal", months, None, Workdays()).weights == (1.0,) * 12
    with pytest.raises(ValueError, match="unknown method"):
        monthly_profile("magic", months, None, Workdays())


def _festival_history(year: int) -> list[tuple[str, None, Month, float]]:
    """Flat sales of 100 a month with a 40 % dip in the month of the lunar new year."""
    from salesxl.targets.profiles import LUNAR_NEW_YEAR

    dip = LUNAR_NEW_YEAR[year].month
    return [("S1", None, Month(year, m), 60.0 if m == dip else 100.0) for m in range(1, 13)]


def test_spring_festival_moves_with_the_lunar_date():
    # History: the festival fell in January 2023, February 2024, January 2025.
    history = [row for y in (2023, 2024, 2025) for row in _festival_history(y)]
    units = [UnitSpec("company", "HQ", annual=D(114_000)), UnitSpec("rep", "S1", "HQ")]

    def split(spring: bool) -> list[int]:
        s = Settings(2026, method="seasonal", spring_festival=spring)
        return split_targets(TargetsInput(s, units, history)).plans[1].months

    plain, adjusted = split(False), split(True)
    truth = [100 if m != 2 else 60 for m in range(1, 13)]  # 2026: the festival is in February
    # Without the adjustment the average of the years puts the dip in January.
    assert plain[0] < plain[1]
    # With it, January and February are estimated together and re-split by 2026's workdays,
    # which are fewer in February (the festival week): February gets the lower target.
    assert adjusted[0] > adjusted[1]
    assert sum(adjusted[:2]) == pytest.approx(sum(plain[:2]), abs=2)
    scale = 114_000 / sum(truth)

    def error(months: list[int]) -> float:
        return sum(abs(v - t * scale) for v, t in zip(months[:2], truth[:2], strict=True))

    assert error(adjusted) < error(plain) / 2
    assert (
        adjusted[2:] == plain[2:]
        or sum(abs(a - p) for a, p in zip(adjusted[2:], plain[2:], strict=True)) <= 2
    )
