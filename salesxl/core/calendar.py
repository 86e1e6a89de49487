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

from salesxl.core.periods import Month

__all__ = ["CalendarNotCovered", "Workdays"]


class CalendarNotCovered(ValueError):
    """A year the built-in calendar does not know and the override does not cover.

    The message says, in Chinese and in English, what to list; `where(zh, en)`
    adds how the command at hand takes a 工作日 Workdays sheet (an option, a sheet
    of its input file).
    """

    def __init__(self, year: int, message_zh: str | None = None, message_en: str | None = None):
        self.year = year
        self.message_zh = message_zh or (
            f"内置的中国节假日日历不包含 {year} 年。请在「工作日 Workdays」表中列出 {year} 年的"
            "法定节假日和调休上班日（日期 Date | 类型 Type：工作日 Workday / 休息日 Holiday）。"
        )
        self.message_en = message_en or (
            f"The built-in China holiday calendar does not cover {year}. List {year}'s public "
            "holidays and make-up workdays in a 工作日 Workdays sheet (日期 Date | 类型 Type: "
            "工作日 Workday / 休息日 Holiday)."
        )
        super().__init__(f"{self.message_zh}\n{self.message_en}")

    def where(self, zh: str, en: str) -> str:
        """Both languages, each followed by where the sheet goes for this command."""
        return f"{self.message_zh}{zh}\n{self.message_en} {en}"


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
            raise CalendarNotCovered(day.year) from None

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
        raise CalendarNotCovered(
            day.year,
            f"{day} 之后 60 天内没有工作日。请检查「工作日 Workdays」表是否把整段日期都标成了休息日。",
            f"No workday within 60 days after {day}. Check that the 工作日 Workdays sheet does "
            "not mark the whole stretch as holidays.",
        )
