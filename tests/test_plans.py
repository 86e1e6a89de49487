"""Weekly plan adherence and 日清 forecast accuracy."""

from __future__ import annotations

import datetime as dt

import pytest

from salesxl.consolidate import consolidate
from salesxl.core.calendar import Workdays
from salesxl.core.periods import Month, Week
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


def test_the_last_forecast_of_a_year_the_calendar_ends_with_waits():
    """Dec 31's forecast is for a day of next year; before that year's holidays are known
    (here: a calendar of 2030 alone) the December summary still comes out, that row
    without its day and not judged, the others judged as usual."""
    dec = Month(2030, 12)
    calendar = Workdays({dt.date(2030, 12, 25): True})  # 2030 from this sheet: weekends only
    report = daily(
        "A",
        [row(dt.date(2030, 12, 30), "甲", stage="7", amount=600.0)],  # a Monday
        month=dec,
        closes=[
            {"date": dt.date(2030, 12, 27), "forecast": 500.0},  # Friday -> Monday 600
            {"date": dt.date(2030, 12, 31), "forecast": 700.0},  # Tuesday -> 2031: not known
        ],
    )
    summary = consolidate([report], period=dec, as_of=dt.date(2030, 12, 31), workdays=calendar)
    got = {r["date"].day: r for r in summary.sheet("day_close").records()}
    # 1 − |600 − 500| / 600 = 5/6
    assert got[27]["next_day"] == dt.date(2030, 12, 30) and got[27]["actual"] == 600.0
    assert got[27]["accuracy"] == pytest.approx(5 / 6)
    assert got[31]["next_day"] is None and got[31]["actual"] is None
    assert got[31]["forecast"] == 700.0 and got[31]["accuracy"] is None


def test_the_last_forecast_of_the_month_is_for_a_day_of_the_next_one():
    """October's last day close (Friday the 30th) forecasts Monday 2 November, a day the
    October reports do not cover: consolidating October on 2 November leaves it unjudged
    instead of judging it against a ¥0 that was never reported.  Its forecast of the 29th
    for the 30th is judged as usual."""
    oct_ = Month(2026, 10)
    report = daily(
        "A",
        [row(dt.date(2026, 10, 30), "甲", stage="7", amount=4000.0)],  # Friday
        month=oct_,
        closes=[
            {"date": dt.date(2026, 10, 29), "forecast": 5000.0},  # Thursday -> Friday 4000
            {"date": dt.date(2026, 10, 30), "forecast": 20000.0},  # Friday -> Monday 2 Nov
        ],
    )
    summary = consolidate([report], period=oct_, as_of=dt.date(2026, 11, 2))
    got = {r["date"].day: r for r in summary.sheet("day_close").records()}
    # 1 − |4000 − 5000| / 5000 = 0.8
    assert got[29]["actual"] == 4000.0 and got[29]["accuracy"] == pytest.approx(0.8)
    assert got[30]["next_day"] == dt.date(2026, 11, 2)
    assert got[30]["actual"] is None and got[30]["difference"] is None
    assert got[30]["accuracy"] is None


def test_a_leavers_last_forecast_is_for_a_day_they_no_longer_work():
    """S003 leaves on Friday 13 November (roster).  Thursday's forecast for Friday is judged
    (¥2,000 of ¥2,500 forecast: 1 − 500 / 2,500 = 0.8); Friday's for Monday the 16th, a day
    after leaving with nothing reported, is not judged against ¥0."""
    from salesxl.core.people import Rep, Roster

    roster = Roster({"S003": Rep("S003", "刘洋", leave_date=dt.date(2026, 11, 13))})
    report = daily(
        "S003",
        [row(13, "长江建材", stage="7", amount=2000.0)],
        closes=[
            {"date": dt.date(2026, 11, 12), "forecast": 2500.0},
            {"date": dt.date(2026, 11, 13), "forecast": 3000.0},
        ],
    )
    summary = consolidate([report], period=NOV, as_of=dt.date(2026, 11, 30), roster=roster)
    got = {r["date"].day: r for r in summary.sheet("day_close").records()}
    assert got[12]["actual"] == 2000.0 and got[12]["accuracy"] == pytest.approx(0.8)
    assert got[13]["next_day"] == dt.date(2026, 11, 16)
    assert got[13]["actual"] is None and got[13]["accuracy"] is None


def test_a_forecast_for_the_day_still_under_way_waits():
    """Consolidated on Tuesday 10 November at 09:05 (as-of today): Friday's forecast for
    Monday is judged (¥1,000 of ¥1,000), Monday's for Tuesday is not — Tuesday has only
    begun and its report is due on Wednesday, so its ¥0 so far is not its amount.  The
    same day given as a past as-of is over, and judged."""
    from salesxl.consolidate.digest import DayActivity
    from salesxl.consolidate.plans import forecast_accuracy

    closes = [("A", dt.date(2026, 11, 6), 1000.0), ("A", dt.date(2026, 11, 9), 2000.0)]
    days = {"A": {dt.date(2026, 11, 9): DayActivity(1, 1000.0)}}

    def judged(at):
        rows = forecast_accuracy(closes, days, Workdays(), at, NOV, {})
        return [(r.next_day.day, r.actual, r.accuracy) for r in rows]

    assert judged(dt.datetime(2026, 11, 10, 9, 5)) == [(9, 1000.0, 1.0), (10, None, None)]
    # the end of the 10th (a past as-of): Tuesday is over, with nothing closed
    assert judged(dt.datetime(2026, 11, 10, 23, 59, 59)) == [(9, 1000.0, 1.0), (10, 0.0, 0.0)]
