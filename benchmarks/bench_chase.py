"""The chase list for N reps from the store: salesxl vs the full consolidation vs the floor.

    python benchmarks/bench_chase.py --reps 1000

Imports N generated daily reports (R rows each; the chase reads no rows, so a
few do) and a roster of N reps in 50 teams into an SQLite store once, then
prints one JSON object: seconds for `salesxl chase --db` end to end (start-up
included) and for `chase_store` in the process; the naive way — the whole
month consolidated from the store, whose 提交 Submissions sheet holds the same
answer; and the floor — one SELECT of who handed in what and when.  The aim:
1,000 reps in at most 2 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import time
from pathlib import Path

from _reports import generate, roster, run_salesxl

HERE = Path(__file__).resolve().parent
AS_OF = dt.date(2026, 11, 24)


def store(reps: int, rows: int) -> str:
    """The store with the roster and every rep's report (made once, then reused)."""
    from salesxl.store import import_files

    db = HERE / "_data" / f"chase_{reps}x{rows}.db"
    if not db.exists():
        paths = generate(HERE / "_data" / f"consolidate_{reps}x{rows}", reps, rows)
        url = f"sqlite:///{db}"
        import_files("roster", [roster(HERE / "_out" / f"roster_{reps}.xlsx", reps, 50)], db=url)
        # handed in by the morning of the 24th (the chase judges arrivals up to as-of)
        import_files("reports", paths, db=url, now=dt.datetime(2026, 11, 24, 8))
    return f"sqlite:///{db}"


def in_process(db: str, times: int) -> tuple[float, int]:
    from salesxl.consolidate.from_store import chase_store

    runs, owing = [], 0
    for _ in range(times):
        start = time.perf_counter()
        chase = chase_store(db, as_of=AS_OF)
        runs.append(time.perf_counter() - start)
        owing = len(chase.owing)
    return statistics.median(runs), owing


def naive(db: str) -> float:
    """The month consolidated from the store: its Submissions sheet answers the same."""
    from salesxl.consolidate.from_store import consolidate_store
    from salesxl.core.periods import Month

    start = time.perf_counter()
    summary = consolidate_store(db, period=Month(2026, 11), as_of=AS_OF, trend_months=1)
    assert summary.sheet("submissions").rows
    return time.perf_counter() - start


def floor(db: str) -> float:
    """One SELECT of the stored reports' rep, period and first arrival: nothing judged."""
    from sqlalchemy import create_engine, select

    from salesxl.store.schema import submissions

    engine = create_engine(db)
    start = time.perf_counter()
    with engine.connect() as conn:
        found = conn.execute(
            select(submissions.c.rep_id, submissions.c.period, submissions.c.first_seen)
        ).all()
    seconds = time.perf_counter() - start
    engine.dispose()
    assert found
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reps", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    (HERE / "_out").mkdir(exist_ok=True)
    db = store(args.reps, args.rows)
    command = ["chase", "--db", db, "--as-of", str(AS_OF), "--format", "json"]
    cli = statistics.median(
        run_salesxl(command, ok_codes=(0, 1))[0] for _ in range(max(1, args.repeat))
    )
    inside, owing = in_process(db, max(1, args.repeat))
    naive_s, floor_s = naive(db), statistics.median(floor(db) for _ in range(3))
    result = {
        "reps": args.reps,
        "reps_owing": owing,
        "salesxl_chase_cli_s": round(cli, 3),
        "chase_store_s": round(inside, 3),
        "naive_consolidate_s": round(naive_s, 3),
        "floor_select_s": round(floor_s, 4),
        "naive_vs_salesxl": round(naive_s / inside, 1),
        "salesxl_vs_floor": round(inside / floor_s, 1),
        "aim_2s_met": cli <= 2,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
