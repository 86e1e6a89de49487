"""When a file in the watched folder is ready to read: it has stopped changing.

A file copied into a shared or synced folder (a network share, OneDrive,
坚果云) arrives in pieces; a file open in Excel or WPS has a lock file
beside it (`~$name.xlsx`; LibreOffice: `.~lock.name#`) and may be saved
again any moment.  `Arrivals` is told of every event on a path and says
which files have kept the same size and modification time for `settle`
seconds and have no lock file (or have had one for longer than `hold`
seconds: the saved version is read then).  A file already handled in its
present state is not handed out again, so a spurious event changes nothing.
Pure bookkeeping over `os.stat`: no threads, the caller passes the time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from salesxl.intake.collect import lock_files, open_by

__all__ = ["Arrivals", "Signature", "lock_files", "signature"]

Signature = tuple[int, int]  # size, modification time (ns)


def signature(path: Path) -> Signature | None:
    """Size and modification time, or None when the file is gone (or not a file)."""
    try:
        stat = path.stat()
    except OSError:
        return None
    if not path.is_file():
        return None
    return stat.st_size, stat.st_mtime_ns


@dataclass(slots=True)
class _Pending:
    signature: Signature
    since: float  # when it last changed
    first: float  # when it was first seen changing


class Arrivals:
    """Files told of by events, handed out once they have settled."""

    def __init__(
        self, settle: float, hold: float, wanted: Callable[[Path], bool] = lambda p: True
    ) -> None:
        self.settle, self.hold, self.wanted = settle, hold, wanted
        self.pending: dict[Path, _Pending] = {}
        self.done: dict[Path, Signature] = {}  # what each file was when it was handed out
        # Files found open (their lock file) and not yet said to be: `opened` hands each out
        # once, so the log says why a file is waited for rather than staying silent.
        self._open: list[tuple[Path, Path]] = []
        self._told: set[Path] = set()

    def touch(self, paths: Iterable[Path], now: float) -> None:
        """Something happened to these paths (created, written, moved here)."""
        for path in paths:
            if not self.wanted(path):
                continue
            sig = signature(path)
            if sig is None or self.done.get(path) == sig:
                continue  # gone, or as it was when handled
            known = self.pending.get(path)
            if known is None:
                self.pending[path] = _Pending(sig, now, now)
            elif known.signature != sig:
                known.signature, known.since = sig, now

    def ready(self, now: float) -> list[Path]:
        """The files that have settled, in the order they first arrived."""
        out = []
        for path, p in sorted(self.pending.items(), key=lambda item: item[1].first):
            sig = signature(path)
            if sig is None:
                del self.pending[path]
                continue
            if sig != p.signature:
                p.signature, p.since = sig, now
                continue
            if now - p.since < self.settle or sig[0] == 0:
                continue  # still changing, or created empty and not yet written
            if now - p.first < self.hold:
                lock = open_by(path)
                if lock is not None:  # open in a spreadsheet app: wait for it to be closed
                    if path not in self._told:
                        self._told.add(path)
                        self._open.append((path, lock))
                    continue
            self._told.discard(path)
            del self.pending[path]
            self.done[path] = sig
            out.append(path)
        return out

    def locked(self, path: Path) -> bool:
        return open_by(path) is not None

    def opened(self) -> list[tuple[Path, Path]]:
        """The files found open since last asked, each with its lock file (once a file)."""
        found, self._open = self._open, []
        return found

    @property
    def waiting(self) -> int:
        return len(self.pending)
