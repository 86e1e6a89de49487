"""Tiers 目标 / 冲刺 / 挑战 (base / stretch / challenge), each as exact as the base plan.

A tier's annual figure of a unit is its 冲刺目标 / 挑战目标 when given, else its base
times (1 + its uplift %); the company-wide uplift of 设置 Settings applies at the
top.  A unit with a tier figure shares it among its children like the base
year (children with their own figure keep it, the others in proportion to
their base years); a unit with none is the sum of its children's.

Each tier is the tier below it plus a non-negative uplift, and the uplift is
spread like everything else (its months add up to its year, a parent's month
to its children's, in proportion to the unit's base months): so every cell
keeps challenge ≥ stretch ≥ base, and every guarantee of the base plan holds
for each tier.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal

from salesxl.periods import Month
from salesxl.targets.model import Settings, TargetsError, UnitSpec
from salesxl.targets.rounding import apportion
from salesxl.targets.shares import to_units
from salesxl.targets.spread import Key, Nodes, name_of, spread

__all__ = ["TIER_LABELS", "tier_plans"]

TIER_LABELS = {"base": "目标 Base", "stretch": "冲刺 Stretch", "challenge": "挑战 Challenge"}


def _given(spec: UnitSpec, tier: str, base: int, settings: Settings, top: bool) -> int | None:
    figure = spec.stretch if tier == "stretch" else spec.challenge
    if figure is not None:
        return to_units(figure, settings.rounding, f"{name_of((spec.unit, spec.product))} {tier}")
    uplift = spec.stretch_uplift if tier == "stretch" else spec.challenge_uplift
    if uplift is None and top:
        uplift = settings.stretch_uplift if tier == "stretch" else settings.challenge_uplift
    if uplift is None:
        return None
    value = Decimal(base) * (1 + Decimal(str(uplift)) / 100)
    return int(value.to_integral_value(ROUND_HALF_UP))


def tier_annuals(
    nodes: Nodes,
    spec_of: Callable[[Key], UnitSpec],
    base: dict[Key, int],
    tier: str,
    settings: Settings,
) -> dict[Key, int] | None:
    """Each node's annual figure of `tier`; None when nothing asks for that tier."""
    given = {
        key: value
        for key in nodes.order
        if (value := _given(spec_of(key), tier, base[key], settings, key in nodes.roots))
        is not None
    }
    if not given:
        return None
    out: dict[Key, int] = {}

    def resolve(key: Key, handed: int | None) -> int:
        value = given.get(key, handed)
        kids = nodes.kids(key)
        if value is None:  # nothing from above: the sum of what is below
            value = sum(resolve(kid, None) for kid in kids) if kids else base[key]
        elif kids:
            fixed = {kid: given[kid] for kid in kids if kid in given}
            free = [kid for kid in kids if kid not in fixed]
            rest = value - sum(fixed.values())
            floor = sum(base[kid] for kid in free)
            if rest < floor or (not free and rest):
                raise TargetsError(
                    f"{TIER_LABELS[tier]}: {name_of(key)} 的下级目标与其不符 / the {tier} figures "
                    f"under {name_of(key)} ({', '.join(name_of(k) for k in fixed)}) leave "
                    f"{rest} rounding units for the others, whose base years need {floor}; "
                    "raise its figure or lower theirs"
                )
            parts = dict(zip(free, apportion(rest, [float(base[k]) for k in free]), strict=True))
            for kid in kids:
                resolve(kid, fixed.get(kid, parts.get(kid)))
        out[key] = value
        return value

    for root in nodes.roots:
        resolve(root, None)
    return out


def tier_plans(
    nodes: Nodes,
    spec_of: Callable[[Key], UnitSpec],
    annual: dict[Key, int],
    months: dict[Key, list[int]],
    settings: Settings,
    month_list: Sequence[Month],
    active: dict[Key, Sequence[bool]],
) -> dict[str, dict[Key, list[int]]]:
    """Stretch and challenge months per node (only the tiers that are asked for)."""
    out: dict[str, dict[Key, list[int]]] = {}
    below, below_annual = months, annual
    for tier in ("stretch", "challenge"):
        figures = tier_annuals(nodes, spec_of, annual, tier, settings)
        if figures is None:
            continue
        uplift: dict[Key, int] = {}
        for key in nodes.order:
            uplift[key] = figures[key] - below_annual[key]
            if uplift[key] < 0:
                lower = "base" if below is months else "stretch"
                raise TargetsError(
                    f"{TIER_LABELS[tier]}: {name_of(key)} 的{tier}目标低于{lower}目标 / the "
                    f"{tier} year of {name_of(key)} ({figures[key]} rounding units) is below "
                    f"its {lower} year ({below_annual[key]}); tiers must rise: base ≤ stretch "
                    "≤ challenge"
                )
        # The uplift follows the unit's base months (a zero month stays zero).
        weights = {
            key: [float(v) for v in months[key]]
            if any(months[key])
            else [1.0 if on else 0.0 for on in active[key]]
            for key in nodes.order
        }
        extra, _ = spread(nodes, uplift, weights, month_list)
        out[tier] = {
            key: [a + b for a, b in zip(below[key], extra[key], strict=True)] for key in nodes.order
        }
        below, below_annual = out[tier], figures
    return out
