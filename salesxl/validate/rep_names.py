"""Sales rows that give the rep by name only (业务员 张伟): the rep's ID from the roster.

A name matches when exactly one rep of the roster has it (spaces, case and
width aside: `people.name_key`); a name shared by two reps or not in the
roster leaves the row without a rep, so it counts toward the company and its
products only, and the file says so once (info `rep_by_name`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from salesxl.core.issues import Code, message
from salesxl.core.people import name_key

__all__ = ["reps_by_name"]


def reps_by_name(
    ids: list[Any], names: list[Any], roster_names: Mapping[str, str] | None
) -> tuple[str, str] | None:
    """Fill `ids[i]` from `names[i]` where only the name is given; the note to report, if any."""
    by_name = roster_names or {}
    missing: dict[str, int] = {}
    matched = 0
    for i, (rep, name) in enumerate(zip(ids, names, strict=True)):
        if rep is not None or name is None:
            continue
        found = by_name.get(name_key(name))
        if found is not None:
            ids[i] = found
            matched += 1
        else:
            missing.setdefault(name, i)
    if not missing and not matched:
        return None
    shown = "、".join(list(missing)[:5]) + ("…" if len(missing) > 5 else "")
    if roster_names is None:
        return message(Code.REP_BY_NAME, "no_roster", names=shown)
    if missing:
        return message(
            Code.REP_BY_NAME, "some_missing", matched=matched, missing=len(missing), names=shown
        )
    return message(Code.REP_BY_NAME, matched=matched)
