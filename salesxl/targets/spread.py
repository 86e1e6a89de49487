"""Months top-down, exact: the plan before any lock (and the tiers' uplifts).

The organisation is a tree of nodes — units, and a unit's products under it.
The top node's year is spread by its profile; then, parent by parent, the
children's months are fitted to both their years and the parent's months and
rounded so both hold exactly (controlled rounding).  A month outside a
node's active months (before a hire, after leaving) is a fixed zero, so the
parent's month is shared among the children active in it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from salesxl.core.periods import Month
from salesxl.targets.model import TargetsError
from salesxl.targets.rounding import InfeasibleError, apportion, fit_margins, round_matrix

__all__ = ["Key", "Nodes", "name_of", "spread"]

Key = tuple[str, str | None]  # (unit, product)


def name_of(key: Key) -> str:
    return key[0] + (f" / {key[1]}" if key[1] else "")


@dataclass(slots=True)
class Nodes:
    """Units and products as one tree, depth first."""

    order: list[Key]
    children: dict[Key, list[Key]] = field(default_factory=dict)
    parent: dict[Key, Key | None] = field(default_factory=dict)

    @property
    def roots(self) -> list[Key]:
        return [k for k in self.order if self.parent.get(k) is None]

    def kids(self, key: Key) -> list[Key]:
        return self.children.get(key, [])

    def ancestors(self, key: Key) -> list[Key]:
        out: list[Key] = []
        parent = self.parent.get(key)
        while parent is not None:
            out.append(parent)
            parent = self.parent.get(parent)
        return out

    def below(self, key: Key) -> list[Key]:
        out: list[Key] = []
        stack = list(reversed(self.kids(key)))
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(reversed(self.kids(node)))
        return out


def fit_children(
    rows: list[int],
    columns: list[int],
    seed: list[list[float]],
    fixed: dict[tuple[int, int], float],
    names: list[str],
    months: Sequence[Month],
    owner: str,
) -> tuple[list[list[int]], list[list[float]]]:
    """Integer rows × months adding up to `rows` and `columns`, near `seed`; `fixed` cells kept.

    Returns the rounded table and the exact one it was rounded from."""
    try:
        exact = fit_margins(seed, rows, columns, fixed)
        return round_matrix(exact, rows, columns), exact
    except InfeasibleError as exc:
        who = names[exc.row] if exc.row is not None else owner
        when = f" {months[exc.column]}" if exc.column is not None else ""
        raise TargetsError(
            f"{who}{when}：{exc.message_zh}（{owner} 之下）",
            f"{who}{when}: {exc.message_en} (under {owner})",
            hint_zh=f"{owner} 之下没有人在职的月份不能有目标：请检查入职/离职日期、方法和爬坡",
            hint_en=f"a month where no unit under {owner} is active cannot carry a target: "
            "check hire and leave dates, methods and ramps",
        ) from None


def spread(
    nodes: Nodes,
    annual: dict[Key, int],
    weights: dict[Key, Sequence[float]],
    months: Sequence[Month],
) -> tuple[dict[Key, list[int]], dict[Key, list[float]]]:
    """Each node's months (rounding units) and the exact values they were rounded from.

    `weights` are each node's twelve month weights; a zero weight is a month the node
    cannot have a target in (it is fixed at zero)."""
    out: dict[Key, list[int]] = {}
    exact: dict[Key, list[float]] = {}
    for root in nodes.roots:
        w = list(weights[root])
        if annual[root] and sum(w) <= 0:
            raise TargetsError(
                f"{name_of(root)}：没有可以承载年度目标的月份",
                f"{name_of(root)}: no month can carry its annual target",
            )
        out[root] = apportion(annual[root], w)
        total = sum(w) or 1.0
        exact[root] = [annual[root] * v / total for v in w]
    for key in nodes.order:
        kids = nodes.kids(key)
        if not kids:
            continue
        rows = [annual[c] for c in kids]
        seed = []
        fixed: dict[tuple[int, int], float] = {}
        for i, c in enumerate(kids):
            kid_weights = weights[c]
            kid_total = sum(kid_weights) or 1.0
            seed.append([annual[c] * v / kid_total for v in kid_weights])
            fixed.update({(i, k): 0.0 for k in range(12) if kid_weights[k] <= 0})
        table, fitted = fit_children(
            rows, out[key], seed, fixed, [name_of(c) for c in kids], months, name_of(key)
        )
        for c, values, x in zip(kids, table, fitted, strict=True):
            out[c], exact[c] = values, x
    return out, exact
