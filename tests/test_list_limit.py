"""List sheets in the summary workbook: per rep the most urgent N entries, the rep's total,
and an Overview note saying a list was shortened and where the rest is."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from click.testing import CliRunner

from salesxl.cli import main
from salesxl.consolidate import consolidate
from salesxl.consolidate.assemble import summarise
from salesxl.consolidate.packs import write_packs
from salesxl.consolidate.workbook import write_summary, write_workbook
from salesxl.core.issues import Code, Severity, make_issue
from tests.factory import NOV, daily, row

A_FILE, B_FILE = "inbox/a/甲_daily.xlsx", "inbox/b/乙_daily.xlsx"


def _issue(row_: int, severity: Severity, path: str = A_FILE):
    return make_issue(
        Code.REQUIRED,
        path,
        "「客户名称」必须填写。",
        "Customer is required.",
        sheet="日报 Daily",
        cell=f"B{row_}",
        row=row_,
        severity=severity,
    )


@pytest.fixture
def summary():
    # Rep A: three phone leads on 2, 3 and 4 Nov, never visited nor followed up: as of 20 Nov
    # each has two lapses (no visit, no follow-up) of 20-2 = 18, 20-3 = 17, 20-4 = 16 days.
    a = daily(
        "A",
        [
            row(d, f"客户{d}", phone=f"1380000000{d}", source="phone", grade="B", stage="1")
            for d in (2, 3, 4)
        ],
        path=A_FILE,
    )
    # A's file: two warnings listed before one error (rows 12, 13, then 14).
    a.issues += [_issue(12, Severity.WARNING), _issue(13, Severity.WARNING)]
    a.issues += [_issue(14, Severity.ERROR)]
    # Rep B: one phone lead on 5 Nov: one lapse of 15 days, and one warning.
    b = daily(
        "B", [row(5, "前海物流", phone="13900000001", source="phone", stage="1")], path=B_FILE
    )
    b.issues.append(_issue(12, Severity.WARNING, B_FILE))
    return consolidate([a, b], period=NOV, as_of=dt.date(2026, 11, 20))


def _rows(path, title):
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        head, *rows = book[title].iter_rows(values_only=True)
    finally:
        book.close()  # a read-only workbook keeps its file open until closed
    keys = [h.split("\n")[-1] for h in head]
    return [dict(zip(keys, r, strict=True)) for r in rows]


def _notes(path):
    """The Overview's lines about shortened lists, top to bottom."""
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        rows = list(book.worksheets[0].iter_rows(values_only=True))  # the Overview
    finally:
        book.close()
    cells = [c for r in rows for c in r if isinstance(c, str)]
    return [c for c in cells if "列表已精简" in c or "list shortened" in c]


def test_each_rep_keeps_its_most_urgent_entries_and_its_total(summary, tmp_path):
    path = write_summary(summary, tmp_path / "summary.xlsx", list_limit=2)
    customers = _rows(path, "客户 Customers")
    # A: the two lapses of 客户2 (18 days, the longest overdue) of A's six; B: its one of one.
    assert [(r["Rep ID"], r["Customer"], r["Days"], r["Rep's total"]) for r in customers] == [
        ("A", "客户2", 18, 6),
        ("A", "客户2", 18, 6),
        ("B", "前海物流", 15, 1),
    ]
    issues = _rows(path, "问题 Issues")
    # (the File column links to the file, shown relative to the summary)
    mine = [(r["File"][-12:], r["Row"], r["Severity"], r["File's total"]) for r in issues]
    # A's file: the error first, then the first warning (row 12); the second warning is cut.
    # The list keeps the file's order: row 12 then row 14.
    # (the severity as the Chinese workbook shows it)
    assert [m for m in mine if m[0].endswith("甲_daily.xlsx")] == [
        ("甲_daily.xlsx", 12, "警告", 3),
        ("甲_daily.xlsx", 14, "错误", 3),
    ]
    assert [m for m in mine if m[0].endswith("乙_daily.xlsx")] == [("乙_daily.xlsx", 12, "警告", 1)]
    # The Summary itself keeps every entry: 6 + 1 lapses, 3 + 1 issues.
    assert len(summary.sheet("customers").rows) == 7
    assert len(summary.issues) == 4


def test_the_overview_says_which_lists_were_shortened_and_where_the_rest_is(summary, tmp_path):
    path = write_summary(summary, tmp_path / "summary.xlsx", list_limit=2)
    zh_customers, en_customers, zh_issues, en_issues = _notes(path)  # each in both languages
    # Customers: 2 of A's + 1 of B's = 3 shown of 7; issues: 2 + 1 = 3 of 4.
    assert zh_customers.startswith("客户列表已精简：显示 3 / 共 7 条")
    assert "每人最紧急的 2 条" in zh_customers and "--details" in zh_customers
    assert en_customers.startswith("Customers: list shortened, showing 3 of 7")
    assert "per rep" in en_customers and "--list-limit 0" in en_customers
    assert zh_issues.startswith("问题列表已精简：显示 3 / 共 4 条") and "每个文件" in zh_issues
    assert en_issues.startswith(
        "Issues: list shortened, showing 3 of 4 (the 2 most urgent per file"
    )
    english = write_summary(summary, tmp_path / "en.xlsx", list_limit=2, lang="en")
    assert [n.split(",")[0] for n in _notes(english)] == [
        "Customers: list shortened",
        "Issues: list shortened",
    ]


def test_a_pack_shortens_its_own_reps_lists(summary, tmp_path):
    """A leader's pack (summarise with `only`) holds its reps' entries, shortened the same way."""
    pack = summarise(summary.results, only={"A"})
    path = tmp_path / "pack.xlsx"
    write_workbook(pack, path, base=tmp_path, in_memory=True, list_limit=2, pack=True)
    customers = _rows(path, "客户 Customers")
    # A's six lapses cut to the two of 客户2 (18 days); B is not in the pack.
    assert [(r["Rep ID"], r["Days"], r["Rep's total"]) for r in customers] == [
        ("A", 18, 6),
        ("A", 18, 6),
    ]
    # 2 shown of A's 6 lapses; A's file: 2 of its 3 issues.  The leader cannot consolidate:
    # the note points at the total column and the manager, never at a command's option.
    assert [n for n in _notes(path) if n.startswith(("Customers", "Issues"))] == [
        "Customers: list shortened, showing 2 of 6 (the 2 most urgent per rep, conflicts "
        "first, then the longest overdue; the Rep's total column gives each one's count; for "
        "every entry, ask your manager for the full list)",
        "Issues: list shortened, showing 2 of 3 (the 2 most urgent per file, errors first; the "
        "File's total column gives each one's count; for every entry, ask your manager for the "
        "full list)",
    ]


def test_a_written_pack_tells_its_leader_to_ask_the_manager_for_the_full_lists(summary, tmp_path):
    """A and B are both in 华东/一组: one pack holding both, its lists cut as the summary's
    (customers 2 of A's 6 + B's 1 = 3 of 7; issues 2 of A's 3 + B's 1 = 3 of 4)."""
    (pack,) = write_packs(summary, tmp_path / "packs", split_by="team", list_limit=2)
    zh_customers, en_customers, zh_issues, en_issues = _notes(pack.path)
    assert zh_customers == (
        "客户列表已精简：显示 3 / 共 7 条（每人最紧急的 2 条，归属冲突在前，再是逾期最久的；"
        "「该销售员共计」列是各自的总数；要看全部条目，请向经理索取完整列表）"
    )
    assert en_customers == (
        "Customers: list shortened, showing 3 of 7 (the 2 most urgent per rep, conflicts first, "
        "then the longest overdue; the Rep's total column gives each one's count; for every "
        "entry, ask your manager for the full list)"
    )
    assert zh_issues.startswith(
        "问题列表已精简：显示 3 / 共 4 条（每个文件最紧急的 2 条，错误在前；「该文件共计」"
    )
    assert en_issues.startswith("Issues: list shortened, showing 3 of 4")
    for note in (zh_customers, en_customers, zh_issues, en_issues):
        assert "--" not in note and "consolidate again" not in note and "重新汇总" not in note
    english = write_packs(summary, tmp_path / "en", split_by="team", list_limit=2, lang="en")
    assert [n.split(";")[-1] for n in _notes(english[0].path)] == [
        " for every entry, ask your manager for the full list)"
    ] * 2
    # The manager's own summary still says how to write every entry.
    assert "--list-limit 0" in _notes(write_summary(summary, tmp_path / "s.xlsx", list_limit=2))[1]


@pytest.mark.parametrize("options", [{"list_limit": 0}, {"list_limit": 3}, {"details": True}])
def test_every_entry_without_a_limit_under_it_or_with_details(summary, tmp_path, options):
    path = write_summary(summary, tmp_path / "summary.xlsx", **options)
    customers = _rows(path, "客户 Customers")
    limit = options.get("list_limit")
    if limit == 3:  # A's six lapses cut to three; B's one stays: 4 rows with the total column
        assert [r["Days"] for r in customers] == [18, 18, 17, 15]
        assert len(_rows(path, "问题 Issues")) == 4  # no file has more than 3 issues
        zh, en = _notes(path)  # only the customers' list was shortened
        assert zh.startswith("客户列表已精简：显示 4 / 共 7 条")
        assert en.startswith("Customers: list shortened, showing 4 of 7")
        return
    assert len(customers) == 7 and "Rep's total" not in customers[0]
    assert len(_rows(path, "问题 Issues")) == 4
    assert _notes(path) == []


def test_cli_list_limit(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    runner = CliRunner()
    out = tmp_path / "s.xlsx"
    args = ["consolidate", str(inbox), "--period", "2026-11", "--as-of", "2026-11-20"]
    got = runner.invoke(main, [*args, "--list-limit", "-1", "-o", str(out)])
    assert got.exit_code == 2 and "--list-limit" in got.output
    assert "--list-limit" in runner.invoke(main, ["consolidate", "--help"]).output
    got = runner.invoke(main, [*args, "--list-limit", "5", "-o", str(out)])
    assert got.exit_code == 0, got.output
    got = runner.invoke(main, [*args, "--list-limit", "abc", "-o", str(out)])
    assert got.exit_code == 2 and "'abc' is not a valid whole number (0 or more)" in got.output


def test_the_command_says_which_lists_it_shortened(tmp_path):
    """Three phone leads never visited (all due by 11-09), at --list-limit 1: the summary shows
    one, and the command's last lines say so, as the Overview does."""
    from tests.store_fixtures import contact, daily_file

    inbox = tmp_path / "inbox"
    daily_file(
        inbox,
        "S001",
        [contact(d, f"客户{d}", phone=f"1380000000{d}", source="phone") for d in (2, 3, 4)],
    )
    args = ["consolidate", str(inbox), "--period", "2026-11", "--as-of", "2026-11-20"]
    got = CliRunner().invoke(main, [*args, "--list-limit", "1", "-o", str(tmp_path / "s.xlsx")])
    assert got.exit_code == 0, got.output
    assert "Customers: list shortened, showing 1 of 3" in got.output
    assert "客户列表已精简：显示 1 / 共 3 条" in got.output
    got = CliRunner().invoke(main, [*args, "-o", str(tmp_path / "all.xlsx")])  # 3 ≤ 20
    assert "list shortened" not in got.output


def test_the_customers_rows_are_made_only_when_asked_for_and_shortened_alike():
    """The customer list is made lazily: the workbook's shortened list comes from each rep's
    first lapses without making the others, and equals shortening the whole list."""
    import pickle

    from salesxl.consolidate.lists import shorten_lists
    from salesxl.consolidate.model import LazySheet, SheetData

    # A: phone leads on 2..9 Nov, never visited (ungraded: no follow-up rule), so each one
    # lapses 7 days on; B: 客户2 too (A registered it first: a conflict) and 前海物流;
    # C: 天河科技.  As of 30 Nov: 8 + 2 + 1 lapses, then the conflict row (A's).
    a = daily(
        "A",
        [
            row(d, f"客户{d}", phone=f"1380000000{d}", source="phone", stage="1")
            for d in range(2, 10)
        ],
    )
    b = daily(
        "B",
        [
            row(3, "客户2", phone="13800000002", source="phone", stage="1"),
            row(6, "前海物流", phone="13900000001", source="phone", stage="1"),
        ],
    )
    c = daily("C", [row(4, "天河科技", phone="13700000001", source="phone", stage="1")])
    as_of = dt.date(2026, 11, 30)
    for limit in (1, 2, 3, 20):
        made = consolidate([a, b, c], period=NOV, as_of=as_of).sheet("customers")
        assert isinstance(made, LazySheet) and not made.made
        (short,), cut = shorten_lists([made], limit)
        assert not made.made  # shortened without making the whole list
        whole = SheetData(made.key, made.title_zh, made.title_en, made.columns, made.rows)
        assert made.made and len(whole.rows) == 8 + 2 + 1 + 1
        (expected,), expected_cut = shorten_lists([whole], limit)
        assert short.rows == expected.rows and short.columns == expected.columns
        assert cut == expected_cut
    # by hand at limit 2: A keeps its conflict over 客户2 with B (conflicts first), then its
    # most urgent lapse by due date (since + 7), 客户2 (due 11-09), of its 9 entries; B both
    # of its lapses, C its one.  The list's order: the lapses by due date, then the conflict.
    made = consolidate([a, b, c], period=NOV, as_of=as_of).sheet("customers")
    (short,), (cut,) = shorten_lists([made], 2)
    kept = [(r[3], r[1], str(r[6]), r[8], r[-1]) for r in short.rows]
    assert kept == [
        ("A", "客户2", "2026-11-09", None, 9),
        ("B", "客户2", "2026-11-10", None, 2),
        ("C", "天河科技", "2026-11-11", None, 1),
        ("B", "前海物流", "2026-11-13", None, 2),
        ("A", "客户2", "None", "B", 9),  # the conflict: no due date, the other rep B
    ]
    assert (cut.total, cut.shown) == (12, 5)
    # pickled (a summary sent elsewhere) or copied: the sheet with every row, made then
    back = pickle.loads(pickle.dumps(consolidate([a, b, c], period=NOV, as_of=as_of)))
    assert type(back.sheet("customers")) is SheetData and len(back.sheet("customers").rows) == 12


def test_a_cold_callers_conflicts_are_not_crowded_out_by_lapses(tmp_path):
    """Customer conflicts decide who is credited with a sale: a busy cold-caller's shortened
    list shows them first, whatever the number of lapses (the default 20 per rep).

    A: two phone leads a day, Nov 2 to Nov 14 (13 days: 26 leads), never visited and
    ungraded, so each lapses 7 days on (one lapse each: 26).  B registers A's two leads of
    Nov 14 again on Nov 20 (A was first: two conflicts, A's), never visits either: B's
    two lapses (due Nov 27).  As of Nov 30."""
    a = daily(
        "A",
        [
            row(d, f"客户{d}-{k}", phone=f"138{d:04d}{k:04d}", source="phone", stage="1")
            for d in range(2, 15)
            for k in (1, 2)
        ],
    )
    b = daily(
        "B",
        [
            row(20, f"客户14-{k}", phone=f"138{14:04d}{k:04d}", source="phone", stage="1")
            for k in (1, 2)
        ],
    )
    summary = consolidate([a, b], period=NOV, as_of=dt.date(2026, 11, 30))
    path = write_summary(summary, tmp_path / "summary.xlsx", lang="en")
    customers = _rows(path, "Customers")
    mine = [r for r in customers if r["Rep ID"] == "A"]
    # A: 26 lapses + 2 conflicts = 28 entries; shown: both conflicts, then the 18 most
    # overdue lapses: the leads of Nov 2 to 10 (9 days x 2), 30 - 10 = 20 days and more.
    assert len(mine) == 20 and {r["Rep's total"] for r in mine} == {28}
    conflicts = [r for r in mine if r["Kind"] == "Conflict"]
    assert sorted((r["Customer"], r["Other rep ID"]) for r in conflicts) == [
        ("客户14-1", "B"),
        ("客户14-2", "B"),
    ]
    lapses = [r for r in mine if r["Kind"] != "Conflict"]
    assert sorted(r["Days"] for r in lapses) == sorted([30 - d for d in range(2, 11)] * 2)
    # B: its 2 lapses of 10 days (Nov 20 to 30), under the limit.
    assert [
        (r["Rep ID"], r["Days"], r["Rep's total"]) for r in customers if r["Rep ID"] == "B"
    ] == [
        ("B", 10, 2),
        ("B", 10, 2),
    ]
    # The Overview: 20 of A's + 2 of B's = 22 shown of 28 + 2 = 30.
    (note,) = [n for n in _notes(path) if n.startswith("Customers")]
    assert note == (
        "Customers: list shortened, showing 22 of 30 (the 20 most urgent per rep, conflicts "
        "first, then the longest overdue; all of them: consolidate again with --details or "
        "--list-limit 0)"
    )
