"""The sample organisation: realistic, deterministic, and every planted mistake caught."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from salesxl import excel
from salesxl.cli import main
from salesxl.demo import DemoError, generate_demo
from salesxl.intake.inbox import read_inbox
from salesxl.intake.roster import read_roster
from tests.fake_book import FakeBook


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return generate_demo(tmp_path_factory.mktemp("demo") / "demo")


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*.xlsx"))
    }


def test_the_same_seed_gives_the_same_files(tmp_path):
    a = generate_demo(tmp_path / "a", reps=12)
    b = generate_demo(tmp_path / "b", reps=12)
    assert _digest(a.folder) == _digest(b.folder)
    c = generate_demo(tmp_path / "c", reps=12, seed=7)
    assert _digest(a.folder) != _digest(c.folder)


def test_roster_has_three_regions_and_six_teams(demo):
    roster = read_roster(demo.roster)
    assert len(roster) == 30 and not [i for i in roster.issues if i.is_error]
    assert {r.region for r in roster.reps.values()} == {"华东", "华南", "华北"}
    assert len({r.team for r in roster.reps.values()}) == 6
    assert sum(r.status == "left" for r in roster.reps.values()) == 1
    joined = [
        r for r in roster.reps.values() if r.hire_date and r.hire_date >= dt.date(2026, 11, 1)
    ]
    assert [(r.rep_id, r.hire_date) for r in joined] == [("S020", dt.date(2026, 11, 16))]


def test_the_demo_judges_its_leaver_and_its_new_hire_on_their_workdays(demo, tmp_path):
    """S027 leaves on Fri Nov 13 (10 of November's 21 workdays employed, all before as-of
    Nov 24); S020 joins on Mon Nov 16 (11 workdays employed, 7 of them by Nov 24:
    Nov 16-20, 23, 24).  The forms state the split's targets, but for one planted mistake."""
    from salesxl.consolidate import consolidate_inbox
    from salesxl.targets import read_month_targets, split_file

    targets = split_file(demo.targets_input, tmp_path / "t.xlsx", roster=demo.roster).output
    summary = consolidate_inbox(
        [demo.inbox], period=demo.period, roster=demo.roster, targets=targets, as_of=demo.as_of
    )
    reps = {r["rep_id"]: r for r in summary.sheet("by_rep").records()}
    left, hired = reps["S027"], reps["S020"]
    assert (left["status"], left["workdays"]) == ("left", 10)
    assert left["prorated_target"] == pytest.approx(left["target"] * 10 / 21)
    assert left["paced_target"] == pytest.approx(left["target"] * 10 / 21)
    assert left["warning"] is None and left["rank_company"] is None and left["rank_team"] is None
    assert (hired["status"], hired["workdays"]) == ("joined", 11)
    assert hired["prorated_target"] == pytest.approx(hired["target"] * 11 / 21)
    assert hired["paced_target"] == pytest.approx(hired["target"] * 7 / 21)
    assert hired["rank_company"] is not None
    # Ranks 1..29 go to the 29 reps judged on their own figures: all but the leaver.
    ranked = sorted(r["rank_company"] for r in reps.values() if r["rank_company"])
    assert ranked == list(range(1, 30))
    # Every form's month target is the targets file's, except the planted one: S004's daily
    # report shows a figure 10 % lower, at its target cell B7.
    file_targets = read_month_targets(targets, demo.period)
    (planted,) = [m for m in demo.mistakes if m.found_by == "consolidate"]
    mismatches = [i for i in summary.issues if i.code.value == "target_mismatch"]
    assert [(Path(i.file).name.split("_")[0], i.cell) for i in mismatches] == [
        (planted.rep_id, "B7")
    ]
    assert mismatches[0].value == round(file_targets[planted.rep_id] * 0.9, -2)


def test_every_good_file_validates_and_each_mistake_gives_its_codes(demo):
    inbox = read_inbox([demo.inbox], roster=demo.roster, period=demo.period, today=demo.as_of)
    codes_by_file: dict[str, Counter] = {}
    for issue in inbox.issues:
        codes_by_file.setdefault(Path(issue.file).name, Counter())[issue.code.value] += 1
    planted = {code for m in demo.mistakes if m.found_by == "validate" for code in m.codes}
    found = {code for counts in codes_by_file.values() for code in counts}
    # nothing else is wrong with the generated files; the Excel lock file beside them is
    # only said to be skipped (below)
    assert found - {"skipped"} == planted
    for mistake in (m for m in demo.mistakes if m.found_by == "validate"):
        files = [
            name
            for name, counts in codes_by_file.items()
            if name.startswith(mistake.rep_id) or mistake.form == "file"
        ]
        assert any(
            all(counts[c] for c in mistake.codes)
            for name, counts in codes_by_file.items()
            if name in files
        ), mistake
    # the lock file is not read as a form: it is only said to be skipped
    assert {
        code for name, counts in codes_by_file.items() if name.startswith("~$") for code in counts
    } == {"skipped"}


def test_the_month_looks_like_a_real_month(demo):
    reps = demo.months
    rows = [r for m in reps for r in m.daily]
    assert 1000 < len(rows) < 3000
    stages = Counter(r["stage"] for r in rows)
    assert stages["7"] > 30 and stages["1"] > 0
    deals = [r for r in rows if r["stage"] == "7" and r.get("qty") and r.get("price")]
    assert all(
        abs(r["amount"] - r["qty"] * r["price"]) < 0.011
        for r in deals
        if not any(m.rep_id == "S005" for m in demo.mistakes)
    )
    skills = sorted({m.rep.skill for m in reps})
    assert skills[0] < 0.6 < skills[1] < 0.8 <= skills[-1]  # some reps will get warnings
    assert len(demo.organisation.sales) > 3000
    first = min(r["date"] for r in demo.organisation.sales)
    assert first <= dt.date(2023, 11, 30)


def test_cli_runs_end_to_end(tmp_path):
    result = CliRunner().invoke(main, ["demo", "-o", str(tmp_path / "demo"), "--reps", "14"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "demo" / "output"
    assert (out / "summary.xlsx").exists()
    assert "✗" not in result.output and "summary written to" in result.output
    # The inbox is counted as validate counts it: the Excel lock file the demo plants is
    # said apart, not one of the files (it was "179 files" beside "178 files read").
    inbox = re.search(
        r"inbox 收件箱: .*\((\d+) files: .*; and 1 Excel lock file, not read\)", result.output
    )
    read = re.search(r"(\d+) files read: ", result.output)
    assert inbox and read and inbox.group(1) == read.group(1), result.output
    # The planted mistakes go back to their reps as marked copies; every rep gets a scorecard.
    copies = sorted((out / "returns").rglob("*_退回_2026-11-24.xlsx"))
    assert copies and all(str(c) in result.output for c in copies)
    assert "cannot be opened" in result.output  # the damaged scan is listed, not copied
    assert (out / "returns" / "退回清单_2026-11-24.xlsx").exists()
    assert len(list((out / "scorecards").rglob("*_战报_2026-11.xlsx"))) == 14
    assert "14 scorecards" in result.output
    assert len(list((out / "forms" / "this_week").rglob("*_周计划_2026-W48.xlsx"))) == 14
    # The demo's manager workbook has its settings filled in: a click consolidates.
    workbook = tmp_path / "demo" / "salesxl_manager.xlsm"
    assert workbook.exists() and "汇总 Consolidate" in result.output
    book = FakeBook.from_workbook(workbook)
    excel.consolidate(book)
    assert book.alert["mode"] == "info", book.alert["prompt"]
    assert "销售员 Reps: 14" in book.alert["prompt"]
    assert (tmp_path / "demo" / "output" / "summary_from_excel.xlsx").exists()


def test_the_demo_imports_into_its_store_and_a_second_import_changes_nothing(tmp_path):
    import re

    from salesxl.core.periods import Month
    from salesxl.store import load_period

    for _ in range(2):  # a second demo in the same folder starts a fresh store
        result = CliRunner().invoke(main, ["demo", "-o", str(tmp_path / "demo"), "--reps", "6"])
        assert result.exit_code == 0, result.output
        assert "roster   6 rows, version 1 (new)" in result.output
        again = re.search(
            r"the same inbox again: (\d+) of (\d+) files unchanged, 0 rows written", result.output
        )
        assert again and again.group(1) == again.group(2), result.output
    assert (tmp_path / "demo" / "output" / "summary_from_store.xlsx").exists()
    stored = load_period(str(tmp_path / "demo" / "salesxl.db"), Month(2026, 11))
    assert stored.roster is not None and len(stored.roster) == 6 and stored.targets


def test_a_small_organisation_works(tmp_path):
    files = generate_demo(tmp_path / "small", reps=6)
    assert len(files.organisation.reps) == 6 and files.files


def test_refuses_to_overwrite_a_folder_that_is_not_a_demo(tmp_path):
    (tmp_path / "precious.txt").write_text("keep me")
    with pytest.raises(DemoError, match="not a salesxl demo folder"):
        generate_demo(tmp_path, reps=6)
    assert (tmp_path / "precious.txt").read_text() == "keep me"
