"""Return copies from the watched folder: each file with errors goes back to its rep.

`write.returns.return_copies` writes a rep's file back with its problems
marked, and a 退回清单 return list per team of every file it was given.  A
watch sees files one at a time; to keep each day's return lists whole, the
step remembers the day's files with errors (their header and issues, not
their rows) and hands `return_copies` all of them each time: earlier copies
are written again, unchanged, and the lists list them all.  A file handed
in again without errors leaves the list (its old copy stays on disk).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from salesxl.core.people import Roster
from salesxl.validate import FormData
from salesxl.write.returns import return_copies

__all__ = ["ReturnStep"]


class ReturnStep:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.day: dt.date | None = None
        self.bad: dict[str, FormData] = {}  # path -> the file with errors, as read

    def add(self, data: FormData, roster: Roster | None, today: dt.date) -> str:
        """Write the return copy of `data` (which has errors); what to log."""
        if self.day != today:
            self.day, self.bad = today, {}
        for table in data.tables.values():  # a copy needs the header and the issues only
            table.records = []
        self.bad[data.path] = data
        returned = return_copies(list(self.bad.values()), self.folder, roster=roster, today=today)
        mine = next((f for f in returned.files if str(f.source) == data.path), None)
        if mine is None or mine.copy is None:
            return "no return copy (the file cannot be opened to mark it)"
        return f"returned: {mine.copy}"

    def fixed(self, path: str) -> None:
        """The file came in again without errors."""
        self.bad.pop(path, None)
