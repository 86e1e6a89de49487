"""History that belongs to nothing in the plan: said, with its amounts, before a split uses it.

A history row's unit is matched to the 年度目标 Annual sheet's units as rep IDs
are (case, full-width, spaces: `salesxl.core.rep_ids`), and its product to the
unit's product rows the same way.  A unit still unmatched (a renamed team, a
typo) takes no share: its sales count for nobody, and the others' shares of
last year grow by as much.  A product of a unit with product rows that matches
none of them counts in the unit's history but in no product's share.  Both are
warned about with the latest twelve months' amounts (the months last-year shares
are taken from), largest first, and how to fix them.  A rep the roster says left
before the plan year is expected to be missing from the plan: not listed, counted.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from salesxl.core.periods import Month
from salesxl.core.rep_ids import RepIndex
from salesxl.core.text import plural
from salesxl.targets.history import month_of, ordinal
from salesxl.targets.notes import Note, note

__all__ = ["SHOWN", "unmatched_history"]

SHOWN = 5  # units named in a warning; the rest are counted

Series = Mapping[int, float]  # month ordinal -> amount
History = Mapping[str, Mapping[str | None, Series]]  # unit -> product (None: all) -> series


def _window(history: History, plan_start: Month) -> range | None:
    """The latest twelve months of history before the plan year."""
    first = ordinal(plan_start)
    last = max(
        (o for by_product in history.values() for o in by_product.get(None, {}) if o < first),
        default=None,
    )
    return None if last is None else range(last - 11, last + 1)


def _sum(series: Series, months: range) -> float:
    return math.fsum(series.get(o, 0.0) for o in months)


def _listed(items: list[tuple[str, float, str | None]]) -> tuple[str, str]:
    """`name 12,000 (华东二组?)`, largest first, the first SHOWN of them, then how many more."""
    shown = items[:SHOWN]
    zh = "、".join(f"{n} {a:,.0f}" + (f"（是否为 {s}？）" if s else "") for n, a, s in shown)
    en = ", ".join(f"{n} {a:,.0f}" + (f" ({s}?)" if s else "") for n, a, s in shown)
    more = len(items) - len(shown)
    if more:
        zh += f" 等，另有 {more} 个"
        en += f" and {more} more"
    return zh, en


def unmatched_history(
    history: History,
    units: Mapping[str, object],
    products: Mapping[str, list[str]],
    plan_start: Month,
    left: Mapping[str, Month] | None = None,
) -> list[Note]:
    """Warnings for history units not in the plan and products not among their unit's
    product rows.  `history` holds the rows as matched (before parents get their children's
    sums); `left` is each rep's leaving month from the roster."""
    months = _window(history, plan_start)
    if months is None:
        return []
    span = f"{month_of(months[0])} – {month_of(months[-1])}"
    index = RepIndex(units)
    leavers = RepIndex(m for m in (left or {}) if (left or {})[m] < plan_start)
    total = 0.0
    stray: list[tuple[str, float, str | None]] = []
    departed = 0
    for unit, by_product in history.items():
        amount = _sum(by_product.get(None, {}), months)
        total += amount
        if unit in units or not amount:
            continue
        if leavers.match(unit).rep_id is not None:
            departed += 1
            continue
        stray.append((unit, amount, None))
    warnings: list[Note] = []
    if stray:
        stray.sort(key=lambda item: (-item[1], item[0]))
        stray = [
            (u, a, index.suggest(u) if i < SHOWN else None) for i, (u, a, _) in enumerate(stray)
        ]
        lost = math.fsum(a for _, a, _ in stray)
        share = f"{lost / total:.1%}" if total else "–"
        zh, en = _listed(stray)
        gone_zh = (
            f"（另有 {departed} 个在计划年度前已离职的代表未列出，其销售同样不计入）"
            if departed
            else ""
        )
        gone_en = (
            f" ({plural(departed, 'rep')} the roster says left before the plan year not listed; "
            "their sales count for no unit either, as expected)"
            if departed
            else ""
        )
        warnings.append(
            note(
                f"历史销售中有 {len(stray)} 个单元不在年度目标中，其销售不计入任何单元的份额和月份分布"
                f"（{span}）：{zh}；合计 {lost:,.0f}，占该期间历史的 {share}{gone_zh}。"
                "如是改名或笔误，请把年度目标的「单元」或历史（历史销售表、销售记录导出或数据库中的工号）"
                "改成同一名称后重新分解",
                f"{plural(len(stray), 'history unit')} not in the Annual sheet: their sales count in "
                f"no unit's share or months ({span}): {en}; together {lost:,.0f}, {share} of the "
                f"history in those months{gone_en}. If a unit was renamed or mistyped, write the "
                "same name in the Annual sheet's 单元 Unit and in the history (the History sheet, "
                "the sales records export, or the rep IDs in the store) and split again",
            )
        )
    warnings += _unmatched_products(history, products, months, span)
    return warnings


def _unmatched_products(
    history: History, products: Mapping[str, list[str]], months: range, span: str
) -> list[Note]:
    stray: list[tuple[str, float, str | None]] = []
    lost = whole = 0.0
    for unit, named in products.items():
        by_product = history.get(unit, {})
        found = [(p, _sum(s, months)) for p, s in by_product.items() if p and p not in named]
        found = [(p, a) for p, a in found if a]
        if not found:
            continue
        whole += _sum(by_product.get(None, {}), months)
        index = RepIndex(named)
        for product, amount in found:
            lost += amount
            stray.append((f"{unit} / {product}", amount, index.suggest(product)))
    if not stray:
        return []
    stray.sort(key=lambda item: (-item[1], item[0]))
    share = f"{lost / whole:.1%}" if whole else "–"
    zh, en = _listed(stray)
    return [
        note(
            f"历史销售中有 {len(stray)} 个产品不在其单元的产品行中，其销售只计入单元，不计入任何产品的份额"
            f"（{span}）：{zh}；合计 {lost:,.0f}，占这些单元该期间历史的 {share}。"
            "如是改名或笔误，请把年度目标的「产品」或历史中的产品改成同一名称后重新分解",
            f"{plural(len(stray), 'history product')} not among their unit's product rows: "
            f"their sales count for the unit but in no product's share ({span}): {en}; together "
            f"{lost:,.0f}, {share} of those units' history in those months. If a product was "
            "renamed or mistyped, write the same name in the Annual sheet's 产品 Product and in "
            "the history and split again",
        )
    ]
