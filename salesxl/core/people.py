"""Who the reps are: `Rep` and the `Roster` 花名册 (where they sit, when they joined and left).

Plain data with no file I/O; reading a roster file is `salesxl.intake.roster`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from salesxl.core.issues import Issue
from salesxl.core.rep_ids import RepIndex

__all__ = ["Rep", "Roster"]


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

    def __contains__(self, rep_id: object) -> bool:
        return rep_id in self.reps

    def __len__(self) -> int:
        return len(self.reps)

    @property
    def names(self) -> dict[str, str]:
        return {rep_id: rep.name for rep_id, rep in self.reps.items()}

    def index(self) -> RepIndex:
        """The roster's IDs and names for matching typed IDs (`s020` is `S020`)."""
        return RepIndex(self.reps, self.names)
