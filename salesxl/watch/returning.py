"""Return copies from the watched folder: each file with errors goes back to its rep.

`write.returns.return_copies` writes a rep's file back with its problems
marked, and a 退回清单 return list per team of every file it was given.  A
watch sees files one at a time; to keep each day's return lists whole, the
step remembers the day's files with errors (their header and issues, not
their rows) and hands `return_copies` all of them each time: earlier copies
are written again, unchanged, and the lists list them all.

A file handed in again takes back what the watch wrote for it before,
through the folder's record and by the same rules as `salesxl return`
(salesxl.write.return_record): come in without errors, its copies go and
the day's lists are written again without it (a team with nothing left to
fix loses its list); come in with errors on a later day, its new copy
replaces the old one.  A copy changed since it was written is moved into
`_过期 Outdated`; one open in a spreadsheet app stays, with a warning, and is
tried again at the next file.  Files the record does not name are never
touched.  Writing the day's copies again never writes over one a leader has
saved notes into: it is left when its rep file brings nothing new, and moved
into `_过期 Outdated` first (and the log says so) when it does.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from salesxl.core.people import Roster
from salesxl.core.text import plural
from salesxl.validate import FormData
from salesxl.write.return_record import RECORD_NAME, TakenBack, Tidied, read_record
from salesxl.write.returns import Returns, return_copies

__all__ = ["ReturnStep"]


class ReturnStep:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.day: dt.date | None = None
        self.bad: dict[str, FormData] = {}  # path -> the file with errors, as read
        # Files come in without errors whose old copy could not be taken back yet (open in
        # Excel): tried again at every step.
        self.held: set[str] = set()

    def add(self, data: FormData, roster: Roster | None, today: dt.date) -> str:
        """Write the return copy of `data` (which has errors); what to log."""
        self._start(today)
        for table in data.tables.values():  # a copy needs the header and the issues only
            table.records = []
        path = str(Path(data.path))
        self.bad[path] = data
        self.held.discard(path)
        returned = self._write(roster, today, {path})
        mine = next((f for f in returned.files if str(f.source) == path), None)
        if mine is None or mine.copy is None:
            said = "no return copy (the file cannot be opened to mark it)"
        else:
            said = f"returned: {mine.copy}"
        return "; ".join([said, *self._taken_back(returned.tidied, today)])

    def fixed(self, data: FormData, roster: Roster | None, today: dt.date) -> str:
        """The file came in again without errors: its earlier return copies are taken back
        and the day's return lists written again without it; what to log ("" when the watch
        never returned it)."""
        self._start(today)
        path = str(Path(data.path))
        if path not in self.bad and not self.held and not self._recorded(path):
            return ""
        self.bad.pop(path, None)
        returned = self._write(roster, today, {path})
        left = len(returned.files)
        said = f"return list {returned.lists[0]}: " + (
            f"{plural(left, 'file')} left to fix today" if left else "nothing left to fix today"
        )
        return "; ".join([*self._taken_back(returned.tidied, today), said])

    def _start(self, today: dt.date) -> None:
        if self.day != today:
            self.day, self.bad = today, {}

    def _write(self, roster: Roster | None, today: dt.date, handed_in: set[str]) -> Returns:
        """The day's copies and lists written again; what `handed_in` (and the files still
        held) put out of date taken back."""
        returned = return_copies(
            list(self.bad.values()),
            self.folder,
            roster=roster,
            today=today,
            handed_in=handed_in | self.held | set(self.bad),
        )
        kept = returned.tidied.kept if returned.tidied is not None else []
        self.held = {
            t.entry.source
            for t in kept
            if t.entry.kind == "copy" and t.entry.source and t.entry.source not in self.bad
        }
        return returned

    def _recorded(self, path: str) -> bool:
        """The folder's record names a copy made from `path` (written before a restart)."""
        try:
            recorded = read_record(self.folder) or {}
        except ValueError:
            return True  # unreadable: go on, so that the step says so (and takes nothing back)
        return any(e.kind == "copy" and e.source == path for e in recorded.values())

    def _taken_back(self, tidied: Tidied | None, today: dt.date) -> list[str]:
        """The log's words for what was taken back, moved aside or could not be removed."""
        if tidied is None:
            return []
        said = []
        if tidied.unreadable_record:
            said.append(
                f"warning: the record {self.folder / RECORD_NAME} could not be read "
                f"({tidied.unreadable_record}): no earlier return copy was taken back"
            )
        for t in tidied.removed:
            said.append(f"{_what(t)} taken back: {t.path}{_older(t, today)}")
        for t in tidied.moved:
            said.append(
                f"{_what(t)} {t.path} changed since it was written: moved to {t.moved_to}"
                + (" before writing it again" if t.why == "rewritten" else _older(t, today))
            )
        for t in tidied.kept:
            if t.why == "rewritten":
                said.append(
                    f"warning: {_what(t)} {t.path} changed since it was written and could not "
                    f"be moved aside ({t.error}): not written again, it still holds the old "
                    "problems; close it, the watch tries again at the next file"
                )
                continue
            said.append(
                f"warning: out-of-date {_what(t)} {t.path} not taken back: {t.error}; close "
                "it, the watch tries again at the next file (or delete it by hand)"
            )
        return said


def _what(t: TakenBack) -> str:
    return "return list" if t.entry.kind == "list" else "return copy"


def _older(t: TakenBack, today: dt.date) -> str:
    """A copy of an earlier day is still named on that day's return list."""
    if t.entry.kind != "copy" or t.entry.day in (None, f"{today:%Y-%m-%d}"):
        return ""
    return (
        f" (the return list of {t.entry.day} still names it: `salesxl return` into the "
        "folder clears old lists)"
    )
