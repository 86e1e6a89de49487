"""Dates as written outside China: every spelling, the per-column order, two-digit years."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from conftest import TODAY
from hypothesis import given, settings
from hypothesis import strategies as st

from salesxl.core.issues import Code, Severity
from salesxl.core.periods import Month
from salesxl.intake.files import load_form
from salesxl.read.dates import infer_order
from salesxl.read.values import parse_date, parse_month
from salesxl.validate import ValidationContext
from salesxl.validate.date_columns import settle_numeric_dates

D = dt.date

# (cell text, order given or None, the date it is) — checked by hand, one line each.
SPELLINGS = [
    ("2/24/2003 0:00", None, D(2003, 2, 24)),  # only month-first reads 24 as a day
    ("24.02.2003", None, D(2003, 2, 24)),
    ("24/02/2003", None, D(2003, 2, 24)),
    ("13/1/2025", None, D(2025, 1, 13)),
    ("1/13/2025", None, D(2025, 1, 13)),
    ("1/2/09 6:17", "mdy", D(2009, 1, 2)),  # 09 -> 2009 by the pivot
    ("1/2/09 6:17", "dmy", D(2009, 2, 1)),
    ("1/2/09 6:17 PM", "mdy", D(2009, 1, 2)),
    ("01-03-17", "ymd", D(2001, 3, 17)),
    ("01-03-17", "dmy", D(2017, 3, 1)),
    ("01-03-17", "mdy", D(2017, 1, 3)),
    ("12/31/99", None, D(1999, 12, 31)),  # 99 -> 1999 by the pivot
    ("31.12.68", None, D(2068, 12, 31)),  # 68 -> 2068
    ("31.12.69", None, D(1969, 12, 31)),  # 69 -> 1969
    ("24-Mar-2024", None, D(2024, 3, 24)),
    ("24 March 2024", None, D(2024, 3, 24)),
    ("Mar 24, 2024", None, D(2024, 3, 24)),
    ("March 24 2024", None, D(2024, 3, 24)),
    ("2024-Mar-24", None, D(2024, 3, 24)),
    ("2026-11-03", None, D(2026, 11, 3)),
    ("2026/11/3", None, D(2026, 11, 3)),
    ("2026年11月3日", None, D(2026, 11, 3)),
]


@pytest.mark.parametrize(("text", "order", "expected"), SPELLINGS)
def test_date_spellings(text, order, expected):
    assert parse_date(text, order=order) == expected


@pytest.mark.parametrize("text", ["03/04/2025", "1/2/09", "01-03-17"])
def test_a_lone_ambiguous_date_is_refused_not_guessed(text):
    with pytest.raises(ValueError, match="give the date order"):
        parse_date(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mar-24", Month(2024, 3)),
        ("Mar 2024", Month(2024, 3)),
        ("March 2024", Month(2024, 3)),
        ("1990 Jan", Month(1990, 1)),
        ("2024-Mar", Month(2024, 3)),
        ("1998-03", Month(1998, 3)),
        ("1999年12月", Month(1999, 12)),
    ],
)
def test_month_spellings_including_years_before_2000(text, expected):
    assert parse_month(text) == expected


@pytest.mark.parametrize(
    ("values", "order", "ambiguous", "conflicting"),
    [
        (["13/1/2025", "2/1/2025"], "dmy", False, False),  # 13 settles it: day first
        (["1/13/2025", "2/1/2025"], "mdy", False, False),
        (["03/04/2025", "05/06/2025"], None, True, False),  # nothing tells
        (["24/2/2025", "2/24/2025"], None, False, True),  # cannot both be right
        (["05/05/2025", "07/07/2025"], "dmy", False, False),  # same date either way
        (["24/2/2025", "31/31/2025"], "dmy", False, False),  # 31/31 is the cell's own problem
        (["01-03-17", "13-03-17"], None, True, False),  # dmy or ymd (2013-03-17)
        (["01-03-17", "13-03-40"], "dmy", False, False),  # 40 is no day: not ymd
    ],
)
def test_order_inference(values, order, ambiguous, conflicting):
    verdict = infer_order(values)
    assert (verdict.order, verdict.ambiguous, verdict.conflicting) == (
        order,
        ambiguous,
        conflicting,
    )


# ----------------------------------------------------------------------------
# Property: inference never silently swaps day and month
# ----------------------------------------------------------------------------

days = st.dates(min_value=D(1970, 1, 1), max_value=D(2060, 12, 31))


def spell(day: dt.date, order: str, two_digit: bool, sep: str) -> str:
    year = f"{day.year % 100:02d}" if two_digit else str(day.year)
    if order == "dmy":
        return f"{day.day}{sep}{day.month}{sep}{year}"
    return f"{day.month}{sep}{day.day}{sep}{year}"


@settings(max_examples=300, deadline=None)
@given(
    st.lists(days, min_size=1, max_size=30),
    st.sampled_from(["dmy", "mdy"]),
    st.booleans(),
    st.sampled_from(["/", ".", "-"]),
)
def test_inferred_order_reads_every_date_as_written(dates, order, two_digit, sep):
    if two_digit:  # a two-digit year means the pivot's century
        dates = [d for d in dates if (d.year >= 2000) == (d.year % 100 < 69)] or [D(2025, 1, 2)]
    texts = [spell(d, order, two_digit, sep) for d in dates]
    verdict = infer_order(set(texts))
    if verdict.order is None:
        assert verdict.ambiguous  # refused, never guessed; and never called a conflict
        return
    for text, day in zip(texts, dates, strict=True):
        assert parse_date(text, order=verdict.order) == day


@settings(max_examples=200, deadline=None)
@given(st.lists(days, min_size=1, max_size=20), st.sampled_from(["dmy", "mdy"]))
def test_a_column_that_reads_both_ways_is_refused(dates, order):
    texts = [spell(d, order, False, "/") for d in dates]
    verdict = infer_order(set(texts))
    other = "mdy" if order == "dmy" else "dmy"
    readable_other_way = True
    for text in texts:
        try:
            parse_date(text, order=other)
        except ValueError:
            readable_other_way = False
    differs = (
        any(parse_date(t, order=other) != d for t, d in zip(texts, dates, strict=True))
        if (readable_other_way)
        else False
    )
    if readable_other_way and differs:
        assert verdict.order is None and verdict.ambiguous


# ----------------------------------------------------------------------------
# A whole column in a file
# ----------------------------------------------------------------------------


def us_export(path: Path, dates: list[str]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["Order Date", "Customer Name", "Sales"])
        for i, day in enumerate(dates):
            writer.writerow([day, f"Cust {i}", 10 + i])
    return path


def test_a_us_dated_export_reads_month_first_and_reports_two_digit_years(tmp_path):
    path = us_export(tmp_path / "us.csv", ["1/2/09 6:17", "1/13/09 9:00", "2/24/09 0:00"])
    data = load_form(path, ValidationContext(today=TODAY))
    assert [r["date"] for r in data.records("sales")] == [
        D(2009, 1, 2),
        D(2009, 1, 13),
        D(2009, 2, 24),
    ]
    # 1/2/09 reads either way: 1/13 and 2/24 settled it (two dates: a note, not a warning)
    assert [(i.code, i.severity, i.cell) for i in data.issues] == [
        (Code.TWO_DIGIT_YEAR, Severity.INFO, "A1"),
        (Code.DATE_ORDER_INFERRED, Severity.INFO, "A1"),
    ]
    assert "1/13/09 reads only that way" in data.issues[1].message_en
    assert "1/2/09 as 2009-01-02" in data.issues[1].message_en


def test_one_date_that_settles_the_order_of_many_is_a_warning_naming_it(tmp_path):
    """11/03 … 11/06 read either way; 13/11/2026 alone makes the column day first, so the
    other four are read as March to June: said, as a warning, with the date that did it."""
    dates = ["11/03/2026", "11/04/2026", "11/05/2026", "11/06/2026", "13/11/2026"]
    data = load_form(us_export(tmp_path / "z1.csv", dates), ValidationContext(today=TODAY))
    assert [r["date"] for r in data.records("sales")][:2] == [D(2026, 3, 11), D(2026, 4, 11)]
    (note,) = data.issues
    assert (note.code, note.severity, note.cell) == (
        Code.DATE_ORDER_INFERRED,
        Severity.WARNING,
        "A1",
    )
    assert "day/month/year" in note.message_en and "13/11/2026 reads only that way" in (
        note.message_en
    )
    assert "4 other dates" in note.message_en and "--date-order" in note.message_en
    given = load_form(tmp_path / "z1.csv", ValidationContext(today=TODAY, date_order="dmy"))
    assert given.issues == []  # the order given: nothing to say


def test_an_ambiguous_column_is_refused_at_its_header_and_settled_by_date_order(tmp_path):
    path = us_export(tmp_path / "eu.csv", ["03/04/2025", "05/06/2025"])
    data = load_form(path, ValidationContext(today=TODAY))
    assert [(i.code, i.cell) for i in data.issues] == [(Code.AMBIGUOUS_DATES, "A1")]
    assert "--date-order" in data.issues[0].message_en
    settled = load_form(path, ValidationContext(today=TODAY, date_order="dmy"))
    assert settled.issues == []
    assert [r["date"] for r in settled.records("sales")] == [D(2025, 4, 3), D(2025, 6, 5)]


def test_a_date_the_columns_order_cannot_read_is_an_error_not_a_swap(tmp_path):
    # 2/24 says month first; 24/2 in the same column is then no date: never read as 24 Feb
    path = us_export(tmp_path / "mixed.csv", ["2/24/2025", "1/5/2025", "24/2/2025", "2/13/2025"])
    data = load_form(path, ValidationContext(today=TODAY))
    assert [(i.code, i.cell) for i in data.issues] == [(Code.AMBIGUOUS_DATES, "A1")]
    assert "24/2/2025" in data.issues[0].message_en or "2/24/2025" in data.issues[0].message_en
    given = load_form(path, ValidationContext(today=TODAY, date_order="mdy"))
    assert [(i.code, i.cell) for i in given.issues] == [(Code.BAD_TYPE, "A4")]


def test_validate_takes_the_date_order_and_says_how_to_write_bad_options(tmp_path):
    from click.testing import CliRunner

    from salesxl.cli import main

    path = us_export(tmp_path / "eu.csv", ["03/04/2025", "05/06/2025"])
    runner = CliRunner()
    refused = runner.invoke(main, ["validate", str(path), "--as-of", "2026-11-24"])
    assert refused.exit_code == 1 and "ambiguous_dates" in refused.output
    settled = runner.invoke(
        main, ["validate", str(path), "--date-order", "dmy", "--as-of", "2026-11-24"]
    )
    assert settled.exit_code == 0, settled.output
    bad = runner.invoke(main, ["validate", str(path), "--encoding", "klingon"])
    assert bad.exit_code == 2 and "not a text encoding" in bad.output
    bad = runner.invoke(main, ["validate", str(path), "--map", "turnover=Sales"])
    assert bad.exit_code == 2 and "'turnover' is not a field" in bad.output


def test_a_rep_forms_header_month_settles_the_order_of_its_dates(tmp_path):
    from conftest import GOOD_ROW, read, write_daily

    rows = [GOOD_ROW | {"date": "11/3/2026"}, GOOD_ROW | {"date": "11/5/2026", "customer": "乙"}]
    data = read(write_daily(tmp_path / "d.xlsx", rows))
    # 3 Nov and 5 Nov are in the header month 2026-11; 11 Mar and 11 May are not
    assert [r["date"] for r in data.records("daily")] == [D(2026, 11, 3), D(2026, 11, 5)]
    assert [i.code for i in data.issues if i.code is Code.AMBIGUOUS_DATES] == []


def test_an_ambiguous_columns_example_is_its_first_date_in_order():
    """The refusal names one of the column's dates: the first in order, as the other notes
    do, not whichever a set of them gives first (that changes from process to process)."""
    slow = object()
    values = ["11/03/2026", "05/04/2026", "03/11/2026", "04/05/2026", "10/09/2026"]
    found = settle_numeric_dates(values, [slow] * len(values), slow, ("日期", "Date"), None)
    ((code, zh, en, _),) = found.header
    assert code is Code.AMBIGUOUS_DATES
    assert "03/11/2026" in en and "03/11/2026" in zh
