"""Validate N filled daily reports: salesxl vs the naive way vs the raw read floor.

    python benchmarks/bench_validate.py --files 200 --rows 250

Prints one JSON object with, measured in one run on the same files: the
seconds for `salesxl validate DIR` (the whole command, process start
included), for the naive way (per file `pandas.read_excel(..., sheet_name=None,
engine="openpyxl")`), for the raw python-calamine read of every sheet, and
the ratios.  salesxl and the floor run `--repeat` times (default 3) and
their medians are used; the naive way runs once.
Aim (issue 3): ≥ 10× faster than naive, within 2× of the floor.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from _reports import floor, floor_and_salesxl, generate

HERE = Path(__file__).resolve().parent


def naive(paths: list[Path]) -> float:
    import pandas as pd

    start = time.perf_counter()
    for p in paths:
        pd.read_excel(p, sheet_name=None, engine="openpyxl")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--rows", type=int, default=250)
    parser.add_argument("--data", type=Path, default=HERE / "_data")
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs of salesxl and of the floor; their median is reported",
    )
    args = parser.parse_args()
    folder = args.data / f"consolidate_{args.files}x{args.rows}"
    paths = generate(folder, args.files, args.rows)
    floor(paths[: min(20, len(paths))])  # warm the page cache for everyone alike
    result: dict[str, object] = {
        "files": args.files,
        "rows": args.rows,
        "cores": os.cpu_count() or 1,
    }
    command = [
        "validate",
        str(folder),
        "--period",
        "2026-11",
        "--as-of",
        "2026-11-24",
        "--format",
        "json",
    ]
    floor_s, salesxl_s, measured = floor_and_salesxl(paths, command, args.repeat, ok_codes=(0, 1))
    result.update(measured)
    naive_s = naive(paths)
    result["naive_s"] = round(naive_s, 3)
    result["naive_vs_salesxl"] = round(naive_s / salesxl_s, 1)
    result["salesxl_vs_floor"] = round(salesxl_s / floor_s, 2)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
