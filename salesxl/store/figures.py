"""What consolidation needs of each stored daily report, computed by the database.

A month of 5,000 reps is 1.25 million contact rows, and the two months
before add as many again: rebuilt as records in Python they take gigabytes.
Consolidation needs far less of them (`salesxl.consolidate.digest`): per
day, the contacts, visits, deals, their amount and the deposits; per
customer the rep talked to (one *trail* per spelling of name and phone),
the first and last contact, the stage and grade reached, the first visit
and deposit; and the days a report covers.  Here the database computes that
with GROUP BY and window functions — the same SQL on SQLite and PostgreSQL —
and returns a few rows per rep and day, a few per customer.  The rules are
the digest's, with the choice codes read from the form descriptions; a
property test holds the two to the same figures on random stores.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy import Connection, and_, case, func, literal, select, union

from salesxl.core.periods import Month
from salesxl.forms.choices import CLOSED_WON, FOLLOW_UP_SOURCES, STAGE_ORDER, VISIT_SOURCES
from salesxl.store.schema import activities, day_closes

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
    last_stage: str | None
    grade: str | None  # the latest grade given, and when
    grade_date: dt.date | None
    furthest: str | None  # furthest stage reached (lost is not a stage reached)
    walk_in: bool  # came from a source followed up every 7 days
    first_visit: dt.date | None
    first_deposit: dt.date | None


@dataclass(slots=True)
class ReportFigures:
    """One stored daily report, boiled down for one month as of one day."""

    days: set[dt.date] = field(default_factory=set)  # every day it has a contact or 日清 row
    per_day: dict[dt.date, DayFigures] = field(default_factory=dict)  # days of the month
    names: dict[dt.date, set[str]] = field(default_factory=dict)  # customers as written, per day
    trails: list[TrailFigures] = field(default_factory=list)  # in order of first contact
    closes: list[tuple[dt.date, float | None]] = field(default_factory=list)  # 日清 forecasts


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
) -> dict[int, ReportFigures]:
    """Submission id -> its figures for `period` as of `as_of`, for daily reports `ids`.

    The customers contacted each day (`names`) are read only for `names_for`
    (the reports of reps with a weekly plan: plan adherence is all that
    needs them).
    """
    found: dict[int, ReportFigures] = {i: ReportFigures() for i in ids}
    wanted = set(names_for)
    for chunk in _chunks(list(ids)):
        _days(conn, chunk, found)
        _per_day(conn, chunk, period, found)
        _trails(conn, chunk, period, as_of, found)
        _closes(conn, chunk, found)
        named = [i for i in chunk if i in wanted]
        if named:
            _names(conn, named, period, found)
    return found


_a = activities.c


def _named_customer() -> Any:
    return and_(_a.customer.is_not(None), _a.customer != "")


def _days(conn: Connection, chunk: Sequence[int], found: dict[int, ReportFigures]) -> None:
    query = union(
        *(
            select(t.c.submission_id, t.c.date)
            .where(t.c.submission_id.in_(chunk), t.c.date.is_not(None))
            .distinct()
            for t in (activities, day_closes)
        )
    )
    for sub, day in conn.execute(query):
        found[sub].days.add(day)


def day_figures(
    conn: Connection, ids: Sequence[int], first: dt.date, last: dt.date
) -> dict[int, dict[dt.date, DayFigures]]:
    """Submission id -> day -> its `DayFigures`, for the days from `first` to `last` of the
    daily reports `ids` (the trends of several months read them without the rest)."""
    out: dict[int, dict[dt.date, DayFigures]] = defaultdict(dict)
    for chunk in _chunks(list(ids)):
        for sub, day, figures in _per_day_rows(conn, chunk, first, last):
            out[sub][day] = figures
    return out


def _per_day(
    conn: Connection, chunk: Sequence[int], period: Month, found: dict[int, ReportFigures]
) -> None:
    for sub, day, figures in _per_day_rows(conn, chunk, period.first_day, period.last_day):
        found[sub].per_day[day] = figures


def _per_day_rows(
    conn: Connection, chunk: Sequence[int], first: dt.date, last: dt.date
) -> Iterator[tuple[int, dt.date, DayFigures]]:
    won = _a.stage == CLOSED_WON
    query = (
        select(
            _a.submission_id,
            _a.date,
            func.count(),
            func.sum(case((_a.source.in_(sorted(VISIT_SOURCES)), 1), else_=0)),
            func.sum(case((won, 1), else_=0)),
            func.sum(case((won, _a.amount), else_=None)),
            func.sum(_a.deposit),
        )
        .where(_a.submission_id.in_(chunk), _a.date >= first, _a.date <= last)
        .group_by(_a.submission_id, _a.date)
    )
    for sub, day, contacts, visits, deals, amount, deposit in conn.execute(query):
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
        )


def _trails(
    conn: Connection,
    chunk: Sequence[int],
    period: Month,
    as_of: dt.date,
    found: dict[int, ReportFigures],
) -> None:
    key = (_a.submission_id, _a.customer, _a.phone)
    graded = and_(_a.grade.is_not(None), _a.grade != "")
    rank = case(*((_a.stage == code, literal(i)) for i, code in enumerate(STAGE_ORDER)), else_=None)
    rows = (
        select(
            *key,
            _a.date,
            _a.sheet_row,
            _a.source,
            _a.stage,
            _a.grade,
            _a.deposit,
            rank.label("rank"),
            func.row_number().over(partition_by=key, order_by=(_a.date, _a.sheet_row)).label("up"),
            func.row_number()
            .over(partition_by=key, order_by=(_a.date.desc(), _a.sheet_row.desc()))
            .label("down"),
            func.row_number()
            .over(
                partition_by=(*key, case((graded, 1), else_=0)),
                order_by=(_a.date.desc(), _a.sheet_row.desc()),
            )
            .label("graded"),
        )
        .where(
            _a.submission_id.in_(chunk),
            _a.date >= period.first_day,
            _a.date <= min(period.last_day, as_of),
            _named_customer(),
        )
        .subquery()
    )
    r = rows.c
    row_graded = and_(r.grade.is_not(None), r.grade != "")
    query = select(
        r.submission_id,
        r.customer,
        r.phone,
        func.min(r.date),
        func.max(case((r.up == 1, r.sheet_row))),
        func.max(case((r.up == 1, r.source))),
        func.max(r.date),
        func.max(case((r.down == 1, r.stage))),
        func.max(case((and_(r.graded == 1, row_graded), r.grade))),
        func.max(case((row_graded, r.date))),
        func.max(r.rank),
        func.max(case((r.source.in_(sorted(FOLLOW_UP_SOURCES)), 1), else_=0)),
        func.min(case((r.source.in_(sorted(VISIT_SOURCES)), r.date))),
        func.min(case((and_(r.deposit.is_not(None), r.deposit != 0), r.date))),
    ).group_by(r.submission_id, r.customer, r.phone)
    by_sub: dict[int, list[TrailFigures]] = defaultdict(list)
    for sub, customer, phone, first, first_row, source, last, stage, *rest in conn.execute(query):
        grade, grade_date, furthest, walk_in, first_visit, first_deposit = rest
        by_sub[sub].append(
            TrailFigures(
                customer,
                phone,
                _day(first),
                first_row,
                source,
                _day(last),
                stage,
                grade,
                _day(grade_date),
                None if furthest is None else STAGE_ORDER[furthest],
                bool(walk_in),
                _day(first_visit),
                _day(first_deposit),
            )
        )
    for sub, trails in by_sub.items():
        trails.sort(key=lambda t: (t.first, t.first_row))  # the order contacts came in
        found[sub].trails = trails


def _day(value: Any) -> Any:
    """A date from MIN/MAX over a date column: SQLite's aggregate over a CASE returns text."""
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


def _closes(conn: Connection, chunk: Sequence[int], found: dict[int, ReportFigures]) -> None:
    c = day_closes.c
    query = (
        select(c.submission_id, c.date, c.forecast)
        .where(c.submission_id.in_(chunk), c.date.is_not(None))
        .order_by(c.submission_id, c.sheet_row)
    )
    for sub, day, forecast in conn.execute(query):
        found[sub].closes.append((day, forecast))


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
    for sub, day, customer in conn.execute(query):
        found[sub].names.setdefault(day, set()).add(customer)
