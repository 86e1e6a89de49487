"""The issues of a table's header: which of two columns for one field is used
(`read.column_choice`), and a second header row of sub-labels the form does not know.

Pure functions of the layout the reader found and the sheet's grid.
"""

from __future__ import annotations

from salesxl.core.issues import Code, Issue, Severity, make_issue, message
from salesxl.read.column_choice import ColumnChoice
from salesxl.read.formulas import column_letters
from salesxl.read.locate import TableLayout
from salesxl.read.values import text_of
from salesxl.read.workbook import Grid

__all__ = ["cell_range_across", "choice_issue", "sub_label_issue"]


def choice_issue(path: str, layout: TableLayout, grid: Grid, choice: ColumnChoice) -> Issue:
    """Which of two or more columns for one field is used: info, or a warning when the
    other holds other figures and no rule decided (`read.column_choice`)."""
    f = layout.table.field(choice.key)
    top, header = grid.rows[layout.header_row], layout.header_row + 1
    labels = {"field_zh": f.zh, "field_en": f.en, "key": f.key}
    if choice.ambiguous and choice.rival is not None and choice.row is not None:
        used_cell, rival_cell = (
            f"{column_letters(c)}{choice.row + 1}" for c in (choice.used, choice.rival)
        )
        text = message(
            Code.COLUMN_AMBIGUOUS,
            "hidden" if choice.reason == "hidden" else "",
            used=f"{text_of(top[choice.used])} ({column_letters(choice.used)}{header})",
            rival=f"{text_of(top[choice.rival])} ({column_letters(choice.rival)}{header})",
            row=choice.row + 1,
            used_cell=used_cell,
            rival_cell=rival_cell,
            used_value=text_of(grid.value(choice.row, choice.used)) or "—",
            rival_value=text_of(grid.value(choice.row, choice.rival)) or "—",
            **labels,
        )
        code = Code.COLUMN_AMBIGUOUS
    else:
        text = message(
            Code.COLUMN_CHOSEN,
            "" if choice.reason in ("label", "first") else choice.reason,
            used=f"{text_of(top[choice.used])} ({column_letters(choice.used)})",
            others=", ".join(f"{text_of(top[c])} ({column_letters(c)})" for c in choice.others),
            **labels,
        )
        code = Code.COLUMN_CHOSEN
    return make_issue(
        code,
        path,
        *text,
        sheet=grid.name,
        cell=f"{column_letters(choice.used)}{header}",
        row=header,
        column=f.bilingual,
    )


def sub_label_issue(path: str, layout: TableLayout, grid: Grid) -> Issue:
    """A second header row whose sub-labels the form does not know: what the two rows
    say, which field a label spanning them could not give, and which are missing."""
    r = layout.header_row
    sub = r + 1
    cols = sorted({*layout.sub_labels, *layout.spanned.values()})
    parts: list[tuple[str, str]] = []
    if layout.sub_labels:
        subs = [
            f"{column_letters(c)}{sub + 1} {text_of(grid.value(sub, c))}" for c in layout.sub_labels
        ]
        parts.append(
            message(
                Code.UNKNOWN_SUB_LABELS,
                top_row=r + 1,
                sub_row=sub + 1,
                table=layout.table.sheet_name,
                top_zh="、".join(_row_labels(grid, r)),
                top_en=", ".join(_row_labels(grid, r)),
                sub_zh="、".join(subs),
                sub_en=", ".join(subs),
            )
        )
    for key, col in layout.spanned.items():
        f = layout.table.field(key)
        first, last = next(
            ((c1, c2) for (r1, c1), (r2, c2) in grid.merged if r1 == r == r2 and c1 <= col <= c2),
            (col, col),
        )
        parts.append(
            message(
                Code.UNKNOWN_SUB_LABELS,
                "spanned",
                label=text_of(grid.value(r, col)),
                cells=cell_range_across(r, first, last),
                subs_zh="、".join(text_of(grid.value(sub, c)) for c in range(first, last + 1)),
                subs_en=", ".join(text_of(grid.value(sub, c)) for c in range(first, last + 1)),
                field_zh=f.zh,
                field_en=f.en,
            )
        )
    missing = [  # required first
        f.bilingual
        for f in sorted(layout.table.fields, key=lambda f: not f.required)
        if f.key not in layout.columns
    ]
    if missing:
        shown = missing[:8] + (["…"] if len(missing) > 8 else [])
        parts.append(
            message(
                Code.UNKNOWN_SUB_LABELS,
                "expected",
                expected_zh="、".join(shown),
                expected_en=", ".join(shown),
            )
        )
    first = cols[0] if cols else 0
    return make_issue(
        Code.UNKNOWN_SUB_LABELS,
        path,
        "".join(z for z, _ in parts),
        " ".join(e for _, e in parts),
        sheet=grid.name,
        cell=f"{column_letters(first)}{sub + 1}",
        row=sub + 1,
        # a required field not read (金额 over 含税, 不含税) is an error, as its absence is
        severity=Severity.ERROR
        if any(layout.table.field(k).required for k in layout.spanned)
        else None,
    )


def cell_range_across(row: int, first: int, last: int) -> str:
    """`C4` or `C4:D4` for 0-based row and columns first..last."""
    start = f"{column_letters(first)}{row + 1}"
    return start if first == last else f"{start}:{column_letters(last)}{row + 1}"


def _row_labels(grid: Grid, row: int) -> list[str]:
    """A header row as its labels with their cells (`A4 日期, C4:E4 成交信息`): a label merged
    across columns once, with its range."""
    cells = grid.rows[row] if row < len(grid.rows) else []
    shown: list[str] = []
    c = 0
    while c < len(cells):
        value = cells[c]
        if value is None or (isinstance(value, str) and not value.strip()):
            c += 1
            continue
        end = c
        while end + 1 < len(cells) and cells[end + 1] == value and _merged_across(grid, row, c):
            end += 1
        shown.append(f"{cell_range_across(row, c, end)} {text_of(value)}")
        c = end + 1
    return shown


def _merged_across(grid: Grid, row: int, col: int) -> bool:
    return any(r1 == row and c1 <= col <= c2 and c2 > c1 for (r1, c1), (_, c2) in grid.merged)
