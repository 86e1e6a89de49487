"""Sales export sources: two shops on one ERP (the same headers), `--source`, the warnings.

Shop east and shop west export from the same ERP, so their files have the
same headers.  Rep S001 sells in both; in January 2026 east's export covers
1-10 January (S001 and S002), west's 6-15 January (S001 and S003).

Every test taking `store_url` runs on SQLite and on a real PostgreSQL server.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from sqlalchemy import create_engine, select, text, update

from salesxl.cli import main
from salesxl.core.issues import Code
from salesxl.store import codec, import_files, resolve_url
from salesxl.store.migrations import SCHEMA_VERSION, migrate
from salesxl.store.schema import audit_log, sales_records, schema_versions
from tests import store_fixtures
from tests.store_fixtures import query
from tests.test_store_exports import T0, current, write_export

pg_server = store_fixtures.pg_server
store_url = store_fixtures.store_url

T1 = T0 + dt.timedelta(days=1)
T2 = T0 + dt.timedelta(days=2)


def shop_lines(
    shop: str, first: int, last: int, reps: tuple[str, ...], price: float
) -> list[list[Any]]:
    """One order per rep per January day from `first` to `last`: `price` × the day number."""
    lines = []
    for day in range(first, last + 1):
        date = dt.date(2026, 1, day).isoformat()
        for k, rep_id in enumerate(reps):
            customer = f"{shop}客户{k + 1}"
            amount = price * day
            lines.append(
                [f"{shop}{day:02d}{k}", date, date, customer, rep_id, "净水器", 1, amount, amount]
            )
    return lines


# East: S001 and S002 on 1-10 January at 10 × day: each rep 10 × (1+…+10) = 550, 1,100 in all.
EAST_TOTAL = 2 * 10 * sum(range(1, 11))
# West: S001 and S003 on 6-15 January at 100 × day: each rep 100 × (6+…+15) = 10,500.
WEST_TOTAL = 2 * 100 * sum(range(6, 16))
# East's S001 rows that west's S001 span (6-15 January) covers: 6-10 January, 10 × 40.
EAST_S001_6_10 = 10 * (6 + 7 + 8 + 9 + 10)


def east(folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    return write_export(folder / "east_2026-01.csv", shop_lines("东", 1, 10, ("S001", "S002"), 10))


def west(folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    return write_export(folder / "west_2026-01.csv", shop_lines("西", 6, 15, ("S001", "S003"), 100))


def total(url: str) -> float:
    return sum(amount for *_, amount in current(url))


SOURCE_CODES = (Code.REPLACED_OTHER_FILE, Code.OTHER_SOURCE_KEPT)


def codes(result: Any) -> list[Code]:
    """The import's warnings about other files' rows (the extra columns are noted too)."""
    return [i.code for i in result.issues if i.code in SOURCE_CODES]


def test_without_source_the_second_shop_replaces_the_first_and_says_so(store_url, tmp_path):
    a = import_files("sales", [east(tmp_path)], db=store_url, now=T0).files[0]
    b = import_files("sales", [west(tmp_path)], db=store_url, now=T1).files[0]
    assert (a.added, a.replaced_rows) == (20, 0)
    # west replaced east's S001 rows of 6-10 January: 5 rows, worth 400
    assert (b.status, b.added, b.replaced_rows) == ("replaced", 20, 5)
    assert total(store_url) == EAST_TOTAL - EAST_S001_6_10 + WEST_TOTAL == 21_700
    (warning,) = [i for i in b.issues if i.code is Code.REPLACED_OTHER_FILE]
    assert warning.severity == "warning"
    earlier = str(tmp_path / "east_2026-01.csv")
    assert warning.message_en.startswith(
        f"This file replaced 5 rows of {earlier} (imported 2026-02-05 18:00): "
        "S001 2026-01-06 – 2026-01-10 (5 rows). "
    )
    assert "--source shop-a" in warning.message_en and "--source shop-b" in warning.message_en
    assert "west_2026-01.csv --source shop-b" in warning.message_en
    assert "S001 2026-01-06 – 2026-01-10（5 行）" in warning.message_zh
    assert warning.value == earlier


def test_with_source_both_shops_count(store_url, tmp_path):
    a = import_files("sales", [east(tmp_path)], db=store_url, now=T0, source="shop-east")
    b = import_files("sales", [west(tmp_path)], db=store_url, now=T1, source="shop-west")
    assert (b.files[0].added, b.files[0].replaced_rows) == (20, 0)
    assert total(store_url) == EAST_TOTAL + WEST_TOTAL == 22_100
    # two names are two shops: nothing to warn about
    assert codes(a) == codes(b) == []
    assert b.files[0].source == "shop-west" and "source shop-west" in b.files[0].note
    s = sales_records.c
    names = query(store_url, select(s.source_name, s.rep_id).where(s.rep_id == "S001"))
    assert sorted(set(names)) == [("shop-east", "S001"), ("shop-west", "S001")]


def test_a_newer_export_of_a_named_shop_replaces_its_own_rows_only(store_url, tmp_path):
    import_files("sales", [east(tmp_path)], db=store_url, now=T0, source="shop-east")
    import_files("sales", [west(tmp_path)], db=store_url, now=T1, source="shop-west")
    # east again, corrected: S001 on 8 January is 999 instead of 80 (same file name)
    lines = shop_lines("东", 1, 10, ("S001", "S002"), 10)
    lines[14][7] = lines[14][8] = 999.0  # day 8 is the 8th day: lines 14 (S001) and 15 (S002)
    assert lines[14][1] == "2026-01-08" and lines[14][4] == "S001"
    (tmp_path / "v2").mkdir()
    corrected = write_export(tmp_path / "v2" / "east_2026-01.csv", lines)
    got = import_files("sales", [corrected], db=store_url, now=T2, source="shop-east").files[0]
    # all 20 of east's rows replaced, west's untouched; the same file name: no warning
    assert (got.added, got.replaced_rows) == (20, 20)
    assert codes(got) == []
    assert total(store_url) == EAST_TOTAL - 80 + 999 + WEST_TOTAL


def test_the_same_file_imported_again_with_a_name_moves_to_it(store_url, tmp_path):
    import_files("sales", [east(tmp_path)], db=store_url, now=T0)
    import_files("sales", [west(tmp_path)], db=store_url, now=T1)
    assert total(store_url) == 21_700  # east's S001 of 6-10 January lost, as above
    # the warning's advice: each file again under its own name
    a = import_files("sales", [east(tmp_path)], db=store_url, now=T2, source="shop-a").files[0]
    # east's 15 rows still current move; its 5 rows west replaced come back under the name
    assert (a.status, a.added, a.replaced_rows) == ("replaced", 20, 15)
    assert "moved to it" in a.note
    assert total(store_url) == EAST_TOTAL + WEST_TOTAL == 22_100
    # west's rows, still without a name, overlap shop-a's S001 days: both kept, and said
    (kept,) = [i for i in a.issues if i.code is Code.OTHER_SOURCE_KEPT]
    assert kept.message_en.startswith(
        f"5 rows of {tmp_path / 'west_2026-01.csv'} (imported 2026-02-06 18:00, without a "
        "source name) have the same headers as this file (source “shop-a”) and cover the "
        "same reps and days: S001 2026-01-06 – 2026-01-10 (5 rows). They were kept"
    )
    b = import_files("sales", [west(tmp_path)], db=store_url, now=T2, source="shop-b").files[0]
    assert (b.added, b.replaced_rows) == (20, 20)
    assert codes(b) == []  # shop-a and shop-b: two shops
    assert total(store_url) == 22_100
    # imported again under the same name: the same file, nothing changes
    again = import_files("sales", [west(tmp_path)], db=store_url, now=T2, source="shop-b")
    assert again.files[0].status == "unchanged" and total(store_url) == 22_100
    moved = codec.loads(
        query(store_url, select(audit_log.c.details).order_by(audit_log.c.id))[-1][0]
    )
    assert moved["source"] == "shop-b" and len(moved["moved"]) == 1


def test_a_file_under_the_wrong_name_moves_to_the_right_one(store_url, tmp_path):
    import_files("sales", [east(tmp_path)], db=store_url, now=T0, source="shop-a")
    # west imported under east's name by mistake: it replaces east's S001 of 6-10 January
    wrong = import_files("sales", [west(tmp_path)], db=store_url, now=T1, source="shop-a")
    (warning,) = [i for i in wrong.files[0].issues if i.code is Code.REPLACED_OTHER_FILE]
    earlier = tmp_path / "east_2026-01.csv"
    assert warning.message_en.startswith(
        f"This file (source “shop-a”) replaced 5 rows of {earlier} (imported 2026-02-05 "
        "18:00, the same source): S001 2026-01-06 – 2026-01-10 (5 rows)."
    )
    assert f"salesxl import sales {earlier} --source NAME" in warning.message_en
    assert total(store_url) == 21_700
    # the advice: east again under a name of its own; all its rows count again
    moved = import_files("sales", [east(tmp_path)], db=store_url, now=T2, source="shop-east")
    # east's 15 rows still current under shop-a move; the 5 west replaced come back
    assert (moved.files[0].added, moved.files[0].replaced_rows) == (20, 15)
    assert codes(moved) == []  # shop-east and shop-a: two names, two shops
    assert total(store_url) == 22_100
    # east again without a name: the file the store has (under shop-east), not a second copy
    again = import_files("sales", [east(tmp_path)], db=store_url, now=T2).files[0]
    assert again.status == "unchanged" and "(source shop-east)" in again.note
    assert total(store_url) == 22_100


def test_an_unnamed_export_over_a_named_shops_days_warns_both_count(store_url, tmp_path):
    import_files("sales", [east(tmp_path)], db=store_url, now=T0, source="shop-east")
    got = import_files("sales", [west(tmp_path)], db=store_url, now=T1).files[0]
    assert (got.added, got.replaced_rows) == (20, 0)
    assert total(store_url) == 22_100
    (kept,) = [i for i in got.issues if i.code is Code.OTHER_SOURCE_KEPT]
    assert "5 rows of" in kept.message_en and "source “shop-east”" in kept.message_en
    assert kept.message_en.endswith(
        "import it with salesxl import sales west_2026-01.csv --source NAME."
    )


def test_a_reimport_of_the_same_file_name_stays_quiet(store_url, tmp_path):
    import_files("sales", [east(tmp_path)], db=store_url, now=T0)
    lines = shop_lines("东", 1, 10, ("S001", "S002"), 10)
    lines[0][7] = lines[0][8] = 15.0  # S001 on 1 January: 15, not 10
    (tmp_path / "v2").mkdir()
    again = write_export(tmp_path / "v2" / "east_2026-01.csv", lines)
    got = import_files("sales", [again], db=store_url, now=T1).files[0]
    assert (got.status, got.replaced_rows) == ("replaced", 20)
    assert codes(got) == []
    assert total(store_url) == EAST_TOTAL + 5
    # corrected again, under another file name: S002 on 2 January 25, not 20; this is said
    lines[3][7] = lines[3][8] = 25.0
    assert lines[3][1] == "2026-01-02" and lines[3][4] == "S002"
    renamed = write_export(tmp_path / "v2" / "east_fixed.csv", lines)
    other = import_files("sales", [renamed], db=store_url, now=T2).files[0]
    assert (other.replaced_rows, codes(other)) == (20, [Code.REPLACED_OTHER_FILE])
    (said,) = [i for i in other.issues if i.code is Code.REPLACED_OTHER_FILE]
    assert "S001 2026-01-01 – 2026-01-10 (10 rows); S002" in said.message_en
    assert total(store_url) == EAST_TOTAL + 5 + 5


def test_a_store_from_before_source_names_keeps_its_rows_as_the_unnamed_source(store_url, tmp_path):
    import_files("sales", [east(tmp_path)], db=store_url, now=T0)
    engine = create_engine(resolve_url(store_url))
    with engine.begin() as conn:  # back to schema 6: sales rows without source_name
        conn.execute(text("ALTER TABLE sales_records DROP COLUMN source_name"))
        conn.execute(text("ALTER TABLE submissions DROP COLUMN source_name"))
        # created at schema 7: stamped as created at 6
        conn.execute(update(schema_versions).values(version=6))
    assert migrate(engine) == SCHEMA_VERSION == 8
    engine.dispose()
    s = sales_records.c
    assert set(query(store_url, select(s.source_name))) == {(None,)}
    assert total(store_url) == EAST_TOTAL
    # west under its own name keeps east's rows (the unnamed source), and says they overlap
    got = import_files("sales", [west(tmp_path)], db=store_url, now=T1, source="west").files[0]
    assert (got.added, got.replaced_rows) == (20, 0)
    assert codes(got) == [Code.OTHER_SOURCE_KEPT]
    assert total(store_url) == 22_100
    # a corrected east export without a name replaces the old rows, as before
    lines = shop_lines("东", 1, 10, ("S001", "S002"), 10)
    (tmp_path / "v2").mkdir()
    corrected = write_export(tmp_path / "v2" / "east_2026-01.csv", lines[:-1])
    again = import_files("sales", [corrected], db=store_url, now=T2).files[0]
    # S002 on 10 January is not in the new file: S001's 1-10 and S002's 1-9 January replaced
    assert (again.added, again.replaced_rows, again.kept) == (19, 19, 1)
    # the same amounts, and the old S002 row of 10 January kept: the total is unchanged
    assert total(store_url) == EAST_TOTAL + WEST_TOTAL


def test_cli_source_names_a_shop_and_is_for_sales_only(tmp_path):
    db = str(tmp_path / "s.db")
    runner = CliRunner()
    first = runner.invoke(main, ["import", "sales", str(east(tmp_path)), "--db", db])
    assert first.exit_code == 0, first.output
    second = runner.invoke(main, ["import", "sales", str(west(tmp_path)), "--db", db])
    assert second.exit_code == 0, second.output  # a warning, not an error
    assert "replaced_other_file" in second.output and "--source" in second.output
    named = runner.invoke(
        main, ["import", "sales", str(east(tmp_path / "x")), "--db", db, "--source", " shop-a "]
    )
    assert named.exit_code == 0 and "source shop-a" in named.output
    wrong = runner.invoke(
        main, ["import", "roster", str(east(tmp_path)), "--db", db, "--source", "a"]
    )
    assert wrong.exit_code == 2 and "use it with `salesxl import sales`" in wrong.output
    blank = runner.invoke(
        main, ["import", "sales", str(east(tmp_path)), "--db", db, "--source", " "]
    )
    assert blank.exit_code == 2 and "1 to 100 printable characters" in blank.output
    helped = runner.invoke(main, ["import", "--help"])
    assert "--source shop-east" in helped.output


def test_a_warning_lists_five_reps_and_counts_the_others(tmp_path):
    db = f"sqlite:///{tmp_path / 'store.db'}"
    reps = tuple(f"S00{n}" for n in range(1, 8))  # seven reps in both shops
    a = write_export(tmp_path / "a.csv", shop_lines("东", 1, 2, reps, 10))
    b = write_export(tmp_path / "b.csv", shop_lines("西", 2, 3, reps, 100))
    import_files("sales", [a], db=db, now=T0)
    got = import_files("sales", [b], db=db, now=T1).files[0]
    # each rep's 2 January row of a.csv: 7 rows
    assert got.replaced_rows == 7
    (warning,) = [i for i in got.issues if i.code is Code.REPLACED_OTHER_FILE]
    assert "replaced 7 rows of" in warning.message_en
    assert (
        "S001 2026-01-02 (1 row); S002 2026-01-02 (1 row); S003 2026-01-02 (1 row); "
        "S004 2026-01-02 (1 row); S005 2026-01-02 (1 row); and 2 more reps." in warning.message_en
    )
    assert "另有 2 名销售员" in warning.message_zh
