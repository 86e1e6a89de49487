"""Import speed into SQLite: 200,000 ERP sales rows, and 1,000 rep daily reports.

    python benchmarks/bench_import.py [--rows 200000] [--reports 1000] [--report-rows 250]

Prints, for the sales export (CSV and xlsx), the naive way (pandas read +
`to_sql`: nothing checked) and the raw-read floor (csv / python-calamine),
then the time to read it through the
one reader (`load_form`), the time to write what was read into the store
(`import_form` on an open store: the transaction, the bulk insert, the
customers and report days, the audit entry), and the
whole `import_files` call, each as rows per second; then the same split for
1,000 daily reports, and the time a second import of the same folder takes
(every file unchanged: hashing only).  Inputs are generated once into
benchmarks/_data/ (reused while their sizes match).  Aim: at least 50,000
rows per second.  `--postgresql` also times each `import_files` into a
PostgreSQL server the benchmark starts (as the tests start theirs).

Then an export from another system (issue 17): 15,000 ERP order lines with
order numbers, a ship date, synonyms for every label (订单日期, 业务员编号,
存货名称, 含税金额, …) and US dates (1/24/2025), against the same lines
with salesxl's own labels and ISO dates; aim: no slower (ratio ≤ 1).
`--erp-only` runs just that comparison; `--sales-only` just the two sales exports (CSV and
xlsx, each against the naive way and the floor).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import gc
import hashlib
import os
import resource
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import xlsxwriter

from salesxl.core.periods import Month
from salesxl.forms import DAILY_REPORT, SALES_RECORDS
from salesxl.intake.files import collect_files, load_form, load_forms
from salesxl.store import import_files, import_form, open_store
from salesxl.validate import ValidationContext
from salesxl.write.templates import write_form

DATA = Path(__file__).resolve().parent / "_data" / "import"
TODAY = dt.date(2026, 11, 30)
NOV = Month(2026, 11)


def sales_rows(n: int) -> list[list[object]]:
    rows = []
    start = dt.date(2024, 1, 1)
    for i in range(n):
        qty = 1 + i % 50
        price = 5 + (i * 37 % 49500) / 100
        rows.append(
            [
                start + dt.timedelta(days=i % 700),
                f"S{i % 300:03d}",
                f"客户{i % 5000}",
                f"产品{i % 40}",
                "10mg*20",
                f"B{i % 999:03d}",
                dt.date(2028, 12, 31),
                "某药厂",
                qty,
                price,
                round(qty * price, 2),
            ]
        )
    return rows


def sales_files(n: int) -> tuple[Path, Path]:
    folder = DATA / f"sales_{n}"
    csv_path, xlsx_path = folder / "erp_export.csv", folder / "erp_export.xlsx"
    if csv_path.exists() and xlsx_path.exists():
        return csv_path, xlsx_path
    folder.mkdir(parents=True, exist_ok=True)
    rows = sales_rows(n)
    labels = [f.zh for f in SALES_RECORDS.main_table.fields if f.key != "rep_name"]
    with csv_path.open("w", newline="", encoding="gbk") as f:  # ERPs in China export GBK
        writer = csv.writer(f)
        writer.writerow(labels)
        writer.writerows(
            [[v.isoformat() if isinstance(v, dt.date) else v for v in r] for r in rows]
        )
    book = xlsxwriter.Workbook(str(xlsx_path), {"constant_memory": True})
    sheet = book.add_worksheet("销售明细")
    dates = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, labels)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), dates)
            else:
                sheet.write(r, c, value)
    book.close()
    return csv_path, xlsx_path


def _write_report(args: tuple[Path, int, int]) -> None:
    path, k, n = args
    rows = []
    for i in range(n):
        day = dt.date(2026, 11, 2 + (i * 28) // n)
        stage = str(1 + (i + k) % 7)
        amount = 100.0 * (1 + i % 9) if stage == "7" else None
        rows.append(
            {
                "date": day,
                "customer": f"客户{k}-{i % 120}",
                "phone": f"139{k:04d}{i % 120:04d}",
                "source": ("phone", "walkin", "visit")[i % 3],
                "grade": "ABC"[i % 3],
                "stage": stage,
                "product": f"产品{i % 40}",
                "amount": amount,
                "next_followup": day + dt.timedelta(days=3),
                "notes": "拜访",
            }
        )
    write_form(
        path,
        DAILY_REPORT,
        header={
            "rep_name": f"销售{k}",
            "rep_id": f"S{k:04d}",
            "region": "华东",
            "team": f"{k // 10}组",
            "month": NOV,
        },
        rows={"daily": rows},
    )


def report_folder(count: int, rows: int) -> Path:
    folder = DATA / f"reports_{count}x{rows}"
    if folder.exists() and len(list(folder.glob("*.xlsx"))) == count:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    jobs = [(folder / f"S{k:04d}_2026-11_日报.xlsx", k, rows) for k in range(count)]
    with ProcessPoolExecutor() as pool:
        list(pool.map(_write_report, jobs, chunksize=16))
    return folder


def _hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _cpu() -> float:
    """CPU seconds of this process and of the reading processes it has ended."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _per_cpu(rows: int, cpu: float) -> str:
    """On a shared machine wall time says how busy the others were; CPU time does not."""
    return f"cpu {cpu:5.2f} s: {rows / cpu:9,.0f} rows per cpu-s"


def _pg_import(kind: str, path: Path, rows: int, pg: str | None) -> str:
    """`import_files` into a new PostgreSQL database on the server at `pg` (when given)."""
    if pg is None:
        return ""
    from _postgres import create_database, server_cpu

    url = create_database(pg, f"bench_{kind}_{path.suffix[1:] or 'folder'}")
    c0, s0, t0 = _cpu(), server_cpu(url), time.perf_counter()
    result = import_files(kind, [path], db=url)
    took = time.perf_counter() - t0
    cpu = _cpu() - c0 + server_cpu(url) - s0
    assert result.rows == rows, result.to_dict()["issues"][:2]
    return (
        f"\n           into PostgreSQL {took:6.2f} s ({rows / took:9,.0f} rows/s;"
        f" {_per_cpu(rows, cpu)}, the server's included)"
    )


def bench_sales(path: Path, n: int, work: Path, pg: str | None = None) -> None:
    ctx = ValidationContext(today=TODAY)
    t0 = time.perf_counter()
    data = load_form(path, ctx)
    read = time.perf_counter() - t0
    assert data.form_id == "sales_records" and len(data.records("sales")) == n, data.issues[:3]
    with open_store(f"sqlite:///{work / f'split_{path.suffix[1:]}.db'}") as engine:
        t0 = time.perf_counter()
        result = import_form(
            "sales", data, db=engine, content_hash=_hash(path), now=dt.datetime.now()
        )
        write = time.perf_counter() - t0
    assert result.rows == n, result
    del data, result  # as in `salesxl import`: nothing else alive for the collector to scan
    gc.collect()
    db = f"sqlite:///{work / f'whole_{path.suffix[1:]}.db'}"
    c0, t0 = _cpu(), time.perf_counter()
    whole = import_files("sales", [path], db=db)
    total, cpu = time.perf_counter() - t0, _cpu() - c0
    assert whole.rows == n
    naive = _naive_sales(path, work)
    floor = _raw_read(path)
    on_pg = _pg_import("sales", path, n, pg)
    print(
        f"sales {path.suffix[1:]:<4}  {n:,} rows  read {read:6.2f} s ({n / read:9,.0f} rows/s)"
        f"  write {write:5.2f} s ({n / write:9,.0f} rows/s)"
        f"  import_files {total:6.2f} s ({n / total:9,.0f} rows/s; {_per_cpu(n, cpu)}){on_pg}"
    )
    print(
        f"           naive pandas read + to_sql {naive:6.2f} s (salesxl {naive / total:4.2f}× "
        f"its speed); raw read floor {floor:5.2f} s (salesxl takes {total / floor:4.2f}× it)"
    )


def _naive_sales(path: Path, work: Path) -> float:
    """What a script would do: pandas reads the export, `to_sql` appends it; nothing checked,
    no history, no idempotency."""
    import sqlite3

    import pandas as pd

    t0 = time.perf_counter()
    if path.suffix == ".csv":
        frame = pd.read_csv(path, encoding="gbk")
    else:
        frame = pd.read_excel(path, engine="openpyxl")
    with sqlite3.connect(work / f"naive_{path.suffix[1:]}.db") as conn:
        frame.to_sql("sales", conn, if_exists="replace", index=False, chunksize=20_000)
    return time.perf_counter() - t0


def _raw_read(path: Path) -> float:
    """The floor: the cells and nothing else (csv module / python-calamine)."""
    t0 = time.perf_counter()
    if path.suffix == ".csv":
        with path.open(encoding="gbk", newline="") as f:
            rows = list(csv.reader(f))
    else:
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_path(str(path))
        rows = book.get_sheet_by_index(0).to_python()
    assert len(rows) > 1
    return time.perf_counter() - t0


def bench_reports(folder: Path, work: Path, workers: int | None, pg: str | None = None) -> None:
    files, _ = collect_files([folder])
    files = [f.resolve() for f in files]
    ctx = ValidationContext(today=TODAY)
    t0 = time.perf_counter()
    forms = load_forms(files, ctx, workers=workers)
    read = time.perf_counter() - t0
    rows = sum(len(t.records) for f in forms for t in f.tables.values())
    hashes = [_hash(path) for path in files]
    with open_store(f"sqlite:///{work / 'reports_split.db'}") as engine:
        t0 = time.perf_counter()
        for digest, data in zip(hashes, forms, strict=True):
            result = import_form(
                "reports", data, db=engine, content_hash=digest, now=dt.datetime.now()
            )
            assert result.status == "imported", (result.note, result.issues[:2])
        write = time.perf_counter() - t0
    db = f"sqlite:///{work / 'reports_whole.db'}"
    c0, t0 = _cpu(), time.perf_counter()
    whole = import_files("reports", [folder], db=db, workers=workers)
    total, cpu = time.perf_counter() - t0, _cpu() - c0
    assert whole.count("imported") == len(files), whole.to_dict()["issues"][:2]
    t0 = time.perf_counter()
    again = import_files("reports", [folder], db=db, workers=workers)
    repeat = time.perf_counter() - t0
    assert again.count("unchanged") == len(files)
    on_pg = _pg_import("reports", folder, rows, pg)
    n = len(files)
    print(
        f"reports    {n:,} files, {rows:,} rows  read {read:6.2f} s ({rows / read:9,.0f} rows/s)"
        f"  write {write:5.2f} s ({rows / write:9,.0f} rows/s, {write / n * 1000:.1f} ms/file)"
    )
    print(
        f"           import_files {total:6.2f} s ({rows / total:9,.0f} rows/s;"
        f" {_per_cpu(rows, cpu)}); the same folder again (all unchanged) {repeat:5.2f} s{on_pg}"
    )


ERP_SYNONYMS = [
    "订单编号",
    "订单日期",
    "发货日期",
    "业务员编号",
    "客户名称",
    "存货名称",
    "销售数量",
    "含税单价",
    "含税金额",
]
OWN_LABELS = ["订单编号", "日期", "发货日期", "工号", "客户名称", "产品", "数量", "单价", "金额"]


def erp_files(n: int) -> tuple[Path, Path]:
    """The same order lines twice: salesxl's labels and ISO dates; an ERP's synonyms and US
    dates.  Both GBK, both with the order number and ship date salesxl does not use."""
    folder = DATA / f"erp_{n}"
    own, erp = folder / "own_labels.csv", folder / "erp_synonyms_us_dates.csv"
    if own.exists() and erp.exists():
        return own, erp
    folder.mkdir(parents=True, exist_ok=True)
    start = dt.date(2025, 1, 1)
    lines = []
    for i in range(n):
        day = start + dt.timedelta(days=i % 365)
        ship = day + dt.timedelta(days=2)
        qty = 1 + i % 20
        price = round(5 + (i * 37 % 9500) / 100, 2)
        lines.append(
            (
                f"SO{i:07d}",
                day,
                ship,
                f"S{i % 120:03d}",
                f"客户{i % 3000}",
                f"产品{i % 60}",
                qty,
                price,
                round(qty * price, 2),
            )
        )
    for path, header, spell in (
        (own, OWN_LABELS, lambda d: d.isoformat()),
        (erp, ERP_SYNONYMS, lambda d: f"{d.month}/{d.day}/{d.year}"),
    ):
        with path.open("w", newline="", encoding="gbk") as f:
            writer = csv.writer(f)
            writer.writerow(header)
            writer.writerows(
                [order, spell(day), spell(ship), *rest] for order, day, ship, *rest in lines
            )
    return own, erp


def bench_erp(n: int, work: Path, rounds: int = 5) -> None:
    """Best of `rounds` for each file, the two files alternating (a shared machine is noisy)."""
    own, erp = erp_files(n)
    files = {"own labels, ISO dates": own, "ERP synonyms, US dates": erp}
    times = {label: float("inf") for label in files}
    for k in range(rounds):
        for label, path in files.items():
            db = f"sqlite:///{work / f'erp_{path.stem}_{k}.db'}"
            gc.collect()
            t0 = time.perf_counter()
            result = import_files("sales", [path], db=db, now=dt.datetime(2026, 1, 10))
            times[label] = min(times[label], time.perf_counter() - t0)
            assert result.rows == n and result.count("imported") == 1, result.to_dict()["issues"][
                :3
            ]
    for label, best in times.items():
        print(f"erp   {label:<24} {n:,} rows  import_files {best:6.3f} s ({n / best:9,.0f} rows/s)")
    ratio = times["ERP synonyms, US dates"] / times["own labels, ISO dates"]
    print(
        f"      synonyms + US dates take {ratio:4.2f}× the time of salesxl's own labels (aim ≤ 1.00)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--report-rows", type=int, default=250)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--erp-rows", type=int, default=15_000)
    parser.add_argument("--erp-only", action="store_true")
    parser.add_argument("--sales-only", action="store_true", help="only the two sales exports")
    parser.add_argument("--postgresql", action="store_true", help="also import into PostgreSQL")
    args = parser.parse_args()
    print("preparing inputs in", DATA, "; load average", os.getloadavg()[0], flush=True)
    if args.erp_only:
        work = Path(tempfile.mkdtemp(prefix="salesxl-bench-"))
        try:
            bench_erp(args.erp_rows, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return
    csv_path, xlsx_path = sales_files(args.rows)
    folder = None if args.sales_only else report_folder(args.reports, args.report_rows)
    work = Path(tempfile.mkdtemp(prefix="salesxl-bench-"))
    with contextlib.ExitStack() as stack:
        pg = None
        if args.postgresql:
            from _postgres import server

            pg = stack.enter_context(server())
        try:
            bench_sales(csv_path, args.rows, work, pg)
            bench_sales(xlsx_path, args.rows, work, pg)
            if folder is not None:
                bench_reports(folder, work, args.workers, pg)
                bench_erp(args.erp_rows, work)
            print(f"load average at the end {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        finally:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
