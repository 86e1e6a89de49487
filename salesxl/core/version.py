"""The salesxl release (the package metadata and every generated workbook carry it)."""

__version__ = "0.1.0"
