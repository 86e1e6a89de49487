"""salesxl: a sales team's Excel paperwork, validated, combined and written back.

The public API: form descriptions (`salesxl.forms`) and the names of forms,
tables and fields (`FormId`, `TableKey`, `Role`), reading and validating files
(`load_form`, `load_forms`, `collect_files`), issues (`Issue`, `Code`,
`issue_report`).
Each stage of the pipeline is a package of its own (see docs/architecture.md):
core, forms, read, validate, intake, store, write, targets, consolidate,
excel, cli, demo.
"""

from __future__ import annotations

from salesxl.core.issues import Code, Issue, Severity, issue_report
from salesxl.core.periods import Month, Week
from salesxl.core.version import __version__
from salesxl.forms import FormId, Role, TableKey
from salesxl.intake.files import collect_files, load_form, load_forms
from salesxl.validate import FormData, TableData, ValidationContext

__all__ = [
    "Code",
    "FormData",
    "FormId",
    "Issue",
    "Month",
    "Role",
    "Severity",
    "TableData",
    "TableKey",
    "ValidationContext",
    "Week",
    "__version__",
    "collect_files",
    "issue_report",
    "load_form",
    "load_forms",
]
