"""The collector paused for bulk work, and the C heap a reading process keeps
(salesxl/core/perf.py)."""

from __future__ import annotations

import gc
import inspect
import resource
import subprocess
import sys

import pytest

from salesxl.core.perf import keep_freed_memory, paused_gc, thaw
from salesxl.intake.pool import Stopped, read_isolated


def churn(_: object = None) -> int:
    """What a reading process does for each file, 30 times: some hundred blocks under
    glibc's 128 KB mmap threshold, all freed again before the next file.  Returns the
    pages it faulted in."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _file in range(30):
        blocks = [bytearray(60_000) for _ in range(64)]  # 3.8 MB, 940 pages
        del blocks
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


def _fresh_process(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", f"import resource\n{inspect.getsource(churn)}\n{code}"],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


glibc = pytest.mark.skipif(
    _fresh_process("from salesxl.core.perf import keep_freed_memory; print(keep_freed_memory())")
    != "True",
    reason="keep_freed_memory tunes glibc's malloc; this C library is not glibc",
)


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


@glibc
def test_a_process_that_keeps_freed_memory_does_not_fault_it_back_in_for_each_file():
    # glibc's own way: the heap's top goes back to the system after each "file" and every
    # page of it faults in again the next time (30 files x 940 pages)
    plain = int(_fresh_process("print(churn())"))
    assert plain > 20_000
    kept = _fresh_process(
        "from salesxl.core.perf import keep_freed_memory\nprint(keep_freed_memory(), churn())"
    ).split()
    assert kept[0] == "True"
    assert int(kept[1]) < 2_000  # the 940 pages once, then the same memory again


@glibc
def test_the_reading_processes_keep_freed_memory():
    def stopped(item: int, how: Stopped) -> int:
        raise AssertionError(f"the reading process of item {item} ended: {how.cause}")

    faults = [n for _, n in read_isolated(churn, [1, 2], workers=2, time_limit=60, on_stop=stopped)]
    assert len(faults) == 2 and all(n < 2_000 for n in faults), faults


def test_keeping_freed_memory_is_left_alone_off_linux(monkeypatch):
    monkeypatch.setattr(sys, "platform", "darwin")
    assert keep_freed_memory() is False


# A command's end under `ends_fast`, in a process of its own: `freed` is printed by a kept
# object's finaliser, `handler` by an exit handler, and the folder is a Details spool.
_ENDING = """
import atexit, sys, threading
from salesxl.consolidate.details import DetailsSpool
from salesxl.core.perf import ending_soon, ends_fast, keep_to_exit

class Results:
    def __del__(self):
        print("freed", flush=True)

spool = DetailsSpool()
print(spool.path)
atexit.register(lambda: print("handler"))
with ends_fast():
    results = Results()
    if "keep" in sys.argv:  # a command that ends the process when it returns
        ending_soon()
    if "keep" in sys.argv or "round" in sys.argv:  # "round": the watch, which did not say so
        keep_to_exit(results)
    if "thread" in sys.argv:
        threading.Thread(target=lambda: None, daemon=False).start()
        threading.Thread(target=threading.Event().wait, args=(0.5,)).start()
    del results
    print("output", end="")  # not a whole line: still in the buffer at the end
    sys.exit(int(sys.argv[1]))
"""


def _end(*args: str) -> tuple[int, list[str]]:
    done = subprocess.run([sys.executable, "-c", _ENDING, *args], capture_output=True, text=True)
    return done.returncode, done.stdout.split()


@pytest.mark.parametrize("code", [0, 3])
def test_a_command_that_kept_its_results_ends_without_freeing_them(code):
    from pathlib import Path

    returncode, out = _end(str(code), "keep")
    spool = Path(out[0])
    assert returncode == code
    assert out[1:] == ["outputhandler"]  # flushed, the exit handlers run, nothing freed
    assert not spool.exists()  # the temporary folder removed as at a normal exit


def test_without_anything_kept_or_with_threads_running_a_command_ends_the_usual_way():
    assert _end("0")[1][1:] == ["freed", "outputhandler"]  # nothing kept: freed when dropped
    # handed to keep_to_exit by a command that runs on (the watch's rounds): not held either
    assert _end("0", "round")[1][1:] == ["freed", "outputhandler"]
    returncode, out = _end("2", "keep", "thread")
    assert returncode == 2
    # another thread still running: the usual end, which waits for it, and frees everything
    assert "".join(out[1:]) == "outputfreedhandler"


def test_keeping_outside_ends_fast_holds_nothing():
    import weakref

    from salesxl.core.perf import ending_soon, keep_to_exit

    class Results:
        pass

    results = Results()
    gone = weakref.ref(results)
    ending_soon()  # said outside ends_fast (a command run by CliRunner): nothing changes
    keep_to_exit(results)
    del results
    assert gone() is None  # tests, the Excel adapter and the API keep nothing
