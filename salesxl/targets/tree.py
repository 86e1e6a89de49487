"""The organisation tree of 年度目标 Annual: units, their parents, children and products."""

from __future__ import annotations

from collections import defaultdict

from salesxl.targets.model import Lock, TargetsError, UnitSpec

__all__ = ["Tree", "ancestors", "where"]


class Tree:
    def __init__(self, specs: list[UnitSpec]) -> None:
        self.nodes: dict[str, UnitSpec] = {}
        self.products: dict[str, list[UnitSpec]] = defaultdict(list)
        self.children: dict[str, list[str]] = defaultdict(list)
        for spec in specs:
            if spec.product:
                continue
            if spec.unit in self.nodes:
                raise TargetsError(
                    f"年度目标 Annual 第 {spec.row} 行：单元「{spec.unit}」重复 / unit "
                    f"{spec.unit!r} appears twice (row {spec.row}); keep one row"
                )
            self.nodes[spec.unit] = spec
        for spec in specs:
            if spec.product:
                if spec.unit not in self.nodes:
                    raise TargetsError(
                        where(spec) + f"产品行的单元「{spec.unit}」没有单元行 / the product "
                        f"row's unit {spec.unit!r} has no row of its own; add it"
                    )
                self.products[spec.unit].append(spec)
            elif spec.parent:
                if spec.parent not in self.nodes:
                    raise TargetsError(
                        where(spec) + f"上级「{spec.parent}」不存在 / parent "
                        f"{spec.parent!r} of {spec.unit!r} is not a unit; add a row "
                        "for it or correct the name"
                    )
                self.children[spec.parent].append(spec.unit)
        self.roots = [u for u, s in self.nodes.items() if not s.parent]
        if not self.roots:
            raise TargetsError(
                "年度目标 Annual：没有顶层单元（上级为空的行）/ no top unit: one row "
                "needs an empty 上级 Parent (the company)"
            )
        seen: set[str] = set()
        for root in self.roots:
            self._walk(root, seen, ())
        if len(seen) != len(self.nodes):
            loop = sorted(set(self.nodes) - seen)
            raise TargetsError(
                f"年度目标 Annual：上级关系成环 / these units are their own ancestors: "
                f"{', '.join(loop)}; correct their 上级 Parent"
            )
        for unit, products in self.products.items():
            if self.children.get(unit):
                raise TargetsError(
                    where(products[0]) + f"产品只能分到最底层单元 / products can only "
                    f"be split at units without children; {unit!r} has children"
                )

    def _walk(self, unit: str, seen: set[str], path: tuple[str, ...]) -> None:
        seen.add(unit)
        for child in self.children.get(unit, []):
            if child in path or child == unit:
                continue
            self._walk(child, seen, (*path, unit))

    def order(self) -> list[tuple[str, int]]:
        """Units depth first, with their depth."""
        out: list[tuple[str, int]] = []

        def visit(unit: str, depth: int) -> None:
            out.append((unit, depth))
            for child in self.children.get(unit, []):
                visit(child, depth + 1)

        for root in self.roots:
            visit(root, 0)
        return out


def where(spec: UnitSpec | Lock, sheet: str = "年度目标 Annual") -> str:
    return f"{sheet} 第 {spec.row} 行 (row {spec.row}): " if spec.row else f"{sheet}: "


def ancestors(tree: Tree, unit: str) -> list[str]:
    """The unit's parent, its parent's parent, … up to the top."""
    out: list[str] = []
    parent = tree.nodes[unit].parent
    while parent:
        out.append(parent)
        parent = tree.nodes[parent].parent
    return out
