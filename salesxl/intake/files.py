"""From paths to validated forms: find the files, read each, never stop on a bad one.

`load_forms` is the one entry point every command reads through (validate,
consolidate, import, the Excel button): it walks folders, skips lock and
hidden files, reads files in parallel on all cores when there are many, and
turns any failure of one file into issues on that file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from salesxl.core.issues import Code, Issue, Severity, make_issue, message
from salesxl.core.perf import paused_gc
from salesxl.read.locate import locate
from salesxl.read.workbook import SPREADSHEET_SUFFIXES, ReadError, open_book
from salesxl.validate import FormData, ValidationContext, check_layout

__all__ = ["collect_files", "issues_only", "load_form", "load_forms"]

# Below this many files a process pool costs more than it saves.
PARALLEL_THRESHOLD = 16
CHUNK = 8


def _skipped_name(path: Path) -> bool:
    """Excel lock files `~$*.xlsx` and hidden files are not forms."""
    name = path.name
    if name.startswith(("~$", ".")):
        return True
    attributes = getattr(path.stat(), "st_file_attributes", 0)
    return bool(attributes & 0x2)  # FILE_ATTRIBUTE_HIDDEN on Windows


def collect_files(paths: Iterable[Path]) -> tuple[list[Path], list[Issue]]:
    """Spreadsheet files under `paths` (folders recursively, in sorted order).

    Raises FileNotFoundError for a path that does not exist (a usage error).
    Non-spreadsheet files inside folders are skipped and listed as info.
    """
    files: list[Path] = []
    notes: list[Issue] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        key = path.resolve()
        if key not in seen:  # a file given twice, or a file and its folder, is read once
            seen.add(key)
            files.append(path)

    for path in paths:
        if not path.exists():
            raise FileNotFoundError(f"{path}: no such file or folder")
        if path.is_file():
            if not _skipped_name(path):
                add(path)
            continue
        for child in sorted(path.rglob("*")):
            relative = child.relative_to(path).parts
            if any(part.startswith((".", "~$")) for part in relative) or not child.is_file():
                continue
            if _skipped_name(child):
                continue
            if child.suffix.lower() in SPREADSHEET_SUFFIXES:
                add(child)
            else:
                notes.append(
                    make_issue(
                        Code.UNKNOWN_FORM,
                        str(child),
                        *message(Code.UNKNOWN_FORM, "not_spreadsheet"),
                        severity=Severity.INFO,
                    )
                )
    return files, notes


def load_form(path: Path, ctx: ValidationContext | None = None) -> FormData:
    """Read and validate one file; every problem becomes an issue, nothing raises."""
    ctx = ctx or ValidationContext()
    name = str(path)
    try:
        mtime: float | None = path.stat().st_mtime
    except OSError:
        mtime = None
    try:
        book = open_book(path, ctx.limits)
    except ReadError as failure:
        return FormData(
            name,
            None,
            mtime=mtime,
            issues=[
                make_issue(
                    failure.code, name, failure.message_zh, failure.message_en, sheet=failure.sheet
                )
            ],
        )
    except Exception as exc:  # a guard that did not foresee this file: still one issue
        return FormData(name, None, mtime=mtime, issues=[_reading_failed(name, exc)])
    try:
        layout = locate(book)
        if layout is None:
            return FormData(name, None, mtime=mtime, issues=[_unknown_form(name, book.sheet_names)])
        data = check_layout(book, layout, ctx, name)
        data.mtime, data.saved = mtime, book.saved_at()
        return data
    except ReadError as failure:
        return FormData(
            name,
            None,
            mtime=mtime,
            issues=[
                make_issue(
                    failure.code, name, failure.message_zh, failure.message_en, sheet=failure.sheet
                )
            ],
        )
    except Exception as exc:  # one bad file never stops the others
        return FormData(name, None, mtime=mtime, issues=[_reading_failed(name, exc)])
    finally:
        book.close()


def _reading_failed(name: str, exc: Exception) -> Issue:
    return make_issue(
        Code.UNREADABLE, name, *message(Code.UNREADABLE, error=f"{type(exc).__name__}: {exc}")
    )


def _unknown_form(name: str, sheets: Sequence[str]) -> Issue:
    return make_issue(
        Code.UNKNOWN_FORM,
        name,
        *message(
            Code.UNKNOWN_FORM, sheets_zh="、".join(sheets[:6]), sheets_en=", ".join(sheets[:6])
        ),
    )


Prepare = Callable[[FormData], FormData]


def issues_only(data: FormData) -> FormData:
    """A `prepare` step for callers that only want the issues (validate): rows stay behind."""
    for table in data.tables.values():
        table.records = []
    return data


def _load_one(args: tuple[Path, ValidationContext, Prepare | None]) -> FormData:
    path, ctx, prepare = args
    data = load_form(path, ctx)
    return prepare(data) if prepare is not None else data


def default_workers(n_files: int) -> int:
    if n_files < PARALLEL_THRESHOLD:
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def load_forms(
    files: Sequence[Path],
    ctx: ValidationContext | None = None,
    *,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
    prepare: Prepare | None = None,
) -> list[FormData]:
    """Read and validate many files, in input order, on several processes when it pays.

    `prepare` (picklable) runs on each result in the worker that read it —
    consolidation uses it to boil rows down before they cross processes.
    """
    ctx = ctx or ValidationContext()
    workers = default_workers(len(files)) if workers is None else workers
    results: list[FormData] = []
    if workers <= 1:
        with paused_gc():
            for path in files:
                results.append(_load_one((path, ctx, prepare)))
                if progress:
                    progress(1)
        return results
    chunksize = max(1, min(CHUNK, len(files) // (workers * 8)))
    with paused_gc(), ProcessPoolExecutor(max_workers=workers) as pool:
        for data in pool.map(_load_one, ((p, ctx, prepare) for p in files), chunksize=chunksize):
            results.append(data)
            if progress:
                progress(1)
    return results
