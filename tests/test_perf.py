"""The collector paused for bulk work (salesxl/core/perf.py)."""

from __future__ import annotations

import gc

from salesxl.core.perf import paused_gc, thaw


def test_a_paused_phase_leaves_what_it_kept_frozen_and_the_collector_on():
    gc.unfreeze()
    try:
        with paused_gc():
            assert not gc.isenabled()
            kept = [{"row": i} for i in range(1000)]
            with paused_gc():  # nested: only the outermost switches the collector back
                pass
            assert not gc.isenabled() and gc.get_freeze_count() == 0
        assert gc.isenabled()
        # the phase's objects are out of the collector's generations: switching it back on
        # does not make it rescan them
        assert gc.get_freeze_count() >= len(kept)
        thaw()
        assert gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()


def test_a_phase_run_with_the_collector_off_leaves_it_off():
    gc.unfreeze()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled() and gc.get_freeze_count() == 0
    finally:
        gc.enable()
