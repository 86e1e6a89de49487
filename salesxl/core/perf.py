"""Bulk work without the garbage collector in the way.

Reading a thousand forms creates millions of small objects and no reference
cycles worth collecting; CPython's cyclic collector would rescan them all
again and again (it doubled consolidation time).  `paused_gc` switches it
off for such a phase and restores it afterwards; reference counting still
frees everything as usual.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["paused_gc"]


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
