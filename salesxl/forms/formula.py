"""The formulas a form declares for its computed columns, and the values they give.

A computed column (日清 今日成交) is declared as an Excel formula with
placeholders: `{col:table.field}` is that table's whole input column,
`{cell:field}` is this row's cell of the same table, and
`{choice:table.field=code}` is a criterion matching every way a cell can name
that choice (`7`, `成交`, `7 成交`, `Closed won`: the template lists them in
its `_lists` sheet).  The template writer turns the placeholders into ranges
(`render`); `evaluate` works the formula out for the rows salesxl writes
itself, so the value cached in the file next to the formula is the formula's
own — what Excel or LibreOffice would show — and not a second computation
that could drift from it.

Only what the descriptions use is understood, and anything else is refused
when the forms are loaded: `SUM(column)` and `SUMIFS(column, column,
criterion, ...)` with criteria that are a cell of the row or a choice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "Formula",
    "Ref",
    "Spellings",
    "count_text",
    "evaluate",
    "evaluator",
    "parse",
    "render",
    "render_text_count",
]

_PLACEHOLDER = re.compile(r"\{(col|cell|choice):([a-z_]+)(?:\.([a-z_]+))?(?:=([A-Za-z0-9_-]+))?\}")
_CALL = re.compile(r"^([A-Z]+)\((.*)\)$")
_FUNCTIONS = ("SUM", "SUMIFS")


@dataclass(frozen=True, slots=True)
class Ref:
    """One placeholder: a whole column of a table, a cell of the formula's own row, or a
    choice of a table's column (its spellings, as a criterion)."""

    kind: str  # "col", "cell" or "choice"
    table: str | None  # the table of a column or choice; None for a cell of the row
    field: str
    code: str | None = None  # the choice's code

    @property
    def column(self) -> tuple[str, str]:
        """(table, field) of a column placeholder."""
        if self.table is None:
            raise ValueError(f"{{cell:{self.field}}} is a cell, not a column")
        return self.table, self.field


# The texts that name a choice: (table, field, code) -> the spellings (code, labels, ...).
Spellings = Callable[[Ref], Collection[str]]


@dataclass(frozen=True, slots=True)
class Formula:
    function: str
    args: tuple[Ref, ...]

    @property
    def choices(self) -> tuple[Ref, ...]:
        return tuple(a for a in self.args if a.kind == "choice")


def _ref(match: re.Match[str]) -> Ref:
    kind, first, second, code = match.groups()
    if kind == "choice":
        if second is None or code is None:
            raise ValueError(
                f"{match.group()} needs a column and a code: {{choice:table.field=code}}"
            )
        return Ref(kind, first, second, code)
    if code is not None:
        raise ValueError(f"{match.group()}: only a choice has a code")
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
    columns, criteria = args[1::2], args[2::2]
    if function == "SUM":
        fits = len(args) == 1 and args[0].kind == "col"
    else:  # SUMIFS(sum column, criteria column, criterion, ...), all of one table
        fits = (
            len(args) >= 3
            and len(args) % 2 == 1
            and all(a.kind == "col" and a.table == args[0].table for a in (args[0], *columns))
            and all(
                c.kind == "cell" or (c.kind == "choice" and (c.table, c.field) == col.column)
                for col, c in zip(columns, criteria, strict=True)
            )
        )
    if not fits:
        raise ValueError(
            f"formula {text!r}: use SUM({{col:table.field}}) or SUMIFS({{col:table.field}}, "
            "{col:table.field}, {cell:field} or {choice:table.field=code}, ...) with the "
            "columns of one table"
        )
    return Formula(function, tuple(args))


def render(text: str, resolve: Callable[[Ref], str]) -> str:
    """The formula with each placeholder replaced by `resolve(ref)` (a range or a cell).

    A choice criterion is a range of spellings, so SUMIFS gives one sum per spelling:
    SUMPRODUCT adds them up (without Ctrl+Shift+Enter, in Excel and LibreOffice alike).
    """
    rendered = _PLACEHOLDER.sub(lambda m: resolve(_ref(m)), text)
    return f"SUMPRODUCT({rendered})" if parse(text).choices else rendered


def render_text_count(text: str, resolve: Callable[[Ref], str]) -> str:
    """A formula counting the rows `text` selects whose summed cell holds text (`1.2万`):
    the amounts a spreadsheet leaves out of the sum.  ISTEXT rather than a "?*"
    criterion, which LibreOffice lets match numbers too."""
    formula = parse(text)
    summed = formula.args[0]
    tests = [f"ISTEXT({resolve(summed)})"]
    for column, criterion in zip(formula.args[1::2], formula.args[2::2], strict=True):
        if criterion.kind == "choice":
            tests.append(f"ISNUMBER(MATCH({resolve(column)},{resolve(criterion)},0))")
        else:
            tests.append(f"({resolve(column)}={resolve(criterion)})")
    return f"SUMPRODUCT({'*'.join(tests)})"


def _number(value: Any) -> float:
    """What SUM adds of a cell: numbers; text and empty cells count nothing."""
    return value if isinstance(value, (int, float)) else 0


def _selected(
    formula: Formula,
    record: Mapping[str, Any],
    tables: Mapping[str, Sequence[Mapping[str, Any]]],
    spellings: Spellings | None,
) -> list[Mapping[str, Any]]:
    """The rows a SUMIFS counts: each criterion column equals the row's criterion cell, or
    names the criterion's choice (compared as text ignoring case, as a spreadsheet does)."""
    summed = formula.args[0]
    assert summed.table is not None
    rows = list(tables.get(summed.table, ()))
    for column, criterion in zip(formula.args[1::2], formula.args[2::2], strict=True):
        key = column.field
        if criterion.kind == "choice":
            if spellings is None:
                raise ValueError(f"{criterion} needs the choice's spellings")
            names = {str(s).casefold() for s in spellings(criterion)}
            rows = [r for r in rows if r.get(key) is not None and str(r[key]).casefold() in names]
        else:
            wanted = record.get(criterion.field)
            rows = [r for r in rows if r.get(key) == wanted]
    return rows


def evaluate(
    text: str,
    record: Mapping[str, Any],
    tables: Mapping[str, Sequence[Mapping[str, Any]]],
    spellings: Spellings | None = None,
) -> float:
    """The value of the formula on the row `record`, over the rows of `tables` (table key -> rows).

    Rows are records as salesxl writes them (field key -> value; a choice as its code,
    written as its label).  A SUMIFS row counts when each criterion holds;
    `spellings` gives the texts that name a choice criterion's choice.
    """
    formula = parse(text)
    rows = _selected(formula, record, tables, spellings)
    return float(sum(_number(r.get(formula.args[0].field)) for r in rows))


def evaluator(
    text: str,
    tables: Mapping[str, Sequence[Mapping[str, Any]]],
    spellings: Spellings | None = None,
) -> Callable[[Mapping[str, Any]], float]:
    """`evaluate` for many rows over the same `tables`: the rows the choice criteria select
    are summed once per value of the row's criterion cells (a month's 日清 rows over its
    日报 rows: one pass, not one per day)."""
    formula = parse(text)
    summed = formula.args[0]
    pairs = list(zip(formula.args[1::2], formula.args[2::2], strict=True))
    keep = Formula(
        formula.function, (summed, *(a for p in pairs if p[1].kind == "choice" for a in p))
    )
    rows = _selected(keep, {}, tables, spellings)
    by_cell = [
        (column.field, criterion.field) for column, criterion in pairs if criterion.kind == "cell"
    ]
    totals: dict[tuple[Any, ...], float] = {}
    for r in rows:
        key = tuple(r.get(column) for column, _ in by_cell)
        totals[key] = totals.get(key, 0.0) + _number(r.get(summed.field))

    def value(record: Mapping[str, Any]) -> float:
        return float(totals.get(tuple(record.get(cell) for _, cell in by_cell), 0.0))

    return value


def count_text(
    text: str,
    record: Mapping[str, Any],
    tables: Mapping[str, Sequence[Mapping[str, Any]]],
    spellings: Spellings | None = None,
) -> int:
    """What `render_text_count` gives: the selected rows whose summed value is text."""
    formula = parse(text)
    field = formula.args[0].field
    rows = _selected(formula, record, tables, spellings)
    return sum(1 for r in rows if isinstance(r.get(field), str) and r[field])
