"""RowStream writes the cells xlsxwriter would write for the same values, only faster."""

from __future__ import annotations

import datetime as dt
import enum
import re
import zipfile

import openpyxl
import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from salesxl.write import row_stream
from salesxl.write.row_stream import RowStream
from salesxl.write.xlsx import NOT_A_NUMBER, write_cell


class Level(enum.StrEnum):  # a code whose member name differs from its value
    OK = "ok"
    BAD = "bad"


ROWS = [
    ["plain", 3, 2.5, dt.date(2026, 11, 3), None, True],
    ["=cmd|' /C calc'!A0", -7, 1e20, dt.date(1900, 1, 15), "  spaced ", False],
    ["a & b < c > d", 12345678901234, 0.1 + 0.2, dt.datetime(2026, 11, 3, 14, 30), "x", 0],
    ["bell\x07 and _x0041_", float("inf"), float("nan"), None, Level.BAD, "tail"],
    [None, None, None, None, None, None],  # an empty row writes nothing
    ["中文 客户", 0, -0.0, dt.date(2026, 12, 31), Level.OK, 1.5],
]
LABELS = {Level.OK: "正常 OK", Level.BAD: "警告 Bad", "x": "ex"}


def _book(path, write_rows, *, constant_memory):
    wb = xlsxwriter.Workbook(
        str(path),
        {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False},
    )
    wb.constant_memory = constant_memory
    ws = wb.add_worksheet("S")
    wb.constant_memory = False
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    for c in range(6):
        ws.write_string(0, c, f"head {c}")
    write_rows(ws, [None, None, None, date, None, None])
    if constant_memory:
        ws._opt_close()
    wb.close()
    return openpyxl.load_workbook(path)["S"]


def _by_xlsxwriter(ws, styles):
    for r, row in enumerate(ROWS, start=1):
        for c, value in enumerate(row):
            if c == 4 and value in LABELS:
                value = LABELS[value]
            if value is not None and not (isinstance(value, float) and value != value):
                write_cell(ws, r, c, value, styles[c])


@pytest.mark.parametrize("by_column", [False, True])
@pytest.mark.parametrize("share_limit", [None, 0, 2])
def test_rows_read_back_as_xlsxwriter_writes_them(tmp_path, share_limit, by_column):
    def streamed(ws, styles):
        stream = RowStream(
            ws, styles, labels=[None, None, None, None, LABELS], share_limit=share_limit
        )
        if by_column:
            stream.write_rows(1, ROWS)
        else:
            for r, row in enumerate(ROWS, start=1):
                stream.write(r, row)
        stream.close()

    ours = _book(tmp_path / "ours.xlsx", streamed, constant_memory=True)
    # xlsxwriter writes text shared, or inline in its constant memory mode
    theirs = _book(tmp_path / "theirs.xlsx", _by_xlsxwriter, constant_memory=share_limit == 0)
    assert ours.dimensions == theirs.dimensions == "A1:F7"
    for mine, expected in zip(ours.iter_rows(), theirs.iter_rows(), strict=True):
        for a, b in zip(mine, expected, strict=True):
            assert (a.number_format, a.data_type) == (b.number_format, b.data_type)
    # values as the project's reader sees them (openpyxl leaves inline text's escapes)
    values = _values(tmp_path / "ours.xlsx")
    assert values == _values(tmp_path / "theirs.xlsx")
    # spot checks worked out by hand: the label of a code whose name is not its value,
    # a formula-looking text kept as text, an infinite number as Excel's overflow mark,
    # a control character and a text that looks like its escape as they were
    assert values[4][4] == "警告 Bad" and values[6][4] == "正常 OK"
    assert values[2][0] == "=cmd|' /C calc'!A0" and ours["A3"].data_type == "s"
    assert values[4][:3] == ["bell\x07 and _x0041_", NOT_A_NUMBER, ""]
    assert values[2][4] == "  spaced "
    assert ours["D2"].value == dt.datetime(2026, 11, 3)  # 46,329 days after 1899-12-30
    xml = zipfile.ZipFile(tmp_path / "ours.xlsx").read("xl/worksheets/sheet1.xml").decode()
    # column A's five texts: two shared, then three inline, when two may be shared
    assert xml.count('t="inlineStr"') >= (3 if share_limit == 2 else 0)
    assert ('t="s"' in xml) == (share_limit != 0)


def _values(path):
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name("S").to_python()


def test_a_sheet_not_in_constant_memory_mode_is_refused(tmp_path):
    wb = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"))
    with pytest.raises(ValueError, match="constant-memory"):
        RowStream(wb.add_worksheet(), [None])
    wb.close()


# Columns of one type each, with repeats: a list sheet's shape (rep IDs, dates, kinds).
LIST_ROWS = [
    [f"S{i % 3:03d}", f"客户{i}", dt.date(2026, 11, 1 + i % 5), i % 4, Level.BAD if i % 2 else None]
    for i in range(23)
]
LIST_ROWS[7] = [None] * 5  # an empty row inside a chunk
LIST_ROWS[8] = [None, None, None, -0.0, None]  # a float among ints, equal to 0 but not 0
LIST_ROWS[16] = ["S001", None, None, True, Level.OK]  # a boolean among ints, equal to 1


def _stream_book(path, rows, write_rows, share_limit=None):
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    wb.constant_memory = True
    ws = wb.add_worksheet("S")
    wb.constant_memory = False
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_string(0, 0, "head")
    stream = RowStream(
        ws, [None, None, date, None, None], labels=[None] * 4 + [LABELS], share_limit=share_limit
    )
    write_rows(stream, rows)
    stream.close()
    ws._opt_close()
    wb.close()
    return path


@pytest.mark.parametrize("share_limit", [None, 4])
def test_rows_by_column_are_the_rows_by_row_across_chunks(tmp_path, monkeypatch, share_limit):
    monkeypatch.setattr(row_stream, "_CHUNK", 5)  # 23 rows: five chunks, the last of three

    def by_row(stream, rows):
        for r, row in enumerate(rows, start=1):
            stream.write(r, row)

    def by_column(stream, rows):
        stream.write_rows(1, iter(rows))  # any iterable, read once

    ours = _stream_book(tmp_path / "cols.xlsx", LIST_ROWS, by_column, share_limit)
    theirs = _stream_book(tmp_path / "rows.xlsx", LIST_ROWS, by_row, share_limit)
    values = _values(ours)
    assert values == _values(theirs)
    # worked out by hand: row 2 (the first data row) is S000, 客户0, 11-01, 0, nothing;
    # the empty row 9 is blank; -0.0 stays a float, True a boolean, not 0 and 1 again
    assert values[1] == ["S000", "客户0", dt.date(2026, 11, 1), 0, ""]
    assert values[8] == ["", "", "", "", ""]
    sheet = openpyxl.load_workbook(ours)["S"]
    assert sheet["D10"].value == 0 and sheet["D10"].data_type == "n"
    assert sheet["D18"].value is True and sheet["D18"].data_type == "b"
    assert sheet["E3"].value == "警告 Bad" and sheet["E18"].value == "正常 OK"
    assert sheet.dimensions == "A1:E24"
    xml = zipfile.ZipFile(ours).read("xl/worksheets/sheet1.xml").decode()
    assert '<c r="D10"' in xml and "<v>-0</v>" in xml
    # the shared-string table counts every use of a shared text, as row by row
    strings = [
        zipfile.ZipFile(path).read("xl/sharedStrings.xml").decode()[:300] for path in (ours, theirs)
    ]
    counts = [re.search(r'count="(\d+)" uniqueCount="(\d+)"', x).groups() for x in strings]
    assert counts[0] == counts[1]
    # row by row: the 21 filled rows' rep IDs and names and 11 kinds; shared when room
    total = 21 + 20 + 11 if share_limit is None else None
    if total is not None:
        assert int(counts[0][0]) == total
