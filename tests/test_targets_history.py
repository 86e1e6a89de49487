"""The targets History sheet as admins have it: laid out wide, before 2000, with gaps."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest
from conftest import write_xlsx

from salesxl.core.periods import Month
from salesxl.targets import Settings, TargetsError, TargetsInput, UnitSpec, split_targets
from salesxl.targets.files import split_file
from salesxl.targets.inputs import history_gaps, read_targets_input

SETTINGS = [["年度", 2026], ["方法", "seasonal"], ["取整单位", 1]]
ANNUAL = [["层级", "单元", "上级", "年度目标"], ["company", "公司", "", 1200]]


def targets_input(path: Path, history: list[list[Any]]) -> Path:
    return write_xlsx(path, {"设置": SETTINGS, "年度目标": ANNUAL, "历史销售": history})


def test_a_wide_history_with_dated_month_columns_is_unpivoted(tmp_path):
    header = [
        "单元",
        *(f"2024-{m:02d}" for m in range(1, 13)),
        *(f"2025-{m:02d}" for m in range(1, 13)),
    ]
    row = ["公司", *range(100, 112), *range(200, 212)]
    inp = read_targets_input(targets_input(tmp_path / "t.xlsx", [header, row]))
    assert len(inp.history) == 24
    assert ("公司", None, Month(2024, 1), 100.0) in inp.history
    assert ("公司", None, Month(2025, 12), 211.0) in inp.history  # 200 + 11


def test_a_wide_history_of_month_names_takes_its_year_column(tmp_path):
    header = ["年份", "单元", "产品", *(f"{m}月" for m in range(1, 13))]
    rows = [header, [1998, "公司", "A药", *range(1, 13)], [1999, "公司", "A药", *range(13, 25)]]
    inp = read_targets_input(targets_input(tmp_path / "t.xlsx", rows))
    assert ("公司", "A药", Month(1998, 1), 1.0) in inp.history  # years before 2000 accepted
    assert ("公司", "A药", Month(1999, 12), 24.0) in inp.history
    assert len(inp.history) == 24


def test_month_names_without_a_year_column_are_refused_with_what_to_do(tmp_path):
    rows = [["单元", *(f"{m}月" for m in range(1, 13))], ["公司", *range(1, 13)]]
    with pytest.raises(TargetsError, match="add a 年份 Year column"):
        read_targets_input(targets_input(tmp_path / "t.xlsx", rows))


def test_a_long_history_before_2000_is_read(tmp_path):
    rows = [["单元", "月份", "金额"], ["公司", "1990 Jan", 10], ["公司", "1999-12", 20]]
    inp = read_targets_input(targets_input(tmp_path / "t.xlsx", rows))
    assert inp.history == [
        ("公司", None, Month(1990, 1), 10.0),
        ("公司", None, Month(1999, 12), 20.0),
    ]


def test_a_month_far_below_the_same_month_in_other_years_is_flagged():
    history = [
        ("华东", None, Month(y, m), 1.0 if (y, m) == (2024, 3) else 3000.0 + m)
        for y in (2023, 2024, 2025)
        for m in range(1, 13)
    ]
    (gap,) = history_gaps(history)
    # March 2024 is 1; March in 2023 and 2025 was 3003: 1 < 5% of 3003
    assert "华东 2024-03 is 1" in gap and "3,003" in gap
    assert history_gaps([(u, p, m, 3000.0) for u, p, m, _ in history]) == []


def test_the_gap_warning_reaches_the_split_notes(tmp_path):
    header = ["单元", *(f"{y}-{m:02d}" for y in (2024, 2025) for m in range(1, 13))]
    amounts = [1000] * 24
    amounts[12 + 5] = 2  # June 2025
    path = targets_input(tmp_path / "t.xlsx", [header, ["公司", *amounts]])
    result = split_file(path, tmp_path / "targets.xlsx")
    assert any("公司 2025-06 is 2" in w for w in result.warnings)


def test_the_spring_festival_adjustment_reports_its_effect():
    # January twice each other month in history (2,000 against 1,000), in 2024 and 2025.
    history = [
        ("公司", None, Month(y, m), 2000.0 if m == 1 else 1000.0)
        for y in (2024, 2025)
        for m in range(1, 13)
    ]
    settings = Settings(2026, spring_festival="yes")
    split = split_targets(
        TargetsInput(settings, [UnitSpec("company", "公司", annual=D(13000))], history)
    )
    (plan,) = split.plans
    # Seasonal works per calendar day, 2025 weighing 2 and 2024 weighing 1.  2025 has 2026's
    # month lengths, so its weights are the amounts themselves: January 2 parts of 13.
    # 2024 differs only in its 29-day February, worth 1000/29 per day × 28 days in 2026
    # = 965.5.  Per year (×12/its total) and weighted 2:1, over 3, the months come to
    # January 56.2455, February 27.7989 and 28.1227 each for the other ten (sum 365.2718):
    # January 15.4% and February 7.6% of the year before the adjustment.  The two months'
    # 84.0444 are split by 2026's workdays, January 21 (22 weekdays less 1 Jan) and
    # February 16 (20 weekdays less 6 festival days, plus the make-up Saturdays 14 and 28
    # Feb): 84.0444 × 21/37 = 47.7010 (13.1%), × 16/37 = 36.3436 (9.9%).  Of 13,000 that is
    # January 1,697.67, February 1,293.46 and 1,000.89 for each other month: the ten
    # other months have the larger remainders (.89) and take the 10 left over by the
    # whole numbers (1,697 + 1,293 + 10 × 1,000 = 12,990).
    assert plan.months[:3] == [1697, 1293, 1001]
    assert sum(plan.months) == 13000
    assert "January 15.4% → 13.1%, February 7.6% → 9.9% of the year" in plan.note
