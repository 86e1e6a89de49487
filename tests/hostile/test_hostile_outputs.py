"""Outputs: checked before anything is read, never over an input or a file salesxl did not
write, and a failure while writing is a clear error that leaves the old file as it was."""

from __future__ import annotations

import datetime as dt
import errno
import os
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from salesxl.cli import main
from salesxl.consolidate import consolidate_inbox
from salesxl.consolidate import workbook as summary_workbook
from salesxl.consolidate.workbook import write_summary
from salesxl.core.periods import Month
from salesxl.forms import ROSTER
from salesxl.intake.collect import collect_files
from salesxl.read.marks import Written, written_by
from salesxl.write import output
from salesxl.write.templates import write_form
from salesxl.write.xlsx import NOT_A_NUMBER, OutputError, check_output, write_cell
from tests.hostile.build import GOOD, build_good, report

NOV = Month(2026, 11)


@pytest.fixture
def inbox(tmp_path):
    folder = tmp_path / "inbox"
    build_good(folder)
    return folder


@pytest.fixture
def never_read(monkeypatch):
    """Fails the test if the inbox is read: the output must be refused first."""

    def read(*args, **kwargs):
        raise AssertionError("the inbox was read before the output was checked")

    monkeypatch.setattr("salesxl.consolidate.read_inbox", read)


def consolidate(*args: str | Path) -> object:
    return CliRunner().invoke(
        main, ["consolidate", *map(str, args), "--period", "2026-11", "--as-of", "2026-11-24"]
    )


@pytest.mark.parametrize("name", ["summary.csv", "summary", "summary.xls"])
def test_an_output_that_is_not_an_xlsx_is_refused_with_a_hint(inbox, tmp_path, never_read, name):
    result = consolidate(inbox, "-o", tmp_path / name)
    assert result.exit_code == 1
    assert "must be named *.xlsx" in result.output
    assert "Hint: e.g. summary.xlsx (-o/--output)" in result.output
    assert "必须以 .xlsx 结尾" in result.output
    assert not (tmp_path / name).exists()


def test_an_input_is_never_the_output(inbox, never_read):
    rep = next(inbox.iterdir())
    before = rep.read_bytes()
    result = consolidate(rep, "-o", rep)
    assert result.exit_code == 1 and "one of the files this command reads" in result.output
    assert rep.read_bytes() == before


def test_a_file_salesxl_did_not_write_is_never_replaced(inbox, never_read):
    rep = inbox / "S001_张伟_日报_2026-11.xlsx"
    before = rep.read_bytes()
    result = consolidate(inbox, "-o", rep)  # a rep's report inside the inbox
    assert result.exit_code == 1
    assert "was not written by salesxl as a summary" in result.output
    assert rep.read_bytes() == before


def test_a_salesxl_workbook_of_another_kind_is_not_replaced_by_a_summary(inbox, tmp_path):
    targets = write_form(tmp_path / "targets.xlsx", ROSTER)  # a salesxl form, not a summary
    assert written_by(targets) is Written.FORM
    result = consolidate(inbox, "-o", targets)
    assert result.exit_code == 1 and "not written by salesxl as a summary" in result.output


def test_an_earlier_summary_is_replaced(inbox, tmp_path):
    out = tmp_path / "summary.xlsx"
    assert consolidate(inbox, "-o", out).exit_code == 0
    assert written_by(out) is Written.SUMMARY
    assert consolidate(inbox, "-o", out).exit_code == 0


def test_a_summary_saved_into_the_inbox_is_skipped_next_time(inbox):
    out = inbox / "summary.xlsx"
    assert consolidate(inbox, "-o", out).exit_code == 0
    files, notes = collect_files([inbox])
    assert out not in files
    assert [(Path(n.file).name, n.code.value) for n in notes] == [("summary.xlsx", "skipped")]
    assert "summary workbook written by salesxl" in notes[0].message_en
    # and the next run reads the same reports, and no sheet of the summary as a form
    again = consolidate(inbox, "-o", out)
    assert again.exit_code == 0 and "0 errors" in again.output


def test_issued_forms_and_templates_are_still_read(tmp_path):
    form = report(tmp_path / "S001.xlsx", "S001", "张伟")
    template = write_form(tmp_path / "roster.xlsx", ROSTER)
    files, notes = collect_files([tmp_path])
    assert set(files) == {form, template} and not notes


def test_an_output_folder_that_is_a_file_is_refused_before_reading(inbox, tmp_path, never_read):
    blocker = tmp_path / "out"
    blocker.write_text("a file where a folder should be")
    result = consolidate(inbox, "-o", blocker / "summary.xlsx")
    assert result.exit_code == 1
    assert "does not exist (or is not a folder)" in result.output
    assert "无法保存汇总文件：文件夹" in result.output


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0,
    reason="as root, a folder's permission bits do not stop writing: the test below simulates it",
)
def test_a_read_only_folder_is_refused_before_reading(inbox, tmp_path, never_read):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = consolidate(inbox, "-o", folder / "summary.xlsx")
    finally:
        folder.chmod(0o755)
    assert result.exit_code == 1 and "Permission denied" in result.output


def test_a_folder_that_refuses_a_new_file_is_the_clear_error(
    inbox, tmp_path, monkeypatch, never_read
):
    def refuse(folder, target):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(output, "_create_temp", refuse)
    result = consolidate(inbox, "-o", tmp_path / "summary.xlsx")
    assert result.exit_code == 1
    assert "could not be written (Permission denied)" in result.output
    assert "无法写入（Permission denied）" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_file_size_limit_while_writing_leaves_the_old_summary(inbox, tmp_path):
    """A real limit (RLIMIT_FSIZE: it holds for root too): the write fails half-way."""
    out = tmp_path / "summary.xlsx"
    summary = consolidate_inbox([inbox], period=NOV, as_of=dt.date(2026, 11, 24))
    write_summary(summary, out)
    before = out.read_bytes()

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    exe = Path(sys.executable).with_name("salesxl")
    run = subprocess.run(
        [exe, "consolidate", inbox, "--period", "2026-11", "--as-of", "2026-11-24", "-o", out],
        capture_output=True,
        preexec_fn=limit,
        timeout=300,
    )
    message = run.stderr.decode()
    assert run.returncode == 1, message
    assert "File too large" in message and "Traceback" not in message
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inbox", "summary.xlsx"]


def test_temporary_files_left_by_a_killed_run_are_removed_next_time(inbox, tmp_path):
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # a process id that no longer runs
    stale = tmp_path / f".summary.xlsx.salesxl-{gone.pid}-0a1b2c3d.tmp"
    stale.write_bytes(b"")
    live = tmp_path / f".summary.xlsx.salesxl-{os.getpid()}-0a1b2c3e.tmp"
    live.write_bytes(b"")
    theirs = tmp_path / ".summary.xlsx.backup"  # not of salesxl's naming: left alone
    theirs.write_bytes(b"keep")
    assert consolidate(inbox, "-o", tmp_path / "summary.xlsx").exit_code == 0
    assert not stale.exists() and live.exists() and theirs.exists()


def test_check_output_takes_a_folder_that_is_writable(tmp_path):
    assert check_output(tmp_path / "summary.xlsx", written=Written.SUMMARY) == tmp_path
    assert list(tmp_path.iterdir()) == []  # the probe file is gone again


def test_rows_past_excels_limit_continue_on_a_second_sheet(inbox, tmp_path, monkeypatch):
    monkeypatch.setattr(summary_workbook, "MAX_SHEET_ROWS", 3)  # 2 rows a sheet, then more
    summary = consolidate_inbox([inbox], period=NOV, as_of=dt.date(2026, 11, 24), details=True)
    out = write_summary(summary, tmp_path / "summary.xlsx", details=True)
    wb = openpyxl.load_workbook(out, read_only=True)
    details = [name for name in wb.sheetnames if name.startswith("明细")]
    # the good reports hold 2 + 1 + 3 = 6 deals: three sheets of two rows
    assert details == ["明细 Details", "明细 2 Details 2", "明细 3 Details 3"]
    rows = [r for name in details for r in list(wb[name].iter_rows(values_only=True))[1:]]
    assert len(rows) == sum(len(amounts) for _, amounts in GOOD.values()) == 6
    with zipfile.ZipFile(out) as z:
        tables = sorted(n for n in z.namelist() if n.startswith("xl/tables/"))
    assert len(tables) == 3  # Details, Details2, Details3: one Excel table per sheet


def test_an_infinite_number_is_written_as_excels_overflow_mark(tmp_path):
    import xlsxwriter

    path = tmp_path / "x.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    write_cell(ws, 0, 0, float("inf"))
    write_cell(ws, 0, 1, 1.5)
    wb.close()
    assert [c.value for c in openpyxl.load_workbook(path).active[1]] == [NOT_A_NUMBER, 1.5]


def test_an_output_error_says_it_in_both_languages(tmp_path):
    with pytest.raises(OutputError) as caught:
        check_output(tmp_path / "missing" / "s.xlsx")
    assert caught.value.message_zh.startswith("无法保存文件") and caught.value.hint_zh
    assert "does not exist" in caught.value.message_en and caught.value.setting == "output"
