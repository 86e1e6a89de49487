"""Reading what people really send (SPEC §3): every file in tests/files/ and its expectation."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from salesxl.intake.files import collect_files, load_form
from salesxl.read import Limits, open_book
from salesxl.read.formulas import uncached_formula_cells
from salesxl.validate import ValidationContext
from tests.conftest import read, write_daily
from tests.make_files import set_core_times
from tests.messy_files import EXPECTED, FILES

CTX = ValidationContext(today=dt.date(2026, 11, 24))


def _matches(record: dict, expected: dict) -> bool:
    for key, want in expected.items():
        got = record.get(key)
        if isinstance(want, float) and isinstance(got, float):
            if abs(got - want) > 1e-9:
                return False
        elif got != want:
            return False
    return True


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_messy_file_reads_as_expected(name):
    want = EXPECTED[name]
    data = load_form(FILES / name, CTX)
    codes = Counter(i.code.value for i in data.issues)
    assert data.form_id == want["form"], data.issues
    for code, count in want["codes"].items():
        assert codes[code] == count, (code, data.issues)
    unexpected = {i.code.value for i in data.issues if i.is_error} - set(want["codes"])
    assert not unexpected, [i for i in data.issues if i.code.value in unexpected]
    if want["form"] is None:
        return
    for key, value in want["header"].items():
        assert str(data.header.get(key)) == str(value), (key, data.header)
    table = data.form.main_table.key
    records = data.records(table)
    if want["count"] is not None:
        assert len(records) == want["count"]
    for i, expected in enumerate(want["records"]):
        assert _matches(records[i], expected), (i, records[i], expected)


def test_every_file_in_the_folder_has_an_expectation():
    files, _ = collect_files([FILES])
    assert {f.name for f in files} == set(EXPECTED)


def test_lock_and_hidden_files_are_skipped_with_a_word():
    files, notes = collect_files([FILES])
    names = {f.name for f in files}
    assert "~$labels_zh_only.xlsx" not in names and ".hidden_copy.xlsx" not in names
    assert {Path(n.file).name: n.code.value for n in notes} == {
        "~$labels_zh_only.xlsx": "skipped",
        ".hidden_copy.xlsx": "skipped",
    }
    assert (FILES / "~$labels_zh_only.xlsx").exists() and (FILES / ".hidden_copy.xlsx").exists()


def test_an_explicit_lock_file_argument_is_skipped_too():
    files, notes = collect_files([FILES / "~$labels_zh_only.xlsx"])
    assert files == []
    assert [n.code.value for n in notes] == ["skipped"]


def test_missing_path_is_a_usage_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such file or folder"):
        collect_files([tmp_path / "inbx"])


def test_foreign_files_in_a_folder_are_listed_not_read(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8")
    files, notes = collect_files([tmp_path])
    assert files == []
    assert sorted(Path(n.file).name for n in notes) == ["notes.txt", "photo.jpg"]
    assert {n.severity.value for n in notes} == {"info"}


def test_macros_are_never_run_and_the_data_is_read():
    book = open_book(FILES / "macro_enabled.xlsm")
    assert book.kind == "xlsx" and "日报" in book.sheet_names
    book.close()


def test_file_size_limit(tmp_path):
    data = load_form(
        FILES / "labels_zh_only.xlsx", ValidationContext(limits=Limits(max_file_bytes=1000))
    )
    assert [i.code.value for i in data.issues] == ["too_large"]
    assert "limit" in data.issues[0].message_en


def test_sheet_cell_limit():
    data = load_form(
        FILES / "labels_zh_only.xlsx", ValidationContext(limits=Limits(max_sheet_cells=20))
    )
    (issue,) = data.issues
    assert issue.code.value == "too_large" and issue.sheet == "日报"


def test_zip_bomb_is_refused_before_parsing():
    data = load_form(FILES / "zip_bomb.xlsx", CTX)
    assert (FILES / "zip_bomb.xlsx").stat().st_size < 1_000_000
    assert "unpacks to 210 MB" in data.issues[0].message_en


@pytest.mark.parametrize(
    ("xml", "cells"),
    [
        (b'<c r="B1"><f>1+2</f><v /></c>', [(0, 1)]),  # openpyxl: no value
        (b'<c r="B1"><f>1+2</f></c>', [(0, 1)]),  # no <v> at all
        (b'<c r="C2" s="1"><f>A1*2</f><v>4</v></c>', []),  # cached
        (b'<c r="D3" t="str"><f>IF(A1,"","x")</f><v></v></c>', []),  # Excel's cached ""
        (b'<c r="E4"><f t="shared" si="0"/></c>', [(3, 4)]),  # shared, no value
        (b'<c r="AA10" t="e"><f>1/0</f><v>#DIV/0!</v></c>', []),  # an error is a value
        (b"<dataValidation><formula1>$A$1:$A$5</formula1></dataValidation>", []),
    ],
)
def test_formula_scan(xml, cells):
    assert uncached_formula_cells(xml) == cells


_SAVED = dt.datetime(2026, 11, 5, 1, 30, tzinfo=dt.UTC).timestamp()  # 09:30 in Beijing


@pytest.mark.parametrize(
    ("modified", "created", "keep_part", "saved"),
    [
        ("2026-11-05T01:30:00Z", "2026-11-01T01:00:00Z", True, _SAVED),  # Excel: UTC
        ("2026-11-05T09:30:00+08:00", "2026-11-01T01:00:00Z", True, _SAVED),  # with its zone
        ("2026-11-05T01:30:00.250Z", "2026-11-01T01:00:00Z", True, _SAVED + 0.25),
        ("2026-11-05T01:30:00", None, True, _SAVED),  # no zone: UTC
        (
            "2026-11-01T01:00:00Z",
            "2026-11-01T01:00:00Z",
            True,
            None,
        ),  # never saved since it was made
        ("2026-10-30T01:00:00Z", "2026-11-01T01:00:00Z", True, None),  # "saved" before it was made
        (None, "2026-11-01T01:00:00Z", True, None),  # no save recorded
        ("last Tuesday", "2026-11-01T01:00:00Z", True, None),  # not a time
        ("2026-11-05T01:30:00Z", "2026-11-01T01:00:00Z", False, None),  # no docProps/core.xml
    ],
)
def test_the_save_time_recorded_inside_the_file(tmp_path, modified, created, keep_part, saved):
    path = write_daily(tmp_path / "daily.xlsx", [{"date": dt.date(2026, 11, 4), "customer": "甲"}])
    set_core_times(path, modified, created, keep_part=keep_part)
    book = open_book(path)
    try:
        assert book.saved_at() == saved
    finally:
        book.close()
    data = read(path)
    assert data.form_id == "daily_report" and data.saved == saved
    assert data.file_time() == (min(saved, data.mtime) if saved is not None else data.mtime)


def test_a_csv_file_records_no_save_time(tmp_path):
    path = tmp_path / "daily.csv"
    path.write_text("日期,客户名称,销售阶段\n2026-11-04,甲,1\n", encoding="utf-8")
    book = open_book(path)
    assert book.saved_at() is None
    book.close()
