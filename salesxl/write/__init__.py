"""Writing workbooks: the shared xlsx helpers, blank templates, issued forms, the forms docs.

The summary workbook is written by `salesxl.consolidate.workbook` and the
targets workbook by `salesxl.targets.workbook`; both use `salesxl.write.xlsx`.
"""
