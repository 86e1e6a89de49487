"""`salesxl watch`: files dropped into a folder, watched by a real process that stops by itself.

The process runs with --settle 1 (a file must stay unchanged for a second) and
--refresh 1; every wait is bounded and --max-runtime ends it should the test
not.  Files: a good daily report, the same copied in slowly, one held open (a
lock file beside it), one with an error (its return copy), and a damaged one —
each gets exactly one log line, and the watch carries on to the end; with a
store, each file is imported as it arrives.  The summary's pace (at most one
per --refresh) is checked on the `Watcher` with a clock the test holds, and so are the
return copies a file handed in again takes back (its copy, the day's lists).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
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

import openpyxl
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


def test_return_copies_inside_the_inbox_are_refused_before_watching(folder: Path):
    # Copies written into the inbox would come back as rep forms: in this very watch's
    # summary (every error counted twice) and in the next `consolidate`.  `salesxl return`
    # refuses such a folder; so does the watch, naming its own option.
    from click.testing import CliRunner

    from salesxl.cli import main
    from salesxl.write.output import OutputError

    inbox = folder / "inbox"
    shutil.copy(folder / "source" / "bad.xlsx", inbox / "bad.xlsx")
    with pytest.raises(OutputError, match="is inside the inbox"):
        watch_folder(in_process(folder, returns=inbox / "returns"), log=print, once=True)
    returns = ["--returns", str(inbox / "returns")]
    result = CliRunner().invoke(
        main, ["watch", str(inbox), "--once", *returns, "-o", str(folder / "summary.xlsx")]
    )
    assert result.exit_code == 1, result.output
    assert "Hint: choose a folder outside the inbox (--returns)" in result.output
    assert not (inbox / "returns").exists() and not (folder / "summary.xlsx").exists()


def test_once_exits_1_when_files_could_not_be_handled(folder: Path):
    # A scheduler runs `watch --once` and reads its exit code: a store that cannot be used
    # (here: its folder does not exist) fails every file and the summary -- not a success.
    from click.testing import CliRunner

    from salesxl.cli import main

    inbox = folder / "inbox"
    shutil.copy(folder / "source" / "good.xlsx", inbox / "good.xlsx")
    args = ["watch", str(inbox), "--once", "-o", str(folder / "summary.xlsx")]
    args += ["--as-of", "2026-11-05", "--period", "2026-11"]
    result = CliRunner().invoke(main, [*args, "--db", str(folder / "no" / "x.db")])
    assert result.exit_code == 1, result.output
    assert " failed     good.xlsx  cannot create the database" in result.output
    assert "2 failed (the lines marked failed or not written say why)" in result.output
    fine = CliRunner().invoke(main, args)
    assert fine.exit_code == 0 and " ok         good.xlsx" in fine.output, fine.output


def test_a_file_waited_for_because_it_is_open_is_said_once(folder: Path):
    # A report open in Excel when a scheduled `watch --once` runs: the run waits for it (up to
    # --hold), and the log says so at once rather than staying silent all that time.
    inbox = folder / "inbox"
    shutil.copy(folder / "source" / "good.xlsx", inbox / "S001_张三_日报_2026-11.xlsx")
    (inbox / "~$01_张三_日报_2026-11.xlsx").write_bytes(b"owner")  # a long name's lock file
    lines: list[str] = []
    watch_folder(in_process(folder, hold=3), log=lines.append, once=True)
    said = [line.split("  ", 1)[1] for line in lines]
    assert said[1] == (
        "open       S001_张三_日报_2026-11.xlsx  open in a spreadsheet app "
        "(~$01_张三_日报_2026-11.xlsx beside it): read once it is closed, or as saved in 3 s"
    )
    # the hold waited out, it is read as saved
    assert said[2].startswith("ok         S001_张三_日报_2026-11.xlsx  daily_report S001")
    assert sum(" open " in line for line in lines) == 1


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
        assert [" open " in line for line in watch.about("held.xlsx")] == [True]  # not read
        (inbox / "~$held.xlsx").unlink()
        wait_for(lambda: len(watch.about("held.xlsx")) == 2, 60, "held.xlsx")
        # A file with an error: its return copy; a damaged file: a line, and the watch goes on.
        shutil.copy(source / "bad.xlsx", inbox / "bad.xlsx")
        (inbox / "damaged.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
        wait_for(
            lambda: watch.about("bad.xlsx") and watch.about("damaged.xlsx"), 60, "bad, damaged"
        )
        wait_for(lambda: watch.summarised_after("damaged.xlsx"), 60, "the last summary")
        watch.stop(signal.SIGTERM)
    every = watch.lines()
    for name in ("good.xlsx", "slow.xlsx", "bad.xlsx", "damaged.xlsx"):
        assert len(watch.about(name)) == 1, (name, every)
    # held.xlsx: said to be open once, then read once; its lock file is no form of its own
    assert [line for line in every if "~$held" in line] == [watch.about("held.xlsx")[0]]
    assert " ok " in watch.about("slow.xlsx")[0] and " ok " in watch.about("held.xlsx")[1]
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


# -- return copies taken back when a file comes in again ------------------------------------
# 李四 (一组) and 王五 (二组) of 华东 hand in November daily reports, each with one error: a
# contact of 1 unit at ¥1.00 with an amount of ¥9.00.  Each fixes the amount to ¥1.00 later.

NOV_5 = "2026-11-05"


def _returning(tmp_path: Path, as_of: dt.date = dt.date(2026, 11, 5)) -> Watcher:
    roster = tmp_path / "roster.xlsx"
    if not roster.exists():
        roster_file(
            roster,
            [
                rep("S001", name="张三"),
                rep("S002", name="李四"),
                rep("S003", name="王五", team="二组"),
            ],
        )
    (tmp_path / "inbox").mkdir(exist_ok=True)
    options = in_process(tmp_path, returns=tmp_path / "returns", roster=roster, as_of=as_of)
    return Watcher(options, lambda line: None)


def _hand_in(tmp_path: Path, rep_id: str, name: str, amount: float) -> Path:
    row = contact(3, "乙公司", stage="7", qty=1, price=1.0, amount=amount)
    return daily_file(tmp_path / "inbox", rep_id, [row], name=name)


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def _recorded(folder: Path) -> set[str]:
    return set(json.loads((folder / "salesxl-returns.json").read_text("utf-8"))["files"])


LI_COPY = f"华东/一组/李四_退回_{NOV_5}.xlsx"
WANG_COPY = f"华东/二组/王五_退回_{NOV_5}.xlsx"
ALL_LIST = f"退回清单_{NOV_5}.xlsx"
ONE_LIST = f"华东/一组/退回清单_一组_{NOV_5}.xlsx"
TWO_LIST = f"华东/二组/退回清单_二组_{NOV_5}.xlsx"


def test_a_file_come_in_fixed_takes_back_its_return_copy_and_the_list_follows(tmp_path: Path):
    watcher, returns = _returning(tmp_path), tmp_path / "returns"
    li = _hand_in(tmp_path, "S002", "李四.xlsx", amount=9.0)
    wang = _hand_in(tmp_path, "S003", "王五.xlsx", amount=9.0)
    assert "returned: " + str(returns / LI_COPY) in watcher.handle(li)
    assert "returned: " + str(returns / WANG_COPY) in watcher.handle(wang)
    # Files salesxl did not write: the leader's notes beside the copies, one at the top.
    (returns / "华东" / "一组" / "组长备注.xlsx").write_bytes(b"leader's own")
    (returns / "说明.txt").write_bytes(b"read me")
    theirs = {"华东/一组/组长备注.xlsx", "说明.txt"}
    assert _files(returns) == {
        LI_COPY,
        WANG_COPY,
        ALL_LIST,
        ONE_LIST,
        TWO_LIST,
        "salesxl-returns.json",
        *theirs,
    }
    all_teams = openpyxl.load_workbook(returns / ALL_LIST).active
    assert all_teams["A2"].value.endswith("2 files go back, 2 errors in all")

    # 王五 fixes his amount: his copy and 二组's list go, the day's list keeps 李四 alone.
    _hand_in(tmp_path, "S003", "王五.xlsx", amount=1.0)
    line = watcher.handle(wang)
    assert " ok " in line
    assert f"return copy taken back: {returns / WANG_COPY}" in line
    assert f"return list taken back: {returns / TWO_LIST}" in line
    assert f"return list {returns / ALL_LIST}: 1 file left to fix today" in line
    assert _files(returns) == {LI_COPY, ALL_LIST, ONE_LIST, "salesxl-returns.json", *theirs}
    assert not (returns / "华东" / "二组").exists()  # emptied, so removed
    all_teams = openpyxl.load_workbook(returns / ALL_LIST).active
    assert all_teams["A2"].value.endswith("1 file goes back, 1 error in all")
    assert (all_teams["C5"].value, all_teams["C6"].value) == ("S002", None)
    assert _recorded(returns) == {LI_COPY, ALL_LIST, ONE_LIST}

    # 李四 too: nothing left to return today; the leader's files are as they were.
    _hand_in(tmp_path, "S002", "李四.xlsx", amount=1.0)
    line = watcher.handle(li)
    assert f"return copy taken back: {returns / LI_COPY}" in line
    assert f"return list taken back: {returns / ONE_LIST}" in line
    assert f"return list {returns / ALL_LIST}: nothing left to fix today" in line
    assert _files(returns) == {ALL_LIST, "salesxl-returns.json", *theirs}
    assert (
        openpyxl.load_workbook(returns / ALL_LIST).active["A5"].value.endswith("Nothing to return")
    )
    assert (returns / "华东" / "一组" / "组长备注.xlsx").read_bytes() == b"leader's own"
    assert (returns / "说明.txt").read_bytes() == b"read me"
    # A file that never went back leaves the returns folder alone.
    before = {p: (returns / p).read_bytes() for p in _files(returns)}
    good = daily_file(tmp_path / "inbox", "S001", [contact(3, "甲公司")], name="张三.xlsx")
    assert "return" not in watcher.handle(good).split("张三.xlsx", 1)[1]
    assert {p: (returns / p).read_bytes() for p in _files(returns)} == before


def test_a_return_copy_open_in_excel_is_kept_with_a_warning_and_taken_back_later(
    tmp_path: Path,
):
    watcher, returns = _returning(tmp_path), tmp_path / "returns"
    li = _hand_in(tmp_path, "S002", "李四.xlsx", amount=9.0)
    watcher.handle(li)
    owner = returns / "华东" / "一组" / f"~$李四_退回_{NOV_5}.xlsx"  # Excel has it open
    owner.write_bytes(b"\x05Excel")
    _hand_in(tmp_path, "S002", "李四.xlsx", amount=1.0)
    line = watcher.handle(li)
    assert " ok " in line
    assert (
        f"warning: out-of-date return copy {returns / LI_COPY} not taken back: open in Excel "
        f"(~$李四_退回_{NOV_5}.xlsx is there); close it, the watch tries again at the next file"
    ) in line
    assert (returns / LI_COPY).exists() and LI_COPY in _recorded(returns)
    # Closed: the next file to arrive (any rep's) takes it back.
    owner.unlink()
    good = daily_file(tmp_path / "inbox", "S001", [contact(3, "甲公司")], name="张三.xlsx")
    assert f"return copy taken back: {returns / LI_COPY}" in watcher.handle(good)
    assert not (returns / LI_COPY).exists() and LI_COPY not in _recorded(returns)


def test_a_return_copy_changed_since_it_was_written_is_moved_aside(tmp_path: Path):
    watcher, returns = _returning(tmp_path), tmp_path / "returns"
    li = _hand_in(tmp_path, "S002", "李四.xlsx", amount=9.0)
    watcher.handle(li)
    copy = returns / LI_COPY
    book = openpyxl.load_workbook(copy)
    book.worksheets[0]["A30"] = "组长：已电话提醒"  # the leader saved a note into it
    book.save(copy)
    noted = copy.read_bytes()
    _hand_in(tmp_path, "S002", "李四.xlsx", amount=1.0)
    aside = returns / "_过期 Outdated" / LI_COPY
    line = watcher.handle(li)
    assert f"return copy {copy} changed since it was written: moved to {aside}" in line
    assert aside.read_bytes() == noted and not copy.exists()


def test_a_leaders_notes_in_a_return_copy_survive_later_arrivals(tmp_path: Path):
    """Every arrival writes the day's copies again: never over one a leader saved notes into."""
    watcher, returns = _returning(tmp_path), tmp_path / "returns"
    li = _hand_in(tmp_path, "S002", "李四.xlsx", amount=9.0)
    watcher.handle(li)
    copy = returns / LI_COPY
    book = openpyxl.load_workbook(copy)
    book.worksheets[0]["A30"] = "组长：已电话提醒"  # the leader saved a note into it
    book.save(copy)
    noted = copy.read_bytes()
    # 王五's file arrives: nothing new about 李四's, so his noted copy is left as it is.
    wang = _hand_in(tmp_path, "S003", "王五.xlsx", amount=9.0)
    line = watcher.handle(wang)
    assert "returned: " + str(returns / WANG_COPY) in line and "moved" not in line
    assert copy.read_bytes() == noted
    assert not (returns / "_过期 Outdated").exists()
    # 李四 sends his file again, still wrong (¥8.00 now): his copy must say so, so the noted
    # one is moved aside first, and the line says where.
    _hand_in(tmp_path, "S002", "李四.xlsx", amount=8.0)
    aside = returns / "_过期 Outdated" / LI_COPY
    line = watcher.handle(li)
    assert "returned: " + str(copy) in line
    assert (
        f"return copy {copy} changed since it was written: moved to {aside} before writing it again"
    ) in line
    assert aside.read_bytes() == noted and copy.read_bytes() != noted
    assert (
        json.loads((returns / "salesxl-returns.json").read_text("utf-8"))["files"][LI_COPY][
            "sha256"
        ]
        == hashlib.sha256(copy.read_bytes()).hexdigest()
    )
    # 王五's copy, as salesxl wrote it, is written again as before: no move, no word of it.
    wang_first = (returns / WANG_COPY).read_bytes()
    _hand_in(tmp_path, "S003", "王五.xlsx", amount=8.0)
    line = watcher.handle(wang)
    assert "returned: " + str(returns / WANG_COPY) in line and "moved" not in line
    assert (returns / WANG_COPY).read_bytes() != wang_first
    assert _files(returns / "_过期 Outdated") == {LI_COPY}


def test_a_watch_of_a_later_day_takes_back_the_copies_of_earlier_days(tmp_path: Path):
    """Restarted on the 6th: it knows the 5th's copies from the folder's record only."""
    returns = tmp_path / "returns"
    li = _hand_in(tmp_path, "S002", "李四.xlsx", amount=9.0)
    wang = _hand_in(tmp_path, "S003", "王五.xlsx", amount=9.0)
    first = _returning(tmp_path)
    first.handle(li)
    first.handle(wang)
    later = _returning(tmp_path, as_of=dt.date(2026, 11, 6))
    # 李四 sends his file again, still wrong: the 6th's copy replaces the 5th's.
    line = later.handle(li)
    assert "returned: " + str(returns / "华东/一组/李四_退回_2026-11-06.xlsx") in line
    assert (
        f"return copy taken back: {returns / LI_COPY} (the return list of {NOV_5} still "
        "names it: `salesxl return` into the folder clears old lists)"
    ) in line
    # 王五's fixed file: his copy of the 5th goes; the 5th's lists are another day's.
    _hand_in(tmp_path, "S003", "王五.xlsx", amount=1.0)
    line = later.handle(wang)
    assert f"return copy taken back: {returns / WANG_COPY}" in line
    assert line.endswith(
        f"return list {returns / '退回清单_2026-11-06.xlsx'}: 1 file left to fix today"
    )
    assert _files(returns) == {
        "华东/一组/李四_退回_2026-11-06.xlsx",
        ALL_LIST,
        ONE_LIST,
        TWO_LIST,
        "退回清单_2026-11-06.xlsx",
        "华东/一组/退回清单_一组_2026-11-06.xlsx",
        "salesxl-returns.json",
    }


def test_a_returns_folder_that_cannot_be_written_is_said_in_the_line_and_the_watch_goes_on(
    tmp_path: Path,
):
    watcher = _returning(tmp_path)
    (tmp_path / "returns").write_bytes(b"a file where the folder should be")
    line = watcher.handle(_hand_in(tmp_path, "S002", "李四.xlsx", amount=9.0))
    assert " errors " in line and "1 error; warning: return copies not written: " in line
    assert "cannot create the folder" in line


def test_a_record_that_cannot_be_read_takes_nothing_back_and_says_so(tmp_path: Path):
    returns = tmp_path / "returns"
    li = _hand_in(tmp_path, "S002", "李四.xlsx", amount=9.0)
    _returning(tmp_path).handle(li)
    (returns / "salesxl-returns.json").write_text("{not json", encoding="utf-8")
    _hand_in(tmp_path, "S002", "李四.xlsx", amount=1.0)
    line = _returning(tmp_path).handle(li)  # a watch started again: the record is all it has
    assert (
        f"warning: the record {returns / 'salesxl-returns.json'} could not be read (not a "
        "record of salesxl return (JSONDecodeError)): no earlier return copy was taken back"
    ) in line
    assert (returns / LI_COPY).exists()


def test_a_leaders_notes_in_the_days_return_list_are_moved_aside_not_written_over(
    tmp_path: Path,
):
    """Each arrival writes the day's return lists again: a list a leader saved notes into is
    moved into _过期 Outdated first, and the line says where."""
    watcher, returns = _returning(tmp_path), tmp_path / "returns"
    li = _hand_in(tmp_path, "S002", "李四.xlsx", amount=9.0)
    watcher.handle(li)
    day_list = returns / f"退回清单_{NOV_5}.xlsx"
    book = openpyxl.load_workbook(day_list)
    book.worksheets[0]["A30"] = "组长：已电话提醒"  # the leader saved a note into it
    book.save(day_list)
    noted = day_list.read_bytes()
    wang = _hand_in(tmp_path, "S003", "王五.xlsx", amount=9.0)
    line = watcher.handle(wang)
    aside = returns / "_过期 Outdated" / day_list.name
    assert (
        f"return list {day_list} changed since it was written: moved to {aside} before "
        "writing it again"
    ) in line
    assert aside.read_bytes() == noted
    names = [c.value for row in openpyxl.load_workbook(day_list).active.iter_rows() for c in row]
    assert "王五" in " ".join(str(v) for v in names if v)  # the new list names both reps
