"""Months and ISO weeks: the periods forms are filed for (月份 / 周)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

__all__ = ["Month", "Week", "parse_period", "weeks_starting_in"]

_MONTH_RE = re.compile(r"^\s*(\d{4})\s*(?:[-/.年]\s*)?(\d{1,2})\s*月?\s*$")
_WEEK_RE = re.compile(r"^\s*(\d{4})\s*-?\s*[Ww]\s*(\d{1,2})\s*$")


@dataclass(frozen=True, order=True, slots=True)
class Month:
    """A calendar month, written `YYYY-MM`."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month must be 1-12, got {self.month}")

    @classmethod
    def parse(cls, text: str) -> Month:
        """`2026-11`, `2026/11`, `2026.11`, `2026年11月`, `202611`."""
        match = _MONTH_RE.match(text)
        if not match:
            raise ValueError(f"{text!r} is not a month; write it as YYYY-MM, e.g. 2026-11")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: dt.date) -> Month:
        return cls(day.year, day.month)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def days(self) -> list[dt.date]:
        first = self.first_day
        return [first + dt.timedelta(days=i) for i in range(self.last_day.day)]

    def contains(self, day: dt.date) -> bool:
        return day.year == self.year and day.month == self.month

    def shift(self, months: int) -> Month:
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True, order=True, slots=True)
class Week:
    """An ISO week, written `2026-W48`; its Monday is the plan's due date."""

    year: int
    week: int

    @classmethod
    def parse(cls, text: str) -> Week:
        match = _WEEK_RE.match(text)
        if not match:
            raise ValueError(
                f"{text!r} is not a week; write it as 2026-W48 or as its Monday's date"
            )
        week = cls(int(match.group(1)), int(match.group(2)))
        week.monday  # noqa: B018 - validates the week number
        return week

    @classmethod
    def of(cls, day: dt.date) -> Week:
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    @property
    def monday(self) -> dt.date:
        try:
            return dt.date.fromisocalendar(self.year, self.week, 1)
        except ValueError as exc:
            raise ValueError(f"{self.year} has no ISO week {self.week}") from exc

    @property
    def sunday(self) -> dt.date:
        return self.monday + dt.timedelta(days=6)

    def days(self) -> list[dt.date]:
        monday = self.monday
        return [monday + dt.timedelta(days=i) for i in range(7)]

    def contains(self, day: dt.date) -> bool:
        return self.monday <= day <= self.sunday

    def overlaps(self, month: Month) -> bool:
        return self.monday <= month.last_day and self.sunday >= month.first_day

    def __str__(self) -> str:
        return f"{self.year:04d}-W{self.week:02d}"


def parse_period(text: str) -> Month | Week:
    """A `--period` value: a month `2026-11` or an ISO week `2026-W48`."""
    if "w" in text.lower():
        return Week.parse(text)
    return Month.parse(text)


def weeks_starting_in(month: Month) -> list[Week]:
    """The ISO weeks whose Monday falls in `month`: the weeks a weekly plan is filed for."""
    first = month.first_day + dt.timedelta(days=(7 - month.first_day.weekday()) % 7)
    return [
        Week.of(first + dt.timedelta(days=7 * i))
        for i in range((month.last_day - first).days // 7 + 1)
    ]
