"""`import_files`: idempotent, all or nothing per file, resubmissions replace and are audited.

Every test runs against SQLite and against a real PostgreSQL server.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import func, select

from salesxl.consolidate import consolidate_inbox
from salesxl.consolidate.from_store import consolidate_store
from salesxl.core.issues import Code
from salesxl.core.periods import Month, Week
from salesxl.store import codec, import_files, load_period, load_submission, sales_history
from salesxl.store.imports import read_chunks
from salesxl.store.schema import (
    activities,
    audit_log,
    customers,
    issues,
    report_days,
    reps,
    sales_records,
    submissions,
    weekly_plans,
)
from tests import store_fixtures
from tests.make_files import set_core_times
from tests.store_fixtures import (
    NOV,
    contact,
    daily_file,
    dump_tables,
    generated_sales,
    monthly_file,
    query,
    rep,
    roster_file,
    sale,
    sales_csv,
    weekly_file,
)

# Every test taking `store_url` runs on SQLite and on a PostgreSQL server started for the session.
pg_server = store_fixtures.pg_server
store_url = store_fixtures.store_url

T0 = dt.datetime(2026, 11, 20, 18, 0)


def _inbox(folder):
    daily_file(
        folder,
        "S001",
        [
            contact(
                2,
                "甲公司",
                phone="13800138000",
                source="phone",
                grade="B",
                stage="2",
                next_followup=dt.date(2026, 11, 6),
            ),
            contact(3, "乙公司", source="walkin", grade="C", stage="1"),
        ],
        closes=[{"date": dt.date(2026, 11, 2), "forecast": 5000.0, "analysis": "跟进甲"}],
    )
    daily_file(
        folder,
        "S002",
        [contact(2, "丙公司", stage="7", qty=2, price=150.0, amount=300.0, deposit=100.0)],
    )
    weekly_file(
        folder,
        "S001",
        Week(2026, 46),
        [
            {
                "date": dt.date(2026, 11, 10),
                "customer": "甲公司",
                "grade": "B",
                "purpose": "5",
                "expected_amount": 8000.0,
            }
        ],
    )
    monthly_file(
        folder,
        "S002",
        [
            {
                "customer": "丙公司",
                "grade": "A",
                "expected_amount": 20000.0,
                "action": "签约",
                "start": dt.date(2026, 11, 1),
                "end": dt.date(2026, 11, 30),
            }
        ],
    )


def test_importing_everything_twice_changes_nothing(store_url, tmp_path):
    roster = roster_file(tmp_path / "roster.xlsx", [rep("S001"), rep("S002")])
    _inbox(tmp_path / "inbox")
    sales = sales_csv(
        tmp_path / "sales.csv", [sale(dt.date(2026, 10, 5), "S001", "甲公司", "A药", 2, 10.0)]
    )

    first = [
        import_files("roster", [roster], db=store_url, now=T0),
        import_files("reports", [tmp_path / "inbox"], db=store_url, now=T0),
        import_files("sales", [sales], db=store_url, now=T0),
    ]
    assert [r.count("imported") for r in first] == [1, 4, 1]
    before = dump_tables(store_url)
    assert all(
        before[name]
        for name in (
            "reps",
            "activities",
            "day_closes",
            "weekly_plans",
            "weekly_reviews",
            "monthly_plans",
            "sales_records",
            "customers",
            "report_days",
            "audit_log",
        )
    )

    later = T0 + dt.timedelta(days=3)
    again = [
        import_files("roster", [roster], db=store_url, now=later),
        import_files("reports", [tmp_path / "inbox"], db=store_url, now=later),
        import_files("sales", [sales], db=store_url, now=later),
    ]
    assert dump_tables(store_url) == before
    for result in again:
        assert result.count("unchanged") == len(result.files)
        assert result.to_dict()["imported"] == result.to_dict()["replaced"] == 0
        assert all("nothing changed" in f.note for f in result.files)


def test_json_summary_has_the_documented_keys(store_url, tmp_path):
    _inbox(tmp_path / "inbox")
    result = import_files("reports", [tmp_path / "inbox"], db=store_url, now=T0).to_dict()
    assert {"files", "imported", "unchanged", "replaced", "rows", "errors", "issues"} <= set(result)
    assert (result["files"], result["imported"], result["unchanged"], result["replaced"]) == (
        4,
        4,
        0,
        0,
    )
    assert (
        result["rows"] == (2 + 1) + 1 + (1 + 1) + 1
    )  # S001 with a 日清 row, S002, weekly, monthly
    assert result["errors"] == 0


def test_a_resubmitted_report_replaces_its_rep_period_and_keeps_the_old_version(
    store_url, tmp_path
):
    path = daily_file(tmp_path / "v1", "S001", [contact(2, "甲公司"), contact(3, "乙公司")])
    import_files("reports", [path], db=store_url, now=T0, actor="admin@hq")
    other = daily_file(tmp_path / "v1", "S002", [contact(2, "丙公司")])
    import_files("reports", [other], db=store_url, now=T0)
    path2 = daily_file(
        tmp_path / "v2", "S001", [contact(2, "甲公司"), contact(4, "丁公司"), contact(5, "戊公司")]
    )
    result = import_files(
        "reports", [path2], db=store_url, now=T0 + dt.timedelta(hours=1), actor="admin@hq"
    )
    (got,) = result.files
    assert (got.status, got.version, got.rows) == ("replaced", 2, 3)

    subs = query(
        store_url,
        select(submissions).where(submissions.c.rep_id == "S001").order_by(submissions.c.version),
    )
    assert [(s.version, s.status, s.replaced_by) for s in subs] == [
        (1, "replaced", subs[1].id),
        (2, "current", None),
    ]
    assert subs[1].first_seen == T0  # the rep-period first reached the store with version 1
    # The old rows are kept under the old version; reading the period gives the new ones.
    old = load_submission(store_url, subs[0].id)
    assert [r["customer"] for r in old.records("daily")] == ["甲公司", "乙公司"]
    inputs = load_period(store_url, NOV)
    by_rep = {f.rep_id: f for f in inputs.forms}
    assert [r["customer"] for r in by_rep["S001"].records("daily")] == [
        "甲公司",
        "丁公司",
        "戊公司",
    ]
    assert [r["customer"] for r in by_rep["S002"].records("daily")] == ["丙公司"]  # untouched
    assert query(store_url, select(func.count()).select_from(activities))[0][0] == 2 + 1 + 3

    entries = query(store_url, select(audit_log).order_by(audit_log.c.id))
    assert [e.action for e in entries] == ["import", "import", "replace"]
    last = entries[-1]
    assert (last.actor, last.at, last.submission_id) == (
        "admin@hq",
        T0 + dt.timedelta(hours=1),
        subs[1].id,
    )
    details = codec.loads(last.details)
    assert details["version"] == 2 and details["rows"] == 3
    assert details["replaced"] == [
        {
            "submission_id": subs[0].id,
            "version": 1,
            "path": str(path.resolve()),
            "content_hash": subs[0].content_hash,
            "rows": 2,
        }
    ]


def test_an_inbox_imported_again_keeps_the_corrected_report_current(store_url, tmp_path):
    """The rep sent a corrected copy under another name and the old one stayed in the inbox:
    the nightly import of the whole inbox must keep counting the newer file, as the folder's
    own consolidation does (`duplicate_file`: the newer counts), not make the old one current
    again because its bytes are a stored version."""
    inbox = tmp_path / "inbox"
    first = [contact(3, "甲公司", stage="7", qty=2, price=1500.0, amount=3000.0)]
    old = daily_file(
        inbox,
        "S001",
        [*first, contact(20, "丁公司", stage="7", qty=1, price=6000.0, amount=6000.0)],
    )
    new = daily_file(
        inbox,
        "S001",
        [*first, contact(20, "丁公司", stage="7", qty=1, price=8000.0, amount=8000.0)],
        name="S001_2026-11_日报(修改).xlsx",
    )
    for path, day in ((old, 20), (new, 23)):  # the correction came three days later
        saved = dt.datetime(2026, 11, day, 18, 0).timestamp()
        os.utime(path, (saved, saved))

    def counted() -> float:
        (form,) = load_period(store_url, NOV).forms
        return sum(r["amount"] or 0 for r in form.records("daily"))

    import_files("reports", [inbox], db=store_url, now=T0)
    assert counted() == 3000 + 8000
    again = import_files("reports", [inbox], db=store_url, now=T0 + dt.timedelta(days=1))
    by_path = {Path(f.path).name: f for f in again.files}
    assert by_path[old.name].status == "unchanged"
    assert f"older than {new}" in by_path[old.name].note
    assert by_path[new.name].status == "unchanged"
    assert counted() == 3000 + 8000  # not the old 3000 + 6000
    # Named alone, the old file is still the way to make it current again.
    (alone,) = import_files("reports", [old], db=store_url, now=T0 + dt.timedelta(days=2)).files
    assert alone.status == "replaced" and "current version again" in alone.note
    assert counted() == 3000 + 6000


def _saved(path: Path, saved: dt.datetime, arrived: dt.datetime) -> Path:
    """A report Excel saved at `saved` (recorded inside it) that reached the inbox at
    `arrived` (its own modification time: e-mail and downloading reset it)."""
    set_core_times(path, saved)
    os.utime(path, (arrived.timestamp(), arrived.timestamp()))
    return path


def _amount(store_url: str) -> float:
    (form,) = [f for f in load_period(store_url, NOV).forms if f.rep_id == "S001"]
    return sum(r["amount"] or 0 for r in form.records("daily"))


def _current(store_url: str) -> list[tuple[str, int, str]]:
    c = submissions.c
    found = query(store_url, select(c.path, c.version, c.status).order_by(c.version))
    return [(Path(path).name, version, status) for path, version, status in found]


def test_an_older_copy_imported_later_does_not_replace_the_newer(store_url, tmp_path):
    """张伟 (S001) saved his November report on the 5th at 18:00 (丁公司 closed for 8,000) and
    it was imported on the 6th.  An old copy he saved on the 3rd (丁公司 at 6,000) was
    forwarded later and imported alone on the 7th.  A folder holding both counts the one
    saved later; the store goes by arrival, so the old copy became current.  Now it is kept
    as version 2, not current, with a warning naming both files, their save times and
    --allow-older, which makes it current when it is the right one."""
    first = contact(3, "甲公司", stage="7", qty=2, price=1500.0, amount=3000.0)
    new = daily_file(
        tmp_path / "mail1",
        "S001",
        [first, contact(4, "丁公司", stage="7", qty=1, price=8000.0, amount=8000.0)],
    )
    old = daily_file(
        tmp_path / "mail2",
        "S001",
        [first, contact(4, "丁公司", stage="7", qty=1, price=6000.0, amount=6000.0)],
    )
    _saved(new, dt.datetime(2026, 11, 5, 18, 0), arrived=dt.datetime(2026, 11, 6, 8, 0))
    _saved(old, dt.datetime(2026, 11, 3, 18, 0), arrived=dt.datetime(2026, 11, 7, 8, 0))
    import_files("reports", [new], db=store_url, now=dt.datetime(2026, 11, 6, 9, 0))
    (late,) = import_files("reports", [old], db=store_url, now=dt.datetime(2026, 11, 7, 9, 0)).files
    assert (late.status, late.version, late.replaced) == ("imported", 2, [])
    assert _current(store_url) == [(new.name, 1, "current"), (old.name, 2, "replaced")]
    assert _amount(store_url) == 3000 + 8000
    (said,) = late.issues
    assert (said.code, said.file) == (Code.OLDER_THAN_STORED, str(old.resolve()))
    assert said.message_en == (
        "Rep S001's daily report for 2026-11: this file was saved at 2026-11-03 18:00, before "
        f"the store's current version {new.resolve()} (saved at 2026-11-05 18:00, imported "
        "2026-11-06 09:00). That version stays current; this file is kept as version 2 and "
        "does not count. If this file is the right one, run: salesxl import reports "
        f"--allow-older {old.resolve()}"
    )
    assert "kept as version 2, not current" in late.note
    # A folder of the two files counts the newer one, as the store now does.
    folder = consolidate_inbox([new, old], period=NOV, as_of=dt.date(2026, 11, 24))
    stored = consolidate_store(store_url, period=NOV, as_of=dt.date(2026, 11, 24), trend_months=1)
    for summary in (folder, stored):
        (row,) = summary.sheet("by_rep").records()
        assert row["amount"] == 3000 + 8000
    # The summary from the store says it, with the version that counts.
    assert [i.code for i in stored.issues if i.file == str(old.resolve())] == [
        Code.OLDER_THAN_STORED
    ]

    # Imported again, the old copy is not made current by its bytes either.
    (again,) = import_files(
        "reports", [old], db=store_url, now=dt.datetime(2026, 11, 8, 9, 0)
    ).files
    assert again.status == "unchanged"
    assert [i.code for i in again.issues] == [Code.OLDER_THAN_STORED]
    assert _amount(store_url) == 3000 + 8000
    # --allow-older: the old copy is the one meant.
    (forced,) = import_files(
        "reports", [old], db=store_url, now=dt.datetime(2026, 11, 9, 9, 0), allow_older=True
    ).files
    assert (forced.status, forced.issues) == ("replaced", [])
    assert _current(store_url) == [(new.name, 1, "replaced"), (old.name, 2, "current")]
    assert _amount(store_url) == 3000 + 6000


def test_files_without_a_save_time_inside_go_by_arrival(store_url, tmp_path):
    """Without a save time recorded inside (a CSV, a file written by a program that records
    none), the store cannot tell which was saved first: the later import is current, as
    before, whatever the files' own times say (downloading resets those)."""
    new = daily_file(
        tmp_path / "a", "S001", [contact(4, "丁公司", stage="7", qty=1, price=8e3, amount=8e3)]
    )
    old = daily_file(
        tmp_path / "b", "S001", [contact(4, "丁公司", stage="7", qty=1, price=6e3, amount=6e3)]
    )
    os.utime(new, (T0.timestamp(), T0.timestamp()))
    before = (T0 - dt.timedelta(days=2)).timestamp()
    os.utime(old, (before, before))
    import_files("reports", [new], db=store_url, now=T0)
    (later,) = import_files("reports", [old], db=store_url, now=T0 + dt.timedelta(hours=1)).files
    assert (later.status, later.issues) == ("replaced", [])
    assert _amount(store_url) == 6000


@pytest.mark.parametrize("copied", ["after", "before"])
def test_two_files_of_a_rep_month_in_one_import_are_judged_as_a_folder_judges(
    store_url, tmp_path, copied
):
    """The inbox holds 张伟's report saved on the 5th and a copy of the version he saved on
    the 3rd (`S001_副本.xlsx`), copied into the inbox `copied` the report arrived.  A
    folder counts the one saved later and warns `duplicate_file` naming both; one import
    of the inbox keeps the same file current and warns the same way (before, it kept
    whichever file's own time was later, and said nothing)."""
    inbox = tmp_path / "inbox"
    first = contact(3, "甲公司", stage="7", qty=2, price=1500.0, amount=3000.0)
    new = daily_file(
        inbox, "S001", [first, contact(4, "丁公司", stage="7", qty=1, price=8000.0, amount=8000.0)]
    )
    old = daily_file(
        inbox,
        "S001",
        [first, contact(4, "丁公司", stage="7", qty=1, price=6000.0, amount=6000.0)],
        name="S001_副本.xlsx",
    )
    day = {"after": 8, "before": 5}[copied]
    _saved(new, dt.datetime(2026, 11, 5, 18, 0), arrived=dt.datetime(2026, 11, 6, 8, 0))
    _saved(old, dt.datetime(2026, 11, 3, 18, 0), arrived=dt.datetime(2026, 11, day, 8, 0))
    result = import_files("reports", [inbox], db=store_url, now=dt.datetime(2026, 11, 9, 9, 0))
    assert _amount(store_url) == 3000 + 8000
    (current,) = [name for name, _, status in _current(store_url) if status == "current"]
    assert current == new.name
    folder = consolidate_inbox([inbox], period=NOV, as_of=dt.date(2026, 11, 24))
    (expected,) = [
        (i.code, i.file, i.message_en) for i in folder.issues if i.code == "duplicate_file"
    ]
    assert expected[2] == (
        f"Rep S001 has two files for 2026-11: {old} and {new}. The newer one ({new}) is used "
        "and this one is not counted. Delete the old file."
    )
    said = [(i.code, i.file, i.message_en) for i in result.issues]
    assert said == [expected]
    by_path = {Path(f.path).name: f for f in result.files}
    assert [i.code for i in by_path[old.name].issues] == [Code.DUPLICATE_FILE]
    assert by_path[new.name].issues == []
    # the summary from the store warns as the folder's does, and counts the same
    stored = consolidate_store(store_url, period=NOV, as_of=dt.date(2026, 11, 24), trend_months=1)
    assert [
        (i.code, i.file, i.message_en) for i in stored.issues if i.code == "duplicate_file"
    ] == [expected]
    for summary in (folder, stored):
        (row,) = summary.sheet("by_rep").records()
        assert row["amount"] == 3000 + 8000


def _spelled_three_ways(inbox: Path) -> tuple[Path, Path, Path]:
    """张伟 typed his ID three ways in three copies of his November report (no roster):
    `s020` in a.xlsx, saved on the 2nd (甲公司 ¥700); full-width `Ｓ020` in b.xlsx, saved
    on the 4th (甲公司 ¥1,000 on the 2nd, 乙公司 ¥500 on the 3rd); `S020` in c.xlsx,
    saved on the 3rd (甲公司 ¥1,000).  One rep, one month: b, saved last, counts — ¥1,500
    from 2 deals — and a and c are each a `duplicate_file`."""
    deal = contact(2, "甲公司", source="visit", stage="7", qty=1, price=1000.0, amount=1000.0)
    a = daily_file(inbox, "s020", [{**deal, "price": 700.0, "amount": 700.0}], name="a.xlsx")
    b = daily_file(
        inbox,
        "Ｓ020",
        [deal, contact(3, "乙公司", source="visit", stage="7", qty=1, price=500.0, amount=500.0)],
        name="b.xlsx",
    )
    c = daily_file(inbox, "S020", [deal], name="c.xlsx")
    for path, day in ((a, 2), (b, 4), (c, 3)):
        saved = dt.datetime(2026, 11, day, 18, 0)
        _saved(path, saved, arrived=saved + dt.timedelta(hours=1))
    return a, b, c


def _by_rep(summary) -> list[tuple]:
    return [(r["rep_id"], r["deals"], r["amount"]) for r in summary.sheet("by_rep").records()]


def test_a_reps_id_typed_otherwise_is_one_rep_in_the_store_as_in_a_folder(store_url, tmp_path):
    """The folder groups the three copies as one rep (`RepIndex`: the first spelling seen,
    `s020`), counts b and warns `duplicate_file` on a and c.  The store stored them as three
    reps, each current: one import warned nothing.  Now one import of the inbox folds the
    IDs the same way: b is current, a and c get the folder's warnings, and the summary
    from the store is the folder's."""
    _spelled_three_ways(tmp_path / "inbox")
    folder = consolidate_inbox([tmp_path / "inbox"], period=NOV, as_of=dt.date(2026, 11, 24))
    assert _by_rep(folder) == [("s020", 2, 1500.0)]
    warned = sorted((i.code, Path(i.file).name) for i in folder.issues)
    assert warned == [("duplicate_file", "a.xlsx"), ("duplicate_file", "c.xlsx")]

    result = import_files("reports", [tmp_path / "inbox"], db=store_url, now=T0)
    assert sorted((i.code, Path(i.file).name) for i in result.issues) == warned
    assert all(i.message_en.startswith("Rep s020 has two files for 2026-11") for i in result.issues)
    assert {Path(f.path).name: f.rep_id for f in result.files} == {
        "a.xlsx": "s020",
        "b.xlsx": "s020",
        "c.xlsx": "s020",
    }
    c_ = submissions.c
    current = query(store_url, select(c_.path).where(c_.status == "current"))
    assert [Path(p).name for (p,) in current] == ["b.xlsx"]
    stored = consolidate_store(store_url, period=NOV, as_of=dt.date(2026, 11, 24))
    assert _by_rep(stored) == _by_rep(folder) == [("s020", 2, 1500.0)]


@pytest.mark.parametrize("order", ["saved", "reversed"])
def test_a_reps_id_typed_otherwise_in_a_later_import_is_a_version_of_the_same_month(
    store_url, tmp_path, order
):
    """The three copies imported one by one, in the order they were saved or the reverse:
    each later spelling is a version of the month first stored as `s020`, so b (saved last)
    is current either way, and a file saved before it is kept with `older_than_stored` (the
    store's word for the folder's `duplicate_file`) — never a second rep counted twice."""
    a, b, c = _spelled_three_ways(tmp_path / "inbox")
    files = [a, c, b] if order == "saved" else [b, c, a]
    warned = []
    for i, path in enumerate(files):
        result = import_files("reports", [path], db=store_url, now=T0 + dt.timedelta(hours=i))
        warned += [
            (Path(r.path).name, r.rep_id, [x.code.value for x in r.issues]) for r in result.files
        ]
    if order == "saved":
        assert warned == [("a.xlsx", "s020", []), ("c.xlsx", "s020", []), ("b.xlsx", "s020", [])]
    else:
        assert warned == [
            ("b.xlsx", "S020", []),
            ("c.xlsx", "S020", ["older_than_stored"]),
            ("a.xlsx", "S020", ["older_than_stored"]),
        ]
    c_ = submissions.c
    current = query(store_url, select(c_.path).where(c_.status == "current"))
    assert [Path(p).name for (p,) in current] == ["b.xlsx"]
    stored = consolidate_store(store_url, period=NOV, as_of=dt.date(2026, 11, 24))
    (row,) = stored.sheet("by_rep").records()
    assert (row["deals"], row["amount"]) == (2, 1500.0)


def test_a_file_with_a_bad_row_is_imported_all_or_nothing(store_url, tmp_path):
    daily_file(tmp_path / "in", "S001", [contact(2, "甲公司")])
    bad = daily_file(
        tmp_path / "in",
        "S002",
        [
            contact(2, "乙公司"),
            contact(3, "丙公司", stage="7", qty=2, price=10.0, amount=25.0),
            contact(4, "丁公司"),
        ],
    )
    result = import_files("reports", [tmp_path / "in"], db=store_url, now=T0)
    status = {f.rep_id: f for f in result.files}
    assert status["S001"].status == "imported"
    blocked = status["S002"]
    assert blocked.status == "blocked" and "--skip-bad-rows" in blocked.note
    (error,) = [i for i in blocked.issues if i.is_error]
    assert (error.code, error.sheet, error.cell) == (Code.AMOUNT_MISMATCH, "日报 Daily", "K11")
    assert result.errors == 1 and result.to_dict()["errors"] == 1
    # Nothing of the bad file reached the store: no submission, no rows, no days; the audit
    # log has the import of the good file and the refusal of the bad one, with its errors.
    assert [s.rep_id for s in query(store_url, select(submissions))] == ["S001"]
    assert {r.rep_id for r in query(store_url, select(activities))} == {"S001"}
    log = query(store_url, select(audit_log).order_by(audit_log.c.action))
    assert [(r.action, r.submission_id is None) for r in log] == [
        ("import", False),
        ("refuse", True),
    ]
    assert '"cell":"K11"' in log[1].details
    # Fixed and sent again, it goes in.
    fixed = daily_file(tmp_path / "in", "S002", [contact(2, "乙公司"), contact(4, "丁公司")])
    assert fixed == bad
    assert import_files("reports", [fixed], db=store_url, now=T0).files[0].status == "imported"


def test_skip_bad_rows_imports_the_rest_and_records_the_errors(store_url, tmp_path):
    path = daily_file(
        tmp_path,
        "S002",
        [
            contact(2, "乙公司"),
            contact(3, "丙公司", stage="7", qty=2, price=10.0, amount=25.0),
            contact(4, "丁公司", phone="12345"),
        ],
    )
    result = import_files("reports", [path], db=store_url, now=T0, skip_bad_rows=True)
    (got,) = result.files
    assert (got.status, got.rows, got.skipped_rows) == ("imported", 2, 1)
    stored = query(store_url, select(issues).order_by(issues.c.id))
    assert {(i.code, i.cell, i.skipped) for i in stored} == {
        ("amount_mismatch", "K11", True),
        ("phone_format", "D12", False),
    }
    (form,) = load_period(store_url, NOV).forms
    assert [r["customer"] for r in form.records("daily")] == ["乙公司", "丁公司"]
    # the skipped row's error, and after it that the row is in no figure
    assert [(i.code, i.cell) for i in form.issues] == [
        (Code.AMOUNT_MISMATCH, "K11"),
        (Code.ROW_NOT_IMPORTED, "K11"),
        (Code.PHONE_FORMAT, "D12"),
    ]


def test_a_file_level_error_blocks_even_with_skip_bad_rows(store_url, tmp_path):
    from salesxl.forms import DAILY_REPORT
    from salesxl.write.templates import write_form

    path = write_form(
        tmp_path / "no_id.xlsx",
        DAILY_REPORT,
        header={"rep_name": "张伟", "month": NOV},
        rows={"daily": [contact(2, "甲")]},
    )
    result = import_files("reports", [path], db=store_url, now=T0, skip_bad_rows=True)
    (got,) = result.files
    assert got.status == "blocked"
    assert Code.MISSING_HEADER in {i.code for i in got.issues}
    assert query(store_url, select(submissions)) == []


def test_reports_take_a_folder_of_mixed_forms_and_point_other_files_elsewhere(store_url, tmp_path):
    _inbox(tmp_path / "inbox")
    roster_file(tmp_path / "inbox" / "roster.xlsx", [rep("S001")])
    (tmp_path / "inbox" / "readme.txt").write_text("not a form")
    result = import_files("reports", [tmp_path / "inbox"], db=store_url, now=T0)
    forms = sorted((f.form_id, f.status) for f in result.files)
    assert forms == [
        ("daily_report", "imported"),
        ("daily_report", "imported"),
        ("monthly_plan", "imported"),
        ("roster", "blocked"),
        ("weekly_plan", "imported"),
    ]
    (wrong,) = [f for f in result.files if f.form_id == "roster"]
    assert "salesxl import roster" in wrong.issues[0].message_en
    assert [n.file.endswith("readme.txt") for n in result.notes] == [True]
    plans = query(store_url, select(weekly_plans))
    assert [(p.rep_id, p.period, p.customer) for p in plans] == [("S001", "2026-W46", "甲公司")]


def test_a_file_already_imported_as_another_kind_is_refused_not_unchanged(store_url, tmp_path):
    # The roster is in the store; then someone types `import sales roster.xlsx`.  The
    # bytes are known, but as a roster: "unchanged" would say the sales are in.
    path = roster_file(tmp_path / "roster.xlsx", [rep("S001"), rep("S002")])
    import_files("roster", [path], db=store_url, now=T0)
    for kind in ("sales", "reports", "targets"):
        (got,) = import_files(kind, [path], db=store_url, now=T0).files
        assert (got.status, got.form_id) == ("blocked", "roster"), kind
        assert [i.code for i in got.issues] == [Code.UNKNOWN_FORM]
        assert "salesxl import roster" in got.issues[0].message_en
    assert query(store_url, select(sales_records)) == []
    # Imported again as what it is, it is unchanged.
    (again,) = import_files("roster", [path], db=store_url, now=T0).files
    assert again.status == "unchanged"


def test_a_roster_replaces_the_roster_and_rejects_unknown_reps(store_url, tmp_path):
    first = roster_file(tmp_path / "r1.xlsx", [rep("S001"), rep("S002")])
    import_files("roster", [first], db=store_url, now=T0)
    second = roster_file(
        tmp_path / "r2.xlsx",
        [rep("S001"), rep("S002", leave_date=dt.date(2026, 11, 15), status="left"), rep("S003")],
    )
    (got,) = import_files("roster", [second], db=store_url, now=T0).files
    assert (got.status, got.version, got.rows) == ("replaced", 2, 3)
    roster = load_period(store_url, NOV).roster
    assert roster is not None and sorted(roster.reps) == ["S001", "S002", "S003"]
    assert roster.reps["S002"].leave_date == dt.date(2026, 11, 15)
    assert len(query(store_url, select(reps))) == 2 + 3  # the first roster is kept
    # With a roster in the store, a report of a rep it does not know is an error.
    path = daily_file(tmp_path / "in", "S999", [contact(2, "甲公司")])
    (blocked,) = import_files("reports", [path], db=store_url, now=T0).files
    assert blocked.status == "blocked"
    assert [i.code for i in blocked.issues if i.is_error] == [Code.UNKNOWN_REP]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_sales_exports_in_csv_of_any_encoding(store_url, tmp_path, encoding):
    path = sales_csv(
        tmp_path / "erp.csv",
        [
            sale(dt.date(2026, 10, 5), "S001", "甲公司", "阿莫西林", 10, 2.5),
            sale(dt.date(2026, 10, 9), "S001", "乙公司", "阿莫西林", 4, 2.5),
            sale(dt.date(2026, 11, 1), "S002", "丙公司", "头孢", 1, 99.0),
            sale(dt.date(2026, 11, 2), "S002", "丙公司", "头孢", -1, 99.0),
        ],
        encoding=encoding,
    )
    (got,) = import_files("sales", [path], db=store_url, now=T0).files
    assert (got.status, got.rows) == ("imported", 4)
    assert sales_history(store_url) == [
        ("S001", "阿莫西林", Month(2026, 10), 35.0),
        ("S002", "头孢", Month(2026, 11), 0.0),
    ]


def test_a_new_sales_export_replaces_only_its_reps_and_months(store_url, tmp_path):
    year = sales_csv(
        tmp_path / "2026.csv",
        [
            sale(dt.date(2026, 10, 5), "S001", "甲", "A", 1, 100.0),
            sale(dt.date(2026, 11, 5), "S001", "甲", "A", 1, 200.0),
            sale(dt.date(2026, 11, 6), "S002", "乙", "A", 1, 300.0),
        ],
    )
    import_files("sales", [year], db=store_url, now=T0)
    correction = sales_csv(
        tmp_path / "fix.csv",
        [
            sale(dt.date(2026, 11, 5), "S001", "甲", "A", 1, 250.0),
            sale(dt.date(2026, 11, 7), "S001", "甲", "B", 2, 10.0),
        ],
    )
    (got,) = import_files("sales", [correction], db=store_url, now=T0).files
    assert (got.status, got.version, got.rows) == ("replaced", 2, 2)
    assert sales_history(store_url) == [
        ("S001", "A", Month(2026, 10), 100.0),
        ("S001", "A", Month(2026, 11), 250.0),
        ("S001", "B", Month(2026, 11), 20.0),
        ("S002", "A", Month(2026, 11), 300.0),
    ]
    assert sales_history(store_url, by_product=False, first=Month(2026, 11)) == [
        ("S001", None, Month(2026, 11), 270.0),
        ("S002", None, Month(2026, 11), 300.0),
    ]
    subs = query(store_url, select(submissions).order_by(submissions.c.id))
    assert [s.status for s in subs] == ["current", "current"]  # the year file still counts
    replaced = query(
        store_url, select(sales_records.c.amount).where(sales_records.c.replaced_by == subs[1].id)
    )
    assert [r.amount for r in replaced] == [200.0]
    (entry,) = [e for e in query(store_url, select(audit_log)) if e.action == "replace"]
    assert codec.loads(entry.details)["replaced"][0]["rows"] == 1


def test_a_bad_line_in_a_sales_export_blocks_the_whole_export(store_url, tmp_path):
    rows = generated_sales(500)
    rows[321][10] = "about 12"  # 金额 cannot be read
    path = sales_csv(tmp_path / "erp.csv", rows)
    (got,) = import_files("sales", [path], db=store_url, now=T0).files
    assert got.status == "blocked"
    (error,) = [i for i in got.issues if i.is_error]
    assert (error.code, error.cell) == (Code.BAD_TYPE, "K323")
    assert query(store_url, select(sales_records)) == []
    (kept,) = import_files("sales", [path], db=store_url, now=T0, skip_bad_rows=True).files
    assert (kept.status, kept.rows, kept.skipped_rows) == ("imported", 499, 1)


def test_an_xlsx_sales_export(store_url, tmp_path):
    from salesxl.forms import SALES_RECORDS
    from salesxl.write.templates import write_form

    rows = [
        {
            "date": dt.date(2026, 11, d),
            "rep_id": "S001",
            "customer": "甲",
            "product": "A",
            "qty": 2.0,
            "price": 5.0,
            "amount": 10.0,
        }
        for d in range(1, 11)
    ]
    path = write_form(tmp_path / "sales.xlsx", SALES_RECORDS, rows={"sales": rows})
    (got,) = import_files("sales", [path], db=store_url, now=T0).files
    assert (got.status, got.rows) == ("imported", 10)
    assert sales_history(store_url) == [("S001", "A", Month(2026, 11), 100.0)]


def _erp_xlsx(path: Path, bad_row: int | None = None) -> Path:
    """600 lines as an ERP writes them to xlsx (real dates, numbers as numbers; no template):
    line i (0-based, sheet row i + 2) is on 2026-10-01 + (i % 30) days, rep S001 when i is
    even (price 12.5) else S002 (price 8.25), qty 1 + i % 3, amount qty × price; with
    `bad_row`, that sheet row's 金额 is text no one can read as a number."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("销售明细")
    dates = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, store_fixtures.SALES_HEADER)
    for i in range(600):
        r = i + 1
        day = dt.datetime(2026, 10, 1) + dt.timedelta(days=i % 30)
        qty, price = 1 + i % 3, (12.5 if i % 2 == 0 else 8.25)
        sheet.write_datetime(r, 0, day, dates)
        sheet.write_row(r, 1, ["S001" if i % 2 == 0 else "S002", f"客户{i % 7}", "A药"])
        sheet.write_row(r, 4, ["10mg*20", "B001"])
        sheet.write_datetime(r, 6, dt.datetime(2028, 12, 31), dates)
        sheet.write_row(r, 7, ["某药厂", qty, price])
        sheet.write(r, 10, "about 12" if r + 1 == bad_row else qty * price)
    book.close()
    return path


@pytest.mark.parametrize("through_a_file", [False, True], ids=["in memory", "temporary file"])
def test_an_erp_xlsx_export_stores_every_line_as_written(
    store_url, tmp_path, monkeypatch, through_a_file
):
    """The figures worked out by hand, whichever way python-calamine is given the package
    (a large one goes through a temporary file: forced here for a small one)."""
    from salesxl.read import workbook

    if through_a_file:
        monkeypatch.setattr(workbook, "_SPOOL_BYTES", 0)
    (got,) = import_files("sales", [_erp_xlsx(tmp_path / "erp.xlsx")], db=store_url, now=T0).files
    assert (got.status, got.rows) == ("imported", 600)
    # Each rep has 300 lines; over any 3 of them in a row qty is 1, 2 and 3 in some order
    # (i % 3 of every other i cycles through all three), so each rep sold 100 × 6 = 600:
    # S001 600 × 12.5 = 7,500.00; S002 600 × 8.25 = 4,950.00.
    assert sales_history(store_url) == [
        ("S001", "A药", Month(2026, 10), 7500.0),
        ("S002", "A药", Month(2026, 10), 4950.0),
    ]
    s = sales_records.c
    lines = query(
        store_url,
        select(s.sheet_row, s.date, s.month, s.rep_id, s.customer, s.qty, s.price, s.amount)
        .where(s.sheet_row.in_([2, 3, 301, 601]))
        .order_by(s.sheet_row),
    )
    assert [tuple(line) for line in lines] == [
        # i = 0: 10-01, S001, 客户0, qty 1, 1 × 12.5
        (2, dt.date(2026, 10, 1), "2026-10", "S001", "客户0", 1.0, 12.5, 12.5),
        # i = 1: 10-02, S002, 客户1, qty 2, 2 × 8.25
        (3, dt.date(2026, 10, 2), "2026-10", "S002", "客户1", 2.0, 8.25, 16.5),
        # i = 299: 299 % 30 = 29 -> 10-30, odd: S002, 299 % 7 = 5, qty 1 + 299 % 3 = 3, 3 × 8.25
        (301, dt.date(2026, 10, 30), "2026-10", "S002", "客户5", 3.0, 8.25, 24.75),
        # i = 599: 599 % 30 = 29 -> 10-30, S002, 599 % 7 = 4, qty 1 + 599 % 3 = 3, 3 × 8.25
        (601, dt.date(2026, 10, 30), "2026-10", "S002", "客户4", 3.0, 8.25, 24.75),
    ]
    count, total, quantity = query(
        store_url, select(func.count(), func.sum(s.amount), func.sum(s.qty))
    )[0]
    assert (count, total, quantity) == (600, 7500.0 + 4950.0, 1200.0)


@pytest.mark.parametrize("through_a_file", [False, True], ids=["in memory", "temporary file"])
def test_an_xlsx_export_with_a_bad_line_part_way_is_blocked_whole(
    store_url, tmp_path, monkeypatch, through_a_file
):
    from salesxl.read import workbook

    if through_a_file:
        monkeypatch.setattr(workbook, "_SPOOL_BYTES", 0)
    path = _erp_xlsx(tmp_path / "erp.xlsx", bad_row=400)
    (got,) = import_files("sales", [path], db=store_url, now=T0).files
    assert got.status == "blocked"
    (error,) = [i for i in got.issues if i.is_error]
    assert (error.code, error.sheet, error.cell, error.value) == (
        Code.BAD_TYPE,
        "销售明细",
        "K400",
        "about 12",
    )
    assert query(store_url, select(sales_records)) == []
    assert query(store_url, select(submissions)) == []
    (kept,) = import_files("sales", [path], db=store_url, now=T0, skip_bad_rows=True).files
    assert (kept.status, kept.rows, kept.skipped_rows) == ("imported", 599, 1)
    # sheet row 400 is i = 398: even, S001, qty 1 + 398 % 3 = 3, 3 × 12.5 = 37.50 left out
    assert sales_history(store_url) == [
        ("S001", "A药", Month(2026, 10), 7500.0 - 37.5),
        ("S002", "A药", Month(2026, 10), 4950.0),
    ]


def test_a_file_that_cannot_be_opened_does_not_stop_the_others(store_url, tmp_path, monkeypatch):
    import salesxl.store.imports as imports

    good = daily_file(tmp_path / "in", "S001", [contact(2, "甲公司")])
    locked = daily_file(tmp_path / "in", "S002", [contact(2, "乙公司")])
    real = imports._file_hash

    def file_hash(path):
        if path == locked.resolve():
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(imports, "_file_hash", file_hash)
    result = import_files("reports", [tmp_path / "in"], db=store_url, now=T0)
    status = {f.path: f for f in result.files}
    assert status[str(good.resolve())].status == "imported"
    blocked = status[str(locked.resolve())]
    assert blocked.status == "blocked" and blocked.issues[0].code is Code.UNREADABLE
    assert "Permission denied" in blocked.issues[0].message_en


def test_a_file_named_twice_is_imported_once(store_url, tmp_path):
    path = daily_file(tmp_path / "in", "S001", [contact(2, "甲公司")])
    result = import_files("reports", [path, tmp_path / "in", str(path)], db=store_url, now=T0)
    assert [f.status for f in result.files] == ["imported"]


def test_batches_read_while_others_are_written_give_one_batchs_store(
    store_url, tmp_path, monkeypatch
):
    """Files are written in batches (one transaction each) while the next batch is read: a
    resubmission in a later batch than its first version, and customers two reps share
    across batches, end as they do when everything is one batch."""
    import os

    from salesxl.store import imports, read_customers

    inbox = tmp_path / "inbox"
    files = [
        daily_file(inbox / "a", "S001", [contact(3, "甲公司", phone="13800138000")]),
        daily_file(inbox / "b", "S002", [contact(2, "甲公司", phone="13800138000", deposit=10.0)]),
        daily_file(inbox / "c", "S003", [contact(4, "乙公司")]),
        daily_file(inbox / "d", "S004", [contact(5, "丙公司")]),
        # S001 again, newer: it replaces the first version (two batches later)
        daily_file(inbox / "e", "S001", [contact(6, "甲公司", phone="13800138000", deposit=5.0)]),
    ]
    for i, path in enumerate(files):  # written oldest first, by modification time
        os.utime(path, (1_700_000_000 + i, 1_700_000_000 + i))
    whole = import_files("reports", [inbox], db=store_url, now=T0)
    one_batch = read_customers(store_url)
    other = f"sqlite:///{tmp_path / 'batches.db'}"
    monkeypatch.setattr(imports, "READ_CHUNK", 2)
    batched = import_files("reports", [inbox], db=other, now=T0)
    assert [r.status for r in batched.files] == [r.status for r in whole.files]
    assert [r.status for r in batched.files].count("replaced") == 1
    assert read_customers(other) == one_batch
    # 甲公司: S002 registered it first (the 2nd), S002's deposit is the first (the 2nd too);
    # S001's newer version moved its contact to the 6th: two reps report it.
    (jia,) = [c for c in one_batch if c.key == "tel:13800138000"]
    assert (jia.owner_rep, jia.first_date, jia.reps) == ("S002", dt.date(2026, 11, 2), 2)
    assert (jia.deal_rep, jia.deposit_date) == ("S002", dt.date(2026, 11, 2))


def _batch_inbox(folder):
    """Five reports written oldest first: a bad one in the middle, and S001 twice (its newer
    file repeats the 3rd and adds the 6th)."""
    import os

    files = [
        daily_file(
            folder / "a",
            "S001",
            [contact(2, "甲公司", phone="13800138000"), contact(3, "乙公司")],
            closes=[{"date": dt.date(2026, 11, 2), "forecast": 5000.0}],
        ),
        # 2 × 10.0 is 20.0, not 25.0: a row error, so the whole file is refused
        daily_file(
            folder / "b", "S002", [contact(2, "戊公司", stage="7", qty=2, price=10.0, amount=25.0)]
        ),
        daily_file(folder / "c", "S003", [contact(4, "丙公司")]),
        daily_file(
            folder / "d",
            "S001",
            [contact(3, "甲公司", phone="13800138000"), contact(6, "甲公司", phone="13800138000")],
        ),
        daily_file(folder / "e", "S004", [contact(5, "丁公司")]),
    ]
    for i, path in enumerate(files):
        os.utime(path, (1_700_000_000 + i, 1_700_000_000 + i))
    return files


def test_a_batch_keeps_its_good_files_around_a_bad_one(store_url, tmp_path):
    """Five reports read and written as one batch (their rows held back for one insert per
    table): the bad one is refused and logged, the others are in, and S001's second file
    sees the first's rows and days although they were not yet inserted when it was read."""
    inbox = tmp_path / "inbox"
    _batch_inbox(inbox)
    result = import_files("reports", [inbox], db=store_url, now=T0)
    assert [(f.rep_id, f.status) for f in result.files] == [
        ("S001", "imported"),
        ("S002", "blocked"),
        ("S003", "imported"),
        ("S001", "replaced"),
        ("S004", "imported"),
    ]
    # rows kept: a 2 + c 1 + d 2 + e 1 = 6, of which current (a replaced by d): 1 + 2 + 1 = 4
    stored = query(store_url, select(activities.c.rep_id, activities.c.submission_id))
    assert len(stored) == 6 and not [r for r in stored if r.rep_id == "S002"]
    current = query(
        store_url,
        select(func.count())
        .select_from(activities.join(submissions, submissions.c.id == activities.c.submission_id))
        .where(submissions.c.status == "current"),
    )
    assert current[0][0] == 4
    # days: S001 the 2nd and 3rd from a, the 6th from d (d's 3rd was already there);
    # S003 the 4th; S004 the 5th
    ids = {s.rep_id + str(s.version): s.id for s in query(store_url, select(submissions))}
    days = query(
        store_url, select(report_days.c.rep_id, report_days.c.day, report_days.c.submission_id)
    )
    assert sorted((r, d.day, sub) for r, d, sub in days) == [
        ("S001", 2, ids["S0011"]),
        ("S001", 3, ids["S0011"]),
        ("S001", 6, ids["S0012"]),
        ("S003", 4, ids["S0031"]),
        ("S004", 5, ids["S0041"]),
    ]
    # the refusal: logged with its error, no submission
    log = query(store_url, select(audit_log.c.action, audit_log.c.submission_id))
    assert sorted(a for a, _ in log) == ["import", "import", "import", "refuse", "replace"]
    assert [sub for a, sub in log if a == "refuse"] == [None]
    # customers of the current rows: 甲公司 now only in d (3rd and 6th), 乙公司 gone with a
    got = {
        (c.key, c.owner_rep, c.first_date.day)
        for c in query(
            store_url, select(customers.c.key, customers.c.owner_rep, customers.c.first_date)
        )
    }
    assert got == {
        ("tel:13800138000", "S001", 3),
        ("name:丙公司", "S003", 4),
        ("name:丁公司", "S004", 5),
    }


def test_a_rep_sending_the_month_twice_beside_another_rep_in_one_batch(store_url, tmp_path):
    """李娜 S002's October report twice (the first, then her corrected copy) and 王芳 S004's
    in one folder, imported as one batch: the copy replaces the first (which is flushed
    for it), and the rows held back after that, the replace's log entry before S004's
    new submission, go in parents first, so S004's log entry finds its submission."""
    import os

    inbox = tmp_path / "inbox"
    files = [
        daily_file(inbox, "S002", [contact(9, "蓝天公司")], name="a_S002.xlsx"),
        daily_file(
            inbox, "S002", [contact(9, "蓝天公司"), contact(12, "白云商行")], name="b_S002.xlsx"
        ),
        daily_file(inbox, "S004", [contact(13, "珠江酒店")], name="c_S004.xlsx"),
    ]
    for i, path in enumerate(files):
        os.utime(path, (1_700_000_000 + i, 1_700_000_000 + i))
    result = import_files("reports", [inbox], db=store_url, now=T0)
    assert [(f.rep_id, f.status, f.rows) for f in result.files] == [
        ("S002", "imported", 1),
        ("S002", "replaced", 2),
        ("S004", "imported", 1),
    ]
    ids = {(s.rep_id, s.version): s.id for s in query(store_url, select(submissions))}
    log = query(store_url, select(audit_log.c.action, audit_log.c.submission_id))
    assert sorted(log) == sorted(
        [("import", ids["S002", 1]), ("replace", ids["S002", 2]), ("import", ids["S004", 1])]
    )


def test_one_batch_stores_what_one_file_per_transaction_stores(tmp_path, monkeypatch):
    """Every table, row for row, ids included: the batch of five (one insert per table) and
    the same files each in a transaction of its own (each read alone, inserted at once)."""
    from salesxl.store import imports

    inbox = tmp_path / "inbox"
    _batch_inbox(inbox)
    batched = f"sqlite:///{tmp_path / 'batched.db'}"
    assert import_files("reports", [inbox], db=batched, now=T0, actor="lead@host").errors == 1
    monkeypatch.setattr(imports, "READ_CHUNK", 1)
    monkeypatch.setattr(imports, "FIRST_CHUNK", 1)
    monkeypatch.setattr(imports, "PendingRows", lambda: None)  # nothing held back
    monkeypatch.setattr(imports, "look_up_batch", lambda conn, forms: None)  # each file asks
    alone = f"sqlite:///{tmp_path / 'alone.db'}"
    assert import_files("reports", [inbox], db=alone, now=T0, actor="lead@host").errors == 1
    tables, others = dump_tables(batched), dump_tables(alone)
    del tables["salesxl_schema"], others["salesxl_schema"]  # when each store was created
    assert tables["activities"] and tables["report_days"] and tables["customers"]
    assert tables == others


@contextmanager
def _statements() -> Iterator[list[str]]:
    """The SQL every engine runs inside the block."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    said: list[str] = []

    def seen(conn, cursor, statement, *args):
        said.append(statement)

    event.listen(Engine, "before_cursor_execute", seen)
    try:
        yield said
    finally:
        event.remove(Engine, "before_cursor_execute", seen)


def test_a_batch_asks_once_what_each_file_would_ask(store_url, tmp_path, monkeypatch):
    """Each file's earlier versions and known days, asked once for the batch: a rep's
    October, November (twice: the second replaces the first, seen before either is in
    the store) and December, a weekly plan, a second rep replacing last import's file.
    The store ends up row for row as when each file asks the store itself."""
    import os

    from salesxl.store import imports

    def inboxes(folder: Path) -> tuple[Path, Path]:
        oct_, dec = Month(2026, 10), Month(2026, 12)
        first = [
            daily_file(folder / "1a", "S001", [contact(2, "甲公司"), contact(3, "乙")]),
            daily_file(folder / "1b", "S002", [contact(4, "丙公司")]),
        ]
        week = Week(2026, 46)
        second = [
            daily_file(folder / "2a", "S001", [contact(3, "乙"), contact(6, "丁")]),
            daily_file(folder / "2b", "S001", [contact(8, "戊", month=oct_)], month=oct_),
            daily_file(folder / "2c", "S002", [contact(4, "丙公司"), contact(5, "己")]),
            daily_file(
                folder / "2d", "S001", [contact(3, "乙"), contact(9, "庚")], name="again.xlsx"
            ),
            daily_file(folder / "2e", "S001", [contact(1, "辛", month=dec)], month=dec),
            weekly_file(folder / "2f", "S001", week, [{"date": week.monday, "customer": "甲公司"}]),
        ]
        for i, path in enumerate([*first, *second]):  # written in this order
            os.utime(path, (1_700_000_000 + i, 1_700_000_000 + i))
        return folder / "1", folder / "2"

    one, two = inboxes(tmp_path / "in")

    def run(url: str) -> list[str]:
        import_files("reports", sorted(one.parent.glob("1?")), db=url, now=T0)
        with _statements() as said:
            result = import_files("reports", sorted(two.parent.glob("2?")), db=url, now=T0)
        assert [f.status for f in result.files] == [
            "replaced",
            "imported",
            "replaced",
            "replaced",
            "imported",
            "imported",
        ]
        return said

    batched = run(store_url)
    monkeypatch.setattr(imports, "look_up_batch", lambda conn, forms: None)  # each file asks
    alone = f"sqlite:///{tmp_path / 'alone.db'}"
    each = run(alone)
    tables, others = dump_tables(store_url), dump_tables(alone)
    del tables["salesxl_schema"], others["salesxl_schema"]
    assert tables["report_days"] and tables == others

    def asked(said: list[str]) -> tuple[int, int, int, int]:
        """Versions of one slice, of the batch's slices; days of one rep, of the batch's."""
        where = [q.split("WHERE", 1)[1] for q in said if q.startswith("SELECT") and "WHERE" in q]
        shapes = [  # SQLite's placeholders are ?, PostgreSQL's %(name)s::TYPE
            r" submissions\.form_id = \S+ AND submissions\.rep_id = ",
            r" submissions\.rep_id IN ",
            r" report_days\.rep_id = ",
            r" report_days\.rep_id IN ",
        ]
        a, b, c, d = (sum(bool(re.match(shape, w)) for w in where) for shape in shapes)
        return a, b, c, d

    # each of the six files asks for its slice's versions, the five daily reports for days
    assert asked(each) == (6, 0, 5, 0)
    # the batch asks once; only the second November of S001 asks again (its slice was written
    # in the batch), and its days are those the batch knows with the first one's added
    assert asked(batched) == (1, 1, 0, 1)


def test_a_batch_numbers_its_submissions_and_inserts_them_with_its_rows(store_url, tmp_path):
    """Five new reports in one batch: their submissions go in as one insert, numbered 1 to
    5 as the database would number them; a resubmission (the versions it replaces point at
    it) goes in at once; the next submission, numbered by the database, is the next id."""
    from salesxl.store import import_form
    from tests import factory

    files = [daily_file(tmp_path / "in", f"S00{i}", [contact(i, "甲公司")]) for i in range(1, 6)]
    with _statements() as said:
        result = import_files("reports", files, db=store_url, now=T0)
    assert [f.submission_id for f in result.files] == [1, 2, 3, 4, 5]
    inserts = [q for q in said if q.startswith("INSERT INTO submissions ")]
    # SQLite: one executemany; PostgreSQL: one COPY, which bypasses the engine's events
    assert len(inserts) == (0 if store_url.startswith("postgresql") else 1)
    again = daily_file(tmp_path / "again", "S003", [contact(3, "甲公司"), contact(4, "乙")])
    (replaced,) = import_files("reports", [again], db=store_url, now=T0).files
    assert (replaced.status, replaced.submission_id, replaced.replaced) == ("replaced", 6, [3])
    data = factory.daily("S009", [factory.row(4, "丁公司")], path="inbox/S009.xlsx")
    assert import_form("reports", data, db=store_url, now=T0).submission_id == 7
    rows = query(store_url, select(submissions.c.id, submissions.c.rep_id, submissions.c.status))
    assert sorted(rows) == [
        (1, "S001", "current"),
        (2, "S002", "current"),
        (3, "S003", "replaced"),
        (4, "S004", "current"),
        (5, "S005", "current"),
        (6, "S003", "current"),
        (7, "S009", "current"),
    ]


def test_an_import_reads_big_files_a_few_at_a_time():
    """Chunks of at most 16 files first, then 64, and at most 8 MB on disk unless one file
    alone is larger: a year of 12 MB ERP exports is read one file ahead, not all at once."""
    mb = 2**20
    reports = [Path(f"r{i}.xlsx") for i in range(100)]
    sizes = [30_000] * 100
    # 16, then 64, then the 20 left (100 × 30 KB is 2.9 MB: the byte bound does not bite)
    assert [len(c) for c in read_chunks(reports, sizes)] == [16, 64, 20]
    exports = [Path(f"erp_{m:02d}.xlsx") for m in range(1, 13)]
    assert read_chunks(exports, [12 * mb] * 12) == [[p] for p in exports]  # each alone
    # 3 + 3 = 6 MB fit; a third 3 MB would make 9 MB: a new chunk; 9 MB alone
    got = read_chunks(exports[:5], [3 * mb, 3 * mb, 3 * mb, 9 * mb, 1 * mb])
    assert got == [exports[0:2], exports[2:3], exports[3:4], exports[4:5]]
    assert read_chunks([], []) == []


def _count_started(monkeypatch) -> list[int]:
    """The niceness of every reading process started from now on, in order."""
    from salesxl.intake import pool

    started: list[int] = []
    start = pool._start

    def counted(context, func, nice=0):
        started.append(nice)
        return start(context, func, nice)

    monkeypatch.setattr(pool, "_start", counted)
    return started


def test_the_reading_processes_last_the_whole_import(store_url, tmp_path, monkeypatch):
    """40 reports in chunks of 4: read by two processes started once for the import (not
    two for each of the ten chunks), below the writer's priority, every file imported, in
    the order of the input."""
    import os

    from salesxl.store import imports

    inbox = tmp_path / "inbox"
    for k in range(40):
        path = daily_file(inbox / f"r{k:02d}", f"S{k:03d}", [contact(2 + k % 20, f"客户{k}")])
        os.utime(path, (1_700_000_000 + k, 1_700_000_000 + k))
    started = _count_started(monkeypatch)
    monkeypatch.setattr(imports, "READ_CHUNK", 4)
    monkeypatch.setattr(imports, "FIRST_CHUNK", 4)
    result = import_files("reports", [inbox], db=store_url, now=T0, workers=2)
    assert started == [imports.READ_NICE] * 2 and imports.READ_NICE > 0
    assert [f.status for f in result.files] == ["imported"] * 40
    stored = query(store_url, select(submissions.c.rep_id).order_by(submissions.c.id))
    assert [r.rep_id for r in stored] == [f"S{k:03d}" for k in range(40)]


def _wait_for(condition):
    """Until `condition()` holds (the reading thread has got there), at most 10 s."""
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, "the reading thread never got there"
        time.sleep(0.01)


class _Forms:
    """Stands in for `stream_forms`: counts the forms taken, fails at `fail_at`, and says
    when it is closed."""

    def __init__(self, fail_at=None):
        self.taken, self.closed, self.fail_at = 0, False, fail_at

    def __iter__(self):
        return self

    def __next__(self):
        if self.taken == self.fail_at:
            raise RuntimeError("reading failed in a worker process")
        self.taken += 1
        return f"form {self.taken}"

    def close(self):
        self.closed = True


def test_reading_runs_at_most_three_chunks_ahead_of_writing():
    from salesxl.store.imports import _ReadAhead

    chunks = [[Path(f"r{i}_{k}.xlsx") for k in range(4)] for i in range(6)]
    sizes = [4 * 30_000] * 6
    forms = _Forms()
    with _ReadAhead(chunks, sizes, forms) as ahead:
        assert ahead.next_chunk() == ["form 1", "form 2", "form 3", "form 4"]
        # chunk 0 in the writer's hands, 1 and 2 read ahead: the reader waits for a write
        _wait_for(lambda: forms.taken == 12)
        time.sleep(0.2)  # time enough to take more, were it allowed to
        assert forms.taken == 12
        ahead.written(sizes[0])
        _wait_for(lambda: forms.taken == 16)
        assert ahead.next_chunk() == ["form 5", "form 6", "form 7", "form 8"]
    # leaving early stops the reading and closes what it reads from
    assert forms.closed and forms.taken == 16


def test_a_large_chunk_is_read_only_beside_the_one_written():
    """12 MB exports (150 MB each once read): the next one is read while one is written, as
    ever, but the byte bound (16 MB) keeps a third from being read before the first is
    written."""
    from salesxl.store.imports import _ReadAhead

    chunks = [[Path(f"erp_{m}.xlsx")] for m in range(4)]
    sizes = [12 * 2**20] * 4
    forms = _Forms()
    with _ReadAhead(chunks, sizes, forms) as ahead:
        assert ahead.next_chunk() == ["form 1"]
        _wait_for(lambda: forms.taken == 2)  # read while the first is written
        time.sleep(0.2)  # time enough to take a third, were it allowed to
        assert forms.taken == 2
        ahead.written(sizes[0])
        _wait_for(lambda: forms.taken == 3)
        assert ahead.next_chunk() == ["form 2"]
        ahead.written(sizes[1])
        assert ahead.next_chunk() == ["form 3"]
        ahead.written(sizes[2])
        assert ahead.next_chunk() == ["form 4"]
        ahead.written(sizes[3])
    assert forms.closed and forms.taken == 4


def test_a_failure_while_reading_reaches_the_writer():
    from salesxl.store.imports import _ReadAhead

    chunks = [[Path(f"r{i}_{k}.xlsx") for k in range(2)] for i in range(3)]
    forms = _Forms(fail_at=3)
    with _ReadAhead(chunks, [1] * 3, forms) as ahead:
        assert ahead.next_chunk() == ["form 1", "form 2"]
        ahead.written(1)
        with pytest.raises(RuntimeError, match="reading failed"):
            ahead.next_chunk()
    assert forms.closed


def test_customers_recomputed_in_pieces_of_any_size_come_out_the_same(
    store_url, tmp_path, monkeypatch
):
    """The customers of a batch are recomputed in statements of at most so many keys (500 on
    SQLite, 5,000 on PostgreSQL): one key per statement gives the same table as one
    statement for all, owners, first dates, reps and deals included."""
    from salesxl.store import customers as customer_rules
    from salesxl.store import read_customers
    from salesxl.store.engine import write_transaction
    from salesxl.store.migrations import open_store

    inbox = tmp_path / "inbox"
    daily_file(
        inbox / "a",
        "S001",
        [
            contact(2, "甲公司", phone="13800138000"),
            contact(3, "乙公司"),
            contact(4, "丙公司", deposit=10.0),
        ],
    )
    daily_file(
        inbox / "b",
        "S002",
        [contact(1, "乙公司"), contact(5, "甲公司", phone="13800138000", deposit=5.0)],
    )
    import_files("reports", [inbox], db=store_url, now=T0)
    whole = read_customers(store_url)
    # 甲公司: S001 registered it on the 2nd, S002's deposit on the 5th won the deal
    (jia,) = [c for c in whole if c.key == "tel:13800138000"]
    assert (jia.owner_rep, jia.reps, jia.deal_rep) == ("S001", 2, "S002")
    (yi,) = [c for c in whole if c.key == "name:乙公司"]
    assert (yi.owner_rep, yi.first_date, yi.reps) == ("S002", dt.date(2026, 11, 1), 2)
    monkeypatch.setattr(customer_rules, "_CHUNK", 1)
    monkeypatch.setattr(customer_rules, "_CHUNK_POSTGRESQL", 1)
    with open_store(store_url) as engine, write_transaction(engine) as conn:
        conn.execute(customers.delete())  # every row must come back from the pieces
        customer_rules.refresh_customers(conn, [c.key for c in whole], T0)
    assert read_customers(store_url) == whole


def test_how_many_reading_processes_by_files_and_bytes(monkeypatch):
    """Many files, or a few large ones, are read by several processes; one file, or a few
    small ones, in the process itself."""
    import os

    from salesxl.intake.files import PARALLEL_BYTES, PARALLEL_THRESHOLD, default_workers

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert default_workers(1, 10 * PARALLEL_BYTES) == 1  # one file: nothing to share
    assert default_workers(3, 1_000) == 1
    assert default_workers(3) == 1  # sizes not known: by the count alone
    assert default_workers(2, PARALLEL_BYTES) == 2  # two ERP exports
    assert default_workers(PARALLEL_THRESHOLD, 1_000) == 2
    monkeypatch.setattr(os, "cpu_count", lambda: 32)
    assert default_workers(500) == 8


def test_a_few_large_exports_are_read_side_by_side(store_url, tmp_path, monkeypatch):
    """Three sales exports larger together than PARALLEL_BYTES: read by two processes (below
    the writer's priority), every record of each stored, in the order of the input."""
    from salesxl.intake import files
    from salesxl.store import imports

    paths = [
        sales_csv(
            tmp_path / f"erp_{m}.csv",
            [sale(dt.date(2026, m, d), "S001", f"客户{d}", "A药", d, 10.0) for d in range(1, 21)],
        )
        for m in (9, 10, 11)
    ]
    monkeypatch.setattr(files, "PARALLEL_BYTES", sum(p.stat().st_size for p in paths))
    monkeypatch.setattr(files.os, "cpu_count", lambda: 2)
    started = _count_started(monkeypatch)
    result = import_files("sales", paths, db=store_url, now=T0)
    assert started == [imports.READ_NICE] * 2
    assert [(f.status, f.rows) for f in result.files] == [("imported", 20)] * 3
    stored = query(store_url, select(sales_records.c.date).order_by(sales_records.c.id))
    assert [r.date.month for r in stored] == [9] * 20 + [10] * 20 + [11] * 20
