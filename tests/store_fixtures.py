"""Fixtures and file builders shared by the store tests.

`store_url` runs a test against SQLite and against a real PostgreSQL
server that this module starts once per session (initdb + pg_ctl in a
temporary folder on a free port; as root, the server runs as the
`postgres` user, else `nobody`).  The PostgreSQL half skips, saying why,
only when the server binaries are not installed.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import create_engine, select

from salesxl.core.periods import Month, Week
from salesxl.forms import DAILY_REPORT, MONTHLY_PLAN, ROSTER, SALES_RECORDS, WEEKLY_PLAN
from salesxl.store import import_files
from salesxl.store.engine import resolve_url
from salesxl.store.schema import metadata
from salesxl.validate import FormData, TableData
from salesxl.write.templates import write_form

NOV = Month(2026, 11)
SALES_HEADER = [f.zh for f in SALES_RECORDS.main_table.fields if f.key != "rep_name"]  # by ID


# ----------------------------------------------------------------------------
# PostgreSQL: a throwaway server for the session
# ----------------------------------------------------------------------------


def pg_bindir() -> Path | None:
    """Where initdb and pg_ctl are: on PATH, else the newest /usr/lib/postgresql/*/bin."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).parent
    candidates = [
        p.parent
        for p in Path("/usr/lib/postgresql").glob("*/bin/initdb")
        if (p.parent / "pg_ctl").exists()
    ]
    candidates.sort(key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    return candidates[-1] if candidates else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_user() -> pwd.struct_passwd | None:
    """PostgreSQL refuses to run as root: use the `postgres` account, else `nobody`."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    pytest.skip("running as root and there is no postgres or nobody user to run PostgreSQL as")


def _run(args: Sequence[str | Path], user: pwd.struct_passwd | None) -> None:
    extra: dict[str, Any] = {}
    if user is not None:
        extra = {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    done = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, env=env, check=False, **extra
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, args))} failed:\n{done.stdout}\n{done.stderr}")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """`postgresql://postgres@127.0.0.1:PORT` of a server started for this test session."""
    bindir = pg_bindir()
    if bindir is None:
        pytest.skip(
            "PostgreSQL server binaries (initdb, pg_ctl) not found; install Debian's "
            "postgresql package to run the PostgreSQL half of the store tests"
        )
    user = _server_user()
    # As root, the server's user must reach its folder: /tmp, whatever $TMPDIR says.
    shared = "/tmp" if user is not None and Path("/tmp").is_dir() else None
    root = Path(tempfile.mkdtemp(prefix="salesxl-pg-", dir=shared))
    if user is not None:
        os.chown(root, user.pw_uid, user.pw_gid)
    data, port = root / "data", _free_port()
    _run(
        [
            bindir / "initdb",
            "-D",
            data,
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        ],
        user,
    )
    options = (
        f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=50"
    )
    _run(
        [
            bindir / "pg_ctl",
            "-D",
            data,
            "-l",
            root / "server.log",
            "-w",
            "-t",
            "60",
            "-o",
            options,
            "start",
        ],
        user,
    )
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        try:
            _run([bindir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"], user)
        finally:
            shutil.rmtree(root, ignore_errors=True)


_database_numbers = itertools.count(1)


def _pg_database(base: str) -> Iterator[str]:
    import psycopg

    name = f"salesxl_test_{os.getpid()}_{next(_database_numbers)}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """An empty database on the session's PostgreSQL server."""
    yield from _pg_database(pg_server)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty store: an SQLite file, or a fresh database on the session's PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    yield from _pg_database(request.getfixturevalue("pg_server"))


def dump_tables(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every store table, in primary-key order (to compare whole databases)."""
    engine = create_engine(resolve_url(url))
    try:
        with engine.connect() as conn:
            return {
                t.name: [tuple(r) for r in conn.execute(select(t).order_by(*t.primary_key.columns))]
                for t in metadata.sorted_tables
            }
    finally:
        engine.dispose()


def query(url: str, statement: Any) -> list[Any]:
    engine = create_engine(resolve_url(url))
    try:
        with engine.connect() as conn:
            return list(conn.execute(statement))
    finally:
        engine.dispose()


# ----------------------------------------------------------------------------
# Files, written from the form descriptions
# ----------------------------------------------------------------------------


def contact(day: int | dt.date, customer: str, month: Month = NOV, **values: Any) -> dict[str, Any]:
    date = day if isinstance(day, dt.date) else dt.date(month.year, month.month, day)
    return {"date": date, "customer": customer, **values}


def import_future_dates(store_url: str, folder: Path) -> None:
    """Two daily reports imported on 20 November with dates ahead of it (未来日期 warnings):
    S001's 日清 Day close row 10 (the 25th) shares its row number with a contact of the 2nd
    (closes on rows 4 to 10); S002's contact sheet is renamed "Daily", its rows 10 and 11
    are the 23rd and the 28th."""
    s001 = daily_file(
        folder,
        "S001",
        [contact(2, "甲公司")],
        closes=[
            {"date": dt.date(2026, 11, day), "forecast": 100.0} for day in (2, 3, 4, 5, 6, 9, 25)
        ],
    )
    s002 = daily_file(folder, "S002", [contact(23, "丙公司"), contact(28, "丁公司")])
    book = openpyxl.load_workbook(s002)
    book["日报 Daily"].title = "Daily"
    book.save(s002)
    import_files("reports", [s001, s002], db=store_url, now=dt.datetime(2026, 11, 20, 9))


def daily_file(
    folder: Path,
    rep: str,
    rows: list[dict[str, Any]],
    *,
    month: Month = NOV,
    closes: list[dict[str, Any]] | None = None,
    name: str | None = None,
    team: str = "一组",
    region: str = "华东",
    month_target: float | None = None,
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    header = {
        "rep_name": f"销售{rep}",
        "rep_id": rep,
        "region": region,
        "team": team,
        "month": month,
    }
    if month_target is not None:
        header["month_target"] = month_target
    tables = {"daily": rows}
    if closes is not None:
        tables["day_close"] = closes
    return write_form(
        folder / (name or f"{rep}_{month}_日报.xlsx"), DAILY_REPORT, header=header, rows=tables
    )


def weekly_file(
    folder: Path, rep: str, week: Week, rows: list[dict[str, Any]], name: str | None = None
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return write_form(
        folder / (name or f"{rep}_{week}_周计划.xlsx"),
        WEEKLY_PLAN,
        header={"rep_name": f"销售{rep}", "rep_id": rep, "week": week},
        rows={"plan": rows, "last_week": [{"summary": "拜访 5 家", "analysis": "A 类 2 家"}]},
    )


def monthly_file(
    folder: Path,
    rep: str,
    rows: list[dict[str, Any]],
    *,
    month: Month = NOV,
    month_target: float = 100000,
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return write_form(
        folder / f"{rep}_{month}_月计划.xlsx",
        MONTHLY_PLAN,
        header={
            "rep_name": f"销售{rep}",
            "rep_id": rep,
            "month": month,
            "month_target": month_target,
        },
        rows={"accounts": rows},
    )


def roster_file(path: Path, reps: list[dict[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_form(path, ROSTER, rows={"reps": reps})


def rep(rep_id: str, **values: Any) -> dict[str, Any]:
    return {
        "rep_id": rep_id,
        "name": f"销售{rep_id}",
        "region": "华东",
        "team": "一组",
        "level": "mid",
        "status": "active",
        **values,
    }


def sales_csv(path: Path, rows: Sequence[Sequence[Any]], *, encoding: str = "utf-8") -> Path:
    """An ERP export as CSV: 日期, 工号, 客户名称, 产品, 规格, 批号, 有效期, 生产厂家, 数量, 单价, 金额."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding=encoding) as f:
        writer = csv.writer(f)
        writer.writerow(SALES_HEADER)
        writer.writerows(rows)
    return path


def sale(
    day: dt.date,
    rep_id: str,
    customer: str,
    product: str,
    qty: float,
    price: float,
    amount: float | None = None,
) -> list[Any]:
    total = round(qty * price, 2) if amount is None else amount
    return [
        day.isoformat(),
        rep_id,
        customer,
        product,
        "10mg*20",
        "B001",
        "2028-12-31",
        "某药厂",
        qty,
        price,
        total,
    ]


def generated_sales(
    n: int, *, start: dt.date = dt.date(2024, 1, 1), reps: int = 300, days: int = 700
) -> list[list[Any]]:
    """`n` plausible ERP lines (deterministic): S000.., 40 products, 5,000 customers."""
    rows = []
    for i in range(n):
        qty = 1 + i % 50
        price = 5 + (i * 37 % 49500) / 100
        rows.append(
            sale(
                start + dt.timedelta(days=i % days),
                f"S{i % reps:03d}",
                f"客户{i % 5000}",
                f"产品{i % 40}",
                qty,
                price,
            )
        )
    return rows


def targets_form(rows, path="targets.xlsx") -> FormData:
    """The 明细 Long sheet of targets.xlsx, as the targets form (table `long`) reads it."""
    records = [
        {
            "level": level,
            "unit": unit,
            "parent": parent,
            "product": product,
            "month": month,
            "target": target,
            "_row": i + 2,
        }
        for i, (level, unit, parent, product, month, target) in enumerate(rows)
    ]
    columns = dict(
        zip(["level", "unit", "parent", "product", "month", "target"], "ABCDEF", strict=True)
    )
    return FormData(path, "targets", {}, {"long": TableData("long", "明细 Long", records, columns)})
