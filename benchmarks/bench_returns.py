"""Return copies for N rep daily reports of R rows with P problems each: salesxl vs openpyxl.

    python benchmarks/bench_returns.py --reps 1000 --rows 250 --problems 5

Prints one JSON object: seconds for `salesxl return` end to end (the whole
command as a user runs it: reading and validating every file, then writing a
marked copy of each and the return lists), the raw python-calamine read of
the same files (the floor), and the naive way — openpyxl loads each
workbook, fills and comments the problem cells, adds a list sheet first and
saves (the issues given, not counted) — measured on `--naive-sample` files
and scaled to all of them, with the ratios and salesxl's peak memory.
The aim: 1,000 files with 5 problems each in at most 60 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import time
from pathlib import Path

from _reports import floor_and_salesxl, generate

HERE = Path(__file__).resolve().parent
PERIOD = "2026-11"
AS_OF = dt.date(2026, 11, 24)


def naive(paths: list[Path], out: Path) -> float:
    """Seconds to mark `paths` with openpyxl, given their issues (read beforehand)."""
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    from salesxl.intake.files import load_forms
    from salesxl.validate import ValidationContext

    issues = {
        data.path: [i for i in data.issues if i.is_error and i.cell]
        for data in load_forms(paths, ValidationContext(today=AS_OF))
    }
    out.mkdir(parents=True, exist_ok=True)
    red = PatternFill("solid", fgColor="FFC7CE")
    start = time.perf_counter()
    for path in paths:
        wb = openpyxl.load_workbook(path)
        found = issues[str(path)]
        for issue in found:
            cell = wb[issue.sheet][issue.cell]
            cell.fill = red
            cell.comment = Comment(f"{issue.message_zh}\n{issue.message_en}", "naive")
        ws = wb.create_sheet("To fix", 0)
        ws.append(["Where", "Problem"])
        for r, issue in enumerate(found, start=2):
            ws.cell(
                r, 1, f"{issue.sheet}!{issue.cell}"
            ).hyperlink = f"#'{issue.sheet}'!{issue.cell}"
            ws.cell(r, 2, issue.message_en)
        wb.save(out / path.name)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reps", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=250)
    parser.add_argument("--problems", type=int, default=5)
    parser.add_argument("--data", type=Path, default=HERE / "_data")
    parser.add_argument("--repeat", type=int, default=1, help="runs of salesxl and the floor")
    parser.add_argument(
        "--naive-sample", type=int, default=50, help="files the naive way marks (then scaled)"
    )
    args = parser.parse_args()
    folder = args.data / f"returns_{args.reps}x{args.rows}x{args.problems}"
    paths = generate(folder, args.reps, args.rows, problems=args.problems)
    out = HERE / "_out" / "returns"
    shutil.rmtree(out, ignore_errors=True)
    command = ["return", str(folder), "--period", PERIOD, "--as-of", str(AS_OF), "-o", str(out)]
    result: dict[str, object] = {
        "reps": args.reps,
        "rows": args.rows,
        "problems_per_file": args.problems,
        "cores": os.cpu_count() or 1,
    }
    floor_s, salesxl_s, measured = floor_and_salesxl(paths, command, args.repeat)
    result.update(measured)
    copies = list(out.rglob("*_退回_*.xlsx"))
    result["return_copies"] = len(copies)
    result["salesxl_vs_floor"] = round(salesxl_s / floor_s, 2)
    result["aim_60s_met"] = salesxl_s <= 60
    sample = paths[: max(1, min(args.naive_sample, len(paths)))]
    naive_s = naive(sample, HERE / "_out" / "returns_naive") * len(paths) / len(sample)
    result["naive_sample_files"] = len(sample)
    result["naive_s_scaled"] = round(naive_s, 1)
    result["naive_vs_salesxl"] = round(naive_s / salesxl_s, 1)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
