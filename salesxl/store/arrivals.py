"""What reached the store and when, without the rows: enough to say who owes what, and
how each month went.

The chase list (催交) needs, per rep file of some months, its form, rep,
period and first-seen time, and for a daily report the days it covers and
when each first arrived; plus the roster, the refused files, and the first
day of all the reports the store holds (nothing before it is owed).  The trends
across months need, per daily report and day, the counts consolidation makes
of its rows (`DayFigures`, summed by the same query consolidation from the
store uses, `store.figures`), and each month's targets.  Reading that is a
few narrow queries, so a thousand reps do not pay for rebuilding a quarter of a million rows as
`load_period` does.  The files come back as `FormData` without tables, so
consolidation's one set of rules (`consolidate.inputs.collect`,
`consolidate.submissions`, the KPIs) judges them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, Table, and_, func, or_, select, union

from salesxl.core.people import Roster
from salesxl.core.periods import Month, Week
from salesxl.forms import FORMS, FormId
from salesxl.store import codec
from salesxl.store.engine import fetched, read_transaction
from salesxl.store.figures import DayFigures, day_figures
from salesxl.store.migrations import open_store
from salesxl.store.refusals import RefusedFile, read_refusals
from salesxl.store.schema import (
    HEADER_CELLS,
    activities,
    day_closes,
    report_days,
    submissions,
)
from salesxl.store.snapshot import current_roster, days_first_seen, days_left_out, month_targets
from salesxl.validate import FormData

__all__ = ["DayFigures", "StoredArrivals", "load_arrivals"]

_CHUNK = 500


@dataclass(slots=True)
class StoredArrivals:
    """The rep files of some months as they arrived, without their rows."""

    forms: list[FormData]  # header (rep, period, name, team, region) only; no tables
    days: dict[str, set[dt.date]]  # a daily report's path -> the days it reports
    first_seen: dict[str, dt.datetime]  # path -> when the store first saw its rep-period
    day_first_seen: dict[tuple[str, dt.date], dt.datetime]
    roster: Roster | None
    refused_files: list[RefusedFile] = field(default_factory=list)
    figures: dict[str, dict[dt.date, DayFigures]] = field(default_factory=dict)  # path -> day
    targets: dict[Month, dict[str, float]] = field(default_factory=dict)  # rep month targets
    # the first day of any report the store holds, of any month (None: it holds none)
    first_day: dt.date | None = None


def load_arrivals(
    db: str | Engine | None, months: Sequence[Month], *, figures: bool = False
) -> StoredArrivals:
    """Every current rep file of `months` (weekly plans of weeks overlapping them), without rows;
    with `figures`, each daily report's `DayFigures` and each month's targets too.

    Raises StoreError when there is no store at `db`.
    """
    first, last = min(months).first_day, max(months).last_day
    names = [str(m) for m in months]
    c = submissions.c
    with open_store(db, create=False) as engine, read_transaction(engine) as conn:
        current = conn.execute(
            select(
                c.id,
                c.path,
                c.form_id,
                c.rep_id,
                c.period,
                c.first_seen,
                c.mtime,
                c.header,
                c.skipped_days,
            )
            .where(
                c.status == "current",
                or_(
                    and_(
                        c.form_id.in_((FormId.DAILY_REPORT, FormId.MONTHLY_PLAN)),
                        c.period.in_(names),
                    ),
                    and_(
                        c.form_id == FormId.WEEKLY_PLAN,
                        c.period_first <= last,
                        c.period_last >= first,
                    ),
                ),
            )
            .order_by(c.form_id, c.rep_id, c.period)
        ).all()
        daily = [s.id for s in current if s.form_id == FormId.DAILY_REPORT]
        # With the figures, their days are the days with contact rows: the rows are read once.
        by_id = day_figures(conn, daily, None, None) if figures else {}
        days_of = _days(conn, daily, [day_closes] if figures else [activities, day_closes])
        for sub_id, days in by_id.items():
            days_of[sub_id].update(days)
        for sub in current:  # rows left out by --skip-bad-rows: their days were reported
            if sub.skipped_days is not None and sub.form_id == FormId.DAILY_REPORT:
                days_of[sub.id].update(days_left_out(sub.skipped_days))
        reporting = {s.rep_id for s in current if s.form_id == FormId.DAILY_REPORT}
        roster = current_roster(conn)
        day_first_seen = days_first_seen(conn, reporting, first, last, roster)
        forms: list[FormData] = []
        paths: dict[str, set[dt.date]] = {}
        first_seen: dict[str, dt.datetime] = {}
        for sub in current:
            data = _header_only(sub.path, sub.form_id, sub.period, sub.header, sub.mtime)
            if data.path in first_seen:  # one path reused for several weeks' plans
                data.path = f"{data.path} [{sub.period}]"
            first_seen[data.path] = sub.first_seen
            if sub.form_id == FormId.DAILY_REPORT:
                paths[data.path] = days_of.get(sub.id, set())
            forms.append(data)
        refused = [r for month in months for r in read_refusals(conn, month)]
        found = StoredArrivals(forms, paths, first_seen, day_first_seen, roster, _unique(refused))
        found.first_day = _first_day(conn)
        if figures:
            path_of = {s.id: f.path for s, f in zip(current, forms, strict=True)}
            found.figures = {path_of[i]: days for i, days in by_id.items()}
            found.targets = {m: month_targets(conn, m) for m in months}
        return found


def _first_day(conn: Connection) -> dt.date | None:
    """The first day of any report the store holds: the earliest day of a daily report, the
    first of a plan's week or month."""
    d, c = report_days.c, submissions.c
    daily = select(func.min(d.day))
    plans = select(func.min(c.period_first)).where(
        c.form_id.in_((FormId.WEEKLY_PLAN, FormId.MONTHLY_PLAN)),
        c.rep_id.is_not(None),
        c.period_first.is_not(None),
    )
    found = [day for day in (conn.execute(daily).scalar(), conn.execute(plans).scalar()) if day]
    return min(found, default=None)


def _days(conn: Connection, daily: list[int], tables: list[Table]) -> dict[int, set[dt.date]]:
    """Submission id -> the days of the daily reports `daily` with a row in `tables`."""
    days_of: dict[int, set[dt.date]] = defaultdict(set)
    for start in range(0, len(daily), _CHUNK):
        chunk = daily[start : start + _CHUNK]
        each = [
            select(t.c.submission_id, t.c.date)
            .where(t.c.submission_id.in_(chunk), t.c.date.is_not(None))
            .distinct()
            for t in tables
        ]
        for sub_id, day in fetched(conn, union(*each) if len(each) > 1 else each[0]):
            days_of[sub_id].add(day)
    return days_of


def _header_only(
    path: str, form_id: str, period: str, header: str, mtime: float | None
) -> FormData:
    """A stored file as the reader gave it, without its tables."""
    values = codec.loads(header)
    values.pop(HEADER_CELLS, None)
    form = FORMS[form_id]
    if form.period_field and form.period_field not in values and period:
        values[form.period_field] = Week.parse(period) if "W" in period else Month.parse(period)
    return FormData(path, form_id, values, mtime=mtime)


def _unique(refused: list[RefusedFile]) -> list[RefusedFile]:
    """A refused weekly plan spanning two months is read for each: keep it once."""
    seen: set[tuple[str, dt.datetime]] = set()
    out = []
    for r in refused:
        key = (r.data.path, r.at)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out
