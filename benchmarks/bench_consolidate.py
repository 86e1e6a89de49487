"""Consolidate N rep daily reports of R rows: salesxl vs the naive way vs the raw read floor.

    python benchmarks/bench_consolidate.py --reps 1000 --rows 250 [--shapes pool,cold]

Two inboxes of the same size, measured side by side: reps working a pool of
about 60 customers (`pool`), and cold callers whose contacts are mostly new
phone leads (`cold`: five in six rows a new customer).  For each, seconds
for `salesxl consolidate` end to end (the whole command as a user runs it,
process start included; without and with --details), for the naive way
(per file pandas.read_excel with openpyxl, then concat, groupby and
to_excel), for the raw python-calamine read of the same files, the ratios,
the peak memory of the salesxl process tree and its CPU seconds (on a
machine shared with other work the CPU time says more than the wall time;
the floor is one process, salesxl reads on every core).  The short runs
(salesxl without --details, the floor) are repeated (`--repeat`, default 3,
interleaved) and their median is used, every run listed; the naive way runs
once (it takes minutes, and one run of it is steady).  With `--profile`, one
more run per shape in this process under cProfile (one reader, so every
phase is seen) gives the share of each phase: package checks, staging,
python-calamine, locating, validating, digesting, consolidating, writing.  Prints a table of
the ratios, then one JSON object.  README.md "Speed": ≥ 10× faster than
naive and ≤ 1.5× the floor on either shape.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from _reports import SHAPES, floor, floor_and_salesxl, generate, measure_salesxl

HERE = Path(__file__).resolve().parent
PERIOD = "2026-11"


def naive(paths: list[Path], out: Path) -> float:
    """What a script without salesxl does: pandas + openpyxl per file, concat, groupby, to_excel."""
    import pandas as pd

    start = time.perf_counter()
    frames = []
    for p in paths:
        sheet = pd.read_excel(p, sheet_name="日报 Daily", header=8, engine="openpyxl")
        sheet["file"] = p.name
        frames.append(sheet)
    data = pd.concat(frames, ignore_index=True)
    amount = data.columns[10]
    summary = data.groupby("file").agg(contacts=(amount, "size"), amount=(amount, "sum"))
    summary.to_excel(out, engine="openpyxl")
    return time.perf_counter() - start


def xlsxwriter_alone(paths: list[Path], out: Path) -> float:
    """What xlsxwriter alone needs to write the Details rows: the same cells, as a table."""
    import xlsxwriter
    from python_calamine import CalamineWorkbook

    rows = []
    for p in paths:  # the rows as they sit in the files, plus the 6 columns Details adds
        sheet = CalamineWorkbook.from_path(str(p)).get_sheet_by_name("日报 Daily").to_python()
        header = next(i for i, r in enumerate(sheet) if r and r[0] == "日期*\nDate")
        rows.extend(
            ["S0001", "销售", "团队", "区域", p.name, i, *r]
            for i, r in enumerate(sheet[header + 1 :], start=header + 2)
            if r[0] != ""
        )
    start = time.perf_counter()
    wb = xlsxwriter.Workbook(
        str(out),
        {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False},
    )
    ws = wb.add_worksheet("Details")
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.add_table(
        0,
        0,
        len(rows),
        len(rows[0]) - 1,
        {"columns": [{"header": f"c{i}"} for i in range(len(rows[0]))]},
    )
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value == "" or value is None:
                continue
            if isinstance(value, dt.date):
                ws.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), date)
            else:
                ws.write(r, c, value)
    wb.close()
    return time.perf_counter() - start


# (label, file, function): where one process's time goes, as cumulative seconds
_PHASES = [
    ("open: package checks (guards, extent scan)", "read/package.py", "scan_package"),
    ("open: staging for python-calamine", "read/staging.py", "stage_package"),
    ("open: python-calamine opens the package", "read/workbook.py", "_open_calamine"),
    ("grid: python-calamine parses a sheet", "~", "<method 'get_sheet_by_name'"),
    ("grid: cells to Python lists", "~", "<method 'to_python'"),
    ("locate the form's tables", "read/locate.py", "locate"),
    ("validate the header and rows", "validate/form.py", "check_layout"),
    ("digest a report (figures, trails)", "consolidate/digest.py", "digest_daily"),
    ("consolidate the digests (rules)", "consolidate/__init__.py", "consolidate_results"),
    ("build the sheets' tables", "consolidate/assemble.py", "summarise"),
    ("write the summary workbook", "consolidate/workbook.py", "write_summary"),
]


def profile(paths: list[Path], folder: Path, out: Path) -> dict[str, object]:
    """Where the time of a consolidation goes: the whole run in this one process (workers=1,
    so python-calamine's and every reader's time is seen) under cProfile, as the share of each
    phase, and the functions that take most time themselves."""
    import cProfile
    import pstats

    from salesxl.consolidate import consolidate_inbox
    from salesxl.consolidate.workbook import write_summary
    from salesxl.core.periods import Month

    def run() -> None:
        summary = consolidate_inbox(
            [folder], period=Month.parse(PERIOD), as_of=dt.date(2026, 11, 24), workers=1
        )
        write_summary(summary, out)

    profiler = cProfile.Profile()
    profiler.runcall(run)
    stats = pstats.Stats(profiler)
    table: dict[tuple[str, int, str], tuple[Any, ...]] = stats.stats  # type: ignore[attr-defined]
    total = max(cum for _, _, _, cum, _ in table.values())
    phases: dict[str, float] = {}
    for label, file, function in _PHASES:
        phases[label] = round(
            sum(
                cum
                for (f, _, name), (_, _, _, cum, _) in table.items()
                if f.endswith(file)
                and (name == function or (function[0] == "<" and name.startswith(function)))
            ),
            2,
        )
    top = sorted(table.items(), key=lambda item: item[1][2], reverse=True)[:12]
    return {
        "profiled_s": round(total, 2),
        "phases_s": phases,
        "phases_share": {k: round(v / total, 3) for k, v in phases.items()},
        "top_self_s": {
            f"{Path(f).name}:{line}:{name}": round(own, 2)
            for (f, line, name), (_, _, own, _, _) in top
        },
    }


def shape_run(args: argparse.Namespace, shape: str) -> dict[str, object]:
    """Every figure of one inbox shape."""
    folder = args.data / f"consolidate_{shape}_{args.reps}x{args.rows}"
    paths = generate(folder, args.reps, args.rows, shape=shape)
    out = HERE / "_out"
    out.mkdir(exist_ok=True)
    common = ["consolidate", str(folder), "--period", PERIOD, "--as-of", "2026-11-24"]
    floor(paths[: min(20, len(paths))])  # warm the page cache for everyone alike
    result: dict[str, object] = {"shape": shape}
    floor_s, salesxl_s, measured = floor_and_salesxl(
        paths, [*common, "-o", str(out / f"summary_{shape}.xlsx")], args.repeat
    )
    result.update(measured)
    result["salesxl_vs_floor"] = round(salesxl_s / floor_s, 2)
    details = measure_salesxl([*common, "-o", str(out / f"details_{shape}.xlsx"), "--details"])
    result["salesxl_details_s"] = round(details.seconds, 3)
    result["salesxl_details_cpu_s"] = round(details.cpu, 3)
    result["salesxl_details_peak_mb"] = round(details.peak / 2**20, 1)
    result["details_extra_s"] = round(details.seconds - salesxl_s, 3)
    alone = xlsxwriter_alone(paths, out / "alone.xlsx")
    result["xlsxwriter_alone_details_s"] = round(alone, 3)
    result["details_extra_vs_xlsxwriter_alone"] = round((details.seconds - salesxl_s) / alone, 2)
    if args.profile:
        result["profile"] = profile(paths, folder, out / f"profiled_{shape}.xlsx")
    if not args.skip_naive:
        naive_s = naive(paths, out / "naive.xlsx")
        result["naive_s"] = round(naive_s, 3)
        result["naive_vs_salesxl"] = round(naive_s / salesxl_s, 1)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reps", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=250)
    parser.add_argument("--data", type=Path, default=HERE / "_data")
    parser.add_argument(
        "--shapes",
        default=",".join(SHAPES),
        help="the inbox shapes to time, comma-separated: pool, cold or pool,cold (the default)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs of salesxl and of the floor; their median is reported",
    )
    parser.add_argument("--skip-naive", action="store_true", help="the naive way takes minutes")
    parser.add_argument(
        "--profile", action="store_true", help="also profile one in-process run per shape"
    )
    args = parser.parse_args()
    result: dict[str, object] = {
        "reps": args.reps,
        "rows": args.rows,
        "cores": os.cpu_count() or 1,
        "load_average_at_start": round(os.getloadavg()[0], 2),
    }
    shapes = [shape_run(args, s) for s in args.shapes.split(",")]
    result["shapes"] = shapes
    result["load_average_at_end"] = round(os.getloadavg()[0], 2)
    head = f"{'shape':<6} {'floor s':>8} {'salesxl s':>10} {'x floor':>8} {'naive s':>8} {'naive/sx':>9}"
    print(head, file=sys.stderr)
    for r in shapes:
        print(
            f"{r['shape']:<6} {r['floor_s']:>8} {r['salesxl_s']:>10} {r['salesxl_vs_floor']:>8}"
            f" {r.get('naive_s', '-'):>8} {r.get('naive_vs_salesxl', '-'):>9}",
            file=sys.stderr,
        )
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
