"""What consolidation returns: plain tables, one per summary sheet (README.md "For managers").

The summary workbook writer, the xlwings adapter and the tests all read the
same `Summary`: a headline and a list of `SheetData` (columns + rows of
plain values, None where a value is unknown — never 0 for "unknown").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, NamedTuple

from salesxl.core.issues import Issue
from salesxl.core.periods import Month
from salesxl.forms import FieldType

if TYPE_CHECKING:  # results.py and trends.py build on the KPI modules, which import this one
    from salesxl.consolidate.results import Results
    from salesxl.consolidate.trends import Trends

__all__ = [
    "OTHER_TEAM",
    "TARGET_SOURCES",
    "TOTAL",
    "WARNING_LABELS",
    "Bilingual",
    "ColumnSpec",
    "Headline",
    "SheetData",
    "Summary",
    "Thresholds",
    "Translated",
    "WarningLevel",
    "column_kind",
    "warning_level",
]


class WarningLevel(StrEnum):
    """考核预警 (README.md "For managers"): oral warning first, written warning when serious."""

    OK = "ok"
    ORAL = "oral"
    WRITTEN = "written"


WARNING_LABELS: dict[str, tuple[str, str]] = {
    WarningLevel.OK: ("正常", "OK"),
    WarningLevel.ORAL: ("口头预警", "Oral warning"),
    WarningLevel.WRITTEN: ("书面预警", "Written warning"),
}

OTHER_TEAM = "其他团队 Another team"  # a rep outside a leader's pack, in a customer conflict

# Where the month targets came from (the Overview says it; see month_targets.py).
TARGET_SOURCES: dict[str, tuple[str, str]] = {
    "file": ("目标文件", "Targets file"),
    "store": ("数据库", "Store"),
    "forms": ("表单上的月度目标", "Month targets on the forms"),
}


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Pace index below `oral` gets an oral warning, below `written` a written one."""

    oral: float = 0.8
    written: float = 0.6

    def __post_init__(self) -> None:
        if not 0 <= self.written < self.oral:
            raise ValueError(
                f"warning thresholds must satisfy 0 ≤ written < oral; got oral "
                f"{self.oral}, written {self.written}"
            )


def warning_level(pace: float | None, thresholds: Thresholds) -> WarningLevel | None:
    """正常 / 口头预警 / 书面预警 from the pace index; None without a target.

    A pace on the line is not below it: amounts in fen added up in binary fractions
    (8,353.41 + 8,721.90 + 4,924.69 is 21,999.999999999996) are compared to 9 places."""
    if pace is None:
        return None
    pace = round(pace, 9)
    if pace < thresholds.written:
        return WarningLevel.WRITTEN
    if pace < thresholds.oral:
        return WarningLevel.ORAL
    return WarningLevel.OK


class Translated(NamedTuple):
    """A free text in both languages (a chase message): a sheet shows the one of its language."""

    zh: str
    en: str

    def pick(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


class Bilingual(str):
    """A fixed text of the summary in both languages (`合计 Total`, a customer rule's
    name): it reads as `zh en`, and a workbook written in English shows only `en`."""

    zh: str
    en: str

    def __new__(cls, zh: str, en: str, *, sep: str = " ") -> Bilingual:
        text = super().__new__(cls, f"{zh}{sep}{en}")
        text.zh, text.en = zh, en
        return text

    def __getnewargs_ex__(self) -> tuple[tuple[str, str], dict[str, Any]]:
        return (self.zh, self.en), {"sep": str(self)[len(self.zh) : len(self) - len(self.en)]}

    def shown(self, lang: str) -> str:
        """The text in a workbook of `lang` (zh: both languages, as the default is)."""
        return self.en if lang == "en" else str(self)


# The company's row in the team and region tables.
TOTAL = Bilingual("合计", "Total")


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    key: str
    zh: str
    en: str
    kind: str = "text"  # text int money percent ratio date datetime warning link field
    only: str | None = None  # "zh": a column only a Chinese workbook shows (message_zh)


# A form field's column in the summary shows its values as the field's type says.
_KIND_OF_TYPE = {
    FieldType.DATE: "date",
    FieldType.NUMBER: "number",
    FieldType.INTEGER: "int",
    FieldType.MONEY: "money",
    FieldType.PERCENT: "percent",
}


def column_kind(field_type: FieldType) -> str:
    """The summary column kind (its number format) for a form field of this type."""
    return _KIND_OF_TYPE.get(field_type, "text")


@dataclass(slots=True)
class SheetData:
    key: str
    title_zh: str
    title_en: str
    columns: list[ColumnSpec]
    rows: list[list[Any]] = field(default_factory=list)
    row_kinds: list[str] | None = None  # per-row kind of a 'mixed' column (the Overview)

    def title(self, lang: str) -> str:
        return f"{self.title_zh} {self.title_en}" if lang == "zh" else self.title_en

    def column(self, key: str) -> int:
        for i, c in enumerate(self.columns):
            if c.key == key:
                return i
        raise KeyError(f"sheet {self.key} has no column {key!r}")

    def records(self) -> list[dict[str, Any]]:
        """Rows as dicts keyed by column key (handy for tests and callers)."""
        keys = [c.key for c in self.columns]
        return [dict(zip(keys, row, strict=True)) for row in self.rows]


_ROWS: Any = vars(SheetData)["rows"]  # the slot a sheet's rows are kept in

# A list sheet's first `limit` rows of each owner, in the list's order, and every owner's
# number of rows (lists.py): what the workbook shows of a long list.
FirstRows = Callable[[int], tuple[list[list[Any]], dict[Any, int]]]


class LazySheet(SheetData):
    """A sheet whose rows are made (`make()`) the first time they are asked for.

    The summary keeps every entry of a list (the API, JSON output, scorecards, packs),
    but its workbook shows per rep only the most urgent ones: `first(limit)` makes just
    those (the 7-day lapses pick each rep's own: `customers.Lapses`).  A cold-calling
    month's 185,000 customer rows are then never made, nor sorted, when only the summary
    workbook is wanted.
    """

    __slots__ = ("first", "make")

    def __init__(
        self,
        key: str,
        title_zh: str,
        title_en: str,
        columns: list[ColumnSpec],
        rows: list[list[Any]] | None = None,
        row_kinds: list[str] | None = None,
        *,
        make: Callable[[], list[list[Any]]] | None = None,
        first: FirstRows | None = None,
    ) -> None:
        # `rows` given (a copy made by dataclasses.replace): an ordinary sheet from then on
        _ROWS.__set__(self, rows)
        self.key, self.title_zh, self.title_en = key, title_zh, title_en
        self.columns, self.row_kinds = columns, row_kinds
        self.make, self.first = (make, first) if rows is None else (None, None)

    @property
    def rows(self) -> list[list[Any]]:
        rows: list[list[Any]] | None = _ROWS.__get__(self)
        if rows is None:
            assert self.make is not None
            rows = self.make()
            _ROWS.__set__(self, rows)
            self.make = self.first = None
        return rows

    @rows.setter
    def rows(self, rows: list[list[Any]]) -> None:
        _ROWS.__set__(self, rows)
        self.make = self.first = None

    def __reduce__(self) -> tuple[Any, ...]:  # pickled or copied as the sheet it makes
        args = (self.key, self.title_zh, self.title_en, self.columns, self.rows, self.row_kinds)
        return (SheetData, args)

    @property
    def made(self) -> bool:
        """Whether the rows have been made (asked for, or given)."""
        return _ROWS.__get__(self) is not None


@dataclass(frozen=True, slots=True)
class Headline:
    period: Month
    as_of: dt.date
    reps: int
    amount: float
    target: float | None  # pro-rated to the workdays each rep was employed: what completion uses
    completion: float | None
    pace: float | None
    errors: int
    warnings: int
    late: int
    missing: int
    month_target: float | None = None  # the month targets as given, before pro-rating
    targets_from: str | None = None  # a key of TARGET_SOURCES; None: no targets
    # Workdays of the month passed by as-of, as a share: the completion a rep employed all
    # month should have reached by now (the pace line of the Overview's chart).
    workday_share: float | None = None


@dataclass(slots=True)
class Summary:
    headline: Headline
    sheets: list[SheetData]
    issues: list[Issue]
    daily_trend: SheetData | None = None  # drawn on the Overview sheet
    submissions: list[Any] = field(default_factory=list)  # SubmissionRow per rep and day/week/month
    results: Results | None = (
        None  # what the sheets were made from (scorecards, packs, trends read it)
    )
    trends: Trends | None = None  # the months before, from the store (the Overview's changes)
    # what the workbook showed of each list sheet it shortened (lists.Shortened), once written
    shortened: list[Any] = field(default_factory=list)

    def sheet(self, key: str) -> SheetData:
        for s in self.sheets:
            if s.key == key:
                return s
        raise KeyError(f"the summary has no sheet {key!r}")
