"""salesxl: a sales team's Excel paperwork, validated, combined and written back.

The public API: form descriptions (`salesxl.forms`), reading and validating
files (`load_form`, `load_forms`, `collect_files`), issues (`Issue`, `Code`).
Each stage of the pipeline is a package of its own (see docs/architecture.md):
core, forms, read, validate, intake, store, write, targets, consolidate,
excel, cli, demo.
"""

from __future__ import annotations

from salesxl.core.issues import Code, Issue, Severity
from salesxl.core.periods import Month, Week
from salesxl.core.version import __version__
from salesxl.intake.files import collect_files, load_form, load_forms
from salesxl.validate import FormData, TableData, ValidationContext

__all__ = [
    "Code",
    "FormData",
    "Issue",
    "Month",
    "Severity",
    "TableData",
    "ValidationContext",
    "Week",
    "__version__",
    "collect_files",
    "load_form",
    "load_forms",
]
