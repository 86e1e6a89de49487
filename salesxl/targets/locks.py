"""Locked months stay local: a lock moves its unit's other months and the sums above it.

Starting from the plan without locks:

- a locked month of a unit with nothing under it is kept; the unit's other
  (free, active) months are re-spread in proportion to their unlocked
  figures so that its year holds;
- a locked month of a parent is shared among its children by their own
  shares of that month (children with a lock of their own in that month keep
  it), and each child's other months re-balance the same way, down the tree;
- every unit above a lock is the sum of its children, so its year holds too.

No other unit moves.  All arithmetic is in integer rounding units.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from salesxl.core.periods import Month
from salesxl.targets.model import Lock, LockEffect, TargetsError
from salesxl.targets.rounding import apportion
from salesxl.targets.spread import Key, Nodes, name_of

__all__ = ["RELATION_ZH", "apply_locks", "lock_effects"]

# How a moved unit stands to the lock, in Chinese (the English is the code itself).
RELATION_ZH = {"locked": "锁定", "below": "在其下", "above": "在其上"}


def _share_with_floors(total: int, weights: list[float], floors: list[int]) -> list[int] | None:
    """`total` split by `weights`, no part below its floor; None when the floors exceed it."""
    if sum(floors) > total:
        return None
    parts = apportion(total, weights)
    held: set[int] = set()
    while True:
        low = [i for i, (p, f) in enumerate(zip(parts, floors, strict=True)) if p < f]
        if not low:
            return parts
        held |= set(low)
        rest = total - sum(floors[i] for i in held)
        free = [i for i in range(len(parts)) if i not in held]
        shares = apportion(rest, [weights[i] for i in free]) if free else []
        parts = [floors[i] if i in held else 0 for i in range(len(parts))]
        for i, v in zip(free, shares, strict=True):
            parts[i] = v


class _Resolver:
    def __init__(
        self,
        nodes: Nodes,
        annual: dict[Key, int],
        base: dict[Key, list[int]],
        active: dict[Key, Sequence[bool]],
        locks: dict[Key, dict[int, int]],
        months: Sequence[Month],
        rounding: Decimal,
    ) -> None:
        self.nodes, self.annual, self.base, self.active = nodes, annual, base, active
        self.locks, self.months, self.rounding = locks, months, rounding
        self.months_out: dict[Key, list[int]] = {}
        self.exact: dict[Key, list[float]] = {}
        # The locks at or under each node, month by month: what its month cannot go below.
        self.floor: dict[Key, list[int]] = {}
        self.touched: set[Key] = set()
        for key in reversed(nodes.order):
            below = [0] * 12
            for kid in nodes.kids(key):
                below = [a + b for a, b in zip(below, self.floor[kid], strict=True)]
            own = locks.get(key, {})
            for k, value in own.items():
                if value < below[k]:
                    raise TargetsError(
                        f"锁定 Locked：{name_of(key)} {months[k]} 的锁定值 {self.yuan(value)} "
                        f"小于其下级锁定之和 {self.yuan(below[k])}，请调高它或调低下级",
                        f"锁定 Locked: {name_of(key)} {months[k]}: the lock, {self.yuan(value)}, is "
                        f"below the sum of the locks under it ({self.yuan(below[k])}); raise it or "
                        "lower those",
                    )
                below[k] = value
            self.floor[key] = below
            if own or any(kid in self.touched for kid in nodes.kids(key)):
                self.touched.add(key)

    def yuan(self, units: int) -> str:
        """A figure in rounding units as the input gives it: ¥161,290.32."""
        return f"¥{units * self.rounding:,}"

    def resolve(self, key: Key, dictated: dict[int, int]) -> list[int]:
        fixed = {**dictated, **self.locks.get(key, {})}
        if not fixed and key not in self.touched:
            return self.base[key]
        kids = self.nodes.kids(key)
        if not kids:
            months = self._rebalance(key, fixed)
        else:
            dictated_kids: dict[Key, dict[int, int]] = {kid: {} for kid in kids}
            for k, value in fixed.items():
                self._share_month(key, k, value, dictated_kids)
            months = [0] * 12
            for kid in kids:
                kid_months = self.resolve(kid, dictated_kids[kid])
                months = [a + b for a, b in zip(months, kid_months, strict=True)]
            self.exact[key] = [float(v) for v in months]
        self.months_out[key] = months
        return months

    def _share_month(
        self, key: Key, k: int, value: int, dictated: dict[Key, dict[int, int]]
    ) -> None:
        kids = self.nodes.kids(key)
        own = [kid for kid in kids if k in self.locks.get(kid, {})]
        rest = value - sum(self.locks[kid][k] for kid in own)
        free = [kid for kid in kids if kid not in own and self.active[kid][k]]
        weights = [float(self.base[kid][k]) for kid in free]
        if free and sum(weights) <= 0:  # nobody had this month: by their years
            weights = [float(self.annual[kid]) for kid in free]
        parts = (
            _share_with_floors(rest, weights, [self.floor[kid][k] for kid in free])
            if free
            else (None if rest else [])
        )
        if rest < 0 or parts is None:
            raise TargetsError(
                f"锁定 Locked：{name_of(key)} {self.months[k]}：下级锁定之和超过该月的目标"
                f" {self.yuan(value)}，请调低下级或调高锁定值",
                f"锁定 Locked: the locks under {name_of(key)} in {self.months[k]} do not fit "
                f"its month target of {self.yuan(value)}; lower them or raise the lock",
            )
        for kid, part in zip(free, parts, strict=True):
            dictated[kid][k] = part
        for kid in kids:
            if kid not in own and kid not in free:
                dictated[kid][k] = 0  # not active that month

    def _rebalance(self, key: Key, fixed: dict[int, int]) -> list[int]:
        """The fixed months kept; the year's rest over the other active months, as before."""
        active = self.active[key]
        for k, value in fixed.items():
            if value and not active[k]:
                raise TargetsError(
                    f"锁定 Locked：{name_of(key)} {self.months[k]} 不在任职期内（入职/离职日期），"
                    "请删除这条锁定或更正花名册",
                    f"锁定 Locked: {name_of(key)} is not active in {self.months[k]} (hire/leave "
                    "dates); remove the lock or correct the roster",
                )
        free = [k for k in range(12) if k not in fixed and active[k]]
        rest = self.annual[key] - sum(fixed.values())
        if rest < 0 or (rest and not free):
            raise TargetsError(
                f"锁定 Locked：{name_of(key)} 锁定的月度目标（含上级锁定分给它的部分）之和 "
                f"{self.yuan(sum(fixed.values()))}，超过其年度目标 {self.yuan(self.annual[key])}，"
                "请调低锁定值或调高年度目标",
                f"锁定 Locked: the locked months of {name_of(key)} (with its share of its "
                f"parents' locks) add up to {self.yuan(sum(fixed.values()))}, its annual "
                f"target is {self.yuan(self.annual[key])}; lower them or raise the annual target",
            )
        weights = [float(self.base[key][k]) for k in free]
        if sum(weights) <= 0:
            weights = [1.0] * len(free)
        months = [0] * 12
        for k, v in fixed.items():
            months[k] = v
        total = sum(weights) or 1.0
        exact = [float(v) for v in months]
        for k, v, w in zip(free, apportion(rest, weights), weights, strict=True):
            months[k] = v
            exact[k] = rest * w / total
        self.exact[key] = exact
        return months


def apply_locks(
    nodes: Nodes,
    annual: dict[Key, int],
    base: dict[Key, list[int]],
    active: dict[Key, Sequence[bool]],
    locks: dict[Key, dict[int, int]],
    months: Sequence[Month],
    rounding: Decimal = Decimal(1),
) -> tuple[dict[Key, list[int]], dict[Key, list[float]]]:
    """The months with the locks in; only the locked nodes, the nodes under a locked
    parent and the sums above them change.  Returns new months and their exact values."""
    if not locks:
        return dict(base), {}
    resolver = _Resolver(nodes, annual, base, active, locks, months, rounding)
    for root in nodes.roots:
        resolver.resolve(root, {})
    return {**base, **resolver.months_out}, resolver.exact


def lock_effects(
    nodes: Nodes,
    annual: dict[Key, int],
    base: dict[Key, list[int]],
    active: dict[Key, Sequence[bool]],
    locks: dict[Key, dict[int, int]],
    lock_list: Sequence[Lock],
    keys: dict[Lock, Key],
    months: Sequence[Month],
    rounding: Decimal = Decimal(1),
) -> list[LockEffect]:
    """Per lock of `lock_list` (`locks`: their figures, as `apply_locks` takes them): the
    units it concerns (itself, what is under it, what is above) and how much that lock
    itself moved each of their months.

    Locks that share units (two reps of one team: their sums above; a parent and a child:
    the child's months) cannot each be measured against the plan without locks, or a
    lock's row would show the others' changes too.  They are put in one at a time, and
    each row is what putting it in changed: the locks lowest in the tree first (so a lock
    is never in before one under it, which its figure must hold), then in the order
    given.  Locks on separate units change what they would alone; the rows of all locks
    add up to the change against the plan without locks."""
    months = list(months)
    locked = {keys[lock] for lock in lock_list}
    # Locks interact only inside the subtree of their highest locked unit: each such
    # subtree is worked out on its own, the units above it move by its top's change.
    clusters: dict[Key, list[int]] = {}
    for i, lock in enumerate(lock_list):
        top = keys[lock]
        for ancestor in nodes.ancestors(top):
            if ancestor in locked:
                top = ancestor
        clusters.setdefault(top, []).append(i)
    found: dict[int, LockEffect] = {}
    for top, members in clusters.items():
        tree = _subtree(nodes, top)
        unlocked = {key: base[key] for key in tree.order}
        before = unlocked
        applied: dict[Key, dict[int, int]] = {}
        for i in sorted(members, key=lambda i: -len(nodes.ancestors(keys[lock_list[i]]))):
            lock = lock_list[i]
            key = keys[lock]
            k = months.index(lock.month)
            applied.setdefault(key, {})[k] = locks[key][k]
            after, _ = apply_locks(tree, annual, unlocked, active, applied, months, rounding)
            after = {unit: after[unit] for unit in tree.order}
            change = {
                unit: tuple(a - b for a, b in zip(after[unit], before[unit], strict=True))
                for unit in tree.order
            }
            moved = []
            for other, how in (
                *((key, "locked"),),
                *((b, "below") for b in nodes.below(key)),
                *((a, "above") for a in nodes.ancestors(key)),
            ):
                deltas = change.get(other, change[top])  # above the subtree: its top's
                if any(deltas):
                    moved.append((other[0], other[1], how, deltas))
            found[i] = LockEffect(lock, base[key][k], tuple(moved))
            before = after
    return [found[i] for i in range(len(lock_list))]


def _subtree(nodes: Nodes, top: Key) -> Nodes:
    """`top` and everything under it, as a tree of its own."""
    order = [top, *nodes.below(top)]
    return Nodes(
        order, nodes.children, {**{key: nodes.parent.get(key) for key in order}, top: None}
    )
