"""Which files under the given paths are read, and a word on every path that is not.

Folders are walked recursively in sorted order.  Nothing is left out
silently: a lock file, a hidden file or folder, a pipe or device, a folder
that cannot be read, a link to a folder, a file that is not a spreadsheet,
or a workbook salesxl itself wrote that is not a form (a summary saved into
the inbox) each gets an info issue saying it was skipped and why.  Names are
taken as the file system gives them, even when they are in no valid
encoding (a GBK name unzipped on Linux): such a path is still read.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from salesxl.core.issues import Code, Issue, Severity, make_issue, message
from salesxl.read.marks import INPUTS, written_by
from salesxl.read.workbook import SPREADSHEET_SUFFIXES

__all__ = ["collect_files", "lock_files", "open_by", "real_paths"]

_HIDDEN_ATTRIBUTE = 0x2  # FILE_ATTRIBUTE_HIDDEN on Windows


def _note(path: Path | str, why: str) -> Issue:
    """An info line for a path passed over: its catalogue message (`skipped`, or
    `unknown_form` for a file that is not a spreadsheet)."""
    code = Code.UNKNOWN_FORM if why == "not_spreadsheet" else Code.SKIPPED
    return make_issue(code, str(path), *message(code, why), severity=Severity.INFO)


def _folder_unreadable(path: Path, exc: OSError) -> Issue:
    reason = exc.strerror or type(exc).__name__
    return make_issue(
        Code.SKIPPED,
        str(path),
        *message(Code.SKIPPED, "folder_unreadable", reason=reason),
        severity=Severity.INFO,
    )


def _hidden(name: str, info: os.stat_result | None) -> bool:
    if name.startswith("."):
        return True
    return bool(getattr(info, "st_file_attributes", 0) & _HIDDEN_ATTRIBUTE)


def _walk(folder: Path, found: list[Path], notes: list[Issue]) -> None:
    """Files under `folder` into `found`; every path passed over into `notes`."""
    try:
        with os.scandir(folder) as entries:
            listed = list(entries)
    except OSError as exc:
        notes.append(_folder_unreadable(folder, exc))
        return
    for entry in listed:
        path = folder / entry.name
        try:
            link = entry.is_symlink()
            info = entry.stat(follow_symlinks=True) if link else entry.stat(follow_symlinks=False)
        except OSError:
            notes.append(_note(path, "broken_link"))
            continue
        if stat.S_ISDIR(info.st_mode):
            if link:
                notes.append(_note(path, "folder_link"))
            elif _hidden(entry.name, info):
                notes.append(_note(path, "hidden_folder"))
            else:
                _walk(path, found, notes)
        elif entry.name.startswith("~$"):
            notes.append(_note(path, "lock"))
        elif _hidden(entry.name, info):
            notes.append(_note(path, "hidden"))
        elif not stat.S_ISREG(info.st_mode):
            notes.append(_note(path, "special"))
        else:
            found.append(path)


def lock_files(path: Path) -> list[Path]:
    """The lock files an open workbook has beside it: Excel and WPS write `~$name` (the
    first two characters dropped from a long name), LibreOffice `.~lock.name#`."""
    name = path.name
    return [
        path.with_name(f"~${name}"),
        path.with_name(f"~${name[2:]}"),
        path.with_name(f".~lock.{name}#"),
    ]


def open_by(path: Path) -> Path | None:
    """The lock file showing that a spreadsheet app has `path` open, or None."""
    return next((f for f in lock_files(path) if os.path.lexists(f)), None)


def _skipped(path: Path) -> str | None:
    """Why a file given by name is not read, or None."""
    if path.name.startswith("~$"):
        return "lock"
    try:
        info = path.stat()
    except OSError:
        return "broken_link"
    if _hidden(path.name, info):
        return "hidden"
    if not stat.S_ISREG(info.st_mode):
        return "special"
    return None


def _real(path: Path, folders: dict[Path, Path]) -> Path:
    """`path.resolve()`, with each folder's real path worked out once (in `folders`): a file
    that is not a link is its folder's real path and its name.  Resolving walks every
    part of the path with a system call each: for 60,000 reports that took 1.9 s, twice."""
    if path.name in ("", ".", "..") or path.is_symlink():
        return path.resolve()
    parent = path.parent
    real = folders.get(parent)
    if real is None:
        real = folders[parent] = parent.resolve()
    return real / path.name


def real_paths(paths: Iterable[Path]) -> list[Path]:
    """Each path as `Path.resolve()` gives it (absolute, links followed), folders resolved
    once for all."""
    folders: dict[Path, Path] = {}
    return [_real(path, folders) for path in paths]


def collect_files(paths: Iterable[Path]) -> tuple[list[Path], list[Issue]]:
    """Spreadsheet files under `paths` (folders recursively, in sorted order), and an info
    issue for every path left out.

    Raises FileNotFoundError for a path that does not exist (a usage error).
    """
    files: list[Path] = []
    notes: list[Issue] = []
    seen: set[Path] = set()
    folders: dict[Path, Path] = {}

    def add(path: Path, notes: list[Issue]) -> None:
        kind = written_by(path) if path.suffix.lower() in (".xlsx", ".xlsm") else None
        if kind is not None and kind not in INPUTS:
            notes.append(_note(path, kind))
            return
        key = _real(path, folders)
        if key not in seen:  # a file given twice, or a file and its folder, is read once
            seen.add(key)
            files.append(path)

    for path in paths:
        if not os.path.lexists(path):
            raise FileNotFoundError(f"{path}: no such file or folder")
        if path.is_dir():
            found: list[Path] = []
            walked: list[Issue] = []
            _walk(path, found, walked)
            for child in sorted(found):
                if child.suffix.lower() in SPREADSHEET_SUFFIXES:
                    add(child, walked)
                else:
                    walked.append(_note(child, "not_spreadsheet"))
            notes.extend(sorted(walked, key=lambda issue: Path(issue.file)))
            continue
        why = _skipped(path)
        if why is None:
            add(path, notes)
        else:
            notes.append(_note(path, why))
    return files, notes
