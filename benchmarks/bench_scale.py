"""A large company's year in the store: import, a month from the store, the chase list, targets.

    python benchmarks/bench_scale.py --reps 5000 --months 12      # the full size
    python benchmarks/bench_scale.py --reps 50 --months 2         # a quick look

Generates (once, cached under benchmarks/_data/) a year of daily reports —
`--reps` reps × `--months` months of 2025 × `--rows` contact rows, each rep
working a pool of about 60 customers that changes a little every month —
a roster, `--sales` ERP sales records in monthly exports, and a targets
input for every unit.  Then, on a PostgreSQL server the benchmark starts
(as the tests start theirs), it times each step as a user runs it (the
`salesxl` command, process start included, peak memory of its process
tree): `salesxl import` of the roster, the reports and the sales; `salesxl
consolidate --db` of the last month; `salesxl chase --db` at its end;
`salesxl targets split --db` for every unit with the store's sales as
history (the next year's, whose holidays the input lists, assumed: a unit
without enough history is split by workdays).  The same month's consolidation then runs on SQLite for the first
`--sqlite-reps` reps (imported there first).  Prints one JSON object
(`import_year`: the rows of both imports over both their times, the figure the aim is for).
README.md "Speed": import ≥ 50,000 rows/s; a month from the store of 5,000
reps ≤ 30 s with peak ≤ 1 GB.

Beside the month's consolidation it times the floor — one SELECT of the
month's contact rows, fetched and dropped — and, with `--naive`, the way
before the per-rep figures were computed in SQL: `consolidate --details`,
which loads every row of the month and the two before into Python.

    python benchmarks/bench_scale.py --db postgresql://u@host/sales --months 7

times the commands on a store imported before (no server is started, nothing
is imported): the way to iterate on a large store.  With `--pgdata DIR` the
benchmark's PostgreSQL server keeps its data in DIR: the first run imports
into it, later runs with the same DIR start the server on it and time the
commands on the store imported then (`--skip-sqlite` to time PostgreSQL only):

    python benchmarks/bench_scale.py --reps 5000 --months 2 --pgdata /tmp/pg5000x2 --skip-sqlite
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from _fastxlsx import choice_text, write_daily, write_table
from _postgres import create_database, server, server_cpu
from _reports import CUSTOMER_WORDS, KINDS, measure_salesxl

from salesxl.core.calendar import Workdays
from salesxl.core.periods import Month
from salesxl.forms import ROSTER, SALES_RECORDS, TARGETS_INPUT
from salesxl.write.templates import write_form

HERE = Path(__file__).resolve().parent
# A year that is over: imported in December of the year it covers, its last month's reports
# would hold days still to come, and every such row is rightly warned about (1.27 M
# `future_date` warnings for 5,000 reps on 4 December, a fifth more time for the import).
YEAR = 2025
BLOCK = 1000  # reps per folder: the SQLite run imports the first folders only
POOL = 60  # customers a rep works in a month
CHURN = 6  # of them replaced by new ones each month
SALES_PART = 250_000  # rows of an ERP sales export file at most (about 18 MB)


_OWN_SERVER: list[str] = []  # the server this run started, if any


def _rep_id(k: int) -> str:
    return f"S{k:05d}"


def _customer(rng: random.Random) -> tuple[str, str]:
    name = rng.choice(CUSTOMER_WORDS) + rng.choice(CUSTOMER_WORDS) + rng.choice(KINDS)
    return f"{name}{rng.randrange(1000)}", f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"


def _rep_year(args: tuple[Path, int, int, int, int]) -> int:
    """Every month's daily report of one rep; returns the rows written."""
    folder, k, months, rows, seed = args
    rng = random.Random(seed * 1_000_003 + k)
    calendar = Workdays()
    pool = [_customer(rng) for _ in range(POOL)]
    stage = {c: rng.randint(1, 3) for c in pool}
    written = 0
    rep = _rep_id(k)
    for m in range(1, months + 1):
        month = Month(YEAR, m)
        path = folder / f"r{k // BLOCK:02d}" / str(month) / f"{rep}_{month}_日报.xlsx"
        if m > 1:  # a few customers drop out, new leads come in
            for i in rng.sample(range(POOL), CHURN):
                pool[i] = _customer(rng)
                stage[pool[i]] = 1
        days = calendar.workdays_in(month)
        records = []
        for _ in range(rows):
            name, phone = rng.choice(pool)
            s = stage[(name, phone)] = min(7, stage[(name, phone)] + (rng.random() < 0.3))
            closed = s == 7
            qty, price = rng.randint(1, 20), rng.choice([88.0, 120.0, 368.0, 980.0])
            day = rng.choice(days)
            records.append(
                {
                    "date": day,
                    "customer": name,
                    "contact": "王经理",
                    "phone": phone,
                    "source": choice_text("source", rng.choice(["phone", "walkin", "visit"])),
                    "grade": choice_text("grade", rng.choice("ABC")),
                    "stage": choice_text("stage", str(s)),
                    "product": f"产品{rng.randrange(40)}",
                    "qty": qty if closed else None,
                    "price": price if closed else None,
                    "amount": qty * price if closed else None,
                    "deposit": round(qty * price * 0.1, 2) if closed else None,
                    "next_followup": day + dt.timedelta(days=3),
                    "notes": "跟进中",
                }
            )
            if closed:
                stage[(name, phone)] = 5  # a repeat order later
        records.sort(key=lambda r: r["date"])
        closes = [{"date": d, "forecast": float(rng.randrange(0, 20000, 100))} for d in days]
        if not path.exists():
            header = {
                "rep_name": f"销售{k}",
                "rep_id": rep,
                "region": f"区域{k // 500}",
                "team": f"{k // 10}组",
                "month": str(month),
            }
            write_daily(path, header, records, closes)
        written += rows
    return written


def _sales_month(args: tuple[Path, int, int, range, int]) -> None:
    """One ERP export of `n` sales records of the month, by the reps in `reps`."""
    path, month, n, reps, seed = args
    rng = random.Random(seed * 7919 + month)
    days = Workdays().workdays_in(Month(YEAR, month))
    # the rep by ID only, as most ERP exports give it (no 销售员 name column)
    labels = [f.zh for f in SALES_RECORDS.main_table.fields if f.key != "rep_name"]
    rows: list[list[object]] = [labels]
    for _ in range(n):
        qty, price = rng.randint(1, 50), rng.choice([5.5, 12.0, 88.0, 368.0])
        rows.append(
            [
                rng.choice(days),
                _rep_id(reps[rng.randrange(len(reps))]),
                f"客户{rng.randrange(50_000)}",
                f"产品{rng.randrange(40)}",
                "10mg*20",
                f"B{rng.randrange(999):03d}",
                dt.date(YEAR + 2, 12, 31),
                "某药厂",
                qty,
                price,
                round(qty * price, 2),
            ]
        )
    write_table(path, "销售明细", rows)


def generate(folder: Path, reps: int, months: int, rows: int, sales: int) -> dict[str, Path]:
    """The inputs (kept between runs: regenerated only when missing)."""
    done = folder / "complete"
    paths = {
        "reports": folder / "reports",
        "sales": folder / "sales",
        "roster": folder / "roster.xlsx",
        "targets_input": folder / "targets_input.xlsx",
    }
    if done.exists():
        _write_targets_input(paths["targets_input"], reps)  # cheap: always as this code writes it
        return paths
    print(f"generating {reps} reps × {months} months in {folder} ...", file=sys.stderr)
    with ProcessPoolExecutor() as pool:
        jobs = [(paths["reports"], k, months, rows, 1) for k in range(reps)]
        list(pool.map(_rep_year, jobs, chunksize=4))
        # A month's export in parts of at most SALES_PART rows, each for its own block of
        # reps: one file of a million rows is over the reader's file-size limit (50 MB), and
        # an export replaces what the store holds of its reps' days (parts by rep stay apart).
        per_month = sales // months
        parts = -(-per_month // SALES_PART)
        jobs2 = [
            (
                paths["sales"]
                / (f"erp_{YEAR}-{m:02d}.xlsx" if parts == 1 else f"erp_{YEAR}-{m:02d}_{p}.xlsx"),
                m,
                per_month // parts + (p <= per_month % parts),
                range((p - 1) * reps // parts, p * reps // parts),
                p,  # the seed: part 1 (a month in one file) is as it was before parts
            )
            for m in range(1, months + 1)
            for p in range(1, parts + 1)
        ]
        list(pool.map(_sales_month, jobs2))
    write_form(
        paths["roster"],
        ROSTER,
        rows={
            "reps": [
                {
                    "rep_id": _rep_id(k),
                    "name": f"销售{k}",
                    "region": f"区域{k // 500}",
                    "team": f"{k // 10}组",
                    "level": "mid",
                    "hire_date": dt.date(2024, 1, 1),
                    "status": "active",
                }
                for k in range(reps)
            ]
        },
    )
    _write_targets_input(paths["targets_input"], reps)
    done.touch()
    return paths


def _write_targets_input(path: Path, reps: int) -> None:
    """A targets input for every unit of the generated roster, with the plan year's days."""
    regions, teams = sorted({f"区域{k // 500}" for k in range(reps)}), reps // 10 + 1
    units = [{"level": "company", "unit": "HQ", "annual_target": 1_200_000.0 * reps}]
    units += [{"level": "region", "unit": r, "parent": "HQ"} for r in regions]
    units += [
        {"level": "team", "unit": f"{t}组", "parent": f"区域{t * 10 // 500}"}
        for t in range(teams)
        if t * 10 < reps
    ]
    units += [{"level": "rep", "unit": _rep_id(k), "parent": f"{k // 10}组"} for k in range(reps)]
    write_form(
        path,
        TARGETS_INPUT,
        header={"year": YEAR + 1, "method": "seasonal", "rounding": 100},
        rows={"annual": units, "workdays": _assumed_holidays(YEAR + 1)},
    )


def _timed(
    args: list[str], rows: int | None = None, ok: tuple[int, ...] = (0,)
) -> dict[str, object]:
    """Wall seconds, peak memory and CPU seconds of one command (and of the PostgreSQL
    server meanwhile, which works on the same cores)."""
    db = args[args.index("--db") + 1]
    # the server's CPU only when the benchmark started it (not a store given with --db)
    before = server_cpu(db) if db.startswith("postgresql") and _OWN_SERVER else None
    run = measure_salesxl(args, ok)
    out: dict[str, object] = {
        "s": round(run.seconds, 2),
        "peak_mb": round(run.peak / 2**20, 1),
        "cpu_s": round(run.cpu, 2),
    }
    if before is not None:
        out["server_cpu_s"] = round(server_cpu(db) - before, 2)
    if rows:
        out["rows"] = rows
        out["rows_per_s"] = round(rows / run.seconds)
        busy = run.cpu + float(out.get("server_cpu_s", 0.0))  # type: ignore[arg-type]
        out["rows_per_cpu_s"] = round(rows / busy)
    return out


def month_floor(db: str, month: Month) -> dict[str, object]:
    """The floor of a month from the store: one SELECT of the month's contact rows (every
    column), fetched through the driver and dropped."""
    from sqlalchemy import select

    from salesxl.store.engine import create_store_engine
    from salesxl.store.schema import activities, submissions

    engine = create_store_engine(db)
    try:
        start = time.perf_counter()
        with engine.connect() as conn:
            current = select(submissions.c.id).where(
                submissions.c.status == "current", submissions.c.period == str(month)
            )
            rows = 0
            result = conn.execution_options(yield_per=20_000).execute(
                select(activities).where(activities.c.submission_id.in_(current))
            )
            for part in result.partitions():
                rows += len(part)
        return {"s": round(time.perf_counter() - start, 2), "rows": rows}
    finally:
        engine.dispose()


def issues_stored(db: str) -> dict[str, int]:
    """The issues the store keeps from the import, by code, most first."""
    from sqlalchemy import func, select

    from salesxl.store.engine import create_store_engine
    from salesxl.store.schema import issues

    engine = create_store_engine(db)
    try:
        with engine.connect() as conn:
            n = func.count()
            found = conn.execute(
                select(issues.c.code, n).group_by(issues.c.code).order_by(n.desc())
            )
            return {code: count for code, count in found}
    finally:
        engine.dispose()


def store_run(
    db: str,
    paths: dict[str, Path] | None,
    reports: list[Path],
    rows: int,
    sales: int,
    months: int,
    *,
    import_only: bool = False,
    naive: bool = False,
    imported: Path | None = None,
) -> dict[str, object]:
    """Import everything into `db` (unless `paths` is None: imported before), then time what
    a manager runs on it (unless `import_only`).  `imported`: a file made once the import
    is done (a kept store is imported once)."""
    out: dict[str, object] = {}
    month = Month(YEAR, months)
    as_of = month.last_day.isoformat()
    work = HERE / "_out"
    work.mkdir(exist_ok=True)
    if paths is not None:
        out["import_roster"] = _timed(["import", "roster", str(paths["roster"]), "--db", db])
        out["import_reports"] = _timed(["import", "reports", *map(str, reports), "--db", db], rows)
        out["import_sales"] = _timed(["import", "sales", str(paths["sales"]), "--db", db], sales)
        # the aim is for the whole year: every row of both imports over both their times
        seconds = sum(float(out[k]["s"]) for k in ("import_reports", "import_sales"))  # type: ignore[index]
        out["import_year"] = {
            "s": round(seconds, 1),
            "rows": rows + sales,
            "rows_per_s": round((rows + sales) / seconds),
        }
        # what the files were warned about: a data set that drew warnings by the million
        # (a month still under way) times the warnings, not the import
        out["issues_stored"] = issues_stored(db)
        if imported is not None:
            imported.touch()
    if import_only:
        return out
    common = ["--db", db, "--period", str(month), "--as-of", as_of]
    summary = work / "scale_summary.xlsx"
    out["month_floor_select"] = month_floor(db, month)
    out["consolidate_month"] = _timed(["consolidate", *common, "-o", str(summary)], ok=(0, 1))
    floor = float(out["month_floor_select"]["s"])  # type: ignore[index]
    out["consolidate_vs_floor"] = round(float(out["consolidate_month"]["s"]) / floor, 1)  # type: ignore[index]
    if naive:  # every row into Python, as before the figures were computed in SQL
        detailed = work / "scale_summary_details.xlsx"
        out["consolidate_month_naive_details"] = _timed(
            ["consolidate", *common, "--details", "-o", str(detailed)], ok=(0, 1)
        )
    # who owes what at the month's end (exit 1: somebody does)
    out["chase"] = _timed(["chase", "--db", db, "--as-of", as_of], ok=(0, 1))
    targets = work / "scale_targets.xlsx"
    targets_input = (paths or {}).get("targets_input") or _targets_input(work, db)
    split = ["targets", "split", str(targets_input), "--db", db, "-o", str(targets)]
    out["targets_split_with_history"] = _timed(split)  # exit code 1: nothing was split
    return out


def _targets_input(work: Path, db: str) -> Path:
    """A targets input for every unit of the store's roster (a store imported before)."""
    from salesxl.store import stored_roster

    roster = stored_roster(db)
    reps = sorted(roster.reps.values(), key=lambda r: r.rep_id) if roster else []
    teams = {(r.region or "—", r.team or "—") for r in reps}
    units = [{"level": "company", "unit": "HQ", "annual_target": 1_200_000.0 * len(reps)}]
    units += [{"level": "region", "unit": g, "parent": "HQ"} for g in sorted({g for g, _ in teams})]
    units += [{"level": "team", "unit": t, "parent": g} for g, t in sorted(teams)]
    units += [{"level": "rep", "unit": r.rep_id, "parent": r.team or "—"} for r in reps]
    path = work / "scale_targets_input.xlsx"
    write_form(
        path,
        TARGETS_INPUT,
        header={"year": YEAR + 1, "method": "seasonal", "rounding": 100},
        rows={"annual": units, "workdays": _assumed_holidays(YEAR + 1)},
    )
    return path


def _assumed_holidays(year: int) -> list[dict[str, object]]:
    """The plan year's holidays for the 工作日 Workdays sheet, where the installed
    chinese-calendar does not know that year yet (a unit without history is split by
    workdays): the usual fixed days, assumed, not the State Council's announcement."""
    days = [dt.date(year, 1, 1), dt.date(year, 4, 5), dt.date(year, 6, 9), dt.date(year, 9, 15)]
    days += [dt.date(year, 2, d) for d in range(5, 12)]  # the Spring Festival week
    days += [dt.date(year, 5, d) for d in range(1, 6)]
    days += [dt.date(year, 10, d) for d in range(1, 8)]
    return [{"date": day, "type": "holiday"} for day in days]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reps", type=int, default=5000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--rows", type=int, default=250, help="contact rows a rep reports a month")
    parser.add_argument("--sales", type=int, default=2_000_000)
    parser.add_argument("--sqlite-reps", type=int, default=1000)
    parser.add_argument("--data", type=Path, default=HERE / "_data")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--import-only", action="store_true", help="time the imports only")
    parser.add_argument(
        "--naive", action="store_true", help="also time consolidate --details (every row)"
    )
    parser.add_argument(
        "--db", help="time the commands on this store, imported before (--months: its last month)"
    )
    parser.add_argument(
        "--pgdata",
        type=Path,
        help="keep the PostgreSQL server's data here; import into it once, time it on later runs",
    )
    args = parser.parse_args()
    if args.db:
        measured = store_run(args.db, None, [], 0, 0, args.months, naive=args.naive)
        print(json.dumps({"db": args.db, "months": args.months, **measured}, indent=2))
        return
    folder = args.data / f"scale_{YEAR}_{args.reps}x{args.months}x{args.rows}_{args.sales}"
    t0 = time.perf_counter()
    paths = generate(folder, args.reps, args.months, args.rows, args.sales)
    result: dict[str, object] = {
        "reps": args.reps,
        "months": args.months,
        "activity_rows": args.reps * args.months * args.rows,
        "sales_rows": args.sales // args.months * args.months,
        "cores": os.cpu_count() or 1,
        "load_average_at_start": os.getloadavg()[0],
        "generate_s": round(time.perf_counter() - t0, 1),
    }
    blocks = sorted(p for p in paths["reports"].iterdir() if p.is_dir())
    rows = args.reps * args.months * args.rows
    imported = args.pgdata / "imported" if args.pgdata else None
    with server(keep=args.pgdata) as base:
        _OWN_SERVER.append(base)
        again = imported is not None and imported.exists()
        url = f"{base}/salesxl_scale" if again else create_database(base, "salesxl_scale")
        result["postgresql"] = store_run(
            url,
            None if again else paths,
            blocks,
            rows,
            int(result["sales_rows"]),
            args.months,
            import_only=args.import_only,
            naive=args.naive,
            imported=imported,
        )
    if not args.skip_sqlite:
        n = min(args.sqlite_reps, args.reps)
        subset = blocks[: max(1, -(-n // BLOCK))]
        reps_in = min(args.reps, len(subset) * BLOCK)
        db_file = HERE / "_out" / "scale.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_file}{suffix}").unlink(missing_ok=True)
        result["sqlite_reps"] = reps_in
        result["sqlite"] = store_run(
            f"sqlite:///{db_file}",
            paths,
            subset,
            reps_in * args.months * args.rows,
            int(result["sales_rows"]),
            args.months,
            import_only=args.import_only,
            naive=args.naive,
        )
    result["load_average_at_end"] = os.getloadavg()[0]
    print(json.dumps(result, indent=2, ensure_ascii=False))
    shutil.rmtree(HERE / "_out" / "scale", ignore_errors=True)


if __name__ == "__main__":
    main()
