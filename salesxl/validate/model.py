"""What validation hands on: a file's typed values and issues (`FormData`, `TableData`).

`FormData` is the one type every later stage reads — consolidation, the
store, the targets reader, the CLI.  It is plain picklable data, so reading
workers send it back to the parent process.  `ValidationContext` is what
validation needs to know beyond the file itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from salesxl.core.issues import Issue, has_errors
from salesxl.core.periods import Month, Week
from salesxl.core.rep_ids import RepIndex
from salesxl.forms import FORMS, Form
from salesxl.read.workbook import Limits

__all__ = ["FormData", "TableData", "ValidationContext", "day_numbers"]


@dataclass(frozen=True, slots=True)
class ValidationContext:
    """What validation needs beyond the file: today, the expected period, the roster.

    `roster_ids` (with `rep_names` for suggestions) is the roster rep IDs are matched
    against; `reps` is the index built from them once.
    For files from other systems: `column_map` (field key -> header) names columns
    no synonym knows, `remembered_maps` are the mappings the store keeps per header
    signature, `date_order` (dmy, mdy, ymd) settles dates like 03/04/2025,
    `encoding` overrides a CSV's detected encoding, `expect` names the forms the
    caller wants (suggestions in a refusal come from them), and `roster_names`
    (normalised name -> rep ID) turns a rep given by name into an ID.
    `employment` (rep ID -> hire date, leave date, from the roster) flags a rep's rows
    dated before the hire or after the leave date.
    """

    today: dt.date = field(default_factory=dt.date.today)
    period: Month | Week | None = None
    roster_ids: frozenset[str] | None = None
    products: frozenset[str] | None = None
    limits: Limits = field(default_factory=Limits)
    column_map: Mapping[str, str] | None = None
    remembered_maps: Mapping[str, Mapping[str, str]] | None = None
    date_order: str | None = None
    encoding: str | None = None
    expect: tuple[str, ...] | None = None
    roster_names: Mapping[str, str] | None = None
    forget_maps: bool = False
    # The save time a file records inside itself is a courtesy (it survives e-mail, which
    # resets the file's own time) but anyone can set it; False ignores it.
    saved_times: bool = True
    rep_names: Mapping[str, str] | None = None
    employment: Mapping[str, tuple[dt.date | None, dt.date | None]] | None = None
    reps: RepIndex | None = field(init=False, default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.roster_ids is not None:
            object.__setattr__(self, "reps", RepIndex(self.roster_ids, self.rep_names))


@dataclass(slots=True)
class FormData:
    """A file after reading and validation: header values, tables, issues."""

    path: str
    form_id: str | None
    header: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, TableData] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    mtime: float | None = None
    saved: float | None = None  # last save recorded inside the file (Book.saved_at)
    digest: Any = None  # a later stage's summary of the rows, made where the file was read
    # Header key -> (sheet, A1 cell) where its value was found: later checks point there.
    header_cells: dict[str, tuple[str, str]] = field(default_factory=dict)
    signature: str | None = None  # header signature of the main table: the source system
    mapping: dict[str, str] | None = None  # the column mapping used (given or remembered)
    mapping_remembered: bool = False  # … and it came from the store
    forgotten: str | None = None  # signature of a remembered mapping not used (--forget-map)
    # Read back from the store: the days of rows `import --skip-bad-rows` left out, which
    # the rep reported all the same (a day with only such a row is not missing).
    days_left_out: frozenset[dt.date] = frozenset()

    def file_time(self, newest_day: dt.date | None = None) -> float | None:
        """When the file was last saved, as best known (POSIX seconds).

        The earlier of the save recorded inside the file and the file's
        modification time: copying or e-mailing a file makes the latter later,
        never earlier.  A save recorded before `newest_day` (the newest day the
        file reports) is stale, from a program that did not update it: ignored.
        """
        saved = self.saved
        if (
            saved is not None
            and newest_day is not None
            and self.mtime is not None
            and (dt.datetime.fromtimestamp(saved) < dt.datetime.combine(newest_day, dt.time()))
        ):
            saved = None
        known = [t for t in (saved, self.mtime) if t is not None]
        return min(known) if known else None

    @property
    def form(self) -> Form | None:
        return FORMS.get(self.form_id) if self.form_id else None

    @property
    def rep_id(self) -> str | None:
        form = self.form
        return self.header.get(form.rep_field) if form and form.rep_field else None

    @property
    def period(self) -> Month | Week | None:
        form = self.form
        return self.header.get(form.period_field) if form and form.period_field else None

    @property
    def has_errors(self) -> bool:
        return has_errors(self.issues)

    def records(self, table: str) -> list[dict[str, Any]]:
        data = self.tables.get(table)
        return data.records if data else []


class TableData:
    """One table's typed values, stored by column; `records` gives them row by row.

    Each record has every field key plus `_row` (the 1-based sheet row) and,
    when the sheet had unknown columns, `_extra`.  Records are built on
    first use: consolidation reads the columns and never pays for them.
    """

    __slots__ = ("_extra_values", "_records", "columns", "extras", "key", "rows", "sheet", "values")

    def __init__(
        self,
        key: str,
        sheet: str,
        records: list[dict[str, Any]] | None = None,
        columns: dict[str, str] | None = None,
        extras: list[str] | None = None,
        *,
        values: dict[str, list[Any]] | None = None,
        rows: list[int] | None = None,
        extra_values: list[dict[str, Any]] | None = None,
    ) -> None:
        self.key, self.sheet = key, sheet
        self.columns = columns or {}  # field key -> column letters, for cells
        self.extras = extras or []
        self._records = records
        self.values = values  # field key -> one value per row
        self.rows = rows  # 1-based sheet rows
        self._extra_values = extra_values

    @property
    def records(self) -> list[dict[str, Any]]:
        if self._records is None:
            values, rows = self.values or {}, self.rows or []
            keys = [*values, "_row"]
            self._records = [
                dict(zip(keys, row, strict=True))
                for row in zip(*values.values(), rows, strict=True)
            ]
            if self._extra_values is not None:
                for record, extra in zip(self._records, self._extra_values, strict=True):
                    record["_extra"] = extra
        return self._records

    @records.setter
    def records(self, records: list[dict[str, Any]]) -> None:
        self._records, self.values, self.rows, self._extra_values = records, None, None, None

    def column(self, key: str) -> list[Any]:
        """One field's values, row by row."""
        if self.values is not None:
            return self.values[key]
        return [r.get(key) for r in self.records]

    def __len__(self) -> int:
        return (
            len(self.rows) if self._records is None and self.rows is not None else len(self.records)
        )

    def __getstate__(self) -> dict[str, Any]:
        state = {name: getattr(self, name) for name in self.__slots__}
        state["values"], state["_days"] = _as_day_numbers(self.values)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        days = state.pop("_days", ())
        for name, value in state.items():
            object.__setattr__(self, name, value)
        if days and self.values is not None:
            self.values = _from_day_numbers(self.values, days)


# A reading process sends every file's values back to the parent: a date pickles as a
# call of its type with its bytes, several times the cost of an int, and a daily report
# has two date columns (a quarter of the pickling).  Columns of dates and blanks travel
# as day numbers.
_DATES_OR_BLANKS = frozenset({dt.date, type(None)})


def day_numbers(column: Sequence[Any]) -> list[int | None] | None:
    """The day number (ordinal) of each date of a column of dates and blanks, with at least
    one date; None for any other column (a datetime is not a date here)."""
    if not column or type(column[0]) not in _DATES_OR_BLANKS:
        return None  # (most columns: text or numbers, told by their first value)
    kinds = set(map(type, column))
    if dt.date not in kinds or not kinds <= _DATES_OR_BLANKS:
        return None
    ordinal = dt.date.toordinal
    if type(None) in kinds:
        return [None if d is None else ordinal(d) for d in column]
    return list(map(ordinal, column))


def _as_day_numbers(
    values: dict[str, list[Any]] | None,
) -> tuple[dict[str, list[Any]] | None, list[str]]:
    """`values` with each column of dates (and blanks) as their day numbers, and those keys."""
    if not values:
        return values, []
    packed, days = dict(values), []
    for key, column in values.items():
        numbers = day_numbers(column)
        if numbers is not None:
            packed[key] = numbers
            days.append(key)
    return (packed, days) if days else (values, [])


def _from_day_numbers(values: dict[str, list[Any]], days: list[str]) -> dict[str, list[Any]]:
    day = dt.date.fromordinal
    for key in days:
        column = values[key]
        values[key] = (
            [None if n is None else day(n) for n in column]
            if None in column
            else list(map(day, column))
        )
    return values
