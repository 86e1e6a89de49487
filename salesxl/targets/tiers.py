"""Tiers 目标 / 冲刺 / 挑战 (base / stretch / challenge), each as exact as the base plan.

A tier's annual figure of a unit is its 冲刺目标 / 挑战目标 when given: the units under
it share it like a base year (those with their own figure keep it, the others get
their lower tier plus the rest in proportion to their base years).  Otherwise the
units at the bottom get their base times (1 + the uplift %) — their own, or the
nearest one above them, or the company-wide one of 设置 Settings — and every unit
above is the sum of its units.

Each tier is the tier below it plus a non-negative uplift: every bottom unit
spreads its uplift over its own base months (its months add up to its year)
and every unit above is the sum of its units, so each cell keeps challenge ≥
stretch ≥ base and every guarantee of the base plan holds for each tier.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal

from salesxl.core.periods import Month
from salesxl.targets.model import Settings, TargetsError, UnitSpec
from salesxl.targets.notes import note
from salesxl.targets.rounding import apportion
from salesxl.targets.shares import to_units
from salesxl.targets.spread import Key, Nodes, name_of

__all__ = ["TIER_LABELS", "tier_plans"]

TIER_LABELS = {"base": "目标 Base", "stretch": "冲刺 Stretch", "challenge": "挑战 Challenge"}


def _figure(spec: UnitSpec, tier: str, settings: Settings) -> int | None:
    figure = spec.stretch if tier == "stretch" else spec.challenge
    if figure is None:
        return None
    name = name_of((spec.unit, spec.product))
    return to_units(
        figure, settings.rounding, f"{name} {TIER_LABELS[tier]}", f"the {tier} figure of {name}"
    )


def _uplift(spec: UnitSpec, tier: str) -> float | None:
    return spec.stretch_uplift if tier == "stretch" else spec.challenge_uplift


def _raise(base: int, uplift: float) -> int:
    value = Decimal(base) * (1 + Decimal(str(uplift)) / 100)
    return int(value.to_integral_value(ROUND_HALF_UP))


def tier_annuals(
    nodes: Nodes,
    spec_of: Callable[[Key], UnitSpec],
    base: dict[Key, int],
    tier: str,
    settings: Settings,
    floor: dict[Key, int],
    warnings: list[str] | None = None,
) -> dict[Key, int] | None:
    """Each node's annual figure of `tier` (never below `floor`, the tier under it);
    None when nothing asks for that tier.

    An uplift applies to the units under the one it is given for (the company-wide
    one to all), unit by unit, and the units above add up; a unit's own figure is
    shared among the units under it in proportion to their base years."""
    company = settings.stretch_uplift if tier == "stretch" else settings.challenge_uplift
    asked = company is not None or any(
        _figure(spec_of(k), tier, settings) is not None or _uplift(spec_of(k), tier) is not None
        for k in nodes.order
    )
    if not asked:
        return None
    out: dict[Key, int] = {}

    def resolve(key: Key, handed: int | None, inherited: float | None) -> int:
        spec = spec_of(key)
        own = _figure(spec, tier, settings)
        uplift = _uplift(spec, tier)
        rate = uplift if uplift is not None else inherited
        value = own if own is not None else handed
        kids = nodes.kids(key)
        if value is not None and own is not None and own < floor[key]:
            raise TargetsError(
                f"{TIER_LABELS[tier]}：{name_of(key)} 的目标（{own} 个取整单位）低于下一档"
                f"（{floor[key]}）；档位须逐档上升：目标 ≤ 冲刺 ≤ 挑战",
                f"{TIER_LABELS[tier]}: the {tier} figure of {name_of(key)} ({own} rounding "
                f"units) is below its lower tier ({floor[key]}); tiers must rise: "
                "base ≤ stretch ≤ challenge",
            )
        if not kids:
            if value is None:
                value = max(_raise(base[key], rate), floor[key]) if rate is not None else floor[key]
        elif value is None:  # the sum of what is under it
            value = sum(resolve(kid, None, rate) for kid in kids)
        else:
            fixed = {k: f for k in kids if (f := _figure(spec_of(k), tier, settings)) is not None}
            ignored = [name_of(k) for k in kids if k not in fixed and _uplift(spec_of(k), tier)]
            if ignored and warnings is not None:
                zh_label, en_label = TIER_LABELS[tier].split(" ")
                warnings.append(
                    note(
                        f"{zh_label}：{name_of(key)} 有自己的数字；其下 {'、'.join(ignored)} "
                        "的上浮不用（按份额分得）",
                        f"{en_label}: {name_of(key)} has its own figure; the uplifts of "
                        f"{', '.join(ignored)} under it are not used (they get their share)",
                        info=True,
                    )
                )
            free = [k for k in kids if k not in fixed]
            rest = value - sum(fixed.values())
            need = sum(floor[k] for k in free)
            if rest < need or (not free and rest):
                given = ", ".join(name_of(k) for k in fixed)
                raise TargetsError(
                    f"{TIER_LABELS[tier]}：{name_of(key)} 的下级已定目标（{given}）只给其余下级"
                    f"留下 {rest} 个取整单位，而它们的下一档需要 {need}；请调高它或调低下级",
                    f"{TIER_LABELS[tier]}: the {tier} figures under {name_of(key)} ({given}) "
                    f"leave {rest} rounding units for the others, whose lower tier needs "
                    f"{need}; raise its figure or lower theirs",
                )
            # The others: their lower tier, plus the rest in proportion to their base years.
            extra = apportion(rest - need, [float(base[k]) for k in free]) if free else []
            parts = {k: floor[k] + e for k, e in zip(free, extra, strict=True)}
            for kid in kids:
                resolve(kid, fixed.get(kid, parts.get(kid)), rate)
        out[key] = value
        return value

    for root in nodes.roots:
        resolve(root, None, company)
    return out


def _spread_up(
    nodes: Nodes,
    uplift: dict[Key, int],
    months: dict[Key, list[int]],
    active: dict[Key, Sequence[bool]],
) -> dict[Key, list[int]]:
    """Each bottom unit's uplift over its own base months (a zero month stays zero; with no
    base at all, over its active months); every unit above is the sum of its units."""
    out: dict[Key, list[int]] = {}
    for key in reversed(nodes.order):
        kids = nodes.kids(key)
        if kids:
            out[key] = [sum(out[k][m] for k in kids) for m in range(12)]
            continue
        weights = [float(v) for v in months[key]]
        if not any(weights):
            weights = [1.0 if on else 0.0 for on in active[key]]
        if uplift[key] and not any(weights):
            raise TargetsError(
                f"{name_of(key)}：没有在职月份可以承载其档位目标，请清空它的冲刺/挑战目标",
                f"{name_of(key)}: it has no active month to carry its tier's uplift; "
                "clear its tier figure",
            )
        out[key] = apportion(uplift[key], weights) if uplift[key] else [0] * 12
    return out


def tier_plans(
    nodes: Nodes,
    spec_of: Callable[[Key], UnitSpec],
    annual: dict[Key, int],
    months: dict[Key, list[int]],
    settings: Settings,
    month_list: Sequence[Month],
    active: dict[Key, Sequence[bool]],
    warnings: list[str] | None = None,
) -> dict[str, dict[Key, list[int]]]:
    """Stretch and challenge months per node (only the tiers that are asked for)."""
    out: dict[str, dict[Key, list[int]]] = {}
    below, below_annual = months, annual
    for tier in ("stretch", "challenge"):
        figures = tier_annuals(nodes, spec_of, annual, tier, settings, below_annual, warnings)
        if figures is None:
            continue
        uplift: dict[Key, int] = {}
        for key in nodes.order:
            uplift[key] = figures[key] - below_annual[key]
            if uplift[key] < 0:
                lower = "base" if below is months else "stretch"
                raise TargetsError(
                    f"{TIER_LABELS[tier]}：{name_of(key)} 的全年（{figures[key]} 个取整单位）"
                    f"低于{TIER_LABELS[lower]}（{below_annual[key]}）；档位须逐档上升：目标 ≤ "
                    "冲刺 ≤ 挑战",
                    f"{TIER_LABELS[tier]}: the {tier} year of {name_of(key)} ({figures[key]} "
                    f"rounding units) is below its {lower} year ({below_annual[key]}); tiers "
                    "must rise: base ≤ stretch ≤ challenge",
                )
        extra = _spread_up(nodes, uplift, months, active)
        out[tier] = {
            key: [a + b for a, b in zip(below[key], extra[key], strict=True)] for key in nodes.order
        }
        below, below_annual = out[tier], figures
    return out
