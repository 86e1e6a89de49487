"""Which column is a field when two or more could be (two 金额 Amount columns, 销售额 and
Gross Sales) (docs/forms.md, "Forms reference").

Exports from other systems repeat labels: a hidden 金额 of zeros next to the
visible 金额 with the real amounts.  The column used is, in this order: a
mapped one (`--map`); a visible one over a hidden one; one with figures over
one that is blank or all zero; the closer label (the earlier spelling of the
field); the first.  The others are kept as extra columns.  When an unused
column holds other figures and only the column order (or a visible column
without figures) decided, the choice is a guess and says so as a warning
(`column_ambiguous`); otherwise it is info (`column_chosen`).

Only tables with such columns pay for this: their columns are read once here,
and the sheet's hidden columns are looked up only then.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from salesxl.forms import Field, FieldType
from salesxl.read.values import norm_label, parse_number
from salesxl.read.workbook import Grid

__all__ = ["ColumnChoice", "choose_column"]

_NUMERIC = frozenset({FieldType.NUMBER, FieldType.MONEY, FieldType.INTEGER, FieldType.PERCENT})
# A number column's cell that holds no figure: blank, 0, 0.00, `-` (accounting zero).
_ZERO_TEXT = re.compile(r"\s*(?:[-+]?0*(?:[.,]0*)?|[-—–])\s*")


@dataclass(frozen=True, slots=True)
class ColumnChoice:
    """Two or more columns could be one field: `used` is, the `others` are kept as extras.

    `reason` says what decided against the runner-up: "label" (the closer label or a
    mapping), "hidden" (it is hidden), "empty" (it is blank or all zero), "same" (it
    holds the same figures) or "first" (nothing but the order).  `ambiguous` when an
    unused column (`rival`) holds other figures than the used one, first differing in
    0-based row `row`: a warning, not info.
    """

    key: str
    used: int  # 0-based column
    others: tuple[int, ...]
    reason: str = "label"
    ambiguous: bool = False
    rival: int | None = None
    row: int | None = None


@dataclass(frozen=True, slots=True)
class _Option:
    col: int
    rank: int  # -1 mapped, else the label's place among the field's labels
    hidden: bool
    figures: tuple[tuple[int, Any], ...]  # (0-based row, value) of the cells with a figure

    @property
    def order(self) -> tuple[bool, bool, int, int]:
        return (self.hidden, not self.figures, self.rank, self.col)


def choose_column(
    f: Field,
    options: Sequence[tuple[int, int]],
    grid: Grid,
    header_row: int,
    hidden_columns: Callable[[], tuple[tuple[int, int], ...]],
) -> ColumnChoice:
    """The column used for `f` among `options` ((rank, column), two or more)."""
    hidden = hidden_columns()
    numeric = f.type in _NUMERIC
    ranked = sorted(
        (
            _Option(
                col,
                rank,
                any(first <= col <= last for first, last in hidden),
                _figures(grid, col, header_row, numeric),
            )
            for rank, col in options
        ),
        key=lambda o: o.order,
    )
    used, runner_up = ranked[0], ranked[1]
    rival = next((o for o in ranked[1:] if _guessed(used, o)), None)
    return ColumnChoice(
        f.key,
        used.col,
        tuple(sorted(o.col for o in ranked[1:])),
        _reason(used, rival or runner_up),
        rival is not None,
        None if rival is None else rival.col,
        None if rival is None else _first_difference(used, rival),
    )


def _figures(grid: Grid, col: int, header_row: int, numeric: bool) -> tuple[tuple[int, Any], ...]:
    """The cells below the header holding something (for a number, other than zero); a label
    merged down over a second header row is not a figure."""
    label = norm_label(grid.value(header_row, col))
    found = []
    for r in range(header_row + 1, len(grid.rows)):
        value = grid.value(r, col)
        if value is None or value == "":
            continue
        if isinstance(value, str):
            if not value.strip() or (numeric and _ZERO_TEXT.fullmatch(value)):
                continue
            if norm_label(value) == label:
                continue
            value = _number_or_text(value) if numeric else value.strip()
        elif numeric and not isinstance(value, bool) and value == 0:
            continue
        found.append((r, value))
    return tuple(found)


def _number_or_text(value: str) -> Any:
    """`3,000` and `3000` are the same figure in two columns; text that is no number stays."""
    try:
        return parse_number(value)
    except ValueError:
        return value.strip()


def _guessed(used: _Option, other: _Option) -> bool:
    """Whether `other` holds figures of its own that a rule did not rule out: visible over
    hidden and the closer label decide only for a used column with figures."""
    if not other.figures or other.figures == used.figures:
        return False
    if not used.figures:
        return True  # a visible column without figures over a hidden one with them
    if other.hidden and not used.hidden:
        return False
    return other.rank <= used.rank


def _reason(used: _Option, other: _Option) -> str:
    if other.hidden and not used.hidden:
        return "hidden"
    if not other.figures:
        return "empty"
    if used.rank < other.rank:
        return "label"
    if used.figures == other.figures:
        return "same"
    return "first"


def _first_difference(used: _Option, rival: _Option) -> int:
    a, b = dict(used.figures), dict(rival.figures)
    return min(r for r in a.keys() | b.keys() if a.get(r) != b.get(r))
