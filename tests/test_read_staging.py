"""The package handed to python-calamine: the same cells and merged ranges, read in one pass."""

from __future__ import annotations

import io
import tempfile
import zipfile
import zlib
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from salesxl.read import workbook
from salesxl.read.package import crc32, member
from salesxl.read.staging import stage_package, staged_sheet
from salesxl.read.workbook import open_book

FILES = Path(__file__).parent / "files"
# every zip workbook of the test files but the zip bomb (the reader refuses it unread)
WORKBOOKS = sorted(
    p for p in FILES.rglob("*.xls[xm]") if zipfile.is_zipfile(p) and p.name != "zip_bomb.xlsx"
)

CELLS = b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
MERGES = b'<mergeCells count="1"><mergeCell ref="A1:B2"/></mergeCells>'


def _parts(path: Path) -> list[tuple[str, bytes]]:
    data = path.read_bytes()
    archive = zipfile.ZipFile(io.BytesIO(data))
    return [(i.filename, member(archive, i, data)) for i in archive.infolist() if not i.is_dir()]


def _read(package: bytes) -> list[tuple[str, list[list[object]], object]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(package))
    out = []
    for name in book.sheet_names:
        sheet = book.get_sheet_by_name(name)
        out.append((name, sheet.to_python(skip_empty_area=False), sheet.merged_cell_ranges))
    return out


def test_the_merged_ranges_move_in_front_of_the_cells():
    xml = b"<worksheet><dimension ref='A1'/>" + CELLS + MERGES + b"<pageMargins/></worksheet>"
    staged = b"".join(staged_sheet(xml))
    assert staged == (
        b"<worksheet><dimension ref='A1'/>" + MERGES + CELLS + b"<pageMargins/></worksheet>"
    )


def test_a_sheet_without_merged_ranges_gets_an_empty_list_first():
    xml = b"<worksheet>" + CELLS + b"</worksheet>"
    staged = b"".join(staged_sheet(xml))
    assert staged == b'<worksheet><mergeCells count="0"></mergeCells>' + CELLS + b"</worksheet>"


@pytest.mark.parametrize(
    "xml",
    [
        b"<worksheet>" + CELLS + MERGES + MERGES + b"</worksheet>",  # two lists of ranges
        b"<x:worksheet><x:sheetData/><x:mergeCells/></x:worksheet>",  # prefixed names
        b"<worksheet>" + CELLS + CELLS + b"</worksheet>",  # two sheetData
        b"<worksheet><dimension ref='A1'/></worksheet>",  # no cells at all
    ],
)
def test_a_sheet_not_shaped_as_spreadsheet_programs_write_it_is_left_as_it_is(xml):
    assert b"".join(staged_sheet(xml)) == xml


def test_the_checksum_is_zips_crc_32_taken_piece_by_piece():
    data = bytes(range(256)) * 300
    whole = zlib.crc32(data)
    assert crc32(data) == whole and crc32(b"") == 0
    view = memoryview(data)
    assert crc32(view[1000:], crc32(view[:1000])) == whole  # as staging sums the pieces


def test_the_package_is_a_zip_of_the_same_parts_stored():
    parts = [
        ("[Content_Types].xml", b"<Types/>"),
        ("xl/worksheets/sheet1.xml", b"<worksheet>" + CELLS + MERGES + b"</worksheet>"),
        ("xl/media/图片.png", bytes(range(256))),
    ]
    package = stage_package(parts)
    assert package is not None
    archive = zipfile.ZipFile(io.BytesIO(package))
    assert archive.testzip() is None  # every CRC right
    assert [i.filename for i in archive.infolist()] == [name for name, _ in parts]
    assert {i.compress_type for i in archive.infolist()} == {zipfile.ZIP_STORED}
    assert archive.read("xl/media/图片.png") == bytes(range(256))
    staged = archive.read("xl/worksheets/sheet1.xml")
    assert staged == b"<worksheet>" + MERGES + CELLS + b"</worksheet>"


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: str(p.relative_to(FILES)))
def test_python_calamine_reads_the_same_from_the_staged_package(path):
    """Every workbook of the test files (Excel, WPS, LibreOffice, openpyxl and xlsxwriter
    made; merged cells, formulas, hidden sheets): the same sheets, cells and ranges."""
    original = _read(path.read_bytes())
    package = stage_package(_parts(path))
    assert package is not None
    assert _read(package) == original


def test_the_merged_cells_file_keeps_its_ranges():
    ((_, _, ranges), *_) = _read(stage_package(_parts(FILES / "merged_cells.xlsx")) or b"")
    assert ranges  # the file merges cells: the staged package still says which


def _grids(path: Path) -> list[tuple[str, list[list[object]], object, bool]]:
    book = open_book(path)
    try:
        return [
            (name, grid.rows, grid.merged, grid.hidden)
            for name in book.sheet_names
            for grid in [book.grid(name)]
        ]
    finally:
        book.close()


@pytest.mark.parametrize(
    "path",
    [*WORKBOOKS, *sorted(p for p in FILES.rglob("*.xls") if p.parent.name != "bad")],
    ids=lambda p: str(p.relative_to(FILES)),
)
def test_a_large_package_reaches_python_calamine_as_a_file_with_the_same_cells(
    path, tmp_path, monkeypatch
):
    """Above `_SPOOL_BYTES` the package goes through a temporary file (python-calamine copies
    bytes slowly and keeps the copy): every sheet, cell, range and hidden flag the same, and
    the temporary file gone once the book is open."""
    in_memory = _grids(path)
    monkeypatch.setattr(workbook, "_SPOOL_BYTES", 0)  # every package counts as large
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    spooled: list[Path] = []
    real = workbook._spooled
    monkeypatch.setattr(
        workbook, "_spooled", lambda data, kind: spooled.append(real(data, kind)) or spooled[-1]
    )
    assert _grids(path) == in_memory
    assert spooled and spooled[0] is not None  # it did go through a file …
    assert list(tmp_path.iterdir()) == []  # … removed


def test_without_a_temporary_file_the_package_is_read_from_memory(tmp_path, monkeypatch):
    path = FILES / "merged_cells.xlsx"
    in_memory = _grids(path)
    monkeypatch.setattr(workbook, "_SPOOL_BYTES", 0)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "gone"))  # mkstemp fails
    assert _grids(path) == in_memory
