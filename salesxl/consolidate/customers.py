"""Customers across reps: identity, new customers, the 7-day rules, attribution.

Rules from the sales-floor regulations (seeds 003, SPEC §6):
- a phone lead 电话客户 must visit within 7 days, else its registration lapses;
- a walk-in 来访 customer (and any A/B prospect) must be followed up within
  7 days, else the rep is taken to have given the customer up;
- one customer is identified by the same normalised phone, else the same
  normalised name; the first registration wins the customer, the first
  deposit wins the deal.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from salesxl.forms.choices import CLOSED_WON, LOST
from salesxl.values import normalise_phone

__all__ = [
    "FOLLOW_UP_DAYS",
    "Conflict",
    "CustomerBook",
    "Lapse",
    "build_customer_book",
    "normalise_name",
]

FOLLOW_UP_DAYS = 7
VISIT_SOURCES = frozenset({"walkin", "visit"})
_NAME_NOISE = re.compile(r"[\s\-_.,，。·()（）\[\]【】'\"“”‘’/\\]+")
_COMPANY_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "公司")

Record = dict[str, Any]


def normalise_name(name: str) -> str:
    """Customer name key: full-width folded, lower case, no spaces or punctuation, no 有限公司."""
    text = _NAME_NOISE.sub("", unicodedata.normalize("NFKC", name).lower())
    for suffix in _COMPANY_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix) + 1:
            return text[: -len(suffix)]
    return text


@dataclass(slots=True)
class Contact:
    rep: str
    date: dt.date
    source: str | None
    grade: str | None
    stage: str | None
    deposit: float | None
    customer: str
    phone: str | None
    in_period: bool


@dataclass(frozen=True, slots=True)
class Lapse:
    rule: str  # "phone_no_visit" | "no_follow_up"
    customer: str
    phone: str | None
    rep: str
    since: dt.date  # the contact the 7 days run from
    due: dt.date  # the last day the follow-up / visit was due
    days: int  # days since `since`, as of the consolidation date


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
    """Every customer identity with its contacts in date order."""

    contacts: dict[str, list[Contact]] = field(default_factory=dict)

    def first_registrations(self) -> dict[str, Contact]:
        return {key: rows[0] for key, rows in self.contacts.items()}

    def new_customers(self, period_start: dt.date, period_end: dt.date) -> dict[str, int]:
        """Rep -> customers first ever seen in the period, credited to the first registrant."""
        counts: dict[str, int] = defaultdict(int)
        for rows in self.contacts.values():
            first = rows[0]
            if period_start <= first.date <= period_end:
                counts[first.rep] += 1
        return dict(counts)

    def lapses(self, as_of: dt.date, period_start: dt.date) -> list[Lapse]:
        """Customers whose 7-day window ran out in the period, up to `as_of`."""
        found: list[Lapse] = []
        for rows in self.contacts.values():
            by_rep: dict[str, list[Contact]] = defaultdict(list)
            for c in rows:
                if c.date <= as_of:
                    by_rep[c.rep].append(c)
            for rep, mine in by_rep.items():
                found.extend(_lapses_of(rep, mine, as_of, period_start))
        found.sort(key=lambda lapse: (lapse.due, lapse.rep, lapse.customer))
        return found

    def conflicts(self) -> list[Conflict]:
        """Customers in two or more reps' reports, with at least one contact in the period."""
        found: list[Conflict] = []
        for rows in self.contacts.values():
            reps = {c.rep for c in rows}
            if len(reps) < 2 or not any(c.in_period for c in rows):
                continue
            owner = rows[0]
            deposits = [c for c in rows if c.deposit]
            deal = deposits[0] if deposits else None
            firsts: dict[str, Contact] = {}
            for c in rows:
                firsts.setdefault(c.rep, c)
            for rep, first in firsts.items():
                if rep == owner.rep:
                    continue
                found.append(Conflict(owner.customer, owner.phone or first.phone, owner.rep,
                                      owner.date, rep, first.date,
                                      deal.rep if deal else None, deal.date if deal else None))
        found.sort(key=lambda c: (c.owner_date, c.customer, c.other))
        return found


def _lapses_of(rep: str, mine: list[Contact], as_of: dt.date, period_start: dt.date) -> list[Lapse]:
    latest = mine[-1]
    if latest.stage in (CLOSED_WON, LOST):
        return []  # won or lost: nothing left to follow up
    found = []
    first = mine[0]
    window = dt.timedelta(days=FOLLOW_UP_DAYS)
    # Phone lead: a visit within 7 days of the first call, else the registration lapses.
    if first.source == "phone":
        due = first.date + window
        visited = any(c.source in VISIT_SOURCES and c.date <= due for c in mine)
        if not visited and due < as_of and due >= period_start:
            found.append(Lapse("phone_no_visit", latest.customer, latest.phone, rep, first.date,
                               due, (as_of - first.date).days))
    # Walk-in or A/B customer: followed up at least once every 7 days.
    walk_in = any(c.source == "walkin" for c in mine)
    if walk_in or latest.grade in ("A", "B"):
        due = latest.date + window
        if due < as_of and due >= period_start:
            found.append(Lapse("no_follow_up", latest.customer, latest.phone, rep, latest.date,
                               due, (as_of - latest.date).days))
    return found


def build_customer_book(rows: Iterable[tuple[str, Record, bool]]) -> CustomerBook:
    """Group (rep, daily row, in period) by customer identity: phone first, else name.

    A row without a phone joins the phone identity its name was seen with,
    when that name belongs to exactly one phone.  Names and phones are
    normalised once per distinct spelling, not once per row.
    """
    spellings: dict[tuple[str, Any], tuple[str, str | None]] = {}
    phones_of_name: dict[str, set[str]] = defaultdict(set)
    keyed: list[tuple[Contact, str, str | None]] = []
    for rep, r, in_period in rows:
        customer, day = r["customer"], r["date"]
        if not customer or not isinstance(day, dt.date):
            continue
        raw_phone = r["phone"]
        ids = spellings.get((customer, raw_phone))
        if ids is None:
            digits, valid = normalise_phone(raw_phone) if raw_phone else ("", False)
            ids = spellings[(customer, raw_phone)] = (normalise_name(customer),
                                                      digits if valid else None)
            if valid:
                phones_of_name[ids[0]].add(digits)
        name, phone = ids
        keyed.append((Contact(rep, day, r["source"], r["grade"], r["stage"], r["deposit"],
                              customer, phone, in_period), name, phone))
    book: dict[str, list[Contact]] = defaultdict(list)
    for contact, name, phone in keyed:
        if phone is None:
            phones = phones_of_name.get(name)
            phone = next(iter(phones)) if phones and len(phones) == 1 else None
        book[f"tel:{phone}" if phone else f"name:{name}"].append(contact)
    for contacts in book.values():
        contacts.sort(key=lambda c: (c.date, c.rep))
    return CustomerBook(dict(book))
