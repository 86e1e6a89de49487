"""`quick_deflate`: a workbook closed inside is packed at zlib level 1, the same cells."""

from __future__ import annotations

import threading
import zipfile
import zlib
from pathlib import Path

import openpyxl
import xlsxwriter

from salesxl.write.xlsx import QUICK_DEFLATE_LEVEL, quick_deflate


def _write(path: Path) -> None:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("客户 Customers")
    for r in range(2000):
        ws.write_row(r, 0, [f"客户{r % 97}", r * 3, f"备注 note {r % 13}", r / 4])
    wb.close()


def _sheet_packed(path: Path) -> tuple[int, bytes]:
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
        return info.compress_size, z.read(info)


def _deflated(data: bytes, level: int) -> int:
    packer = zlib.compressobj(level, zlib.DEFLATED, -15)
    return len(packer.compress(data) + packer.flush())


def test_inside_packs_at_level_one_and_outside_at_the_default(tmp_path: Path) -> None:
    _write(tmp_path / "default.xlsx")
    with quick_deflate():
        _write(tmp_path / "quick.xlsx")
    _write(tmp_path / "after.xlsx")
    default_size, xml = _sheet_packed(tmp_path / "default.xlsx")
    quick_size, quick_xml = _sheet_packed(tmp_path / "quick.xlsx")
    assert quick_xml == xml  # the same sheet, only packed differently
    # each size is what zlib gives the sheet's XML at that level (raw deflate, as zip stores)
    at = {level: _deflated(xml, level) for level in (QUICK_DEFLATE_LEVEL, 6)}
    assert abs(quick_size - at[QUICK_DEFLATE_LEVEL]) <= 8
    assert abs(default_size - at[6]) <= 8
    assert quick_size > default_size
    assert _sheet_packed(tmp_path / "after.xlsx")[0] == default_size  # the level does not stay
    book = openpyxl.load_workbook(tmp_path / "quick.xlsx", read_only=True)
    try:
        rows = list(book["客户 Customers"].iter_rows(values_only=True))
    finally:
        book.close()
    assert rows[1999] == ("客户59", 5997, "备注 note 10", 499.75)  # 1999 % 97 = 59, 1999 % 13 = 10


def test_the_level_is_the_threads_own(tmp_path: Path) -> None:
    """Another thread writing at the same time keeps zlib's default level."""
    inside, release = threading.Event(), threading.Event()
    _write(tmp_path / "default.xlsx")

    def quick() -> None:
        with quick_deflate():
            inside.set()
            release.wait(10)

    worker = threading.Thread(target=quick)
    worker.start()
    inside.wait(10)
    try:
        _write(tmp_path / "other.xlsx")
    finally:
        release.set()
        worker.join()
    assert _sheet_packed(tmp_path / "other.xlsx")[0] == _sheet_packed(tmp_path / "default.xlsx")[0]
