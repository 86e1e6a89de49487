"""The manager's Excel workbook: its buttons' entry points, settings, builder and VBA.

The workbook's buttons run `RunPython "import salesxl.excel; salesxl.excel.<name>()"`,
so these names are the workbook's contract: `consolidate`, `validate`, `split_targets`,
`return_copies`.
The adapter behind them is `salesxl.excel.adapter`; the settings sheet is described in
`salesxl.excel.settings`; `salesxl.excel.builder` writes the .xlsm with its VBA project
(`salesxl.excel.vba`).
"""

from __future__ import annotations

from salesxl.excel.adapter import consolidate, return_copies, split_targets, validate

__all__ = ["consolidate", "return_copies", "split_targets", "validate"]
