"""Every path passed over gets a word; names are taken as the file system gives them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from salesxl.intake import collect
from salesxl.intake.collect import collect_files
from salesxl.intake.files import load_form
from tests.hostile.build import report

posix = pytest.mark.skipif(os.name != "posix", reason="pipes, links and byte names are POSIX")


def _why(notes) -> dict[str, str]:
    return {Path(n.file).name: n.message_en for n in notes}


@posix
def test_pipes_links_and_hidden_folders_are_named(tmp_path):
    report(tmp_path / "S001.xlsx", "S001", "张伟")
    os.mkfifo(tmp_path / "S002.xlsx")  # a pipe: opening it would wait forever
    (tmp_path / ".cache").mkdir()
    report(tmp_path / ".cache" / "S003.xlsx", "S003", "王芳")
    (tmp_path / "elsewhere").symlink_to(tmp_path / ".cache")
    (tmp_path / "gone.xlsx").symlink_to(tmp_path / "nothing.xlsx")
    files, notes = collect_files([tmp_path])
    assert [p.name for p in files] == ["S001.xlsx"]
    assert _why(notes) == {
        ".cache": "A hidden folder; the files in it were not read.",
        "S002.xlsx": "Not a regular file (a pipe, socket or device); skipped.",
        "elsewhere": "A link to a folder (links to folders are not followed); skipped.",
        "gone.xlsx": "A link to something that does not exist; skipped.",
    }
    assert {n.code.value for n in notes} == {"skipped"}


def test_a_folder_that_cannot_be_read_is_named(tmp_path, monkeypatch):
    report(tmp_path / "S001.xlsx", "S001", "张伟")
    (tmp_path / "locked").mkdir()
    real = os.scandir

    def scandir(path):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(collect.os, "scandir", scandir)
    files, notes = collect_files([tmp_path])
    assert [p.name for p in files] == ["S001.xlsx"]
    assert _why(notes) == {
        "locked": "This folder cannot be read (Permission denied); the files in it were not "
        "read. Check its permissions."
    }


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0,
    reason="as root every folder can be read: the test above simulates the refusal",
)
def test_a_folder_without_read_permission_is_named(tmp_path):
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked").chmod(0)
    try:
        _, notes = collect_files([tmp_path])
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert "cannot be read" in _why(notes)["locked"]


@posix
def test_a_name_in_no_valid_encoding_is_read_as_it_is(tmp_path):
    name = os.fsdecode(b"S150_\xd5\xc5\xce\xb0.xlsx")  # 张伟 in GBK, unzipped on Linux
    path = report(tmp_path / name, "S150", "张伟", (1000.0,))
    files, _ = collect_files([tmp_path])
    assert files == [path]
    data = load_form(path)
    assert data.form_id == "daily_report" and not data.issues
    assert [r["amount"] for r in data.records("daily")] == [1000.0]


@posix
def test_real_paths_are_what_resolve_gives(tmp_path, monkeypatch):
    """Files resolved folder by folder come out as `Path.resolve()` has them: through a linked
    folder, a linked file, `..` and `.` in the path, a relative path, a file not there."""
    from salesxl.intake.collect import real_paths

    real = tmp_path / "real"
    (real / "sub").mkdir(parents=True)
    for name in ("a.xlsx", "sub/b.xlsx", "target.xlsx"):
        (real / name).write_bytes(b"x")
    (tmp_path / "via").symlink_to(real)  # a linked folder
    (real / "link.xlsx").symlink_to(real / "sub" / "b.xlsx")  # a linked file
    monkeypatch.chdir(real)
    paths = [
        tmp_path / "via" / "a.xlsx",
        tmp_path / "via" / "sub" / ".." / "a.xlsx",
        real / "link.xlsx",
        tmp_path / "via" / "link.xlsx",
        Path("sub/b.xlsx"),
        Path("a.xlsx"),
        Path("."),
        real / "sub" / "..",
        real / "missing.xlsx",
    ]
    assert real_paths(paths) == [p.resolve() for p in paths]
    assert real_paths(paths)[0] == real / "a.xlsx"
    assert real_paths(paths)[2] == real / "sub" / "b.xlsx"  # the link's target, not the link
