"""What each kind of import stores, and what a newer file replaces (SPEC §7).

- `reports`: 日报, 周计划 and 月计划 files; one file is one rep-period, and a
  resubmitted file replaces the rows of that rep, form and period.
- `roster`: the roster is one whole: a new roster file replaces the previous one.
- `sales`: an ERP export spans many reps and months; it replaces, rep by rep
  and month by month, the sales rows an earlier export gave for the same rep
  and month (a regional export leaves other regions alone).
- `targets`: the 明细 Long sheet of targets.xlsx; it replaces every target of
  the months it covers (a re-split is the whole organisation's new plan).
Replaced rows stay, marked by the submission that replaced them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Row, Table, and_, exists, func, select, tuple_, update

from salesxl.periods import Month, Week
from salesxl.store import codec
from salesxl.store.bulk import insert_rows
from salesxl.store.customers import customer_key, refresh_customers
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

__all__ = ["KINDS", "Kind", "Previous", "insert_form_rows", "previous_versions", "record_days",
           "refresh_customers_of", "supersede"]

Record = dict[str, Any]
_CHUNK = 400


@dataclass(frozen=True, slots=True)
class Kind:
    name: str
    forms: tuple[str, ...]
    zh: str
    en: str
    per_file: bool  # one file is one slice (a rep-period, or the roster)


KINDS: dict[str, Kind] = {
    "roster": Kind("roster", ("roster",), "花名册", "a roster", per_file=True),
    "sales": Kind("sales", ("sales_records",), "销售记录", "sales records", per_file=False),
    "reports": Kind("reports", ("daily_report", "weekly_plan", "monthly_plan"),
                    "日报、周计划或月计划", "a daily report, weekly plan or monthly plan",
                    per_file=True),
    "targets": Kind("targets", ("targets",), "目标（targets.xlsx 的明细表）",
                    "targets (the Long sheet of targets.xlsx)", per_file=False),
}


@dataclass(slots=True)
class Previous:
    """What an import supersedes: earlier versions of its slice, and how many rows of each."""

    rows: list[Row[Any]]  # submissions rows
    replaced_rows: dict[int, int]  # submission id -> rows now replaced (sales, targets)
    slice_versions: list[Row[Any]]  # every version of a per-file slice, replaced ones too


def _slice_filter(data: FormData) -> Any:
    rep, period = data.rep_id, data.period
    return and_(submissions.c.form_id == data.form_id,
                submissions.c.rep_id.is_(None) if rep is None else submissions.c.rep_id == rep,
                submissions.c.period.is_(None) if period is None
                else submissions.c.period == str(period))


def _sales_slices(good: dict[str, list[Record]]) -> list[tuple[str, str]]:
    return sorted({(r["rep_id"], _month_text(r["date"])) for r in good.get("sales", [])})


def _target_months(good: dict[str, list[Record]]) -> list[str]:
    return sorted({str(r["month"]) for r in good.get("long", [])})


def _chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start:start + _CHUNK]


def _current_rows_where(kind: Kind, good: dict[str, list[Record]]
                        ) -> tuple[Table, list[Any]]:
    """The row table and the conditions selecting the current rows this file supersedes."""
    if kind.name == "sales":
        pairs = _sales_slices(good)
        return sales_records, [tuple_(sales_records.c.rep_id, sales_records.c.month).in_(chunk)
                               for chunk in _chunks(pairs)]
    months = _target_months(good)
    return targets, [targets.c.month.in_(chunk) for chunk in _chunks(months)]


def previous_versions(conn: Connection, kind: Kind, data: FormData,
                      good: dict[str, list[Record]]) -> Previous:
    if kind.per_file:
        versions = list(conn.execute(select(submissions).where(_slice_filter(data))
                                     .order_by(submissions.c.version)))
        current = [s for s in versions if s.status == "current"]
        return Previous(current, {}, versions)
    table, conditions = _current_rows_where(kind, good)
    counts: dict[int, int] = {}
    for condition in conditions:
        for sub_id, n in conn.execute(
                select(table.c.submission_id, func.count())
                .where(table.c.replaced_by.is_(None), condition)
                .group_by(table.c.submission_id)):
            counts[sub_id] = counts.get(sub_id, 0) + n
    rows = list(conn.execute(select(submissions).where(submissions.c.id.in_(sorted(counts)))
                             .order_by(submissions.c.id))) if counts else []
    return Previous(rows, counts, [])


def supersede(conn: Connection, kind: Kind, new_id: int, previous: Previous,
              good: dict[str, list[Record]]) -> None:
    """Mark what the new submission replaces (before its own rows are written)."""
    if kind.per_file:
        old = [s.id for s in previous.rows]
    else:
        table, conditions = _current_rows_where(kind, good)
        for condition in conditions:
            conn.execute(update(table).where(table.c.replaced_by.is_(None), condition)
                         .values(replaced_by=new_id))
        # A file none of whose rows are current any more is replaced as a whole.
        old = [s.id for s in previous.rows if not conn.execute(select(exists().where(
            table.c.submission_id == s.id, table.c.replaced_by.is_(None)))).scalar()]
    if old:
        conn.execute(update(submissions).where(submissions.c.id.in_(old))
                     .values(status="replaced", replaced_by=new_id))


def _month_text(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _period_text(value: Any) -> Any:
    return str(value) if isinstance(value, (Month, Week)) else value


def _row_builder(table: Table, records: list[Record], fixed: tuple[Any, ...]
                 ) -> tuple[list[str], Callable[[Record], tuple[Any, ...]]]:
    """Insert columns, and a function from a record to its row tuple."""
    fields = data_columns(table)
    unknown = set(records[0]) - set(fields) - {"_row", "_extra"} if records else set()
    if unknown:
        raise RuntimeError(f"the store's table {table.name} has no column for "
                           f"{', '.join(sorted(unknown))}; the form gained a field: add it to "
                           "salesxl/store/schema.py with a migration")
    present = set(records[0]) if records else set(fields)
    get: Callable[[Record], Any] = itemgetter(*fields) if present >= set(fields) else (
        lambda r: tuple(r.get(f) for f in fields))  # a file read by an older form description
    periods = [i for i, f in enumerate(fields) if f in ("month", "week")]
    derived: list[tuple[str, Callable[[Record], Any]]] = []
    if table is activities:
        derived.append(("customer_key", lambda r: customer_key(r["customer"], r["phone"])))
    if table is sales_records:
        derived.append(("month", lambda r: _month_text(r["date"])))
    columns = ["submission_id", "sheet_row"]
    if "rep_id" in table.c and table.c.rep_id.info:
        columns += ["rep_id", "period"]
    columns += [*fields, "extra", *(name for name, _ in derived)]

    def build(r: Record) -> tuple[Any, ...]:
        values = get(r)
        if len(fields) == 1 and present >= set(fields):
            values = (values,)
        if periods:
            values = tuple(_period_text(v) if i in periods else v for i, v in enumerate(values))
        extra = r.get("_extra")
        return (*fixed[:1], r["_row"], *fixed[1:], *values, codec.dumps(extra) if extra else None,
                *(fn(r) for _, fn in derived))

    return columns, build


def insert_form_rows(conn: Connection, new_id: int, data: FormData,
                     good: dict[str, list[Record]], *, step: Callable[[int], None] | None = None
                     ) -> int:
    """Write every table's good records; returns the number of rows."""
    total = 0
    for key, records in good.items():
        if not records:
            continue
        table = ROW_TABLES[(data.form_id or "", key)]
        fixed: tuple[Any, ...] = (new_id,)
        if "rep_id" in table.c and table.c.rep_id.info:
            fixed = (new_id, data.rep_id, str(data.period))
        columns, build = _row_builder(table, records, fixed)
        total += insert_rows(conn, table, columns, map(build, records), step=step)
    return total


def record_days(conn: Connection, new_id: int, data: FormData, good: dict[str, list[Record]],
                now: dt.datetime) -> None:
    """Days of a daily report first seen now: a contact row or a 日清 row (SPEC §2.1)."""
    days = {r["date"] for key in ("daily", "day_close") for r in good.get(key, [])
            if isinstance(r.get("date"), dt.date)}
    if not days:
        return
    rep = data.rep_id
    known = set(conn.execute(select(report_days.c.day).where(
        report_days.c.rep_id == rep, report_days.c.day.in_(sorted(days)))).scalars())
    new = sorted(days - known)
    if new:
        conn.execute(report_days.insert(), [
            {"rep_id": rep, "day": day, "first_seen": now, "submission_id": new_id} for day in new])


def refresh_customers_of(conn: Connection, data: FormData, good: dict[str, list[Record]],
                         replaced: Sequence[int], now: dt.datetime) -> None:
    """Customers mentioned by this report or by the versions it replaced."""
    if data.form_id != "daily_report":
        return
    keys = {customer_key(r["customer"], r["phone"]) for r in good.get("daily", [])}
    if replaced:
        keys |= set(conn.execute(select(activities.c.customer_key).distinct().where(
            activities.c.submission_id.in_(list(replaced)))).scalars())
    keys.discard(None)
    refresh_customers(conn, keys, now)  # type: ignore[arg-type]
