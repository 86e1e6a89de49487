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

from salesxl.periods import Month

__all__ = ["MAX_FILLED", "Window", "Years", "recent_years"]

MAX_FILLED = 3  # months a window may borrow and still count as a year
MAX_YEARS = 10


@dataclass(frozen=True, slots=True)
class Window:
    """Twelve months of history in the plan's fiscal order."""

    months: tuple[Month, ...]  # the history month at each fiscal position
    values: tuple[float, ...]

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


def _last_month(history: Mapping[Month, float], before: Month) -> Month | None:
    months = [m for m, v in history.items() if m < before and v is not None]
    return max(months) if months else None


def recent_years(
    history: Mapping[Month, float] | None, months: Sequence[Month], max_years: int = MAX_YEARS
) -> Years:
    """The twelve-month windows of `history` before `months` (the plan year), latest first."""
    if not history:
        return Years([])
    last = _last_month(history, months[0])
    if last is None:
        return Years([])
    start = months[0].month
    windows: list[Window] = []
    filled: list[tuple[Month, Month]] = []
    for back in range(max_years):
        end = last.shift(-12 * back)
        span = [end.shift(-k) for k in range(11, -1, -1)]
        present = [m for m in span if history.get(m) is not None]
        if not present:
            break
        by_position: dict[int, Month] = {(m.month - start) % 12: m for m in span}
        values: list[float] = []
        borrowed: list[tuple[Month, Month]] = []
        for k in range(12):
            month = by_position[k]
            value = history.get(month)
            if value is None:
                source = next(
                    (
                        s
                        for s in (month.shift(-12), month.shift(12))
                        if s <= last and history.get(s) is not None
                    ),
                    None,
                )
                if source is None:
                    break
                value = history[source]
                borrowed.append((month, source))
            values.append(float(value))
        if len(values) < 12 or len(borrowed) > MAX_FILLED or math.fsum(values) <= 0:
            continue  # an incomplete year: older complete ones may still be used
        windows.append(Window(tuple(by_position[k] for k in range(12)), tuple(values)))
        filled += borrowed
    return Years(windows, filled)
