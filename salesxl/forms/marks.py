"""Sheets salesxl adds to a rep's own workbook that are never form data.

A blank form (template) carries a 说明 Instructions sheet of the rules: the
reader does not look for the form's tables there in a workbook that carries
the template's mark (`INSTRUCTIONS_NAMES`).

A return copy 退回件 (`salesxl return`) is the rep's workbook with each
problem cell marked and a 待修改 To fix sheet put first, listing the
problems with links to their cells.  The rep corrects the cells and sends
the workbook back as an ordinary form: the reader skips the To fix sheet,
so its lines are never taken for records and its links never for errors.
"""

from __future__ import annotations

__all__ = ["INSTRUCTIONS_NAMES", "MARKS_AUTHOR", "TO_FIX_NAMES", "TO_FIX_SHEET"]

TO_FIX_ZH, TO_FIX_EN = "待修改", "To fix"
TO_FIX_SHEET = f"{TO_FIX_ZH} {TO_FIX_EN}"
# Every name the sheet may carry: bilingual, either language alone (an English return copy).
TO_FIX_NAMES = (TO_FIX_SHEET, TO_FIX_ZH, TO_FIX_EN, f"{TO_FIX_ZH}{TO_FIX_EN}")
# The template's instructions sheet, as the Chinese and the English template name it.
INSTRUCTIONS_NAMES = ("说明 Instructions", "Instructions")
# The author of the cell comments (批注) a return copy adds; a later return replaces them.
MARKS_AUTHOR = "salesxl"
