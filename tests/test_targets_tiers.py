"""Tiers 目标 / 冲刺 / 挑战: each as exact as the base, and challenge ≥ stretch ≥ base everywhere."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salesxl.core.periods import Month
from salesxl.targets import Lock, Settings, TargetsError, TargetsInput, UnitSpec, split_targets
from salesxl.targets.profiles import fiscal_months


def _tiers(b_challenge: int):
    units = [
        UnitSpec("company", "HQ", annual=D(1_200)),
        UnitSpec("rep", "A", "HQ"),
        UnitSpec("rep", "B", "HQ", challenge=D(b_challenge)),
    ]
    s = Settings(2026, method="equal", stretch_uplift=10.0, challenge_uplift=20.0)
    return split_targets(TargetsInput(s, units))


def test_tiers_by_hand():
    split = _tiers(750)
    plans = {p.unit: p for p in split.plans}
    assert split.tier_names == ["base", "stretch", "challenge"]
    # Base: 600 each, 50 a month.  Stretch, 10 % for everyone: 660 each, 55 a month;
    # the company 1,320 = 660 + 660, 110 a month.
    assert plans["A"].tiers["stretch"] == plans["B"].tiers["stretch"] == [55] * 12
    assert plans["HQ"].tiers["stretch"] == [110] * 12
    # Challenge, 20 %: A 720 (60 a month); B its own figure 750, 90 over its stretch,
    # 7.5 a month: months of 62 and 63; the company 1,470, 150 over its stretch,
    # 12.5 a month: months of 122 and 123.
    assert plans["A"].tiers["challenge"] == [60] * 12
    b, hq = plans["B"].tiers["challenge"], plans["HQ"].tiers["challenge"]
    assert sum(b) == 750 and set(b) == {62, 63} and sum(hq) == 1_470 and set(hq) == {122, 123}


def test_a_tier_figure_below_the_tier_under_it_is_named():
    with pytest.raises(TargetsError, match="B"):
        _tiers(600)  # below B's stretch of 660


def test_a_parent_figure_is_shared_by_base_years_above_each_lower_tier():
    units = [
        UnitSpec("company", "HQ", annual=D(1_200), stretch=D(1_500)),
        UnitSpec("rep", "A", "HQ"),  # base 300
        UnitSpec("rep", "B", "HQ", annual=D(900)),
    ]
    split = split_targets(TargetsInput(Settings(2026, method="equal"), units))
    plans = {p.unit: p for p in split.plans}
    # 1,500 over bases 300 + 900: each its base plus 300 × 300/1,200 = 75 and 225.
    assert (sum(plans["A"].tiers["stretch"]), sum(plans["B"].tiers["stretch"])) == (375, 1_125)
    assert split.tier_names == ["base", "stretch"]


@st.composite
def organisations(draw):
    rounding = draw(st.sampled_from([1, 10, 100]))
    start = draw(st.integers(1, 12))
    months = fiscal_months(2025, start)
    units = [UnitSpec("company", "HQ", annual=D(rounding * draw(st.integers(0, 100_000))))]
    history, reps, ends = [], [], {}
    for r in range(draw(st.integers(1, 3))):
        units.append(
            UnitSpec(
                "region",
                f"R{r}",
                "HQ",
                stretch_uplift=draw(st.none() | st.floats(0, 15)),
            )
        )
        for t in range(draw(st.integers(1, 3))):
            team = f"R{r}T{t}"
            units.append(UnitSpec("team", team, f"R{r}"))
            for p in range(draw(st.integers(1, 4))):
                rep = f"{team}S{p}"
                reps.append(rep)
                method = draw(st.sampled_from(["equal", "seasonal", "trend", "last-year"]))
                units.append(
                    UnitSpec(
                        "rep",
                        rep,
                        team,
                        method=method,
                        challenge_uplift=draw(st.none() | st.floats(0, 40)),
                    )
                )
                if draw(st.booleans()):
                    ends[rep] = months[draw(st.integers(3, 11))]
                for back in range(1, draw(st.integers(0, 3)) + 1):
                    for k, m in enumerate(fiscal_months(2025 - back, start)):
                        history.append((rep, None, m, 100.0 + 37 * ((k * 7 + p) % 5)))
    locks = []
    if draw(st.booleans()):
        rep = draw(st.sampled_from(reps))
        locks.append(Lock(rep, months[0], D(rounding * draw(st.integers(0, 30)))))
    s = Settings(
        2025,
        fiscal_start=start,
        rounding=D(rounding),
        stretch_uplift=draw(st.floats(0, 20)),
        challenge_uplift=draw(st.floats(20, 40)),
    )
    return TargetsInput(s, units, history, locks, ends=ends)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(organisations())
def test_every_tier_is_exact_and_the_tiers_are_ordered_in_every_cell(inp):
    try:
        split = split_targets(inp)
    except TargetsError as exc:  # an impossible lock or a leaver's lock, named
        assert inp.locks and inp.locks[0].unit in str(exc)
        return
    assert split.tier_names == ["base", "stretch", "challenge"]
    plans = {p.unit: p for p in split.plans}
    children = defaultdict(list)
    for p in plans.values():
        if p.parent:
            children[p.parent].append(p)
    for p in plans.values():
        base, stretch, challenge = (p.tier(t) for t in split.tier_names)
        for k in range(12):
            assert challenge[k] >= stretch[k] >= base[k] >= 0  # ordered in every cell
            if base[k] == 0 and p.unit in inp.ends and split.months[k] > inp.ends[p.unit]:
                assert challenge[k] == 0  # no tier after a rep left
    for tier in split.tier_names:
        for parent, kids in children.items():  # every parent month = its children's
            for k in range(12):
                assert sum(c.tier(tier)[k] for c in kids) == plans[parent].tier(tier)[k]
    top = plans["HQ"]
    base_year = sum(top.months)
    assert sum(top.tier("stretch")) >= base_year and sum(top.tier("challenge")) >= base_year
    assert isinstance(split.months[0], Month)
