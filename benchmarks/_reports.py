"""Shared by the benchmarks: filled daily reports to read, and the raw-read floor."""

from __future__ import annotations

import datetime as dt
import random
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "SHAPES",
    "Run",
    "floor",
    "floor_and_salesxl",
    "generate",
    "measure_salesxl",
    "roster",
    "run_salesxl",
]

CUSTOMER_WORDS = ["恒瑞", "天河", "华联", "前海", "西湖", "东方", "长江", "金桥", "新源", "宏达"]
KINDS = ["贸易有限公司", "科技", "商贸", "物流", "医药", "食品"]


SHAPES = ("pool", "cold")  # reps working ~60 customers; cold callers, mostly new phone leads
POOL = 60


def _one_report(args: tuple[Path, int, int, int, int, str]) -> None:
    from salesxl.core.periods import Month
    from salesxl.forms import DAILY_REPORT
    from salesxl.write.templates import write_form

    path, index, rows, seed, problems, shape = args
    rng = random.Random(seed * 100_003 + index)

    def customer() -> tuple[str, str]:
        name = rng.choice(CUSTOMER_WORDS) + rng.choice(CUSTOMER_WORDS) + rng.choice(KINDS)
        return name, f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"

    customers = [customer() for _ in range(POOL if shape == "pool" else 5)]
    days = [dt.date(2026, 11, d) for d in range(1, 25) if dt.date(2026, 11, d).weekday() < 5]
    records = []
    for _ in range(rows):
        # A cold caller's contact is a new phone lead five times in six.
        if shape == "cold" and rng.random() < 5 / 6:
            customers.append(customer())
            (name, phone), source = customers[-1], "phone"
        else:
            (name, phone), source = (
                rng.choice(customers),
                rng.choice(["phone", "walkin", "visit", "referral"]),
            )
        stage = rng.choice("1234567") if shape == "pool" else rng.choice("1112347")
        qty = rng.randint(1, 20)
        price = rng.choice([88.0, 120.0, 368.0, 980.0])
        closed = stage == "7"
        records.append(
            {
                "date": rng.choice(days),
                "customer": name,
                "contact": "王经理",
                "phone": phone,
                "source": source,
                "grade": rng.choice("ABC"),
                "stage": stage,
                "product": "产品A",
                "qty": qty if closed else None,
                "price": price if closed else None,
                "amount": qty * price if closed else None,
                "deposit": round(qty * price * 0.1, 2) if closed else None,
                "next_followup": dt.date(2026, 11, 28),
                "notes": "跟进中",
            }
        )
    records.sort(key=lambda r: r["date"])
    _plant(records, problems)
    rep = f"S{index:04d}"
    write_form(
        path,
        DAILY_REPORT,
        header={
            "rep_name": f"销售{index}",
            "rep_id": rep,
            "region": f"区域{index % 3}",
            "team": f"团队{index % 12}",
            "month": Month(2026, 11),
        },
        rows={"daily": records},
    )


def _plant(records: list[dict], problems: int) -> None:
    """The mistakes reps make, one each, in rows spread over the month (at most five)."""
    won = [r for r in records if r["stage"] == "7"]
    spoil = [
        lambda: records[len(records) // 5].update(stage="8 已成交"),  # not_in_list
        lambda: won[0].update(amount=won[0]["amount"] + 100),  # amount_mismatch
        lambda: won[-1].update(deposit=won[-1]["amount"] * 2),  # deposit_exceeds_amount
        lambda: records[len(records) // 2].update(customer=None),  # required
        lambda: records[-1].update(date=dt.date(2026, 10, 31)),  # out_of_range
    ]
    for plant in spoil[:problems]:
        plant()


def generate(
    folder: Path, reps: int, rows: int, seed: int = 1, problems: int = 0, shape: str = "pool"
) -> list[Path]:
    """N filled daily reports of one shape, each with `problems` mistakes (cached: made
    only when missing)."""
    if shape not in SHAPES:
        raise ValueError(f"shape is one of {SHAPES}, not {shape!r}")
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"rep{i:04d}_daily.xlsx" for i in range(reps)]
    todo = [(p, i, rows, seed, problems, shape) for i, p in enumerate(paths) if not p.exists()]
    if todo:
        print(f"generating {len(todo)} reports of {rows} rows in {folder} ...", file=sys.stderr)
        with ProcessPoolExecutor() as pool:
            list(pool.map(_one_report, todo, chunksize=8))
    return paths


def roster(path: Path, reps: int, teams: int, regions: int = 5) -> Path:
    """A 花名册 of the generated reps S0000… in `teams` teams (each with its leader) over
    `regions` regions; the roster's team is the one that counts."""
    from salesxl.forms import ROSTER
    from salesxl.write.templates import write_form

    rows = [
        {
            "rep_id": f"S{i:04d}",
            "name": f"销售{i}",
            "region": f"区域{(i % teams) % regions}",
            "team": f"团队{i % teams}",
            "manager": f"主管{i % teams}",
            "level": "mid",
            "status": "active",
        }
        for i in range(reps)
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_form(path, ROSTER, rows={"reps": rows})


def floor(paths: list[Path]) -> float:
    """The raw python-calamine read of every sheet of every file, nothing else."""
    from python_calamine import CalamineWorkbook

    start = time.perf_counter()
    for p in paths:
        wb = CalamineWorkbook.from_path(str(p))
        for name in wb.sheet_names:
            wb.get_sheet_by_name(name).to_python()
    return time.perf_counter() - start


def floor_and_salesxl(
    paths: list[Path], command: list[str], times: int, ok_codes: tuple[int, ...] = (0,)
) -> tuple[float, float, dict[str, object]]:
    """The raw-read floor and one `salesxl` command, each run `times` times, interleaved.

    A shared machine is noisy: the median of each decides, not one slow or fast run;
    the CPU seconds (salesxl's whole process tree) are listed too.  Returns the two
    medians and the report fields (every run listed, the peak memory).
    """
    floors: list[float] = []
    floor_cpu: list[float] = []
    runs: list[Run] = []
    for _ in range(max(1, times)):
        cpu = time.process_time()
        floors.append(floor(paths))
        floor_cpu.append(time.process_time() - cpu)
        runs.append(measure_salesxl(command, ok_codes))
    floor_s, salesxl_s = statistics.median(floors), statistics.median(r.seconds for r in runs)
    return (
        floor_s,
        salesxl_s,
        {
            "floor_s": round(floor_s, 3),
            "floor_runs_s": [round(s, 3) for s in floors],
            "floor_cpu_s": round(statistics.median(floor_cpu), 3),
            "salesxl_s": round(salesxl_s, 3),
            "salesxl_runs_s": [round(r.seconds, 3) for r in runs],
            "salesxl_cpu_s": round(statistics.median(r.cpu for r in runs), 3),
            "salesxl_peak_mb": round(max(r.peak for r in runs) / 2**20, 1),
        },
    )


def _tree_rss(pid: int) -> int:
    """Resident memory (bytes) of a process and all its descendants, from /proc."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
            with open(f"/proc/{p}/task/{p}/children") as fh:
                todo.extend(int(c) for c in fh.read().split())
        except OSError:
            continue
    return total


@dataclass(frozen=True, slots=True)
class Run:
    """One `salesxl` command: wall seconds, peak memory of its process tree, CPU seconds of
    the tree (user + system, its worker processes included).  On a machine shared with
    other work the CPU seconds say more than the wall time."""

    seconds: float
    peak: int
    cpu: float


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_salesxl(args: list[str], ok_codes: tuple[int, ...] = (0,)) -> tuple[float, int]:
    """Wall seconds and peak tree memory of one `salesxl ...` command."""
    run = measure_salesxl(args, ok_codes)
    return run.seconds, run.peak


def measure_salesxl(args: list[str], ok_codes: tuple[int, ...] = (0,)) -> Run:
    """Run one `salesxl ...` command; its wall time, peak tree memory and CPU time."""
    exe = shutil.which("salesxl", path=str(Path(sys.executable).parent)) or "salesxl"
    cpu = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.Popen([exe, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - start
    stop.set()
    sampler.join()
    if proc.returncode not in ok_codes:
        said = (err or out).decode(errors="replace")[-4000:]  # the reasons come last
        raise SystemExit(f"salesxl {' '.join(args[:2])} exited {proc.returncode}:\n{said}")
    return Run(seconds, peak, _children_cpu() - cpu)
