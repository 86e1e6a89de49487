"""Every version of a year's targets, and the one in force for a month.

`salesxl targets split` writes version 1; each `salesxl targets resplit` a new
version that keeps the months before its `--from` month and changes the rest.
Importing a targets workbook records its version; a month's targets are the
latest version whose first changed month is not after it, so consolidating
June after a re-split from July still uses the plan June was set under.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from salesxl.core.periods import Month
from salesxl.forms import Role
from salesxl.store.engine import read_transaction
from salesxl.store.migrations import open_store
from salesxl.store.schema import target_versions, targets

__all__ = [
    "TargetVersion",
    "month_targets_in_force",
    "record_target_version",
    "target_version_list",
]

Record = dict[str, Any]


@dataclass(frozen=True, slots=True)
class TargetVersion:
    year: int
    version: int
    version_date: dt.date | None
    effective_from: Month
    path: str
    imported_at: dt.datetime
    submission_id: int


def record_target_version(
    conn: Connection,
    submission_id: int,
    header: Record,
    long: Sequence[Record],
    path: str,
    now: dt.datetime,
) -> None:
    """Note the version a targets workbook carries (one without a number is the next one)."""
    months = sorted(m for r in long if isinstance(m := r.get(Role.MONTH), Month))
    if not months:
        return
    year = header.get(Role.YEAR) or months[0].year
    effective = header.get(Role.EFFECTIVE_FROM) or months[0]
    version = header.get(Role.VERSION)
    if version is None:
        latest = conn.execute(
            select(func.max(target_versions.c.version)).where(target_versions.c.year == year)
        ).scalar()
        version = (latest or 0) + 1
    conn.execute(
        target_versions.insert().values(
            year=year,
            version=version,
            version_date=header.get(Role.VERSION_DATE),
            effective_from=str(effective),
            submission_id=submission_id,
            path=path,
            imported_at=now,
        )
    )


def _rows(conn: Connection, year: int | None = None) -> list[TargetVersion]:
    query = select(target_versions).order_by(
        target_versions.c.year, target_versions.c.version, target_versions.c.id
    )
    if year is not None:
        query = query.where(target_versions.c.year == year)
    return [
        TargetVersion(
            r.year,
            r.version,
            r.version_date,
            Month.parse(r.effective_from),
            r.path,
            r.imported_at,
            r.submission_id,
        )
        for r in conn.execute(query)
    ]


def target_version_list(
    db: str | Engine | None = None, year: int | None = None
) -> list[TargetVersion]:
    """The targets versions in the store, oldest first (raises StoreError without a store)."""
    with open_store(db, create=False) as engine, read_transaction(engine) as conn:
        return _rows(conn, year)


def version_in_force(conn: Connection, period: Month) -> TargetVersion | None:
    """The latest version covering `period` whose first changed month is not after it."""
    best = None
    for v in _rows(conn):
        if v.effective_from <= period and _covers(conn, v.submission_id, period):
            best = v
    return best


def _covers(conn: Connection, submission_id: int, period: Month) -> bool:
    t = targets.c
    return (
        conn.execute(
            select(t.id).where(t.submission_id == submission_id, t.month == str(period)).limit(1)
        ).first()
        is not None
    )


def month_targets_in_force(
    conn: Connection, period: Month, tier: str = Role.TARGET
) -> tuple[dict[str, float], TargetVersion | None] | None:
    """Rep ID -> `tier` (target, stretch or challenge) for `period` from the version in
    force; None when no version of that month was recorded."""
    version = version_in_force(conn, period)
    if version is None:
        return None
    t = targets.c
    totals: dict[str, float] = {}
    for unit, value in conn.execute(
        select(t.unit, t[tier]).where(
            t.submission_id == version.submission_id, t.month == str(period), t.level == "rep"
        )
    ):
        if value is not None:
            totals[unit] = totals.get(unit, 0.0) + value
    return totals, version
