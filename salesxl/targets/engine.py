"""The target engine: annual → month across the organisation and products, exact to the unit.

1. Annual targets down the tree (整分合, shares.py): given figures stay; the rest
   of a parent's target is shared among its children by its share basis — or
   summed up from the reps' proposals.
2. A monthly profile per unit by its method (unit_profiles.py), zero outside
   the unit's active months (hire and leave dates) and ramped for new reps.
   A month the unit is active in at all is a whole month here: consolidation
   pro-rates a partial month by the workdays employed.
3. Months top-down (spread.py): the top unit's months by its profile; then,
   parent by parent, the children's months fitted to their years and the
   parent's months and rounded so both hold exactly.  Products the same way
   under their unit.
4. Locks (locks.py) move only their unit, what is under a locked parent, and
   the sums above.
5. Tiers (tiers.py): stretch and challenge as uplifts on top of the base.
All arithmetic is in integer rounding units.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from salesxl.core.periods import Month
from salesxl.core.rep_ids import RepIndex, rep_key
from salesxl.targets.calendar import Calendar
from salesxl.targets.locks import RELATION_ZH, apply_locks, lock_effects
from salesxl.targets.model import (
    Lock,
    LockEffect,
    Split,
    TargetsError,
    TargetsInput,
    UnitPlan,
    UnitSpec,
)
from salesxl.targets.notes import join, note
from salesxl.targets.profiles import fiscal_months, presence
from salesxl.targets.rounding import apportion
from salesxl.targets.shares import GIVEN, annual_targets, default_basis, share_weights, to_units
from salesxl.targets.spread import Key, Nodes, spread
from salesxl.targets.tiers import tier_plans
from salesxl.targets.tree import Tree, where_en, where_zh
from salesxl.targets.unit_profiles import ProfileBook, UnitProfile
from salesxl.targets.unmatched import unmatched_history

__all__ = ["split_targets"]

History = dict[str, dict[str | None, dict[int, float]]]  # unit -> product -> month ordinal


def _history(rows: list[tuple[str, str | None, Month, float]], tree: Tree) -> History:
    """Per unit and product, by month ordinal, as the rows have them.  A unit is matched as
    consolidation matches rep IDs: an ERP's `s002` or `Ｓ002` is the plan's S002, whose
    sales they are; a product the same way among its unit's product rows."""
    history: History = defaultdict(lambda: defaultdict(lambda: defaultdict(float)))
    units = RepIndex(tree.nodes)
    named = {
        u: {rep_key(p.product): p.product for p in ps if p.product}
        for u, ps in tree.products.items()
    }
    products: dict[tuple[str, str], str] = {}  # (unit, product as typed) -> the row's spelling
    for typed, product, month, amount in rows:
        unit = units.canonical(typed)
        o = month.year * 12 + month.month - 1
        if product:
            if named:  # matched among the unit's product rows, when the plan has any
                key = (unit, product)
                found = products.get(key)
                if found is None:
                    found = products[key] = named.get(unit, {}).get(rep_key(product), product)
                product = found
            history[unit][product][o] += amount
        history[unit][None][o] += amount
    return history


def _with_parents(history: History, tree: Tree) -> History:
    """A parent without history of its own gets its children's sum."""
    for unit, _ in reversed(tree.order()):
        if unit in history and history[unit][None]:
            continue
        total: dict[int, float] = defaultdict(float)
        for child in tree.children.get(unit, []):
            for o, amount in history.get(child, {}).get(None, {}).items():
                total[o] += amount
        if total:
            history[unit][None] = total
    return history


def _last_year(history: History, unit: str, product: str | None, months: list[Month]) -> float:
    series = history.get(unit, {}).get(product, {})
    return math.fsum(series.get(m.year * 12 + m.month - 13, 0.0) for m in months)


def _active(tree: Tree, inp: TargetsInput, months: list[Month]) -> dict[str, list[bool]]:
    """The months each unit works in: from its hire month to its leaving month; a parent
    is active where any unit under it is."""
    out: dict[str, list[bool]] = {}
    for unit, _ in reversed(tree.order()):
        children = tree.children.get(unit, [])
        if children:
            out[unit] = [any(out[c][k] for c in children) for k in range(12)]
            continue
        start, end = inp.starts.get(unit), inp.ends.get(unit)
        out[unit] = [(start is None or m >= start) and (end is None or m <= end) for m in months]
    return out


def _start(inp: TargetsInput, unit: str, months: list[Month]) -> int:
    """Where a unit's ramp starts: its hire month when that is in the year, else the first."""
    start = inp.starts.get(unit)
    return months.index(start) if start in months else 0


def _nodes(tree: Tree) -> Nodes:
    nodes = Nodes([])
    for unit, _ in tree.order():
        key: Key = (unit, None)
        nodes.order.append(key)
        parent = tree.nodes[unit].parent
        nodes.parent[key] = (parent, None) if parent else None
        if parent:
            nodes.children.setdefault((parent, None), []).append(key)
        for spec in tree.products.get(unit, []):
            pkey: Key = (unit, spec.product)
            nodes.order.append(pkey)
            nodes.parent[pkey] = key
            nodes.children.setdefault(key, []).append(pkey)
    return nodes


def _product_annuals(
    tree: Tree, inp: TargetsInput, history: History, annual: dict[str, int], months: list[Month]
) -> tuple[dict[Key, int], dict[Key, str], dict[str, str]]:
    s = inp.settings
    out: dict[Key, int] = {}
    how: dict[Key, str] = {}
    basis_of: dict[str, str] = {}
    for unit, specs in tree.products.items():
        fixed = {
            p.product: to_units(
                p.annual,
                s.rounding,
                f"{unit} / {p.product} 年度目标",
                f"the annual target of {unit} / {p.product}",
            )
            for p in specs
            if p.annual is not None
        }
        rest = annual[unit] - sum(fixed.values())
        if rest < 0:
            raise TargetsError(
                where_zh(specs[0]) + f"「{unit}」的产品目标之和超过其年度目标，请调低产品目标",
                where_en(specs[0]) + f"the product targets of {unit!r} exceed its annual "
                "target; lower them",
            )
        free = [p for p in specs if p.annual is None]
        if not free and rest:
            raise TargetsError(
                where_zh(specs[0]) + f"「{unit}」的产品目标之和与年度目标相差 "
                f"{rest * s.rounding:,}，请更正其中一个",
                where_en(specs[0]) + f"the product targets of {unit!r} do not add up to its "
                f"annual target (off by {rest * s.rounding:,}); correct one of them",
            )
        last = [_last_year(history, unit, p.product, months) for p in free]
        asked = tree.nodes[unit].share_basis or s.share_basis
        basis = asked if asked in ("weights", "last-year", "last-year×weights", "equal") else None
        basis = basis or default_basis(free, last)
        weights, said = share_weights(basis, free, last, [None] * len(free))
        parts = apportion(rest, weights) if free else []
        total = math.fsum(weights) or 1.0
        basis_of[unit] = join(note(f"产品按 {basis}", f"products by {basis}"), said)
        for p in specs:
            key = (unit, p.product)
            if p.annual is not None:
                out[key], how[key] = fixed[p.product], GIVEN
        for p, part, w in zip(free, parts, weights, strict=True):
            key = (unit, p.product)
            share = f"{w / total:.1%}"
            out[key], how[key] = (
                part,
                note(f"按 {basis} 分得 {unit} 的 {share}", f"share of {unit} by {basis} ({share})"),
            )
    return out, how, basis_of


def _locks(
    inp: TargetsInput, tree: Tree, months: list[Month]
) -> tuple[dict[Key, dict[int, int]], dict[Lock, Key]]:
    s = inp.settings
    locks: dict[Key, dict[int, int]] = defaultdict(dict)
    keys: dict[Lock, Key] = {}
    products = {(u, p.product) for u, specs in tree.products.items() for p in specs}
    for lock in inp.locks:
        if lock.unit not in tree.nodes:
            raise TargetsError(
                where_zh(lock, "锁定 Locked") + f"单元「{lock.unit}」不在年度目标中",
                where_en(lock, "锁定 Locked") + f"{lock.unit!r} is not a unit of the Annual sheet",
            )
        if lock.product and (lock.unit, lock.product) not in products:
            raise TargetsError(
                where_zh(lock, "锁定 Locked")
                + f"「{lock.unit}」在年度目标中没有产品「{lock.product}」",
                where_en(lock, "锁定 Locked") + f"{lock.unit!r} has no product row "
                f"{lock.product!r} in the Annual sheet",
            )
        if lock.month not in months:
            raise TargetsError(
                where_zh(lock, "锁定 Locked") + f"{lock.month} 不在财年 {s.year} 内",
                where_en(lock, "锁定 Locked") + f"{lock.month} is outside fiscal year {s.year}",
            )
        key = (lock.unit, lock.product)
        locks[key][months.index(lock.month)] = to_units(
            lock.target,
            s.rounding,
            f"锁定 Locked {lock.unit} {lock.month}",
            f"锁定 Locked: the target of {lock.unit} in {lock.month}",
        )
        keys[lock] = key
    return dict(locks), keys


CHILDREN_SUM = note("下级之和", "sum of its children")  # the method of a parent without one


def split_targets(inp: TargetsInput) -> Split:
    """The whole breakdown; raises TargetsError for impossible inputs."""
    s = inp.settings
    months = fiscal_months(s.year, s.fiscal_start)
    warnings: list[str] = []
    tree = Tree(inp.units)
    history = _history(inp.history, tree)
    warnings += unmatched_history(
        history,
        tree.nodes,
        {u: [p.product for p in specs if p.product] for u, specs in tree.products.items()},
        months[0],
        inp.ends,
    )
    history = _with_parents(history, tree)
    active = _active(tree, inp, months)
    shares = annual_targets(
        tree,
        s,
        lambda u: _last_year(history, u, None, months),
        lambda u: math.fsum(presence(active[u], tree.nodes[u].ramp, _start(inp, u, months))) / 12,
        warnings,
    )
    for unit, _ in reversed(tree.order()):  # the reps first: they are the reason
        spec = tree.nodes[unit]
        if shares.annual[unit] and not any(active[unit]):
            raise TargetsError(
                where_zh(spec) + f"「{unit}」{s.year} 年度没有在职的月份（入职/离职日期），"
                "不能有目标，请清空它的年度目标",
                where_en(spec) + f"{unit!r} is not active in any month of {s.year} "
                "(hire/leave dates) but has a target; clear it",
            )
    nodes = _nodes(tree)
    annual: dict[Key, int] = {(u, None): v for u, v in shares.annual.items()}
    product_annual, product_how, product_basis = _product_annuals(
        tree, inp, history, shares.annual, months
    )
    annual.update(product_annual)
    calendar = Calendar(inp.workdays, strict_from=months[0])
    book = ProfileBook(s, months, calendar)
    mask: dict[Key, Sequence[bool]] = {
        key: active[key[0]] for key in nodes.order
    }  # products share their unit's months
    profiles = _profiles(tree, inp, history, annual, mask, months, book)
    base, exact = spread(nodes, annual, {k: p.weights for k, p in profiles.items()}, months)
    locks, lock_keys = _locks(inp, tree, months)
    final, lock_exact = apply_locks(nodes, annual, base, mask, locks, months, s.rounding)
    exact.update(lock_exact)
    effects = lock_effects(
        nodes, annual, base, mask, locks, list(lock_keys), lock_keys, months, s.rounding
    )
    lock_notes = _lock_notes(effects, s.rounding)
    spec_of = _spec_lookup(tree)
    tiers = tier_plans(nodes, spec_of, annual, final, s, months, mask, warnings)
    warnings += book.notes()
    plans: list[UnitPlan] = []
    depth_of = dict(tree.order())
    for key in nodes.order:
        unit, product = key
        spec = spec_of(key)
        profile = profiles[key]
        depth = depth_of[unit] + (1 if product else 0)
        plans.append(
            UnitPlan(
                "product" if product else spec.level,
                unit,
                spec.parent,
                product,
                annual[key],
                final[key],
                profile.method,
                join(profile.note, *lock_notes.get(key, [])),
                spec.proposed,
                shares.top_down.get(unit) if product is None else None,
                depth,
                {tier: values[key] for tier, values in tiers.items()},
                product_how.get(key, "") if product else shares.annual_from.get(unit, ""),
                product_basis.get(unit, "") or shares.basis.get(unit, ""),
                profile.spring,
                profile.backtest,
                exact.get(key, [float(v) for v in final[key]]),
            )
        )
    return Split(s, months, plans, warnings, effects)


def _lock_notes(effects: list[LockEffect], rounding: Decimal) -> dict[Key, list[str]]:
    """Per unit, the locks that moved it (for 说明 and `targets explain`)."""
    out: dict[Key, list[str]] = defaultdict(list)
    for effect in effects:
        lock = effect.lock
        what = lock.unit + (f" / {lock.product}" if lock.product else "")
        for unit, product, how, deltas in effect.moved:
            if how == "locked":
                was = f"{effect.before * rounding:,}"
                text = note(
                    f"{lock.month} 锁定为 {lock.target:,}（原为 {was}），其余月份重新分配",
                    f"locked {lock.month} at {lock.target:,} (was {was}), "
                    "its other months re-spread",
                )
            else:
                changed = sum(1 for d in deltas if d)
                text = note(
                    f"受 {what} {lock.month} 锁定影响（{RELATION_ZH.get(how, how)}，{changed} 个月）",
                    f"moved by the lock of {what} {lock.month} ({how} it, {changed} months)",
                )
            out[(unit, product)].append(text)
    return out


def _spec_lookup(tree: Tree):  # type: ignore[no-untyped-def]
    products = {(u, p.product): p for u, specs in tree.products.items() for p in specs}

    def spec_of(key: Key) -> UnitSpec:
        return tree.nodes[key[0]] if key[1] is None else products[key]

    return spec_of


def _profiles(
    tree: Tree,
    inp: TargetsInput,
    history: History,
    annual: dict[Key, int],
    mask: dict[Key, Sequence[bool]],
    months: list[Month],
    book: ProfileBook,
) -> dict[Key, UnitProfile]:
    """Bottom-up: a parent without a method of its own follows its children's mix."""
    s = inp.settings
    out: dict[Key, UnitProfile] = {}
    for unit, _ in reversed(tree.order()):
        spec = tree.nodes[unit]
        key: Key = (unit, None)
        children = tree.children.get(unit, [])
        start = _start(inp, unit, months)
        if children and not spec.method:
            total = sum(annual[(c, None)] for c in children) or 1
            mix = [
                math.fsum(annual[(c, None)] * out[(c, None)].weights[k] for c in children) / total
                for k in range(12)
            ]
            if not any(mix):
                mix = [1.0 if on else 0.0 for on in mask[key]]
            norm = math.fsum(mix) or 1.0
            out[key] = UnitProfile(tuple(v / norm for v in mix), CHILDREN_SUM)
        else:
            out[key] = book.make(
                spec,
                spec.method or s.method,
                history.get(unit, {}).get(None),
                mask[key],
                start,
            )
        for product in tree.products.get(unit, []):
            out[(unit, product.product)] = _product_profile(
                product, spec, history, inp, mask[key], start, book, out[key]
            )
    return out


def _product_profile(
    spec: UnitSpec,
    unit_spec: UnitSpec,
    history: History,
    inp: TargetsInput,
    active: Sequence[bool],
    start: int,
    book: ProfileBook,
    unit_profile: UnitProfile,
) -> UnitProfile:
    """A product's own months when its history allows the method; else the unit's mix."""
    method = spec.method or unit_spec.method or inp.settings.method
    series = history.get(spec.unit, {}).get(spec.product)
    if method in ("seasonal", "seasonal-workdays", "trend", "last-year", "auto") and not series:
        return UnitProfile(
            unit_profile.weights,
            unit_profile.method,
            note(
                f"无自己的历史：按 {spec.unit} 的月份分布",
                f"no history of its own: follows {spec.unit}'s months",
            ),
        )
    return book.make(spec, method, series, active, start)
