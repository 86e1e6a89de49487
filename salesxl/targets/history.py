"""A unit's sales history as twelve-month windows, latest first (the years a profile learns from).

Windows end at the last month with history before the plan year, whatever
calendar year that is: planning 2027 in December 2026 with sales to November
2026 uses December 2025 – November 2026 and the twelve months before.  Each
window is laid out in the plan's fiscal order by calendar month.  A month
missing from a window is taken from the same month a year earlier (or, for
the oldest window, a year later) and reported; a window missing more than
`MAX_FILLED` months is not used.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from salesxl.core.periods import Month

__all__ = ["MAX_FILLED", "Window", "Years", "by_ordinal", "month_of", "ordinal", "recent_years"]

MAX_FILLED = 3  # months a window may borrow and still count as a year
MAX_YEARS = 10


def ordinal(month: Month) -> int:
    """Months as consecutive integers: cheap to hash, subtract and compare."""
    return month.year * 12 + month.month - 1


def month_of(value: int) -> Month:
    return Month(value // 12, value % 12 + 1)


@dataclass(frozen=True, slots=True)
class Window:
    """Twelve months of history in the plan's fiscal order."""

    ordinals: tuple[int, ...]  # the history month at each fiscal position (see `ordinal`)
    values: tuple[float, ...]

    @property
    def months(self) -> tuple[Month, ...]:
        return tuple(month_of(o) for o in self.ordinals)

    @property
    def total(self) -> float:
        return math.fsum(self.values)


@dataclass(frozen=True, slots=True)
class Years:
    windows: list[Window]  # latest first
    filled: list[tuple[Month, Month]] = field(default_factory=list)  # (missing, taken from)

    def __len__(self) -> int:
        return len(self.windows)

    @property
    def values(self) -> list[list[float]]:
        return [list(w.values) for w in self.windows]


def by_ordinal(history: Mapping[Month, float] | Mapping[int, float]) -> dict[int, float]:
    """A series keyed by month ordinals."""
    out: dict[int, float] = {}
    for key, value in history.items():
        out[key if isinstance(key, int) else ordinal(key)] = value
    return out


def recent_years(
    history: Mapping[Month, float] | Mapping[int, float] | None,
    months: Sequence[Month],
    max_years: int = MAX_YEARS,
) -> Years:
    """The twelve-month windows of `history` before `months` (the plan year), latest first."""
    if not history:
        return Years([])
    series = by_ordinal(history)
    plan = ordinal(months[0])
    last = max((o for o, v in series.items() if o < plan and v is not None), default=None)
    if last is None:
        return Years([])
    shift = months[0].month - 1  # fiscal position of an ordinal: (o - shift) % 12
    windows: list[Window] = []
    filled: list[tuple[Month, Month]] = []
    for back in range(max_years):
        end = last - 12 * back
        found = [series.get(o) for o in range(end - 11, end + 1)]
        if not any(v is not None for v in found):
            break
        first = (end - 11 - shift) % 12  # the fiscal position of the window's first month
        order = [(k - first) % 12 for k in range(12)]  # fiscal position -> index in `found`
        values: list[float] = []
        borrowed: list[tuple[Month, Month]] = []
        for k in range(12):
            o = end - 11 + order[k]
            value = found[order[k]]
            if value is None:
                source = next(
                    (s for s in (o - 12, o + 12) if s <= last and series.get(s) is not None),
                    None,
                )
                if source is None:
                    break
                value = series[source]
                borrowed.append((month_of(o), month_of(source)))
            values.append(float(value))
        if len(values) < 12 or len(borrowed) > MAX_FILLED or math.fsum(values) <= 0:
            continue  # an incomplete year: older complete ones may still be used
        windows.append(Window(tuple(end - 11 + order[k] for k in range(12)), tuple(values)))
        filled += borrowed
    return Years(windows, filled)
