"""The roster 花名册: who the reps are, where they sit, when they joined and left (SPEC §2.4)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from salesxl.issues import Issue
from salesxl.load import load_form
from salesxl.validate import FormData, ValidationContext

__all__ = ["Rep", "Roster", "RosterError", "read_roster", "roster_from_form"]


class RosterError(Exception):
    """The file given as roster is not a roster (or cannot be read at all)."""


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


def roster_from_form(data: FormData) -> Roster:
    """Reps from a read roster; rows without an ID are skipped (their issues say why)."""
    if data.form_id != "roster":
        first = data.issues[0].message_en if data.issues else f"it is a {data.form_id} form"
        raise RosterError(f"{data.path} is not a roster: {first}")
    reps: dict[str, Rep] = {}
    for record in data.records("reps"):
        rep_id = record["rep_id"]
        if rep_id is None or rep_id in reps:
            continue
        reps[rep_id] = Rep(
            rep_id=rep_id,
            name=record["name"] or rep_id,
            region=record["region"],
            team=record["team"],
            manager=record["manager"],
            level=record["level"],
            hire_date=record["hire_date"],
            leave_date=record["leave_date"],
            status=record["status"],
        )
    return Roster(reps, data.path, list(data.issues))


def read_roster(path: Path, ctx: ValidationContext | None = None) -> Roster:
    """Read and validate a roster file; raises RosterError when it is not one."""
    return roster_from_form(load_form(Path(path), ctx))
