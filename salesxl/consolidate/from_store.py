"""Consolidation from the store: the month as `salesxl import` kept it.

A module of its own so that consolidating a folder never loads the store
(SQLAlchemy costs a noticeable part of a short run's start-up).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from salesxl.consolidate import (
    Summary,
    Thresholds,
    check_as_of,
    consolidate,
    read_targets,
    workday_calendar,
)
from salesxl.consolidate.digest import digest_from_figures
from salesxl.core.calendar import Workdays
from salesxl.core.issues import Issue
from salesxl.core.periods import Month
from salesxl.intake.roster import read_roster
from salesxl.store import load_period
from salesxl.store.figures import ReportFigures
from salesxl.validate import FormData

__all__ = ["consolidate_store"]


def consolidate_store(
    db: str | None,
    *,
    period: Month,
    roster: Path | None = None,
    targets: Path | None = None,
    as_of: dt.date | None = None,
    thresholds: Thresholds = Thresholds(),  # noqa: B008 - frozen value object
    details: bool = False,
    workdays: Path | Workdays | None = None,
) -> Summary:
    """`consolidate` the month as stored in the database `db` (`salesxl import`).

    The store gives the forms, the roster, the month's targets, when each
    report first arrived and the months before (README.md "The store"), and the rep forms
    the import refused, with their errors (so a month missing from the store
    says why, and shows the refused report's figures as provisional);
    a `roster` or `targets` file given here is used instead of the stored one.  Raises
    `salesxl.store.StoreError` when there is no usable store at `db`.
    """
    as_of = as_of or dt.date.today()
    check_as_of(period, as_of)
    calendar = workday_calendar(workdays, as_of)
    month_targets, tiers = read_targets(targets, period) if targets is not None else (None, None)
    # The rows stay in the database unless the Details sheet lists them: the per-rep
    # figures come from SQL (salesxl.store.figures).
    stored = load_period(db, period, as_of=as_of, rows=details)
    _digest(stored.forms, as_of, current=True)
    _digest(stored.history, as_of, current=False)
    extra: list[Issue] = list(stored.refused)
    chosen = stored.roster
    if roster is not None:
        chosen = read_roster(roster)
        extra += [i for i in chosen.issues if i.is_error]
    source = "file"
    if month_targets is None and stored.targets:  # the version in force for the month
        month_targets, tiers, source = stored.targets, stored.tiers, "store"
    return consolidate(
        stored.forms,
        period=period,
        roster=chosen,
        targets=month_targets,
        as_of=as_of,
        thresholds=thresholds,
        workdays=calendar,
        first_seen=stored.first_seen,
        day_first_seen=stored.day_first_seen,
        history=stored.history,
        extra_issues=extra,
        details=details,
        targets_from=source,
        refused=[(r.data, r.errors, r.at) for r in stored.refused_files],
        tiers=tiers,
    )


def _digest(forms: list[FormData], as_of: dt.date, *, current: bool) -> None:
    """Each daily report's figures from the store made into the digest consolidation reads."""
    for data in forms:
        figures, month = data.digest, data.period
        if isinstance(figures, ReportFigures) and isinstance(month, Month):
            data.digest = digest_from_figures(figures, month, as_of, current=current)
