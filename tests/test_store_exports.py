"""Exports from other systems into the store: partial exports, remembered maps, reps by name.

Every test taking `store_url` runs on SQLite and on a real PostgreSQL server.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from sqlalchemy import (
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    func,
    insert,
    select,
    text,
)

from salesxl.cli import main
from salesxl.core.issues import Code
from salesxl.store import codec, import_files, resolve_url
from salesxl.store.migrations import SCHEMA_VERSION, migrate
from salesxl.store.schema import audit_log, column_maps, metadata, sales_records
from tests import store_fixtures
from tests.store_fixtures import query, rep, roster_file

pg_server = store_fixtures.pg_server
store_url = store_fixtures.store_url

T0 = dt.datetime(2026, 2, 5, 18, 0)
HEADER = [
    "订单编号",
    "订单日期",
    "发货日期",
    "客户名称",
    "业务员编号",
    "存货名称",
    "销售数量",
    "含税单价",
    "含税金额",
]


def erp_lines(
    first: dt.date, last: dt.date, reps: tuple[str, ...] = ("S001", "S002")
) -> list[list[Any]]:
    """One line per rep per day from `first` to `last`, amounts 10, 20, 30, … by day number."""
    lines = []
    day = first
    while day <= last:
        for k, rep_id in enumerate(reps):
            lines.append(
                [
                    f"SO{day:%m%d}{k}",
                    day.isoformat(),
                    day.isoformat(),
                    "客户甲",
                    rep_id,
                    "净水器",
                    1,
                    10.0 * day.day,
                    10.0 * day.day,
                ]
            )
        day += dt.timedelta(days=1)
    return lines


def write_export(path: Path, lines: list[list[Any]], header: list[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="gbk") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(lines)
    return path


def current(url: str) -> list[tuple[Any, ...]]:
    s = sales_records.c
    return sorted(query(url, select(s.rep_id, s.date, s.amount).where(s.replaced_by.is_(None))))


# ----------------------------------------------------------------------------
# Partial exports replace only the days they cover
# ----------------------------------------------------------------------------


def test_two_halves_of_a_month_are_both_kept(store_url, tmp_path):
    jan = dt.date(2026, 1, 1)
    first = write_export(tmp_path / "1-15.csv", erp_lines(jan, dt.date(2026, 1, 15)))
    second = write_export(
        tmp_path / "16-31.csv", erp_lines(dt.date(2026, 1, 16), dt.date(2026, 1, 31))
    )
    a = import_files("sales", [first], db=store_url, now=T0).files[0]
    b = import_files("sales", [second], db=store_url, now=T0).files[0]
    # 15 days × 2 reps = 30 lines, then 16 days × 2 reps = 32 lines; nothing overlaps.
    assert (a.status, a.added, a.replaced_rows, a.kept) == ("imported", 30, 0, 0)
    assert (b.status, b.added, b.replaced_rows, b.kept) == ("imported", 32, 0, 30)
    assert "32 rows added, 0 earlier rows replaced, 30 kept" in b.note
    rows = current(store_url)
    assert len(rows) == 62
    # every day's amount is 10 × its day number, for each of the 2 reps: 2 × 10 × (1+…+31)
    assert sum(amount for *_, amount in rows) == 2 * 10 * sum(range(1, 32))


def test_a_resubmitted_span_replaces_it_and_the_audit_log_keeps_the_old_version(
    store_url, tmp_path
):
    jan = dt.date(2026, 1, 1)
    old = write_export(tmp_path / "old.csv", erp_lines(jan, dt.date(2026, 1, 15)))
    import_files("sales", [old], db=store_url, now=T0)
    corrected = erp_lines(jan, dt.date(2026, 1, 15))
    corrected[0][8] = 999.0  # S001 on 1 Jan corrected from 10 to 999
    new = write_export(tmp_path / "new.csv", corrected)
    got = import_files("sales", [new], db=store_url, now=T0).files[0]
    assert (got.status, got.added, got.replaced_rows, got.kept) == ("replaced", 30, 30, 0)
    rows = current(store_url)
    assert len(rows) == 30 and ("S001", jan, 999.0) in rows
    details = [codec.loads(d) for (d,) in query(store_url, select(audit_log.c.details))]
    assert details[-1]["replaced"][0]["rows"] == 30 and details[-1]["replaced"][0]["version"] == 1


def test_an_export_replaces_only_its_own_reps_days(store_url, tmp_path):
    jan = dt.date(2026, 1, 1)
    import_files(
        "sales",
        [write_export(tmp_path / "a.csv", erp_lines(jan, dt.date(2026, 1, 31)))],
        db=store_url,
        now=T0,
    )
    # S001 alone, 10-20 January: 11 lines replace S001's 11 lines of those days.
    part = write_export(
        tmp_path / "b.csv", erp_lines(dt.date(2026, 1, 10), dt.date(2026, 1, 20), ("S001",))
    )
    got = import_files("sales", [part], db=store_url, now=T0).files[0]
    # kept: S001's other 20 days and S002's 31 days, in the same month and source
    assert (got.added, got.replaced_rows, got.kept) == (11, 11, 20)
    assert len(current(store_url)) == 62


def test_another_system_does_not_replace_this_ones_rows(store_url, tmp_path):
    jan = dt.date(2026, 1, 1)
    lines = erp_lines(jan, dt.date(2026, 1, 5))
    import_files("sales", [write_export(tmp_path / "erp.csv", lines)], db=store_url, now=T0)
    shop = [[line[1], line[4], line[8]] for line in lines]  # a shop's export of the same days
    other = write_export(tmp_path / "shop.csv", shop, header=["付款时间", "销售代表ID", "实付金额"])
    got = import_files("sales", [other], db=store_url, now=T0).files[0]
    assert (got.added, got.replaced_rows) == (10, 0)
    assert len(current(store_url)) == 20


# ----------------------------------------------------------------------------
# What a sales record needs: a date and an amount; reps by ID or by name
# ----------------------------------------------------------------------------


def test_a_file_with_only_date_and_amount_imports_and_says_what_it_cannot_feed(store_url, tmp_path):
    path = write_export(
        tmp_path / "t.csv", [["2026-01-02", "10"], ["2026-01-03", "20"]], ["Date", "Sales"]
    )
    got = import_files("sales", [path], db=store_url, now=T0).files[0]
    assert (got.status, got.rows) == ("imported", 2)
    fed = [i for i in got.issues if i.code is Code.NOT_FED]
    assert len(fed) == 3  # no rep, no customer, no product
    assert current(store_url) == [
        (None, dt.date(2026, 1, 2), 10.0),
        (None, dt.date(2026, 1, 3), 20.0),
    ]


def test_reps_given_by_name_get_their_id_from_the_roster(store_url, tmp_path):
    roster = roster_file(
        tmp_path / "roster.xlsx", [rep("S001", name="张伟"), rep("S002", name="李娜")]
    )
    import_files("roster", [roster], db=store_url, now=T0)
    rows = [
        ["2026-01-02", "张伟", "10"],
        ["2026-01-02", "李 娜", "20"],
        ["2026-01-03", "王五", "30"],
    ]
    path = write_export(tmp_path / "n.csv", rows, ["订单日期", "业务员", "含税金额"])
    got = import_files("sales", [path], db=store_url, now=T0).files[0]
    assert got.status == "imported"
    s = sales_records.c
    stored = sorted(query(store_url, select(s.rep_name, s.rep_id, s.amount)))
    assert stored == [("张伟", "S001", 10.0), ("李 娜", "S002", 20.0), ("王五", None, 30.0)]
    (note,) = [i for i in got.issues if i.code is Code.REP_BY_NAME]
    assert "2 rows got their rep ID" in note.message_en and "王五" in note.message_en


def test_skip_bad_rows_with_every_row_bad_exits_1_and_imports_nothing(tmp_path):
    path = write_export(tmp_path / "bad.csv", [["soon", "x"], ["later", "y"]], ["日期", "金额"])
    db = tmp_path / "s.db"
    result = CliRunner().invoke(
        main, ["import", "sales", str(path), "--db", str(db), "--skip-bad-rows"]
    )
    assert result.exit_code == 1
    assert "nothing was imported" in result.output and "0 rows written" in result.output


# ----------------------------------------------------------------------------
# --map, remembered per header signature, and --forget-map
# ----------------------------------------------------------------------------

JAN_2009 = ["Transaction_date", "Product", "Price", "Payment_Type", "Name", "City"]


def sales_jan(path: Path, day: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(JAN_2009)
        writer.writerow(
            [f"2009-01-{day:02d}", "Product1", "1200", "Mastercard", "carolina", "Basildon"]
        )
        writer.writerow([f"2009-01-{day:02d}", "Product2", "3600", "Visa", "Betina", "Parkville"])
    return path


def test_a_mapping_that_worked_is_remembered_and_can_be_forgotten(store_url, tmp_path):
    runner = CliRunner()
    url = store_url
    jan = sales_jan(tmp_path / "jan.csv", 2)
    refused = runner.invoke(main, ["import", "sales", str(jan), "--db", url])
    assert refused.exit_code == 1 and "金额 Amount" in refused.output
    mapped = runner.invoke(
        main,
        [
            "import",
            "sales",
            str(jan),
            "--db",
            url,
            "--map",
            "amount=Price",
            "--map",
            "客户名称=Name",
        ],
    )
    assert mapped.exit_code == 0, mapped.output
    assert "column mapping remembered" in mapped.output
    (saved,) = query(url, select(column_maps.c.mapping))
    assert codec.loads(saved[0]) == {"amount": "Price", "customer": "Name"}
    # next month, same system: no options
    feb = sales_jan(tmp_path / "feb.csv", 3)
    again = runner.invoke(main, ["import", "sales", str(feb), "--db", url])
    assert again.exit_code == 0, again.output
    assert "columns mapped as remembered" in again.output
    s = sales_records.c
    amounts = sorted(query(url, select(s.date, s.customer, s.amount)))
    assert amounts == [
        (dt.date(2009, 1, 2), "Betina", 3600.0),
        (dt.date(2009, 1, 2), "carolina", 1200.0),
        (dt.date(2009, 1, 3), "Betina", 3600.0),
        (dt.date(2009, 1, 3), "carolina", 1200.0),
    ]
    # --forget-map: not used, and dropped
    mar = sales_jan(tmp_path / "mar.csv", 4)
    forgot = runner.invoke(main, ["import", "sales", str(mar), "--db", url, "--forget-map"])
    assert forgot.exit_code == 1 and "金额 Amount" in forgot.output
    assert query(url, select(func.count()).select_from(column_maps)) == [(0,)]


# ----------------------------------------------------------------------------
# A store of schema version 1 is upgraded with its rows
# ----------------------------------------------------------------------------


def _v1_metadata() -> MetaData:
    old = MetaData()
    for table in metadata.sorted_tables:
        # target_notes and target_versions came with schema 2, column_maps with 3
        if table.name not in ("sales_records", "column_maps", "target_notes", "target_versions"):
            table.to_metadata(old)
    Table(
        "sales_records",
        old,
        Column("id", Integer, primary_key=True),
        Column("submission_id", ForeignKey("submissions.id"), nullable=False, index=True),
        Column("sheet_row", Integer, nullable=False),
        Column("replaced_by", ForeignKey("submissions.id")),
        Column("date", Date, nullable=False),
        Column("month", String(7), nullable=False),
        Column("rep_id", String(64), nullable=False),
        Column("customer", Text),
        Column("product", Text),
        Column("spec", Text),
        Column("batch", Text),
        Column("expiry", Date),
        Column("maker", Text),
        Column("qty", Float),
        Column("price", Float),
        Column("amount", Float),
        Column("extra", Text),
        Index("ix_sales_rep_month", "rep_id", "month"),
    )
    return old


def test_a_version_1_store_keeps_its_sales_rows_and_is_replaced_by_date_span(store_url, tmp_path):
    engine = create_engine(resolve_url(store_url))
    old = _v1_metadata()
    with engine.begin() as conn:
        old.create_all(conn)
        for name in ("stretch", "challenge", "version", "version_date"):  # added by schema 2
            conn.execute(text(f"ALTER TABLE targets DROP COLUMN {name}"))
        conn.execute(text("ALTER TABLE issues DROP COLUMN future_day"))  # added by schema 5
        conn.execute(
            insert(old.tables["salesxl_schema"]).values(version=1, description="v1", applied_at=T0)
        )
        sub = conn.execute(
            insert(old.tables["submissions"]).values(
                kind="sales",
                form_id="sales_records",
                path="old.csv",
                content_hash="x",
                data_hash="x",
                size=1,
                first_seen=T0,
                received="store",
                imported_at=T0,
                imported_by="t",
                version=1,
                status="current",
                rows=2,
                skipped_rows=0,
                header="{}",
                layout="{}",
            )
        ).inserted_primary_key[0]
        conn.execute(
            insert(old.tables["sales_records"]),
            [
                {
                    "submission_id": sub,
                    "sheet_row": 2,
                    "date": dt.date(2026, 1, 2),
                    "month": "2026-01",
                    "rep_id": "S001",
                    "amount": 5.0,
                },
                {
                    "submission_id": sub,
                    "sheet_row": 3,
                    "date": dt.date(2026, 1, 20),
                    "month": "2026-01",
                    "rep_id": "S001",
                    "amount": 7.0,
                },
            ],
        )
    assert migrate(engine) == SCHEMA_VERSION == 8  # through 2 (targets), 3, 4, 5, 6, 7 and 8
    engine.dispose()
    assert current(store_url) == [
        ("S001", dt.date(2026, 1, 2), 5.0),
        ("S001", dt.date(2026, 1, 20), 7.0),
    ]
    # a new export of 1-15 January replaces the old row of 2 January (no source known), not 20 January
    got = import_files(
        "sales",
        [
            write_export(
                tmp_path / "n.csv", erp_lines(dt.date(2026, 1, 1), dt.date(2026, 1, 15), ("S001",))
            )
        ],
        db=store_url,
        now=T0,
    ).files[0]
    assert (got.added, got.replaced_rows, got.kept) == (15, 1, 1)
