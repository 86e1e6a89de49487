"""Customers across reps: identity, new customers, the 7-day rules, attribution.

Rules from the sales-floor regulations (README.md "For managers"):
- a phone lead 电话客户 must visit within 7 days, else its registration lapses;
- a walk-in 来访 customer (and any A/B prospect) must be followed up within
  7 days, else the rep is taken to have given the customer up;
- a customer a rep won (成交) or lost (流失) has nothing left for that rep to
  follow up: its stage is the latest one given (a call after the sale without a
  stage keeps it won); another rep's window still runs out, as it decides who
  may take the customer;
- one customer is identified by the same normalised phone, else the same
  normalised name; the first registration wins the customer, the first
  deposit wins the deal.
The book is built from the reps' customer trails (see `digest`).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from heapq import nsmallest
from itertools import chain
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple, overload

from salesxl.consolidate.digest import Trail, merge_trails, names_with_one_phone
from salesxl.core.identity import normalise_name
from salesxl.forms.choices import CLOSED_WON, FOLLOW_UP_GRADES, LEAD_SOURCES, LOST

__all__ = [
    "FOLLOW_UP_DAYS",
    "Conflict",
    "CustomerBook",
    "Lapse",
    "Lapses",
    "build_customer_book",
    "normalise_name",
]

FOLLOW_UP_DAYS = 7
_WINDOW = dt.timedelta(days=FOLLOW_UP_DAYS)
_DUE_ORDER = attrgetter("due", "rep", "customer")
_URGENCY = itemgetter(5, 1)  # a rep's own order: due date, customer
_DUE = attrgetter("due")
_TRAIL = itemgetter(1)  # of (rep, trail)
_SINCE = itemgetter(0)  # of a `Window`
_PHONE_NO_VISIT, _NO_FOLLOW_UP = "phone_no_visit", "no_follow_up"


class Lapse(NamedTuple):
    """A 7-day window (a tuple: a cold-calling month makes a hundred thousand of them)."""

    rule: str  # "phone_no_visit" | "no_follow_up"
    customer: str
    phone: str | None
    rep: str
    since: dt.date  # the contact the 7 days run from
    due: dt.date  # the last day the follow-up / visit was due
    days: int  # days since `since`, as of the consolidation date
    last_contact: dt.date | None = None  # the rep's latest contact with the customer


# A window found, not yet made a `Lapse` (a cold-calling month finds 185,000 and the summary
# shows 20,000): the contact it runs from, the rule, the trail.
Window = tuple[dt.date, str, Trail]
_Dues = dict[dt.date, tuple[dt.date, int]]  # a contact day -> (due date, days since)


def _lapses(
    rep: str,
    windows: Iterable[Window],
    as_of: dt.date,
    after: _Dues,
) -> list[Lapse]:
    """`rep`'s `windows` as lapses judged at `as_of`, in their order; `after` keeps a contact
    day's (due date, days since) for the next rep's (a month has a few dozen days)."""
    make = tuple.__new__  # a cold-calling month: 185,000 lapses when all are asked for
    found = []
    for since, rule, t in windows:
        due, days = after.get(since) or after.setdefault(
            since, (since + _WINDOW, (as_of - since).days)
        )
        found.append(make(Lapse, (rule, t.customer, t.phone, rep, since, due, days, t.last)))
    return found


@dataclass(frozen=True, slots=True)
class Conflict:
    customer: str
    phone: str | None
    owner: str  # first registration wins the customer
    owner_date: dt.date
    other: str
    other_date: dt.date
    deal_owner: str | None  # first deposit wins the deal
    deal_date: dt.date | None


@dataclass(slots=True)
class CustomerBook:
    """Every customer identity with each rep's (merged) trail, earliest first."""

    customers: dict[str, list[tuple[str, Trail]]] = field(default_factory=dict)
    # name key -> the one phone the trails give it ("" for several): `digest.identity`
    one_phone: dict[str, str] = field(default_factory=dict)
    # (rep, identity) of a graded customer whose trails of this month and of the months
    # before were merged: where a grade may come from an earlier month (`graded_before`)
    met_again: list[tuple[str, str]] = field(default_factory=list)

    def new_customers(self, period_start: dt.date, period_end: dt.date) -> dict[str, int]:
        """Rep -> customers first ever seen in the period, credited to the first registrant."""
        counts: dict[str, int] = defaultdict(int)
        for trails in self.customers.values():
            rep, first = trails[0]
            if period_start <= first.first <= period_end:
                counts[rep] += 1
        return dict(counts)

    def graded_before(self, period_start: dt.date) -> dict[str, dict[str, int]]:
        """Rep -> grade -> the customers the rep met in the period without giving a grade,
        counted by the latest grade the rep gave them in an earlier month.  The 7-day rule
        treats such a customer by that grade; the A/B/C counts add them so that both agree
        (README.md "For managers").  Only the customers met both in the period and before
        with a grade are looked at (`met_again`): none from a folder of one month."""
        counts: Counter[tuple[str, str | None]] = Counter()
        customers = self.customers
        for rep, key in set(self.met_again):
            for other, merged in customers[key]:
                if other == rep:
                    given = merged.grade_date
                    if merged.in_period and given is not None and given < period_start:
                        counts[rep, merged.grade] += 1
                    break
        found: dict[str, dict[str, int]] = {}
        for (rep, grade), n in counts.items():
            if grade:
                found.setdefault(rep, {})[grade] = n
        return found

    def lapses_and_coming_due(
        self, as_of: dt.date, period_start: dt.date, days: int = FOLLOW_UP_DAYS
    ) -> tuple[Sequence[Lapse], list[Lapse]]:
        """The customers whose 7-day window ran out in the period up to `as_of` (lapses),
        and those whose window runs out from `as_of` on within `days` (still open; none
        with `days` 0): one pass over the trails for both.  With `days` 0 the lapses are
        sorted only when the whole list is asked for (`Lapses`)."""
        if days <= 0:
            return Lapses.of_windows(self._windows(period_start, as_of), as_of), []
        found = self.windows(period_start, as_of + dt.timedelta(days=days), as_of)
        # sorted by due date first: the lapses are the windows before the first one due on
        # or after as_of (a cold-calling month: 270,000 windows, split without a look at each)
        split = bisect_left(found, as_of, key=_DUE)
        return found[:split], found[split:]

    def windows(self, start: dt.date, end: dt.date, as_of: dt.date) -> list[Lapse]:
        """Every 7-day window of a customer not won or lost that runs out from `start` to
        the day before `end`, judged at `as_of` (the rules: see the module's docstring),
        most urgent first: by due date, rep and customer."""
        found, after = self._windows(start, end), _Dues()
        return sorted(
            chain.from_iterable(_lapses(rep, w, as_of, after) for rep, w in found.items()),
            key=_DUE_ORDER,
        )

    def _windows(self, start: dt.date, end: dt.date) -> dict[str, list[Window]]:
        """`windows` unsorted and not yet made into lapses, each rep's in the book's order:
        what the summary shows of a rep is picked from its own (`Lapses.first_per_rep`),
        and only those are made into lapses."""
        by_rep: dict[str, list[Window]] = {}
        listed: list[Window] = []  # the windows of `of`, the rep of the trail before
        of: str | None = None
        done, leads, grades = (CLOSED_WON, LOST), LEAD_SOURCES, FOLLOW_UP_GRADES
        # the first contact (last contact) a window running out in [start, end) starts from
        first_from, last_from = start - _WINDOW, end - _WINDOW
        for trails in self.customers.values():
            for rep, t in trails:
                if t.last_stage in done:
                    continue  # won or lost: nothing left to follow up
                if rep is not of:  # a rep's customers mostly follow each other in the book
                    listed = by_rep.setdefault(rep, [])
                    of = rep
                # Phone lead: a visit within 7 days of the first call, else it lapses.
                first = t.first
                if first_from <= first < last_from and t.first_source in leads:
                    visit = t.first_visit
                    if visit is None or visit > first + _WINDOW:
                        listed.append((first, _PHONE_NO_VISIT, t))
                # Walk-in or A/B customer: followed up at least once every 7 days.
                last = t.last
                if first_from <= last < last_from and (t.walk_in or t.grade in grades):
                    listed.append((last, _NO_FOLLOW_UP, t))
        return {rep: found for rep, found in by_rep.items() if found}

    def conflicts(self) -> list[Conflict]:
        """Customers in two or more reps' reports, with at least one contact in the period."""
        found: list[Conflict] = []
        for trails in self.customers.values():
            if len(trails) < 2 or not any(t.in_period for _, t in trails):
                continue
            owner_rep, owner = trails[0]
            deposits = sorted((t.first_deposit, rep) for rep, t in trails if t.first_deposit)
            deal_date, deal_rep = deposits[0] if deposits else (None, None)
            for rep, t in trails[1:]:
                found.append(
                    Conflict(
                        owner.customer,
                        owner.phone or t.phone,
                        owner_rep,
                        owner.first,
                        rep,
                        t.first,
                        deal_rep,
                        deal_date,
                    )
                )
        found.sort(key=lambda c: (c.owner_date, c.customer, c.other))
        return found


class Lapses(Sequence[Lapse]):
    """The 7-day lapses, most urgent first: by due date, then rep and customer.

    A cold-calling month has 185,000 of them, and the summary workbook shows each
    rep's 20 most urgent: `first_per_rep` picks those from each rep's own few
    hundred, and the whole list is sorted (0.08 s) only the first time anything
    asks for it (the API, packs, JSON, scorecards, `--list-limit 0`).  Equal to,
    and pickled as, the sorted list.
    """

    __slots__ = ("_as_of", "_by_rep", "_len", "_sorted", "_windows")

    def __init__(
        self, found: Iterable[Lapse] = (), *, by_rep: dict[str, list[Lapse]] | None = None
    ) -> None:
        """The lapses `found`, or `by_rep`: each rep's, in the order found."""
        if by_rep is None:
            by_rep = {}
            for lapse in found:
                rep = lapse[3]  # .rep, by index: a fifth faster
                listed = by_rep.get(rep)
                if listed is None:
                    by_rep[rep] = [lapse]
                else:
                    listed.append(lapse)
        self._by_rep = by_rep
        self._windows: dict[str, list[Window]] = {}
        self._as_of = dt.date.min
        self._len = sum(map(len, by_rep.values()))
        self._sorted: list[Lapse] | None = None

    @classmethod
    def of_windows(cls, windows: dict[str, list[Window]], as_of: dt.date) -> Lapses:
        """The lapses of each rep's `windows` (`CustomerBook._windows`, in the order found)
        judged at `as_of`: made into lapses only as they are asked for."""
        lapses = cls()
        lapses._windows, lapses._as_of = windows, as_of
        lapses._len = sum(map(len, windows.values()))
        return lapses

    def first_per_rep(self, limit: int) -> tuple[list[Lapse], dict[str, int]]:
        """Each rep's first `limit` lapses of the sorted list, in its order, and each rep's
        number of lapses."""
        kept: list[Lapse] = []
        # a rep's own order is by due date, then customer; nsmallest is sorted()[:limit],
        # ties in the order found, as the whole list's stable sort leaves them
        for listed in self._by_rep.values():
            kept += listed if len(listed) <= limit else nsmallest(limit, listed, key=_URGENCY)
        as_of, after = self._as_of, _Dues()
        for rep, windows in self._windows.items():
            if len(windows) > limit:
                # A window's due date is its contact's day and 7: a rep's first `limit` are
                # among those from contacts up to the limit-th earliest, in the order found
                # (a cold-caller's few dozen of several hundred made into lapses).
                cut = sorted(map(_SINCE, windows))[limit - 1]
                urgent = _lapses(rep, [w for w in windows if w[0] <= cut], as_of, after)
                kept += sorted(urgent, key=_URGENCY)[:limit]
            else:
                kept += _lapses(rep, windows, as_of, after)
        kept.sort(key=_DUE_ORDER)
        totals = {rep: len(listed) for rep, listed in self._by_rep.items()}
        totals.update((rep, len(windows)) for rep, windows in self._windows.items())
        return kept, totals

    def _all(self) -> list[Lapse]:
        if self._sorted is None:
            as_of, after = self._as_of, _Dues()
            made = (_lapses(rep, w, as_of, after) for rep, w in self._windows.items())
            # ties of the order are one rep's: each rep's own stay in the order found
            self._sorted = sorted(
                chain(*self._by_rep.values(), *made),
                key=_DUE_ORDER,
            )
        return self._sorted

    def __len__(self) -> int:
        return self._len

    @overload
    def __getitem__(self, index: int) -> Lapse: ...
    @overload
    def __getitem__(self, index: slice) -> list[Lapse]: ...
    def __getitem__(self, index: int | slice) -> Lapse | list[Lapse]:
        return self._all()[index]

    def __iter__(self) -> Iterator[Lapse]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Lapses):
            return self._all() == other._all()
        return isinstance(other, list) and self._all() == other

    __hash__ = None  # type: ignore[assignment]  # compared as a list, unhashable as one

    def __repr__(self) -> str:
        return repr(self._all())

    def __reduce__(self) -> tuple[Any, ...]:  # pickled and copied as the sorted list
        return (list, (self._all(),))


def build_customer_book(trails: Iterable[tuple[str, Trail]]) -> CustomerBook:
    """Group (rep, trail) by customer identity: phone first, else name.

    A trail without a phone joins the phone identity its name was seen with,
    when that name belongs to exactly one phone; one rep's trails of the
    same customer are merged.  Identities are keyed by the phone's digits, or
    `name:` and the name key.  Built with plain lists (a customer is
    usually one rep's): a cold-calling month has 160,000 customers, and a
    dictionary or set for each would double the memory the trails take.
    """
    entries = trails if isinstance(trails, list) else list(trails)
    one_phone = names_with_one_phone(map(_TRAIL, entries))
    book: dict[str, list[tuple[str, Trail]]] = {}
    met_again: list[tuple[str, str]] = []
    for entry in entries:
        rep, t = entry
        phone = t.phone or one_phone.get(t.name_key)  # as `identity`, inline: 200,000 trails
        key = phone if phone else "name:" + t.name_key
        group = book.get(key)
        if group is None:
            book[key] = [entry]
            continue
        for i, (other, known) in enumerate(group):
            if other == rep:
                merged = merge_trails(known, t)
                group[i] = (rep, merged)
                if known.in_period is not t.in_period and merged.grade:
                    met_again.append((rep, key))
                break
        else:
            group.append((rep, t))
    for group in book.values():
        if len(group) > 1:
            group.sort(key=_registration)
    return CustomerBook(book, one_phone, met_again)


def _registration(item: tuple[str, Trail]) -> tuple[dt.date, str]:
    """Who registered the customer first (then by rep ID)."""
    rep, trail = item
    return trail.first, rep
