"""Click parameter types that fail with a message saying how to write the value."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from salesxl.core.periods import Month, Week, parse_period
from salesxl.read.values import parse_date

__all__ = [
    "DATE",
    "DB_URL",
    "MONTH",
    "PERIOD",
    "WEEK",
    "DateType",
    "DbUrlType",
    "MonthType",
    "PeriodType",
    "WeekType",
]


class PeriodType(click.ParamType[Month | Week]):
    """A month `2026-11` or an ISO week `2026-W48`."""

    name = "period"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> Month | Week:
        if isinstance(value, (Month, Week)):
            return value
        try:
            return parse_period(str(value))
        except ValueError:
            self.fail(
                f"{value!r} is not a period: write a month as 2026-11 or a week as 2026-W48",
                param,
                ctx,
            )


class MonthType(click.ParamType[Month]):
    """A month `2026-11`."""

    name = "month"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> Month:
        if isinstance(value, Month):
            return value
        try:
            return Month.parse(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a month: write it as YYYY-MM, e.g. 2026-11", param, ctx)


class WeekType(click.ParamType[Week]):
    """An ISO week `2026-W49`."""

    name = "week"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Week:
        if isinstance(value, Week):
            return value
        try:
            return Week.parse(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a week: write it as 2026-W49", param, ctx)


class DateType(click.ParamType[dt.date]):
    """A date `2026-11-24`."""

    name = "date"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return parse_date(str(value))
        except ValueError:
            self.fail(
                f"{value!r} is not a date: write it as YYYY-MM-DD, e.g. 2026-11-24", param, ctx
            )


PERIOD = PeriodType()
MONTH = MonthType()
WEEK = WeekType()
DATE = DateType()


class DbUrlType(click.ParamType[str]):
    """An SQLite file (`salesxl.db`, `sqlite:///path`) or `postgresql://user@host/dbname`."""

    name = "url"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from salesxl.store import StoreError, resolve_url  # SQLAlchemy only when used

        try:
            resolve_url(str(value), env={})
        except StoreError as exc:
            self.fail(str(exc), param, ctx)
        return str(value)


DB_URL = DbUrlType()
