"""Who the reps are: `Rep` and the `Roster` 花名册 (where they sit, when they joined and left).

Plain data with no file I/O; reading a roster file is `salesxl.intake.roster`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from salesxl.core.issues import Issue
from salesxl.core.rep_ids import RepIndex

__all__ = ["Rep", "Roster", "name_key", "names_to_ids"]

_NAME_NOISE = re.compile(r"[\W_]+")


def name_key(name: str) -> str:
    """A person's name for matching: NFKC, case-folded, no spaces or punctuation."""
    return _NAME_NOISE.sub("", unicodedata.normalize("NFKC", name).casefold())


def names_to_ids(reps: Iterable[tuple[str, str | None]]) -> dict[str, str]:
    """Name key -> rep ID for (rep ID, name) pairs; a name two reps share matches neither."""
    found: dict[str, str | None] = {}
    for rep_id, name in reps:
        if name:
            key = name_key(name)
            found[key] = rep_id if found.get(key, rep_id) == rep_id else None
    return {key: rep_id for key, rep_id in found.items() if rep_id is not None}


@dataclass(frozen=True, slots=True)
class Rep:
    rep_id: str
    name: str
    region: str | None = None
    team: str | None = None
    manager: str | None = None
    level: str | None = None  # junior / mid / senior (初级/中级/高级)
    hire_date: dt.date | None = None
    leave_date: dt.date | None = None
    status: str | None = None  # active / left

    def active_on(self, day: dt.date) -> bool:
        """Expected to work on `day`: hired by then and not yet left."""
        if self.hire_date and day < self.hire_date:
            return False
        if self.leave_date and day > self.leave_date:
            return False
        return not (self.status == "left" and self.leave_date is None)


@dataclass(slots=True)
class Roster:
    reps: dict[str, Rep]
    path: str | None = None
    issues: list[Issue] = field(default_factory=list)

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(self.reps)

    def ids_by_name(self) -> dict[str, str]:
        """Name key (`name_key`) -> rep ID, for names only one rep has."""
        return names_to_ids((rep.rep_id, rep.name) for rep in self.reps.values())

    def __contains__(self, rep_id: object) -> bool:
        return rep_id in self.reps

    def __len__(self) -> int:
        return len(self.reps)

    def employment(self) -> dict[str, tuple[dt.date | None, dt.date | None]]:
        """Rep ID -> (hire date, leave date), for the reps with either."""
        return {
            rep_id: (rep.hire_date, rep.leave_date)
            for rep_id, rep in self.reps.items()
            if rep.hire_date or rep.leave_date
        }

    @property
    def names(self) -> dict[str, str]:
        return {rep_id: rep.name for rep_id, rep in self.reps.items()}

    def index(self) -> RepIndex:
        """The roster's IDs and names for matching typed IDs (`s020` is `S020`)."""
        return RepIndex(self.reps, self.names)
