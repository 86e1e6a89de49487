"""Days and workdays per month, as the profiles need them.

The plan year's workdays must come from a real calendar (the built-in China
holidays or a 工作日 Workdays sheet): a plan spread by a guessed calendar
would be wrong where it matters.  History months only normalise past sales,
so a year the calendar does not cover counts Monday to Friday there.
"""

from __future__ import annotations

import calendar as _calendar

from salesxl.core.calendar import CalendarNotCoveredError, Workdays
from salesxl.core.periods import Month

__all__ = ["Calendar"]


class Calendar:
    """Month sizes by calendar days or workdays, remembered per month."""

    def __init__(self, workdays: Workdays, strict_from: Month | None = None) -> None:
        self.workdays = workdays
        self.strict_from = strict_from  # months from here on need the real calendar
        self._sizes: dict[int, float] = {}  # 2 × month ordinal (+1 for workdays) -> size
        self.guessed: set[int] = set()  # history years counted Monday to Friday
        self.memo: dict[object, object] = {}  # figures derived from the calendar, per year

    def covers(self, year: int) -> bool:
        return self.workdays.covers(year)

    def size(self, month: Month, by: str) -> float:
        return self.size_at(month.year * 12 + month.month - 1, by)

    def size_at(self, ordinal: int, by: str) -> float:
        """`size` of the month with this ordinal (year × 12 + month − 1)."""
        key = 2 * ordinal + (by != "days")
        size = self._sizes.get(key)
        if size is None:
            size = self._sizes[key] = self._size(Month(ordinal // 12, ordinal % 12 + 1), by)
        return size

    def _size(self, month: Month, by: str) -> float:
        if by == "days":
            return float(_calendar.monthrange(month.year, month.month)[1])
        try:
            return float(len(self.workdays.workdays_in(month)))
        except CalendarNotCoveredError:
            if self.strict_from is not None and month >= self.strict_from:
                raise
            self.guessed.add(month.year)
            return float(sum(1 for d in month.days() if d.weekday() < 5))
