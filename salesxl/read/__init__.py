"""Reading (README.md "Forms"): open files safely as grids, then locate forms in them."""

from __future__ import annotations

from salesxl.read.locate import HeaderCell, Layout, TableLayout, locate
from salesxl.read.workbook import SPREADSHEET_SUFFIXES, Book, Grid, Limits, ReadError, open_book

__all__ = [
    "SPREADSHEET_SUFFIXES",
    "Book",
    "Grid",
    "HeaderCell",
    "Layout",
    "Limits",
    "ReadError",
    "TableLayout",
    "locate",
    "open_book",
]
