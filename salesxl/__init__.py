"""salesxl: a sales team's Excel paperwork, validated, combined and written back.

The public API: form descriptions (`salesxl.forms`), reading and validating
files (`load_form`, `load_forms`, `collect_files`), issues (`Issue`, `Code`).
Later stages — consolidation, targets, the store, the Excel adapter — are
modules of their own that build on these.
"""

from __future__ import annotations

__version__ = "0.1.0"

from salesxl.issues import Code, Issue, Severity
from salesxl.load import collect_files, load_form, load_forms
from salesxl.periods import Month, Week
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
