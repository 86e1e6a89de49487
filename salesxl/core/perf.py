"""Bulk work without the garbage collector in the way.

Reading a thousand forms creates millions of small objects and no reference
cycles worth collecting; CPython's cyclic collector would rescan them all
again and again (it doubled consolidation time).  `paused_gc` switches it
off for such a phase and restores it afterwards; reference counting still
frees everything as usual.  What the phase leaves behind is frozen (`gc.freeze`), so
that the collector, back on, does not rescan it all at once.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["paused_gc", "thaw"]


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
