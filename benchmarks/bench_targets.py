"""Target breakdown: speed at 5,000 units × 12 months, and accuracy on real seasonal sales.

    python benchmarks/bench_targets.py

Prints JSON: seconds to split a 5,000-unit organisation (company, regions,
teams, reps, three years of history each, seasonal method) — the engine alone
and file to file (read targets_input.xlsx, split, write targets.xlsx) — and a
500 units × 20 products case; seconds to issue forms for 1,000 reps; and, on
the Australian wine sales series shipped with pmdarima (`pip install pmdarima`),
how well each method splits a year it was not trained on: WAPE of the monthly
split, trained on the three years before, averaged over the years 1983-1993.
README.md "Speed": split 5,000 units × 12 months in ≤ 5 s; issue 1,000 forms in ≤ 60 s.
"""

from __future__ import annotations

import json
import math
import random
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from salesxl.core.calendar import Workdays
from salesxl.core.people import Rep, Roster
from salesxl.core.periods import Month
from salesxl.forms import TARGETS_INPUT
from salesxl.targets import Settings, TargetsInput, UnitSpec, split_file, split_targets
from salesxl.targets.profiles import fiscal_months, monthly_profile
from salesxl.write.issued import issue_forms
from salesxl.write.templates import write_form


def organisation(reps: int, products: int = 0, seed: int = 1) -> TargetsInput:
    rng = random.Random(seed)
    units = [UnitSpec("company", "HQ", annual=Decimal(reps * 1_200_000))]
    regions = max(1, reps // 500)
    teams = max(1, reps // 50)
    units += [UnitSpec("region", f"R{r}", "HQ") for r in range(regions)]
    units += [UnitSpec("team", f"T{t}", f"R{t % regions}") for t in range(teams)]
    history = []
    for i in range(reps - 1 - regions - teams if not products else reps):
        rep = f"S{i:05d}"
        units.append(UnitSpec("rep", rep, f"T{i % teams}"))
        base = rng.uniform(50_000, 150_000)
        for year in (2023, 2024, 2025):
            for m in range(1, 13):
                history.append(
                    (
                        rep,
                        None,
                        Month(year, m),
                        base * (1 + 0.3 * math.sin(m / 2)) * rng.uniform(0.9, 1.1),
                    )
                )
        for p in range(products):
            units.append(UnitSpec("rep", rep, f"T{i % teams}", product=f"P{p:02d}"))
    return TargetsInput(Settings(2026, rounding=Decimal(100)), units, history)


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def speed() -> dict[str, float]:
    out: dict[str, float] = {}
    big = organisation(5000)
    seconds, split = timed(lambda: split_targets(big))
    out["split_5000_units_engine_s"] = round(seconds, 3)
    out["units"] = sum(1 for p in split.plans if p.product is None)
    products = organisation(500, products=20)
    seconds, _ = timed(lambda: split_targets(products))
    out["split_500_units_x_20_products_engine_s"] = round(seconds, 3)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "targets_input.xlsx"
        write_form(
            source,
            TARGETS_INPUT,
            header={"year": 2026, "method": "seasonal", "rounding": 100},
            rows={
                "annual": [
                    {
                        "level": u.level,
                        "unit": u.unit,
                        "parent": u.parent,
                        "annual_target": float(u.annual) if u.annual else None,
                    }
                    for u in big.units
                ],
                "history": [
                    {"unit": u, "month": str(m), "amount": round(a, 2)}
                    for u, _, m, a in big.history
                ],
            },
        )
        seconds, _ = timed(lambda: split_file(source, Path(tmp) / "targets.xlsx"))
        out["split_5000_units_file_to_file_s"] = round(seconds, 3)
        roster = Roster(
            {
                f"S{i:04d}": Rep(f"S{i:04d}", f"销售{i}", f"区域{i % 3}", f"团队{i % 30}")
                for i in range(1000)
            }
        )
        seconds, written = timed(
            lambda: issue_forms(
                roster,
                Month(2026, 11),
                Path(tmp) / "forms",
                targets={r: 100_000.0 for r in roster.reps},
            )
        )
        out["issue_forms_1000_reps_s"] = round(seconds, 3)
        out["forms_written"] = len(written)  # type: ignore[arg-type]
    return out


def wape(series: list[float], start: Month, *, years: range) -> dict[str, float]:
    """Mean WAPE of each method's monthly split of a test year, trained on the 3 years before."""
    by_month = {start.shift(k): v for k, v in enumerate(series)}
    errors: dict[str, list[float]] = {"equal": [], "last-year": [], "seasonal": [], "trend": []}
    for year in years:
        months = fiscal_months(year, 1)
        actual = [by_month[m] for m in months]
        history = {m: v for m, v in by_month.items() if Month(year - 3, 1) <= m < Month(year, 1)}
        for method in errors:
            weights = monthly_profile(
                method, months, history, Workdays({}), spring_festival=False
            ).weights
            total = sum(weights)
            split = [sum(actual) * w / total for w in weights]
            errors[method].append(
                sum(abs(p - a) for p, a in zip(split, actual, strict=True)) / sum(actual)
            )
    return {m: round(sum(e) / len(e), 4) for m, e in errors.items()}


def accuracy() -> dict[str, object]:
    try:
        from pmdarima.datasets import load_airpassengers, load_wineind
    except ImportError:
        return {"skipped": "pip install pmdarima for the real seasonal data sets"}
    # The weekend rule only: workdays are not used by these methods, but the calendar
    # must not be asked about the 1980s.
    return {
        "wineind (Australian wine sales, 1980-1994), test years 1983-1993": wape(
            list(load_wineind()), Month(1980, 1), years=range(1983, 1994)
        ),
        "airpassengers (monthly airline passengers, 1949-1960), test years 1952-1960": wape(
            list(load_airpassengers()), Month(1949, 1), years=range(1952, 1961)
        ),
    }


if __name__ == "__main__":
    print(
        json.dumps({"speed": speed(), "wape_by_method": accuracy()}, indent=2, ensure_ascii=False)
    )
