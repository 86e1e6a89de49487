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


def test_each_lock_row_shows_only_what_that_lock_moved():
    """Three locks in region R1: E01 February (team T1), E03 March (team T2) and T1 June
    (E01's parent).  R1 and HQ are above all three, and T1's June moves E01 again: each
    lock's row must show its own changes, not the sum of all of them."""
    _, before = _split()
    split, after = _split(
        Lock("E01", Month(2027, 2), D(50_000), row=2),
        Lock("T1", Month(2027, 6), D(200_000), row=3),
        Lock("E03", Month(2027, 3), D(40_000), row=4),
    )
    effects = {(e.lock.unit, str(e.lock.month)): e for e in split.lock_effects}
    assert list(effects) == [("E01", "2027-02"), ("T1", "2027-06"), ("E03", "2027-03")]
    rows = {key: {m[0]: (m[2], list(m[3])) for m in e.moved} for key, e in effects.items()}

    # E01 alone (as in the leaf test): 1,030 thousand over 11 months, the first 7 get 94.
    e01 = [4, -40, *[4] * 6, *[3] * 4]
    assert rows[("E01", "2027-02")] == {
        "E01": ("locked", e01),
        "T1": ("above", e01),
        "R1": ("above", e01),  # not E03's March, not T1's June
        "HQ": ("above", e01),
    }
    # E03 (100 a month) at 40 in March: 1,160 over 11 months = 105 r 5, the first 5 get 106.
    e03 = [6, 6, -60, 6, 6, 6, *[5] * 6]
    assert rows[("E03", "2027-03")] == {
        "E03": ("locked", e03),
        "T2": ("above", e03),
        "R1": ("above", e03),
        "HQ": ("above", e03),
    }
    # T1's June 200 is shared by the unlocked June figures, 90 : 90, so 100 each.  E01 then
    # holds February 50 and June 100: 930 over 10 months, 93 each (it was 94/93 after its
    # own lock).  E02 holds June 100: 980 over 11 months = 89 r 1, January gets 90.
    e01_by_t1 = [-1, 0, -1, -1, -1, 6, -1, -1, 0, 0, 0, 0]
    e02_by_t1 = [0, -1, -1, -1, -1, 10, *[-1] * 6]
    t1 = [a + b for a, b in zip(e01_by_t1, e02_by_t1, strict=True)]
    assert t1 == [-1, -1, -2, -2, -2, 16, -2, -2, -1, -1, -1, -1]
    assert rows[("T1", "2027-06")] == {
        "T1": ("locked", t1),
        "E01": ("below", e01_by_t1),
        "E02": ("below", e02_by_t1),
        "R1": ("above", t1),
        "HQ": ("above", t1),
    }
    assert effects[("T1", "2027-06")].before == 180  # the unlocked plan's June of T1
    # together the rows are the whole change against the plan without locks (in thousands)
    for unit in ("E01", "E02", "E03", "T1", "T2", "R1", "HQ"):
        total = [0] * 12
        for moved in rows.values():
            if unit in moved:
                total = [t + d for t, d in zip(total, moved[unit][1], strict=True)]
        change = [(a - b) // 1000 for a, b in zip(after[unit], before[unit], strict=True)]
        assert total == change, unit
    assert after["E01"] == [93_000, 50_000, 93_000, 93_000, 93_000, 100_000, *[93_000] * 6]
