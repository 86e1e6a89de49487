"""A mid-year re-split: the months before `--from` stay; each unit's remaining gap is spread
over the months left, and the result is the plan's next version.

For every unit at the bottom of the plan (a rep, or a rep's product), the
remaining gap is its year less its sales to date, rounded up to the rounding
unit (reaching the new months reaches the year); it is spread over the months
left in proportion to the unit's own months of the previous version — the
shape its method gave them, with its ramp and active months.  A unit already
past its year keeps its original remaining months, with a note.  Units above
are the sums of theirs, so every guarantee of a split holds for the new months.
Tiers are re-spread the same way (stretch less sales, challenge less sales)
and stay ordered cell by cell.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace

from salesxl.core.periods import Month
from salesxl.targets.model import Split, TargetsError, UnitPlan, Version
from salesxl.targets.notes import join, note
from salesxl.targets.rounding import apportion

__all__ = ["Actuals", "resplit"]

Key = tuple[str, str | None]
Actuals = Mapping[Key, Mapping[Month, float]]  # (rep ID, product or None) -> month -> sales


def _leaf_actuals(split: Split, actuals: Actuals, start: Month) -> dict[Key, float]:
    """Sales to date (the fiscal year's months before `start`) of every plan row."""
    before = [m for m in split.months if m < start]
    by_unit: dict[str, float] = defaultdict(float)
    by_key: dict[Key, float] = defaultdict(float)
    for (unit, product), months in actuals.items():
        amount = math.fsum(months.get(m, 0.0) for m in before)
        by_unit[unit] += amount
        if product is not None:
            by_key[(unit, product)] += amount
    return {
        (p.unit, p.product): by_key[(p.unit, p.product)] if p.product else by_unit[p.unit]
        for p in split.plans
    }


def _children(split: Split) -> dict[Key, list[Key]]:
    kids: dict[Key, list[Key]] = defaultdict(list)
    for p in split.plans:
        if p.product is not None:
            kids[(p.unit, None)].append((p.unit, p.product))
        elif p.parent:
            kids[(p.parent, None)].append((p.unit, None))
    return kids


def _respread(
    plan: UnitPlan, actual_units: float, k0: int, tiers: list[str]
) -> tuple[dict[str, list[int]], str]:
    """The remaining months of every tier of one bottom row, and its note."""
    targets: dict[str, int] = {}
    notes: list[str] = []
    for tier in tiers:
        months = plan.tier(tier)
        remaining = sum(months[k0:])
        gap = math.ceil(sum(months) - actual_units - 1e-9)
        if gap <= 0:
            targets[tier] = remaining
            if tier == "base":
                notes.append(
                    note(
                        "已超过全年目标：保留原来的剩余月份",
                        "already past its year: keeps its original remaining months",
                    )
                )
        elif remaining <= 0:
            targets[tier] = 0
            if tier == "base":
                notes.append(
                    note(
                        f"没有剩余月份承担尚差的 {gap} 个取整单位（剩余月份不在职）",
                        f"no month left to carry its remaining gap of {gap} units "
                        "(not active in the months left)",
                    )
                )
        else:
            targets[tier] = gap
    out: dict[str, list[int]] = {}
    below: str | None = None
    for tier in tiers:  # each tier is the one below plus a non-negative uplift
        if below is not None:
            targets[tier] = max(targets[tier], targets[below])
        shape = plan.tier(tier)[k0:]
        if below is None:
            out[tier] = _place(targets[tier], shape)
        else:
            uplift = [a - b for a, b in zip(shape, plan.tier(below)[k0:], strict=True)]
            weights = uplift if sum(uplift) > 0 else plan.tier(below)[k0:]
            extra = _place(targets[tier] - targets[below], weights)
            out[tier] = [a + b for a, b in zip(out[below], extra, strict=True)]
        below = tier
    return out, join(*notes)


def _place(total: int, weights: list[int]) -> list[int]:
    if total and not any(weights):
        return [0] * len(weights)
    return apportion(total, [float(w) for w in weights])


def resplit(split: Split, actuals: Actuals, start: Month, *, today: dt.date | None = None) -> Split:
    """The next version of `split`: months before `start` kept, the rest re-spread."""
    if start not in split.months:
        raise TargetsError(
            f"重新分解的起始月 {start} 不在财年 {split.months[0]}–{split.months[-1]} 内",
            f"the re-split's first month {start} is not a month of the plan's fiscal year "
            f"({split.months[0]} to {split.months[-1]})",
            hint_zh="请选择财年内的一个月",
            hint_en="choose a month of that fiscal year",
            setting=None,
        )
    k0 = split.months.index(start)
    rounding = float(split.settings.rounding)
    tiers = split.tier_names
    kids = _children(split)
    sales = _leaf_actuals(split, actuals, start)
    new: dict[Key, dict[str, list[int]]] = {}
    notes: dict[Key, str] = {}
    exact: dict[Key, list[float]] = {}
    for plan in reversed(split.plans):  # the rows under a unit come after it
        key = (plan.unit, plan.product)
        if kids.get(key):
            new[key] = {
                tier: [sum(new[c][tier][k] for c in kids[key]) for k in range(12)] for tier in tiers
            }
            sales[key] = math.fsum(sales[c] for c in kids[key])
            exact[key] = [math.fsum(exact[c][k] for c in kids[key]) for k in range(12)]
            if sum(plan.months) - sales[key] / rounding < 0:
                notes[key] = note(
                    "已超过全年目标，各月为其下级之和",
                    "already past its year, its months are the sums of its units'",
                )
            continue
        remaining, said = _respread(plan, sales[key] / rounding, k0, tiers)
        new[key] = {tier: plan.tier(tier)[:k0] + remaining[tier] for tier in tiers}
        notes[key] = said
        shape = plan.months[k0:]
        total, scale = sum(remaining["base"]), sum(shape)
        kept = plan.exact[:k0] if len(plan.exact) == 12 else [float(v) for v in plan.months[:k0]]
        exact[key] = kept + [total * w / scale if scale else 0.0 for w in shape]
    plans = []
    for plan in split.plans:
        key = (plan.unit, plan.product)
        months = new[key]
        year, to_date = f"{sum(plan.months) * rounding:,.0f}", f"{sales[key]:,.0f}"
        head = note(
            f"自 {start} 起重新分解：全年 {year}，至今销售 {to_date}",
            f"re-split from {start}: year {year}, sales to date {to_date}",
        )
        plans.append(
            replace(
                plan,
                annual=sum(months["base"]),
                months=months["base"],
                tiers={t: months[t] for t in tiers[1:]},
                note=join(head, notes.get(key, ""), plan.note),
                exact=exact[key],
                actual_to_date=sales[key],
            )
        )
    known = {p.unit for p in split.plans}
    strangers = sorted({unit for unit, _ in actuals if unit not in known})
    v = split.version.number
    warnings: list[str] = [
        note(
            f"自版本 {v} 的 {start} 起重新分解", f"re-split from {start} of version {v}", info=True
        )
    ]
    if strangers:
        warnings.append(
            note(
                f"{'、'.join(strangers[:20])} 的销售不在目标中，未计入",
                f"sales of {', '.join(strangers[:20])} are not in the targets and were not counted",
            )
        )
    version = Version(split.version.number + 1, today or dt.date.today(), start)
    return Split(split.settings, split.months, plans, warnings, [], version)
