"""The watched folder: each file validated when it has arrived, the summary kept fresh.

`Watcher` is the work, driven by a clock: files the file-system events
name go to `Arrivals`; each that has settled is validated (the one reader,
`intake.load_form`), gets its return copy when it has errors or has its old
one taken back when it has none (with a returns folder: `watch.returning`),
is imported when a store is given (`store.import_files`, idempotent), and
makes the summary stale; the
summary is written again at most once per `refresh` seconds (by `watch_folder` in a
thread of its own: a file arriving meanwhile is not kept waiting).  A bad file,
a locked summary or a store that does not answer is one log line, never
the end of the watch.  `watch_folder` runs it with watchdog's observer until
it is told to stop (Ctrl-C / SIGTERM in the command line) or runs out of time.
"""

from __future__ import annotations

import datetime as dt
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from salesxl.consolidate import Summary, Thresholds, consolidate_inbox
from salesxl.consolidate.from_store import consolidate_store
from salesxl.consolidate.workbook import write_summary
from salesxl.core.calendar import Workdays
from salesxl.core.errors import SalesxlError
from salesxl.core.issues import Severity
from salesxl.core.people import Roster
from salesxl.core.perf import thaw
from salesxl.core.periods import Month
from salesxl.intake.files import collect_files, load_form
from salesxl.intake.roster import read_roster
from salesxl.read.workbook import SPREADSHEET_SUFFIXES
from salesxl.store import import_files, stored_roster
from salesxl.validate import FormData, ValidationContext
from salesxl.watch.arrivals import Arrivals
from salesxl.watch.returning import ReturnStep
from salesxl.write.returns import check_returns_folder

__all__ = ["WatchOptions", "Watched", "Watcher", "auto_period", "watch_folder"]

Log = Callable[[str], None]


@dataclass(slots=True)
class WatchOptions:
    inbox: Path
    output: Path
    period: Month | None = None  # None: auto_period, judged afresh at every refresh
    db: str | None = None
    returns: Path | None = None
    roster: Path | None = None
    targets: Path | None = None
    as_of: dt.date | None = None  # None: today, every time
    refresh: float = 60.0  # seconds between summaries, at most one per
    settle: float = 2.0  # seconds a file must stay unchanged
    hold: float = 300.0  # seconds a file open in a spreadsheet app is waited for
    poll: bool = False  # poll the folder (network shares that send no events)
    lang: str = "zh"
    thresholds: Thresholds = field(default_factory=Thresholds)
    workdays: Workdays = field(default_factory=Workdays)


def auto_period(today: dt.date, workdays: Workdays) -> Month:
    """The month of the report due this morning: that of the last workday before today (on
    the 1st, and after a holiday at the turn of a month, that is the month before)."""
    day = today - dt.timedelta(days=1)
    for _ in range(60):
        if workdays.is_workday(day):
            return Month.of(day)
        day -= dt.timedelta(days=1)
    return Month.of(today - dt.timedelta(days=1))


class Watcher:
    """The watch's work, step by step (`tick`); no signals, and no threads unless
    `background` (the summary's own)."""

    def __init__(self, options: WatchOptions, log: Log, *, background: bool = False) -> None:
        self.o = options
        lock = threading.Lock()  # the summary's line may come from its own thread

        def locked(line: str) -> None:
            with lock:
                log(line)

        self.log: Log = locked
        # `background`: the summary is written in a thread of its own, so that a file arriving
        # meanwhile is handled at once rather than after a long consolidation.
        self.background = background
        self.writing: threading.Thread | None = None
        inbox = options.inbox.resolve()
        self.skip = [p.resolve() for p in (options.output, options.returns) if p is not None]
        self.inbox = inbox
        self.arrivals = Arrivals(options.settle, options.hold, self._wanted)
        self.returns = ReturnStep(options.returns) if options.returns else None
        self.stale = False
        self.last_refresh: float | None = None
        self.handled = 0
        self.failed = 0  # files that could not be handled, and summaries not written

    # -- which paths are forms ---------------------------------------------------------

    def _wanted(self, path: Path) -> bool:
        if path.suffix.lower() not in SPREADSHEET_SUFFIXES or not path.is_file():
            return False
        resolved = path.resolve()
        if any(resolved == s or s in resolved.parents for s in self.skip):
            return False  # our own output: the summary, the return copies
        try:
            relative = resolved.relative_to(self.inbox).parts
        except ValueError:
            return False
        if any(part.startswith((".", "~$")) for part in relative[:-1]):
            return False
        files, _ = collect_files([path])  # lock files, hidden files: as every command skips them
        return bool(files)

    # -- the steps ---------------------------------------------------------------------

    def today(self) -> dt.date:
        return self.o.as_of or dt.date.today()

    def scan(self, now: float) -> int:
        """The files already in the folder, as if they had just arrived."""
        files, _ = collect_files([self.o.inbox])
        self.arrivals.touch(files, now - self.o.settle)
        return len(files)

    def tick(self, now: float, *, final: bool = False, refresh: bool = True) -> None:
        """Handle the files that have settled; write the summary if it is stale and due (or
        `final`)."""
        thaw()  # what earlier rounds froze, back to the collector: the watch runs for days
        for path in self.arrivals.ready(now):
            self.log(self.handle(path))
        for path, lock in self.arrivals.opened():
            self.log(
                _line(
                    "open",
                    _shown(path, self.inbox),
                    [
                        f"open in a spreadsheet app ({lock.name} beside it): read once it is "
                        f"closed, or as saved in {self.o.hold:g} s"
                    ],
                )
            )
        if self.writing is not None and not self.writing.is_alive():
            self.writing = None
        due = self.last_refresh is None or now - self.last_refresh >= self.o.refresh
        if not (refresh and self.stale and (due or final)) or self.writing is not None:
            return
        if self.background and not final:
            self.writing = threading.Thread(target=self.refresh, args=(now,), daemon=True)
            self.stale, self.last_refresh = False, now  # before it starts: arrivals re-stale
            self.writing.start()
        else:
            self.refresh(now)

    def finish(self) -> None:
        """Wait for a summary being written in the background."""
        if self.writing is not None:
            self.writing.join()
            self.writing = None

    def handle(self, path: Path) -> str:
        """Validate, return, import one file; the log line saying what happened."""
        self.handled += 1
        self.stale = True
        shown = _shown(path, self.inbox)
        try:
            roster = self._roster()
            ctx = ValidationContext(
                today=self.today(),
                roster_ids=roster.ids if roster is not None else None,
                employment=roster.employment() if roster is not None else None,
            )
            data = load_form(path, ctx)
            status, detail = _verdict(data)
            if self.returns is not None:
                detail.append(self._return(self.returns, data, roster))
            if self.o.db:
                detail.append(self._import(path))
        except Exception as exc:  # one file never ends the watch
            self.failed += 1
            return _line("failed", shown, [_said(exc)])
        return _line(status, shown, detail)

    def refresh(self, now: float) -> None:
        """Write the summary again; a locked file or an unusable store waits for the next turn.
        What arrives while it is written makes it stale again."""
        self.last_refresh, self.stale = now, False
        today = self.today()
        period = self.o.period or auto_period(today, self.o.workdays)
        started = time.monotonic()
        try:
            summary = self._consolidate(period, today)
            inputs = [p for p in (self.o.roster, self.o.targets) if p is not None]
            write_summary(summary, self.o.output, lang=self.o.lang, inputs=inputs)
        except Exception as exc:  # a locked summary, a store away: the next turn tries again
            self.stale = True
            self.failed += 1
            self.log(_line("summary", str(self.o.output), [f"not written: {_said(exc)}"]))
            return
        h = summary.headline
        completion = f"{h.completion:.1%}" if h.completion is not None else "-"
        said = (
            f"{period} as of {today}: {_count(h.reps, 'rep')}, ¥{h.amount:,.0f}, completion "
            f"{completion}, {_count(h.missing, 'report')} missing, "
            f"{_count(h.errors, 'error')} in files ({time.monotonic() - started:.1f} s)"
        )
        self.log(_line("summary", str(self.o.output), [said]))

    # -- helpers -------------------------------------------------------------------------

    def _consolidate(self, period: Month, today: dt.date) -> Summary:
        as_of = max(today, period.first_day)
        if self.o.db:
            return consolidate_store(
                self.o.db,
                period=period,
                roster=self.o.roster,
                targets=self.o.targets,
                as_of=as_of,
                thresholds=self.o.thresholds,
                workdays=self.o.workdays,
            )
        return consolidate_inbox(
            [self.o.inbox],
            period=period,
            roster=self.o.roster,
            targets=self.o.targets,
            as_of=as_of,
            thresholds=self.o.thresholds,
            workdays=self.o.workdays,
        )

    def _roster(self) -> Roster | None:
        if self.o.roster is not None:
            return read_roster(self.o.roster)
        if self.o.db:
            return stored_roster(self.o.db)
        return None

    def _return(self, step: ReturnStep, data: FormData, roster: Roster | None) -> str:
        """The return copy of a file with errors; for one without, its old copy taken back
        and the day's list written again.  A returns folder that fails is said in the
        file's line, which is still imported."""
        try:
            if data.has_errors:
                return step.add(data, roster, self.today())
            return step.fixed(data, roster, self.today())
        except Exception as exc:  # a list open in Excel on Windows, a full disk: said, not fatal
            return f"warning: return copies not written: {_said(exc)}"

    def _import(self, path: Path) -> str:
        try:
            result = import_files("reports", [path], db=self.o.db)
        except Exception as exc:  # the file was validated: say so, and that the store failed
            return f"not imported: {_said(exc)}"
        (found,) = result.files
        if found.stays_current is not None:
            return "kept in the store as an older version: the current one was saved later"
        return {
            "imported": "imported into the store",
            "replaced": f"replaced version {max(found.replaced, default='?')} in the store",
            "unchanged": "already in the store",
            "blocked": "refused by the store (kept in its log)",
        }.get(found.status, found.status)


def _shown(path: Path, inbox: Path) -> str:
    try:
        return str(path.resolve().relative_to(inbox))
    except ValueError:
        return str(path)


def _count(n: int, what: str) -> str:
    return f"{n:,} {what}{'' if n == 1 else 's'}"


def _said(exc: BaseException) -> str:
    """An error as one line: our errors say it themselves, others with their kind."""
    text = " ".join(str(exc).split())
    return text if isinstance(exc, SalesxlError) else f"{type(exc).__name__}: {text}"


def _verdict(data: FormData) -> tuple[str, list[str]]:
    """ok / warnings / errors / unreadable, and what the file is."""
    if data.form_id is None:
        first = data.issues[0].message_en if data.issues else "not a salesxl form"
        return "unreadable", [first]
    errors = sum(i.severity is Severity.ERROR for i in data.issues)
    warnings = sum(i.severity is Severity.WARNING for i in data.issues)
    what = " ".join(str(b) for b in (data.form_id, data.rep_id, data.period) if b)
    if errors:
        return "errors", [what, _count(errors, "error")]
    if warnings:
        return "warnings", [what, _count(warnings, "warning")]
    return "ok", [what]


def _line(status: str, what: str, detail: list[str]) -> str:
    """`2026-12-03 09:01:12  errors    inbox/张三.xlsx  daily_report S001 2026-12; 2 errors`"""
    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    shown = "; ".join(d for d in detail if d)
    return f"{stamp}  {status:<10} {what}" + (f"  {shown}" if shown else "")


class _Events(FileSystemEventHandler):
    """watchdog's thread puts the paths it hears of on a queue; the watch loop takes them."""

    def __init__(self, paths: queue.SimpleQueue[Path]) -> None:
        self.paths = paths

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory or event.event_type not in ("created", "modified", "moved", "closed"):
            return
        target = getattr(event, "dest_path", "") or event.src_path
        self.paths.put(Path(str(target)))


@dataclass(frozen=True, slots=True)
class Watched:
    """What a watch did: files handled, and files or summaries that failed (a store that
    could not be used, a summary that could not be written)."""

    handled: int
    failed: int


def watch_folder(
    options: WatchOptions,
    *,
    log: Log,
    stop: threading.Event | None = None,
    once: bool = False,
    max_runtime: float | None = None,
    step: float = 0.25,
) -> Watched:
    """Watch `options.inbox` until `stop` is set (or `max_runtime` seconds have passed);
    `once`: handle the files there now, write the summary, and return.  Returns how many
    files were handled and how many things failed.  The last summary is written before
    returning."""
    if options.returns is not None:
        check_returns_folder(options.returns, [options.inbox])  # else copies come back as forms
    stop = stop or threading.Event()
    watcher = Watcher(options, log, background=not once)
    clock = time.monotonic
    began = clock()
    if once:
        found = watcher.scan(began)
        log(
            _line(
                "watching", str(options.inbox), [f"{found} files there; summary {options.output}"]
            )
        )
        while watcher.arrivals.waiting and not stop.is_set():
            watcher.tick(clock(), refresh=False)
            stop.wait(step)
        watcher.stale = True
        watcher.tick(clock(), final=True)
        return Watched(watcher.handled, watcher.failed)
    paths: queue.SimpleQueue[Path] = queue.SimpleQueue()
    observer: Any = PollingObserver(timeout=1) if options.poll else Observer()
    observer.schedule(_Events(paths), str(options.inbox), recursive=True)
    # Listen first, then read what is there: a file arriving in between is heard (and
    # handed out once), never missed.
    observer.start()
    found = watcher.scan(began)
    log(_line("watching", str(options.inbox), [f"{found} files there; summary {options.output}"]))
    watcher.stale = True  # the first summary as soon as the folder has been read
    try:
        while not stop.is_set():
            now = clock()
            if max_runtime is not None and now - began >= max_runtime:
                break
            heard: list[Path] = []
            while not paths.empty():
                heard.append(paths.get_nowait())
            watcher.arrivals.touch(dict.fromkeys(heard), now)
            watcher.tick(now)
            stop.wait(step)
    finally:
        observer.stop()
        observer.join(timeout=10)
        watcher.finish()
        watcher.tick(clock(), final=True)  # what arrived last is in the last summary
        log(_line("stopped", str(options.inbox), [f"{watcher.handled} files handled"]))
    return Watched(watcher.handled, watcher.failed)
