"""Weekly plan adherence and 日清 forecast accuracy."""

from __future__ import annotations

import datetime as dt

import pytest

from salesxl.consolidate import consolidate
from salesxl.core.calendar import Workdays
from salesxl.core.people import Rep, Roster
from salesxl.core.periods import Month, Week
from tests.factory import NOV, daily, row, weekly

W46 = Week(2026, 46)  # Monday Nov 9 .. Sunday Nov 15
DEC = Month(2026, 12)
W49 = Week(2026, 49)  # Monday Nov 30 .. Sunday Dec 6: one day in November, six in December


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
            row(10, "丁", stage="3"),  # reported, nothing closed
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


def _dec(day: int, customer: str, **values: object) -> dict[str, object]:
    return row(dt.date(2026, 12, day), customer, **values)


def test_a_week_across_two_months_counts_each_day_in_its_own_month():
    """W49's plan: 甲 on Mon Nov 30 (¥2,000), 乙 on Tue Dec 1 (¥3,000), 丙 on Wed Dec 2.
    November's report has 甲 closed for ¥2,500 on Nov 30; December's has 乙 (stage 3) on
    Dec 1, 丙 closed for ¥1,000 on Dec 2 and 丁, not in the plan, on Dec 3.
    November judges Nov 30 alone: 1 visit planned, 1 made, ¥2,500 of ¥2,000.
    December judges Dec 1-6: 2 planned, 2 made, 1 other customer, ¥1,000 of ¥3,000.
    Together: the week's 3 visits, all made, and ¥3,500 of ¥5,000."""
    plan = weekly(
        "A",
        W49,
        [
            {"date": dt.date(2026, 11, 30), "customer": "甲", "expected_amount": 2000.0},
            {"date": dt.date(2026, 12, 1), "customer": "乙", "expected_amount": 3000.0},
            {"date": dt.date(2026, 12, 2), "customer": "丙", "expected_amount": None},
        ],
    )
    nov = daily("A", [row(30, "甲", source="visit", stage="7", amount=2500.0)])
    dec = daily(
        "A",
        [
            _dec(1, "乙", source="visit", stage="3"),
            _dec(2, "丙", source="visit", stage="7", amount=1000.0),
            _dec(3, "丁", source="phone", stage="1"),
        ],
        month=DEC,
    )
    forms = [nov, dec, plan]
    november = consolidate(forms, period=NOV, as_of=dt.date(2026, 12, 10))
    (in_nov,) = november.sheet("plan_vs_actual").records()
    assert november.results is not None
    (line,) = november.results.plans  # the scorecard's week, with the one day judged
    assert line.label == "2026-W49 11-30–11-30"
    (in_dec,) = (
        consolidate(forms, period=DEC, as_of=dt.date(2026, 12, 10))
        .sheet("plan_vs_actual")
        .records()
    )
    assert (in_nov["planned"], in_nov["done"], in_nov["other"]) == (1, 1, 0)
    assert in_nov["planned_amount"] == 2000.0 and in_nov["actual_amount"] == 2500.0
    assert in_nov["adherence"] == 1.0 and in_nov["amount_ratio"] == pytest.approx(1.25)
    assert "11-30" in in_nov["note"] and "2026-12" in in_nov["note"]
    assert (in_dec["planned"], in_dec["done"], in_dec["other"]) == (2, 2, 1)
    assert in_dec["planned_amount"] == 3000.0 and in_dec["actual_amount"] == 1000.0
    assert in_dec["amount_ratio"] == pytest.approx(1 / 3)
    assert "12-01" in in_dec["note"] and "12-06" in in_dec["note"] and "2026-11" in in_dec["note"]


def test_a_week_planned_wholly_in_the_month_before_is_not_judged_again():
    """W49 planned on Nov 30 only: December has nothing of it to judge (November does)."""
    plan = weekly("A", W49, [{"date": dt.date(2026, 11, 30), "customer": "甲"}])
    dec = daily("A", [_dec(1, "乙", source="visit", stage="3")], month=DEC)
    summary = consolidate([dec, plan], period=DEC, as_of=dt.date(2026, 12, 10))
    assert summary.sheet("plan_vs_actual").records() == []


def test_a_customer_planned_twice_and_met_twice_is_two_visits_made():
    """庚 planned Monday and Tuesday and met both days, 辛 planned Wednesday and met then,
    壬 planned twice and met once: 5 visits planned, 2 + 1 + 1 = 4 made (80 %)."""
    plan = weekly(
        "A",
        W46,
        [
            {"date": dt.date(2026, 11, 9), "customer": "庚"},
            {"date": dt.date(2026, 11, 10), "customer": "庚"},
            {"date": dt.date(2026, 11, 11), "customer": "辛"},
            {"date": dt.date(2026, 11, 12), "customer": "壬"},
            {"date": dt.date(2026, 11, 13), "customer": "壬"},
        ],
    )
    report = daily(
        "A",
        [
            row(9, "庚", source="visit", stage="3"),
            row(10, "庚", source="visit", stage="4"),
            row(11, "辛", source="visit", stage="3"),
            row(12, "壬", source="visit", stage="3"),
        ],
    )
    summary = consolidate([report, plan], period=NOV, as_of=dt.date(2026, 11, 20))
    (got,) = summary.sheet("plan_vs_actual").records()
    assert (got["planned"], got["done"], got["other"]) == (5, 4, 0)
    assert got["adherence"] == pytest.approx(0.8)
    assert got["note"] is None


def test_a_leavers_plan_after_the_leave_date_does_not_count():
    """赵六 leaves on Wed Nov 11; W46's plan has 甲 on the 10th (met, ¥1,000 planned) and
    乙 on the 12th (¥4,000 planned): only Nov 9-11 are judged, 1 visit of 1, ¥1,000."""
    roster = Roster({"D": Rep("D", "赵六", "华东", "一组", leave_date=dt.date(2026, 11, 11))})
    plan = weekly(
        "D",
        W46,
        [
            {"date": dt.date(2026, 11, 10), "customer": "甲", "expected_amount": 1000.0},
            {"date": dt.date(2026, 11, 12), "customer": "乙", "expected_amount": 4000.0},
        ],
    )
    report = daily("D", [row(10, "甲", source="visit", stage="7", amount=1000.0)])
    summary = consolidate([report, plan], period=NOV, as_of=dt.date(2026, 11, 20), roster=roster)
    (got,) = summary.sheet("plan_vs_actual").records()
    assert (got["planned"], got["done"], got["planned_amount"]) == (1, 1, 1000.0)
    assert got["adherence"] == 1.0 and got["amount_ratio"] == 1.0
    assert "11-09" in got["note"] and "11-11" in got["note"] and "离职" in got["note"]


def test_a_forecast_for_the_next_month_or_after_leaving_is_not_judged():
    """Mon Nov 30's forecast is for Tue Dec 1: November's summary reads no December report,
    so it is blank with a note, not a 0 % accuracy against a day it never saw.  赵六 leaves
    on Wed Nov 11: the forecast written that day is for the 12th, after leaving.  The
    forecast of the 10th (¥500, for the 11th: ¥400 closed) is judged: 1 − 100/500 = 0.8."""
    roster = Roster(
        {
            "A": Rep("A", "张三", "华东", "一组"),
            "D": Rep("D", "赵六", "华东", "一组", leave_date=dt.date(2026, 11, 11)),
        }
    )
    a = daily(
        "A",
        [row(30, "甲", stage="7", amount=900.0)],
        closes=[{"date": dt.date(2026, 11, 30), "forecast": 1000.0}],
    )
    d = daily(
        "D",
        [row(11, "乙", stage="7", amount=400.0)],
        closes=[
            {"date": dt.date(2026, 11, 10), "forecast": 500.0},
            {"date": dt.date(2026, 11, 11), "forecast": 800.0},
        ],
    )
    summary = consolidate([a, d], period=NOV, as_of=dt.date(2026, 12, 5), roster=roster)
    got = {(r["rep_id"], r["date"].day): r for r in summary.sheet("day_close").records()}
    last = got[("A", 30)]
    assert last["next_day"] == dt.date(2026, 12, 1)
    assert (last["actual"], last["difference"], last["accuracy"]) == (None, None, None)
    assert "下个月" in last["note"]
    gone = got[("D", 11)]
    assert gone["next_day"] == dt.date(2026, 11, 12)
    assert (gone["actual"], gone["accuracy"]) == (None, None) and "11-11" in gone["note"]
    assert got[("D", 10)]["actual"] == 400.0 and got[("D", 10)]["accuracy"] == pytest.approx(0.8)
    assert got[("D", 10)]["note"] is None


def test_a_plan_without_a_daily_report_has_unknown_visits_not_zeros():
    """B handed in W46's plan (2 visits, ¥6,000 expected) but no daily report: what B did is
    unknown, as the By rep sheet's blank figures say, not 0 visits and ¥0."""
    plan = weekly(
        "B",
        W46,
        [
            {"date": dt.date(2026, 11, 9), "customer": "甲", "expected_amount": 6000.0},
            {"date": dt.date(2026, 11, 10), "customer": "乙"},
        ],
    )
    other = daily("A", [row(9, "丙", source="visit", stage="7", amount=500.0)])
    summary = consolidate([other, plan], period=NOV, as_of=dt.date(2026, 11, 20))
    (got,) = summary.sheet("plan_vs_actual").records()
    assert (got["rep_id"], got["planned"], got["planned_amount"]) == ("B", 2, 6000.0)
    assert (got["done"], got["other"], got["actual_amount"]) == (None, None, None)
    assert (got["adherence"], got["amount_ratio"]) == (None, None)
    assert "没有日报" in got["note"] and "no daily report" in got["note"]


def test_a_forecast_is_judged_once_its_days_report_is_due():
    """As of Fri Nov 20: Thursday's report was due at 09:00 today, Friday's is due on Monday
    at 09:00.  Wednesday's forecast (¥1,000 for Thursday, which closed ¥1,000) is judged:
    exact.  Thursday's (¥2,000 for Friday, nothing written for Friday yet) waits, blank
    with a note, rather than a 0 % against a report not yet due."""
    report = daily(
        "A",
        [row(19, "甲", stage="7", amount=1000.0)],
        closes=[
            {"date": dt.date(2026, 11, 18), "forecast": 1000.0},
            {"date": dt.date(2026, 11, 19), "forecast": 2000.0},
        ],
    )
    summary = consolidate([report], period=NOV, as_of=dt.date(2026, 11, 20))
    got = {r["date"].day: r for r in summary.sheet("day_close").records()}
    assert got[18]["actual"] == 1000.0 and got[18]["accuracy"] == 1.0
    assert got[19]["next_day"] == dt.date(2026, 11, 20)
    assert (got[19]["actual"], got[19]["accuracy"]) == (None, None)
    assert "尚未到" in got[19]["note"] and "not due yet" in got[19]["note"]


def test_a_forecast_for_a_day_without_a_report_is_not_judged():
    """Monday's forecast (¥1,500) is for Tue Nov 10, for which the report has no row and no
    day close: the day's report is missing (as Submissions says), its sales unknown, so no
    0 % accuracy.  Wednesday's (¥1,500) is for Thu Nov 12, reported with ¥1,200 closed:
    1 − 300/1,500 = 0.8."""
    report = daily(
        "A",
        [
            row(9, "甲", stage="3"),
            row(11, "丙", stage="3"),
            row(12, "乙", stage="7", amount=1200.0),
        ],
        closes=[
            {"date": dt.date(2026, 11, 9), "forecast": 1500.0},
            {"date": dt.date(2026, 11, 11), "forecast": 1500.0},
        ],
    )
    summary = consolidate([report], period=NOV, as_of=dt.date(2026, 11, 20))
    got = {r["date"].day: r for r in summary.sheet("day_close").records()}
    assert got[9]["next_day"] == dt.date(2026, 11, 10)
    assert (got[9]["actual"], got[9]["accuracy"]) == (None, None)
    assert "缺交" in got[9]["note"] and "missing" in got[9]["note"]
    assert got[11]["actual"] == 1200.0 and got[11]["accuracy"] == pytest.approx(0.8)
    (missing,) = [r for r in summary.sheet("submissions").records() if r["rep_id"] == "A"]
    assert missing["day_2026-11-10"] == "missing"


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
    Monday is judged (¥1,000 of ¥1,000: Monday's report was due at 09:00), Monday's for
    Tuesday is not — Tuesday has only begun and its report is due on Wednesday at 09:00,
    so its ¥0 so far is not its amount.  At the end of Tuesday it still waits; on
    Wednesday at 09:05 it is judged: nothing closed, accuracy 0."""
    from salesxl.consolidate.digest import DayActivity
    from salesxl.consolidate.plans import forecast_accuracy

    closes = [("A", dt.date(2026, 11, 6), 1000.0), ("A", dt.date(2026, 11, 9), 2000.0)]
    days = {"A": {dt.date(2026, 11, 9): DayActivity(1, 1000.0)}}

    def judged(at):
        rows = forecast_accuracy(closes, days, Workdays(), at.date(), NOV, {}, judged=at)
        return [(r.next_day.day, r.actual, r.accuracy) for r in rows]

    assert judged(dt.datetime(2026, 11, 10, 9, 5)) == [(9, 1000.0, 1.0), (10, None, None)]
    assert judged(dt.datetime(2026, 11, 10, 23, 59, 59)) == [(9, 1000.0, 1.0), (10, None, None)]
    assert judged(dt.datetime(2026, 11, 11, 9, 5)) == [(9, 1000.0, 1.0), (10, 0.0, 0.0)]
