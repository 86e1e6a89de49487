"""Annual targets down the tree (整分合): given figures stay, the rest is shared.

A parent's target less its children's given targets is shared among the other
children by the parent's 分配依据 share basis:

- `weights`: exactly in proportion to 权重 (a child without one counts 1);
- `last-year`: by last year's sales (a child without any counts as the average one);
- `last-year×weights`: last year's sales scaled by the weights;
- `equal`;
- `proposals`: in proportion to the 上报目标 proposals.

Without a setting: `weights` where any of the children has a weight, else
`last-year` where any has history, else `equal`.  Someone active for part of
the year (hired, or leaving) gets that part of their share: each month worked
at all counts as a whole month (consolidation pro-rates a partial month by the
workdays employed), each ramp month at its percentage.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from salesxl.targets.model import SHARE_BASES, Settings, TargetsError, UnitSpec
from salesxl.targets.notes import join, note
from salesxl.targets.rounding import apportion
from salesxl.targets.tree import Tree, where_en, where_zh

__all__ = ["GIVEN", "Annuals", "annual_targets", "share_weights", "to_units"]

GIVEN = note("给定（年度目标）", "given (annual target)")


def to_units(amount: Decimal, rounding: Decimal, what_zh: str, what_en: str) -> int:
    """`amount` in rounding units; it must be a whole number of them."""
    value = amount / rounding
    if value != value.to_integral_value():
        raise TargetsError(
            f"{what_zh} {amount:,} 不是取整单位 {rounding} 的整数倍，请取整或修改「取整单位」",
            f"{what_en} {amount:,} is not a multiple of the rounding unit {rounding}; "
            "round it or change 取整单位 Rounding",
        )
    return int(value)


@dataclass(slots=True)
class Annuals:
    annual: dict[str, int]
    top_down: dict[str, int | None]
    annual_from: dict[str, str] = field(default_factory=dict)  # how each unit got its year
    basis: dict[str, str] = field(default_factory=dict)  # how each parent shared its year


def default_basis(specs: Sequence[UnitSpec], last_year: Sequence[float]) -> str:
    if any(s.weight is not None for s in specs):
        return "weights"
    if any(v > 0 for v in last_year):
        return "last-year"
    return "equal"


def share_weights(
    basis: str,
    specs: Sequence[UnitSpec],
    last_year: Sequence[float],
    proposals: Sequence[int | None],
) -> tuple[list[float], str]:
    """Each child's weight under `basis`, and what was assumed for children lacking data."""
    names = [s.product or s.unit for s in specs]
    notes: list[str] = []
    weights = [s.weight if s.weight is not None else 1.0 for s in specs]
    if basis in ("weights", "last-year×weights"):
        missing = [n for n, s in zip(names, specs, strict=True) if s.weight is None]
        if missing and len(missing) < len(specs):
            notes.append(
                note(
                    f"无权重，按 1 计：{'、'.join(missing)}",
                    f"no weight, counted as 1: {', '.join(missing)}",
                )
            )
    if basis == "weights":
        return weights, join(*notes)
    if basis == "equal":
        return [1.0] * len(specs), ""
    if basis == "proposals":
        given = [float(p) for p in proposals if p is not None]
        if not given:
            return [1.0] * len(specs), note("无上报目标：平均分配", "no proposals: shared equally")
        average = math.fsum(given) / len(given)
        missing = [n for n, p in zip(names, proposals, strict=True) if p is None]
        if missing:
            notes.append(
                note(
                    f"无上报目标，按平均值计：{'、'.join(missing)}",
                    f"no proposal, counted as the average one: {', '.join(missing)}",
                )
            )
        return [float(p) if p is not None else average for p in proposals], join(*notes)
    if basis not in ("last-year", "last-year×weights"):
        raise TargetsError(
            f"分配依据 Share basis「{basis}」无法识别，请用 {'、'.join(SHARE_BASES)} 之一",
            f"分配依据 Share basis {basis!r}: use one of {', '.join(SHARE_BASES)}",
        )
    known = [v for v in last_year if v > 0]
    if not known:
        return ([1.0] * len(specs) if basis == "last-year" else weights), (
            note("无历史：平均分配", "no history: shared equally")
            if basis == "last-year"
            else note("无历史：按权重分配", "no history: shared by weights")
        )
    average = math.fsum(known) / len(known)
    missing = [n for n, v in zip(names, last_year, strict=True) if v <= 0]
    if missing:
        notes.append(
            note(
                f"去年无历史，按平均值计：{'、'.join(missing)}",
                f"no history last year, counted as the average one: {', '.join(missing)}",
            )
        )
    base = [v if v > 0 else average for v in last_year]
    if basis == "last-year":
        return base, join(*notes)
    return [b * w for b, w in zip(base, weights, strict=True)], join(*notes)


def annual_targets(
    tree: Tree,
    settings: Settings,
    last_year: Callable[[str], float],
    active_part: Callable[[str], float],
    warnings: list[str],
) -> Annuals:
    """Every unit's annual target in rounding units, and how it came about."""
    s = settings
    proposals: dict[str, int] = {}
    for unit, spec in tree.nodes.items():
        if spec.proposed is not None:
            value = (spec.proposed / s.rounding).to_integral_value(ROUND_HALF_UP)
            if value * s.rounding != spec.proposed:
                warnings.append(
                    note(
                        f"{unit}：上报目标 {spec.proposed:,} 取整为 {value * s.rounding:,}"
                        f"（取整单位 {s.rounding}）",
                        f"{unit}: proposal {spec.proposed:,} rounded to {value * s.rounding:,} "
                        f"(rounding unit {s.rounding})",
                        info=True,
                    )
                )
            proposals[unit] = int(value)
    out = Annuals({}, dict.fromkeys(tree.nodes))

    def down(unit: str, total: int, use_proposals: bool, record: bool = True) -> None:
        out.top_down[unit] = total
        children = tree.children.get(unit, [])
        if not children:
            return
        fixed: dict[str, int] = {}
        for child in children:
            spec = tree.nodes[child]
            if spec.annual is not None:
                fixed[child] = to_units(
                    spec.annual, s.rounding, f"{child} 年度目标", f"the annual target of {child}"
                )
                if record:
                    out.annual_from[child] = GIVEN
        rest = total - sum(fixed.values())
        if rest < 0:
            raise TargetsError(
                f"年度目标 Annual：「{unit}」的目标 {total * s.rounding:,} 小于下级已定目标之和 "
                f"{sum(fixed.values()) * s.rounding:,}（{', '.join(fixed)}），请调高它或调低下级",
                f"年度目标 Annual: {unit!r} ({total * s.rounding:,}) is smaller than its "
                f"children's fixed targets ({', '.join(fixed)}: "
                f"{sum(fixed.values()) * s.rounding:,}); raise it or lower theirs",
            )
        free = [c for c in children if c not in fixed]
        parts: dict[str, int] = {}
        if not free and rest:
            raise TargetsError(
                f"年度目标 Annual：「{unit}」的下级目标之和与其目标相差 {rest * s.rounding:,}，"
                "请更正其中一个",
                f"年度目标 Annual: the targets of {unit!r}'s children do not add up to its "
                f"target (off by {rest * s.rounding:,}); correct one of them",
            )
        if free:
            specs = [tree.nodes[c] for c in free]
            history = [last_year(c) for c in free]
            asked = tree.nodes[unit].share_basis or s.share_basis
            if use_proposals and all(c in proposals for c in free):
                basis = "proposals"
            else:
                basis = asked or default_basis(specs, history)
            weights, said = share_weights(basis, specs, history, [proposals.get(c) for c in free])
            # Someone active for part of the year gets the share of those months (a month
            # worked at all counts whole, a ramp month at its percentage: profiles.presence).
            weights = [w * active_part(c) for c, w in zip(free, weights, strict=True)]
            parts = dict(zip(free, apportion(rest, weights), strict=True))
            total_weight = math.fsum(weights) or 1.0
            if record:
                how = ("", "") if asked else ("（默认）", " (default)")
                out.basis[unit] = join(note(f"{basis}{how[0]}", f"{basis}{how[1]}"), said)
                for c, w in zip(free, weights, strict=True):
                    part, share = active_part(c), f"{w / total_weight:.1%}"
                    out.annual_from[c] = join(
                        note(
                            f"按 {basis} 分得 {unit} 的 {share}",
                            f"share of {unit} by {basis} ({share})",
                        ),
                        note(
                            f"12 个月中的 {part * 12:g} 个（在职、爬坡）",
                            f"{part * 12:g} of 12 months (active, ramp)",
                        )
                        if part < 1
                        else "",
                    )
        for child in children:
            down(child, fixed.get(child, parts.get(child, 0)), use_proposals, record)

    roots_total: dict[str, int] = {}
    for root in tree.roots:
        spec = tree.nodes[root]
        if spec.annual is not None:
            roots_total[root] = to_units(
                spec.annual, s.rounding, f"{root} 年度目标", f"the annual target of {root}"
            )
            out.annual_from[root] = GIVEN
    if s.mode in ("top-down", "negotiated"):
        for root in tree.roots:
            if root not in roots_total:
                raise TargetsError(
                    f"年度目标 Annual：顶层单元「{root}」需要年度目标（{s.mode} 模式）",
                    f"年度目标 Annual: the top unit {root!r} needs an annual target in "
                    f"{s.mode} mode",
                )
            down(root, roots_total[root], s.mode == "negotiated" and s.scale_proposals)
        out.annual = {u: v for u, v in out.top_down.items() if v is not None}
        return out
    # bottom-up: the reps' proposals summed up the tree
    for unit, _ in reversed(tree.order()):
        children = tree.children.get(unit, [])
        if children:
            out.annual[unit] = sum(out.annual[c] for c in children)
            out.annual_from[unit] = note("下级上报目标之和", "sum of the proposals below")
        elif unit in proposals:
            out.annual[unit] = proposals[unit]
            out.annual_from[unit] = note("自己的上报目标", "its own proposal")
        else:
            spec = tree.nodes[unit]
            raise TargetsError(
                where_zh(spec) + f"由下而上模式需要每个最底层单元的上报目标，「{unit}」没有",
                where_en(spec) + f"bottom-up needs a 上报目标 Proposed for {unit!r}",
            )
    for root in tree.roots:  # the top-down figure, for the gap report
        if root in roots_total:
            down(root, roots_total[root], False, record=False)
    return out
