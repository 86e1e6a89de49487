"""Sales rows that give the rep by name only (业务员 张伟): the rep's ID from the roster.

A name matches when exactly one rep of the roster has it (spaces, case and
width aside: `people.name_key`); a name shared by two reps or not in the
roster leaves the row without a rep, so it counts toward the company and its
products only, and the file says so once (info `rep_by_name`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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
        return (
            f"销售员只有姓名、没有工号（如 {shown}），且没有花名册可对照：这些销售计入公司和产品，不计入个人。",
            f"Reps are given by name only ({shown}) and there is no roster to match them: "
            "these sales count toward the company and products, not toward a rep.",
        )
    zh = f"{matched} 行按姓名在花名册中找到工号。"
    en = f"{matched} rows got their rep ID from the roster by name."
    if missing:
        zh += f"{len(missing)} 个姓名不在花名册中（{shown}），这些销售只计入公司和产品。"
        en += (
            f" {len(missing)} names are not in the roster ({shown}): those sales count "
            "toward the company and products only."
        )
    return zh, en
