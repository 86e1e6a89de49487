"""Reading the store back: the same inputs a folder gives consolidation, and sales history.

`load_period` rebuilds `FormData` objects (header, tables with `_row`,
issues, path, modification time) from the current version of every stored
file of a month, so `salesxl.consolidate.consolidate` runs unchanged on
them; with them come the roster, the month's targets, when each file and
each report day first reached the store (late/missing), and the
daily reports of the months before (7-day rule and attribution across
months, README.md "For managers").  Without `rows`, a daily report comes back
without its rows, carrying instead what the database computed of them
(`salesxl.store.figures.ReportFigures`, as `FormData.digest`): a month of
thousands of reps then costs a few rows per rep and customer, not every row.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Connection, Engine, Row, and_, func, literal, or_, select

from salesxl.core.issues import Code, Issue, Severity, make_issue, message
from salesxl.core.people import Roster
from salesxl.core.perf import paused_gc
from salesxl.core.periods import Month
from salesxl.core.rep_ids import rep_key
from salesxl.forms import FormId, Role
from salesxl.intake.roster import roster_from_form
from salesxl.read import Limits
from salesxl.store import codec
from salesxl.store.customers import CustomerRecord
from salesxl.store.employment import EMPLOYMENT_CODES, employment_warnings, merged_in_order
from salesxl.store.engine import fetched, read_transaction
from salesxl.store.figures import ReportFigures, report_figures
from salesxl.store.migrations import open_store
from salesxl.store.refusals import RefusedFile, read_refusals
from salesxl.store.schema import (
    HEADER_CELLS,
    ROW_TABLES,
    customers,
    data_columns,
    issues,
    report_days,
    sales_records,
    submissions,
    targets,
)
from salesxl.store.versions import month_targets_in_force
from salesxl.validate import FormData, TableData
from salesxl.validate.rows import NUMERIC, insane_number

__all__ = [
    "HISTORY_MONTHS",
    "RefusedFile",
    "StoreInputs",
    "current_roster",
    "days_first_seen",
    "days_left_out",
    "load_history",
    "load_period",
    "load_submission",
    "month_targets",
    "read_customers",
    "sales_history",
    "stored_roster",
    "submission_versions",
]

HISTORY_MONTHS = 2  # earlier months of daily reports for the 7-day and attribution rules
_CHUNK = 500


@dataclass(slots=True)
class StoreInputs:
    """What `salesxl.consolidate.consolidate` takes, read from the store for one month."""

    forms: list[FormData]
    roster: Roster | None
    targets: dict[str, float]  # rep ID -> month target
    first_seen: dict[str, dt.datetime]  # form path -> first time the store saw its rep-period
    day_first_seen: dict[tuple[str, dt.date], dt.datetime] = field(default_factory=dict)
    history: list[FormData] = field(default_factory=list)
    # The errors of rep forms of the month that were refused and not imported since.
    refused: list[Issue] = field(default_factory=list)
    refused_files: list[RefusedFile] = field(default_factory=list)  # those forms themselves
    # stretch / challenge -> rep ID -> month target, from the targets version in force
    tiers: dict[str, dict[str, float]] = field(default_factory=dict)


def load_period(
    db: str | Engine | None,
    period: Month,
    *,
    as_of: dt.date | None = None,
    history_months: int = HISTORY_MONTHS,
    rows: bool = True,
    roster: Roster | None = None,
) -> StoreInputs:
    """Every current rep form of `period` (weekly plans of weeks overlapping it), and the rest.

    `as_of` drops `future_date` warnings for dates that are no longer in the
    future (they were judged on the day of the import).  Rows dated outside a
    rep's employment are judged again against `roster` (a roster file given
    instead of the store's current one, which is used without it) and not as
    the import found them (`salesxl.store.employment`).  With `rows` False
    (it needs `as_of`), each daily report's rows stay in the database and its
    `digest` holds their `ReportFigures` for its own month (the months before:
    their trails only matter).  `history_months` 0 reads no month before
    (`load_history` reads them on a connection of its own).  Raises StoreError
    when there is no store at `db`.
    """
    if not rows and as_of is None:
        raise ValueError("figures instead of rows are computed as of a day: give as_of")
    with open_store(db, create=False) as engine, read_transaction(engine) as conn:
        c = submissions.c
        current = conn.execute(
            select(submissions)
            .where(
                c.status == "current",
                or_(
                    and_(
                        c.form_id.in_((FormId.DAILY_REPORT, FormId.MONTHLY_PLAN)),
                        c.period == str(period),
                    ),
                    and_(
                        c.form_id == FormId.WEEKLY_PLAN,
                        c.period_first <= period.last_day,
                        c.period_last >= period.first_day,
                    ),
                ),
            )
            .order_by(c.form_id, c.rep_id, c.period)
        ).all()
        if rows:
            forms = _forms(conn, current, as_of, rejudged=EMPLOYMENT_CODES)
        else:
            assert as_of is not None
            # by rep key: a plan typed `s020` is the plan of the report typed `S020`
            planned = {
                rep_key(s.rep_id) for s in current if s.form_id == FormId.WEEKLY_PLAN and s.rep_id
            }
            forms = _forms(
                conn, current, as_of, figures=(period, as_of, planned), rejudged=EMPLOYMENT_CODES
            )
        judged_by = roster if roster is not None else current_roster(conn)
        warned = employment_warnings(conn, current, period, judged_by)
        for sub, data in zip(current, forms, strict=True):
            if sub.id in warned:
                data.issues = merged_in_order(data.issues, warned[sub.id])
        history = _history(conn, period, as_of, history_months, rows=rows)
        first_seen: dict[str, dt.datetime] = {}
        for sub, data in zip(current, forms, strict=True):
            if data.path in first_seen:  # one path reused for several weeks' plans
                data.path = f"{data.path} [{sub.period}]"
            first_seen[data.path] = sub.first_seen
        # a set: each of the month's report days (100,000 at 5,000 reps) is looked up in it
        reporting = {s.rep_id for s in current if s.form_id == FormId.DAILY_REPORT}
        days = days_first_seen(conn, reporting, period.first_day, period.last_day, judged_by)
        refused = read_refusals(conn, period)
        return StoreInputs(
            forms,
            judged_by,
            month_targets(conn, period),
            first_seen,
            days,
            history,
            [i for r in refused for i in r.data.issues],
            [replace(r, data=replace(r.data, issues=[])) for r in refused],
            _month_tiers(conn, period),
        )


def days_first_seen(
    conn: Connection,
    reporting: set[str],
    first: dt.date,
    last: dt.date,
    roster: Roster | None = None,
) -> dict[tuple[str, dt.date], dt.datetime]:
    """(rep, day) -> when the store first had that day's report, for the reps `reporting`
    and the days from `first` to `last`.  A rep's ID however the store has it (`s020` and
    `S020` stored before imports folded them, `rep_key`) is one rep: a day counts from the
    first of its spellings, under each of them and under `roster`'s, the spellings
    consolidation may group the rep's files by.  One object per rep ID and per day for the
    whole mapping (the driver makes new ones for every row: 115,000 a month at 5,000 reps)."""
    same: dict[Any, Any] = {}
    one = same.setdefault
    ids = roster.index() if roster is not None else None
    spellings: dict[str, set[str]] = {}  # rep key -> the spellings asked for
    for rep in reporting:
        names = spellings.setdefault(rep_key(rep), set())
        names.add(rep)
        found = ids.match(rep).rep_id if ids is not None else None
        if found is not None:
            names.add(found)
    keys: dict[str, str] = {}  # a stored spelling -> its rep key
    out: dict[tuple[str, dt.date], dt.datetime] = {}
    d = report_days.c
    for rep, day, seen in fetched(
        conn, select(d.rep_id, d.day, d.first_seen).where(d.day >= first, d.day <= last)
    ):
        key = keys.get(rep)
        if key is None:
            key = keys[rep] = rep_key(rep)
        for name in spellings.get(key, ()):
            at = (one(name, name), one(day, day))
            earlier = out.get(at)
            if earlier is None or seen < earlier:
                out[at] = seen
    return out


def load_history(
    db: str | Engine | None,
    period: Month,
    *,
    as_of: dt.date,
    history_months: int = HISTORY_MONTHS,
) -> list[FormData]:
    """The daily reports of the `history_months` before `period`, as `load_period` reads them
    without rows: each with the `ReportFigures` of its customer trails alone (and without
    its issues).

    On a connection and in a transaction of its own, so that the database works out these
    trails while Python works on the month's own (the months before are other files:
    a report imported meanwhile changes one read or the other, as with the trends)."""
    with open_store(db, create=False) as engine, read_transaction(engine) as conn:
        return _history(conn, period, as_of, history_months, rows=False)


def _history(
    conn: Connection, period: Month, as_of: dt.date | None, months: int, *, rows: bool
) -> list[FormData]:
    """The current daily reports of the `months` before `period` (see `load_period`)."""
    if months <= 0:
        return []
    c = submissions.c
    earlier = [str(period.shift(-i)) for i in range(months, 0, -1)]
    past = conn.execute(
        select(submissions)
        .where(c.status == "current", c.form_id == FormId.DAILY_REPORT, c.period.in_(earlier))
        .order_by(c.period, c.rep_id)
    ).all()
    if rows:
        return _forms(conn, past, as_of)
    assert as_of is not None
    return [
        data
        for month, subs in _by_period(past)
        for data in _forms(conn, subs, as_of, figures=(month, as_of, set()), trails_only=True)
    ]


def load_submission(db: str | Engine | None, submission_id: int) -> FormData:
    """Any stored version of a file, current or replaced (what it said before)."""
    with open_store(db, create=False) as engine, read_transaction(engine) as conn:
        sub = conn.execute(select(submissions).where(submissions.c.id == submission_id)).first()
        if sub is None:
            raise KeyError(f"no submission {submission_id} in the store")
        return _forms(conn, [sub], None)[0]


def submission_versions(
    db: str | Engine | None, form_id: str, rep_id: str | None, period: str | None
) -> list[dict[str, Any]]:
    """Every version of one rep-period's file, oldest first (id, version, status, times, path)."""
    c = submissions.c
    with open_store(db, create=False) as engine, read_transaction(engine) as conn:
        rows = conn.execute(
            select(
                c.id,
                c.version,
                c.status,
                c.path,
                c.content_hash,
                c.first_seen,
                c.imported_at,
                c.imported_by,
                c.rows,
                c.replaced_by,
            )
            .where(
                c.form_id == form_id,
                c.rep_id.is_(None) if rep_id is None else c.rep_id == rep_id,
                c.period.is_(None) if period is None else c.period == period,
            )
            .order_by(c.version)
        )
        return [dict(r._mapping) for r in rows]


def sales_history(
    db: str | Engine | None,
    *,
    first: Month | None = None,
    last: Month | None = None,
    by_product: bool = True,
) -> list[tuple[str, str | None, Month, float]]:
    """Current sales amounts summed per rep ID (unit) × product × month, for `targets split`.

    Without `by_product` the product is None and amounts are per rep and month.
    Sales without a rep (an export with no rep column, or a name not in the
    roster) belong to no unit and are left out here.  Amounts beyond what a
    form may hold (`Limits.max_amount`; only a store filled before salesxl
    checked that can have them) are left out, so no sum overflows.
    """
    s = sales_records.c
    product = s.product if by_product else literal(None).label("product")
    bound = Limits().max_amount
    query = select(s.rep_id, product, s.month, func.sum(s.amount)).where(
        s.replaced_by.is_(None),
        s.rep_id.is_not(None),
        s.amount.between(-bound, bound),
    )
    if first is not None:
        query = query.where(s.month >= str(first))
    if last is not None:
        query = query.where(s.month <= str(last))
    group = [s.rep_id, s.product, s.month] if by_product else [s.rep_id, s.month]
    # a year of 5,000 reps' sales: 1.5 million sums, and no reference cycles among them
    with paused_gc(), open_store(db, create=False) as engine, read_transaction(engine) as conn:
        rows = conn.execute(query.group_by(*group)).all()
        months = {month: Month.parse(month) for month in {row[2] for row in rows}}
        found = [
            (rep, prod, months[month], float(total or 0.0)) for rep, prod, month, total in rows
        ]
        found.sort(key=lambda r: (r[0], r[1] or "", r[2]))
    return found


def stored_roster(db: str | Engine | None) -> Roster | None:
    """The current roster in the store (None when no roster was imported)."""
    with open_store(db, create=False) as engine, read_transaction(engine) as conn:
        return current_roster(conn)


def read_customers(db: str | Engine | None) -> list[CustomerRecord]:
    """Every customer identity with its first registration, owner and deal (oldest first)."""
    k = customers.c
    with open_store(db, create=False) as engine, read_transaction(engine) as conn:
        rows = conn.execute(
            select(
                k.key,
                k.name,
                k.phone,
                k.first_date,
                k.owner_rep,
                k.reps,
                k.deposit_date,
                k.deal_rep,
            ).order_by(k.first_date, k.key)
        )
        return [CustomerRecord(*r) for r in rows]


# ----------------------------------------------------------------------------
# FormData from stored rows
# ----------------------------------------------------------------------------


def _by_period(subs: Sequence[Row[Any]]) -> list[tuple[Month, list[Row[Any]]]]:
    groups: dict[str, list[Row[Any]]] = defaultdict(list)
    for s in subs:
        groups[s.period].append(s)
    return [(Month.parse(p), group) for p, group in sorted(groups.items())]


# Daily reports read as figures: these tables stay in the database.
_FIGURE_TABLES = frozenset(key for (form_id, key) in ROW_TABLES if form_id == FormId.DAILY_REPORT)


def _forms(
    conn: Connection,
    subs: Sequence[Row[Any]],
    as_of: dt.date | None,
    *,
    figures: tuple[Month, dt.date, set[str]] | None = None,
    trails_only: bool = False,
    rejudged: frozenset[str] = frozenset(),
) -> list[FormData]:
    """The stored files as FormData.  With `figures` (month, as-of, the `rep_key`s of the
    reps whose customers per day are wanted), daily reports carry `ReportFigures` instead of their rows (only
    their customer trails with `trails_only`, and no issues: an earlier month's report
    counts for no more).  The stored issues of the codes `rejudged` are left out (the
    caller judges them again)."""
    records: dict[int, dict[str, list[dict[str, Any]]]] = defaultdict(dict)
    by_table: dict[tuple[str, str], list[int]] = defaultdict(list)
    # Files of one template have one layout, read once and shared (nothing changes it after
    # loading): a month and the two before at 5,000 reps are 15,000 files.
    decoded = {text: codec.loads(text) for text in {s.layout for s in subs}}
    layouts = {s.id: decoded[s.layout] for s in subs}
    same_cells: dict[tuple[tuple[str, str, str], ...], dict[str, tuple[str, str]]] = {}
    computed: dict[int, ReportFigures] = {}
    if figures is not None:
        month, upto, planned = figures
        daily = [s.id for s in subs if s.form_id == FormId.DAILY_REPORT]
        named = [
            s.id
            for s in subs
            if s.form_id == FormId.DAILY_REPORT and s.rep_id and rep_key(s.rep_id) in planned
        ]
        computed = report_figures(
            conn, daily, month, upto, names_for=named, trails_only=trails_only
        )
    # A report holding a number beyond reason is read row by row instead, where the number
    # is left out with an error (`_leave_out_insane_numbers`).  (A trail's only number is
    # whether a deposit was made: the database leaves out one beyond reason itself.)
    as_figures = {sub for sub, found in computed.items() if not found.beyond}
    for s in subs:
        for key in layouts[s.id]:
            records[s.id][key] = []
            if s.id not in as_figures or key not in _FIGURE_TABLES:
                by_table[(s.form_id, key)].append(s.id)
    for (form_id, key), wanted in by_table.items():
        table = ROW_TABLES[(form_id, key)]
        fields = data_columns(table)
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            rows = conn.execute(
                select(
                    table.c.submission_id,
                    table.c.sheet_row,
                    *(table.c[f] for f in fields),
                    table.c.extra,
                )
                .where(table.c.submission_id.in_(chunk))
                .order_by(table.c.submission_id, table.c.sheet_row)
            )
            for sub_id, row, *values in rows:
                extra = values.pop()
                record = dict(zip(fields, values, strict=True))
                record["_row"] = row
                if layouts[sub_id][key]["extras"]:
                    record["_extra"] = codec.loads(extra) or {}
                records[sub_id][key].append(record)
    # an earlier month's report is read for its customer trails: its issues were the
    # summary of its own month
    found = {} if trails_only else _issues(conn, subs, as_of, rejudged)
    out = []
    for s in subs:
        tables = {
            key: TableData(key, spec["sheet"], records[s.id][key], spec["columns"], spec["extras"])
            for key, spec in layouts[s.id].items()
        }
        header = codec.loads(s.header)
        data = FormData(s.path, s.form_id, header, tables, found.get(s.id, []), mtime=s.mtime)
        cells = header.pop(HEADER_CELLS, {})
        shape = tuple((key, sheet, cell) for key, (sheet, cell) in cells.items())
        if shape not in same_cells:  # one for the files of a template, as their layout
            same_cells[shape] = {key: (sheet, cell) for key, sheet, cell in shape}
        data.header_cells = same_cells[shape]
        if s.skipped_days is not None:  # rows --skip-bad-rows left out: their days count
            data.days_left_out = frozenset(days_left_out(s.skipped_days))
        if s.id in as_figures:
            data.digest = computed[s.id]
            data.digest.days |= data.days_left_out
        _leave_out_insane_numbers(data)
        out.append(data)
    return out


def skipped_rows(text: str | None) -> dict[tuple[str, int], dt.date | None] | None:
    """`submissions.skipped_days`: (sheet, row) -> the date of each row of a daily report
    that `import --skip-bad-rows` left out (None: its date did not parse); None when the
    store did not keep them (no row left out, or imported before schema 8)."""
    if text is None:
        return None
    return {(sheet, row): day for sheet, row, day in codec.loads(text)}


def days_left_out(text: str | None) -> set[dt.date]:
    """The days of the rows `import --skip-bad-rows` left out (`skipped_rows`): the rep
    reported them, though the rows are in no figure."""
    return {day for day in (skipped_rows(text) or {}).values() if day is not None}


def _leave_out_insane_numbers(data: FormData) -> None:
    """A number beyond what a form may hold is left out, with an error, as validation does
    now; only a store filled before salesxl checked that can hold one (9e307 twice makes
    every sum of the month infinite)."""
    form = data.form
    if form is None:
        return
    limit = Limits().max_amount
    for key, table in data.tables.items():
        fields = [f for f in form.table(key).fields if f.type in NUMERIC]
        for record in table.records if fields else ():
            for f in fields:
                value = record.get(f.key)
                if value is None or -limit <= value <= limit:
                    continue
                record[f.key] = None
                data.issues.append(
                    make_issue(
                        Code.OUT_OF_RANGE,
                        data.path,
                        *insane_number(f, value, limit),
                        sheet=table.sheet,
                        cell=f"{table.columns.get(f.key, 'A')}{record['_row']}",
                        row=record["_row"],
                        column=f.bilingual,
                        value=value,
                    )
                )


def _issues(
    conn: Connection,
    subs: Sequence[Row[Any]],
    as_of: dt.date | None,
    rejudged: frozenset[str] = frozenset(),
) -> dict[int, list[Issue]]:
    """The stored issues of these files, in the order they were found, but those of the codes
    `rejudged`; as of a day, without the `future_date` warnings whose date has come by then
    (their `future_day`: a month imported before its end holds one per later row, a million
    at 5,000 reps, nearly all of them no longer true when the month is consolidated at its
    end)."""
    found: dict[int, list[Issue]] = defaultdict(list)
    i = issues.c
    still_true = (
        [
            or_(
                i.code != Code.FUTURE_DATE.value,
                i.future_day.is_(None),  # no stored row says when: kept, as it was found
                i.future_day > as_of,
            )
        ]
        if as_of is not None
        else []
    )
    left_out = [i.code.not_in(rejudged)] if rejudged else []
    ids = [s.id for s in subs]
    # sub id -> (sheet, row) of a row the import skipped -> after which issue to say so
    skipped: dict[int, dict[tuple[str | None, int | None], int]] = defaultdict(dict)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        query = select(issues).where(i.submission_id.in_(chunk), *still_true, *left_out)
        query = query.order_by(i.id)
        for r in fetched(conn, query):
            found[r.submission_id].append(
                Issue(
                    r.file,
                    r.sheet,
                    r.cell,
                    r.row,
                    r.column,
                    Code(r.code),
                    Severity(r.severity),
                    r.message_zh,
                    r.message_en,
                    codec.loads(r.value),
                )
            )
            if r.skipped:
                skipped[r.submission_id][(r.sheet, r.row)] = len(found[r.submission_id])
    by_id = {s.id: s for s in subs}
    for sub_id, rows in skipped.items():
        sub = by_id[sub_id]
        daily = sub.form_id == FormId.DAILY_REPORT
        _say_not_imported(found[sub_id], rows, skipped_rows(sub.skipped_days) if daily else {})
    return found


def _say_not_imported(
    found: list[Issue],
    rows: dict[tuple[str | None, int | None], int],
    days: dict[tuple[str, int], dt.date | None] | None,
) -> None:
    """After the errors of each row an import skipped, a warning that the row is in no
    figure: the same errors from a folder leave the row counted, so the summary says it.
    `days`: a daily report's skipped rows and their dates (`skipped_rows`; None: not kept,
    so their days count as missing; empty: a plan, whose rows report no day)."""
    for (sheet, row), after in sorted(rows.items(), key=lambda kv: kv[1], reverse=True):
        first = next(x for x in found if x.sheet == sheet and x.row == row)
        values: dict[str, Any] = {"row": row}
        key = (sheet or "", row or 0)
        if days is not None and not days:
            variant = "plan"
        elif days is None or key not in days:
            variant = "not_counted"
        elif days[key] is None:
            variant = "undated"
        else:
            variant, values["day"] = "", days[key]
        found.insert(
            after,
            make_issue(
                Code.ROW_NOT_IMPORTED,
                first.file,
                *message(Code.ROW_NOT_IMPORTED, variant, **values),
                sheet=sheet,
                cell=first.cell,
                row=row,
            ),
        )


def current_roster(conn: Connection) -> Roster | None:
    """The roster of the current roster file in the store (None when none was imported)."""
    sub = conn.execute(
        select(submissions).where(
            submissions.c.form_id == FormId.ROSTER, submissions.c.status == "current"
        )
    ).first()
    if sub is None:
        return None
    return roster_from_form(_forms(conn, [sub], None)[0])


def _month_tiers(conn: Connection, period: Month) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for tier in (Role.STRETCH, Role.CHALLENGE):
        found = month_targets_in_force(conn, period, tier)
        if found is not None and found[0]:
            out[tier] = found[0]
    return out


def month_targets(conn: Connection, period: Month) -> dict[str, float]:
    """Rep ID -> month target: the sum of its rep-level rows (as `targets.read_month_targets`),
    from the targets version in force for that month when versions are recorded."""
    in_force = month_targets_in_force(conn, period)
    if in_force is not None:
        return in_force[0]
    t = targets.c
    totals: dict[str, float] = {}
    for unit, value in conn.execute(
        select(t.unit, t.target).where(
            t.replaced_by.is_(None), t.month == str(period), t.level == "rep"
        )
    ):
        if value is not None:
            totals[unit] = totals.get(unit, 0.0) + value
    return totals
