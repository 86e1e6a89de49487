"""`salesxl import` on the command line, and several imports at once into one database."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from salesxl.cli import main
from salesxl.store.schema import activities, audit_log, sales_records, submissions
from tests import store_fixtures
from tests.store_fixtures import (
    contact,
    daily_file,
    generated_sales,
    query,
    rep,
    roster_file,
    sales_csv,
)

# Every test taking `store_url` runs on SQLite and on a PostgreSQL server started for the session.
pg_server = store_fixtures.pg_server
store_url = store_fixtures.store_url


def invoke(*args, env=None):
    return CliRunner().invoke(main, list(map(str, args)), env=env)


def test_help_has_an_example():
    result = invoke("import", "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output and "salesxl import reports" in result.output


def test_text_report_then_unchanged(tmp_path):
    db = tmp_path / "team.db"
    daily_file(tmp_path / "inbox", "S001", [contact(2, "甲公司")])
    first = invoke("import", "reports", tmp_path / "inbox", "--db", db)
    assert first.exit_code == 0, first.output
    assert first.output.startswith("imported ")
    assert "1 file: 1 imported" in first.output and str(db) in first.output
    second = invoke("import", "reports", tmp_path / "inbox", "--db", db)
    assert second.exit_code == 0
    assert "unchanged" in second.output and "nothing changed" in second.output


def test_json_report_and_exit_code_of_a_blocked_file(tmp_path):
    daily_file(tmp_path / "inbox", "S001", [contact(2, "甲公司")])
    daily_file(
        tmp_path / "inbox",
        "S002",
        [contact(2, "乙", stage="7", qty=1, price=1.0, amount=9.0), contact(3, "丙")],
    )
    result = invoke(
        "import", "reports", tmp_path / "inbox", "--db", tmp_path / "s.db", "--format", "json"
    )
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert {
        k: data[k] for k in ("files", "imported", "unchanged", "replaced", "rows", "errors")
    } == {"files": 2, "imported": 1, "unchanged": 0, "replaced": 0, "rows": 1, "errors": 1}
    (error,) = [i for i in data["issues"] if i["severity"] == "error"]
    assert (error["code"], error["sheet"], error["cell"]) == (
        "amount_mismatch",
        "日报 Daily",
        "K10",
    )
    skipped = invoke(
        "import",
        "reports",
        tmp_path / "inbox",
        "--db",
        tmp_path / "s.db",
        "--format",
        "json",
        "--skip-bad-rows",
    )
    assert skipped.exit_code == 0  # S002's good row; a file with no good row would exit 1
    assert json.loads(skipped.output)["imported"] == 1


def test_the_database_comes_from_the_environment(tmp_path):
    path = roster_file(tmp_path / "roster.xlsx", [rep("S001")])
    result = invoke("import", "roster", path, env={"SALESXL_DB": str(tmp_path / "env.db")})
    assert result.exit_code == 0, result.output
    assert (tmp_path / "env.db").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["import", "budget", "."], "Invalid value for '{roster|sales|reports|targets}'"),
        (["import", "reports", "does-not-exist"], "does not exist"),
        (["import", "reports", ".", "--db", "mysql://u@h/db"], "postgresql://"),
    ],
)
def test_usage_errors(args, message):
    result = invoke(*args)
    assert result.exit_code == 2 and message in result.output


def test_a_database_that_cannot_be_reached_is_a_clear_error(tmp_path):
    path = roster_file(tmp_path / "roster.xlsx", [rep("S001")])
    result = invoke("import", "roster", path, "--db", "postgresql://nobody@127.0.0.1:1/none")
    assert result.exit_code == 1
    assert "cannot connect" in result.output and "Check that the server runs" in result.output


def test_concurrent_imports_from_several_processes(store_url, tmp_path):
    """Four processes import overlapping sets of files, and two versions of one report, at once."""
    inbox = tmp_path / "inbox"
    reports = [
        daily_file(inbox, f"S{i:03d}", [contact(1 + i % 20, f"客户{i}-{j}") for j in range(5)])
        for i in range(16)
    ]
    v1 = daily_file(tmp_path / "v1", "S900", [contact(3, "甲")])
    v2 = daily_file(tmp_path / "v2", "S900", [contact(3, "甲"), contact(4, "乙")])
    sales = [
        sales_csv(tmp_path / f"sales{k}.csv", generated_sales(3000, reps=10 + k)) for k in range(2)
    ]
    # Every report is in two processes' lists; v1 and v2 race each other.
    batches = [
        [*reports[0:8], v1],
        [*reports[4:12], v2],
        [*reports[8:16]],
        [*reports[12:], *reports[:4]],
    ]
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "salesxl",
                "import",
                "reports",
                *map(str, b),
                "--db",
                store_url,
                "--format",
                "json",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for b in batches
    ]
    procs += [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "salesxl",
                "import",
                "sales",
                str(s),
                "--db",
                store_url,
                "--format",
                "json",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for s in sales
    ]
    outputs = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        outputs.append(json.loads(out))
    reports_done = outputs[:4]
    assert sum(o["imported"] + o["replaced"] for o in reports_done) == 16 + 2
    assert sum(o["unchanged"] for o in reports_done) == 16  # the second copy of each report

    subs = query(store_url, select(submissions).where(submissions.c.kind == "reports"))
    assert len(subs) == 18 and len({s.content_hash for s in subs}) == 18
    # Whichever of S900's two files reached the store last is its current version.
    s900 = sorted((s.version, s.status, s.path) for s in subs if s.rep_id == "S900")
    assert [(v, status) for v, status, _ in s900] == [(1, "replaced"), (2, "current")]
    assert {s900[0][2], s900[1][2]} == {str(v1.resolve()), str(v2.resolve())}
    assert sum(s.status == "current" for s in subs) == 17
    current_rows = query(
        store_url,
        select(func.count())
        .select_from(activities)
        .join(submissions, submissions.c.id == activities.c.submission_id)
        .where(submissions.c.status == "current"),
    )[0][0]
    assert current_rows == 16 * 5 + (2 if s900[1][2] == str(v2.resolve()) else 1)
    # Both sales exports went in; the later one replaced the rep-months they share.
    assert query(store_url, select(func.count()).select_from(sales_records))[0][0] == 6000
    live = query(
        store_url,
        select(func.count())
        .select_from(sales_records)
        .where(sales_records.c.replaced_by.is_(None)),
    )[0][0]
    assert 3000 <= live < 6000
    assert len(query(store_url, select(audit_log))) == 18 + 2


def test_progress_is_quiet_when_not_a_terminal(tmp_path):
    path = sales_csv(tmp_path / "erp.csv", generated_sales(100))
    result = invoke("import", "sales", path, "--db", tmp_path / "s.db")
    assert result.exit_code == 0
    assert "Writing" not in result.output and "Reading" not in result.output
