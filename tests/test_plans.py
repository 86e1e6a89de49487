"""Weekly plan adherence and 日清 forecast accuracy."""

from __future__ import annotations

import datetime as dt

import pytest

from salesxl.consolidate import consolidate
from salesxl.core.periods import Week
from tests.factory import NOV, daily, row, weekly

W46 = Week(2026, 46)  # Monday Nov 9 .. Sunday Nov 15


def test_plan_vs_actual_by_hand():
    plan = weekly(
        "A",
        W46,
        [
            {
                "date": dt.date(2026, 11, 9),
                "customer": "恒瑞贸易有限公司",
                "expected_amount": 5000.0,
            },
            {"date": dt.date(2026, 11, 10), "customer": "天河科技", "expected_amount": 3000.0},
            {"date": dt.date(2026, 11, 11), "customer": "华联商贸", "expected_amount": None},
            {"date": dt.date(2026, 11, 12), "customer": "前海物流", "expected_amount": 2000.0},
        ],
    )
    report = daily(
        "A",
        [
            row(
                9, "恒瑞贸易", source="visit", stage="7", amount=4000.0
            ),  # same customer, no 有限公司
            row(13, "天河科技", source="visit", stage="5"),
            row(13, "西湖茶业", source="phone", stage="1"),  # not in the plan
            row(16, "华联商贸", source="visit", stage="2"),  # the week after: does not count
        ],
    )
    summary = consolidate([report, plan], period=NOV, as_of=dt.date(2026, 11, 20))
    (got,) = summary.sheet("plan_vs_actual").records()
    assert (got["week"], got["planned"], got["done"], got["other"]) == ("2026-W46", 4, 2, 1)
    assert got["adherence"] == pytest.approx(0.5)
    assert got["planned_amount"] == 10000.0 and got["actual_amount"] == 4000.0
    assert got["amount_ratio"] == pytest.approx(0.4)


def test_forecast_against_the_next_workday():
    report = daily(
        "A",
        [
            row(6, "甲", stage="7", amount=800.0),  # Friday
            row(9, "乙", stage="7", amount=1000.0),  # Monday
            row(9, "丙", stage="5", amount=999.0),  # not closed: not sales
        ],
        closes=[
            {"date": dt.date(2026, 11, 5), "forecast": 1000.0},  # Thursday -> Friday 800
            {
                "date": dt.date(2026, 11, 6),
                "forecast": 1000.0,
            },  # Friday -> Monday 1000 (weekend skipped)
            {"date": dt.date(2026, 11, 9), "forecast": 0.0},  # Monday -> Tuesday 0: exact
            {"date": dt.date(2026, 11, 19), "forecast": 500.0},  # Thursday -> Friday after as_of
        ],
    )
    summary = consolidate([report], period=NOV, as_of=dt.date(2026, 11, 19))
    got = {r["date"].day: r for r in summary.sheet("day_close").records()}
    assert got[5]["next_day"] == dt.date(2026, 11, 6) and got[5]["actual"] == 800.0
    assert got[5]["accuracy"] == pytest.approx(0.8) and got[5]["difference"] == -200.0
    assert got[6]["next_day"] == dt.date(2026, 11, 9) and got[6]["accuracy"] == 1.0
    assert got[9]["actual"] == 0 and got[9]["accuracy"] == 1.0
    assert got[19]["actual"] is None and got[19]["accuracy"] is None
