"""Reading processes where a file that kills its process costs only that file.

A process pool from the standard library breaks as a whole when one worker
dies (`BrokenProcessPool`), and every file still in it is lost with it: one
malformed workbook that makes python-calamine abort, or the kernel's OOM
killer, would cost a consolidation all its good reports.  Here each worker
reads one file at a time, so the parent knows which file a dead worker was
reading: that file gets an issue, a new worker takes the dead one's place,
and the remaining files go through.  A file that keeps its worker longer
than the time limit is stopped the same way.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
import traceback
from collections import deque
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any, TypeVar

from salesxl.core.perf import keep_freed_memory

__all__ = ["Stopped", "read_isolated"]

T = TypeVar("T")
R = TypeVar("R")

# Two items in hand per worker hide the round trip; only the first of them can be the one
# a dead worker was reading (the other has not been looked at).
_DEPTH = 2


@dataclass(frozen=True, slots=True)
class Stopped:
    """Why a worker ended while reading an item: its exit code, or the time limit."""

    exitcode: int | None  # negative: the signal that ended it
    timed_out: bool = False

    @property
    def cause(self) -> str:
        if self.timed_out:
            return "time limit"
        if self.exitcode is not None and self.exitcode < 0:
            try:
                return signal.Signals(-self.exitcode).name
            except ValueError:
                return f"signal {-self.exitcode}"
        return f"exit code {self.exitcode}"

    @property
    def out_of_memory(self) -> bool:
        """Ended as a failed allocation (SIGABRT) or the OOM killer (SIGKILL) end a process."""
        return self.exitcode in (-signal.SIGABRT, -signal.SIGKILL)


def _serve(conn: Connection, func: Callable[[Any], Any], nice: int = 0) -> None:
    """A worker: answer (index, item) pairs until told to stop (None), `nice` steps below
    its parent's priority (where the system has priorities to lower: not Windows)."""
    if nice and hasattr(os, "nice"):
        os.nice(nice)
    keep_freed_memory()  # the same memory for every file, not page-faulted in anew each time
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        index, item = task
        try:
            conn.send((index, True, func(item)))
        except Exception:
            conn.send((index, False, traceback.format_exc()))


@dataclass(slots=True)
class _Worker:
    process: Any
    conn: Connection
    queue: deque[int] = field(default_factory=deque)  # indexes sent, oldest first
    started: float = 0.0  # when the oldest began


def read_isolated(
    func: Callable[[T], R],
    items: Sequence[T],
    *,
    workers: int,
    time_limit: float | None,
    on_stop: Callable[[T, Stopped], R],
    nice: int = 0,
) -> Generator[tuple[int, R], None, None]:
    """`func` of each item on `workers` processes; yields (index, result) as they finish.

    An item whose worker dies, or takes longer than `time_limit` seconds,
    yields `on_stop(item, Stopped(...))` instead, and a fresh worker carries
    on.  `func` must be picklable; bind what every item shares into it
    (functools.partial) so that it crosses to each worker once, and keep
    the items small.  `nice` lowers the processes' priority by so many steps: what
    takes their results may then have the cores first.
    """
    context = multiprocessing.get_context()
    todo = deque(range(len(items)))
    pool: list[_Worker] = []
    try:
        while todo or any(w.queue for w in pool):
            wanted = min(workers, len(todo) + sum(len(w.queue) for w in pool))
            while len(pool) < wanted:
                pool.append(_start(context, func, nice))
            for worker in pool:
                while todo and len(worker.queue) < _DEPTH:
                    index = todo.popleft()
                    if not worker.queue:
                        worker.started = time.monotonic()
                    worker.queue.append(index)
                    try:
                        worker.conn.send((index, items[index]))
                    except OSError:  # it has just died: its sentinel says so below
                        break
            busy = [w for w in pool if w.queue]
            ready = [w.conn for w in busy] + [w.process.sentinel for w in busy]
            wait(ready, _timeout(busy, time_limit))
            for worker in busy:
                yield from _answers(worker)
                ended = not worker.process.is_alive()
                if ended:
                    yield from _answers(worker)  # what it sent before it ended
                if worker.queue and (ended or _overdue(worker, time_limit)):
                    index = worker.queue.popleft()
                    todo.extendleft(reversed(worker.queue))
                    worker.queue.clear()
                    pool.remove(worker)
                    yield index, on_stop(items[index], _stop(worker))
                elif ended:
                    pool.remove(worker)
                    _close(worker)
    finally:
        for worker in pool:
            _close(worker)


def _start(context: Any, func: Callable[[Any], Any], nice: int = 0) -> _Worker:
    parent, child = context.Pipe()
    process = context.Process(target=_serve, args=(child, func, nice), daemon=True)
    process.start()
    child.close()
    return _Worker(process, parent)


def _answers(worker: _Worker) -> Iterator[tuple[int, Any]]:
    """Every answer the worker has sent so far, in order."""
    while worker.queue:
        try:
            if not worker.conn.poll():
                return
            index, ok, result = worker.conn.recv()
        except (EOFError, OSError):
            return
        if not ok:  # the reading function raised: a bug, not a bad file; raised again here
            raise RuntimeError(f"reading failed in a worker process:\n{result}")
        worker.queue.popleft()
        worker.started = time.monotonic()  # the next one starts now
        yield index, result


def _timeout(busy: list[_Worker], time_limit: float | None) -> float | None:
    if time_limit is None or not busy:
        return None
    now = time.monotonic()
    return max(0.0, min(w.started + time_limit - now for w in busy))


def _overdue(worker: _Worker, time_limit: float | None) -> bool:
    return time_limit is not None and time.monotonic() - worker.started > time_limit


def _stop(worker: _Worker) -> Stopped:
    process = worker.process
    timed_out = process.is_alive()
    if timed_out:
        process.kill()
    process.join(5)
    exitcode = process.exitcode
    _close(worker)
    return Stopped(None if timed_out else exitcode, timed_out=timed_out)


def _close(worker: _Worker) -> None:
    try:
        if worker.process.is_alive():
            worker.conn.send(None)
    except (OSError, ValueError):
        pass
    worker.process.join(1)
    if worker.process.is_alive():
        worker.process.kill()
        worker.process.join(1)
    worker.conn.close()
    worker.process.close()
