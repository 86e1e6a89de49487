"""Read hostile files one by one, each in a forked child, and measure what each cost.

    python -m tests.hostile.probe FILE...

For every file a child process forked from this one (salesxl already
imported) runs `load_form` and reports, as one JSON line: the issue codes,
the CPU seconds it used (user + system: not the wall clock, which a busy
machine stretches) and how far its resident memory grew above what it
started with.  A child that dies is reported with its exit status, so a
file that aborts the reader shows as such instead of killing the run.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import sys
from pathlib import Path

from salesxl.intake.files import load_form
from salesxl.validate import ValidationContext

CTX = ValidationContext(today=dt.date(2026, 11, 24))


def _resident_bytes() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _child(path: Path, out: int) -> None:
    start_rss = _resident_bytes()
    before = os.times()
    data = load_form(path, CTX)
    after = os.times()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    report = {
        "codes": sorted({i.code.value for i in data.issues}),
        "form": data.form_id,
        "rows": sum(len(t) for t in data.tables.values()),
        "cpu_s": (after.user - before.user) + (after.system - before.system),
        "grew_mb": max(0, peak - start_rss) / 2**20,
    }
    os.write(out, json.dumps(report).encode())


def probe(path: Path) -> dict[str, object]:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: one file, then out without running any cleanup of the parent's
        os.close(read)
        try:
            _child(path, write)
        finally:
            os._exit(0)
    os.close(write)
    chunks = []
    while chunk := os.read(read, 1 << 16):
        chunks.append(chunk)
    os.close(read)
    _, status = os.waitpid(pid, 0)
    found: dict[str, object] = json.loads(b"".join(chunks)) if chunks else {}
    found["status"] = os.waitstatus_to_exitcode(status)
    return found


def main(paths: list[str]) -> None:
    for name in paths:
        result = probe(Path(os.fsdecode(os.fsencode(name))))
        print(json.dumps({"file": name, **result}, ensure_ascii=True), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
