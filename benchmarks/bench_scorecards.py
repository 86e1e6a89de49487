"""Scorecards for N reps (daily reports of R rows): salesxl vs pandas + openpyxl vs the floor.

    python benchmarks/bench_scorecards.py --reps 1000 --rows 250

Prints one JSON object: seconds for `salesxl scorecards` end to end (reading
and consolidating every report, then one workbook with its chart per rep),
`salesxl consolidate` of the same inbox (what the scorecards add to it), the
raw python-calamine read of the same files (the floor), and the naive way —
per rep pandas.read_excel, the month's figures and an openpyxl workbook with
a line chart — measured on `--naive-sample` reps and scaled to all, with the
ratios and salesxl's peak memory.  The aim: 1,000 reps in at most 60 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import time
from pathlib import Path

from _reports import floor_and_salesxl, generate, run_salesxl

HERE = Path(__file__).resolve().parent
PERIOD = "2026-11"
AS_OF = dt.date(2026, 11, 24)
TARGET = 150_000.0


def targets_file(path: Path, reps: int) -> Path:
    from salesxl.core.periods import Month
    from salesxl.forms import TARGETS
    from salesxl.write.templates import write_form

    rows = [
        {"level": "rep", "unit": f"S{i:04d}", "month": Month(2026, 11), "target": TARGET}
        for i in range(reps)
    ]
    return write_form(path, TARGETS, rows={"long": rows})


def naive(paths: list[Path], out: Path) -> float:
    """What a script without salesxl does per rep: pandas read, sums, an openpyxl card."""
    import openpyxl
    import pandas as pd
    from openpyxl.chart import LineChart, Reference

    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    for path in paths:
        sheet = pd.read_excel(path, sheet_name="日报 Daily", header=8, engine="openpyxl")
        date, stage, amount = sheet.columns[0], sheet.columns[6], sheet.columns[10]
        won = sheet[sheet[stage].astype(str).str.startswith("7")]
        daily = won.groupby(date)[amount].sum().cumsum()
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(["Amount", float(won[amount].sum()), "Target", TARGET])
        ws.append(["Completion", float(won[amount].sum()) / TARGET])
        for day, total in daily.items():
            ws.append([day, float(total)])
        chart = LineChart()
        chart.add_data(Reference(ws, min_col=2, min_row=3, max_row=2 + len(daily)))
        ws.add_chart(chart, "E3")
        wb.save(out / f"{path.stem}_card.xlsx")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reps", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=250)
    parser.add_argument("--data", type=Path, default=HERE / "_data")
    parser.add_argument("--repeat", type=int, default=1, help="runs of salesxl and the floor")
    parser.add_argument(
        "--naive-sample", type=int, default=50, help="reps the naive way makes (then scaled)"
    )
    args = parser.parse_args()
    folder = args.data / f"consolidate_{args.reps}x{args.rows}"
    paths = generate(folder, args.reps, args.rows)
    out = HERE / "_out"
    out.mkdir(exist_ok=True)
    targets = targets_file(out / f"targets_{args.reps}.xlsx", args.reps)
    cards = out / "scorecards"
    shutil.rmtree(cards, ignore_errors=True)
    common = [str(folder), "--period", PERIOD, "--as-of", str(AS_OF), "--targets", str(targets)]
    result: dict[str, object] = {"reps": args.reps, "rows": args.rows, "cores": os.cpu_count() or 1}
    floor_s, salesxl_s, measured = floor_and_salesxl(
        paths, ["scorecards", *common, "-o", str(cards)], args.repeat
    )
    result.update(measured)
    result["scorecards_written"] = len(list(cards.rglob("*_战报_*.xlsx")))
    consolidate_s, _ = run_salesxl(["consolidate", *common, "-o", str(out / "summary.xlsx")])
    result["consolidate_alone_s"] = round(consolidate_s, 3)
    result["scorecards_extra_s"] = round(salesxl_s - consolidate_s, 3)
    result["salesxl_vs_floor"] = round(salesxl_s / floor_s, 2)
    result["aim_60s_met"] = salesxl_s <= 60
    sample = paths[: max(1, min(args.naive_sample, len(paths)))]
    naive_s = naive(sample, out / "scorecards_naive") * len(paths) / len(sample)
    result["naive_sample_reps"] = len(sample)
    result["naive_s_scaled"] = round(naive_s, 1)
    result["naive_vs_salesxl"] = round(naive_s / salesxl_s, 1)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
