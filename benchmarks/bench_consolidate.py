"""Consolidate N rep daily reports of R rows: salesxl vs the naive way vs the raw read floor.

    python benchmarks/bench_consolidate.py --reps 1000 --rows 250

Prints one JSON object: seconds for `salesxl consolidate` end to end (the
whole command as a user runs it, process start included; without and with
--details), for the naive way (per file pandas.read_excel with openpyxl,
then concat, groupby and to_excel), for the raw python-calamine read of the
same files, the ratios, and the peak memory of the salesxl process tree.
SPEC §10: ≥ 10× faster than naive, ≤ 2× the floor, peak ≤ 500 MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
PERIOD = "2026-11"
CUSTOMER_WORDS = ["恒瑞", "天河", "华联", "前海", "西湖", "东方", "长江", "金桥", "新源", "宏达"]
KINDS = ["贸易有限公司", "科技", "商贸", "物流", "医药", "食品"]


def _one_report(args: tuple[Path, int, int, int]) -> None:
    from salesxl.forms import DAILY_REPORT
    from salesxl.periods import Month
    from salesxl.templates import write_form

    path, index, rows, seed = args
    rng = random.Random(seed * 100_003 + index)
    customers = [(rng.choice(CUSTOMER_WORDS) + rng.choice(CUSTOMER_WORDS) + rng.choice(KINDS),
                  f"1{rng.choice('3578')}{rng.randrange(10**9):09d}") for _ in range(40)]
    days = [dt.date(2026, 11, d) for d in range(1, 25) if dt.date(2026, 11, d).weekday() < 5]
    records = []
    for _ in range(rows):
        name, phone = rng.choice(customers)
        stage = rng.choice("1234567")
        qty = rng.randint(1, 20)
        price = rng.choice([88.0, 120.0, 368.0, 980.0])
        closed = stage == "7"
        records.append({
            "date": rng.choice(days), "customer": name, "contact": "王经理", "phone": phone,
            "source": rng.choice(["phone", "walkin", "visit", "referral"]),
            "grade": rng.choice("ABC"), "stage": stage, "product": "产品A",
            "qty": qty if closed else None, "price": price if closed else None,
            "amount": qty * price if closed else None,
            "deposit": round(qty * price * 0.1, 2) if closed else None,
            "next_followup": dt.date(2026, 11, 28), "notes": "跟进中"})
    records.sort(key=lambda r: r["date"])
    rep = f"S{index:04d}"
    write_form(path, DAILY_REPORT, header={
        "rep_name": f"销售{index}", "rep_id": rep, "region": f"区域{index % 3}",
        "team": f"团队{index % 12}", "month": Month(2026, 11)}, rows={"daily": records})


def generate(folder: Path, reps: int, rows: int, seed: int = 1) -> list[Path]:
    """N filled daily reports (cached: regenerated only when missing)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"rep{i:04d}_daily.xlsx" for i in range(reps)]
    todo = [(p, i, rows, seed) for i, p in enumerate(paths) if not p.exists()]
    if todo:
        print(f"generating {len(todo)} reports of {rows} rows in {folder} ...", file=sys.stderr)
        with ProcessPoolExecutor() as pool:
            list(pool.map(_one_report, todo, chunksize=8))
    return paths


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


def floor(paths: list[Path]) -> float:
    """The raw python-calamine read of every sheet of every file, nothing else."""
    from python_calamine import CalamineWorkbook

    start = time.perf_counter()
    for p in paths:
        wb = CalamineWorkbook.from_path(str(p))
        for name in wb.sheet_names:
            wb.get_sheet_by_name(name).to_python()
    return time.perf_counter() - start


def xlsxwriter_alone(paths: list[Path], out: Path) -> float:
    """What xlsxwriter alone needs to write the Details rows: the same cells, as a table."""
    import xlsxwriter
    from python_calamine import CalamineWorkbook

    rows = []
    for p in paths:  # the rows as they sit in the files, plus the 6 columns Details adds
        sheet = CalamineWorkbook.from_path(str(p)).get_sheet_by_name("日报 Daily").to_python()
        header = next(i for i, r in enumerate(sheet) if r and r[0] == "日期*\nDate")
        rows.extend(["S0001", "销售", "团队", "区域", p.name, i, *r]
                    for i, r in enumerate(sheet[header + 1:], start=header + 2) if r[0] != "")
    start = time.perf_counter()
    wb = xlsxwriter.Workbook(str(out), {"strings_to_numbers": False, "strings_to_formulas": False,
                                        "strings_to_urls": False})
    ws = wb.add_worksheet("Details")
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.add_table(0, 0, len(rows), len(rows[0]) - 1,
                 {"columns": [{"header": f"c{i}"} for i in range(len(rows[0]))]})
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


def run_salesxl(args: list[str]) -> tuple[float, int]:
    """Wall seconds and peak tree memory of one `salesxl ...` command."""
    exe = shutil.which("salesxl", path=str(Path(sys.executable).parent)) or "salesxl"
    start = time.perf_counter()
    proc = subprocess.Popen([exe, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - start
    stop.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"salesxl failed: {err.decode()}")
    return seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reps", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=250)
    parser.add_argument("--data", type=Path, default=HERE / "_data")
    parser.add_argument("--skip-naive", action="store_true", help="the naive way takes minutes")
    args = parser.parse_args()
    folder = args.data / f"consolidate_{args.reps}x{args.rows}"
    paths = generate(folder, args.reps, args.rows)
    out = HERE / "_out"
    out.mkdir(exist_ok=True)
    common = ["consolidate", str(folder), "--period", PERIOD, "--as-of", "2026-11-24"]
    floor(paths[: min(20, len(paths))])  # warm the page cache for everyone alike
    result: dict[str, float | int | str] = {"reps": args.reps, "rows": args.rows,
                                            "cores": os.cpu_count() or 1}
    result["floor_s"] = round(floor(paths), 3)
    seconds, peak = run_salesxl([*common, "-o", str(out / "summary.xlsx")])
    result["salesxl_s"] = round(seconds, 3)
    result["salesxl_peak_mb"] = round(peak / 2**20, 1)
    seconds, peak = run_salesxl([*common, "-o", str(out / "summary_details.xlsx"), "--details"])
    result["salesxl_details_s"] = round(seconds, 3)
    result["salesxl_details_peak_mb"] = round(peak / 2**20, 1)
    result["salesxl_vs_floor"] = round(result["salesxl_s"] / result["floor_s"], 2)
    result["details_extra_s"] = round(result["salesxl_details_s"] - result["salesxl_s"], 3)
    result["xlsxwriter_alone_details_s"] = round(xlsxwriter_alone(paths, out / "alone.xlsx"), 3)
    if not args.skip_naive:
        result["naive_s"] = round(naive(paths, out / "naive.xlsx"), 3)
        result["naive_vs_salesxl"] = round(result["naive_s"] / result["salesxl_s"], 1)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
