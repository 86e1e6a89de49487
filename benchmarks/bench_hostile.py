"""The hostile set beside good reports: what it costs `salesxl consolidate`.

    python benchmarks/bench_hostile.py --reps 200 --rows 250

Prints one JSON object: the seconds and the peak memory (the whole process
tree) of `salesxl consolidate` on N good daily reports alone, then on the
same reports with every file of tests/hostile beside them (far cells, zip
bombs, a DTD in each part, merge amplification, CSV floods, …), the raw
python-calamine read of the good reports (the floor) and the ratios.  Aim:
the hostile files add at most 20% to the time and 200 MB to the peak.  The
runs are repeated (`--repeat`, default 3) and their medians used.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
from pathlib import Path

from _reports import floor, generate, run_salesxl

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests.hostile.build: the hostile files the tests use

from tests.hostile.build import HOSTILE, build_all  # noqa: E402

PERIOD = "2026-11"


def _inbox(folder: Path, good: list[Path], hostile: dict[str, Path] | None) -> Path:
    """A folder of hard links: the good reports, and maybe the hostile files."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for path in good:
        os.link(path, folder / path.name)
    for path in (hostile or {}).values():
        os.link(path, folder / path.name)
    return folder


def _measure(inbox: Path, out: Path, repeat: int) -> tuple[float, float, list[float]]:
    command = ["consolidate", str(inbox), "--period", PERIOD, "--as-of", "2026-11-24"]
    runs = [run_salesxl([*command, "-o", str(out)]) for _ in range(max(1, repeat))]
    seconds = statistics.median(s for s, _ in runs)
    peak = max(p for _, p in runs) / 2**20
    return seconds, peak, [round(s, 3) for s, _ in runs]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--rows", type=int, default=250)
    parser.add_argument("--data", type=Path, default=HERE / "_data")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    good = generate(args.data / f"consolidate_{args.reps}x{args.rows}", args.reps, args.rows)
    hostile_folder = args.data / "hostile"
    if hostile_folder.exists():
        shutil.rmtree(hostile_folder)
    hostile = build_all(hostile_folder)
    out = HERE / "_out"
    out.mkdir(exist_ok=True)
    floor(good[: min(20, len(good))])  # warm the page cache for every run alike
    floor_s = statistics.median(floor(good) for _ in range(max(1, args.repeat)))
    alone_s, alone_mb, alone_runs = _measure(
        _inbox(args.data / "inbox_good", good, None), out / "hostile_without.xlsx", args.repeat
    )
    with_s, with_mb, with_runs = _measure(
        _inbox(args.data / "inbox_hostile", good, hostile), out / "hostile_with.xlsx", args.repeat
    )
    print(
        json.dumps(
            {
                "good_reports": args.reps,
                "rows": args.rows,
                "hostile_files": len(HOSTILE),
                "hostile_mb_on_disk": round(
                    sum(p.stat().st_size for p in hostile.values()) / 2**20, 1
                ),
                "cores": os.cpu_count() or 1,
                "floor_s": round(floor_s, 3),
                "without_hostile_s": round(alone_s, 3),
                "without_hostile_runs_s": alone_runs,
                "without_hostile_peak_mb": round(alone_mb, 1),
                "with_hostile_s": round(with_s, 3),
                "with_hostile_runs_s": with_runs,
                "with_hostile_peak_mb": round(with_mb, 1),
                "hostile_extra_time": f"{with_s / alone_s - 1:+.1%}",
                "hostile_extra_mb": round(with_mb - alone_mb, 1),
                "salesxl_vs_floor": round(alone_s / floor_s, 2),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
