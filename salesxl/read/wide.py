"""Tables laid out wide: one column per month (`1月 … 12月`, `2024-01 … 2024-12`, `Jan … Dec`).

A monthly summary is not a list of sales: the sales import says so and
where it can be used, and the targets History sheet accepts it by turning
it into one row per unit and month (`unpivot`).  Pure functions over a
grid's rows.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from salesxl.read.dates import month_name_month

__all__ = ["MIN_MONTH_COLUMNS", "WideCell", "WideTable", "find_wide", "month_of_label", "unpivot"]

MIN_MONTH_COLUMNS = 6  # fewer month-like headers are ordinary columns (`1月目标`…)
SCAN_ROWS = 30

_ZH_MONTH = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月(?:份)?")
_NUMERIC_MONTH = re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})|(\d{4})(\d{2})")
_ENGLISH = re.compile(r"([a-z]{3,9})\.?")


@dataclass(frozen=True, slots=True)
class WideTable:
    """Where a wide table is: its header row and the month of each month column."""

    sheet: str
    header_row: int  # 0-based
    months: dict[int, tuple[int | None, int]]  # column -> (year or None, month 1-12)

    @property
    def first_month_column(self) -> int:
        return min(self.months)

    def describe(self, cells: list[Any]) -> str:
        """`1月 … 12月`: the first and last month headers as the file writes them."""
        cols = sorted(self.months)
        return f"{_text(cells[cols[0]])} … {_text(cells[cols[-1]])}"


def month_of_label(value: Any) -> tuple[int | None, int] | None:
    """(year or None, month) a column header names, or None."""
    if isinstance(value, dt.datetime | dt.date):
        return value.year, value.month
    if not isinstance(value, str):
        return None
    text = unicodedata.normalize("NFKC", value).strip().lower()
    if match := _ZH_MONTH.fullmatch(text):
        month = int(match.group(2))
        year = int(match.group(1)) if match.group(1) else None
        return (year, month) if 1 <= month <= 12 else None
    if match := _NUMERIC_MONTH.fullmatch(text):
        y, m = (match.group(1), match.group(2)) if match.group(1) else match.group(3, 4)
        return (int(y), int(m)) if 1 <= int(m) <= 12 else None
    if match := _ENGLISH.fullmatch(text):
        named = month_name_month(f"{match.group(1)} 2000")
        return (None, named[1]) if named else None
    named = month_name_month(text)
    return (named[0], named[1]) if named else None


def find_wide(name: str, rows: list[list[Any]]) -> WideTable | None:
    """The first row (of the top rows) with at least six month headers, as a `WideTable`."""
    for r, cells in enumerate(rows[:SCAN_ROWS]):
        months = {}
        for c, value in enumerate(cells):
            month = month_of_label(value)
            if month is not None:
                months[c] = month
        if len(months) >= MIN_MONTH_COLUMNS:
            return WideTable(name, r, months)
    return None


def _text(value: Any) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return f"{value:%Y-%m}"
    return str(value).strip()


@dataclass(frozen=True, slots=True)
class WideCell:
    """One filled month cell of a wide table, with the row's label cells beside it."""

    row: int  # 0-based sheet row
    col: int  # 0-based column of the month
    labels: dict[str, Any]  # normalised header -> value, of the columns left of the months
    year: int | None
    month: int
    value: Any


def unpivot(table: WideTable, rows: list[list[Any]], norm: Any) -> list[WideCell]:
    """Every filled month cell below the header row, one `WideCell` each (blank rows skipped).

    `norm` turns a header into its comparison key (salesxl.read.values.norm_label).
    """
    header = rows[table.header_row]
    first = table.first_month_column
    label_cols = {c: norm(header[c]) for c in range(min(first, len(header))) if header[c] != ""}
    cells = []
    for r in range(table.header_row + 1, len(rows)):
        cells_of = rows[r]
        labels = {key: cells_of[c] for c, key in label_cols.items() if c < len(cells_of)}
        for c, (year, month) in table.months.items():
            if c < len(cells_of) and cells_of[c] not in ("", None):
                cells.append(WideCell(r, c, labels, year, month, cells_of[c]))
    return cells
