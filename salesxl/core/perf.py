"""Bulk work without the garbage collector in the way.

Reading a thousand forms creates millions of small objects and no reference
cycles worth collecting; CPython's cyclic collector would rescan them all
again and again (it doubled consolidation time).  `paused_gc` switches it
off for such a phase and restores it afterwards; reference counting still
frees everything as usual.  What the phase leaves behind is frozen (`gc.freeze`), so
that the collector, back on, does not rescan it all at once.

A reading process has the opposite trouble with the C heap: for each file it
asks for the same few hundred kilobytes again (python-calamine's cells, the
unpacked parts), and glibc hands them back to the system as soon as more than
128 KB are free at the top of its heap, so the next file page-faults them all
in again.  `keep_freed_memory` lets such a process keep what it freed.

At the very end, freeing is pure cost: a cold-calling month's summary is a
million objects, a tenth of a second to free one by one just before the
process ends anyway.  A command that ends the process when it returns says so
(`ending_soon`), what it and the library hand to `keep_to_exit` is held, and `ends_fast`
(the `salesxl` command's entry) ends the process without freeing it.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import gc
import os
import sys
import threading
from collections.abc import Iterator

__all__ = ["ending_soon", "ends_fast", "keep_freed_memory", "keep_to_exit", "paused_gc", "thaw"]

_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # glibc's malloc.h
_KEPT_BYTES = 32 * 1024 * 1024  # glibc's largest mmap threshold on 64-bit systems


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            # Switched back on, the collector would first scan every object the phase
            # made and kept (digests, results: a million for a cold-calling month, up to
            # half a second each time); they go to its permanent generation instead.
            gc.freeze()
            gc.enable()


def thaw() -> None:
    """Give what paused phases froze back to the collector.  A process that runs for
    long (the watch) calls this after each round, so that reference cycles among those
    objects are still freed in time; a command that runs once never needs to."""
    gc.unfreeze()


def keep_freed_memory() -> bool:
    """Let this process keep up to 32 MB of freed C heap for its next allocations.

    For a process that reads file after file (`salesxl.intake.pool`): a
    thousand cold-calling reports page-faulted 100,000 pages back in (a fifth
    of a second of system time) when glibc returned its heap's top after each.
    Blocks under 32 MB then come from the heap, and the heap's top goes back to
    the system once more than 32 MB of it is free.  glibc itself moves its limits
    that far (and the second to 64 MB) once a process has freed a block that
    large; this sets them from the start.  Both are set, since setting one
    stops glibc adjusting the other.  Returns whether they were set: False
    where the C library is not glibc (macOS, Windows, musl), left as it is.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:  # the symbols the interpreter itself was linked with: the C library's among them
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return all(
        mallopt(option, _KEPT_BYTES) == 1 for option in (_M_MMAP_THRESHOLD, _M_TRIM_THRESHOLD)
    )


_fast_end = False  # inside `ends_fast`
_kept: list[object] | None = None  # what `keep_to_exit` holds, once `ending_soon` was called


def ending_soon() -> None:
    """Said by a command that ends the process when it returns (consolidate; not the watch,
    which runs round after round): from now on, `keep_to_exit` holds what it is handed,
    in the library too.  Outside `ends_fast` (tests, the Excel adapter, the API) it does
    nothing."""
    global _kept
    if _fast_end and _kept is None:
        _kept = []


def keep_to_exit(*objects: object) -> None:
    """Hold `objects` until the process ends, so that they are not freed one by one first;
    only once the command said it is `ending_soon`, else this does nothing."""
    if _kept is not None:
        _kept.extend(objects)


@contextlib.contextmanager
def ends_fast() -> Iterator[None]:
    """Run a command that ends with `sys.exit` (click's standalone mode) and, when it kept
    anything (`keep_to_exit`), end the process without freeing it: the output flushed and
    every exit handler run (temporary folders, child processes) as at a normal exit, then
    `os._exit`.  Anything else (an exception, other threads still running, an exit with a
    message, output that cannot be flushed) ends the usual way."""
    global _fast_end, _kept
    _fast_end = True
    try:
        yield
    except SystemExit as exc:
        code = 0 if exc.code is None else exc.code
        if not _kept or type(code) is not int or threading.active_count() > 1:
            raise
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):  # a closed pipe: the usual end reports it
            raise exc from None
        atexit._run_exitfuncs()
        os._exit(code)
    finally:
        _fast_end, _kept = False, None
