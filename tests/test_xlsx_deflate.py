"""`quick_close`: a workbook closed inside is packed at zlib level 1, the same cells, and its
shared strings are the bytes xlsxwriter itself writes."""

from __future__ import annotations

import threading
import zipfile
import zlib
from pathlib import Path

import openpyxl
import xlsxwriter
import xlsxwriter.packager
import xlsxwriter.sharedstrings

from salesxl.write.xlsx import QUICK_DEFLATE_LEVEL, _QuickSharedStrings, quick_close


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
    with quick_close():
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
        with quick_close():
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


# Texts xlsxwriter writes its own way (escaped, marked to keep their spaces) beside plain ones.
_TEXTS = [
    "客户 恒瑞贸易",
    "13812345678",
    "a & b",
    "<tag> and >",
    'a "quoted" text',
    "line\nbreak",
    "x\x01y\x1f",
    "_x0041_ looks like an escape",
    "_X00a1_",
    " leading space",
    "trailing space ",
    "\u3000全角空格在前",
    "tab at the end\t",
    "合计 Total",
    "no\u00a0break inside",
    "non-characters \ufffe and \uffff",  # XML cannot hold them: escaped as _xFFFE_, _xFFFF_
]


def _strings_book(path: Path) -> bytes:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    ws = wb.add_worksheet()
    bold = wb.add_format({"bold": True})
    for r, text in enumerate(_TEXTS * 3):  # each text used more than once: shared
        ws.write_string(r, 0, text)
    ws.write_rich_string(len(_TEXTS) * 3, 0, "plain ", bold, "bold", " & after")
    wb.close()
    with zipfile.ZipFile(path) as z:
        return z.read("xl/sharedStrings.xml")


def test_the_shared_strings_are_the_bytes_xlsxwriter_writes(tmp_path: Path, monkeypatch) -> None:
    # xlsxwriter's own writer for the first workbook (quick_close installs the quick one for
    # good: another test may have run it first); put back as it was afterwards
    monkeypatch.setattr(
        xlsxwriter.packager, "SharedStrings", xlsxwriter.sharedstrings.SharedStrings
    )
    written: list[int] = []
    own = _QuickSharedStrings._write_sst_strings

    def counted(self: _QuickSharedStrings) -> None:
        written.append(len(self.string_table.string_array))
        own(self)

    monkeypatch.setattr(_QuickSharedStrings, "_write_sst_strings", counted)
    theirs = _strings_book(tmp_path / "theirs.xlsx")
    with quick_close():
        ours = _strings_book(tmp_path / "ours.xlsx")
    assert written == [len(_TEXTS) + 1]  # the quick writer wrote this part
    assert ours == theirs
    assert b'xml:space="preserve"> leading space' in ours and b"_x005F_x0041_" in ours
    assert b"a &amp; b" in ours and b"_x0001_" in ours
    assert b"non-characters _xFFFE_ and _xFFFF_" in ours
