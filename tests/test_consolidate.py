"""KPI arithmetic on small hand-checked cases (issue 4)."""

from __future__ import annotations

import datetime as dt

import pytest

from salesxl.consolidate import AsOfError, Thresholds, consolidate, consolidate_inbox
from salesxl.consolidate.standing import standings
from salesxl.core.calendar import Workdays
from salesxl.core.people import Rep, Roster
from salesxl.core.periods import Month
from tests.factory import NOV, daily, row

AS_OF = dt.date(2026, 11, 10)  # 7 of November's 21 workdays elapsed


@pytest.fixture
def summary():
    a = daily(
        "A",
        [
            row(2, "恒瑞贸易", phone="13800000001", source="phone", grade="A", stage="2"),
            row(3, "恒瑞贸易", phone="13800000001", source="visit", stage="5"),
            row(4, "天河科技", source="walkin", grade="B", stage="7", amount=1000.0, deposit=200.0),
            row(5, "华联商贸", source="referral", grade="C", stage="0"),
            row(12, "未来客户", source="phone", grade="C", stage="1"),  # after as_of: not counted
        ],
        team="一组",
        region="华东",
    )
    b = daily(
        "B",
        [
            row(6, "前海物流", source="visit", grade="A", stage="7", amount=3000.0),
            row(9, "前海物流", source="visit", grade="A", stage="7", amount=500.0),
        ],
        team="二组",
        region="华东",
    )
    c = daily(
        "C",
        [row(2, "西湖茶业", source="walkin", grade="B", stage="7", amount=9000.0)],
        team="三组",
        region="华南",
    )
    return consolidate([a, b, c], period=NOV, as_of=AS_OF, targets={"A": 10000, "C": 9000})


def by(summary, sheet, key="rep_id"):
    return {r[key]: r for r in summary.sheet(sheet).records()}


def test_rep_kpis_by_hand(summary):
    a = by(summary, "by_rep")["A"]
    assert (a["contacts"], a["visits"], a["deals"]) == (4, 2, 1)
    assert (a["grade_a"], a["grade_b"], a["grade_c"]) == (1, 1, 1)
    assert (a["amount"], a["deposit"]) == (1000.0, 200.0)
    assert a["new_customers"] == 3
    assert a["target"] == 10000
    assert a["paced_target"] == pytest.approx(10000 * 7 / 21)
    assert a["completion"] == pytest.approx(0.1)
    assert a["pace"] == pytest.approx(0.3)
    assert a["warning"] == "written"


def test_no_target_means_empty_not_zero(summary):
    b = by(summary, "by_rep")["B"]
    assert b["amount"] == 3500.0 and b["deals"] == 2
    assert b["target"] is None and b["completion"] is None and b["pace"] is None
    assert b["warning"] is None


def test_warning_levels_at_default_thresholds(summary):
    c = by(summary, "by_rep")["C"]
    assert c["pace"] == pytest.approx(9000 / 3000)
    assert c["warning"] == "ok"


def test_ranks_within_team_and_company(summary):
    reps = by(summary, "by_rep")
    assert [reps[r]["rank_company"] for r in "CAB"] == [1, 2, 3]  # completion first, then amount
    assert all(reps[r]["rank_team"] == 1 for r in "ABC")


def test_roll_ups_per_team_region_and_company(summary):
    regions = by(summary, "by_region", "region")
    east = regions["华东"]
    assert east["reps"] == 2 and east["contacts"] == 6 and east["amount"] == 4500.0
    # Only A has a target in 华东: completion is A's 1,000 against it, not B's 3,500 as well.
    assert east["target"] == 10000 and east["targeted_reps"] == 1
    assert east["targeted_amount"] == 1000.0
    assert east["completion"] == pytest.approx(0.1) and east["pace"] == pytest.approx(0.3)
    assert east["warning"] == "written"
    total = regions["合计 Total"]
    assert total["amount"] == 13500.0 and total["target"] == 19000
    assert (total["targeted_reps"], total["targeted_amount"]) == (2, 10000.0)
    assert total["completion"] == pytest.approx(10000 / 19000)
    assert total["pace"] == pytest.approx(10000 / (19000 / 3))
    teams = by(summary, "by_team", "team")
    assert teams["二组"]["deals"] == 2 and teams["一组"]["warning"] == "written"


def test_funnel_counts_and_conversion(summary):
    funnel = {r["rep_id"]: r for r in summary.sheet("funnel").records()}
    a = funnel["A"]
    # 恒瑞 reached 5, 天河 reached 7, 华联 was lost before any stage.
    assert [a[f"stage_{s}"] for s in "1234567"] == [3, 2, 2, 2, 2, 1, 1]
    assert a["lost"] == 1
    assert a["conv_1_2"] == pytest.approx(2 / 3) and a["conv_5_6"] == pytest.approx(0.5)
    total = summary.sheet("funnel").records()[-1]
    assert total["name"] == "合计 Total" and total["stage_1"] == 3 + 1 + 1


def test_headline(summary):
    h = summary.headline
    assert (h.reps, h.amount, h.target) == (3, 13500.0, 19000)
    assert h.completion == pytest.approx(10000 / 19000)  # B has no target
    overview = {r["metric_en"]: r["value"] for r in summary.sheet("overview").records()}
    assert overview["Reps with target"] == 2


def test_a_team_without_any_target_has_no_completion(summary):
    team_two = by(summary, "by_team", "team")["二组"]  # B alone, no target
    assert team_two["amount"] == 3500.0 and team_two["targeted_reps"] == 0
    assert team_two["target"] is None and team_two["targeted_amount"] is None
    assert team_two["completion"] is None and team_two["warning"] is None


def test_thresholds_are_configurable():
    a = daily("A", [row(2, "x", stage="7", amount=700.0)])
    loose = consolidate(
        [a],
        period=NOV,
        as_of=dt.date(2026, 11, 30),
        targets={"A": 1000},
        thresholds=Thresholds(oral=0.5, written=0.2),
    )
    assert by(loose, "by_rep")["A"]["warning"] == "ok"
    strict = consolidate(
        [a],
        period=NOV,
        as_of=dt.date(2026, 11, 30),
        targets={"A": 1000},
        thresholds=Thresholds(oral=0.95, written=0.75),
    )
    assert by(strict, "by_rep")["A"]["warning"] == "written"
    with pytest.raises(ValueError, match="written < oral"):
        Thresholds(oral=0.5, written=0.6)


def test_roster_reps_without_files_are_listed_with_empty_figures():
    roster = Roster({"A": Rep("A", "张伟", "华东", "一组"), "Z": Rep("Z", "赵敏", "华东", "一组")})
    summary = consolidate([daily("A", [row(2, "x")])], period=NOV, roster=roster, as_of=AS_OF)
    z = by(summary, "by_rep")["Z"]
    assert z["name"] == "赵敏" and z["contacts"] is None and z["amount"] is None


# Workday pacing across a holiday week and a make-up Saturday: October 2026 has the
# National Day holiday on Oct 1-7 and a make-up workday on Saturday Oct 10; 18 workdays.
@pytest.mark.parametrize(
    ("as_of", "elapsed"),
    [
        (dt.date(2026, 9, 30), 0),
        (dt.date(2026, 10, 7), 0),  # the whole holiday week: nothing due yet
        (dt.date(2026, 10, 8), 1),
        (dt.date(2026, 10, 9), 2),
        (dt.date(2026, 10, 10), 3),  # the make-up Saturday counts
        (dt.date(2026, 10, 11), 3),  # Sunday does not
        (dt.date(2026, 10, 31), 18),
        (dt.date(2026, 11, 5), 18),
    ],
)
def test_month_to_date_share_follows_the_china_calendar(as_of, elapsed):
    (standing,) = standings(
        {"A": Rep("A", "甲")}, Month(2026, 10), as_of, Workdays(), {"A"}, {}
    ).values()
    assert (standing.workdays, standing.elapsed) == (18, elapsed)
    assert standing.elapsed_share == pytest.approx(elapsed / 18)


def test_pace_in_the_holiday_week_is_unknown_not_a_warning():
    a = daily("A", [row(dt.date(2026, 10, 8), "x", stage="7", amount=100.0)], month=Month(2026, 10))
    summary = consolidate(
        [a], period=Month(2026, 10), as_of=dt.date(2026, 10, 7), targets={"A": 18000}
    )
    rep = by(summary, "by_rep")["A"]
    assert rep["paced_target"] == 0 and rep["pace"] is None and rep["warning"] is None


def test_workday_override_changes_the_pace():
    a = daily("A", [row(2, "x", stage="7", amount=1000.0)])
    # Declare Nov 2 a holiday: 6 of 20 workdays elapsed by Nov 10.
    workdays = Workdays({dt.date(2026, 11, 2): False})
    summary = consolidate([a], period=NOV, as_of=AS_OF, targets={"A": 20000}, workdays=workdays)
    assert by(summary, "by_rep")["A"]["paced_target"] == pytest.approx(20000 * 6 / 20)


def test_an_as_of_date_before_the_month_is_an_error_not_a_month_of_warnings(tmp_path):
    a = daily("A", [row(2, "x", stage="7", amount=100.0)])
    with pytest.raises(AsOfError, match="before the month 2026-11") as caught:
        consolidate([a], period=NOV, as_of=dt.date(2026, 10, 1), targets={"A": 1000})
    assert "2026-11-01" in caught.value.message_zh and "2026-11-01" in caught.value.message_en
    with pytest.raises(AsOfError):  # said before any file is read
        consolidate_inbox([tmp_path], period=NOV, as_of=dt.date(2026, 10, 31))
    # The first day of the month is fine: nothing is due yet.
    summary = consolidate([a], period=NOV, as_of=dt.date(2026, 11, 1), targets={"A": 1000})
    assert summary.headline.pace is None


def _funnel_and_grades(forms, as_of=dt.date(2026, 11, 30)):
    summary = consolidate(forms, period=NOV, as_of=as_of)
    funnel = {r["rep_id"]: r for r in summary.sheet("funnel").records()}
    reps = {r["rep_id"]: r for r in summary.sheet("by_rep").records()}
    return {
        rep: (
            [funnel[rep][f"stage_{s}"] for s in "1234567"],
            funnel[rep]["lost"],
            (reps[rep]["grade_a"], reps[rep]["grade_b"], reps[rep]["grade_c"]),
        )
        for rep in reps
    }


def test_customers_are_counted_as_the_customer_book_tells_them_apart():
    """The funnel and the grades count each customer once, as new customers and the 7-day
    rules know them (same phone, else the one phone of the same name, else the same name),
    whichever process counted them: the reading processes count each report's customers by
    kind with the digest."""
    import pickle

    from salesxl.consolidate.digest import digester

    report = daily(
        "A",
        [
            # one customer written two ways, with one phone (as a number, then with spaces)
            row(
                2, "北京华美科技有限公司", phone="13800000001", source="phone", grade="B", stage="2"
            ),
            row(5, "北京 华美科技", phone="138 0000 0001", source="visit", grade="B", stage="4"),
            # one name, two phones: two customers (the phone tells customers apart first)
            row(3, "甲", phone="13800000002", source="visit", grade="A", stage="3"),
            row(4, "甲", phone="13800000003", source="phone", grade="C", stage="1"),
            # no phone: the customer its name has a phone with (戊 and 13800000004)
            row(6, "戊", phone="13800000004", source="phone", stage="1"),
            row(7, "戊", source="visit", stage="2"),
            row(8, "丙", source="walkin", stage="0"),  # lost before any stage
        ],
    )
    # 华美 (B, 4), 甲/2 (A, 3), 甲/3 (C, 1), 戊 (none, 2), 丙 (lost): five customers;
    # stages reached 1..7 (a lost customer counts as reached 1), lost, grades A/B/C: by hand
    expected = {"A": ([5, 3, 2, 1, 0, 0, 0], 1, (1, 1, 1))}
    assert _funnel_and_grades([report]) == expected  # digested in this process
    made = digester(NOV, dt.date(2026, 11, 30), keep_rows=False)
    (read,) = [pickle.loads(pickle.dumps(made(report)))]  # as a reading process sends it
    assert read.digest.kinds == {
        ("B", "4", False): 1,
        ("A", "3", False): 1,
        ("C", "1", False): 1,
        (None, "2", False): 1,
        (None, None, True): 1,
    }
    assert _funnel_and_grades([read]) == expected
    summary = consolidate([read], period=NOV, as_of=dt.date(2026, 11, 30))
    (a,) = summary.sheet("by_rep").records()
    assert a["new_customers"] == 5  # the same five customers


def test_a_report_counted_alone_is_counted_again_when_the_month_names_its_customers_otherwise():
    """Rep A wrote 乙公司 without a phone; rep B wrote it with 13900000009, the phone A
    has for 丁公司: across the month 乙公司 is that phone's customer, so A's two rows are one
    customer, not the two A's report alone shows.  A's counts from its reading process
    give way to the month's."""
    import pickle

    from salesxl.consolidate.digest import digester

    a = daily(
        "A",
        [
            row(2, "丁公司", phone="13900000009", source="phone", grade="B", stage="2"),
            row(4, "乙公司", source="visit", grade="A", stage="4"),
        ],
    )
    b = daily("B", [row(3, "乙公司", phone="13900000009", source="phone", stage="1")])
    made = digester(NOV, dt.date(2026, 11, 30), keep_rows=False)
    read = [pickle.loads(pickle.dumps(made(f))) for f in (a, b)]
    assert sum(read[0].digest.kinds.values()) == 2  # alone: two customers
    # A: one customer, furthest 4, latest grade A (11-04); B: one, reached 1
    expected = {
        "A": ([1, 1, 1, 1, 0, 0, 0], 0, (1, 0, 0)),
        "B": ([1, 0, 0, 0, 0, 0, 0], 0, (0, 0, 0)),
    }
    assert _funnel_and_grades(read) == expected
    assert _funnel_and_grades([a, b]) == expected  # digested in this process alike


def test_a_reps_customers_merge_across_several_digests():
    """`rep_totals` also takes several digests of one rep (the counts of each report alone
    would count 丁 twice): their trails are merged by customer before counting."""
    from salesxl.consolidate.digest import digest_daily
    from salesxl.consolidate.kpis import rep_totals

    as_of = dt.date(2026, 11, 30)
    first = daily("B", [row(2, "丁", phone="13900000001", source="phone", grade="C", stage="5")])
    second = daily(
        "B",
        [
            row(12, "丁 ", phone="139 0000 0001", source="visit", stage="3"),  # no grade given
            row(13, "戊", source="visit", stage="1"),
        ],
    )
    digests = [("B", digest_daily(f, NOV, as_of)) for f in (first, second)]
    reps = {"B": Rep("B", "rep B")}
    standing = standings(reps, NOV, as_of, Workdays(), {"B"}, {})
    (b,) = rep_totals(reps, digests, {}, {}, None, standing, Thresholds()).values()
    # 丁 merged: furthest 5, grade C (the only one given); 戊 reached 1
    assert [b.reached[s] for s in "1234567"] == [2, 1, 1, 1, 1, 0, 0]
    assert (b.grades["A"], b.grades["B"], b.grades["C"], b.lost) == (0, 0, 1, 0)


@pytest.mark.parametrize(
    ("amount", "warning"),
    [
        (22000.0, "ok"),  # 22,000 / 27,500 = 0.80 exactly: on the oral line, not below it
        (21999.0, "oral"),
        (16500.0, "oral"),  # 16,500 / 27,500 = 0.60 exactly: on the written line
        (16499.0, "written"),
    ],
)
def test_a_pace_exactly_on_a_warning_line_is_not_below_it(amount, warning):
    """October 2026 has 18 workdays (the National Day week off, Saturday 10 October worked);
    by Wednesday 21 October 11 have passed, so a ¥45,000 month target is due at
    45,000 × 11 / 18 = ¥27,500.  A pace of exactly 0.8 or 0.6 (in yuan, not in binary
    fractions: 45,000 × (11 / 18) is 27,500.000000000004) is on the line, not below it."""
    oct_ = Month(2026, 10)
    report = daily(
        "A", [row(dt.date(2026, 10, 20), "珠江酒店", stage="7", amount=amount)], month=oct_
    )
    summary = consolidate([report], period=oct_, as_of=dt.date(2026, 10, 21), targets={"A": 45000})
    rep = by(summary, "by_rep")["A"]
    assert rep["paced_target"] == 27500
    assert rep["warning"] == warning


def test_deals_in_fen_that_add_up_to_the_line_are_on_it():
    """¥8,353.41 + ¥8,721.90 + ¥4,924.69 = ¥22,000.00, exactly 0.8 of the ¥27,500 due by
    21 October (as above); added up in binary fractions they make 21,999.999999999996."""
    oct_ = Month(2026, 10)
    deals = [(19, 8353.41), (20, 8721.90), (21, 4924.69)]
    rows = [row(dt.date(2026, 10, d), f"客户{d}", stage="7", amount=a) for d, a in deals]
    summary = consolidate(
        [daily("A", rows, month=oct_)],
        period=oct_,
        as_of=dt.date(2026, 10, 21),
        targets={"A": 45000},
    )
    rep = by(summary, "by_rep")["A"]
    assert rep["amount"] == pytest.approx(22000.0)
    assert rep["warning"] == "ok"
