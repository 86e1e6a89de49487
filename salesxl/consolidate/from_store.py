"""Consolidation from the store: the month as `salesxl import` kept it.

A module of its own so that consolidating a folder never loads the store
(SQLAlchemy costs a noticeable part of a short run's start-up).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from salesxl.consolidate import (
    Summary,
    Thresholds,
    check_as_of,
    consolidate_results,
    read_targets,
    workday_calendar,
)
from salesxl.consolidate.assemble import summarise
from salesxl.consolidate.chase import DEFAULT_ESCALATE, ChaseList, chase_window
from salesxl.consolidate.chase_sources import chase_forms
from salesxl.consolidate.digest import StringPool, digest_from_figures
from salesxl.consolidate.history import (
    TREND_MONTHS,
    EarlierMonths,
    earlier_months,
    month_trends,
    stored_forms,
)
from salesxl.core.calendar import Workdays
from salesxl.core.issues import Code, Issue, make_issue, message
from salesxl.core.perf import paused_gc
from salesxl.core.periods import Month
from salesxl.forms import REP_FORM_IDS
from salesxl.intake.roster import read_roster
from salesxl.store import HISTORY_MONTHS, load_history, load_period, stored_roster
from salesxl.store.arrivals import load_arrivals
from salesxl.store.figures import ReportFigures
from salesxl.validate import FormData

__all__ = ["chase_store", "consolidate_store"]


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
    trend_months: int = TREND_MONTHS,
    coming_due: bool = False,
) -> Summary:
    """`consolidate` the month as stored in the database `db` (`salesxl import`).

    The store gives the forms, the roster, the month's targets, when each
    report first arrived and the months before (README.md "The store"), and the rep forms
    the import refused, with their errors (so a month missing from the store
    says why, and shows the refused report's figures as provisional);
    a `roster` or `targets` file given here is used instead of the stored one.  With
    `trend_months` above 1, the 趋势 Trend sheet shows that many months (this one
    included) and By rep compares with last month (history.earlier_months).
    `coming_due`: as `consolidate`'s.  Raises
    `salesxl.store.StoreError` when there is no usable store at `db`.
    """
    as_of = as_of or dt.date.today()
    check_as_of(period, as_of)
    calendar = workday_calendar(workdays, as_of)
    month_targets, tiers = read_targets(targets, period) if targets is not None else (None, None)
    # The months of the Trend sheet are worked out meanwhile (in a process of their own where
    # one can be forked), and the customer trails of the months before are read on a thread:
    # each on a connection of its own, the database and the other core work on them while
    # Python works on this month.
    # Neither the month's load nor the months before make reference cycles worth collecting:
    # without the collector rescanning a million trails again and again, a month of 5,000
    # reps takes about a sixth less time (salesxl.core.perf).
    with (
        paused_gc(),
        _earlier_months_meanwhile(
            _EarlierJob(db, period, as_of, roster, thresholds, calendar, trend_months)
        ) as earlier,
        ThreadPoolExecutor(max_workers=1) as pool,
    ):
        # The rows stay in the database unless the Details sheet lists them: the per-rep
        # figures come from SQL (salesxl.store.figures).
        before = None if details else pool.submit(_history, db, period, as_of)
        given = read_roster(roster) if roster is not None else None
        # the rows dated outside a rep's employment are judged by the roster in use
        stored = load_period(
            db,
            period,
            as_of=as_of,
            rows=details,
            history_months=HISTORY_MONTHS if details else 0,
            roster=given,
        )
        _digest(stored.forms, as_of, current=True)
        if before is not None:
            stored.history = before.result()
        extra: list[Issue] = list(stored.refused)
        chosen = stored.roster
        if given is not None:
            extra += [i for i in given.issues if i.is_error]
        # an empty month is said, not a quiet "0 reps" (refused files say why themselves)
        empty = _no_rep_forms(stored.forms, len(stored.refused), [period])
        if empty is not None:
            extra.append(empty)
        source = "file"
        if month_targets is None and stored.targets:  # the version in force for the month
            month_targets, tiers, source = stored.targets, stored.tiers, "store"
        results = consolidate_results(
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
            coming_due=coming_due,
        )
        trends = None
        if earlier is not None:
            trends = month_trends(results, earlier(), trend_months)
        return summarise(results, trends=trends)


@dataclass(frozen=True, slots=True)
class _EarlierJob:
    """What the Trend sheet's months before are worked out from (it crosses to a process)."""

    db: str | None
    period: Month
    as_of: dt.date
    roster: Path | None  # the roster file given; None: the store's (as `load_period` reads it)
    thresholds: Thresholds
    workdays: Workdays
    span: int


def _earlier_of_store(job: _EarlierJob) -> EarlierMonths:
    """`earlier_months` with the roster the month itself is judged by."""
    return earlier_months(
        job.db,
        job.period,
        job.as_of,
        roster=read_roster(job.roster) if job.roster is not None else stored_roster(job.db),
        thresholds=job.thresholds,
        workdays=job.workdays,
        span=job.span,
    )


@contextlib.contextmanager
def _earlier_months_meanwhile(job: _EarlierJob) -> Iterator[Callable[[], EarlierMonths] | None]:
    """The Trend sheet's months before this one, started now; yields what waits for them.

    At 5,000 reps each earlier month is a consolidation of its own (seconds each): on
    Linux a forked process works them out on the other core, and sends back only their
    figures.  Elsewhere (Excel's Python on Windows or a Mac, where forking is unsafe or
    impossible) a thread, as the database does most of the loading.  A process that ends
    or fails is not trusted: the months are then worked out here, where an error is raised
    as itself.
    """
    if job.span <= 1:
        yield None
        return
    if sys.platform != "linux":
        with ThreadPoolExecutor(max_workers=1) as pool:
            yield pool.submit(_earlier_of_store, job).result
        return
    with ProcessPoolExecutor(
        max_workers=1, mp_context=multiprocessing.get_context("fork"), initializer=_yield_to_month
    ) as pool:
        future = pool.submit(_earlier_of_store, job)
        # its figures sent, the process ends at once (with the memory it held), not when
        # this month is written
        future.add_done_callback(lambda _: pool.shutdown(wait=False))

        def result() -> EarlierMonths:
            try:
                return future.result()
            except Exception:  # its process died, or failed: again here, to say why
                return _earlier_of_store(job)

        yield result


def _yield_to_month() -> None:
    """The Trend months are wanted only once this month is consolidated: the month itself,
    and the database reading it, go first when both cores are busy."""
    with contextlib.suppress(OSError):
        os.nice(5)


def chase_store(
    db: str | None,
    *,
    as_of: dt.date,
    period: Month | None = None,
    roster: Path | None = None,
    workdays: Path | Workdays | None = None,
    escalate_after: int = DEFAULT_ESCALATE,
) -> ChaseList:
    """Who owes which reports, judged by when each first reached the store (`chase_window`).

    Reads what arrived without the rows (`salesxl.store.arrivals`): a thousand
    reps take a fraction of a second.  Nothing before the store's first report is owed
    (`chase.FirstData`).  When the store holds no rep report of the window's months (nor
    a refused one) the list's `empty` says so (a `no_forms` warning): without a roster
    nobody would be known to owe anything.  Raises `salesxl.store.StoreError` when there is
    no usable store at `db`.
    """
    window = chase_window(as_of, period)
    calendar = workday_calendar(workdays, as_of)
    with paused_gc():  # every report day of the window's months, and no reference cycles
        stored = load_arrivals(db, window.months)
        chosen = read_roster(roster) if roster is not None else stored.roster
        chase = chase_forms(
            stored_forms(stored, as_of),
            as_of=as_of,
            window=window,
            roster=chosen,
            workdays=calendar,
            escalate_after=escalate_after,
            first_seen=stored.first_seen,
            day_first_seen=stored.day_first_seen,
            refused=[(r.data, r.errors, r.at) for r in stored.refused_files],
            source="store",
            earlier=stored.first_day,
        )
    chase.empty = _no_rep_forms(stored.forms, len(stored.refused_files), window.months)
    return chase


def _no_rep_forms(forms: list[FormData], refused: int, months: Sequence[Month]) -> Issue | None:
    """A `no_forms` warning when the store holds no rep form of `months` and refused none."""
    if refused or any(form.form_id in REP_FORM_IDS for form in forms):
        return None
    period = ", ".join(map(str, months))
    return make_issue(
        Code.NO_FORMS, "数据库 store", *message(Code.NO_FORMS, "store", period=period)
    )


def _history(db: str | None, period: Month, as_of: dt.date) -> list[FormData]:
    """The daily reports of the months before, digested for their customer trails."""
    history = load_history(db, period, as_of=as_of)
    _digest(history, as_of, current=False)
    return history


def _digest(forms: list[FormData], as_of: dt.date, *, current: bool) -> None:
    """Each daily report's figures from the store made into the digest consolidation reads
    (one copy of each customer's name and phone for them all: `StringPool`)."""
    pool = StringPool()
    for data in forms:
        figures, month = data.digest, data.period
        if isinstance(figures, ReportFigures) and isinstance(month, Month):
            data.digest = digest_from_figures(figures, month, as_of, current=current, pool=pool)
