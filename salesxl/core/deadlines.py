"""When each report is due (the reps' paperwork rules, README.md "For reps").

- a day's daily record 日报: 09:00 on the next workday;
- the weekly plan 周计划: the end of the week's Monday;
- the monthly plan 月计划: the end of the month before (it is handed in
  during that month's last week).
"""

from __future__ import annotations

import datetime as dt

from salesxl.core.calendar import Workdays
from salesxl.core.periods import Month, Week

__all__ = ["DAILY_DUE", "END_OF_DAY", "daily_deadline", "monthly_deadline", "weekly_deadline"]

DAILY_DUE = dt.time(9, 0)
END_OF_DAY = dt.time(23, 59, 59)


def daily_deadline(day: dt.date, workdays: Workdays) -> dt.datetime:
    """09:00 on the next workday after `day`."""
    return dt.datetime.combine(workdays.next_workday(day), DAILY_DUE)


def weekly_deadline(week: Week) -> dt.datetime:
    """The end of the week's Monday."""
    return dt.datetime.combine(week.monday, END_OF_DAY)


def monthly_deadline(month: Month) -> dt.datetime:
    """The end of the last day of the month before."""
    return dt.datetime.combine(month.first_day - dt.timedelta(days=1), END_OF_DAY)
