"""What consolidation needs of each stored daily report, computed by the database.

A month of 5,000 reps is 1.25 million contact rows, and the two months
before add as many again: rebuilt as records in Python they take gigabytes.
Consolidation needs far less of them (`salesxl.consolidate.digest`): per
day, the contacts, visits, deals, their amount and the deposits; per
customer the rep talked to (one *trail* per spelling of name and phone),
the first and last contact, the stage and grade reached, the first visit
and deposit; and the days a report covers.  Here the database computes that
with one GROUP BY per kind of figure — the same SQL on SQLite and PostgreSQL
but for how a date becomes text — and returns a few rows per rep and day, a
few per customer.  The rules are the digest's, with the choice codes read
from the form descriptions; a property test holds the two to the same
figures on random stores, on both databases.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import (
    Connection,
    Date,
    Integer,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    type_coerce,
)

from salesxl.core.periods import Month
from salesxl.forms import FORMS, FormId, TableKey
from salesxl.forms.choices import CLOSED_WON, FOLLOW_UP_SOURCES, STAGE_ORDER, VISIT_SOURCES
from salesxl.read import Limits
from salesxl.store.engine import fetched
from salesxl.store.schema import activities, day_closes
from salesxl.validate.rows import NUMERIC

__all__ = ["DayFigures", "ReportFigures", "TrailFigures", "day_figures", "report_figures"]

_CHUNK = 500


class DayFigures(NamedTuple):
    """One day of a daily report: contact rows, visits, deals (stage 成交), their amount,
    deposits — what `consolidate.digest.digest_daily` counts of that day's rows."""

    contacts: int
    visits: int
    deals: int
    amount: float
    deposit: float


class TrailFigures(NamedTuple):
    """A rep's contacts with one customer as one spelling of name and phone, up to as-of."""

    customer: str
    phone: str | None
    first: dt.date
    first_row: int  # the sheet row of the first contact (ties on a day go by row)
    first_source: str | None
    last: dt.date
    last_stage: str | None  # the latest stage given, and when
    stage_date: dt.date | None
    grade: str | None  # the latest grade given, and when
    grade_date: dt.date | None
    furthest: str | None  # furthest stage reached (lost is not a stage reached)
    walk_in: bool  # came from a source followed up every 7 days
    first_visit: dt.date | None
    first_deposit: dt.date | None
    key: str | None = None  # the stored identity (`customer_key`: tel:<digits> or name:<key>)


@dataclass(slots=True)
class ReportFigures:
    """One stored daily report, boiled down for one month as of one day."""

    days: set[dt.date] = field(default_factory=set)  # every day it has a contact or 日清 row
    per_day: dict[dt.date, DayFigures] = field(default_factory=dict)  # days of the month
    names: dict[dt.date, set[str]] = field(default_factory=dict)  # customers as written, per day
    trails: list[TrailFigures] = field(default_factory=list)  # in order of first contact
    closes: list[tuple[dt.date, float | None]] = field(default_factory=list)  # 日清 forecasts
    # a dated row holds a number beyond what a form may hold (only a store filled before
    # the import checked that can): its report is then read row by row, not summed here
    beyond: bool = False


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def report_figures(
    conn: Connection,
    ids: Sequence[int],
    period: Month,
    as_of: dt.date,
    *,
    names_for: Collection[int] = (),
    trails_only: bool = False,
) -> dict[int, ReportFigures]:
    """Submission id -> its figures for `period` as of `as_of`, for daily reports `ids`.

    The customers contacted each day (`names`) are read only for `names_for`
    (the reports of reps with a weekly plan: plan adherence is all that
    needs them).  With `trails_only` the figures hold the trails alone: an
    earlier month's report counts for its customers only (the 7-day rule and
    who registered a customer first).
    """
    found: dict[int, ReportFigures] = {i: ReportFigures() for i in ids}
    wanted = set(names_for)
    for chunk in _chunks(list(ids)):
        _trails(conn, chunk, period, as_of, found)
        if trails_only:
            continue
        for sub, day, figures, beyond in _per_day_rows(conn, chunk, None, None):
            found[sub].days.add(day)
            found[sub].beyond |= beyond
            if period.first_day <= day <= period.last_day:
                found[sub].per_day[day] = figures
        _closes(conn, chunk, found)
        named = [i for i in chunk if i in wanted]
        if named:
            _names(conn, named, period, found)
    return found


_a = activities.c


def _named_customer() -> Any:
    return and_(_a.customer.is_not(None), _a.customer != "")


def day_figures(
    conn: Connection, ids: Sequence[int], first: dt.date | None, last: dt.date | None
) -> dict[int, dict[dt.date, DayFigures]]:
    """Submission id -> day -> its `DayFigures`, for the days from `first` to `last` (None:
    every day) of the daily reports `ids` (the trends of several months read them without
    the rest)."""
    out: dict[int, dict[dt.date, DayFigures]] = defaultdict(dict)
    for chunk in _chunks(list(ids)):
        for sub, day, figures, _ in _per_day_rows(conn, chunk, first, last):
            out[sub][day] = figures
    return out


def _per_day_rows(
    conn: Connection, chunk: Sequence[int], first: dt.date | None, last: dt.date | None
) -> Iterator[tuple[int, dt.date, DayFigures, bool]]:
    """Each report's days: their figures, and whether a row holds a number beyond reason
    (found in the same pass over the rows; NaN is beyond too, as PostgreSQL sorts it)."""
    won = _a.stage == CLOSED_WON
    beyond = or_(*(func.abs(_a[f]) > _LIMIT for f in _CONTACT_NUMBERS))
    within: list[Any] = [_a.date >= first] if first is not None else [_a.date.is_not(None)]
    if last is not None:
        within.append(_a.date <= last)
    query = (
        select(
            _a.submission_id,
            _a.date,
            func.count(),
            func.sum(case((_a.source.in_(sorted(VISIT_SOURCES)), 1), else_=0)),
            func.sum(case((won, 1), else_=0)),
            func.sum(case((won, _a.amount), else_=None)),
            func.sum(_a.deposit),
            func.max(case((beyond, 1), else_=0)),
        )
        .where(_a.submission_id.in_(chunk), *within)
        .group_by(_a.submission_id, _a.date)
    )
    for sub, day, contacts, visits, deals, amount, deposit, insane in fetched(conn, query):
        yield (
            sub,
            day,
            DayFigures(
                contacts,
                int(visits or 0),
                int(deals or 0),
                float(amount or 0.0),
                float(deposit or 0.0),
            ),
            bool(insane),
        )


# A row's place in its report as text that sorts as (date, sheet row): the date (ISO text on
# SQLite, where dates are stored so; a day number of 7 digits on PostgreSQL, where formatting
# a date costs more than the rest of the query) and the row plus 10**9 (ten digits for any
# sheet).  MIN/MAX of it with a value appended pick the value of the first or last row in
# one GROUP BY, where window functions sort the rows once per window (three sorts: most of
# the time of a month from the store).  The database also takes the places apart again
# (`_Place.day`, `.row`, `.value`), so Python receives plain columns: a month of 5,000 reps
# has 300,000 trails, each read from three places.
_ROW_OFFSET = 10**9
_LIMIT = Limits().max_amount  # a number beyond it is left out, as the reader leaves it out
_CONTACT_NUMBERS, _CLOSE_NUMBERS = (
    [f.key for f in FORMS[FormId.DAILY_REPORT].table(key).fields if f.type in NUMERIC]
    for key in (TableKey.DAILY, TableKey.DAY_CLOSE)
)
_DAY_ZERO = dt.date(1900, 1, 1)
_DAY_OFFSET = 10**6


@dataclass(frozen=True, slots=True)
class _Place:
    text: Any  # the SQL expression
    width: int  # characters of the day
    iso: bool  # the day as ISO text, else as a day number

    def with_value(self, value: Any) -> Any:
        """The place and a value that may be NULL: '=' and the value, or nothing for NULL."""
        return self.text + func.coalesce(literal("=", String) + value, "")

    def day(self, place: Any) -> Any:
        """The day of a place, as the text `day_of` reads (NULL for a NULL place)."""
        return func.substr(place, 1, self.width)

    def row(self, place: Any) -> Any:
        """The sheet row of a place."""
        return cast(func.substr(place, self.width + 1, 10), Integer) - _ROW_OFFSET

    def value(self, place: Any) -> Any:
        """The value written by `with_value`: NULL for none (a place without '=')."""
        start = self.width + 11
        return case((func.length(place) >= start, func.substr(place, start + 1)), else_=None)

    def day_of(self, text: str | None) -> dt.date | None:
        return None if text is None else _day_of(text, self.iso)


@lru_cache(maxsize=4096)  # a month has a few dozen days; each trail reads three places
def _day_of(text: str, iso: bool) -> dt.date:
    if iso:
        return dt.date.fromisoformat(text)
    return _DAY_ZERO + dt.timedelta(days=int(text) - _DAY_OFFSET)


def _place(conn: Connection) -> _Place:
    row = cast(_a.sheet_row + _ROW_OFFSET, String)
    if conn.dialect.name == "sqlite":  # SQLAlchemy keeps dates as ISO text there
        return _Place(type_coerce(_a.date, String) + row, 10, iso=True)
    days = cast(_a.date - literal(_DAY_ZERO, Date) + _DAY_OFFSET, String)
    return _Place(days + row, 7, iso=False)


def _trails(
    conn: Connection,
    chunk: Sequence[int],
    period: Month,
    as_of: dt.date,
    found: dict[int, ReportFigures],
) -> None:
    place = _place(conn)
    graded = and_(_a.grade.is_not(None), _a.grade != "")
    staged = and_(_a.stage.is_not(None), _a.stage != "")
    rank = case(*((_a.stage == code, literal(i)) for i, code in enumerate(STAGE_ORDER)), else_=None)
    grouped = (
        select(
            _a.submission_id.label("sub"),
            _a.customer.label("customer"),
            _a.phone.label("phone"),
            func.min(place.with_value(_a.source)).label("first"),  # first contact: its source
            func.max(place.with_value(_a.stage)).label("last"),  # last contact
            func.max(case((staged, place.with_value(_a.stage)))).label("staged"),  # latest stage
            func.max(case((graded, place.with_value(_a.grade)))).label("grade"),  # latest grade
            func.max(rank).label("furthest"),
            func.max(case((_a.source.in_(sorted(FOLLOW_UP_SOURCES)), 1), else_=0)).label("walk"),
            func.min(case((_a.source.in_(sorted(VISIT_SOURCES)), _a.date))).label("visit"),
            func.min(_a.customer_key).label("key"),  # one name and phone: one identity
            # a deposit's day; one beyond reason (an old store's 9e307, a NaN) is no deposit
            func.min(
                case((_a.deposit.between(-_LIMIT, _LIMIT) & (_a.deposit != 0), _a.date))
            ).label("deposit"),
        )
        .where(
            _a.submission_id.in_(chunk),
            _a.date >= period.first_day,
            _a.date <= min(period.last_day, as_of),
            _named_customer(),
        )
        .group_by(_a.submission_id, _a.customer, _a.phone)
        .subquery()
    )
    g = grouped.c
    query = select(
        g.sub,
        g.customer,
        g.phone,
        place.day(g.first),
        place.row(g.first),
        place.value(g.first),
        place.day(g.last),
        place.value(g.staged),
        place.day(g.staged),
        place.value(g.grade),
        place.day(g.grade),
        g.furthest,
        g.walk,
        type_coerce(g.visit, Date),  # SQLite's MIN over a CASE gives text: read as a date
        type_coerce(g.deposit, Date),
        g.key,
    )
    by_sub: dict[int, list[TrailFigures]] = defaultdict(list)
    iso, stages, make = place.iso, STAGE_ORDER, TrailFigures
    # One object for each source, stage, grade and day: the driver makes a new one for every
    # trail, and the trails of a month and the two before (900,000 at 5,000 reps) are kept
    # until the summary is written; there are only a few dozen of each.
    same: dict[Any, Any] = {}
    one = same.setdefault
    for sub, customer, phone, first, row, source, last, stage, stage_day, *rest in fetched(
        conn, query
    ):
        grade, grade_day, furthest, walk_in, first_visit, first_deposit, key = rest
        by_sub[sub].append(
            make(
                customer,
                phone,
                _day_of(first, iso),  # never NULL: a group has a first and a last row
                row,
                one(source, source),
                _day_of(last, iso),
                one(stage, stage),
                place.day_of(stage_day),
                one(grade, grade),
                place.day_of(grade_day),
                None if furthest is None else stages[furthest],
                bool(walk_in),
                one(first_visit, first_visit),
                one(first_deposit, first_deposit),
                key,
            )
        )
    for sub, trails in by_sub.items():
        trails.sort(key=lambda t: (t.first, t.first_row))  # the order contacts came in
        found[sub].trails = trails


def _closes(conn: Connection, chunk: Sequence[int], found: dict[int, ReportFigures]) -> None:
    c = day_closes.c
    query = (
        select(c.submission_id, c.date, c.forecast, *(c[f] for f in _CLOSE_NUMBERS))
        .where(c.submission_id.in_(chunk), c.date.is_not(None))
        .order_by(c.submission_id, c.sheet_row)
    )
    for sub, day, forecast, *numbers in fetched(conn, query):
        figures = found[sub]
        figures.days.add(day)
        figures.closes.append((day, forecast))
        if any(n is not None and not -_LIMIT <= n <= _LIMIT for n in numbers):
            figures.beyond = True


def _names(
    conn: Connection, chunk: Sequence[int], period: Month, found: dict[int, ReportFigures]
) -> None:
    query = (
        select(_a.submission_id, _a.date, _a.customer)
        .where(
            _a.submission_id.in_(chunk),
            _a.date >= period.first_day,
            _a.date <= period.last_day,
            _named_customer(),
        )
        .distinct()
    )
    for sub, day, customer in fetched(conn, query):
        found[sub].names.setdefault(day, set()).add(customer)
