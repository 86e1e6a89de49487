"""What consolidation needs from one daily report, boiled down where the file is read.

A thousand reports hold a quarter of a million rows; the manager's tables
need far less: per-rep counts, one *trail* per customer the rep talked to
(first and last contact, stage, grade, visits, deposit), and per-day
activity.  `digest_daily` computes that next to the reader — in the worker
process that read the file, so the work runs on every core and only the
digest travels back.  Everything here is a pure function of one form.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import starmap
from pathlib import Path
from typing import TYPE_CHECKING, Any

from salesxl.consolidate.details import spool_details
from salesxl.core.identity import normalise_name
from salesxl.core.periods import Month
from salesxl.forms import FormId, Role, TableKey
from salesxl.forms.choices import CLOSED_WON, FOLLOW_UP_SOURCES, LOST, STAGE_ORDER, VISIT_SOURCES
from salesxl.read.values import normalise_phone, plain_mobile
from salesxl.validate import FormData

if TYPE_CHECKING:  # the store is loaded only by consolidation from the store
    from salesxl.store.figures import ReportFigures

__all__ = [
    "CustomerKind",
    "DailyDigest",
    "DayActivity",
    "Trail",
    "customer_kinds",
    "digest_daily",
    "digest_from_days",
    "digest_from_figures",
    "digester",
    "identity",
    "loose_names",
    "merge_trails",
    "names_with_one_phone",
]

_STAGE_RANK = {s: i for i, s in enumerate(STAGE_ORDER)}


@dataclass(slots=True)
class Trail:
    """One rep's contacts with one customer (as one spelling of name and phone)."""

    customer: str  # the name as the rep wrote it first
    name_key: str
    phone: str | None  # digits of a valid CN phone
    first: dt.date
    first_source: str | None
    last: dt.date
    last_stage: str | None  # the latest stage given (a later contact without one keeps it)
    grade: str | None  # the latest grade given
    grade_date: dt.date | None
    furthest: str | None  # furthest stage reached, 1..7 (lost is not a stage reached)
    walk_in: bool  # came from a source followed up every 7 days (来访)
    first_visit: dt.date | None  # earliest 来访/拜访
    first_deposit: dt.date | None
    in_period: bool
    next_followup: dt.date | None = None  # 下次跟进 written at the latest contact
    stage_date: dt.date | None = None  # the day of `last_stage`


@dataclass(slots=True)
class DayActivity:
    contacts: int = 0
    closed: float = 0.0  # amount of rows at stage 成交
    names: set[str] = field(default_factory=set)  # customers contacted, as name keys


def _trail_values(trails: Iterable[Trail]) -> list[tuple[Any, ...]]:
    """Each trail's fields in their order, as a plain tuple (`Trail(*values)` makes it
    again): written out, as reading slots by name in Python takes a third less time than
    `attrgetter` of them all (a cold-calling report sends 200 trails from its worker)."""
    return [
        (
            t.customer,
            t.name_key,
            t.phone,
            t.first,
            t.first_source,
            t.last,
            t.last_stage,
            t.grade,
            t.grade_date,
            t.furthest,
            t.walk_in,
            t.first_visit,
            t.first_deposit,
            t.in_period,
            t.next_followup,
            t.stage_date,
        )
        for t in trails
    ]


CustomerKind = tuple[str | None, str | None, bool]  # latest grade, furthest stage, lost


def names_with_one_phone(trails: Iterable[Trail]) -> dict[str, str]:
    """Name key -> the one phone the trails give that name, or "" when they give it several:
    what a trail without a phone is known by (`identity`)."""
    found: dict[str, str] = {}
    for t in trails:
        phone = t.phone
        if phone:
            seen = found.setdefault(t.name_key, phone)
            if seen and seen != phone:
                found[t.name_key] = ""
    return found


def identity(t: Trail, one_phone: Mapping[str, str]) -> str:
    """Which customer a trail is about: its phone's digits; without a phone, the one phone
    its name goes with (`names_with_one_phone`); else `name:` and its name key."""
    phone = t.phone or one_phone.get(t.name_key)
    return phone if phone else "name:" + t.name_key


def customer_kinds(
    trails: Iterable[Trail], one_phone: Mapping[str, str]
) -> dict[CustomerKind, int]:
    """One rep's customers counted by kind, each customer once, as the customer book tells
    them apart (`identity`, with `one_phone` the names' phones: the month's, or a report's
    own; the trails of one customer merged in their order): a cold-calling rep has
    hundreds of customers and a handful of kinds, which is all the funnel and the grades
    need."""
    by_customer: dict[str, Trail] = {}
    for trail in trails:
        key = identity(trail, one_phone)
        known = by_customer.get(key)
        by_customer[key] = merge_trails(known, trail) if known else trail
    return Counter((t.grade, t.furthest, t.last_stage == LOST) for t in by_customer.values())


def loose_names(trails: Iterable[Trail], one_phone: Mapping[str, str]) -> dict[str, str]:
    """The names of the trails without a phone, each with its phone in `one_phone` ("" for
    none or several): all that decides which customer such a trail is about."""
    return {t.name_key: one_phone.get(t.name_key) or "" for t in trails if not t.phone}


@dataclass(slots=True)
class DailyDigest:
    period: Month
    as_of: dt.date
    days: set[dt.date]  # days with a contact row or a 日清 row (submitted)
    contacts: int = 0  # counts: rows of the period up to as_of
    visits: int = 0
    deals: int = 0
    amount: float = 0.0
    deposit: float = 0.0
    trails: list[Trail] = field(default_factory=list)  # rows of the period up to as_of
    per_day: dict[dt.date, DayActivity] = field(default_factory=dict)  # all rows of the period
    closes: list[tuple[dt.date, float | None]] = field(default_factory=list)  # 日清 forecasts
    # customer_kinds(trails), worked out by consolidation's digester in the reading process
    # (so that the parent does not merge a cold-calling month's trails again); None: not
    # worked out (the parent merges them itself).  Right for the month when the month's
    # names give `loose` (loose_names(trails)) the same phones.
    kinds: dict[CustomerKind, int] | None = None
    loose: dict[str, str] = field(default_factory=dict)

    # Digests cross from the reading workers to the parent: trails and days travel as plain
    # tuples, which pickle several times faster than dataclass instances.  Their dates are
    # one object per day (`digest_daily`), so each is pickled once and referred to after.
    def __getstate__(self) -> tuple[Any, ...]:
        return (
            self.period,
            self.as_of,
            list(self.days),
            self.contacts,
            self.visits,
            self.deals,
            self.amount,
            self.deposit,
            _trail_values(self.trails),
            [(day, a.contacts, a.closed, a.names) for day, a in self.per_day.items()],
            self.closes,
            self.kinds,
            self.loose,
        )

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        (
            self.period,
            self.as_of,
            days,
            self.contacts,
            self.visits,
            self.deals,
            self.amount,
            self.deposit,
            trails,
            per_day,
            self.closes,
            self.kinds,
            self.loose,
        ) = state
        self.days = set(days)
        self.per_day = {
            day: DayActivity(contacts, closed, names) for day, contacts, closed, names in per_day
        }
        self.trails = list(starmap(Trail, trails))

    def kinds_in(self, one_phone: Mapping[str, str]) -> dict[CustomerKind, int] | None:
        """`kinds` when they count the customers as the month does, whose names give
        `one_phone` (a name of this report without a phone has the same phone, or none,
        there); else None: `customer_kinds(trails, one_phone)` counts them."""
        if self.kinds is None:
            return None
        agree = all((one_phone.get(name) or "") == phone for name, phone in self.loose.items())
        return self.kinds if agree else None


def merge_trails(a: Trail, b: Trail) -> Trail:
    """One trail from two (the same rep and customer written two ways).

    Written out field by field: a cold-calling team's month merges tens of
    thousands of trails, and `dataclasses.replace` costs several times more."""
    first = a if a.first <= b.first else b
    last = b if b.last >= a.last else a  # the later contact; on the same day, b's
    ag, bg = a.grade_date, b.grade_date
    graded = a if ag is not None and (bg is None or ag >= bg) else b if bg is not None else None
    sa, sb = a.stage_date, b.stage_date  # the later stage given; on the same day, b's
    staged = b if sb is not None and (sa is None or sb >= sa) else a if sa is not None else None
    fa, fb = a.furthest, b.furthest
    furthest = fa if fb is None or (fa is not None and _STAGE_RANK[fa] >= _STAGE_RANK[fb]) else fb
    va, vb, da, db = a.first_visit, b.first_visit, a.first_deposit, b.first_deposit
    return Trail(
        first.customer,
        first.name_key,
        first.phone or (b if first is a else a).phone,  # one customer: a phone either gave
        first.first,
        first.first_source,
        last.last,
        staged.last_stage if staged else None,
        graded.grade if graded else None,
        graded.grade_date if graded else None,
        furthest,
        a.walk_in or b.walk_in,
        va if vb is None or (va is not None and va <= vb) else vb,
        da if db is None or (da is not None and da <= db) else db,
        a.in_period or b.in_period,
        last.next_followup,
        staged.stage_date if staged else None,
    )


def _columns(form: FormData, table: TableKey, keys: tuple[Role, ...]) -> list[list[Any]]:
    data = form.tables.get(table)
    if data is None:
        return [[] for _ in keys]
    return [data.column(k) for k in keys]


def digest_daily(
    form: FormData, period: Month, as_of: dt.date, *, current: bool = True
) -> DailyDigest:
    """Boil one daily report down to what the summary needs (rows outside `period` left out).

    `current=False` digests an earlier month's report: only its customer
    trails matter then (for the 7-day and attribution rules across months).
    """
    R = Role
    dates, customers, phones, sources, grades, stages, amounts, deposits, followups = _columns(
        form,
        TableKey.DAILY,
        (
            R.DATE,
            R.CUSTOMER,
            R.PHONE,
            R.SOURCE,
            R.GRADE,
            R.STAGE,
            R.AMOUNT,
            R.DEPOSIT,
            R.NEXT_FOLLOWUP,
        ),
    )
    close_dates, forecasts = _columns(form, TableKey.DAY_CLOSE, (R.DATE, R.FORECAST))
    # One date object per day (the reader makes one per cell): the digest then pickles each
    # day once, and a cold-calling report's 200 trails share a month's few dozen days.
    same: dict[dt.date, dt.date] = {}
    dates, followups = _one_per_day(dates, same), _one_per_day(followups, same)
    digest = DailyDigest(period, as_of, {d for d in dates if type(d) is dt.date})
    closes = [(d, f) for d, f in zip(close_dates, forecasts, strict=True) if type(d) is dt.date]
    digest.days |= {d for d, _ in closes}
    digest.days |= form.days_left_out  # rows the store left out: the days were reported
    digest.closes = closes
    first, last = period.first_day, period.last_day
    order = sorted(
        (i for i, d in enumerate(dates) if type(d) is dt.date and first <= d <= last),
        key=dates.__getitem__,
    )
    names: dict[str, str] = {}
    trails: dict[tuple[str, Any], Trail] = {}
    per_day = digest.per_day
    contacts = visits = deals = 0
    amount_sum = deposit_sum = 0.0
    activity, today = DayActivity(), None
    for i in order:
        day, customer, stage, amount = dates[i], customers[i], stages[i], amounts[i]
        if day is not today:  # rows come in date order, with one date object a day
            activity = per_day[day] = DayActivity()
            today = day
        activity.contacts += 1
        won = stage == CLOSED_WON
        if won and amount is not None:
            activity.closed += amount
        if customer:
            key = names.get(customer)
            if key is None:
                key = names[customer] = normalise_name(customer)  # the name itself when equal
            activity.names.add(key)
        if day > as_of:
            continue
        contacts += 1
        source, deposit = sources[i], deposits[i]
        if source in VISIT_SOURCES:
            visits += 1
        if won:
            deals += 1
            if amount is not None:
                amount_sum += amount
        if deposit is not None:
            deposit_sum += deposit
        if customer:
            spelling = (customer, phones[i])
            t = trails.get(spelling)
            if t is None:
                trails[spelling] = _first_contact(
                    customer,
                    names[customer],
                    phones[i],
                    day,
                    stage,
                    grades[i],
                    source,
                    deposit,
                    followups[i],
                    current,
                )
            else:
                _follow(t, day, stage, grades[i], source, deposit, followups[i])
    digest.contacts, digest.visits, digest.deals = contacts, visits, deals
    digest.amount, digest.deposit = amount_sum, deposit_sum
    digest.trails = list(trails.values())
    return digest


_DATES_OR_BLANKS = frozenset({dt.date, type(None)})


def _one_per_day(column: list[Any], same: dict[dt.date, dt.date]) -> list[Any]:
    """`column` with each date replaced by the first equal one in `same` (kept there)."""
    if set(map(type, column)) <= _DATES_OR_BLANKS:  # (most columns: None is None already)
        return list(map(same.setdefault, column, column))
    return [same.setdefault(d, d) if type(d) is dt.date else d for d in column]


def digest_from_days(
    period: Month,
    as_of: dt.date,
    days: set[dt.date],
    figures: Mapping[dt.date, tuple[int, int, int, float, float]] | None = None,
) -> DailyDigest:
    """A digest made from per-day counts instead of rows (the store's `DayFigures`:
    contacts, visits, deals, their amount, deposits), counted as `digest_daily` counts
    rows: every day of the period in `per_day`, the totals up to as-of.  It has no
    customer trails: what it feeds (KPIs, submissions, trends) does not need them."""
    digest = DailyDigest(period, as_of, set(days))
    for day, (contacts, visits, deals, amount, deposit) in sorted((figures or {}).items()):
        if not period.contains(day):
            continue
        digest.per_day[day] = DayActivity(contacts, amount)
        if day > as_of:
            continue
        digest.contacts += contacts
        digest.visits += visits
        digest.deals += deals
        digest.amount += amount
        digest.deposit += deposit
    return digest


@dataclass(slots=True)
class StringPool:
    """One copy of each customer name (with its name key) and phone for the reports
    digested together: the database sends a customer's name anew for every report that
    mentions it, and a rep's customers come back month after month (a month and the two
    before at 5,000 reps: 900,000 trails, a tenth of the memory)."""

    names: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> it, its key
    phones: dict[str, str] = field(default_factory=dict)  # tel:<digits> -> the digits


def digest_from_figures(
    figures: ReportFigures,
    period: Month,
    as_of: dt.date,
    *,
    current: bool = True,
    pool: StringPool | None = None,
) -> DailyDigest:
    """The digest of a stored daily report from what the database computed of its rows
    (`salesxl.store.figures`), equal to `digest_daily` of the same rows: the per-day counts
    as `digest_from_days` takes them, plus the customers of each day, the 日清 closes and
    the trails, in the order of their first contact."""
    digest = digest_from_days(period, as_of, figures.days, figures.per_day)
    digest.closes = list(figures.closes)
    pool = pool if pool is not None else StringPool()
    names, phones = pool.names, pool.phones
    for day, activity in digest.per_day.items():
        spelled = figures.names.get(day, ())
        activity.names = {(names.get(n) or _named(names, n, None))[1] for n in spelled}
    add = digest.trails.append
    for t in figures.trails:  # made whole in one call (a month of 5,000 reps: 300,000 trails)
        key = t.key
        customer, name_key = names.get(t.customer) or _named(names, t.customer, key)
        # as `_first_contact` keeps a phone: its digits when it is a valid one; the store's
        # identity of the contacts says which (tel:<digits>), as it was worked out once on import
        if key is None:
            digits, valid = normalise_phone(t.phone) if t.phone else ("", False)
            phone = digits if valid else None
        elif key.startswith("tel:"):
            phone = phones.get(key) or phones.setdefault(key, key[4:])
        else:
            phone = None
        add(
            Trail(
                customer,
                name_key,
                phone,
                t.first,
                t.first_source,
                t.last,
                t.last_stage,
                t.grade,
                t.grade_date,
                t.furthest,
                t.walk_in,
                t.first_visit,
                t.first_deposit,
                current,
                stage_date=t.stage_date,
            )
        )
    return digest


def _named(names: dict[str, tuple[str, str]], name: str, key: str | None) -> tuple[str, str]:
    """A customer name and its name key, kept in `names` (the stored identity `name:<key>`
    spares normalising it)."""
    name_key = key[5:] if key is not None and key.startswith("name:") else normalise_name(name)
    found = names[name] = (name, name if name_key == name else name_key)  # (a stored key too)
    return found


def _first_contact(
    customer: str,
    name_key: str,
    phone: Any,
    day: dt.date,
    stage: str | None,
    grade: str | None,
    source: str | None,
    deposit: float | None,
    next_followup: Any,
    current: bool,
) -> Trail:
    """The trail a customer's first contact starts: a new trail, followed by that contact."""
    if not plain_mobile(phone):  # (as the validator keeps most phones: their own form)
        digits, valid = normalise_phone(phone) if phone else ("", False)
        phone = digits if valid else None
    t = Trail(
        customer,
        name_key,
        phone,
        day,
        source,
        day,
        None,
        None,
        None,
        None,
        False,
        None,
        None,
        current,
    )
    _follow(t, day, stage, grade, source, deposit, next_followup)
    return t


def _follow(
    t: Trail,
    day: dt.date,
    stage: str | None,
    grade: str | None,
    source: str | None,
    deposit: float | None,
    next_followup: Any = None,
) -> None:
    """Extend a trail by one contact (contacts come in date order)."""
    t.last = day
    if stage is not None:  # a contact without a stage leaves it as it was (stage is optional)
        t.last_stage, t.stage_date = stage, day
    t.next_followup = next_followup if type(next_followup) is dt.date else None
    if grade:
        t.grade, t.grade_date = grade, day
    if stage in _STAGE_RANK and (
        t.furthest is None or _STAGE_RANK[stage] > _STAGE_RANK[t.furthest]
    ):
        t.furthest = stage
    if source in FOLLOW_UP_SOURCES:
        t.walk_in = True
    if source in VISIT_SOURCES and t.first_visit is None:
        t.first_visit = day
    if deposit and t.first_deposit is None:
        t.first_deposit = day


@dataclass(frozen=True, slots=True)
class _Digester:
    """Picklable worker-side step: attach the digest, drop rows unless they are wanted."""

    period: Month | None  # None: each report's own month
    as_of: dt.date
    keep_rows: bool
    spool: Path | None = None  # kept rows wait in files here (details.py), not in memory

    def __call__(self, form: FormData) -> FormData:
        if form.form_id != FormId.DAILY_REPORT:
            return form
        period = self.period or form.period
        if isinstance(period, Month):  # else a report without its month: it counts for none
            form.digest = digest = digest_daily(form, period, self.as_of)
            if self.period is not None:  # one month consolidated: its per-rep totals use them
                names = names_with_one_phone(digest.trails)
                digest.kinds = customer_kinds(digest.trails, names)
                digest.loose = loose_names(digest.trails, names)
            if self.keep_rows and self.spool is not None:
                spool_details(form, period, self.spool)
                return form
        if not self.keep_rows:
            for table in form.tables.values():
                table.records = []
        return form


def digester(
    period: Month | None, as_of: dt.date, *, keep_rows: bool, spool: Path | None = None
) -> Callable[[FormData], FormData]:
    """The step `load_forms(prepare=...)` runs in each worker for consolidation (`period`
    None: each daily report is digested for its own month, as the chase list needs).
    With `keep_rows` and a `spool` folder, the rows are kept there, not in memory."""
    return _Digester(period, as_of, keep_rows, spool)
