"""How soon `salesxl watch` reacts to a dropped file: salesxl vs a scheduled job vs the floor.

    python benchmarks/bench_watch.py --inbox 100 --drops 10

Starts `salesxl watch` on an inbox already holding `--inbox` daily reports
(R rows each) with the default settle time (2 s) and refresh (60 s), waits
for its first summary, then copies in `--drops` more reports one at a time
and measures, for each, the seconds from the copy to the file's log line.
Prints one JSON object: the median and worst reaction, the floor (validating
one such report in the process, no waiting) and the naive way (a scheduled
job every minute, `--once`: on average half a minute's wait, plus its run),
with the ratios.  The aim: every reaction within 5 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _reports import generate

HERE = Path(__file__).resolve().parent
SALESXL = shutil.which("salesxl", path=str(Path(sys.executable).parent)) or "salesxl"


def wait_for(log: Path, text: str, seconds: float) -> float:
    """Seconds until a line of `log` contains `text` (SystemExit after `seconds`)."""
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        if log.exists() and any(text in line for line in log.read_text("utf-8").splitlines()):
            return time.perf_counter() - start
        time.sleep(0.05)
    raise SystemExit(f"no log line with {text!r} in {seconds} s")


def floor(path: Path) -> float:
    """Validating the file in the process: what the watch must do at the least."""
    from salesxl.intake.files import load_form
    from salesxl.validate import ValidationContext

    start = time.perf_counter()
    load_form(path, ValidationContext(today=dt.date(2026, 11, 24)))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--inbox", type=int, default=100, help="reports there at the start")
    parser.add_argument("--drops", type=int, default=10, help="reports dropped in, one by one")
    parser.add_argument("--rows", type=int, default=250)
    parser.add_argument("--poll", action="store_true", help="watch by polling (network shares)")
    args = parser.parse_args()
    paths = generate(
        HERE / "_data" / f"consolidate_1000x{args.rows}", args.inbox + args.drops, args.rows
    )
    work = Path(tempfile.mkdtemp(prefix="salesxl-bench-watch-"))
    inbox, log = work / "inbox", work / "watch.log"
    inbox.mkdir()
    for path in paths[: args.inbox]:
        shutil.copy(path, inbox / path.name)
    command = [SALESXL, "watch", str(inbox), "-o", str(work / "summary.xlsx"), "--log", str(log)]
    command += ["--period", "2026-11", "--as-of", "2026-11-24", "--max-runtime", "3600"]
    process = subprocess.Popen(
        command + (["--poll"] if args.poll else []),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    reactions = []
    try:
        # the inbox read, the first summary written (its line: status, then the file)
        started = wait_for(log, f"summary    {work / 'summary.xlsx'}", 600)
        for path in paths[args.inbox :]:
            time.sleep(1)  # files arrive apart
            shutil.copy(path, inbox / path.name)
            reactions.append(wait_for(log, f" {path.name}", 60))
        process.send_signal(signal.SIGTERM)
        stopped_ok = process.wait(timeout=300) == 0
    finally:
        if process.poll() is None:
            process.kill()
        shutil.rmtree(work, ignore_errors=True)
    floor_s = statistics.median(floor(p) for p in paths[args.inbox :][:5])
    typical, worst = statistics.median(reactions), max(reactions)
    naive_s = 30 + floor_s  # a job each minute: half a minute's wait on average, then its run
    result = {
        "inbox_reports": args.inbox,
        "drops": len(reactions),
        "rows": args.rows,
        "polling": args.poll,
        "start_to_first_summary_s": round(started, 2),
        "reaction_median_s": round(typical, 2),
        "reaction_max_s": round(worst, 2),
        "settle_s": 2.0,
        "floor_validate_one_s": round(floor_s, 3),
        "naive_cron_each_minute_mean_s": round(naive_s, 1),
        "naive_vs_salesxl": round(naive_s / typical, 1),
        "salesxl_vs_floor": round(typical / floor_s, 1),
        "stopped_cleanly": stopped_ok,
        "aim_5s_met": worst <= 5,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
