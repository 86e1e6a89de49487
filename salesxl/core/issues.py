"""Issues are data: every problem found in a file, with its place and a fix.

Validation never prints or raises mid-way; it returns a list of `Issue`
records (docs/issues.md).  Codes are a stable enum shared by the tests, the JSON
output of `salesxl validate` and the summary's Issues sheet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

__all__ = ["Code", "Issue", "Severity", "count_by_severity", "has_errors", "make_issue"]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Code(StrEnum):
    """Stable issue codes of docs/issues.md (plus the few the later stages add)."""

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
    REP_ID_NORMALISED = "rep_id_normalised"
    AMOUNT_NOT_CLOSED = "amount_not_closed"
    CHOICE_MISMATCH = "choice_mismatch"
    DUPLICATE_FILE = "duplicate_file"
    NO_FORMS = "no_forms"
    NOT_MULTIPLE_OF_ROUNDING = "not_multiple_of_rounding"
    BAD_MONTH_WEIGHTS = "bad_month_weights"
    TARGET_MISMATCH = "target_mismatch"  # a form's month target against the targets file


SEVERITY: dict[Code, Severity] = {
    Code.UNREADABLE: Severity.ERROR,
    Code.ENCRYPTED: Severity.ERROR,
    Code.TOO_LARGE: Severity.ERROR,
    Code.UNKNOWN_FORM: Severity.ERROR,
    Code.MISSING_COLUMN: Severity.ERROR,
    Code.MISSING_HEADER: Severity.ERROR,
    Code.REQUIRED: Severity.ERROR,
    Code.BAD_TYPE: Severity.ERROR,
    Code.NOT_IN_LIST: Severity.ERROR,
    Code.OUT_OF_RANGE: Severity.ERROR,
    Code.AMOUNT_MISMATCH: Severity.ERROR,
    Code.DEPOSIT_EXCEEDS_AMOUNT: Severity.ERROR,
    Code.FOLLOWUP_BEFORE_DATE: Severity.ERROR,
    Code.DUPLICATE_ROW: Severity.WARNING,
    Code.UNKNOWN_REP: Severity.ERROR,
    Code.WRONG_PERIOD: Severity.ERROR,
    Code.FUTURE_DATE: Severity.WARNING,
    Code.PHONE_FORMAT: Severity.WARNING,
    Code.FOLLOWUP_MISSING: Severity.WARNING,
    Code.FORMULA_WITHOUT_VALUE: Severity.WARNING,
    Code.EXTRA_COLUMN: Severity.INFO,
    Code.REP_ID_NORMALISED: Severity.INFO,
    Code.AMOUNT_NOT_CLOSED: Severity.WARNING,
    Code.CHOICE_MISMATCH: Severity.WARNING,
    Code.DUPLICATE_FILE: Severity.WARNING,
    Code.NO_FORMS: Severity.WARNING,
    Code.NOT_MULTIPLE_OF_ROUNDING: Severity.ERROR,
    Code.BAD_MONTH_WEIGHTS: Severity.ERROR,
    Code.TARGET_MISMATCH: Severity.WARNING,
}


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem in one place.  `cell` is A1 or None for whole-file issues."""

    file: str
    sheet: str | None
    cell: str | None
    row: int | None
    column: str | None
    code: Code
    severity: Severity
    message_zh: str
    message_en: str
    value: Any = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of docs/issues.md (every key always present)."""
        return {
            "file": self.file,
            "sheet": self.sheet,
            "cell": self.cell,
            "row": self.row,
            "column": self.column,
            "code": self.code.value,
            "severity": self.severity.value,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
            "value": json_value(self.value),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Issue:
        """The issue back from `to_dict` (the value as JSON gave it)."""
        return cls(
            d["file"],
            d["sheet"],
            d["cell"],
            d["row"],
            d["column"],
            Code(d["code"]),
            Severity(d["severity"]),
            d["message_zh"],
            d["message_en"],
            d["value"],
        )


def make_issue(
    code: Code,
    file: str,
    message_zh: str,
    message_en: str,
    *,
    sheet: str | None = None,
    cell: str | None = None,
    row: int | None = None,
    column: str | None = None,
    value: Any = None,
    severity: Severity | None = None,
) -> Issue:
    """Build an issue with the code's standard severity unless one is given."""
    return Issue(
        file=file,
        sheet=sheet,
        cell=cell,
        row=row,
        column=column,
        code=code,
        severity=severity or SEVERITY[code],
        message_zh=message_zh,
        message_en=message_en,
        value=value,
    )


def json_value(value: Any) -> Any:
    """A JSON-safe rendering of an offending cell value."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return (
            value if value == value and value not in (float("inf"), float("-inf")) else str(value)
        )
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    return str(value)


def has_errors(issues: list[Issue]) -> bool:
    return any(i.severity is Severity.ERROR for i in issues)


def count_by_severity(issues: list[Issue]) -> dict[str, int]:
    counts = {s.value: 0 for s in Severity}
    for issue in issues:
        counts[issue.severity.value] += 1
    return counts
