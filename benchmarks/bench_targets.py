"""Target breakdown: speed at 5,000 units × 12 months, and accuracy on public monthly sales.

    python benchmarks/bench_targets.py [--data FOLDER ...] [--skip-speed] [--skip-accuracy]

Speed (seconds, JSON, with the ratio to the naive floor: every rep's year times its
plain monthly shares in floats, nothing exact): the split of a 5,000-unit organisation (company,
regions, teams, reps, three years of history each) — seasonal, the engine
alone and file to file; with the three tiers 目标/冲刺/挑战; with method
`auto` (a backtest per unit) — a 500 units × 20 products case, and issuing
1,000 reps' forms.  Aims: 5,000 units × 3 tiers ≤ 5 s, `auto` ≤ 15 s,
1,000 forms ≤ 60 s.

Accuracy: on public monthly sales series, each method splits a year it was
not trained on (trained on the three calendar years before, the year's total
given); the table is the mean monthly WAPE per series (averaged over every
test year the series allows) and across series, with a plain 3-year average
of monthly shares for comparison.  The series are not shipped with salesxl:

- `wineind.csv`, `a10.csv`, `norway_new_car_sales_by_month.csv`,
  `australian_capital_retail.csv`, `debitcards.csv` from the GitHub
  repository selva86/datasets;
- `monthly-car-sales.csv`, `monthly_champagne_sales.csv`,
  `monthly-writing-paper-sales.csv` from the GitHub repository jbrownlee/Datasets.

Clone them (or copy those files) and pass their folders with --data; the
Australian wine series also comes from pmdarima when installed
(`pip install pmdarima`).  Missing series are listed, never silently left out.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import random
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from salesxl.core.calendar import Workdays
from salesxl.core.people import Rep, Roster
from salesxl.core.periods import Month
from salesxl.forms import TARGETS_INPUT
from salesxl.targets import Settings, TargetsInput, UnitSpec, split_file, split_targets
from salesxl.targets.backtest import choose_method, wape
from salesxl.targets.calendar import Calendar
from salesxl.targets.history import recent_years
from salesxl.targets.profiles import fiscal_months, monthly_profile
from salesxl.write.issued import issue_forms
from salesxl.write.templates import write_form


def organisation(reps: int, products: int = 0, seed: int = 1, **settings) -> TargetsInput:
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
    s = Settings(2026, rounding=Decimal(100), **settings)
    return TargetsInput(s, units, history)


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def naive_split(inp: TargetsInput) -> dict[str, list[float]]:
    """The floor: each rep's year (an even share) times its plain 3-year monthly shares, in
    floats — no exactness, no parents, no locks, no rounding."""
    series: dict[str, dict[Month, float]] = {}
    for unit, _, month, amount in inp.history:
        series.setdefault(unit, {})[month] = amount
    reps = [u.unit for u in inp.units if u.level == "rep"]
    year = float(inp.units[0].annual or 0) / max(1, len(reps))
    months = fiscal_months(inp.settings.year, 1)
    return {
        rep: [year * w for w in _plain_shares(series.get(rep, {}), months)]
        if rep in series
        else [year / 12] * 12
        for rep in reps
    }


def speed() -> dict[str, float]:
    out: dict[str, float] = {}
    big = organisation(5000)
    floor, _ = timed(lambda: naive_split(big))
    out["naive_float_split_5000_units_s"] = round(floor, 3)
    seconds, split = timed(lambda: split_targets(big))
    out["split_5000_units_engine_s"] = round(seconds, 3)
    out["engine_vs_naive_ratio"] = round(seconds / floor, 1)
    out["units"] = sum(1 for p in split.plans if p.product is None)  # type: ignore[attr-defined]
    tiers = organisation(5000, stretch_uplift=10.0, challenge_uplift=20.0)
    seconds, tiered = timed(lambda: split_targets(tiers))
    out["split_5000_units_3_tiers_engine_s"] = round(seconds, 3)
    out["3_tiers_vs_naive_ratio"] = round(seconds / floor, 1)
    out["tiers"] = len(tiered.tier_names)  # type: ignore[attr-defined]
    auto = organisation(5000, method="auto")
    seconds, chosen = timed(lambda: split_targets(auto))
    out["split_5000_units_auto_engine_s"] = round(seconds, 3)
    out["auto_vs_naive_ratio"] = round(seconds / floor, 1)
    methods: dict[str, int] = {}
    for p in chosen.plans:  # type: ignore[attr-defined]
        if p.level == "rep":
            methods[p.method] = methods.get(p.method, 0) + 1
    out["auto_chose"] = methods  # type: ignore[assignment]
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


# -- accuracy on public series ------------------------------------------------------------


class WeekdayCalendar(Calendar):
    """Monday to Friday everywhere: the series are not Chinese (no China holidays)."""

    def __init__(self) -> None:
        super().__init__(Workdays(), strict_from=None)

    def covers(self, year: int) -> bool:
        return False

    def _size(self, month: Month, by: str) -> float:
        if by == "days":
            return float(month.last_day.day)
        return float(sum(1 for d in month.days() if d.weekday() < 5))


Series = tuple[Month, list[float]]


def _column(path: Path, column: str, month_of: Callable[[str], Month], key: str) -> Series:
    with path.open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    return month_of(rows[0][key]), [float(r[column]) for r in rows]


def _iso(text: str) -> Month:
    return Month(int(text[:4]), int(text[5:7]))


def load_series(folders: list[Path]) -> tuple[dict[str, Series], list[str]]:
    """The public series found in `folders` (and pmdarima), and those that were not."""

    def find(name: str) -> Path | None:
        return next((f / name for f in folders if (f / name).exists()), None)

    found: dict[str, Series] = {}
    missing: list[str] = []
    simple = {
        "Australian wine sales 1980-94 (wineind)": ("wineind.csv", "winesales", "date"),
        "Australian antidiabetic drug sales 1991-2008 (a10)": ("a10.csv", "value", "date"),
        "Quebec car sales 1960-68": ("monthly-car-sales.csv", "Sales", "Month"),
        "Perrin Freres champagne sales 1964-72": ("monthly_champagne_sales.csv", "Sales", "Month"),
        "Iceland retail debit card use 2000-12": ("debitcards.csv", "value", "date"),
    }
    for name, (file, column, key) in simple.items():
        path = find(file)
        if path is not None:
            found[name] = _column(path, column, _iso, key)
        elif file == "wineind.csv" and _pmdarima_wine() is not None:
            found[name] = (Month(1980, 1), _pmdarima_wine())  # type: ignore[assignment]
        else:
            missing.append(f"{name}: {file}")
    paper = find("monthly-writing-paper-sales.csv")
    if paper is not None:  # its years are numbered 1 to 12: laid out from 1963
        found["Writing paper sales (Makridakis), 12 years"] = _column(
            paper, "Sales", lambda t: Month(1962 + int(t.split("-")[0]), 1), "Month"
        )
    else:
        missing.append("Writing paper sales: monthly-writing-paper-sales.csv")
    norway = find("norway_new_car_sales_by_month.csv")
    if norway is not None:
        with norway.open(encoding="utf-8-sig") as f:
            rows = list(csv.DictReader(f))
        found["Norway new car sales 2007-17"] = (
            Month(int(rows[0]["Year"]), int(rows[0]["Month"])),
            [float(r["Quantity"]) for r in rows],
        )
    else:
        missing.append("Norway new car sales: norway_new_car_sales_by_month.csv")
    retail = find("australian_capital_retail.csv")
    columns = {
        "department_stores": "ACT department stores turnover 1982-2018",
        "clothing_retailing": "ACT clothing retail turnover 1982-2018",
        "food_retailing": "ACT food retail turnover 1982-2018",
        "hardware_building_and_garden_supplies_retailing": "ACT hardware retail turnover 1982-2018",
    }
    if retail is not None:
        for column, name in columns.items():
            found[name] = _column(
                retail, column, lambda t: Month(int(t[6:10]), int(t[3:5])), "month"
            )
    else:
        missing += [f"{name}: australian_capital_retail.csv" for name in columns.values()]
    return found, missing


def _pmdarima_wine() -> list[float] | None:
    try:
        from pmdarima.datasets import load_wineind
    except ImportError:
        return None
    return [float(v) for v in load_wineind()]


def _plain_shares(history: dict[Month, float], months: list[Month]) -> list[float]:
    """A plain 3-year average of each month's share of its year (the baseline to beat)."""
    years = [[history[m.shift(-12 * back)] for m in months] for back in (1, 2, 3)]
    return [math.fsum(y[k] / math.fsum(y) for y in years) / 3 for k in range(12)]


METHODS = ("equal", "workdays", "last-year", "seasonal", "seasonal-workdays", "trend", "auto")


def _weights(method: str, history: dict[Month, float], months: list[Month], cal: Calendar):
    if method == "plain 3-year shares":
        return _plain_shares(history, months)
    if method == "auto":
        choice = choose_method(recent_years(history, months), cal)
        method = choice.method if choice is not None else "seasonal"
    return monthly_profile(method, months, history, cal, spring_festival=False).weights


def series_wape(first: Month, values: list[float]) -> dict[str, float]:
    """Mean monthly WAPE of each method over every calendar year with three full years before."""
    by_month = {first.shift(k): v for k, v in enumerate(values)}
    cal = WeekdayCalendar()
    errors: dict[str, list[float]] = {m: [] for m in (*METHODS, "plain 3-year shares")}
    year = first.year + (1 if first.month > 1 else 0) + 3
    while all(m in by_month for m in fiscal_months(year, 1)):
        months = fiscal_months(year, 1)
        actual = [by_month[m] for m in months]
        history = {m: v for m, v in by_month.items() if Month(year - 3, 1) <= m < months[0]}
        for method in errors:
            errors[method].append(wape(_weights(method, history, months, cal), actual))
        year += 1
    return {m: sum(e) / len(e) for m, e in errors.items()}


def accuracy(folders: list[Path]) -> dict[str, object]:
    found, missing = load_series(folders)
    table = {name: series_wape(*series) for name, series in found.items()}
    out: dict[str, object] = {
        name: {m: round(v, 4) for m, v in row.items()} for name, row in table.items()
    }
    if table:
        methods = next(iter(table.values()))
        out["MEAN over series"] = {
            m: round(sum(row[m] for row in table.values()) / len(table), 4) for m in methods
        }
        out["series"] = len(table)
    if missing:
        out["missing (see this script's docstring for where to get them)"] = missing
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", action="append", type=Path, default=[], help="series folder")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--skip-accuracy", action="store_true")
    args = parser.parse_args()
    result: dict[str, object] = {"when": dt.datetime.now().isoformat(timespec="seconds")}
    if not args.skip_speed:
        result["speed"] = speed()
    if not args.skip_accuracy:
        result["wape_by_method"] = accuracy(args.data)
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
