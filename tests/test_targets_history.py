"""The targets History sheet as admins have it: laid out wide, before 2000, with gaps."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest
from conftest import write_xlsx

from salesxl.core.periods import Month
from salesxl.store import import_files, sales_history
from salesxl.targets import Settings, TargetsError, TargetsInput, UnitSpec, split_targets
from salesxl.targets.files import split_file
from salesxl.targets.inputs import history_gaps, read_targets_input
from tests import store_fixtures
from tests.store_fixtures import sale, sales_csv

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


def _monthly(unit: str, per_month: float, product: str | None = None, years=(2024, 2025)):
    return [(unit, product, Month(y, m), per_month) for y in years for m in range(1, 13)]


TEAMS = [
    UnitSpec("company", "公司", annual=D(6_000)),
    UnitSpec("team", "华东二组", "公司"),
    UnitSpec("team", "华南组", "公司"),
]


def test_history_of_a_unit_not_in_the_plan_is_warned_with_its_amount_and_share():
    """The team was renamed 华东2组 → 华东二组 in the plan but not in the ERP: its 2025 sales
    of 12 × 250 = 3,000 count for no unit: 华东二组, without history, counts as the average
    (华南组's 12 × 125 = 1,500) and the split is 3,000 : 3,000 instead of 4,000 : 2,000.
    The strays are 3,000 of the 4,500 sold in 2025: 66.7%.  华南组 typed with a space is
    华南组, not a stray."""
    history = _monthly("华东2组", 250) + _monthly("华南组 ", 100) + _monthly("华南组", 25)
    split = split_targets(TargetsInput(Settings(2026, method="equal"), TEAMS, history))
    annual = {p.unit: p.annual for p in split.plans}
    assert (annual["华东二组"], annual["华南组"]) == (3_000, 3_000)
    (warning,) = [w for w in split.warnings if "not in the Annual sheet" in w]
    assert "1 history unit not in the Annual sheet" in warning
    assert "(2025-01 – 2025-12): 华东2组 3,000 (华东二组?)" in warning
    assert "together 3,000, 66.7% of the history in those months" in warning
    assert "write the same name in the Annual sheet's 单元 Unit and in the history" in warning
    assert "华东2组 3,000（是否为 华东二组？）" in warning.parts[0][0]


def test_many_unmatched_units_are_listed_largest_first_then_counted():
    # Seven stray reps R1 … R7 sold 10 … 70 a month in 2025: 120 … 840 a year, 3,360 in all;
    # 华南组 sold 1,000 a month, 12,000: the strays are 3,360 of 15,360 = 21.9%.
    history = _monthly("华南组", 1_000)
    for k in range(1, 8):
        history += _monthly(f"R{k}", 10 * k)
    split = split_targets(TargetsInput(Settings(2026, method="equal"), TEAMS, history))
    (warning,) = [w for w in split.warnings if "not in the Annual sheet" in w]
    assert "7 history units" in warning
    assert ": R7 840, R6 720, R5 600, R4 480, R3 360 and 2 more;" in warning
    assert "together 3,360, 21.9% of the history" in warning


def test_a_rep_who_left_before_the_plan_year_is_counted_not_listed():
    units = [UnitSpec("company", "公司", annual=D(4_000)), UnitSpec("rep", "S001", "公司")]
    history = _monthly("S001", 100) + _monthly("S009", 100) + _monthly("S404", 100)
    inp = TargetsInput(
        Settings(2026, method="equal"), units, history, ends={"S009": Month(2025, 6)}
    )
    (warning,) = [w for w in split_targets(inp).warnings if "history unit" in w]
    # S404 alone is listed: 1,200 of the 3,600 sold in 2025 (S009 until June counts too).
    assert ": S404 1,200; together 1,200, 33.3% of the history" in warning
    assert "(1 rep the roster says left before the plan year not listed;" in warning


def test_a_product_typed_otherwise_takes_its_share_and_an_unknown_one_is_warned():
    """The plan's products are A药 and B药; the ERP typed A药 as `ａ药 ` (full width, a
    space) and B药 as B药: last year 300 : 100 a month, so 4,000 splits 3,000 : 1,000 —
    not 0 : 4,000 (A药 without history would count as the average of B药's).  C药 is
    in no product row: 12 × 200 = 2,400 of the unit's 7,200 in 2025 (33.3%)."""
    units = [
        UnitSpec("company", "公司", annual=D(4_000)),
        UnitSpec("product", "公司", product="A药"),
        UnitSpec("product", "公司", product="B药"),
    ]
    history = (
        _monthly("公司", 300, "ａ药 ") + _monthly("公司", 100, "B药") + _monthly("公司", 200, "C药")
    )
    split = split_targets(TargetsInput(Settings(2026, method="equal"), units, history))
    products = {p.product: p.annual for p in split.plans if p.product}
    assert products == {"A药": 3_000, "B药": 1_000}
    (warning,) = [w for w in split.warnings if "history product" in w]
    assert "1 history product not among their unit's product rows" in warning
    assert ": 公司 / C药 2,400" in warning
    assert "together 2,400, 33.3% of those units' history in those months" in warning


def test_the_unmatched_history_warning_reaches_the_split_notes_from_sales_records(tmp_path):
    annual = [
        ["层级", "单元", "上级", "年度目标"],
        ["company", "公司", "", 1200],
        ["rep", "S001", "公司", ""],
    ]
    path = write_xlsx(tmp_path / "t.xlsx", {"设置": SETTINGS, "年度目标": annual})
    sales = [["日期", "工号", "客户名称", "产品", "金额"]]
    sales += [[f"2025-{m:02d}-15", "s001", "甲医院", "A药", 100] for m in range(1, 13)]
    sales += [[f"2025-{m:02d}-15", "S0O2", "乙医院", "A药", 50] for m in range(1, 13)]
    records = write_xlsx(tmp_path / "sales.xlsx", {"销售记录": sales})
    result = split_file(path, tmp_path / "targets.xlsx", history=[records])
    # s001 is S001; S0O2 (a letter O for the zero) is nobody: 600 of 1,800 = 33.3%
    (warning,) = [w for w in result.warnings if "history unit" in w]
    assert ": S0O2 600; together 600, 33.3% of the history" in warning


# SQLite and a PostgreSQL server started for the session
pg_server = store_fixtures.pg_server
store_url = store_fixtures.store_url


def test_stored_sales_under_an_id_in_no_unit_are_warned_about(store_url, tmp_path):
    """`targets split --db`: the store keeps IDs as the ERP typed them; s001 is S001's, and
    S0O2 (a letter O) nobody's: 12 × 50 = 600 of the 1,800 sold in 2025, 33.3%."""
    annual = [
        ["层级", "单元", "上级", "年度目标"],
        ["company", "公司", "", 1200],
        ["rep", "S001", "公司", ""],
    ]
    path = write_xlsx(tmp_path / "t.xlsx", {"设置": SETTINGS, "年度目标": annual})
    rows = [sale(dt.date(2025, m, 15), "s001", "甲医院", "A药", 1, 100) for m in range(1, 13)]
    rows += [sale(dt.date(2025, m, 15), "S0O2", "乙医院", "A药", 1, 50) for m in range(1, 13)]
    import_files("sales", [sales_csv(tmp_path / "erp.csv", rows)], db=store_url)
    result = split_file(path, tmp_path / "targets.xlsx", extra_history=sales_history(store_url))
    (warning,) = [w for w in result.warnings if "history unit" in w]
    assert ": S0O2 600; together 600, 33.3% of the history" in warning
