"""Packs for T team leaders from N reps: salesxl vs one summary, the naive way and the floor.

    python benchmarks/bench_packs.py --reps 1000 --rows 250 --teams 50

Prints one JSON object: seconds for `salesxl consolidate` of the inbox (the
company summary) and for the same with `--split-by team` (the summary and one
pack per team leader); their ratio, the aim being at most 2; the raw
python-calamine read of the files (the floor); and the naive way — open the
company summary with openpyxl once per team, delete every other team's rows
from every sheet and save it (charts and their data are not even redone) —
measured on `--naive-sample` teams and scaled to all.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import time
from pathlib import Path

from _reports import floor_and_salesxl, generate, roster, run_salesxl

HERE = Path(__file__).resolve().parent
PERIOD = "2026-11"
AS_OF = dt.date(2026, 11, 24)


def naive(summary: Path, teams: list[str], out: Path) -> float:
    """Per team: load the summary, keep only the rows naming that team, save it."""
    import openpyxl

    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    for team in teams:
        wb = openpyxl.load_workbook(summary)
        for ws in wb.worksheets:
            header = [str(c.value or "") for c in ws[1]]
            column = next((i for i, h in enumerate(header) if h.startswith("团队")), None)
            if column is None:
                continue
            for r in range(ws.max_row, 1, -1):
                if ws.cell(r, column + 1).value != team:
                    ws.delete_rows(r)
        wb.save(out / f"{team}.xlsx")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reps", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=250)
    parser.add_argument("--teams", type=int, default=50)
    parser.add_argument("--data", type=Path, default=HERE / "_data")
    parser.add_argument("--repeat", type=int, default=1, help="runs of salesxl and the floor")
    parser.add_argument("--naive-sample", type=int, default=3, help="teams the naive way makes")
    args = parser.parse_args()
    folder = args.data / f"consolidate_{args.reps}x{args.rows}"
    paths = generate(folder, args.reps, args.rows)
    out = HERE / "_out"
    out.mkdir(exist_ok=True)
    people = roster(out / f"roster_{args.reps}_{args.teams}.xlsx", args.reps, args.teams)
    common = [str(folder), "--period", PERIOD, "--as-of", str(AS_OF), "--roster", str(people)]
    summary = out / "summary.xlsx"
    packs = out / "packs"
    shutil.rmtree(packs, ignore_errors=True)
    result: dict[str, object] = {
        "reps": args.reps,
        "rows": args.rows,
        "teams": args.teams,
        "cores": os.cpu_count() or 1,
    }
    floor_s, one_s, measured = floor_and_salesxl(
        paths, ["consolidate", *common, "-o", str(summary)], args.repeat
    )
    result.update({f"summary_{k.removeprefix('salesxl_')}": v for k, v in measured.items()})
    runs = [
        run_salesxl(["consolidate", *common, "--split-by", "team", "-o", str(packs)])
        for _ in range(max(1, args.repeat))
    ]
    packs_s = sorted(s for s, _ in runs)[len(runs) // 2]
    written = sorted(p for p in packs.glob("*.xlsx") if p.name != "summary.xlsx")
    assert len(written) == args.teams, f"{len(written)} packs for {args.teams} teams"
    result["packs_s"] = round(packs_s, 3)
    result["packs_peak_mb"] = round(max(peak for _, peak in runs) / 2**20, 1)
    result["packs_written"] = len(written)
    result["packs_vs_summary"] = round(packs_s / one_s, 2)
    result["aim_2x_met"] = packs_s <= 2 * one_s
    result["summary_vs_floor"] = round(one_s / floor_s, 2)
    sample = [f"团队{i}" for i in range(min(args.naive_sample, args.teams))]
    naive_s = naive(summary, sample, out / "packs_naive") * args.teams / len(sample)
    result["naive_sample_teams"] = len(sample)
    result["naive_packs_only_s_scaled"] = round(naive_s, 1)
    result["naive_vs_salesxl_packs_part"] = round(naive_s / max(packs_s - one_s, 1e-9), 1)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
