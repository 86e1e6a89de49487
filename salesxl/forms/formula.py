"""The formulas a form declares for its computed columns, and the values they give.

A computed column (日清 今日成交) is declared as an Excel formula with
placeholders: `{col:table.field}` is that table's whole input column and
`{cell:field}` is this row's cell of the same table.  The template writer
turns the placeholders into ranges (`render`); `evaluate` works the formula
out for the rows salesxl writes itself, so the value cached in the file next
to the formula is the formula's own — what Excel or LibreOffice would show —
and not a second computation that could drift from it.

Only what the descriptions use is understood, and anything else is refused
when the forms are loaded: `SUM(column)` and `SUMIFS(column, column,
criterion, ...)` with criteria that are equal to a cell of the row.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Formula", "Ref", "evaluate", "parse", "render"]

_PLACEHOLDER = re.compile(r"\{(col|cell):([a-z_]+)(?:\.([a-z_]+))?\}")
_CALL = re.compile(r"^([A-Z]+)\((.*)\)$")
_FUNCTIONS = ("SUM", "SUMIFS")


@dataclass(frozen=True, slots=True)
class Ref:
    """One placeholder: a whole column of a table, or a cell of the formula's own row."""

    kind: str  # "col" or "cell"
    table: str | None  # the table of a column; None for a cell of the row
    field: str

    @property
    def column(self) -> tuple[str, str]:
        """(table, field) of a column placeholder."""
        if self.table is None:
            raise ValueError(f"{{cell:{self.field}}} is a cell, not a column")
        return self.table, self.field


@dataclass(frozen=True, slots=True)
class Formula:
    function: str
    args: tuple[Ref, ...]


def _ref(match: re.Match[str]) -> Ref:
    kind, first, second = match.groups()
    if kind == "col":
        if second is None:
            raise ValueError(f"{match.group()} needs a table: {{col:table.field}}")
        return Ref(kind, first, second)
    if second is not None:
        raise ValueError(f"{match.group()} is a cell of the row: {{cell:field}}")
    return Ref(kind, None, first)


def parse(text: str) -> Formula:
    """The function and placeholders of a declared formula; ValueError for anything else."""
    call = _CALL.match(text.strip())
    if call is None or call.group(1) not in _FUNCTIONS:
        raise ValueError(f"unsupported formula {text!r}: use one of {', '.join(_FUNCTIONS)}")
    function, inner = call.groups()
    args = []
    for part in inner.split(","):
        match = _PLACEHOLDER.fullmatch(part.strip())
        if match is None:
            raise ValueError(f"formula {text!r}: argument {part!r} is not a placeholder")
        args.append(_ref(match))
    columns, cells = args[1::2], args[2::2]
    if function == "SUM":
        fits = len(args) == 1 and args[0].kind == "col"
    else:  # SUMIFS(sum column, criteria column, criterion cell, ...), all of one table
        fits = (
            len(args) >= 3
            and len(args) % 2 == 1
            and all(a.kind == "col" and a.table == args[0].table for a in (args[0], *columns))
            and all(a.kind == "cell" for a in cells)
        )
    if not fits:
        raise ValueError(
            f"formula {text!r}: use SUM({{col:table.field}}) or SUMIFS({{col:table.field}}, "
            "{col:table.field}, {cell:field}, ...) with the columns of one table"
        )
    return Formula(function, tuple(args))


def render(text: str, resolve: Callable[[Ref], str]) -> str:
    """The formula with each placeholder replaced by `resolve(ref)` (a range or a cell)."""
    return _PLACEHOLDER.sub(lambda m: resolve(_ref(m)), text)


def _number(value: Any) -> float:
    """What SUM adds of a cell: numbers; text and empty cells count nothing."""
    return value if isinstance(value, (int, float)) else 0


def evaluate(
    text: str,
    record: Mapping[str, Any],
    tables: Mapping[str, Sequence[Mapping[str, Any]]],
) -> float:
    """The value of the formula on the row `record`, over the rows of `tables` (table key -> rows).

    Rows are records as salesxl writes them (field key -> value).  A SUMIFS
    row counts when each criterion column equals the row's criterion cell.
    """
    formula = parse(text)
    summed = formula.args[0]
    assert summed.table is not None
    rows = tables.get(summed.table, ())
    if formula.function == "SUMIFS":
        pairs = list(zip(formula.args[1::2], formula.args[2::2], strict=True))
        wanted = [(column.field, record.get(cell.field)) for column, cell in pairs]
        rows = [r for r in rows if all(r.get(key) == value for key, value in wanted)]
    return float(sum(_number(r.get(summed.field)) for r in rows))
