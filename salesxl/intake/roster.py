"""Read a roster 花名册 file into a `Roster` (salesxl.core.people)."""

from __future__ import annotations

from pathlib import Path

from salesxl.core.errors import SalesxlError
from salesxl.core.people import Rep, Roster
from salesxl.forms import FormId, Role, TableKey
from salesxl.intake.files import load_form, not_this_form
from salesxl.validate import FormData, ValidationContext

__all__ = ["RosterError", "read_roster", "roster_from_form"]


class RosterError(SalesxlError):
    """The file given as roster is not a roster (or cannot be read at all)."""

    usage = True  # the roster setting names a file that is not a roster


def roster_from_form(data: FormData) -> Roster:
    """Reps from a read roster; rows without an ID are skipped (their issues say why)."""
    if data.form_id != FormId.ROSTER:
        what_zh, what_en = not_this_form(data)
        raise RosterError(
            f"{data.path} 不是花名册：" + what_zh,
            f"{data.path} is not a roster: " + what_en,
            setting="roster",
        )
    reps: dict[str, Rep] = {}
    for record in data.records(TableKey.REPS):
        rep_id = record[Role.REP_ID]
        if rep_id is None or rep_id in reps:
            continue
        reps[rep_id] = Rep(
            rep_id=rep_id,
            name=record[Role.NAME] or rep_id,
            region=record[Role.REGION],
            team=record[Role.TEAM],
            manager=record[Role.MANAGER],
            level=record[Role.LEVEL],
            hire_date=record[Role.HIRE_DATE],
            leave_date=record[Role.LEAVE_DATE],
            status=record[Role.STATUS],
        )
    return Roster(reps, data.path, list(data.issues))


def read_roster(path: Path, ctx: ValidationContext | None = None) -> Roster:
    """Read and validate a roster file; raises RosterError when it is not one, or lists no
    reps (the blank template: every rep would be unknown)."""
    roster = roster_from_form(load_form(Path(path), ctx))
    if not roster.reps and not any(i.is_error for i in roster.issues):
        raise RosterError(
            f"{path} 中没有任何销售员（这是空白模板吗？），每位销售员都会被当作不在花名册中",
            f"{path} lists no reps (is it the blank template?); every rep would be unknown",
            hint_zh="请先填写花名册",
            hint_en="fill it in first",
            setting="roster",
        )
    return roster
