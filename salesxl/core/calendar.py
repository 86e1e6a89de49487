"""China's working-day calendar: statutory holidays and make-up workdays (调休).

Built on chinese-calendar, which covers the years the State Council has
announced; a user override (the `工作日 Workdays` sheet of the targets input,
or any date -> workday/holiday mapping) wins over it and is required for
years it does not cover.  Pacing month-to-date targets, the 09:00-next-
workday deadline and the `workdays` target split all ask this one calendar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from functools import lru_cache

import chinese_calendar

from salesxl.core.errors import SalesxlError
from salesxl.core.periods import Month

__all__ = ["CalendarNotCoveredError", "Workdays"]


class CalendarNotCoveredError(SalesxlError, ValueError):
    """A year the built-in calendar does not know and the override does not cover."""

    def __init__(self, message_zh: str, message_en: str) -> None:
        super().__init__(
            message_zh,
            message_en,
            hint_zh="请在「工作日 Workdays」表（日期 Date | 类型 Type：工作日 Workday / "
            "休息日 Holiday）中列出该年的节假日和调休工作日",
            hint_en="list that year's holidays and make-up workdays in a 工作日 Workdays sheet "
            "(日期 Date | 类型 Type: 工作日 Workday / 休息日 Holiday)",
            setting="workdays",
        )


@lru_cache(maxsize=1)
def _covered_years() -> frozenset[int]:
    years = set()
    for year in range(1990, 2100):
        try:
            chinese_calendar.is_workday(dt.date(year, 6, 1))
        except NotImplementedError:
            continue
        years.add(year)
    return frozenset(years)


class Workdays:
    """Is a day a workday?  Override first, then chinese-calendar.

    `override` maps dates to True (workday, e.g. a make-up Saturday) or
    False (holiday).  Years in `override_years` are taken entirely from the
    override plus the weekend rule, so a year the library does not cover
    works once its holidays are listed.
    """

    def __init__(self, override: Mapping[dt.date, bool] | None = None) -> None:
        self.override: dict[dt.date, bool] = dict(override or {})
        self.override_years = frozenset(day.year for day in self.override)
        self._known: dict[dt.date, bool] = {}  # chinese-calendar is slow per call: remember

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[dt.date, str]]) -> Workdays:
        """From (date, type) rows where type is `workday` or `holiday` (the Workdays sheet)."""
        return cls({day: kind == "workday" for day, kind in rows})

    def covers(self, year: int) -> bool:
        return year in _covered_years() or year in self.override_years

    def is_workday(self, day: dt.date) -> bool:
        known = self._known.get(day)
        if known is None:
            known = self._known[day] = self._is_workday(day)
        return known

    def _is_workday(self, day: dt.date) -> bool:
        if day in self.override:
            return self.override[day]
        if day.year in self.override_years and day.year not in _covered_years():
            return day.weekday() < 5
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:
            raise CalendarNotCoveredError(
                f"内置的中国节假日日历不包含 {day.year} 年",
                f"the built-in China holiday calendar does not cover {day.year}",
            ) from None

    def workdays_in(self, month: Month) -> list[dt.date]:
        return [day for day in month.days() if self.is_workday(day)]

    def count_between(self, first: dt.date, last: dt.date) -> int:
        """Workdays from `first` to `last`, both included (0 when last < first)."""
        count, day = 0, first
        while day <= last:
            count += self.is_workday(day)
            day += dt.timedelta(days=1)
        return count

    def next_workday(self, day: dt.date) -> dt.date:
        """The first workday strictly after `day`."""
        day += dt.timedelta(days=1)
        for _ in range(60):  # the longest holiday run is about two weeks
            if self.is_workday(day):
                return day
            day += dt.timedelta(days=1)
        raise CalendarNotCoveredError(
            f"{day} 之后 60 天内没有工作日", f"no workday within 60 days after {day}"
        )
