"""Issues are data: every problem found in a file, with its place and a fix.

Validation never prints or raises mid-way; it returns a list of `Issue`
records.  Codes are a stable enum shared by the tests, the JSON output of
`salesxl validate` and the summary's Issues sheet; what each means, its
severity and its messages are in `salesxl.core.catalogue`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from salesxl.core.catalogue import CATALOGUE, message
from salesxl.core.codes import SEVERITY_LABELS, Code, Severity

__all__ = [
    "SEVERITY",
    "SEVERITY_LABELS",
    "Code",
    "Issue",
    "Severity",
    "count_by_severity",
    "has_errors",
    "issue_report",
    "make_issue",
    "message",
]


# The standard severity of each code (from the catalogue).
SEVERITY: dict[Code, Severity] = {code: entry.severity for code, entry in CATALOGUE.items()}


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
        """The JSON shape of an issue (every key always present)."""
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
        severity=severity or CATALOGUE[code].severity,
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


def has_errors(issues: Iterable[Issue]) -> bool:
    return any(i.severity is Severity.ERROR for i in issues)


def count_by_severity(issues: Iterable[Issue]) -> dict[str, int]:
    counts = {s.value: 0 for s in Severity}
    for issue in issues:
        counts[issue.severity.value] += 1
    return counts


def issue_report(issues: Sequence[Issue], files: Sequence[str]) -> dict[str, Any]:
    """A check's outcome for scripts: valid or not, counts, and every issue (JSON-ready).

    `valid` is true when no issue is an error.  `stats` counts the files
    checked (and those with errors), the issues by severity and by code.
    """
    checked = list(dict.fromkeys(files))
    with_errors = {i.file for i in issues if i.is_error}
    return {
        "valid": not has_errors(issues),
        "stats": {
            "files": len(checked),
            "files_with_errors": len(with_errors & set(checked)),
            "issues": len(issues),
            "by_severity": count_by_severity(issues),
            "by_code": dict(sorted(Counter(i.code.value for i in issues).items())),
        },
        "issues": [i.to_dict() for i in issues],
    }
