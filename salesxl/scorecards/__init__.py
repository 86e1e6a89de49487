"""个人战报 Personal scorecards: each rep's month on one page, from the consolidation.

`scorecards_inbox` and `scorecards_store` consolidate the month (a folder, or
the store with the months of warnings in a row) and build one `Scorecard` per
rep from the consolidation's results (salesxl.scorecards.model);
`write_scorecards` writes them (salesxl.scorecards.workbook).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from salesxl.consolidate import Summary, Thresholds, consolidate_inbox
from salesxl.consolidate.from_store import consolidate_store
from salesxl.core.calendar import Workdays
from salesxl.core.periods import Month
from salesxl.intake.inbox import ProgressFactory
from salesxl.scorecards.history import HISTORY_MONTHS, warning_history
from salesxl.scorecards.model import WARNED, Scorecard, build_scorecards
from salesxl.scorecards.workbook import card_path, write_scorecards

__all__ = [
    "HISTORY_MONTHS",
    "WARNED",
    "Scorecard",
    "build_scorecards",
    "card_path",
    "scorecards_inbox",
    "scorecards_store",
    "warning_history",
    "write_scorecards",
]


def scorecards_inbox(
    paths: Sequence[Path],
    *,
    period: Month,
    roster: Path | None = None,
    targets: Path | None = None,
    as_of: dt.date | None = None,
    thresholds: Thresholds = Thresholds(),  # noqa: B008 - frozen value object
    workdays: Path | Workdays | None = None,
    workers: int | None = None,
    progress: ProgressFactory | None = None,
) -> tuple[Summary, list[Scorecard]]:
    """Consolidate the forms under `paths` and make every rep's scorecard (this month's
    warning only: earlier months need the store)."""
    summary = consolidate_inbox(
        list(paths),
        period=period,
        roster=roster,
        targets=targets,
        as_of=as_of,
        thresholds=thresholds,
        workdays=workdays,
        workers=workers,
        progress=progress,
        coming_due=True,
    )
    return summary, build_scorecards(summary)


def scorecards_store(
    db: str | None,
    *,
    period: Month,
    roster: Path | None = None,
    targets: Path | None = None,
    as_of: dt.date | None = None,
    thresholds: Thresholds = Thresholds(),  # noqa: B008 - frozen value object
    workdays: Path | Workdays | None = None,
    months: int = HISTORY_MONTHS,
) -> tuple[Summary, list[Scorecard]]:
    """Consolidate the month from the store and make every rep's scorecard, with the months
    of warnings in a row looked up as far as `months` back."""
    summary = consolidate_store(
        db,
        period=period,
        roster=roster,
        targets=targets,
        as_of=as_of,
        thresholds=thresholds,
        workdays=workdays,
        coming_due=True,
    )
    results = summary.results
    assert results is not None  # consolidate always attaches them
    warned = [r for r, t in results.reps.items() if t.warning in WARNED]
    history = warning_history(
        db,
        period,
        warned,
        months=months,
        roster=roster,
        targets=targets,
        thresholds=thresholds,
        workdays=workdays,
    )
    return summary, build_scorecards(summary, history=history)
