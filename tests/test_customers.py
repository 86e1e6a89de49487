"""The 7-day rules and attribution conflicts at their edges (README.md "For managers")."""

from __future__ import annotations

import datetime as dt
import pickle
import sys
import unicodedata
from collections import Counter
from dataclasses import astuple, fields

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesxl.consolidate import consolidate
from salesxl.consolidate.customers import build_customer_book, normalise_name
from salesxl.consolidate.digest import (
    Trail,
    _first_contact,
    _follow,
    _one_per_day,
    _trail_values,
    customer_kinds,
    digest_daily,
    identity,
    merge_trails,
    names_with_one_phone,
)
from salesxl.core.identity import _NAME_NOISE
from salesxl.core.periods import Month
from salesxl.forms.choices import LOST
from salesxl.read.values import normalise_phone
from tests.factory import NOV, daily, row


def lapses(forms, as_of, history=()):
    summary = consolidate(forms, period=NOV, as_of=as_of, history=history)
    return [r for r in summary.sheet("customers").records() if r["kind"] != "归属冲突 Conflict"]


def conflicts(forms, as_of=dt.date(2026, 11, 30), history=()):
    summary = consolidate(forms, period=NOV, as_of=as_of, history=history)
    return [r for r in summary.sheet("customers").records() if r["kind"] == "归属冲突 Conflict"]


# A walk-in on Nov 3 must be followed up by Nov 10 (day 7); on Nov 11 (day 8) it has lapsed.
@pytest.mark.parametrize(
    ("as_of", "lapsed"),
    [
        (dt.date(2026, 11, 9), False),
        (dt.date(2026, 11, 10), False),  # day 7: still in time today
        (dt.date(2026, 11, 11), True),  # day 8: lapsed
    ],
)
def test_walk_in_follow_up_day_7_vs_day_8(as_of, lapsed):
    form = daily("A", [row(3, "恒瑞贸易", source="walkin", grade="C", stage="3")])
    found = lapses([form], as_of)
    assert bool(found) is lapsed
    if lapsed:
        assert found[0]["rep_id"] == "A" and found[0]["date"] == dt.date(2026, 11, 3)
        assert found[0]["due"] == dt.date(2026, 11, 10) and found[0]["days"] == 8


def test_a_b_customer_followed_up_on_day_7_is_not_lapsed():
    form = daily(
        "A",
        [
            row(3, "恒瑞贸易", source="referral", grade="B", stage="3"),
            row(10, "恒瑞贸易", source="visit", grade="B", stage="4"),
        ],
    )
    assert lapses([form], dt.date(2026, 11, 17)) == []
    assert len(lapses([form], dt.date(2026, 11, 18))) == 1  # 7 days after the Nov 10 visit


def test_c_customer_by_referral_has_no_seven_day_rule():
    form = daily("A", [row(3, "恒瑞贸易", source="referral", grade="C", stage="3")])
    assert lapses([form], dt.date(2026, 11, 30)) == []


def test_closed_or_lost_customers_do_not_lapse():
    form = daily(
        "A",
        [
            row(3, "甲", source="walkin", grade="A", stage="7", amount=1.0),
            row(3, "乙", source="walkin", grade="A", stage="0"),
        ],
    )
    assert lapses([form], dt.date(2026, 11, 30)) == []


@pytest.mark.parametrize(("visit_day", "lapsed"), [(None, True), (10, False), (11, True)])
def test_phone_lead_needs_a_visit_within_7_days(visit_day, lapsed):
    rows = [row(3, "王先生", phone="13912345678", source="phone", grade="C", stage="1")]
    if visit_day:
        rows.append(
            row(visit_day, "王先生", phone="139 1234 5678", source="visit", grade="C", stage="2")
        )
    found = [
        r for r in lapses([daily("A", rows)], dt.date(2026, 11, 20)) if "电话客户" in r["kind"]
    ]
    assert bool(found) is lapsed


def test_same_phone_spelled_differently_is_one_customer_first_registration_wins():
    a = daily(
        "A", [row(5, "上海恒瑞贸易有限公司", phone="13800138000", source="walkin", stage="3")]
    )
    b = daily("B", [row(4, "恒瑞贸易", phone="+86 138-0013-8000", source="phone", stage="2")])
    found = conflicts([a, b])
    assert len(found) == 1
    c = found[0]
    assert (c["owner"], c["date"]) == ("B", dt.date(2026, 11, 4))
    assert (c["other_rep_id"], c["other_date"]) == ("A", dt.date(2026, 11, 5))


def test_same_name_without_phone_is_one_customer():
    a = daily("A", [row(5, "上海恒瑞贸易有限公司", source="walkin", stage="3")])
    b = daily("B", [row(6, "上海 恒瑞贸易", source="visit", stage="2")])
    assert [c["owner"] for c in conflicts([a, b])] == ["A"]


def test_same_name_different_phones_are_different_customers():
    a = daily("A", [row(5, "王先生", phone="13800000001", source="walkin", stage="3")])
    b = daily("B", [row(6, "王先生", phone="13900000002", source="walkin", stage="3")])
    assert conflicts([a, b]) == []


def test_first_deposit_wins_the_deal():
    a = daily(
        "A",
        [
            row(3, "恒瑞", phone="13800000001", source="walkin", stage="3"),
            row(9, "恒瑞", phone="13800000001", stage="6", amount=5000.0, deposit=500.0),
        ],
    )
    b = daily(
        "B",
        [
            row(
                5,
                "恒瑞",
                phone="13800000001",
                source="visit",
                stage="6",
                amount=5000.0,
                deposit=1000.0,
            )
        ],
    )
    c = conflicts([a, b])[0]
    assert c["owner"] == "A" and c["deal_owner"] == "B"


def test_attribution_across_months():
    october = daily(
        "B",
        [row(dt.date(2026, 10, 20), "恒瑞", phone="13800000001", source="walkin", stage="2")],
        month=Month(2026, 10),
    )
    november = daily("A", [row(12, "恒瑞", phone="13800000001", source="walkin", stage="3")])
    assert conflicts([november]) == []
    found = conflicts([november], history=[october])
    assert found[0]["owner"] == "B" and found[0]["date"] == dt.date(2026, 10, 20)
    # ... and the customer is no longer new for A.
    summary = consolidate([november], period=NOV, as_of=dt.date(2026, 11, 30), history=[october])
    assert summary.sheet("by_rep").records()[0]["new_customers"] == 0


def test_old_conflicts_without_a_contact_in_the_period_are_not_repeated():
    oct_a = daily("A", [row(dt.date(2026, 10, 2), "恒瑞", source="walkin")], month=Month(2026, 10))
    oct_b = daily("B", [row(dt.date(2026, 10, 3), "恒瑞", source="walkin")], month=Month(2026, 10))
    assert conflicts([], history=[oct_a, oct_b]) == []


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("上海恒瑞贸易有限公司", "上海恒瑞贸易"),
        ("上海 恒瑞贸易（有限公司）", "上海恒瑞贸易"),
        ("ＡＢＣ Trading Co.", "abctradingco"),
        ("公司", "公司"),
    ],
)
def test_normalise_name(raw, key):
    assert normalise_name(raw) == key


def test_a_name_that_is_its_own_key_comes_back_as_itself():
    name = "".join(["恒瑞", "贸易"])  # made at run time: not a constant shared by the compiler
    assert normalise_name(name) is name  # one copy kept for every trail, not two


def _plain_name_key(name: str) -> str:
    """The name key as its rule says it (what the fast path must equal): NFKC, lower case,
    every noise character dropped, then one company suffix, keeping at least two characters."""
    text = _NAME_NOISE.sub("", unicodedata.normalize("NFKC", name).lower())
    for suffix in ("股份有限公司", "有限责任公司", "有限公司", "公司"):
        if text.endswith(suffix) and len(text) > len(suffix) + 1:
            return text[: -len(suffix)]
    return text


def test_no_noise_character_is_a_letter_or_digit():
    # normalise_name skips the noise pattern for names of letters and digits only
    noise = [chr(c) for c in range(sys.maxunicode + 1) if _NAME_NOISE.fullmatch(chr(c))]
    assert len(noise) > 40  # every Unicode space and the punctuation listed
    assert not any(c.isalnum() for c in noise)


@given(
    st.text(
        alphabet=st.sampled_from(
            list(
                "恒瑞贸易有限公司股份责任ＡＢＣabcXYZ０１２3 \u3000\t-_.,，。·()（）[]【】'\"“”‘’/\\"
            )
        ),
        max_size=14,
    )
)
def test_normalise_name_equals_the_plain_rule(name):
    assert normalise_name(name) == _plain_name_key(name)


def test_rows_without_customer_or_date_make_no_customer():
    form = daily("A", [row(2, None, stage="3"), {"date": None, "customer": "x"}])
    digest = digest_daily(form, NOV, dt.date(2026, 11, 30))
    assert digest.trails == [] and digest.contacts == 1
    assert build_customer_book([]).customers == {}


def test_a_digest_crosses_processes_unchanged():
    """Workers pickle digests as plain tuples: every field must come back as it was."""
    import pickle

    form = daily(
        "A",
        [
            row(3, "恒瑞贸易", phone="13812345678", source="phone", grade="B", stage="2"),
            row(5, "恒瑞贸易", phone="13812345678", source="visit", stage="5"),
            row(
                9,
                "恒瑞贸易",
                phone="13812345678",
                source="phone",
                stage="7",
                amount=900.0,
                deposit=100.0,
                next_followup=dt.date(2026, 11, 16),
            ),
            row(6, "永辉", stage="3"),  # no phone, grade, visit or deposit: the None fields
            row(28, "永辉", stage="4"),  # after as_of: in the per-day activity only
        ],
        closes=[{"date": dt.date(2026, 11, 5), "forecast": 1200.0}],
    )
    digest = digest_daily(form, NOV, dt.date(2026, 11, 20))
    assert {t.first_visit for t in digest.trails} == {dt.date(2026, 11, 5), None}
    assert {t.next_followup for t in digest.trails} == {dt.date(2026, 11, 16), None}
    back = pickle.loads(pickle.dumps(digest))
    assert back == digest
    assert all(type(t.first) is dt.date and type(t.last) is dt.date for t in back.trails)
    assert back.per_day[dt.date(2026, 11, 28)].contacts == 1
    empty = digest_daily(daily("B", []), NOV, dt.date(2026, 11, 20))
    assert pickle.loads(pickle.dumps(empty)) == empty


def test_a_digest_keeps_one_date_object_per_day_across_processes():
    """Each day is pickled once and referred to after: the trails of one day share it, in
    the reading process and in the one that takes the digest in."""
    import pickle

    day_3 = [dt.date(2026, 11, 3) for _ in range(3)]  # the reader makes one per cell
    form = daily(
        "A",
        [
            row(day_3[0], "恒瑞贸易", phone="13812345678", source="phone"),
            row(day_3[1], "永辉", source="visit", grade="A"),
            row(day_3[2], "大华", next_followup=day_3[2]),
        ],
    )
    digest = digest_daily(form, NOV, dt.date(2026, 11, 20))
    for d in (digest, pickle.loads(pickle.dumps(digest))):
        days = [t.first for t in d.trails] + [t.last for t in d.trails] + list(d.per_day)
        days += [t.first_visit for t in d.trails if t.first_visit]
        days += [t.grade_date for t in d.trails if t.grade_date]
        days += [t.next_followup for t in d.trails if t.next_followup]
        assert len(days) == 3 + 3 + 1 + 1 + 1 + 1
        assert all(x == dt.date(2026, 11, 3) for x in days)
        assert len({id(x) for x in days}) == 1


def _trail(**changes):
    from salesxl.consolidate.digest import Trail

    fields = dict(
        customer="王先生",
        name_key="王先生",
        phone=None,
        first=dt.date(2026, 11, 3),
        first_source="电话",
        last=dt.date(2026, 11, 3),
        last_stage="1",
        grade=None,
        grade_date=None,
        furthest="1",
        walk_in=False,
        first_visit=None,
        first_deposit=None,
        in_period=True,
        next_followup=None,
    )
    fields.update(changes)
    fields.setdefault("stage_date", fields["last"] if fields["last_stage"] else None)
    return Trail(**fields)


def test_the_stage_is_the_latest_one_given_across_spellings():
    """A contact without a stage keeps the stage given before it: a won customer called
    after the sale is still won.  Merged, the later stage given wins, not the stage of the
    later contact (a: 3 on Nov 1, then a call without a stage on Nov 10; b: 7 on Nov 5)."""
    from salesxl.consolidate.digest import merge_trails

    a = _trail(last=dt.date(2026, 11, 10), last_stage="3", stage_date=dt.date(2026, 11, 1))
    b = _trail(customer="王 先生", last=dt.date(2026, 11, 5), last_stage="7")
    for m in (merge_trails(a, b), merge_trails(b, a)):
        assert (m.last, m.last_stage, m.stage_date) == (
            dt.date(2026, 11, 10),
            "7",
            dt.date(2026, 11, 5),
        )
    never = _trail(last=dt.date(2026, 11, 12), last_stage=None)  # no stage given at all
    assert merge_trails(a, never).last_stage == "3"
    assert merge_trails(never, a).stage_date == dt.date(2026, 11, 1)


def test_two_spellings_of_one_customer_merge_field_by_field():
    from salesxl.consolidate.digest import merge_trails

    # a: first called Nov 3 (phone), graded B on Nov 5, visited Nov 6, last seen Nov 10
    a = _trail(
        phone="13800000001",
        grade="B",
        grade_date=dt.date(2026, 11, 5),
        furthest="3",
        first_visit=dt.date(2026, 11, 6),
        last=dt.date(2026, 11, 10),
        last_stage="3",
    )
    # b: written "王 先生", first seen Nov 1 (a walk-in), graded A Nov 5 too, deposit Nov 12
    b = _trail(
        customer="王 先生",
        first=dt.date(2026, 11, 1),
        first_source="来访",
        walk_in=True,
        grade="A",
        grade_date=dt.date(2026, 11, 5),
        furthest="5",
        first_deposit=dt.date(2026, 11, 12),
        first_visit=dt.date(2026, 11, 1),
        last=dt.date(2026, 11, 12),
        last_stage="5",
        next_followup=dt.date(2026, 11, 19),
        in_period=False,
    )
    m = merge_trails(a, b)
    # identity and first contact from the earlier trail (b, Nov 1); b has no phone: a's
    assert (m.customer, m.first, m.first_source, m.phone) == (
        "王 先生",
        dt.date(2026, 11, 1),
        "来访",
        "13800000001",
    )
    # the latest contact and what was said then from the later one (b, Nov 12)
    assert (m.last, m.last_stage, m.next_followup) == (
        dt.date(2026, 11, 12),
        "5",
        dt.date(2026, 11, 19),
    )
    # the same grade date: the first trail's grade (a's B) stands, as max() keeps the first
    assert (m.grade, m.grade_date) == ("B", dt.date(2026, 11, 5))
    # the furthest stage of either, the earliest visit and deposit of either
    assert (m.furthest, m.first_visit, m.first_deposit) == (
        "5",
        dt.date(2026, 11, 1),
        dt.date(2026, 11, 12),
    )
    assert m.walk_in and m.in_period
    # merged the other way round: the same trail but for the tie of grades (now b's A)
    n = merge_trails(b, a)
    assert (n.grade, n.first, n.last, n.furthest) == ("A", m.first, m.last, m.furthest)


def test_a_trail_without_grades_or_stages_merges_to_none():
    from salesxl.consolidate.digest import merge_trails

    a, b = _trail(furthest=None, last_stage=None), _trail(furthest=None, last_stage=None)
    m = merge_trails(a, b)
    assert (m.grade, m.grade_date, m.furthest, m.first_visit, m.first_deposit) == (None,) * 5
    assert m.last == a.last and m is not a and m is not b


_LAPSE_DAYS = [dt.date(2026, 11, d) for d in (3, 5, 9)]


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["A", "B", "C", "D"]),
            st.sampled_from(_LAPSE_DAYS),
            st.sampled_from(["乙", "甲", "Zeta", "alpha"]),
            st.sampled_from(["phone_no_visit", "no_follow_up"]),
        ),
        max_size=60,
    ),
    st.integers(min_value=1, max_value=8),
)
def test_lapses_sort_only_when_asked_and_pick_each_reps_first_alike(drawn, limit):
    """`Lapses` is the lapses sorted by due date, rep and customer (ties in the order found),
    and `first_per_rep` each rep's first `limit` of that list with each rep's total: the
    same as sorting everything and counting, on lists with many ties."""
    import pickle

    from salesxl.consolidate.customers import Lapse, Lapses

    found = [
        Lapse(rule, customer, f"1380000{i:04d}", rep, due - dt.timedelta(days=7), due, 7)
        for i, (rep, due, customer, rule) in enumerate(drawn)
    ]
    expected = sorted(found, key=lambda x: (x.due, x.rep, x.customer))  # stable
    lapses = Lapses(list(found))
    kept, totals = lapses.first_per_rep(limit)
    seen: dict[str, int] = {}
    first = []
    for lapse in expected:
        seen[lapse.rep] = seen.get(lapse.rep, 0) + 1
        if seen[lapse.rep] <= limit:
            first.append(lapse)
    assert [x.phone for x in kept] == [x.phone for x in first]  # the phones tell ties apart
    assert totals == seen
    assert len(lapses) == len(found) and lapses == expected and list(lapses) == expected
    assert lapses[:2] == expected[:2] and pickle.loads(pickle.dumps(lapses)) == expected
    # handed over as the book finds them, each rep's apart (`CustomerBook._windows`): alike
    by_rep: dict[str, list[Lapse]] = {}
    for lapse in found:
        by_rep.setdefault(lapse.rep, []).append(lapse)
    grouped = Lapses(by_rep=by_rep)
    again, counted = grouped.first_per_rep(limit)
    assert [x.phone for x in again] == [x.phone for x in first] and counted == seen
    assert len(grouped) == len(found) and [x.phone for x in grouped] == [x.phone for x in expected]


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["A", "B", "C"]),
            st.sampled_from(["乙", "甲", "alpha"]),
            st.integers(min_value=10, max_value=40),  # the phone: customers of several reps
            st.integers(min_value=1, max_value=14),  # the first contact's day
            st.integers(min_value=0, max_value=12),  # days from the first contact to the last
            st.sampled_from(["phone", "walkin", "other"]),
            st.sampled_from([None, "A", "C"]),
            st.sampled_from([None, "1", "3", "7", "0"]),
            st.sampled_from([None, None, 3, 9]),  # days from the first contact to the visit
        ),
        min_size=10,
        max_size=60,
    ),
    st.integers(min_value=1, max_value=5),
    st.sampled_from([dt.date(2026, 11, 12), dt.date(2026, 11, 20)]),
)
def test_each_reps_most_urgent_windows_are_those_of_every_lapse_made(drawn, limit, as_of):
    """The book's windows are made into lapses only as they are asked for
    (`Lapses.of_windows`): each rep's first `limit` (picked among the earliest contacts)
    and the whole sorted list are those of every window made into a lapse first, ties
    (one customer's two rules on one day, two customers of one name) in the order found."""
    from salesxl.consolidate.customers import Lapses

    trails = [
        (
            rep,
            _trail(
                customer=name,
                name_key=name,
                phone=f"138000000{phone}",
                first=dt.date(2026, 11, first),
                first_source=source,
                walk_in=source == "walkin",
                last=dt.date(2026, 11, first + later),
                grade=grade,
                last_stage=stage,
                first_visit=None if visit is None else dt.date(2026, 11, first + visit),
            ),
        )
        for rep, name, phone, first, later, source, grade, stage, visit in drawn
    ]
    book = build_customer_book(trails)
    start = NOV.first_day
    made = book.windows(start, as_of, as_of)  # every window a lapse, sorted
    lazy = Lapses.of_windows(book._windows(start, as_of), as_of)
    kept, totals = lazy.first_per_rep(limit)
    expected, counted = Lapses(made).first_per_rep(limit)
    assert kept == expected and totals == counted
    assert [x.phone for x in kept] == [x.phone for x in expected]
    assert len(lazy) == len(made) and lazy == made and list(lazy) == made
    assert pickle.loads(pickle.dumps(lazy)) == made
    assert book.lapses_and_coming_due(as_of, start, 0)[0] == made


def test_each_reps_most_urgent_lapses_by_hand():
    """Rep A's lapses found out of order: due 9, 3 (乙), 5, 3 (甲), 3 (乙, a second phone);
    B's one due 5.  Customers sort by their characters' code points (乙 U+4E59 before 甲
    U+7532), so at 2 per rep A keeps the two 乙 lapses due on the 3rd, in the order found."""
    from salesxl.consolidate.customers import Lapse, Lapses

    def lapse(rep, day, customer, phone):
        due = dt.date(2026, 11, day)
        return Lapse("no_follow_up", customer, phone, rep, due - dt.timedelta(days=7), due, 7)

    found = [
        lapse("A", 9, "丙", "1"),
        lapse("A", 3, "乙", "2"),
        lapse("B", 5, "丁", "3"),
        lapse("A", 5, "甲", "4"),
        lapse("A", 3, "甲", "5"),
        lapse("A", 3, "乙", "6"),
    ]
    kept, totals = Lapses(found).first_per_rep(2)
    assert [(x.rep, x.due.day, x.customer, x.phone) for x in kept] == [
        ("A", 3, "乙", "2"),
        ("A", 3, "乙", "6"),
        ("B", 5, "丁", "3"),
    ]
    assert totals == {"A": 5, "B": 1}
    # all of them: the 3rd (乙, 乙, 甲), then the 5th (A before B), then the 9th
    assert [x.phone for x in Lapses(found)] == ["2", "6", "5", "4", "3", "1"]


def test_a_months_lapses_are_the_books_windows_sorted():
    """Consolidation hands its lapses over unsorted (`Lapses`); asked for, they are the
    book's windows, most urgent first, as the scorecards and packs read them."""
    from salesxl.consolidate.customers import Lapses

    forms = [
        daily("A", [row(d, f"客户{d}", phone=f"1380000000{d}", source="phone") for d in (5, 2)]),
        daily("B", [row(3, "前海物流", source="walkin", grade="A")]),
    ]
    as_of = dt.date(2026, 11, 30)
    results = consolidate(forms, period=NOV, as_of=as_of).results
    assert results is not None and isinstance(results.lapses, Lapses)
    assert [(x.rep, x.customer, x.rule, x.due.day) for x in results.lapses] == [
        ("A", "客户2", "phone_no_visit", 9),
        ("B", "前海物流", "no_follow_up", 10),
        ("A", "客户5", "phone_no_visit", 12),
    ]


def test_the_lapses_of_reps_taking_turns_in_the_book():
    """Two reps called the same two customers: the book holds each customer's trails of
    both, so the reps take turns in it; each rep's lapses are still gathered whole, most
    urgent first, and the summary shows each rep's first one."""
    forms = [
        daily(
            rep,
            [
                row(2, "甲", phone="13800000001", source="phone"),
                row(3, "乙", phone="13800000002", source="phone"),
            ],
        )
        for rep in ("B", "A")
    ]
    results = consolidate(forms, period=NOV, as_of=dt.date(2026, 11, 30)).results
    assert results is not None
    assert [(x.due.day, x.rep, x.customer) for x in results.lapses] == [
        (9, "A", "甲"),
        (9, "B", "甲"),
        (10, "A", "乙"),
        (10, "B", "乙"),
    ]
    kept, totals = results.lapses.first_per_rep(1)  # type: ignore[attr-defined]
    assert [(x.rep, x.customer) for x in kept] == [("A", "甲"), ("B", "甲")]
    assert totals == {"A": 2, "B": 2}


def test_a_won_customer_has_no_lapse_after_a_call_without_a_stage():
    """苏州和光 was won on Nov 5 and called after the sale on Nov 9 with no stage given: still
    won, no lapse.  杭州新元, registered by A (walk-in, A grade, last seen Nov 6) and won by
    B on Nov 11, still lapses for A on Nov 13: A gave the customer up, which is what lets B
    take it.  A's 南京博远 (walk-in, last seen Nov 10) lapses on Nov 17."""
    forms = [
        daily(
            "A",
            [
                row(5, "苏州和光", phone="13700000005", source="walkin", grade="A", stage="7"),
                row(9, "苏州和光", phone="13700000005", source="phone", grade="A"),
                row(2, "杭州新元", phone="13700000004", source="walkin", grade="A", stage="2"),
                row(6, "杭州新元", phone="13700000004", source="visit", grade="A", stage="4"),
                row(10, "南京博远", phone="13700000007", source="walkin", grade="B", stage="3"),
            ],
        ),
        daily("B", [row(11, "杭州新元有限公司", phone="13700000004", source="visit", stage="7")]),
    ]
    results = consolidate(forms, period=NOV, as_of=dt.date(2026, 11, 24)).results
    assert results is not None
    assert [(x.rep, x.customer, x.due.day) for x in results.lapses] == [
        ("A", "杭州新元", 13),
        ("A", "南京博远", 17),
    ]
    # and the funnel still sees 苏州和光 as won, not as a customer with no stage
    (a,) = [t for t in results.reps.values() if t.key == "A"]
    assert a.reached["7"] == 1 and a.lost == 0


_SOME_DAY = dt.date(2026, 11, 3)


@given(
    phone=st.sampled_from([None, "", "13800000000", "+86 138 0000 0000", "010-1234 5678", "12345"]),
    stage=st.sampled_from([None, "", "1", "4", "7", "0", "9"]),
    grade=st.sampled_from([None, "", "A", "B", "C"]),
    source=st.sampled_from([None, "", "phone", "walkin", "visit", "referral", "other", "门店"]),
    deposit=st.sampled_from([None, 0.0, 500.0]),
    next_followup=st.sampled_from(
        [None, dt.date(2026, 11, 9), dt.datetime(2026, 11, 9, 10), "2026-11-09"]
    ),
    current=st.booleans(),
)
def test_a_first_contact_makes_the_trail_following_it_from_nothing_makes(
    phone, stage, grade, source, deposit, next_followup, current
):
    """A customer's first contact makes the whole trail in one go (`_first_contact`): the
    same trail as `_follow` extending an empty one by that contact, whatever it holds."""
    digits, valid = normalise_phone(phone) if phone else ("", False)
    empty = Trail(
        "王先生",
        "王先生",
        digits if valid else None,
        _SOME_DAY,
        source,
        _SOME_DAY,
        None,
        None,
        None,
        None,
        False,
        None,
        None,
        current,
    )
    _follow(empty, _SOME_DAY, stage, grade, source, deposit, next_followup)
    made = _first_contact(
        "王先生", "王先生", phone, _SOME_DAY, stage, grade, source, deposit, next_followup, current
    )
    assert made == empty
    assert [type(v) for v in astuple(made)] == [type(v) for v in astuple(empty)]


def test_a_digest_sends_every_field_of_its_trails_in_their_order():
    """A digest crosses from its reading process as plain tuples of its trails' fields,
    written out field by field (`_trail_values`): every field, in the dataclass's order,
    and the trails come back equal."""
    days = iter(dt.date(2026, 11, d) for d in range(1, 20))
    values = [
        f"text {i}" if f.type == "str" else next(days) if "date" in f.type else i
        for i, f in enumerate(fields(Trail))
    ]
    trail = Trail(*values)
    assert _trail_values([trail]) == [astuple(trail)] == [tuple(values)]
    assert len(set(map(repr, values))) == len(values)  # a field out of place shows
    digest = digest_daily(daily("A", [row(3, "大华", phone="13800000001")]), NOV, NOV.last_day)
    digest.trails.append(trail)
    back = pickle.loads(pickle.dumps(digest))
    assert back.trails == digest.trails and back.trails[-1] == trail


_PHONES = st.one_of(
    st.sampled_from(
        [
            None,
            "",
            13800000000,
            13800000000.0,
            "13800000000",
            "12800000000",
            "1380000000",
            "138000000001",
            "１３８００００００００",  # full width: digits, not ASCII
            "1３800000000",
            "13８00000000",
            "١٣٨٠٠٠٠٠٠٠٠",  # Arabic-Indic digits
            "138 0000 0000",
            "+8613800000000",
            "010-12345678",
        ]
    ),
    st.text(alphabet="0123456789１３８+- ", max_size=14),
)


@given(phone=_PHONES)
def test_a_first_contact_keeps_the_phone_normalise_phone_gives(phone):
    """`_first_contact` keeps a plain 11-digit mobile number as it is, without asking
    `normalise_phone`: the same phone as it would give, whatever the cell holds."""
    digits, valid = normalise_phone(phone) if phone else ("", False)
    made = _first_contact("王先生", "王先生", phone, _SOME_DAY, None, None, None, None, None, True)
    assert made.phone == (digits if valid else None)
    assert type(made.phone) is (str if valid else type(None))


_CELLS = st.sampled_from(
    [
        None,
        "",
        "2026-11-03",
        dt.date(2026, 11, 3),
        dt.date(2026, 11, 4),
        dt.datetime(2026, 11, 3),
        dt.datetime(2026, 11, 3, 9),
        3,
        True,
        1.0,
    ]
)


@given(column=st.lists(_CELLS, max_size=12), other=st.lists(_CELLS, max_size=12))
def test_one_date_object_a_day_leaves_every_value_as_it_was(column, other):
    """`_one_per_day` gives each date as the first equal date seen (across columns) and
    every other value as it is, of the same type: a datetime stays a datetime, True stays
    True (equal to 1, but no date)."""
    copies = [d.replace() if type(d) is dt.date else d for d in column]  # other objects
    same: dict[dt.date, dt.date] = {}
    first = _one_per_day(column, same)
    second = _one_per_day(copies, same)
    for before, after in ((column, first), (copies, second)):
        assert after == before
        assert list(map(type, after)) == list(map(type, before))
        for a, b in zip(after, before, strict=True):
            if type(b) is not dt.date:
                assert a is b
    seen: dict[dt.date, dt.date] = {}
    for d in [*column, *copies]:
        if type(d) is dt.date:
            seen.setdefault(d, d)
    assert all(a is seen[a] for a in [*first, *second] if type(a) is dt.date)


_TRAILS = st.lists(
    st.builds(
        Trail,
        customer=st.sampled_from(["大华", "永辉", "恒瑞"]),
        name_key=st.sampled_from(["大华", "永辉", "恒瑞"]),
        phone=st.sampled_from([None, "", "13800000001", "13800000002"]),
        first=st.sampled_from([_SOME_DAY, dt.date(2026, 11, 5)]),
        first_source=st.sampled_from([None, "phone", "visit"]),
        last=st.sampled_from([_SOME_DAY, dt.date(2026, 11, 5)]),
        last_stage=st.sampled_from([None, "1", "4", "0"]),
        grade=st.sampled_from([None, "A", "C"]),
        grade_date=st.sampled_from([None, _SOME_DAY, dt.date(2026, 11, 5)]),
        furthest=st.sampled_from([None, "1", "4", "7"]),
        walk_in=st.booleans(),
        first_visit=st.sampled_from([None, _SOME_DAY]),
        first_deposit=st.sampled_from([None, _SOME_DAY]),
        in_period=st.booleans(),
    ),
    max_size=8,
)


@given(trails=_TRAILS, month_phones=st.sampled_from([None, {"大华": "13800000001", "永辉": ""}]))
def test_customer_kinds_tells_customers_apart_as_identity_does(trails, month_phones):
    """`customer_kinds` works out each trail's `identity` itself: the same kinds as merging
    the trails by `identity`, with a report's own phones or the month's."""
    one_phone = names_with_one_phone(trails) if month_phones is None else month_phones
    by_customer: dict[str, Trail] = {}
    for trail in trails:
        key = identity(trail, one_phone)
        known = by_customer.get(key)
        by_customer[key] = merge_trails(known, trail) if known else trail
    expected = Counter((t.grade, t.furthest, t.last_stage == LOST) for t in by_customer.values())
    assert customer_kinds(trails, one_phone) == expected
