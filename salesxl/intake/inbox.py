"""An inbox: the folder of forms reps sent in, read and validated in one call.

The CLI's `validate` and `consolidate`, the store's `import reports` and the
Excel button all start here, so every file goes through the one reader.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path

from salesxl.core.issues import Code, Issue, make_issue, message
from salesxl.core.people import Roster
from salesxl.core.periods import Month, Week
from salesxl.forms import REP_FORM_IDS
from salesxl.intake.files import Prepare, collect_files, load_forms
from salesxl.intake.roster import read_roster
from salesxl.validate import FormData, ValidationContext

__all__ = ["Inbox", "ProgressFactory", "read_inbox"]

# Called with the number of files; yields a callback advanced once per file.
ProgressFactory = Callable[[int], AbstractContextManager[Callable[[int], None]]]


@contextlib.contextmanager
def _silent(total: int) -> Iterator[Callable[[int], None]]:
    yield lambda n: None


@dataclass(slots=True)
class Inbox:
    files: list[Path]
    forms: list[FormData]
    roster: Roster | None = None
    notes: list[Issue] = field(default_factory=list)  # skipped non-spreadsheet files
    paths: list[Path] = field(default_factory=list)  # the files and folders given

    @property
    def issues(self) -> list[Issue]:
        """Every issue, file by file in input order, then the roster's errors and notes."""
        found = [issue for data in self.forms for issue in data.issues]
        if self.roster is not None and not self._roster_among_forms():
            found += [i for i in self.roster.issues if i.is_error]
        return found + self.notes

    def no_forms(self, *, rep_forms: bool = False) -> Issue | None:
        """A warning when nothing was found to read (or, with `rep_forms`, no rep form)."""
        if rep_forms and any(data.form_id in REP_FORM_IDS for data in self.forms):
            return None
        if not rep_forms and self.files:
            return None
        where = ", ".join(map(str, self.paths)) or "."
        if rep_forms and self.files:
            text = message(Code.NO_FORMS, "no_rep_forms", where=where, count=len(self.files))
        else:
            text = message(Code.NO_FORMS, where=where)
        return make_issue(Code.NO_FORMS, where, *text)

    def _roster_among_forms(self) -> bool:
        """The roster was also one of the files checked: its issues are listed once."""
        if self.roster is None or self.roster.path is None:
            return False
        roster = Path(self.roster.path).resolve()
        return any(Path(data.path).resolve() == roster for data in self.forms)


def read_inbox(
    paths: Sequence[Path],
    *,
    roster: Path | Roster | None = None,
    period: Month | Week | None = None,
    today: dt.date | None = None,
    products: frozenset[str] | None = None,
    workers: int | None = None,
    progress: ProgressFactory | None = None,
    prepare: Prepare | None = None,
    column_map: Mapping[str, str] | None = None,
    date_order: str | None = None,
    encoding: str | None = None,
    saved_times: bool = True,
) -> Inbox:
    """Read and validate every form under `paths` (files or folders, recursively).

    `column_map`, `date_order` and `encoding` read files from other systems (see
    `ValidationContext`).  Raises FileNotFoundError for a missing path and
    RosterError when `roster` is not a roster; everything wrong inside the files
    becomes issues.
    """
    today = today or dt.date.today()
    files, notes = collect_files([Path(p) for p in paths])
    if isinstance(roster, Path):
        roster = read_roster(roster, ValidationContext(today=today))
    ctx = ValidationContext(
        today=today,
        period=period,
        roster_ids=roster.ids if roster is not None else None,
        rep_names=roster.names if roster is not None else None,
        products=products,
        roster_names=roster.ids_by_name() if roster is not None else None,
        employment=roster.employment() if roster is not None else None,
        column_map=dict(column_map) if column_map else None,
        date_order=date_order,
        encoding=encoding,
        saved_times=saved_times,
    )
    with (progress or _silent)(len(files)) as step:
        forms = load_forms(files, ctx, workers=workers, progress=step, prepare=prepare)
    return Inbox(files, forms, roster, notes, [Path(p) for p in paths])
