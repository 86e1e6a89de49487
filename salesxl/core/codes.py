"""The vocabulary of issues: codes, severities, and how a code is described.

Codes are stable names shared by the tests, the JSON output of `salesxl
validate`, the store and the summary's Issues sheet.  What each code means,
its severity and its messages are entries of `salesxl.core.catalogue`.

A message `Template` is `str.format` text in both languages.  Placeholders
ending in `_zh`/`_en` are in that language (a field's label); `{x!l}` is `x`
in lower case.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

__all__ = ["SEVERITY_LABELS", "Code", "Entry", "Severity", "Template"]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


# How each severity is shown to people (Chinese, English): lists, summaries, messages.
SEVERITY_LABELS: dict[str, tuple[str, str]] = {
    Severity.ERROR: ("错误", "Error"),
    Severity.WARNING: ("警告", "Warning"),
    Severity.INFO: ("提示", "Note"),
}


class Code(StrEnum):
    """Stable issue codes; every one has its entry in `salesxl.core.catalogue.CATALOGUE`."""

    UNREADABLE = "unreadable"
    ENCRYPTED = "encrypted"
    TOO_LARGE = "too_large"
    UNKNOWN_FORM = "unknown_form"
    MISSING_COLUMN = "missing_column"
    MISSING_HEADER = "missing_header"
    REQUIRED = "required"
    BAD_TYPE = "bad_type"
    NOT_IN_LIST = "not_in_list"
    OUT_OF_RANGE = "out_of_range"
    AMOUNT_MISMATCH = "amount_mismatch"
    DEPOSIT_EXCEEDS_AMOUNT = "deposit_exceeds_amount"
    FOLLOWUP_BEFORE_DATE = "followup_before_date"
    DUPLICATE_ROW = "duplicate_row"
    UNKNOWN_REP = "unknown_rep"
    WRONG_PERIOD = "wrong_period"
    FUTURE_DATE = "future_date"
    PHONE_FORMAT = "phone_format"
    FOLLOWUP_MISSING = "followup_missing"
    FORMULA_WITHOUT_VALUE = "formula_without_value"
    EXTRA_COLUMN = "extra_column"
    TARGET_MISMATCH = "target_mismatch"  # a form's month target against the targets file
    # Files from other systems (synonyms, mappings, dates, encodings).
    COLUMN_CHOSEN = "column_chosen"
    COLUMN_AMBIGUOUS = "column_ambiguous"  # two columns for one field with different figures
    UNKNOWN_SUB_LABELS = "unknown_sub_labels"  # a second header row of labels the form lacks
    MAPPED_COLUMN_MISSING = "mapped_column_missing"
    AMBIGUOUS_DATES = "ambiguous_dates"
    TWO_DIGIT_YEAR = "two_digit_year"
    ENCODING_GUESSED = "encoding_guessed"
    BAD_ENCODING = "bad_encoding"
    NOT_FED = "not_fed"
    REP_BY_NAME = "rep_by_name"
    REP_ID_NORMALISED = "rep_id_normalised"
    AMOUNT_NOT_CLOSED = "amount_not_closed"
    CHOICE_MISMATCH = "choice_mismatch"
    DUPLICATE_FILE = "duplicate_file"
    NO_FORMS = "no_forms"
    NOT_MULTIPLE_OF_ROUNDING = "not_multiple_of_rounding"
    BAD_MONTH_WEIGHTS = "bad_month_weights"
    SKIPPED = "skipped"  # a path not read, and why (lock file, hidden, salesxl's own output)
    SAVED_EARLY = "saved_early"  # judged by a save time far earlier than its arrival
    TOTAL_ROW = "total_row"  # a row read as a total (合计, 小计, Total) and left out
    DATE_ORDER_INFERRED = "date_order_inferred"  # a column's values chose day/month order
    UNIT_SCALED = "unit_scaled"  # a money column in 万元/千元 turned into yuan
    UNLABELLED_COLUMN = "unlabelled_column"  # values under no header: read by no one
    UNREAD_SHEET = "unread_sheet"  # a second sheet holding the same table: not read
    CELL_ERROR = "cell_error"  # a cell showing an Excel error (#N/A, #DIV/0!)
    # a rep's row dated outside the roster's hire and leave dates: still counted
    BEFORE_HIRE_DATE = "before_hire_date"
    AFTER_LEAVE_DATE = "after_leave_date"
    # a computed cell (日清 今日成交) whose value is not what its rows add up to
    COMPUTED_MISMATCH = "computed_mismatch"
    # Sales imports: rows of another file replaced, or of the other kind of source kept.
    REPLACED_OTHER_FILE = "replaced_other_file"
    OTHER_SOURCE_KEPT = "other_source_kept"
    # a rep's row with an error left out of the store by an import that skipped bad rows
    ROW_NOT_IMPORTED = "row_not_imported"
    # a rep file saved before the store's current version of its rep-period: kept, not current
    OLDER_THAN_STORED = "older_than_stored"


class _Formatter(string.Formatter):
    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion == "l":
            return str(value).lower()
        return super().convert_field(value, conversion)


_FORMAT = _Formatter()


@dataclass(frozen=True, slots=True)
class Template:
    """One message, in both languages."""

    zh: str
    en: str

    def format(self, **values: Any) -> tuple[str, str]:
        return _FORMAT.format(self.zh, **values), _FORMAT.format(self.en, **values)

    @property
    def placeholders(self) -> tuple[str, ...]:
        """The values the message needs, in order of first use."""
        names = [
            name.split(".")[0].split("[")[0]
            for text in (self.zh, self.en)
            for _, name, _, _ in _FORMAT.parse(text)
            if name
        ]
        return tuple(dict.fromkeys(names))


@dataclass(frozen=True, slots=True)
class Entry:
    """What a code means: how serious, what it is called, how to fix it, what users read."""

    code: Code
    severity: Severity
    title_zh: str
    title_en: str
    about_zh: str  # what happened and how to fix it, for docs/issues.md
    about_en: str
    messages: Mapping[str, Template] = field(default_factory=dict)  # variant -> template

    def message(self, variant: str = "", **values: Any) -> tuple[str, str]:
        try:
            template = self.messages[variant]
        except KeyError:
            raise KeyError(f"{self.code.value} has no message {variant!r}") from None
        return template.format(**values)
