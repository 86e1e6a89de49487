"""`salesxl targets explain`: how one unit's figures came about, from its targets workbook.

Its year (given, or its share of its parent and by which basis), its method
and profile, locks, ramp and active months, the Spring Festival decision,
`auto`'s backtest, and each month with the exact share it was rounded from.
"""

from __future__ import annotations

from pathlib import Path

from salesxl.targets.model import Split, TargetsError, UnitPlan
from salesxl.targets.readback import read_targets_workbook

__all__ = ["explain_file", "explain_unit"]


def _money(split: Split, units: float) -> str:
    value = float(split.settings.rounding) * units
    return f"{value:,.0f}" if abs(value - round(value)) < 1e-9 else f"{value:,.2f}"


def _find(split: Split, unit: str, product: str | None) -> UnitPlan:
    wanted = unit.strip().casefold()
    for plan in split.plans:
        if plan.unit.casefold() == wanted and (plan.product or None) == (product or None):
            return plan
    units = sorted({p.unit for p in split.plans})
    close = [u for u in units if wanted in u.casefold() or u.casefold() in wanted][:5]
    name = unit + (f" / {product}" if product else "")
    raise TargetsError(
        f"单元「{name}」不在目标文件中（共 {len(units)} 个单元）",
        f"{name!r} is not in the targets ({len(units)} units)",
        hint_zh=f"是不是 {'、'.join(close)}？" if close else "",
        hint_en=f"did you mean {', '.join(close)}?" if close else "",
        setting=None,
    )


def explain_unit(split: Split, unit: str, product: str | None = None) -> str:
    """The explanation as text, in the workbook's own words and figures."""
    plan = _find(split, unit, product)
    v = split.version
    name = plan.unit + (f" / {plan.product}" if plan.product else "")
    under = f", under {plan.parent}" if plan.parent else ""
    when = f", {v.date:%Y-%m-%d}" if v.date else ""
    since = f", changed from {v.effective_from}" if v.effective_from else ""
    lines = [
        f"{name} ({plan.level}{under}) — targets {split.settings.year}, "
        f"version {v.number}{when}{since}",
        f"  年度 Annual:        {_money(split, sum(plan.months))}"
        + (f" — {plan.annual_from}" if plan.annual_from else ""),
    ]
    if plan.proposed is not None or plan.top_down is not None:
        proposed = f"{plan.proposed:,}" if plan.proposed is not None else "none"
        top = _money(split, plan.top_down) if plan.top_down is not None else "-"
        lines.append(f"  上报 Proposed:      {proposed} (top-down share {top})")
    if plan.basis:
        lines.append(f"  下级分配 Children:  shared by {plan.basis}")
    lines.append(f"  方法 Method:        {plan.method or 'not recorded'}")
    for part in (p.strip() for p in plan.note.split(";") if p.strip()):
        lines.append(f"    - {part}")
    if plan.spring:
        lines.append(f"  春节 Spring Festival: {plan.spring}")
    if plan.backtest:
        lines.append(f"  回测 Backtest:      {plan.backtest}")
    tiers = [t for t in ("stretch", "challenge") if t in plan.tiers]
    head = f"  {'month':<8} {'target':>14} {'exact':>16} {'rounding':>10}" + "".join(
        f" {t:>14}" for t in tiers
    )
    lines += ["", head]
    up = down = 0
    worst = 0.0
    for k, month in enumerate(split.months):
        value = plan.months[k]
        exact = plan.exact[k] if len(plan.exact) == 12 else float(value)
        adjust = value - exact
        up += adjust > 1e-6
        down += adjust < -1e-6
        worst = max(worst, abs(adjust))
        lines.append(
            f"  {month!s:<8} {_money(split, value):>14} {_money(split, exact):>16} "
            f"{adjust * float(split.settings.rounding):>+10,.2f}"
            + "".join(f" {_money(split, plan.tiers[t][k]):>14}" for t in tiers)
        )
    rounding = split.settings.rounding
    lines += [
        "",
        f"  取整 Rounding: every month a multiple of {rounding:,}; {up} rounded up, {down} down "
        f"(largest {worst * float(rounding):,.2f}); the months add up to the year exactly",
    ]
    return "\n".join(lines)


def explain_file(path: Path, unit: str, product: str | None = None) -> str:
    return explain_unit(read_targets_workbook(Path(path)), unit, product)
