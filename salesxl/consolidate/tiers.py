"""档位 Tiers: each rep's month amount against the base, stretch and challenge targets.

Warnings, pace and ranks stay keyed to the base target (the By rep sheet);
this sheet only adds how far each rep is towards the higher tiers, when the
targets have them (`salesxl targets split` with 冲刺 / 挑战 uplifts or figures).
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


def tiers_sheet(
    reps: Iterable[Totals], tiers: Mapping[str, Mapping[str, float]], reporting: set[str]
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
        C("completion", "完成率", "Completion", "percent"),
    ]
    for key, zh, en in present:
        columns += [
            C(f"{key}_target", f"{zh}目标", f"{en} target", "money"),
            C(f"{key}_completion", f"{zh}完成率", f"{en} completion", "percent"),
        ]
    rows = []
    totals = {"amount": 0.0, "target": 0.0, **{key: 0.0 for key, _, _ in present}}
    for t in sorted(reps, key=lambda t: (t.region or "", t.team or "", t.key)):
        known = t.key in reporting
        amount = round(t.amount, 2) if known else None
        row = [t.key, t.name, t.team, amount, t.target]
        row.append(_completion(t.amount, t.target) if known else None)
        for key, _, _ in present:
            goal = tiers[key].get(t.key)
            row += [goal, _completion(t.amount, goal) if known else None]
            if known and goal and t.target:
                totals[key] += goal
        if known and t.target:  # the company row compares like with like (as By team)
            totals["amount"] += t.amount
            totals["target"] += t.target
        rows.append(row)
    company = ["合计 Total", None, None, round(totals["amount"], 2), totals["target"] or None]
    company.append(_completion(totals["amount"], totals["target"]))
    for key, _, _ in present:
        company += [totals[key] or None, _completion(totals["amount"], totals[key])]
    rows.append(company)
    return SheetData("tiers", "档位", "Tiers", columns, rows)
