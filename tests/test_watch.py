"""`salesxl watch`: files dropped into a folder, watched by a real process that stops by itself.

The process runs with --settle 1 (a file must stay unchanged for a second) and
--refresh 1; every wait is bounded and --max-runtime ends it should the test
not.  Files: a good daily report, the same copied in slowly, one held open (a
lock file beside it), one with an error (its return copy), and a damaged one —
each gets exactly one log line, and the watch carries on to the end; with a
store, each file is imported as it arrives.  The summary's pace (at most one
per --refresh) is checked on the `Watcher` with a clock the test holds.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from salesxl.core.calendar import Workdays
from salesxl.core.periods import Month
from salesxl.store import import_files
from salesxl.store.schema import submissions
from salesxl.watch import Arrivals, Watcher, WatchOptions, auto_period, lock_files, watch_folder
from tests.store_fixtures import contact, daily_file, query, rep, roster_file

SALESXL = shutil.which("salesxl", path=str(Path(sys.executable).parent)) or "salesxl"


def wait_for(check: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"waited {seconds} s for {what}")


def in_process(folder: Path, **changes: Any) -> WatchOptions:
    """The in-process tests' options: November as of the 5th, a minute's refresh."""
    base = WatchOptions(
        inbox=folder / "inbox",
        output=folder / "summary.xlsx",
        period=Month(2026, 11),
        as_of=dt.date(2026, 11, 5),
        refresh=60,
        settle=1,
    )
    return replace(base, **changes)


@pytest.mark.parametrize(
    ("today", "month"),
    [
        (dt.date(2026, 12, 3), Month(2026, 12)),  # Thursday: Wednesday's report
        (dt.date(2026, 12, 1), Month(2026, 11)),  # Tuesday the 1st: Monday Nov 30's
        (dt.date(2026, 10, 8), Month(2026, 9)),  # after National Day: Wednesday Sept 30's
        (dt.date(2026, 11, 2), Month(2026, 10)),  # Monday: Friday Oct 30's
    ],
)
def test_auto_period_is_the_month_of_the_report_due_this_morning(today, month):
    assert auto_period(today, Workdays()) == month


def test_a_file_is_ready_once_it_has_stopped_changing_and_is_not_open(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"PK partial")
    arrivals = Arrivals(settle=2, hold=60)
    arrivals.touch([path], now=0)
    assert arrivals.ready(now=1) == []  # not yet 2 s
    path.write_bytes(b"PK partial, more")  # still arriving
    os.utime(path, ns=(10**9, 10**9))
    assert arrivals.ready(now=2.5) == []  # it changed: the clock starts again at 2.5
    assert arrivals.ready(now=4) == []
    lock = lock_files(path)[0]
    lock.write_bytes(b"")  # opened in Excel
    assert arrivals.ready(now=5) == []
    lock.unlink()
    assert arrivals.ready(now=5) == [path]
    arrivals.touch([path], now=6)  # an event with nothing changed: not handed out again
    assert arrivals.ready(now=10) == [] and arrivals.waiting == 0


def test_a_file_held_open_too_long_is_read_as_saved(tmp_path):
    path = tmp_path / "b.xlsx"
    path.write_bytes(b"PK")
    lock_files(path)[2].write_bytes(b"")  # LibreOffice's .~lock.b.xlsx#
    arrivals = Arrivals(settle=1, hold=30)
    arrivals.touch([path], now=0)
    assert arrivals.ready(now=29) == []
    assert arrivals.ready(now=31) == [path]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    roster_file(tmp_path / "roster.xlsx", [rep("S001", name="张三"), rep("S002", name="李四")])
    source = tmp_path / "source"
    daily_file(source, "S001", [contact(d, "甲公司") for d in (2, 3, 4)], name="good.xlsx")
    daily_file(
        source,
        "S002",
        [contact(3, "乙公司", stage="7", qty=1, price=1.0, amount=9.0)],  # amount ≠ qty × price
        name="bad.xlsx",
    )
    (tmp_path / "inbox").mkdir()
    return tmp_path


class Watch:
    """A `salesxl watch` process and its log."""

    def __init__(self, process: subprocess.Popen[bytes], log: Path, errors: Path) -> None:
        self.process, self.log, self.errors = process, log, errors

    def lines(self) -> list[str]:
        return self.log.read_text(encoding="utf-8").splitlines() if self.log.exists() else []

    def about(self, name: str) -> list[str]:
        return [line for line in self.lines() if f" {name}" in line]

    def stop(self, signum: int) -> None:
        self.process.send_signal(signum)
        code = self.process.wait(timeout=60)
        assert code == 0, self.errors.read_text(encoding="utf-8", errors="replace")

    def summarised_after(self, name: str) -> bool:
        every = self.lines()
        last = max((i for i, line in enumerate(every) if f" {name}" in line), default=None)
        return last is not None and any(" summary " in line for line in every[last:])


@contextmanager
def watching(folder: Path, *options: str) -> Iterator[Watch]:
    out = folder / "out"
    out.mkdir(exist_ok=True)
    log, errors = out / "log.txt", out / "stderr.txt"
    command = [
        SALESXL,
        "watch",
        str(folder / "inbox"),
        "-o",
        str(out / "summary.xlsx"),
        "--as-of",
        "2026-11-05",
        "--period",
        "2026-11",
        "--refresh",
        "1",
        "--settle",
        "1",
        "--max-runtime",
        "300",  # a safety net: the test stops it long before
        "--log",
        str(log),
        *options,
    ]
    with errors.open("wb") as sink:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=sink)
        try:
            watch = Watch(process, log, errors)
            wait_for(lambda: any("watching" in line for line in watch.lines()), 120, "the start")
            yield watch
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=60)


def test_the_watch_handles_each_arrival_once_and_stops_cleanly(folder: Path):
    inbox, out, source = folder / "inbox", folder / "out", folder / "source"
    returns = ["--returns", str(out / "returns"), "--roster", str(folder / "roster.xlsx")]
    with watching(folder, *returns) as watch:
        # A good file, dropped in.
        started = time.monotonic()
        shutil.copy(source / "good.xlsx", inbox / "good.xlsx")
        wait_for(lambda: watch.about("good.xlsx"), 60, "good.xlsx")
        reacted = time.monotonic() - started
        assert " ok " in watch.about("good.xlsx")[0]
        # The same bytes copied in slowly: read once, whole (not as a damaged half file).
        data = (source / "good.xlsx").read_bytes()
        with (inbox / "slow.xlsx").open("wb") as f:
            for i in range(0, len(data), len(data) // 5 + 1):
                f.write(data[i : i + len(data) // 5 + 1])
                f.flush()
                time.sleep(0.4)
        wait_for(lambda: watch.about("slow.xlsx"), 60, "slow.xlsx")
        # Held open: a lock file beside it; read only once the lock has gone.
        (inbox / "~$held.xlsx").write_bytes(b"owner")
        shutil.copy(source / "good.xlsx", inbox / "held.xlsx")
        time.sleep(4)  # four times the settle time
        assert watch.about("held.xlsx") == []
        (inbox / "~$held.xlsx").unlink()
        wait_for(lambda: watch.about("held.xlsx"), 60, "held.xlsx")
        # A file with an error: its return copy; a damaged file: a line, and the watch goes on.
        shutil.copy(source / "bad.xlsx", inbox / "bad.xlsx")
        (inbox / "damaged.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
        wait_for(
            lambda: watch.about("bad.xlsx") and watch.about("damaged.xlsx"), 60, "bad, damaged"
        )
        wait_for(lambda: watch.summarised_after("damaged.xlsx"), 60, "the last summary")
        watch.stop(signal.SIGTERM)
    every = watch.lines()
    for name in ("good.xlsx", "slow.xlsx", "held.xlsx", "bad.xlsx", "damaged.xlsx"):
        assert len(watch.about(name)) == 1, (name, every)
    assert [line for line in every if "~$held" in line] == []  # the lock file is not a form
    assert " ok " in watch.about("slow.xlsx")[0] and " ok " in watch.about("held.xlsx")[0]
    bad = watch.about("bad.xlsx")[0]
    assert " errors " in bad and "1 error" in bad and "returned:" in bad
    (copy,) = (out / "returns").rglob("bad_退回_*.xlsx")
    assert copy.name == "bad_退回_2026-11-05.xlsx"  # dated the watch's day (--as-of)
    assert " unreadable " in watch.about("damaged.xlsx")[0]
    assert "stopped" in every[-1] and "5 files handled" in every[-1]
    assert (out / "summary.xlsx").exists()
    # The reaction to a dropped file, on this machine (not asserted: shared CI machines vary;
    # benchmarks/bench_watch.py measures it).
    print(f"\nwatch reacted to a dropped file in {reacted:.1f} s")


def test_with_a_store_each_file_is_imported_as_it_arrives_and_ctrl_c_stops_it(folder: Path):
    inbox, source = folder / "inbox", folder / "source"
    db = f"sqlite:///{folder / 'store.db'}"
    import_files("roster", [folder / "roster.xlsx"], db=db)
    with watching(folder, "--db", db) as watch:
        shutil.copy(source / "good.xlsx", inbox / "good.xlsx")
        shutil.copy(source / "bad.xlsx", inbox / "bad.xlsx")
        wait_for(lambda: watch.about("good.xlsx") and watch.about("bad.xlsx"), 60, "both")
        wait_for(lambda: watch.summarised_after("bad.xlsx"), 60, "the summary from the store")
        # Saved again with the same bytes: an event, nothing new, no second line.
        os.utime(inbox / "good.xlsx")
        shutil.copy(source / "good.xlsx", inbox / "good.xlsx")
        time.sleep(3)
        watch.stop(signal.SIGINT)  # Ctrl-C
    assert "imported into the store" in watch.about("good.xlsx")[0]
    assert "refused by the store" in watch.about("bad.xlsx")[0]
    reports = select(submissions.c.rep_id, submissions.c.version, submissions.c.rows)
    stored = query(db, reports.where(submissions.c.kind == "reports"))
    # S001: one version with three contacts (the same bytes again made none); the refused
    # file is in the store's log, not among the reports.
    assert stored == [("S001", 1, 3)]
    summary = [line for line in watch.lines() if " summary " in line][-1]
    # Two reps in the roster; S001's report is in the store with its three contacts.
    assert "2 reps" in summary, summary
    assert "stopped" in watch.lines()[-1]


def test_the_summary_is_written_at_most_once_per_refresh(folder: Path):
    inbox, source = folder / "inbox", folder / "source"
    shutil.copy(source / "good.xlsx", inbox / "good.xlsx")
    lines: list[str] = []
    options = in_process(folder, roster=folder / "roster.xlsx")
    watcher = Watcher(options, lines.append)

    def summaries() -> int:
        return sum(" summary " in line for line in lines)

    watcher.scan(now=0)  # a file already there counts as settled since now - settle
    watcher.tick(now=0)
    assert summaries() == 1 and watcher.handled == 1
    shutil.copy(source / "bad.xlsx", inbox / "bad.xlsx")
    watcher.arrivals.touch([inbox / "bad.xlsx"], now=10)
    watcher.tick(now=11)  # bad.xlsx handled, the summary 11 s old: not yet
    assert watcher.handled == 2 and summaries() == 1
    watcher.tick(now=59.9)
    assert summaries() == 1
    watcher.tick(now=60)  # a minute after the last one
    assert summaries() == 2
    watcher.tick(now=200)  # nothing new arrived: nothing to write
    assert summaries() == 2


def test_a_summary_open_in_excel_is_a_log_line_and_written_at_the_next_turn(folder: Path):
    inbox, source = folder / "inbox", folder / "source"
    shutil.copy(source / "good.xlsx", inbox / "good.xlsx")
    lock = folder / "~$summary.xlsx"
    lock.write_bytes(b"manager")  # the manager has the summary open in Excel
    lines: list[str] = []
    options = in_process(folder)
    watcher = Watcher(options, lines.append)
    watcher.scan(now=0)
    watcher.tick(now=0)
    (refused,) = [line for line in lines if " summary " in line]
    assert "not written" in refused and "open in Excel" in refused
    assert not (folder / "summary.xlsx").exists() and watcher.stale
    lock.unlink()
    watcher.tick(now=30)  # not before the next turn
    assert not (folder / "summary.xlsx").exists()
    watcher.tick(now=60)
    assert (folder / "summary.xlsx").exists() and not watcher.stale


def test_a_file_arriving_while_the_summary_is_written_is_handled_at_once(folder: Path):
    inbox, source = folder / "inbox", folder / "source"
    shutil.copy(source / "good.xlsx", inbox / "good.xlsx")
    lines: list[str] = []
    options = in_process(folder)
    watcher = Watcher(options, lines.append, background=True)
    release = threading.Event()
    consolidate = watcher._consolidate

    def slow(*args):  # a big inbox: the summary takes a while
        assert release.wait(60)
        return consolidate(*args)

    watcher._consolidate = slow  # type: ignore[method-assign]
    watcher.scan(now=0)
    watcher.tick(now=0)  # good.xlsx handled; its summary begins, in the background
    shutil.copy(source / "bad.xlsx", inbox / "bad.xlsx")
    watcher.arrivals.touch([inbox / "bad.xlsx"], now=10)
    watcher.tick(now=11)
    assert [line.split()[3] for line in lines] == ["good.xlsx", "bad.xlsx"]  # no summary yet
    release.set()
    watcher.finish()
    assert " summary " in lines[-1] and "not written" not in lines[-1]
    assert watcher.stale  # bad.xlsx came after that summary began: the next one has it
    watcher.tick(now=60)
    watcher.finish()
    assert sum(" summary " in line for line in lines) == 2 and not watcher.stale


def test_a_file_arriving_just_after_the_first_read_of_the_folder_is_heard(
    folder: Path, monkeypatch: pytest.MonkeyPatch
):
    """The folder is listened to before it is read: a file landing in between (here, right
    after the first scan) is handled, not left waiting for an event that never came."""
    inbox, source = folder / "inbox", folder / "source"
    scan = Watcher.scan

    def scan_then_a_file_lands(self: Watcher, now: float) -> int:
        found = scan(self, now)
        shutil.copy(source / "good.xlsx", inbox / "good.xlsx")
        return found

    monkeypatch.setattr(Watcher, "scan", scan_then_a_file_lands)
    lines: list[str] = []
    options = in_process(folder, roster=folder / "roster.xlsx", refresh=1, settle=0.5)
    stop = threading.Event()
    runner = threading.Thread(
        target=lambda: watch_folder(options, log=lines.append, stop=stop, max_runtime=120)
    )
    runner.start()
    try:
        wait_for(lambda: any(" good.xlsx" in line for line in lines), 60, "good.xlsx")
    finally:
        stop.set()
        runner.join(timeout=60)
    handled = [line for line in lines if " good.xlsx" in line]
    assert len(handled) == 1 and " ok " in handled[0], handled


def test_what_a_round_froze_is_given_back_to_the_collector_at_the_next(folder: Path):
    import gc

    inbox, source = folder / "inbox", folder / "source"
    shutil.copy(source / "good.xlsx", inbox / "good.xlsx")
    watcher = Watcher(in_process(folder, roster=folder / "roster.xlsx"), lambda line: None)
    gc.unfreeze()
    try:
        watcher.scan(now=0)
        watcher.tick(now=0)  # reads, consolidates and writes: each phase freezes what it kept
        assert gc.get_freeze_count() > 0
        watcher.tick(now=1)  # a round with nothing to do gives them back
        assert gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()
