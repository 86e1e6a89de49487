"""Months of warnings in a row: each earlier month consolidated from the store, as it was.

A rep's 考核预警 warning of an earlier month is what that month's
consolidation says at its last day (the By rep sheet's warning); a month
the rep handed in no daily report for breaks the run.  At most six months
back, and no further than the reps still on a run.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from salesxl.consolidate import Thresholds
from salesxl.consolidate.from_store import consolidate_store
from salesxl.core.calendar import Workdays
from salesxl.core.periods import Month
from salesxl.scorecards.model import WARNED

__all__ = ["HISTORY_MONTHS", "warning_history"]

HISTORY_MONTHS = 6


def warning_history(
    db: str | None,
    period: Month,
    reps: Iterable[str],
    *,
    months: int = HISTORY_MONTHS,
    roster: Path | None = None,
    targets: Path | None = None,
    thresholds: Thresholds = Thresholds(),  # noqa: B008 - frozen value object
    workdays: Path | Workdays | None = None,
) -> dict[str, list[str | None]]:
    """Rep -> warning levels of the months before `period`, the latest first, as far back as
    the rep's run of warnings goes (at most `months`)."""
    out: dict[str, list[str | None]] = {rep: [] for rep in reps}
    running = set(out)
    for back in range(1, months + 1):
        if not running:
            break
        month = period.shift(-back)
        summary = consolidate_store(
            db,
            period=month,
            roster=roster,
            targets=targets,
            as_of=month.last_day,
            thresholds=thresholds,
            workdays=workdays,
            trend_months=1,  # this month only: its own trends are not needed here
        )
        results = summary.results
        assert results is not None  # consolidate always attaches them
        for rep in sorted(running):
            totals = results.reps.get(rep)
            level = totals.warning if totals is not None and totals.has_report else None
            out[rep].append(level)
            if level not in WARNED:
                running.discard(rep)
    return out
