"""What an import did, file by file, and the totals `salesxl import --format json` prints."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from salesxl.core.issues import Issue

__all__ = ["FileResult", "ImportResult"]


@dataclass(slots=True)
class FileResult:
    """What happened to one file."""

    path: str
    status: str  # imported | replaced | unchanged | blocked
    form_id: str | None = None
    rep_id: str | None = None
    period: str | None = None
    rows: int = 0
    skipped_rows: int = 0
    version: int | None = None
    submission_id: int | None = None
    replaced: list[int] = field(default_factory=list)  # submission ids now superseded
    issues: list[Issue] = field(default_factory=list)
    note: str = ""
    # Sales exports: rows written, current rows of the same source replaced, and kept.
    added: int | None = None
    replaced_rows: int | None = None
    kept: int | None = None
    source: str | None = None  # a sales export's --source name (None: none)
    # A rep file kept as an older version: the submission that stays current.
    stays_current: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "status": self.status,
            "form": self.form_id,
            "rep_id": self.rep_id,
            "period": self.period,
            "rows": self.rows,
            "skipped_rows": self.skipped_rows,
            "version": self.version,
            "submission_id": self.submission_id,
            "replaced": self.replaced,
            "added_rows": self.added,
            "replaced_rows": self.replaced_rows,
            "kept_rows": self.kept,
            "source": self.source,
            "stays_current": self.stays_current,
            "note": self.note,
        }


@dataclass(slots=True)
class ImportResult:
    kind: str
    files: list[FileResult]
    notes: list[Issue] = field(default_factory=list)  # files skipped inside folders

    def count(self, status: str) -> int:
        return sum(f.status == status for f in self.files)

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.files if f.status in ("imported", "replaced"))

    @property
    def issues(self) -> list[Issue]:
        return [i for f in self.files for i in f.issues] + self.notes

    @property
    def errors(self) -> int:
        return sum(i.is_error for i in self.issues)

    def to_dict(self) -> dict[str, Any]:
        """The JSON of `salesxl import --format json`."""
        return {
            "files": len(self.files),
            "imported": self.count("imported"),
            "unchanged": self.count("unchanged"),
            "replaced": self.count("replaced"),
            "blocked": self.count("blocked"),
            "rows": self.rows,
            "errors": self.errors,
            "issues": [i.to_dict() for i in self.issues],
            "results": [f.to_dict() for f in self.files],
        }
