"""The import's fast paths give what the plain ones gave: rows by column, the data
fingerprint, COPY against SQLAlchemy's insert, and PostgreSQL's planner statistics.

Every test taking `store_url` runs on SQLite and on a PostgreSQL server started for the session.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zipfile

import pytest
from sqlalchemy import text, update

from salesxl.core.periods import Month
from salesxl.store import codec, import_files, open_store
from salesxl.store.bulk import insert_columns
from salesxl.store.engine import write_transaction
from salesxl.store.rows import (
    DIGEST_PREFIX,
    V2_PREFIX,
    TableRows,
    data_digest,
    digest_v2,
    legacy_digest,
)
from salesxl.store.schema import activities, day_closes, report_days, submissions
from salesxl.store.statistics import keep_statistics
from salesxl.validate import FormData, TableData
from tests import store_fixtures
from tests.store_fixtures import contact, daily_file, dump_tables, query

pg_server = store_fixtures.pg_server
pg_url = store_fixtures.pg_url
store_url = store_fixtures.store_url

T0 = dt.datetime(2026, 11, 20, 18, 0)


def _table() -> TableData:
    """A table as the reader leaves it: values by column, sheet rows 5, 6 and 8."""
    return TableData(
        "daily",
        "日报 Daily",
        None,
        {"date": "A", "customer": "B", "amount": "C"},
        [],
        values={
            "date": [dt.date(2026, 11, 2), dt.date(2026, 11, 3), dt.date(2026, 11, 4)],
            "customer": ["甲公司", "乙公司", "丙公司"],
            "amount": [100.0, None, 1.0],
        },
        rows=[5, 6, 8],
    )


def test_rows_by_column_are_the_records_less_the_rows_left_out():
    table = _table()
    kept = TableRows.of(table, drop={6})
    assert kept.sheet_rows == [5, 8]
    assert kept.column("customer") == ["甲公司", "丙公司"]
    assert kept.column("notes") == [None, None]  # a field the table does not have
    assert kept.records == [r for r in table.records if r["_row"] != 6]
    assert TableRows.of(table).records == table.records
    assert len(TableRows.of(table, drop={5, 6, 8})) == 0


def test_unknown_columns_come_with_the_records():
    records = [
        {"date": dt.date(2026, 11, 2), "customer": "甲公司", "_row": 5, "_extra": {"KAM": "王五"}},
        {"date": dt.date(2026, 11, 3), "customer": "乙公司", "_row": 6, "_extra": {}},
    ]
    table = TableData("daily", "日报 Daily", records, {"date": "A", "customer": "B"}, ["KAM"])
    rows = TableRows.of(table)
    assert rows.extras == [{"KAM": "王五"}, {}]
    assert rows.records == records


def _form(table: TableData) -> FormData:
    return FormData(
        path="S001.xlsx",
        form_id="daily_report",
        header={"rep_id": "S001", "month": Month(2026, 11)},
        tables={"daily": table},
    )


def test_the_fingerprint_tells_apart_what_the_json_one_did():
    base = _form(_table())
    digest = data_digest(base, {"daily": TableRows.of(base.tables["daily"])})
    assert digest.startswith(DIGEST_PREFIX) and len(digest) <= 64  # fits submissions.data_hash
    changes = {
        "an amount": ("amount", 2, 2.0),
        "1.0 as the integer 1": ("amount", 2, 1),
        "a date as its text": ("date", 0, "2026-11-02"),
        "a customer": ("customer", 1, "乙公司 "),
        "None as empty text": ("amount", 1, ""),
        "a date as its day number": ("date", 0, dt.date(2026, 11, 2).toordinal()),
        "a date as midnight of it": ("date", 0, dt.datetime(2026, 11, 2)),
        "None among dates": ("date", 1, None),
        "a blank among texts": ("customer", 1, None),
        "a blank as the text marking one": ("customer", 1, "\x1e"),
        "two texts as one with the separator": ("customer", 1, "乙公司\x1f丙公司"),
        "a number among texts": ("customer", 1, 1.0),
        "True as 1": ("amount", 2, True),
    }
    for what, (field, i, value) in changes.items():
        table = _table()
        assert table.values is not None
        table.values[field][i] = value
        other = _form(table)
        assert data_digest(other, {"daily": TableRows.of(table)}) != digest, what
    moved = _table()
    moved.rows = [5, 6, 9]  # the same values one sheet row lower
    assert data_digest(_form(moved), {"daily": TableRows.of(moved)}) != digest
    again = _form(_table())
    assert data_digest(again, {"daily": TableRows.of(again.tables["daily"])}) == digest
    # a text holding the separator is fingerprinted by its repr: still told apart
    joined, split = _table(), _table()
    assert joined.values is not None and split.values is not None
    joined.values["customer"] = ["甲\x1f乙", "丙"]
    split.values["customer"] = ["甲", "乙\x1f丙"]
    assert data_digest(_form(joined), {"daily": TableRows.of(joined)}) != data_digest(
        _form(split), {"daily": TableRows.of(split)}
    )
    # a text holding what starts the next column's bytes does not move the boundary
    first = TableData(
        "daily", "日报 Daily", None, {}, [], values={"a": ["x\x00Sy"], "b": ["z"]}, rows=[5]
    )
    second = TableData(
        "daily", "日报 Daily", None, {}, [], values={"a": ["x"], "b": ["y\x00Sz"]}, rows=[5]
    )
    assert data_digest(_form(first), {"daily": TableRows.of(first)}) != data_digest(
        _form(second), {"daily": TableRows.of(second)}
    )
    # equal values in other objects (read again) give the same fingerprint
    copied = _table()
    assert copied.values is not None
    copied.values = {
        k: [v if not isinstance(v, str) else "".join(v) for v in c]
        for k, c in copied.values.items()
    }
    assert data_digest(_form(copied), {"daily": TableRows.of(copied)}) == digest


def _resaved(path, folder):
    """The same workbook saved again: other bytes (its document properties), the same cells."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / path.name
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = data.replace(
                    b"</cp:coreProperties>", b"<dc:title>v2</dc:title></cp:coreProperties>"
                )
            dst.writestr(item, data)
    assert target.read_bytes() != path.read_bytes()
    return target


def test_a_report_saved_again_unchanged_is_not_a_new_version(store_url, tmp_path):
    path = daily_file(tmp_path / "v1", "S001", [contact(2, "甲公司"), contact(3, "乙公司")])
    first = import_files("reports", [path], db=store_url, now=T0).files[0]
    resaved = _resaved(path, tmp_path / "v1b")
    (same,) = import_files("reports", [resaved], db=store_url, now=T0).files
    assert same.status == "unchanged" and "the same data" in same.note
    changed = daily_file(tmp_path / "v2", "S001", [contact(2, "甲公司"), contact(3, "丙公司")])
    (new,) = import_files("reports", [changed], db=store_url, now=T0).files
    assert (new.status, new.version, first.version) == ("replaced", 2, 1)


def _old_fingerprint(path) -> str:
    """What stores kept before: sha256 of the key-sorted JSON of the form, header, layout and
    records (written out here as the earlier code computed it)."""
    from salesxl.intake.files import load_form
    from salesxl.validate import ValidationContext

    data = load_form(path, ValidationContext(today=T0.date()))
    text = codec.dumps(
        {
            "form": data.form_id,
            "header": data.header,
            "layout": {
                key: {"sheet": t.sheet, "columns": t.columns, "extras": t.extras}
                for key, t in data.tables.items()
            },
            "tables": {key: t.records for key, t in data.tables.items()},
        }
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.mark.parametrize("fingerprint", ["legacy", "v2"])
def test_a_version_fingerprinted_the_old_way_is_still_recognised(store_url, tmp_path, fingerprint):
    """A version imported under an earlier fingerprint (the JSON one, or `repr` by column):
    the same data saved again is still unchanged, other data a new version."""
    path = daily_file(tmp_path / "v1", "S001", [contact(2, "甲公司", amount=300.0)])
    (first,) = import_files("reports", [path], db=store_url, now=T0).files
    old = _old_fingerprint(path) if fingerprint == "legacy" else _v2_fingerprint(path)
    assert old.startswith(V2_PREFIX) == (fingerprint == "v2")
    with open_store(store_url) as engine, write_transaction(engine) as conn:
        conn.execute(
            update(submissions).where(submissions.c.id == first.submission_id).values(data_hash=old)
        )
    (same,) = import_files("reports", [_resaved(path, tmp_path / "b")], db=store_url).files
    assert same.status == "unchanged" and "the same data" in same.note
    changed = daily_file(tmp_path / "v2", "S001", [contact(2, "甲公司", amount=301.0)])
    (new,) = import_files("reports", [changed], db=store_url, now=T0).files
    assert new.status == "replaced"
    (row,) = query(store_url, submissions.select().where(submissions.c.id == new.submission_id))
    assert row.data_hash.startswith(DIGEST_PREFIX)


def _v2_fingerprint(path) -> str:
    """The fingerprint of the last round: blake2b of the header's JSON and each column's repr
    (written out here as that code computed it)."""
    from salesxl.intake.files import load_form
    from salesxl.validate import ValidationContext

    data = load_form(path, ValidationContext(today=T0.date()))
    digest = hashlib.blake2b(digest_size=30)
    layout = {
        key: {"sheet": t.sheet, "columns": t.columns, "extras": t.extras}
        for key, t in data.tables.items()
    }
    head = {"form": data.form_id, "header": data.header, "layout": layout}
    digest.update(codec.dumps(head).encode("utf-8"))
    for key in sorted(data.tables):
        values, rows = data.tables[key].values, data.tables[key].rows
        assert values is not None
        digest.update(f"\x00{key!r}\x00{list(values)!r}\x00{rows!r}".encode())
        for column in values.values():
            digest.update(b"\x00")
            digest.update(repr(column).encode("utf-8", "surrogatepass"))
    return "2:" + digest.hexdigest()


def test_the_v2_fingerprint_is_the_last_rounds_formula(tmp_path):
    from salesxl.intake.files import load_form
    from salesxl.validate import ValidationContext

    path = daily_file(tmp_path, "S001", [contact(2, "甲公司"), contact(3, "乙公司", amount=5.0)])
    data = load_form(path, ValidationContext(today=T0.date()))
    good = {key: TableRows.of(t) for key, t in data.tables.items()}
    assert digest_v2(data, good) == _v2_fingerprint(path)
    assert data_digest(data, good) != digest_v2(data, good)


def test_the_legacy_fingerprint_is_the_old_formula(tmp_path):
    from salesxl.intake.files import load_form
    from salesxl.validate import ValidationContext

    path = daily_file(tmp_path, "S001", [contact(2, "甲公司"), contact(3, "乙公司", amount=5.0)])
    data = load_form(path, ValidationContext(today=T0.date()))
    good = {key: TableRows.of(t) for key, t in data.tables.items()}
    assert legacy_digest(data, good) == _old_fingerprint(path)


def _columns():
    """Values COPY must escape or type right: tabs, newlines, backslashes, \\N, None, text
    that looks like a number, floats, dates and datetimes."""
    texts = ["甲\t公司", "line\nbreak", "back\\slash", "\\N", None, "007", "", "末尾 "]
    n = len(texts)
    return n, {
        "submission_id": [1] * n,
        "rep_id": ["S001"] * n,
        "period": ["2026-11"] * n,
        "sheet_row": list(range(5, 5 + n)),
        "date": [dt.date(2026, 11, 2 + i) for i in range(n)],
        "sales": [None, 0.1, 1e15, -2.5, 3.0, None, 0.0, 1 / 3],
        "forecast": [float(i) for i in range(n)],
        "analysis": texts,
        "extra": [None, codec.dumps({"K": "王\t五"}), None, None, None, None, None, None],
    }


def test_the_bulk_insert_stores_what_sqlalchemy_stores(store_url, tmp_path):
    """COPY on PostgreSQL (executemany on SQLite) against SQLAlchemy's own insert."""
    plain = f"sqlite:///{tmp_path / 'plain.db'}"
    for url, fast in ((store_url, True), (plain, False)):
        path = daily_file(tmp_path / str(fast), "S001", [contact(2, "甲公司")])
        import_files("reports", [path], db=url, now=T0)
        n, columns = _columns()
        with open_store(url) as engine, write_transaction(engine) as conn:
            conn.execute(day_closes.delete())
            conn.execute(report_days.delete())
            if fast:
                assert insert_columns(conn, day_closes, columns) == n
                insert_columns(
                    conn,
                    report_days,
                    {
                        "rep_id": ["S001", "S002"],
                        "day": [dt.date(2026, 11, 2)] * 2,
                        "submission_id": [1, 1],
                        "estimated": [True, False],
                        "first_seen": [T0, T0 + dt.timedelta(microseconds=1)],
                    },
                )
            else:
                conn.execute(
                    day_closes.insert(),
                    [
                        dict(zip(columns, row, strict=True))
                        for row in zip(*columns.values(), strict=True)
                    ],
                )
                conn.execute(
                    report_days.insert(),
                    [
                        {
                            "rep_id": rep,
                            "day": dt.date(2026, 11, 2),
                            "submission_id": 1,
                            "estimated": estimated,
                            "first_seen": at,
                        }
                        for rep, estimated, at in (
                            ("S001", True, T0),
                            ("S002", False, T0 + dt.timedelta(microseconds=1)),
                        )
                    ],
                )
    fast_rows, plain_rows = dump_tables(store_url), dump_tables(plain)
    for name in ("day_closes", "report_days"):
        assert fast_rows[name] == plain_rows[name], name
    assert [r[-2] for r in fast_rows["day_closes"]][:4] == [
        "甲\t公司",
        "line\nbreak",
        "back\\slash",
        "\\N",
    ]


def test_sqlite_needs_no_statistics(tmp_path):
    db = f"sqlite:///{tmp_path / 'store.db'}"
    with open_store(db) as engine, write_transaction(engine) as conn:
        added = {"activities": 1000}
        assert keep_statistics(conn, added) == [] and added == {"activities": 1000}


@pytest.mark.postgres
def test_a_new_postgresql_store_is_analysed_by_its_first_import(pg_url, tmp_path):
    """The planner works from statistics a new store does not have yet: a table is analysed
    once the rows added since outnumber what the planner believes it holds."""
    path = daily_file(tmp_path, "S001", [contact(2, f"客户{i}") for i in range(60)])
    believed = text("SELECT reltuples FROM pg_class WHERE relname = 'activities'")
    assert query(pg_url, text("SELECT 1"))  # the database is there (the store not yet)
    import_files("reports", [path], db=pg_url, now=T0)
    assert query(pg_url, believed)[0][0] == 60  # analysed, holding the 60 rows of the report
    with open_store(pg_url) as engine, write_transaction(engine) as conn:
        # 60 more rows do not outnumber the 60 believed; 10 rows are too few to look at
        added = {"activities": 60, "day_closes": 10}
        assert keep_statistics(conn, added) == []
        assert added == {"activities": 60, "day_closes": 10}
        added["activities"] = 61
        assert keep_statistics(conn, added) == ["activities"]
        assert added["activities"] == 0
        assert keep_statistics(conn, {"no_such_table": 100}) == []


def test_what_the_readers_work_out_is_what_the_store_would(tmp_path):
    """The fingerprint and customer identities come from the reading processes; they are
    those the parent works out itself (and which an import from another path stores)."""
    from salesxl.intake.files import load_form
    from salesxl.store.kinds import customer_keys
    from salesxl.store.prepared import prepare_for_store, prepared
    from salesxl.validate import ValidationContext

    rows = [
        contact(2, "甲公司", phone="13800138000"),
        contact(3, "乙公司"),
        contact(4, "甲公司", phone="138 0013 8000"),
    ]
    path = daily_file(tmp_path / "in", "S001", rows)
    data = load_form(path, ValidationContext(today=T0.date()))
    good = {key: TableRows.of(t) for key, t in data.tables.items()}
    keys = customer_keys(good["daily"])
    # the same phone written two ways is one customer; without a phone, the name
    assert keys == ["tel:13800138000", "name:乙公司", "tel:13800138000"]
    ready = prepared(prepare_for_store(data))
    assert ready is not None
    assert ready.fingerprint == data_digest(data, good)
    assert ready.customer_keys == {"daily": keys}

    other = daily_file(tmp_path / "in", "S002", [contact(5, "丙公司", phone="13900139000")])
    by_readers = f"sqlite:///{tmp_path / 'readers.db'}"
    import_files("reports", [path, other], db=by_readers, now=T0, workers=2)
    from salesxl.store import import_form

    by_form = f"sqlite:///{tmp_path / 'form.db'}"
    for f in (path, other):
        import_form("reports", load_form(f, ValidationContext(today=T0.date())), db=by_form)
    for url in (by_readers, by_form):  # worked out by the readers, and by the parent
        stored = query(url, activities.select().order_by(activities.c.id))
        assert [r.customer_key for r in stored] == [*keys, "tel:13900139000"], url
    hashes = {
        u: [r.data_hash for r in query(u, submissions.select())] for u in (by_readers, by_form)
    }
    assert hashes[by_readers] == hashes[by_form]
