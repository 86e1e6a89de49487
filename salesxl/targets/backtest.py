"""Choices a unit's own history decides: the `auto` method and the Spring Festival adjustment.

`auto` holds out the unit's latest twelve months, learns each method from the
years before and measures how well it would have split the held-out year
(WAPE: the absolute monthly misses as a share of the year).  The lowest error
wins, except that seasonal — the robust default — is kept unless another
method is lower by a tenth (trend, seasonal-workdays) or a fifth (equal,
workdays, last-year, which ignore the unit's seasons): one held-out year is a
small sample.  Equal errors go to the simpler method.

The Spring Festival adjustment (`auto`) is applied where it would have split
the unit's past Januaries and Februaries better, each year predicted from the
others, than the plain seasonal index.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from salesxl.core.calendar import CalendarNotCoveredError
from salesxl.targets.calendar import Calendar
from salesxl.targets.history import Years, month_of
from salesxl.targets.profiles import method_weights, spring_pair

__all__ = ["AUTO_YEARS", "Choice", "choose_method", "spring_decision", "wape"]

AUTO_YEARS = 3  # two years to learn from, one to test on
CANDIDATES = ("equal", "workdays", "last-year", "seasonal", "seasonal-workdays", "trend")
DEFAULT = "seasonal"
MARGINS = {"trend": 0.10, "seasonal-workdays": 0.10, "equal": 0.20, "workdays": 0.20}
MARGINS |= {"last-year": 0.20, "weights": 0.20}
TIE = 1e-9


@dataclass(frozen=True, slots=True)
class Choice:
    method: str
    errors: dict[str, float]  # method -> backtest WAPE

    def describe(self) -> str:
        others = ", ".join(f"{m} {e:.1%}" for m, e in self.errors.items() if m != self.method)
        return f"auto chose {self.method} (backtest WAPE {self.errors[self.method]:.1%}; {others})"


def wape(weights: Sequence[float], actual: Sequence[float]) -> float:
    """Weighted absolute percentage error of splitting sum(actual) by `weights`."""
    total, scale = math.fsum(actual), math.fsum(weights)
    if total <= 0 or scale <= 0:
        return math.inf
    return (
        math.fsum(abs(total * w / scale - a) for w, a in zip(weights, actual, strict=True)) / total
    )


def choose_method(
    years: Years, calendar: Calendar, month_weights: Sequence[float] | None = None
) -> Choice | None:
    """The best method for this history; None when it is too short to test (< AUTO_YEARS)."""
    if len(years) < AUTO_YEARS:
        return None
    held_out = years.windows[0]
    held_months = held_out.months
    train = Years(years.windows[1:])
    candidates = list(CANDIDATES) + (["weights"] if month_weights else [])
    errors: dict[str, float] = {}
    for method in candidates:
        try:
            weights = method_weights(method, train, held_months, calendar, month_weights)
        except CalendarNotCoveredError:
            continue
        if weights is not None:
            errors[method] = wape(weights, held_out.values)
    best = DEFAULT if DEFAULT in errors else min(errors, key=errors.__getitem__)
    for method in candidates:  # simplest first
        if method not in errors or method == best:
            continue
        error, incumbent = errors[method], errors[best]
        simpler = candidates.index(method) < candidates.index(best)
        if (simpler and abs(error - incumbent) <= TIE) or (
            error < incumbent * (1 - MARGINS.get(method, 0.0)) - TIE
        ):
            best = method
    return Choice(best, errors)


def spring_decision(years: Years, calendar: Calendar) -> tuple[bool, str]:
    """Apply the Spring Festival adjustment to this unit?  With the reason, for 说明."""
    positions = [o % 12 for o in years.windows[0].ordinals] if years.windows else []
    if len(years) < 2 or 0 not in positions or 1 not in positions:
        return False, "not applied: needs two years of history to test"
    k1, k2 = positions.index(0), positions.index(1)  # January's and February's places
    per_day = [
        (
            w.values[k1] / calendar.size_at(w.ordinals[k1], "days"),
            w.values[k2] / calendar.size_at(w.ordinals[k2], "days"),
        )
        for w in years.windows
    ]
    plain = adjusted = 0.0
    for i, window in enumerate(years.windows):
        jan, feb = window.values[k1], window.values[k2]
        if jan + feb <= 0:
            continue
        actual = jan / (jan + feb)
        # The seasonal index's view (per day), learnt from the other years.
        others = [p for j, p in enumerate(per_day) if j != i and sum(p) > 0]
        if not others:
            continue
        a = sum(p[0] for p in others) / len(others) * calendar.size_at(window.ordinals[k1], "days")
        b = sum(p[1] for p in others) / len(others) * calendar.size_at(window.ordinals[k2], "days")
        plain += abs(a / (a + b) - actual) if a + b > 0 else 1.0
        share, _, _ = spring_pair(
            month_of(window.ordinals[k1]), month_of(window.ordinals[k2]), calendar
        )
        adjusted += abs(share - actual)
    applied = adjusted < plain - TIE
    verdict = "applied" if applied else "not applied"
    return applied, (
        f"{verdict}: it misses the past January/February split by {adjusted:.1%} against "
        f"{plain:.1%} without (summed over {len(years)} years)"
    )
