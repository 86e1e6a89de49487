"""What consolidation computed, before it became the summary's tables.

The summary workbook shows tables (`SheetData`).  Reports built on the same
month need the figures themselves: a rep's scorecard, day by day; a leader's
pack, the tables for some of the reps; the months after, this month's
figures for their trends.  `Results` holds the very objects the tables were
made from (each rep's `Totals`, their days, plans, 日清 rows, customers,
submissions, issues), so nothing built on it counts anything a second way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from salesxl.consolidate.customers import Conflict, Lapse
from salesxl.consolidate.details import DetailsSpool
from salesxl.consolidate.digest import DayActivity
from salesxl.consolidate.kpis import Totals
from salesxl.consolidate.model import Thresholds
from salesxl.consolidate.plans import DayCloseRow, PlanRow
from salesxl.consolidate.submissions import SubmissionRow
from salesxl.core.calendar import Workdays
from salesxl.core.issues import Issue
from salesxl.core.people import Rep
from salesxl.core.periods import Month
from salesxl.validate import TableData

__all__ = ["Results"]


@dataclass(slots=True, kw_only=True)
class Results:
    period: Month
    as_of: dt.date
    thresholds: Thresholds
    workdays: Workdays
    reps: dict[str, Totals]  # the By rep sheet's rows, as computed (ranks company-wide)
    teams: list[Totals]  # every team, ranked among all teams
    regions: list[Totals]
    company: Totals
    people: dict[str, Rep]  # the roster's reps (or those of the forms' header blocks)
    days: dict[str, dict[dt.date, DayActivity]]  # rep -> day -> contacts and closed amount
    plans: list[PlanRow]  # the Plan vs actual sheet's rows
    closes: list[DayCloseRow]  # the Day close sheet's rows
    # the Customers sheet's 7-day rows: windows that ran out (`customers.Lapses`)
    lapses: Sequence[Lapse]
    # windows still open that run out within the next 7 days; None: not worked out (only the
    # scorecards show them: consolidate(..., coming_due=True))
    coming_due: list[Lapse] | None
    conflicts: list[Conflict]  # the Customers sheet's attribution conflicts
    submitted: list[SubmissionRow]  # per rep and day, week and month
    issues: list[Issue]
    files: dict[str, str]  # a rep file's path -> the rep (whose pack shows its issues)
    tables: list[tuple[str, TableData, str]] = field(default_factory=list)  # Details rows
    details: bool = False
    details_spool: DetailsSpool | None = None  # where the tables' rows wait, if on disk
    targets_from: str | None = None  # a key of TARGET_SOURCES; None: no targets
    roster: bool = True  # reps came from a roster (else from the forms' header blocks)
    # Each rep's pace line: the share of the month target due by each day of the month at
    # workday pace, counting the workdays the rep was employed (standing.pace_shares).
    pace_lines: dict[str, dict[dt.date, float]] = field(default_factory=dict)
    # stretch / challenge -> rep ID -> that tier's month target (the 档位 Tiers sheet)
    tiers: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
