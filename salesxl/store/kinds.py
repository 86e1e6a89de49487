"""What each kind of import stores, and what a newer file replaces (README.md "The store").

- `reports`: 日报, 周计划 and 月计划 files; one file is one rep-period, and a
  resubmitted file replaces the rows of that rep, form and period.
- `roster`: the roster is one whole: a new roster file replaces the previous one.
- `sales`: an ERP export spans many reps and days; it replaces, rep by rep,
  the rows an earlier export of the same source (the same header signature:
  the same system, and the same `--source` name or none) gave for that rep on
  the days from the rep's first to last date in the new file.  A regional
  export leaves other regions alone, and an export for 16–31 January leaves
  the one for 1–15 January in place.  Two shops on one ERP (the same headers)
  are kept apart by their `--source` names; the same file imported again
  under another name moves its rows to that name.
- `targets`: the 明细 Long sheet of targets.xlsx; it replaces every target of
  the months it covers (a re-split is the whole organisation's new plan).
Replaced rows stay, marked by the submission that replaced them.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Connection,
    Row,
    Select,
    Table,
    and_,
    bindparam,
    exists,
    func,
    or_,
    select,
    update,
)

from salesxl.core.calendar import CalendarNotCoveredError, Workdays
from salesxl.core.deadlines import daily_deadline
from salesxl.core.periods import Month, Week
from salesxl.forms import REP_FORMS, FormId, Role, TableKey
from salesxl.store import codec
from salesxl.store.bulk import PendingRows, insert_or_hold
from salesxl.store.customers import customer_key, refresh_customers
from salesxl.store.rows import TableRows
from salesxl.store.schema import (
    ROW_TABLES,
    activities,
    data_columns,
    report_days,
    sales_records,
    submissions,
    targets,
)
from salesxl.validate import FormData

__all__ = [
    "KINDS",
    "BatchLookups",
    "Kind",
    "Previous",
    "RepDays",
    "customer_keys",
    "customer_keys_of",
    "daily_due",
    "insert_form_rows",
    "kept_sales_rows",
    "look_up_batch",
    "previous_versions",
    "record_days",
    "report_dates",
    "restore_version",
    "rows_by_rep",
    "submissions_of",
    "supersede",
]

Good = dict[str, TableRows]  # a file's rows to store, by form table
_CHUNK = 400


@dataclass(frozen=True, slots=True)
class Kind:
    name: str
    forms: tuple[str, ...]
    zh: str
    en: str
    per_file: bool  # one file is one slice (a rep-period, or the roster)


KINDS: dict[str, Kind] = {
    "roster": Kind("roster", (FormId.ROSTER,), "花名册", "a roster", per_file=True),
    "sales": Kind("sales", (FormId.SALES_RECORDS,), "销售记录", "sales records", per_file=False),
    "reports": Kind(
        "reports",
        tuple(form.id for form in REP_FORMS),
        "日报、周计划或月计划",
        "a daily report, weekly plan or monthly plan",
        per_file=True,
    ),
    "targets": Kind(
        "targets",
        (FormId.TARGETS,),
        "目标（targets.xlsx 的明细表）",
        "targets (the Long sheet of targets.xlsx)",
        per_file=False,
    ),
}


@dataclass(slots=True)
class Previous:
    """What an import supersedes: earlier versions of its slice, and how many rows of each."""

    rows: list[Row[Any]]  # submissions rows
    replaced_rows: dict[int, int]  # submission id -> rows now replaced (sales, targets)
    slice_versions: list[Row[Any]]  # every version of a per-file slice, replaced ones too
    conditions: list[Any] = field(default_factory=list)  # selecting the rows replaced
    spans: dict[str | None, tuple[dt.date, dt.date]] = field(default_factory=dict)  # sales
    # Sales: the earlier imports of the same file under another source name or none, whose
    # rows move to this one's name, and the current rows of the same headers but the other kind of
    # source (named against unnamed) on the same reps and days, kept: submission id -> rows
    moved: list[int] = field(default_factory=list)
    kept_other: dict[int, int] = field(default_factory=dict)
    kept_names: dict[int, str | None] = field(default_factory=dict)  # their source names
    kept_conditions: list[Any] = field(default_factory=list)  # selecting those kept rows


@functools.cache
def _slice_versions(no_rep: bool, no_period: bool) -> Select[Any]:
    """Every version of a slice (form, rep, period), oldest first; built once per shape (an
    import of a thousand reports asks it a thousand times)."""
    s = submissions.c
    return (
        select(submissions)
        .where(
            s.form_id == bindparam("form"),
            s.rep_id.is_(None) if no_rep else s.rep_id == bindparam("rep"),
            s.period.is_(None) if no_period else s.period == bindparam("period"),
        )
        .order_by(s.version)
    )


def _sales_spans(good: Good) -> dict[str | None, tuple[dt.date, dt.date]]:
    """Rep ID (None: no rep) -> the first and last date of that rep's rows in the file."""
    rows = good.get(TableKey.SALES)
    if rows is None:
        return {}
    firsts: dict[str | None, dt.date] = {}
    lasts: dict[str | None, dt.date] = {}
    # an export repeats each rep's days many times: the distinct pairs are found in C
    for rep, day in set(zip(rows.column(Role.REP_ID), rows.column(Role.DATE), strict=True)):
        first = firsts.get(rep)
        if first is None:
            firsts[rep] = lasts[rep] = day
        elif day < first:
            firsts[rep] = day
        elif day > lasts[rep]:
            lasts[rep] = day
    return {rep: (first, lasts[rep]) for rep, first in firsts.items()}


def _same_signature(signature: str | None) -> Any:
    """Rows of the export's headers (or of no known headers: imported before they were
    recorded, schema 3)."""
    s = sales_records.c
    if signature is None:
        return s.source.is_(None)
    return or_(s.source == signature, s.source.is_(None))


def _named(name: str | None) -> Any:
    """Rows of the `--source` name (None: rows imported without one)."""
    s = sales_records.c
    return s.source_name.is_(None) if name is None else s.source_name == name


def _span_conditions(spans: dict[str | None, tuple[dt.date, dt.date]]) -> list[Any]:
    """Rows of each rep dated within that rep's span in the new file."""
    s = sales_records.c
    # Reps sharing a span (most of an export's) are one condition: rep_id IN (…) AND date …
    by_span: dict[tuple[dt.date, dt.date], list[str | None]] = {}
    for rep, span in spans.items():
        by_span.setdefault(span, []).append(rep)
    conditions = []
    for (first, last), reps in sorted(by_span.items()):
        named = sorted(rep for rep in reps if rep is not None)
        # the month too: the same rows, found by the (rep_id, month) index in a year of sales
        days = and_(
            s.date.between(first, last), s.month.between(_month_text(first), _month_text(last))
        )
        conditions += [and_(days, s.rep_id.in_(chunk)) for chunk in _chunks(named)]
        if None in reps:
            conditions.append(and_(days, s.rep_id.is_(None)))
    return conditions


def _target_months(good: Good) -> list[str]:
    long = good.get(TableKey.LONG)
    return sorted({str(m) for m in long.column(Role.MONTH)}) if long is not None else []


def _chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


@dataclass(slots=True)
class BatchLookups:
    """What each file of a batch of rep files would ask the store before it is written,
    asked once for the batch (an import of a thousand reports asked two thousand small
    queries, one round trip each): every version of each file's slice, and the days each
    rep's daily reports already brought within the batch's months.

    The answers stay true while the batch is written: a slice written since is asked
    again (the import calls `wrote_slice` as it writes each file), and the days a report
    brings are added to its rep's (`record_days`).  Made by `look_up_batch`.
    """

    versions: dict[tuple[str, str, str], list[Row[Any]]]  # (form, rep, period) -> versions
    days: dict[str, set[dt.date]]  # rep -> days in `span` the store has
    span: tuple[dt.date, dt.date] | None  # the days asked for (None: none)
    written: set[tuple[str, str, str]] = field(default_factory=set)

    def slice_versions(self, data: FormData) -> list[Row[Any]] | None:
        """The versions of `data`'s slice, oldest first (None: ask the store)."""
        key = _slice_key(data)
        if key is None or key in self.written:
            return None
        return self.versions.get(key)

    def known_days(self, rep: str | None, days: set[dt.date]) -> set[dt.date] | None:
        """Which of `days` the store has for `rep` (None: ask the store)."""
        if rep is None or self.span is None or rep not in self.days:
            return None
        first, last = self.span
        if min(days) < first or max(days) > last:
            return None
        return self.days[rep] & days

    def wrote_slice(self, data: FormData) -> None:
        key = _slice_key(data)
        if key is not None:
            self.written.add(key)


def _slice_key(data: FormData) -> tuple[str, str, str] | None:
    if data.form_id is None or data.rep_id is None or data.period is None:
        return None
    return data.form_id, data.rep_id, str(data.period)


def look_up_batch(conn: Connection, forms: Sequence[FormData]) -> BatchLookups:
    """Ask once what `previous_versions` and `record_days` would ask for each of `forms`."""
    slices = {key for key in map(_slice_key, forms) if key is not None}
    versions: dict[tuple[str, str, str], list[Row[Any]]] = {key: [] for key in slices}
    s = submissions.c
    form_ids = sorted({form for form, _, _ in slices})
    periods = sorted({period for _, _, period in slices})
    reps = sorted({rep for _, rep, _ in slices})
    for part in _chunks(reps):
        for row in conn.execute(
            select(submissions)
            .where(s.rep_id.in_(part), s.form_id.in_(form_ids), s.period.in_(periods))
            .order_by(s.version)
        ):
            found = versions.get((row.form_id, row.rep_id, row.period))
            if found is not None:
                found.append(row)
    days: dict[str, set[dt.date]] = {}  # rep -> the days it has within `span`
    months: list[Month] = []
    for f in forms:  # the daily reports: their reps and months
        if f.form_id == FormId.DAILY_REPORT and f.rep_id and isinstance(f.period, Month):
            days[f.rep_id] = set()
            months.append(f.period)
    if not months:
        return BatchLookups(versions, {}, None)
    span = (min(m.first_day for m in months), max(m.last_day for m in months))
    d = report_days.c
    for part in _chunks(sorted(days)):
        for rep, day in conn.execute(
            select(d.rep_id, d.day).where(d.rep_id.in_(part), d.day.between(*span))
        ):
            days[rep].add(day)
    return BatchLookups(versions, days, span)


def previous_versions(
    conn: Connection,
    kind: Kind,
    data: FormData,
    good: Good,
    batch: BatchLookups | None = None,
    *,
    source_name: str | None = None,
    same_file: Sequence[int] = (),
) -> Previous:
    """What `data` supersedes: the earlier versions of its slice (a rep file), the current
    rows of the same source, reps and days (sales: `source_name` is its `--source` name,
    `same_file` the imports of the same bytes under another name or none, whose rows
    move to it), or
    of the same months (targets)."""
    if kind.per_file:
        versions = batch.slice_versions(data) if batch is not None else None
        if versions is None:
            rep, period = data.rep_id, data.period
            params = {"form": data.form_id}
            if rep is not None:
                params["rep"] = rep
            if period is not None:
                params["period"] = str(period)
            versions = list(conn.execute(_slice_versions(rep is None, period is None), params))
        current = [s for s in versions if s.status == "current"]
        return Previous(current, {}, versions)
    if kind.name == "sales":
        return _previous_sales(conn, data, good, source_name, same_file)
    months = _target_months(good)
    conditions = [targets.c.month.in_(chunk) for chunk in _chunks(months)]
    counts: dict[int, int] = {}
    for condition in conditions:
        for sub_id, n in conn.execute(
            select(targets.c.submission_id, func.count())
            .where(targets.c.replaced_by.is_(None), condition)
            .group_by(targets.c.submission_id)
        ):
            counts[sub_id] = counts.get(sub_id, 0) + n
    return Previous(submissions_of(conn, counts), counts, [], conditions)


def _previous_sales(
    conn: Connection,
    data: FormData,
    good: Good,
    source_name: str | None,
    same_file: Sequence[int],
) -> Previous:
    """The current rows a sales export replaces, and those of the same headers it keeps
    although they cover the same reps and days: named rows against unnamed ones (the
    same shop imported with and without `--source`?).  Rows of two different names
    are two shops: kept without a word."""
    s = sales_records.c
    spans = _sales_spans(good)
    signature = _same_signature(data.signature)
    days = _span_conditions(spans)
    counts: dict[int, int] = {}
    kept: dict[int, int] = {}
    kept_names: dict[int, str | None] = {}
    moved = set(same_file)
    # one query per condition, as many as before: each submission's rows carry one name
    for condition in days:
        for sub_id, name, n in conn.execute(
            select(s.submission_id, s.source_name, func.count())
            .where(s.replaced_by.is_(None), signature, condition)
            .group_by(s.submission_id, s.source_name)
        ):
            if name == source_name:
                counts[sub_id] = counts.get(sub_id, 0) + n
            elif (name is None) != (source_name is None) and sub_id not in moved:
                kept[sub_id] = kept.get(sub_id, 0) + n
                kept_names[sub_id] = name
    conditions = [and_(signature, _named(source_name), c) for c in days]
    if moved:
        ids = sorted(moved)
        conditions.append(s.submission_id.in_(ids))
        for sub_id, n in conn.execute(
            select(s.submission_id, func.count())
            .where(s.replaced_by.is_(None), s.submission_id.in_(ids))
            .group_by(s.submission_id)
        ):
            counts[sub_id] = counts.get(sub_id, 0) + n
    other = s.source_name.is_not(None) if source_name is None else s.source_name.is_(None)
    return Previous(
        submissions_of(conn, counts),
        counts,
        [],
        conditions,
        spans,
        moved=sorted(moved),
        kept_other=kept,
        kept_names=kept_names,
        kept_conditions=[and_(signature, other, c) for c in days] if kept else [],
    )


def submissions_of(conn: Connection, ids: Iterable[int]) -> list[Row[Any]]:
    """The submissions rows of `ids`, oldest first."""
    wanted = sorted(ids)
    if not wanted:
        return []
    s = submissions.c
    return list(conn.execute(select(submissions).where(s.id.in_(wanted)).order_by(s.id)))


@dataclass(frozen=True, slots=True)
class RepDays:
    """The rows of one earlier import for one rep: their first and last day, how many."""

    rep_id: str | None
    first: dt.date
    last: dt.date
    rows: int


def rows_by_rep(
    conn: Connection, conditions: Sequence[Any], ids: Sequence[int]
) -> dict[int, list[RepDays]]:
    """Submission id (of `ids`) -> its current rows selected by `conditions`, rep by rep
    (for the import's warnings: asked only of the few earlier files they name)."""
    if not ids:
        return {}
    s = sales_records.c
    found: dict[tuple[int, str | None], RepDays] = {}
    for condition in conditions:
        for sub_id, rep, first, last, n in conn.execute(
            select(s.submission_id, s.rep_id, func.min(s.date), func.max(s.date), func.count())
            .where(s.replaced_by.is_(None), condition, s.submission_id.in_(list(ids)))
            .group_by(s.submission_id, s.rep_id)
        ):
            had = found.get((sub_id, rep))
            if had is not None:
                first, last, n = min(first, had.first), max(last, had.last), n + had.rows
            found[(sub_id, rep)] = RepDays(rep, first, last, n)
    by_file: dict[int, list[RepDays]] = {}
    for (sub_id, _), days in sorted(found.items(), key=lambda item: (item[0][0], item[0][1] or "")):
        by_file.setdefault(sub_id, []).append(days)
    return by_file


def supersede(conn: Connection, kind: Kind, new_id: int, previous: Previous) -> None:
    """Mark what the new submission replaces (before its own rows are written)."""
    if kind.per_file:
        old = [s.id for s in previous.rows]
    else:
        table = sales_records if kind.name == "sales" else targets
        for condition in previous.conditions:
            conn.execute(
                update(table)
                .where(table.c.replaced_by.is_(None), condition)
                .values(replaced_by=new_id)
            )
        # A file none of whose rows are current any more is replaced as a whole.
        old = [
            s.id
            for s in previous.rows
            if not conn.execute(
                select(exists().where(table.c.submission_id == s.id, table.c.replaced_by.is_(None)))
            ).scalar()
        ]
    if old:
        conn.execute(
            update(submissions)
            .where(submissions.c.id.in_(old))
            .values(status="replaced", replaced_by=new_id)
        )


def restore_version(conn: Connection, row: Row[Any], now: dt.datetime) -> list[int]:
    """Make an earlier version of a per-file slice (a roster, a rep's period) current again,
    as when the same file is imported again after a newer one; returns the ids it replaces.
    Its rows were kept: only which version is current changes."""
    s = submissions.c
    same = and_(
        s.form_id == row.form_id,
        s.rep_id.is_(None) if row.rep_id is None else s.rep_id == row.rep_id,
        s.period.is_(None) if row.period is None else s.period == row.period,
        s.status == "current",
        s.id != row.id,
    )
    current = list(conn.execute(select(s.id).where(same)).scalars())
    if current:
        conn.execute(
            update(submissions)
            .where(s.id.in_(current))
            .values(status="replaced", replaced_by=row.id)
        )
    conn.execute(
        update(submissions).where(s.id == row.id).values(status="current", replaced_by=None)
    )
    if row.form_id == FormId.DAILY_REPORT:
        keys = set(
            conn.execute(
                select(activities.c.customer_key)
                .distinct()
                .where(activities.c.submission_id.in_([row.id, *current]))
            ).scalars()
        )
        keys.discard(None)
        refresh_customers(conn, keys, now)
    return current


def _month_text(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _period_text(value: Any) -> Any:
    return str(value) if isinstance(value, (Month, Week)) else value


def _months_of(days: Sequence[dt.date]) -> list[str]:
    """`YYYY-MM` of each date (an export repeats a few hundred dates many times)."""
    texts = {d: _month_text(d) for d in set(days)}
    return [texts[d] for d in days]


def _table_columns(table: Table, rows: TableRows, fixed: dict[str, Any]) -> dict[str, list[Any]]:
    """The rows as insert columns: bookkeeping, the fields, extra columns, derived values."""
    fields = data_columns(table)
    unknown = set(rows.values) - set(fields)
    if unknown:
        raise RuntimeError(
            f"the store's table {table.name} has no column for "
            f"{', '.join(sorted(unknown))}; the form gained a field: add it to "
            "salesxl/store/schema.py with a migration"
        )
    n = len(rows)
    columns: dict[str, list[Any]] = {name: [value] * n for name, value in fixed.items()}
    columns["sheet_row"] = rows.sheet_rows
    for f in fields:
        values = rows.column(f)
        if f in (Role.MONTH, Role.WEEK):  # periods are stored as their text
            values = [_period_text(v) for v in values]
        columns[f] = values
    extras = rows.extras or [None] * n
    columns["extra"] = [codec.dumps(e) if e else None for e in extras]
    if table is activities:
        columns["customer_key"] = (
            rows.customer_keys if rows.customer_keys is not None else customer_keys(rows)
        )
    if table is sales_records:
        columns[Role.MONTH] = _months_of(columns[Role.DATE])
    return columns


def customer_keys(rows: TableRows) -> list[str | None]:
    """Each contact row's customer identity (`customer_key` of its name and phone)."""
    pairs = list(zip(rows.column(Role.CUSTOMER), rows.column(Role.PHONE), strict=True))
    keys = {pair: customer_key(*pair) for pair in set(pairs)}
    return [keys[pair] for pair in pairs]


def insert_form_rows(
    conn: Connection,
    new_id: int,
    data: FormData,
    good: Good,
    *,
    step: Callable[[int], None] | None = None,
    written: dict[str, int] | None = None,
    customers: set[str] | None = None,
    pending: PendingRows | None = None,
    source_name: str | None = None,
) -> int:
    """Write every table's good rows; returns the number of rows.  `written` (table name ->
    rows) counts them per table; `customers` gets the customer keys of the activities;
    `pending` holds the rows back for one insert with other files' (`PendingRows`);
    `source_name` is a sales export's `--source` name."""
    total = 0
    for key, records in good.items():
        if not records:
            continue
        table = ROW_TABLES[(data.form_id or "", key)]
        fixed: dict[str, Any] = {"submission_id": new_id}
        if table.c.get("rep_id") is not None and table.c.rep_id.info:
            fixed |= {"rep_id": data.rep_id, "period": str(data.period)}
        if table is sales_records:
            fixed["source"] = data.signature
            fixed["source_name"] = source_name
        columns = _table_columns(table, records, fixed)
        total += insert_or_hold(conn, table, columns, pending, step=step)
        if written is not None:
            written[table.name] = written.get(table.name, 0) + len(records)
        if customers is not None and table is activities:
            customers.update(key for key in columns["customer_key"] if key is not None)
    return total


def kept_sales_rows(
    conn: Connection, data: FormData, previous: Previous, source_name: str | None = None
) -> int:
    """Current rows of the same source and reps, in the months the file touches, that it
    leaves in place (asked after `supersede`, before the file's own rows are written)."""
    s = sales_records.c
    spans = previous.spans
    months = sorted({_month_text(d) for span in spans.values() for d in span})
    if not spans:
        return 0
    reps = [rep for rep in spans if rep is not None]
    query = select(func.count()).where(
        s.replaced_by.is_(None),
        _same_signature(data.signature),
        _named(source_name),
        s.month.between(months[0], months[-1]),
    )
    rep_filter = [s.rep_id.in_(chunk) for chunk in _chunks(reps)]
    if None in spans:
        rep_filter.append(s.rep_id.is_(None))
    return int(conn.execute(query.where(or_(*rep_filter))).scalar_one())


def daily_due(day: dt.date) -> dt.datetime:
    """09:00 on the next workday of the built-in calendar (README.md "For reps": due 09:00 the next workday)."""
    try:
        return daily_deadline(day, Workdays())
    except CalendarNotCoveredError:
        return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(9, 0))


def report_dates(good: Good) -> set[dt.date]:
    """The days a daily report's rows are for: its contact and 日清 rows (docs/forms.md)."""
    return {
        day
        for key in (TableKey.DAILY, TableKey.DAY_CLOSE)
        if key in good
        for day in set(good[key].column(Role.DATE))
        if isinstance(day, dt.date)
    }


_KNOWN_DAYS = select(report_days.c.day).where(
    report_days.c.rep_id == bindparam("rep"),
    report_days.c.day.in_(bindparam("days", expanding=True)),
)


def record_days(
    conn: Connection,
    new_id: int,
    data: FormData,
    good: Good,
    arrived: dt.datetime,
    *,
    estimated: bool = False,
    pending: PendingRows | None = None,
    batch: BatchLookups | None = None,
    also: Iterable[dt.date] = (),
) -> None:
    """The days a daily report brings for the first time: a contact row or a 日清 row (docs/forms.md),
    and `also` the days of its rows left out by `--skip-bad-rows` (reported all the same).

    They arrived now (`arrived`).  In a backfill, `arrived` is when the file
    was last saved (`FormData.file_time`), which dates only its newest day; an earlier
    day is taken to have arrived by its deadline unless the file itself was
    saved before that, and the times are marked as estimated.
    """
    days = report_dates(good).union(also)
    if not days:
        return
    rep = data.rep_id
    known = batch.known_days(rep, days) if batch is not None else None
    if known is None:
        known = set(conn.execute(_KNOWN_DAYS, {"rep": rep, "days": sorted(days)}).scalars())
    newest = max(days)
    new = sorted(days - known)
    if batch is not None and rep in batch.days:
        batch.days[rep].update(new)  # the store has them now (or will, with `pending`)
    columns: dict[str, list[Any]] = {
        "rep_id": [rep] * len(new),
        "day": new,
        "submission_id": [new_id] * len(new),
        "estimated": [estimated] * len(new),
        "first_seen": [
            min(arrived, daily_due(day)) if estimated and day < newest else arrived for day in new
        ],
    }
    insert_or_hold(conn, report_days, columns, pending)


def customer_keys_of(conn: Connection, data: FormData, replaced: Sequence[int]) -> set[str]:
    """The customers the versions this report replaced mention: with those of its own rows
    (`insert_form_rows(customers=…)`), those to recompute
    (`salesxl.store.customers.refresh_customers`) before the import commits."""
    if data.form_id != FormId.DAILY_REPORT or not replaced:
        return set()
    keys = set(
        conn.execute(
            select(activities.c.customer_key)
            .distinct()
            .where(activities.c.submission_id.in_(list(replaced)))
        ).scalars()
    )
    keys.discard(None)
    return keys
