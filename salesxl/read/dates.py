"""Dates as people write them outside China: 2/24/2003, 24.02.2003, 1/2/09, Mar-24.

Pure functions, no I/O.  A date of three numbers with the year last
(`2/24/2003`, `24.02.2003`, `01-03-17`) is read in a day/month order, and the
order is a property of a column, not of a cell: `infer_order` looks at every
spelling a column holds and settles on the one order that makes all of them
real dates (`13/1` settles day-first).  A column that stays ambiguous
(`03/04/2025` and nothing else) is refused rather than guessed; `--date-order
dmy|mdy|ymd` settles it.  Two-digit years follow the usual pivot (00–68 are
2000–2068, 69–99 are 1969–1999, as C's strptime and Excel do).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "DATE_ORDERS",
    "OrderVerdict",
    "infer_order",
    "month_name_date",
    "month_name_month",
    "numeric_parts",
    "ordered_date",
    "year_of",
]

DATE_ORDERS = ("dmy", "mdy", "ymd")
PIVOT = 69  # two-digit years below are 20xx, from here 19xx

# Three numbers, the first not a four-digit year (2026-11-03 is read elsewhere).
_NUMERIC = re.compile(r"(\d{1,2})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{2}|\d{4})", re.ASCII)

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_NAME = r"([a-z]{3,9})\.?"
# 24-Mar-2024, 24 March 2024, Mar 24, 2024, March 24 2024, 2024-Mar-24
_NAMED_DATES = (
    (re.compile(rf"(\d{{1,2}})[\s\-/.]*{_NAME}[\s\-/.,]*(\d{{4}}|\d{{2}})"), "dmy"),
    (re.compile(rf"{_NAME}[\s\-/.]*(\d{{1,2}})(?:st|nd|rd|th)?[\s,\-/.]+(\d{{4}})"), "mdy"),
    (re.compile(rf"(\d{{4}})[\s\-/.]*{_NAME}[\s\-/.]*(\d{{1,2}})"), "ymd"),
)
# Mar-24, Mar 2024, March 2024, 1990 Jan, 2024-Mar
_NAMED_MONTHS = (
    (re.compile(rf"{_NAME}[\s\-/.,']*(\d{{4}}|\d{{2}})"), "my"),
    (re.compile(rf"(\d{{4}})[\s\-/.]*{_NAME}"), "ym"),
)


def year_of(text: str) -> int:
    """A year as written: four digits as they are, two digits by the pivot."""
    year = int(text)
    if len(text) == 2:
        return 2000 + year if year < PIVOT else 1900 + year
    return year


def numeric_parts(text: str) -> tuple[str, str, str, str] | None:
    """(first, separator, second, year) of `2/24/2003`-style text, or None."""
    match = _NUMERIC.fullmatch(text)
    return match.groups() if match else None  # type: ignore[return-value]


def _orders(parts: tuple[str, str, str, str]) -> tuple[str, ...]:
    """The orders a spelling can be in: year first only when all three are two padded digits."""
    a, _, b, c = parts
    if len(a) == len(b) == len(c) == 2:
        return DATE_ORDERS
    return ("dmy", "mdy")


def ordered_date(parts: tuple[str, str, str, str], order: str) -> dt.date:
    """The date the parts spell in `order`; raises ValueError when there is none."""
    a, _, b, c = parts
    if order == "dmy":
        return dt.date(year_of(c), int(b), int(a))
    if order == "mdy":
        return dt.date(year_of(c), int(a), int(b))
    if order == "ymd" and len(a) == 2:
        return dt.date(year_of(a), int(b), int(c))
    raise ValueError(f"{a}{parts[1]}{b}{parts[1]}{c} cannot be read as {order}")


def _valid(parts: tuple[str, str, str, str], order: str) -> dt.date | None:
    try:
        return ordered_date(parts, order)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class OrderVerdict:
    """What a column's numeric dates say about their order."""

    order: str | None  # the one order that reads them all (None: no numeric dates, or refused)
    ambiguous: bool = False  # several orders read every value, with different dates
    conflicting: bool = False  # no order reads every value: 24/2 and 2/24 in one column
    example: str = ""  # a value that shows the problem
    two_digit_years: bool = False


def infer_order(texts: Iterable[str]) -> OrderVerdict:
    """The day/month order of a column's `2/24/2003`-style spellings (distinct, stripped)."""
    spellings = [(t, p) for t in texts if (p := numeric_parts(t)) is not None]
    if not spellings:
        return OrderVerdict(None)
    two_digit = any(len(p[3]) == 2 for _, p in spellings)  # ymd needs it too
    possible = set(DATE_ORDERS)
    for _, parts in spellings:
        possible &= set(_orders(parts))
    # An order that leaves some value without a real date is out; the rest must agree.
    readers = {o for o in possible if all(_valid(p, o) is not None for _, p in spellings)}
    if len(readers) == 1:
        return OrderVerdict(readers.pop(), two_digit_years=two_digit)
    if not readers:
        # No order reads every value.  A value no order reads (31/31/2024) is that cell's
        # problem; the column is in conflict only when real dates need different orders.
        readable = [(t, p) for t, p in spellings if any(_valid(p, o) for o in possible)]
        readers = {o for o in possible if all(_valid(p, o) is not None for _, p in readable)}
        if len(readers) == 1:
            return OrderVerdict(readers.pop(), two_digit_years=two_digit)
        if not readers:
            shown = _conflict_example(readable, possible)
            return OrderVerdict(None, conflicting=True, example=shown, two_digit_years=two_digit)
    for text, parts in spellings:
        dates = {_valid(parts, o) for o in readers}
        if len(dates) > 1:
            return OrderVerdict(None, ambiguous=True, example=text, two_digit_years=two_digit)
    # Every value reads the same in every remaining order (05/05/2025): any will do.
    return OrderVerdict(sorted(readers)[0], two_digit_years=two_digit)


def _conflict_example(
    spellings: list[tuple[str, tuple[str, str, str, str]]], orders: set[str]
) -> str:
    """Two values that need different orders, e.g. `24/2/2025 and 2/24/2025`."""
    only: dict[str, str] = {}
    for text, parts in spellings:
        valid = [o for o in orders if _valid(parts, o) is not None]
        if len(valid) == 1:
            only.setdefault(valid[0], text)
    shown = list(only.values())[:2]
    return " / ".join(shown) if shown else spellings[0][0]


def month_name_date(text: str) -> dt.date | None:
    """`24-Mar-2024`, `Mar 24, 2024`, `24 March 2024`, `2024-Mar-24` (lower-cased text)."""
    for pattern, order in _NAMED_DATES:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        groups = match.groups()
        if order == "dmy":
            day, name, year = groups
        elif order == "mdy":
            name, day, year = groups
        else:
            year, name, day = groups
        month = _MONTHS.get(name)
        if month is None:
            continue
        return dt.date(year_of(year), month, int(day))  # ValueError for 31 Feb
    return None


def month_name_month(text: str) -> tuple[int, int] | None:
    """(year, month) of `Mar-24`, `Mar 2024`, `March 2024`, `1990 Jan`, `2024-Mar`."""
    for pattern, order in _NAMED_MONTHS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        name, year = match.groups() if order == "my" else reversed(match.groups())
        month = _MONTHS.get(name)
        if month is not None:
            return year_of(year), month
    return None
