"""From paths to validated forms: find the files, read each, never stop on a bad one.

`load_forms` is the one entry point every command reads through (validate,
consolidate, import, the Excel button): it reads the files `collect_files`
found, in parallel on all cores when there are many, and turns any failure
of one file into issues on that file — a file that kills its reading
process, or takes too long, included (`salesxl.intake.pool`).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Callable, Generator, Sequence
from pathlib import Path

from salesxl.core.issues import Code, Issue, make_issue, message
from salesxl.core.perf import paused_gc
from salesxl.forms import FORMS
from salesxl.intake.collect import collect_files
from salesxl.intake.pool import Stopped, read_isolated
from salesxl.read.diagnose import refuse
from salesxl.read.locate import locate
from salesxl.read.workbook import ReadError, open_book
from salesxl.validate import FormData, ValidationContext, check_layout

__all__ = [
    "collect_files",
    "default_workers",
    "issues_only",
    "load_form",
    "load_forms",
    "not_this_form",
    "saved_early",
    "stream_forms",
]

# Below this many files a process pool costs more than it saves ...
PARALLEL_THRESHOLD = 16
# ... unless they are this large together: two ERP exports of 170,000 rows (12 MB each)
# take 2.5 s each to read, a reading process starts in a few milliseconds.
PARALLEL_BYTES = 4 * 2**20


def load_form(path: Path, ctx: ValidationContext | None = None) -> FormData:
    """Read and validate one file; every problem becomes an issue, nothing raises."""
    ctx = ctx or ValidationContext()
    name = str(path)
    try:
        mtime: float | None = path.stat().st_mtime
    except OSError:
        mtime = None
    try:
        book = open_book(path, ctx.limits, encoding=ctx.encoding)
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
    except MemoryError:
        return FormData(name, None, mtime=mtime, issues=[_out_of_memory(name)])
    except Exception as exc:  # a guard that did not foresee this file: still one issue
        return FormData(name, None, mtime=mtime, issues=[_reading_failed(name, exc)])
    try:
        layout = locate(
            book,
            mapping=ctx.column_map,
            remembered=ctx.remembered_maps,
            forget=ctx.forget_maps,
        )
        if layout is None:
            refusal = refuse(book, name, expect=ctx.expect, mapping=ctx.column_map)
            return FormData(name, None, mtime=mtime, issues=[*book.notes, refusal])
        data = check_layout(book, layout, ctx, name)
        data.issues[:0] = book.notes
        data.mtime, data.saved = mtime, book.saved_at() if ctx.saved_times else None
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
    except MemoryError:
        return FormData(name, None, mtime=mtime, issues=[_out_of_memory(name)])
    except Exception as exc:  # one bad file never stops the others
        return FormData(name, None, mtime=mtime, issues=[_reading_failed(name, exc)])
    finally:
        book.close()


SAVED_EARLY = dt.timedelta(days=3)  # a weekend of e-mail is not "far earlier"


def not_this_form(data: FormData) -> tuple[str, str]:
    """What a file given where another form is wanted is instead, in Chinese and English:
    the form it is (`它是「日报」Daily report 表单`), or, when it is no form at all, the
    reader's reason (not a workbook, no table it knows) — never a warning about its cells."""
    form = FORMS.get(data.form_id or "")
    if form is not None:
        return f"它是「{form.zh}」表单", f"it is a {form.en} form ({form.zh})"
    first = next((i for i in data.issues if i.is_error), None)
    if first is not None:
        return first.message_zh, first.message_en
    return "无法识别它是哪种表单", "it is no form salesxl knows"


def saved_early(data: FormData, newest_day: dt.date | None = None) -> Issue | None:
    """A rep's file judged by the save time inside it, when that is far earlier than when the
    file arrived here (its own time).

    Lateness of a file from a folder is judged by the earlier of the two
    (`FormData.file_time`: e-mail resets the file's own time), so a back-dated
    inside time would make a late report look on time: such a file is marked,
    and the manager can run with the inside times ignored.  The store's
    first-seen time is the one to trust.
    """
    form = data.form
    if form is None or form.rep_field is None or data.saved is None or data.mtime is None:
        return None
    if data.file_time(newest_day) != data.saved:  # not what the file is judged by
        return None
    saved, arrived = dt.datetime.fromtimestamp(data.saved), dt.datetime.fromtimestamp(data.mtime)
    if arrived - saved <= SAVED_EARLY:
        return None
    days = (arrived - saved).days
    shown = f"{saved:%Y-%m-%d %H:%M}"
    return make_issue(
        Code.SAVED_EARLY,
        data.path,
        *message(Code.SAVED_EARLY, saved=shown, arrived=f"{arrived:%Y-%m-%d %H:%M}", days=days),
        value=shown,
    )


def _out_of_memory(name: str) -> Issue:
    return make_issue(Code.TOO_LARGE, name, *message(Code.TOO_LARGE, "out_of_memory"))


def _stopped(path: Path, stopped: Stopped, *, seconds: float) -> FormData:
    """The file whose reading process died or ran out of time: an issue on it alone."""
    name = str(path)
    if stopped.timed_out:
        issue = make_issue(
            Code.TOO_LARGE, name, *message(Code.TOO_LARGE, "time_limit", seconds=seconds)
        )
    else:
        code = Code.TOO_LARGE if stopped.out_of_memory else Code.UNREADABLE
        issue = make_issue(code, name, *message(code, "stopped", cause=stopped.cause))
    try:
        mtime: float | None = path.stat().st_mtime
    except OSError:
        mtime = None
    return FormData(name, None, mtime=mtime, issues=[issue])


def _reading_failed(name: str, exc: Exception) -> Issue:
    return make_issue(
        Code.UNREADABLE, name, *message(Code.UNREADABLE, error=f"{type(exc).__name__}: {exc}")
    )


Prepare = Callable[[FormData], FormData]


def issues_only(data: FormData) -> FormData:
    """A `prepare` step for callers that only want the issues (validate): rows stay behind."""
    for table in data.tables.values():
        table.records = []
    return data


def _load_one(path: Path, ctx: ValidationContext, prepare: Prepare | None) -> FormData:
    data = load_form(path, ctx)
    return prepare(data) if prepare is not None else data


def default_workers(n_files: int, total_bytes: int = 0) -> int:
    """Reading processes for `n_files` files of `total_bytes` bytes (0: not known)."""
    if n_files < 2 or (n_files < PARALLEL_THRESHOLD and total_bytes < PARALLEL_BYTES):
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
    with paused_gc():
        return list(stream_forms(files, ctx, workers=workers, progress=progress, prepare=prepare))


def stream_forms(
    files: Sequence[Path],
    ctx: ValidationContext | None = None,
    *,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
    prepare: Prepare | None = None,
    nice: int = 0,
) -> Generator[FormData, None, None]:
    """`load_forms` one form at a time: each in input order as soon as it and every file
    before it are read, by reading processes that stay up until the last file (an import
    of 60,000 reports writes them as they come, without new processes for each batch).

    Closing the iterator early stops the reading processes.  `progress(1)` is called
    for each file read, in the order they finish.  `nice`: the reading processes run so
    many steps below this one's priority (an import's writing comes first).
    """
    ctx = ctx or ValidationContext()
    workers = default_workers(len(files)) if workers is None else workers
    if workers <= 1:
        for path in files:
            data = _load_one(path, ctx, prepare)
            if progress:
                progress(1)
            yield data
        return
    read = functools.partial(_load_one, ctx=ctx, prepare=prepare)
    early: dict[int, FormData] = {}  # read before a file ahead of it in the input
    following = 0
    reading = read_isolated(
        read,
        files,
        workers=workers,
        time_limit=ctx.limits.max_read_seconds,
        on_stop=functools.partial(_stopped, seconds=ctx.limits.max_read_seconds),
        nice=nice,
    )
    try:
        for index, data in reading:
            early[index] = data
            if progress:
                progress(1)
            while following in early:
                yield early.pop(following)
                following += 1
    finally:
        reading.close()  # closed early: its processes end now, not when it is collected
