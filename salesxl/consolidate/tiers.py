"""档位 Tiers: each rep's month amount against the base, stretch and challenge targets.

Warnings, pace and ranks stay keyed to the base target (the By rep sheet);
this sheet only adds how far each rep is towards the higher tiers, when the
targets have them (`salesxl targets split` with 冲刺 / 挑战 uplifts or figures).
A tier's month target is pro-rated to the workdays the rep was employed, as
the base target is (README, "Leavers, new hires and pro-rating"), so a rep who
joined mid-month is measured against the same part of every tier.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from salesxl.consolidate.kpis import Totals
from salesxl.consolidate.model import ColumnSpec, SheetData

__all__ = ["tiers_sheet"]

C = ColumnSpec
_TIERS = (("stretch", "冲刺", "Stretch"), ("challenge", "挑战", "Challenge"))


def _completion(amount: float, target: float | None) -> float | None:
    return amount / target if target else None


def _prorated(t: Totals, goal: float) -> float:
    """A month target pro-rated to the workdays employed (as given without standing)."""
    return t.standing.prorated(goal) if t.standing is not None else goal


def tiers_sheet(
    reps: Iterable[Totals], tiers: Mapping[str, Mapping[str, float]]
) -> SheetData | None:
    """None when no rep has a stretch or challenge target this month."""
    present = [(key, zh, en) for key, zh, en in _TIERS if tiers.get(key)]
    if not present:
        return None
    columns = [
        C("rep_id", "工号", "Rep ID"),
        C("name", "销售员", "Rep"),
        C("team", "团队", "Team"),
        C("amount", "金额", "Amount", "money"),
        C("target", "目标", "Base target", "money"),
        C("prorated", "折算目标", "Pro-rated", "money"),
        C("completion", "完成率", "Completion", "percent"),
    ]
    for key, zh, en in present:
        columns += [
            C(f"{key}_target", f"{zh}目标", f"{en} target", "money"),
            C(f"{key}_prorated", f"{zh}折算", f"{en} pro-rated", "money"),
            C(f"{key}_completion", f"{zh}完成率", f"{en} completion", "percent"),
        ]
    rows = []
    # The company row compares like with like, as By team's company row does (its base
    # completion is that one): the amount of the reps with that target, against the sum of
    # their pro-rated targets; a rep without a report (无数据 No data) has a target and no
    # amount, as there.
    amounts = {"base": 0.0, **{key: 0.0 for key, _, _ in present}}
    goals = dict.fromkeys(amounts, 0.0)  # the month targets as given
    prorated_goals = dict.fromkeys(amounts, 0.0)
    for t in sorted(reps, key=lambda t: (t.region or "", t.team or "", t.key)):
        known = t.has_report
        amount = round(t.amount, 2) if known else None
        row: list[object] = [t.key, t.name, t.team, amount, t.target, t.prorated_target]
        row.append(t.completion if known else None)
        if t.target is not None and t.prorated_target is not None:
            amounts["base"] += t.amount
            goals["base"] += t.target
            prorated_goals["base"] += t.prorated_target
        for key, _, _ in present:
            goal = tiers[key].get(t.key)
            prorated = _prorated(t, goal) if goal is not None else None
            row += [goal, prorated, _completion(t.amount, prorated) if known else None]
            if goal is not None and prorated is not None:
                amounts[key] += t.amount
                goals[key] += goal
                prorated_goals[key] += prorated
        rows.append(row)
    company: list[object] = ["合计 Total", None, None, round(amounts["base"], 2)]
    for key in amounts:
        company += [
            goals[key] or None,
            prorated_goals[key] or None,
            _completion(amounts[key], prorated_goals[key]),
        ]
    rows.append(company)
    return SheetData("tiers", "档位", "Tiers", columns, rows)
