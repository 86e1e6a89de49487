"""Locks stay local: a lock moves its unit's other months and the sums above, nothing else."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

import pytest

from salesxl.core.periods import Month
from salesxl.targets import Lock, Settings, TargetsError, TargetsInput, UnitSpec, split_targets


def _org() -> list[UnitSpec]:
    """HQ → R1 (T1: E01 E02, T2: E03 E04) and R2 (T3: W01 W02), every year given."""
    return [
        UnitSpec("company", "HQ", annual=D(6_840_000)),
        UnitSpec("region", "R1", "HQ", annual=D(5_040_000)),
        UnitSpec("region", "R2", "HQ", annual=D(1_800_000)),
        UnitSpec("team", "T1", "R1", annual=D(2_160_000)),
        UnitSpec("team", "T2", "R1", annual=D(2_880_000)),
        UnitSpec("team", "T3", "R2", annual=D(1_800_000)),
        UnitSpec("rep", "E01", "T1", annual=D(1_080_000)),  # 90,000 a month
        UnitSpec("rep", "E02", "T1", annual=D(1_080_000)),
        UnitSpec("rep", "E03", "T2", annual=D(1_200_000)),  # 100,000
        UnitSpec("rep", "E04", "T2", annual=D(1_680_000)),  # 140,000
        UnitSpec("rep", "W01", "T3", annual=D(900_000)),  # 75,000
        UnitSpec("rep", "W02", "T3", annual=D(900_000)),
    ]


def _split(*locks: Lock, method: str = "equal"):
    settings = Settings(2027, method=method, rounding=D(1000))
    units = _org()
    if method == "weights":  # even month weights: the same figures as equal
        units = [replace(u, month_weights=(1.0,) * 12) for u in units]
    split = split_targets(TargetsInput(settings, units, locks=list(locks)))
    return split, {p.unit: [int(split.money(v)) for v in p.months] for p in split.plans}


@pytest.mark.parametrize("method", ["equal", "weights"])
def test_a_leaf_lock_moves_its_unit_and_its_ancestors_only(method):
    _, before = _split(method=method)
    split, after = _split(Lock("E01", Month(2027, 2), D(50_000), row=2), method=method)
    # E01 keeps its year of 1,080,000: the 1,030,000 left over 11 months is 93,636.36
    # each, in thousands 1,030 = 11 × 93 + 7: the first seven free months get 94.
    assert after["E01"] == [94_000, 50_000, *[94_000] * 6, *[93_000] * 4]
    assert sum(after["E01"]) == 1_080_000
    delta = [a - b for a, b in zip(after["E01"], before["E01"], strict=True)]
    assert delta == [4_000, -40_000, *[4_000] * 6, *[3_000] * 4]
    for above in ("T1", "R1", "HQ"):  # the sums above move by exactly E01's change
        assert [a - b for a, b in zip(after[above], before[above], strict=True)] == delta
    # February of the company is 40,000 below its other months' level, not 50,000 above
    assert after["HQ"][1] == 570_000 - 40_000
    for unit in ("E02", "E03", "E04", "W01", "W02", "T2", "T3", "R2"):
        assert after[unit] == before[unit], unit  # bit for bit
    effect = split.lock_effects[0]
    assert effect.before == 90 and [m[0] for m in effect.moved] == ["E01", "T1", "R1", "HQ"]
    assert [m[2] for m in effect.moved] == ["locked", "above", "above", "above"]


def test_a_parent_lock_is_shared_by_the_childrens_shares_of_that_month():
    _, before = _split()
    split, after = _split(Lock("T1", Month(2027, 2), D(200_000), row=2))
    # T1's February was 90,000 + 90,000: the lock of 200,000 gives each half, 100,000.
    # Each keeps its year: (1,080,000 − 100,000) / 11 = 89,090.9 → 980 = 11 × 89 + 1.
    assert after["E01"] == after["E02"] == [90_000, 100_000, *[89_000] * 10]
    assert after["T1"] == [180_000, 200_000, *[178_000] * 10] and sum(after["T1"]) == 2_160_000
    assert after["R1"][1] == 440_000 and after["HQ"][1] == 590_000
    for unit in ("E03", "E04", "W01", "W02", "T2", "T3", "R2"):
        assert after[unit] == before[unit], unit
    moved = {m[0]: m[2] for m in split.lock_effects[0].moved}
    assert moved == {"T1": "locked", "E01": "below", "E02": "below", "R1": "above", "HQ": "above"}


def test_a_child_lock_inside_a_locked_parent_month_keeps_its_figure():
    # T1 February 200,000 with E01's February itself locked at 120,000: E02 gets the rest.
    _, after = _split(
        Lock("T1", Month(2027, 2), D(200_000), row=2), Lock("E01", Month(2027, 2), D(120_000))
    )
    assert after["E01"][1] == 120_000 and after["E02"][1] == 80_000
    assert sum(after["E01"]) == sum(after["E02"]) == 1_080_000


@pytest.mark.parametrize(
    ("locks", "message"),
    [
        ([Lock("E01", Month(2027, 3), D(2_000_000), row=5)], "E01"),
        (
            [
                Lock("T1", Month(2027, 2), D(100_000), row=2),
                Lock("E01", Month(2027, 2), D(150_000)),
            ],
            "T1",
        ),
    ],
)
def test_impossible_locks_are_named(locks, message):
    with pytest.raises(TargetsError, match=message):
        _split(*locks)


def test_impossible_locks_give_their_figures_in_yuan_not_rounding_units():
    """Rounding ¥1,000: E01's March lock of ¥2,000,000 is above its year of ¥1,080,000; the
    message gives both as the input does, not as 2000 and 1080 'rounding units'."""
    with pytest.raises(TargetsError) as err:
        _split(Lock("E01", Month(2027, 3), D(2_000_000), row=5))
    assert "¥2,000,000" in str(err.value) and "¥1,080,000" in str(err.value)
    assert "rounding units" not in str(err.value)
    with pytest.raises(TargetsError) as err:  # T1's February below E01's lock in it
        _split(Lock("T1", Month(2027, 2), D(100_000)), Lock("E01", Month(2027, 2), D(150_000)))
    assert "¥100,000" in str(err.value) and "¥150,000" in str(err.value)


def test_method_sheet_lists_what_each_lock_moved(tmp_path):
    import openpyxl

    from salesxl.targets.method_sheet import NOTES_COL
    from salesxl.targets.workbook import write_targets

    split, _ = _split(Lock("E01", Month(2027, 2), D(50_000), row=2))
    ws = openpyxl.load_workbook(write_targets(split, tmp_path / "t.xlsx"))["说明 Method"]
    column = [
        [ws.cell(r, c).value for c in range(NOTES_COL + 1, NOTES_COL + 17)]
        for r in range(1, ws.max_row + 1)
    ]
    title = next(i for i, row in enumerate(column) if row[0] and "E01 2027-02" in row[0])
    assert "50,000" in column[title][0] and "90,000" in column[title][0]
    rows = {row[0]: row for row in column[title + 2 : title + 6]}
    assert set(rows) == {"E01", "T1", "R1", "HQ"}
    assert rows["E01"][1] == "锁定 locked" and rows["E01"][2:14] == [
        4000,
        -40000,
        *[4000] * 6,
        *[3000] * 4,
    ]
    assert rows["HQ"][14] == 0  # the year holds
