"""What consolidation computed, beyond the summary's tables, for reports built on it.

The summary workbook shows tables (`SheetData`).  A rep's scorecard needs the
same figures for one rep, day by day: `Results` holds the very objects the
tables were made from (each rep's `Totals`, their days, plans, 日清 rows,
customers due), so a report built on it never counts anything a second way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from salesxl.consolidate.customers import Conflict, Lapse
from salesxl.consolidate.digest import DayActivity
from salesxl.consolidate.kpis import Totals
from salesxl.consolidate.plans import DayCloseRow, PlanRow
from salesxl.core.people import Rep

__all__ = ["Results"]


@dataclass(slots=True)
class Results:
    reps: dict[str, Totals]  # the By rep sheet's rows, as computed
    company: Totals
    people: dict[str, Rep]  # the roster's reps (or those of the forms' header blocks)
    days: dict[str, dict[dt.date, DayActivity]]  # rep -> day -> contacts and closed amount
    plans: list[PlanRow]  # the Plan vs actual sheet's rows
    closes: list[DayCloseRow]  # the Day close sheet's rows
    lapses: list[Lapse]  # the Customers sheet's 7-day rows: windows that ran out
    coming_due: list[Lapse]  # windows still open that run out within the next 7 days
    conflicts: list[Conflict]  # the Customers sheet's attribution conflicts
    # Each rep's pace line: the share of the month target due by each day of the month at
    # workday pace, counting the workdays the rep was employed (standing.pace_shares).
    pace_lines: dict[str, dict[dt.date, float]] = field(default_factory=dict)
