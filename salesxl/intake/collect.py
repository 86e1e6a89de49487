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

from salesxl.core.issues import Code, Issue, Severity, make_issue
from salesxl.read.marks import INPUTS, Written, written_by
from salesxl.read.workbook import SPREADSHEET_SUFFIXES

__all__ = ["collect_files"]

_HIDDEN_ATTRIBUTE = 0x2  # FILE_ATTRIBUTE_HIDDEN on Windows

_WHY: dict[str, tuple[str, str]] = {
    "lock": (
        "Excel 锁定文件（该工作簿正在 Excel 中打开），已跳过。",
        "An Excel lock file (the workbook is open in Excel); skipped.",
    ),
    "hidden": ("隐藏文件，已跳过。", "A hidden file; skipped."),
    "hidden_folder": (
        "隐藏文件夹，其中的文件未读取。",
        "A hidden folder; the files in it were not read.",
    ),
    "special": (
        "不是普通文件（管道、套接字或设备），已跳过。",
        "Not a regular file (a pipe, socket or device); skipped.",
    ),
    "broken_link": (
        "链接指向的文件不存在，已跳过。",
        "A link to something that does not exist; skipped.",
    ),
    "folder_link": (
        "指向文件夹的链接（不跟随），已跳过。",
        "A link to a folder (links to folders are not followed); skipped.",
    ),
    "not_spreadsheet": ("不是 Excel 或 CSV 文件，已跳过。", "Not an Excel or CSV file; skipped."),
    Written.SUMMARY: (
        "这是 salesxl 生成的汇总工作簿，不是表单，已跳过。",
        "A summary workbook written by salesxl, not a form; skipped.",
    ),
    Written.MANAGER: (
        "这是 salesxl 生成的汇总管理工作簿，不是表单，已跳过。",
        "The manager workbook written by salesxl, not a form; skipped.",
    ),
    Written.SCORECARD: (
        "这是 salesxl 生成的个人战报，不是表单，已跳过。",
        "A scorecard written by salesxl, not a form; skipped.",
    ),
    Written.RETURN_LIST: (
        "这是 salesxl 生成的退回清单，不是表单，已跳过。",
        "A return list written by salesxl, not a form; skipped.",
    ),
}


def _note(path: Path | str, why: str, detail: str = "") -> Issue:
    zh, en = _WHY[why]
    if detail:
        zh, en = f"{zh}（{detail}）", f"{en} ({detail})"
    code = Code.UNKNOWN_FORM if why == "not_spreadsheet" else Code.SKIPPED
    return make_issue(code, str(path), zh, en, severity=Severity.INFO)


def _folder_unreadable(path: Path, exc: OSError) -> Issue:
    reason = exc.strerror or type(exc).__name__
    return make_issue(
        Code.SKIPPED,
        str(path),
        f"无法读取此文件夹（{reason}），其中的文件未读取。请检查权限。",
        f"This folder cannot be read ({reason}); the files in it were not read. "
        "Check its permissions.",
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


def collect_files(paths: Iterable[Path]) -> tuple[list[Path], list[Issue]]:
    """Spreadsheet files under `paths` (folders recursively, in sorted order), and an info
    issue for every path left out.

    Raises FileNotFoundError for a path that does not exist (a usage error).
    """
    files: list[Path] = []
    notes: list[Issue] = []
    seen: set[Path] = set()

    def add(path: Path, notes: list[Issue]) -> None:
        kind = written_by(path) if path.suffix.lower() in (".xlsx", ".xlsm") else None
        if kind is not None and kind not in INPUTS:
            notes.append(_note(path, kind))
            return
        key = path.resolve()
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
