"""The month targets on the forms: compared with the targets file, used without one (item 6)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from salesxl.cli import main
from salesxl.consolidate import consolidate
from salesxl.consolidate.inputs import FormTarget
from salesxl.consolidate.month_targets import month_targets
from salesxl.intake.inbox import read_inbox
from tests.store_fixtures import NOV, contact, daily_file, monthly_file

AS_OF = dt.date(2026, 11, 24)  # 17 of November's 21 workdays


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    """A's daily report says ¥95,000, A's monthly plan ¥100,000; B's daily report ¥50,000."""
    folder = tmp_path / "inbox"
    sale = {"source": "visit", "grade": "A", "stage": "7", "qty": 1, "price": 1.0}
    daily_file(folder, "A", [contact(3, "甲公司", **sale, amount=1.0)], month_target=95000)
    monthly_file(folder, "A", [], month_target=100000)
    daily_file(folder, "B", [contact(4, "乙公司", source="phone", stage="1")], month_target=50000)
    return folder


def _consolidate(folder: Path, targets: dict[str, float] | None):
    read = read_inbox([folder], period=NOV, today=AS_OF)
    return consolidate(read.forms, period=NOV, targets=targets, as_of=AS_OF)


def _mismatches(summary) -> list[tuple[str, str | None, str | None]]:
    return sorted(
        (Path(i.file).name, i.sheet, i.cell)
        for i in summary.issues
        if i.code.value == "target_mismatch"
    )


def test_the_targets_file_wins_and_a_form_that_differs_is_a_warning_at_its_cell(inbox):
    summary = _consolidate(inbox, {"A": 100000, "B": 50000})
    # Only A's daily report (¥95,000) differs; its monthly plan and B's report agree.
    assert _mismatches(summary) == [("A_2026-11_日报.xlsx", "日报 Daily", "B7")]
    (issue,) = [i for i in summary.issues if i.code.value == "target_mismatch"]
    assert issue.severity.value == "warning" and issue.value == 95000
    assert "¥95,000" in issue.message_en and "¥100,000" in issue.message_en
    reps = {r["rep_id"]: r for r in summary.sheet("by_rep").records()}
    assert reps["A"]["target"] == 100000  # the file's, not the form's
    assert summary.headline.targets_from == "file"


def test_a_rep_the_targets_file_leaves_out_keeps_the_forms_target(inbox):
    summary = _consolidate(inbox, {"A": 100000})
    reps = {r["rep_id"]: r for r in summary.sheet("by_rep").records()}
    assert reps["B"]["target"] == 50000
    assert reps["B"]["paced_target"] == pytest.approx(50000 * 17 / 21)
    assert ("B_2026-11_日报.xlsx", "日报 Daily", "B7") in _mismatches(summary)


def test_without_a_targets_file_the_forms_targets_are_used(inbox):
    summary = _consolidate(inbox, None)
    reps = {r["rep_id"]: r for r in summary.sheet("by_rep").records()}
    # A: the daily report's ¥95,000 (the form the rep watches); B: ¥50,000.
    assert (reps["A"]["target"], reps["B"]["target"]) == (95000, 50000)
    assert summary.headline.target == 145000 and summary.headline.targets_from == "forms"
    # A's monthly plan says ¥100,000: it is pointed out at its own target cell.
    assert _mismatches(summary) == [("A_2026-11_月计划.xlsx", "重点客户 Key accounts", "B5")]
    overview = {r["metric_en"]: r["value"] for r in summary.sheet("overview").records()}
    assert overview["Targets from"] == "表单上的月度目标 Month targets on the forms"
    assert overview["Month target"] == 145000


def test_the_cli_says_the_targets_came_from_the_forms(inbox, tmp_path):
    result = CliRunner().invoke(
        main,
        [
            "consolidate",
            str(inbox),
            "--period",
            "2026-11",
            "--as-of",
            "2026-11-24",
            "-o",
            str(tmp_path / "s.xlsx"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "no targets given" not in result.output
    assert "target ¥145,000 from the forms" in result.output


def test_no_targets_anywhere():
    found = month_targets(None, [])
    assert (found.targets, found.source, found.issues) == (None, None, [])


def test_targets_that_differ_by_less_than_a_cent_agree():
    t = FormTarget("A", 100000.004, "a.xlsx", "daily_report", "日报 Daily", "B7")
    assert month_targets({"A": 100000}, [t]).issues == []
