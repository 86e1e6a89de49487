"""`salesxl consolidate` as a user runs it: a messy inbox, bad options, a locked output."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from salesxl.cli import main
from salesxl.core.periods import Month
from salesxl.forms import DAILY_REPORT, ROSTER
from salesxl.write.templates import write_form

NOV = Month(2026, 11)


def report(path: Path, rep: str, rows: list[dict], month: Month = NOV) -> Path:
    write_form(
        path,
        DAILY_REPORT,
        header={
            "rep_name": f"销售{rep}",
            "rep_id": rep,
            "team": "一组",
            "region": "华东",
            "month": month,
        },
        rows={"daily": rows},
    )
    return path


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    box = tmp_path / "inbox"
    (box / "east").mkdir(parents=True)
    day = dt.date(2026, 11, 3)
    report(
        box / "east" / "a.xlsx",
        "S001",
        [
            {
                "date": day,
                "customer": "恒瑞贸易",
                "source": "walkin",
                "grade": "A",
                "stage": "7",
                "qty": 2,
                "price": 100.0,
                "amount": 200.0,
            }
        ],
    )
    report(
        box / "b.xlsx",
        "S002",
        [
            {
                "date": day,
                "customer": "天河科技",
                "source": "visit",
                "grade": "B",
                "stage": "7",
                "amount": 900.0,
                "deposit": 1000.0,
            }
        ],
    )  # deposit > amount: an error in a good file
    (box / "broken.xlsx").write_bytes(b"PK\x03\x04 truncated")
    (box / "notes.txt").write_text("not a form")
    (box / "~$a.xlsx").write_bytes(b"lock")
    foreign = openpyxl.Workbook()
    foreign.active.append(["名字", "年龄"])
    foreign.save(box / "foreign.xlsx")
    write_form(
        tmp_path / "roster.xlsx",
        ROSTER,
        rows={
            "reps": [
                {"rep_id": "S001", "name": "销售S001", "team": "一组", "region": "华东"},
                {"rep_id": "S003", "name": "销售S003", "team": "一组", "region": "华东"},
            ]
        },
    )
    return box


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_mixed_folder_finishes_and_lists_every_problem(inbox, tmp_path):
    out = tmp_path / "summary.xlsx"
    result = run(
        "consolidate",
        str(inbox),
        "--period",
        "2026-11",
        "--as-of",
        "2026-11-05",
        "--roster",
        str(tmp_path / "roster.xlsx"),
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.output
    assert "summary written to" in result.output and out.exists()
    ws = openpyxl.load_workbook(out)["问题 Issues"]
    found = {(Path(r[0]).name, r[5]) for r in ws.iter_rows(min_row=2, values_only=True)}
    assert ("broken.xlsx", "unreadable") in found
    assert ("foreign.xlsx", "unknown_form") in found
    assert ("notes.txt", "unknown_form") in found
    assert ("b.xlsx", "deposit_exceeds_amount") in found
    assert ("b.xlsx", "unknown_rep") in found
    # the lock file is not read as a form: the Issues sheet says it was skipped, and only that
    assert {code for name, code in found if name.startswith("~$")} == {"skipped"}
    subs = openpyxl.load_workbook(out)["提交 Submissions"]
    notes = {r[0]: r[-2] for r in subs.iter_rows(min_row=2, values_only=True)}
    assert notes["S003"] == "无文件" and notes["S002"] == "不在花名册"


def test_strict_exits_1_on_errors(inbox, tmp_path):
    result = run(
        "consolidate",
        str(inbox),
        "--period",
        "2026-11",
        "--as-of",
        "2026-11-05",
        "-o",
        str(tmp_path / "s.xlsx"),
        "--strict",
    )
    assert result.exit_code == 1


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_printed_headline_is_in_the_language_of_the_workbook(inbox, tmp_path, lang):
    result = run(
        "consolidate",
        str(inbox),
        "--period",
        "2026-11",
        "--as-of",
        "2026-11-05",
        "-o",
        str(tmp_path / "s.xlsx"),
        "--lang",
        lang,
    )
    assert result.exit_code == 0, result.output
    chinese = any("\u4e00" <= ch <= "\u9fff" for ch in result.output)
    assert chinese == (lang == "zh")  # en: English only; zh: both languages (the default)
    # b.xlsx's deposit above its amount, broken.xlsx, foreign.xlsx: 3 errors (notes.txt: info)
    assert "2 reps" in result.output and "issues: 3 errors, 0 warnings" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2026-13"], "is not a month"),
        (["--period", "2026-11", "--as-of", "tomorrow"], "is not a date"),
        (["--period", "2026-11", "--oral", "0.5", "--written", "0.7"], "written < oral"),
        (["--period", "2026-11", "--roster", "nope.xlsx"], "does not exist"),
        # issue 15 item 8: not 2,167 warnings and ¥0
        (["--period", "2026-11", "--as-of", "2026-10-01"], "is before the month 2026-11"),
    ],
)
def test_usage_errors_exit_2(inbox, args, message):
    result = CliRunner().invoke(main, ["consolidate", str(inbox), *args])
    assert result.exit_code == 2 and message in result.output


def test_missing_inbox_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(
        main, ["consolidate", str(tmp_path / "inbx"), "--period", "2026-11"]
    )
    assert result.exit_code == 2 and "does not exist" in result.output


def test_a_roster_that_is_not_a_roster(inbox):
    result = CliRunner().invoke(
        main, ["consolidate", str(inbox), "--period", "2026-11", "--roster", str(inbox / "b.xlsx")]
    )
    assert result.exit_code == 2 and "is not a roster" in result.output


def test_locked_output_gives_a_clear_error_and_keeps_the_old_file(inbox, tmp_path):
    out = tmp_path / "summary.xlsx"
    out.write_bytes(b"old")
    (tmp_path / "~$summary.xlsx").write_bytes(b"lock")
    result = CliRunner().invoke(
        main, ["consolidate", str(inbox), "--period", "2026-11", "-o", str(out)]
    )
    assert result.exit_code == 1
    assert "open in Excel" in result.output and out.read_bytes() == b"old"


def _read_nothing(*args, **kwargs):
    raise AssertionError("the inbox was read although the output cannot be written")


def test_a_locked_output_is_reported_before_the_inbox_is_read(inbox, tmp_path, monkeypatch):
    (tmp_path / "~$summary.xlsx").write_bytes(b"lock")

    monkeypatch.setattr("salesxl.cli.cmd_consolidate.consolidate_inbox", _read_nothing)
    result = CliRunner().invoke(
        main,
        ["consolidate", str(inbox), "--period", "2026-11", "-o", str(tmp_path / "summary.xlsx")],
    )
    assert result.exit_code == 1 and "open in Excel" in result.output


def test_details_flag_adds_the_table(inbox, tmp_path):
    out = tmp_path / "s.xlsx"
    run(
        "consolidate",
        str(inbox),
        "--period",
        "2026-11",
        "--as-of",
        "2026-11-05",
        "-o",
        str(out),
        "--details",
        "--lang",
        "en",
    )
    names = zipfile.ZipFile(out).namelist()
    assert any(n.startswith("xl/tables/") for n in names)
    visible = [ws.title for ws in openpyxl.load_workbook(out) if ws.sheet_state == "visible"]
    assert visible[-1] == "Details"


def test_a_year_the_calendar_does_not_cover_needs_workdays(tmp_path):
    box = tmp_path / "inbox"
    box.mkdir()
    report(
        box / "a.xlsx",
        "S001",
        [{"date": dt.date(2027, 3, 1), "customer": "x"}],
        month=Month(2027, 3),
    )
    args = [
        "consolidate",
        str(box),
        "--period",
        "2027-03",
        "--as-of",
        "2027-03-05",
        "-o",
        str(tmp_path / "s.xlsx"),
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert "does not cover 2027" in result.output and "--workdays" in result.output
    # Both languages, the year first, then how to supply its workdays and with which option.
    zh, en, hint_zh, hint_en = result.output.removeprefix("Error: ").strip().split("\n")
    assert zh.startswith("内置的中国节假日日历不包含 2027 年")
    assert en.startswith("the built-in China holiday calendar does not cover 2027")
    assert "工作日 Workdays" in hint_zh and hint_zh.endswith("（--workdays）")
    assert "Workdays sheet" in hint_en and hint_en.endswith("(--workdays)")

    from salesxl.forms import WORKDAYS

    days = [{"date": dt.date(2027, 1, 1), "type": "holiday"}]
    write_form(tmp_path / "workdays.xlsx", WORKDAYS, rows={"workdays": days})
    result = CliRunner().invoke(main, [*args, "--workdays", str(tmp_path / "workdays.xlsx")])
    assert result.exit_code == 0, result.output
    # By the weekend rule: Mar 1 reported, Mar 2-4 missing, Mar 5 not yet due.
    grid = openpyxl.load_workbook(tmp_path / "s.xlsx")["提交 Submissions"]
    head = [c.value for c in grid[1]]
    row = dict(zip(head, [c.value for c in grid[2]], strict=True))
    days = [row[f"03-0{d}"] for d in range(1, 6)]
    assert days == ["按时", "缺交", "缺交", "缺交", "未到期"]
    assert (row["按时\nOn time"], row["迟交\nLate"]) == (1, 0)


def test_the_salesxl_command_ends_as_a_normal_exit_would(inbox, tmp_path):
    """The installed command ends without freeing what it built (salesxl.core.perf.ends_fast):
    the same exit code, every line printed, the workbook whole; with --details (which holds
    nothing: its rows are written into the memory consolidation freed) the Details rows'
    temporary folder is removed.  Run with `python -m salesxl`, as a user may run it."""
    import os
    import subprocess
    import sys

    temp = tmp_path / "temp"
    temp.mkdir()
    out = tmp_path / "s.xlsx"
    args = [str(inbox), "--period", "2026-11", "--as-of", "2026-11-05", "-o", str(out)]

    def salesxl(*extra: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "salesxl", "consolidate", *args, "--lang", "en", *extra]
        env = {**os.environ, "TMPDIR": str(temp)}
        return subprocess.run(command, capture_output=True, text=True, env=env)

    for extra in ((), ("--details",)):
        done = salesxl(*extra)
        assert done.returncode == 0, done.stderr
        assert done.stdout.rstrip().endswith(f"summary written to {out}")
        sheets = openpyxl.load_workbook(out, read_only=True).sheetnames
        assert "Customers" in sheets and ("Details" in sheets) == bool(extra)
    assert not list(temp.glob("salesxl-details-*"))  # removed at the end
    # --strict with errors in the inbox: exit code 1, after the summary is written
    strict = salesxl("--strict")
    assert strict.returncode == 1 and "summary written to" in strict.stdout
