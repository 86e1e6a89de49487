"""`salesxl validate` says what `targets split` would refuse (salesxl/targets/checks.py).

Before issue 15, validate called a targets input fine that the split then refused:
an annual target that is not a multiple of the rounding unit, month weights that add
up to 102% (the template's own example did).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from salesxl.cli import main
from salesxl.forms import TARGETS_INPUT
from salesxl.read.values import parse_numbers
from salesxl.targets import TargetsError, split_file
from salesxl.targets.checks import month_weights_problem
from salesxl.write.templates import write_form

# A region office's input as it arrives: rounding to ¥100, one team on hand-set weights.
TEAM_WEIGHTS = "8,8,9,9,8,8,8,8,8,9,9,10"  # 8×7 + 9×4 + 10 = 102: not 100%


def _input(path: Path, annual: list[dict[str, Any]], locked: list[dict[str, Any]] = ()) -> Path:
    header = {"year": 2026, "method": "equal", "rounding": 100}
    write_form(path, TARGETS_INPUT, header=header, rows={"annual": annual, "locked": locked})
    return path


BAD = [
    {"level": "company", "unit": "华南", "annual_target": 1_200_050},  # row 4: ¥50 off
    {"level": "team", "unit": "广州组", "parent": "华南", "annual_target": 600_000},
    {
        "level": "team",
        "unit": "深圳组",
        "parent": "华南",
        "method": "weights",
        "month_weights": TEAM_WEIGHTS,
    },  # row 6
]
LOCKED = [{"unit": "广州组", "month": "2026-03", "target": 50_050}]  # Locked row 4


def _validate(path: Path) -> tuple[int, list[dict[str, Any]]]:
    result = CliRunner().invoke(main, ["validate", str(path), "--format", "json"])
    issues: list[dict[str, Any]] = json.loads(result.output)["issues"]
    return result.exit_code, issues


def test_validate_reports_what_the_split_refuses_at_its_cells(tmp_path):
    path = _input(tmp_path / "targets_input.xlsx", BAD, LOCKED)
    code, issues = _validate(path)
    assert code == 1
    assert [(i["code"], i["sheet"], i["cell"]) for i in issues] == [
        ("not_multiple_of_rounding", "年度目标 Annual", "E4"),
        ("bad_month_weights", "年度目标 Annual", "J6"),
        ("not_multiple_of_rounding", "锁定 Locked", "D4"),
    ]
    rounding, weights, lock = issues
    # 1,200,050 / 100 = 12,000.5: the multiples either side are 1,200,000 and 1,200,100.
    assert "1,200,000" in rounding["message_en"] and "1,200,100" in rounding["message_en"]
    assert "102%" in weights["message_en"] and "102%" in weights["message_zh"]
    assert "50,000" in lock["message_zh"] and "50,100" in lock["message_zh"]
    # ... and the split refuses the same file for the same cells.
    with pytest.raises(TargetsError) as refused:
        split_file(path, tmp_path / "targets.xlsx")
    assert "年度目标 Annual!E4" in str(refused.value) and "锁定 Locked!D4" in str(refused.value)


def test_what_the_split_accepts_validates_clean(tmp_path):
    good = [
        {"level": "company", "unit": "华南", "annual_target": 1_200_000},
        # A parent without a method mixes its children's months: its weights are not used.
        {"level": "region", "unit": "广东", "parent": "华南", "month_weights": TEAM_WEIGHTS},
        {"level": "team", "unit": "广州组", "parent": "广东", "annual_target": 600_000},
        {
            "level": "team",
            "unit": "深圳组",
            "parent": "广东",
            "method": "weights",
            "month_weights": "8,8,8,8,8,8,8,8,8,9,9,10",  # 100%
        },
    ]
    path = _input(
        tmp_path / "ok.xlsx", good, [{"unit": "广州组", "month": "2026-03", "target": 50_000}]
    )
    assert _validate(path) == (0, [])
    split_file(path, tmp_path / "targets.xlsx")  # and the split takes it


def test_the_templates_own_month_weights_example_is_valid():
    example = TARGETS_INPUT.table("annual").field("month_weights").example
    weights = parse_numbers(example)
    assert len(weights) == 12 and sum(weights) == 100
    assert month_weights_problem(weights) is None


@pytest.mark.parametrize(
    ("weights", "wrong"),
    [
        ((8.5,) * 12, "102%"),  # 8.5 × 12 = 102
        ((0.08,) * 12, "96%"),  # fractions: 0.96
        ((1, 2, 3), "found 3"),
        ((5,) * 12, None),  # plain weights (60): any total is fine
        ((1,) * 12, None),  # 12
    ],
)
def test_month_weights(weights, wrong):
    problem = month_weights_problem(weights)
    assert (problem is None) == (wrong is None)
    if wrong is not None:
        assert problem is not None and wrong in problem[1]


def test_a_year_the_calendar_lacks_is_said_in_both_languages_with_the_sheet_to_add(tmp_path):
    path = tmp_path / "input_2027.xlsx"
    write_form(
        path,
        TARGETS_INPUT,
        header={"year": 2027, "method": "workdays", "rounding": 100},
        rows={
            "annual": [
                {"level": "company", "unit": "华南", "annual_target": 1_200_000},
                {"level": "team", "unit": "广州组", "parent": "华南"},
            ]
        },
    )
    result = CliRunner().invoke(
        main, ["targets", "split", str(path), "-o", str(tmp_path / "t.xlsx")]
    )
    assert result.exit_code == 1
    zh, en, hint_zh, hint_en = result.output.removeprefix("Error: ").strip().split("\n")
    # The year first (not whichever unit the split happened to be at), then where it goes.
    assert zh == "内置的中国节假日日历不包含 2027 年。"
    assert en == "The built-in China holiday calendar does not cover 2027."
    assert "工作日 Workdays" in hint_zh and str(path) in hint_zh
    assert f"Workdays sheet of the targets input {path}" in hint_en
    # Listing 2027's holidays in that sheet is the fix.
    days = [{"date": dt.date(2027, 1, 1), "type": "holiday"}]
    write_form(
        path,
        TARGETS_INPUT,
        header={"year": 2027, "method": "workdays", "rounding": 100},
        rows={
            "annual": [
                {"level": "company", "unit": "华南", "annual_target": 1_200_000},
                {"level": "team", "unit": "广州组", "parent": "华南"},
            ],
            "workdays": days,
        },
    )
    result = CliRunner().invoke(
        main, ["targets", "split", str(path), "-o", str(tmp_path / "t.xlsx")]
    )
    assert result.exit_code == 0, result.output


def test_weights_under_a_deleted_header_are_said_not_ignored(tmp_path):
    """Regions weighted 3 : 2, the 权重 Weight header deleted by mistake: the split would share
    the company's target some other way without a word; validate warns at that header cell,
    and the split's output says so too."""
    path = _input(
        tmp_path / "targets_input.xlsx",
        [
            {"level": "company", "unit": "HQ", "annual_target": 1_000_000},
            {"level": "region", "unit": "East", "parent": "HQ", "weight": 3},
            {"level": "region", "unit": "North", "parent": "HQ", "weight": 2},
        ],
    )
    book = openpyxl.load_workbook(path)
    sheet = book["年度目标 Annual"]
    (cell,) = [c for c in sheet[3] if c.value and "Weight" in str(c.value)]
    letter = cell.column_letter
    cell.value = None
    book.save(path)
    _code, issues = _validate(path)
    (note,) = [i for i in issues if i["code"] == "unlabelled_column"]
    assert (note["sheet"], note["cell"], note["severity"]) == (
        "年度目标 Annual",
        f"{letter}3",
        "warning",
    )
    assert f"Column {letter} has values in 2 rows" in note["message_en"]
    split = CliRunner().invoke(
        main, ["targets", "split", str(path), "-o", str(tmp_path / "t.xlsx")]
    )
    assert "unlabelled_column" in split.output or f"Column {letter}" in split.output


def test_split_prints_warnings_before_the_info_notes_and_says_where_the_rest_are(tmp_path):
    """25 reps whose proposals are off the ¥1,000 rounding unit (an info note each: what the
    split did) must not push out the one warning, filed after them: every rep's March 2025
    is missing from the history and was taken from March 2024 (to check)."""
    reps = [
        {"level": "rep", "unit": f"S{i:03d}", "parent": "华南", "proposed": 96_500}
        for i in range(1, 26)
    ]
    history = [
        {"unit": f"S{i:03d}", "month": f"{y}-{m:02d}", "amount": 8_000}
        for i in range(1, 26)
        for y in (2024, 2025)
        for m in range(1, 13)
        if (y, m) != (2025, 3)
    ]
    path = tmp_path / "targets_input.xlsx"
    write_form(
        path,
        TARGETS_INPUT,
        header={"year": 2026, "method": "seasonal", "rounding": 1000},
        rows={
            "annual": [{"level": "company", "unit": "华南", "annual_target": 2_400_000}, *reps],
            "history": history,
        },
    )
    out = tmp_path / "targets.xlsx"
    result = CliRunner().invoke(main, ["targets", "split", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1].startswith(
        "  warning: history months missing and taken from the same month a year apart: "
        "S001 (2025-03 from 2024-03), S002"
    )
    # 96,500 is 96.5 units of ¥1,000: rounded half up to 97,000.  20 lines in all: the
    # warning, then 19 of the 25 notes; the other 6 are in the Method sheet.
    notes = [line for line in lines if line.startswith("  note: ")]
    assert notes[0] == "  note: S001: proposal 96,500 rounded to 97,000 (rounding unit 1000)"
    assert len(notes) == 19 and notes[-1].startswith("  note: S019: ")
    assert lines[21] == f"  ... 6 more notes in the 说明 Method sheet of {out}"
