"""Validation: a located form checked cell by cell, every issue collected in one pass.

`check_layout` (in `form`) checks the header block and runs one `TableChecker`
(in `rows`) per table; the result is a `FormData` (in `model`).
"""

from __future__ import annotations

from salesxl.validate.form import check_layout
from salesxl.validate.model import FormData, TableData, ValidationContext

__all__ = ["FormData", "TableData", "ValidationContext", "check_layout"]
