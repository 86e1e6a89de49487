"""Click parameter types that fail with a message saying how to write the value."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from salesxl.core.periods import Month, Week, parse_period
from salesxl.forms import parse_column_map
from salesxl.read.encoding import known_encoding
from salesxl.read.values import parse_date

__all__ = [
    "COUNT",
    "DATE",
    "DB_URL",
    "ENCODING",
    "FOLDER_OUT",
    "LABELS_LANG",
    "MONTH",
    "PERIOD",
    "WEEK",
    "WORKBOOK_LANG",
    "CountType",
    "DateType",
    "DbUrlType",
    "EncodingType",
    "FolderOutType",
    "MonthType",
    "PeriodType",
    "WeekType",
    "foreign_file_options",
    "parse_map",
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


class CountType(click.IntRange):
    """A whole number, 0 or more: `'abc' is not a valid whole number (0 or more)`, not
    click's 'integer range'."""

    name = "whole number (0 or more)"

    def __init__(self) -> None:
        super().__init__(min=0)


COUNT = CountType()


class FolderOutType(click.Path):
    """A folder to write files into (created when missing).  A name like `cards.xlsx` is
    refused: the user meant a workbook, and would get a folder of that name."""

    def __init__(self) -> None:
        super().__init__(file_okay=False, path_type=Path)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        path = Path(os.fsdecode(super().convert(value, param, ctx)))
        if path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".csv") and not path.is_dir():
            self.fail(
                f"{value} is a file's name, but this option names the folder the files are "
                f"written into; give a folder such as {path.stem or 'output'}/",
                param,
                ctx,
            )
        return path


FOLDER_OUT = FolderOutType()


class EncodingType(click.ParamType[str]):
    """A text encoding Python knows: utf-8, gbk, gb18030, big5, cp1252, latin-1, cp437."""

    name = "encoding"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        found = known_encoding(str(value))
        if found is None:
            self.fail(
                f"{value!r} is not a text encoding; use e.g. utf-8, gbk, gb18030, big5, "
                "cp1252, latin-1 or cp437",
                param,
                ctx,
            )
        return found


ENCODING = EncodingType()
F = TypeVar("F", bound=Callable[..., Any])


def foreign_file_options(function: F) -> F:
    """--map, --date-order and --encoding: reading files other systems wrote."""
    options = (
        click.option(
            "--map",
            "maps",
            multiple=True,
            metavar="FIELD=HEADER",
            help="Read the column HEADER as FIELD (a key from docs/forms.md, or its Chinese or "
            "English label), for columns no synonym knows; repeatable. "
            "Example: --map amount=Price --map customer=Name",
        ),
        click.option(
            "--date-order",
            type=click.Choice(["dmy", "mdy", "ymd"]),
            help="Order of dates like 03/04/2025 when a column cannot tell: dmy (day first), "
            "mdy (month first) or ymd.",
        ),
        click.option(
            "--encoding",
            type=ENCODING,
            help="Text encoding of CSV files (default: detected), e.g. gbk, cp437, utf-8.",
        ),
    )
    for option in reversed(options):
        function = option(function)
    return function


def parse_map(maps: tuple[str, ...]) -> dict[str, str] | None:
    """The --map options as field key -> header; a usage error says how to write them."""
    if not maps:
        return None
    try:
        return parse_column_map(maps)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--map") from None


# --lang of the commands that write a targets workbook (split, resplit)
WORKBOOK_LANG = click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default="zh",
    show_default=True,
    help="zh: every text in Chinese then English; en: the whole workbook in English (your "
    "own unit and product names stay as they are).",
)

# --lang of the commands that write blank forms to fill in (templates, targets template)
LABELS_LANG = click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default="zh",
    show_default=True,
    help="zh: Chinese labels with English under them; en: English labels.",
)
