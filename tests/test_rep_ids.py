"""Rep IDs as people type them (salesxl/core/rep_ids.py), everywhere one meets the roster.

A daily report whose header says `s020` instead of `S020` used to become
`unknown_rep`, and all its sales vanished from the summary (issue 15).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import TODAY, full_width, read, write_xlsx

from salesxl.consolidate import consolidate, consolidate_inbox
from salesxl.core.issues import Code, Severity
from salesxl.core.people import Rep, Roster
from salesxl.core.periods import Week
from salesxl.core.rep_ids import RepIndex, rep_key
from salesxl.forms import DAILY_REPORT, ROSTER
from salesxl.write.templates import write_form
from tests.factory import NOV, daily, row, weekly

NAMES = {"S019": "李娜", "S020": "张三", "S021": "王芳", "S102": "赵六"}
INDEX = RepIndex(NAMES, NAMES)


@pytest.mark.parametrize(
    "typed", ["s020", " S020 ", "S020\u3000", full_width("S020"), full_width("s020"), "S 020"]
)
def test_ids_match_after_trimming_width_and_case(typed):
    match = INDEX.match(typed)
    assert (match.rep_id, match.normalised) == ("S020", True)


def test_an_exact_id_is_not_normalised():
    assert INDEX.match("S020").normalised is False and rep_key("Ｓ０２０ ") == "s020"


@pytest.mark.parametrize(
    ("typed", "guess"),
    [
        ("S0200", "S020 (张三)"),  # an extra digit
        ("SO20", "S020 (张三)"),  # letter O for zero
        ("张三", "S020 (张三)"),  # the name typed where the ID goes
        ("赵 六", "S102 (赵六)"),
        ("X999-QQ", None),  # nothing close: no guess rather than a wild one
    ],
)
def test_an_unknown_id_gets_the_closest_roster_id_or_name(typed, guess):
    match = INDEX.match(typed)
    assert (match.rep_id, match.suggestion) == (None, guess)


def test_without_a_roster_one_id_typed_two_ways_is_one_rep():
    ids = RepIndex()
    assert [ids.canonical(t) for t in ("s020", "S020", " s020", "S021")] == [
        "s020",
        "s020",
        "s020",
        "S021",
    ]


# ----------------------------------------------------------------------------
# Validation: the header of a rep form, the 工号 column of sales records
# ----------------------------------------------------------------------------

HEADER = [["日报"], ["销售员", "张三", "工号", "s020"], ["月份", "2026-11"], []]
LABELS = ["日期", "客户名称", "销售阶段", "金额"]


def test_a_lowercase_header_id_reads_as_the_roster_id(tmp_path):
    grid = [*HEADER, LABELS, ["2026-11-03", "恒瑞", "7 成交", 3000]]
    data = read(write_xlsx(tmp_path / "f.xlsx", {"日报": grid}), roster_ids=frozenset(NAMES))
    assert data.rep_id == "S020"
    (note,) = data.issues
    assert (note.code, note.severity, note.cell, note.value) == (
        Code.REP_ID_NORMALISED,
        Severity.INFO,
        "D2",
        "s020",
    )
    assert "s020" in note.message_zh and "S020" in note.message_zh
    assert note.message_en == "Rep ID 's020' read as S020, as the roster spells it."


def test_an_unknown_header_id_says_did_you_mean(tmp_path):
    grid = [[r if r != "s020" else "S0200" for r in line] for line in HEADER]
    grid += [LABELS, ["2026-11-03", "恒瑞", "7 成交", 3000]]
    data = read(
        write_xlsx(tmp_path / "f.xlsx", {"日报": grid}),
        roster_ids=frozenset(NAMES),
        rep_names=NAMES,
    )
    (issue,) = data.issues
    assert issue.code is Code.UNKNOWN_REP and issue.value == "S0200"
    assert "是不是 S020 (张三)？" in issue.message_zh
    assert "Did you mean S020 (张三)?" in issue.message_en


def test_sales_records_ids_are_matched_with_one_note_per_spelling(tmp_path):
    # An ERP export: lower-case IDs on three rows, a full-width one, one unknown.
    rows = [
        ["单据日期", "业务员编号", "购货单位", "品名", "价税合计"],
        ["2026-11-03", "s020", "华联", "X1", 100],
        ["2026-11-04", "s020", "永辉", "X1", 200],
        ["2026-11-05", "S019", "华联", "X2", 300],
        ["2026-11-06", "s020", "家乐福", "X1", 400],
        ["2026-11-07", full_width("S021"), "大润发", "X1", 500],
        ["2026-11-08", "S999", "沃尔玛", "X1", 600],
    ]
    data = read(
        write_xlsx(tmp_path / "erp.xlsx", {"销售明细": rows}),
        roster_ids=frozenset(NAMES),
        rep_names=NAMES,
    )
    assert [(i.code.value, i.cell) for i in data.issues] == [
        ("rep_id_normalised", "B2"),
        ("rep_id_normalised", "B6"),
        ("unknown_rep", "B7"),
    ]
    assert "(3 rows)" in data.issues[0].message_en
    assert [r["rep_id"] for r in data.records("sales")] == [
        "S020",
        "S020",
        "S019",
        "S020",
        "S021",
        "S999",
    ]


# ----------------------------------------------------------------------------
# Consolidation: a file with a lower-case ID counts for its rep
# ----------------------------------------------------------------------------


def _roster(path: Path) -> Path:
    reps = [
        {"rep_id": rep_id, "name": name, "team": "广州组", "region": "华南"}
        for rep_id, name in NAMES.items()
    ]
    return write_form(path, ROSTER, rows={"reps": reps})


def test_a_lowercase_header_no_longer_drops_the_file_from_the_summary(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_form(
        inbox / "张三_日报.xlsx",
        DAILY_REPORT,
        header={"rep_name": "张三", "rep_id": "s020", "month": NOV},
        rows={
            "daily": [
                {"date": dt.date(2026, 11, 3), "customer": "恒瑞", "stage": "7", "amount": 3000.0},
                {"date": dt.date(2026, 11, 5), "customer": "天河", "stage": "7", "amount": 1500.0},
                {"date": dt.date(2026, 11, 6), "customer": "前海", "stage": "4"},
            ]
        },
    )
    summary = consolidate_inbox(
        [inbox], period=NOV, roster=_roster(tmp_path / "roster.xlsx"), as_of=TODAY
    )
    s020 = next(r for r in summary.sheet("by_rep").records() if r["rep_id"] == "S020")
    # Two deals: 3,000 + 1,500 = 4,500; three contacts.
    assert (s020["amount"], s020["deals"], s020["contacts"]) == (4500.0, 2, 3)
    notes = [r["note"] for r in summary.sheet("submissions").records() if r["rep_id"] == "S020"]
    assert notes == [None]  # not 无文件 No file
    codes = {i.code for i in summary.issues}
    assert Code.UNKNOWN_REP not in codes and Code.REP_ID_NORMALISED in codes


def test_files_are_grouped_by_the_roster_spelling_of_their_id():
    # Forms from the store may carry the ID as typed: grouping matches it to the roster.
    roster = Roster({k: Rep(k, v, team="广州组") for k, v in NAMES.items()})
    forms = [
        daily("s020", [row(3, "恒瑞", stage="7", amount=3000.0)]),
        weekly("Ｓ０２０", Week(2026, 46), []),
    ]
    summary = consolidate(forms, period=NOV, roster=roster, as_of=TODAY)
    by_rep = {r["rep_id"]: r for r in summary.sheet("by_rep").records()}
    assert by_rep["S020"]["amount"] == 3000.0
    assert not [s for s in summary.submissions if s.status == "not_in_roster"]


def test_without_a_roster_two_spellings_of_one_id_are_one_rep():
    forms = [
        daily("s020", [row(3, "恒瑞", stage="7", amount=3000.0)], name="张三"),
        weekly("S020", Week(2026, 46), []),
    ]
    summary = consolidate(forms, period=NOV, as_of=TODAY)
    assert [r["rep_id"] for r in summary.sheet("by_rep").records()] == ["s020"]
