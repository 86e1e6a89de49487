"""The organisation tree of 年度目标 Annual: units, their parents, children and products."""

from __future__ import annotations

from collections import defaultdict

from salesxl.targets.model import Lock, TargetsError, UnitSpec

__all__ = ["Tree", "ancestors", "where_en", "where_zh"]


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
                    f"年度目标 Annual 第 {spec.row} 行：单元「{spec.unit}」重复，请只保留一行",
                    f"年度目标 Annual: unit {spec.unit!r} appears twice (row {spec.row}); "
                    "keep one row",
                )
            self.nodes[spec.unit] = spec
        for spec in specs:
            if spec.product:
                if spec.unit not in self.nodes:
                    raise TargetsError(
                        where_zh(spec) + f"产品行的单元「{spec.unit}」没有自己的一行，请补上",
                        where_en(spec) + f"the product row's unit {spec.unit!r} has no row "
                        "of its own; add it",
                    )
                self.products[spec.unit].append(spec)
            elif spec.parent:
                if spec.parent not in self.nodes:
                    raise TargetsError(
                        where_zh(spec) + f"「{spec.unit}」的上级「{spec.parent}」不存在，"
                        "请为它添加一行或更正名称",
                        where_en(spec) + f"parent {spec.parent!r} of {spec.unit!r} is not a "
                        "unit; add a row for it or correct the name",
                    )
                self.children[spec.parent].append(spec.unit)
        self.roots = [u for u, s in self.nodes.items() if not s.parent]
        if not self.roots:
            raise TargetsError(
                "年度目标 Annual：没有顶层单元，需要有一行的「上级」为空（公司）",
                "年度目标 Annual: no top unit: one row needs an empty 上级 Parent (the company)",
            )
        seen: set[str] = set()
        for root in self.roots:
            self._walk(root, seen, ())
        if len(seen) != len(self.nodes):
            loop = sorted(set(self.nodes) - seen)
            raise TargetsError(
                f"年度目标 Annual：上级关系成环（{', '.join(loop)}），请更正它们的「上级」",
                f"年度目标 Annual: these units are their own ancestors: {', '.join(loop)}; "
                "correct their 上级 Parent",
            )
        for unit, products in self.products.items():
            if self.children.get(unit):
                raise TargetsError(
                    where_zh(products[0]) + f"产品只能分到最底层单元，而「{unit}」有下级",
                    where_en(products[0]) + "products can only be split at units without "
                    f"children; {unit!r} has children",
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


def where_zh(spec: UnitSpec | Lock, sheet: str = "年度目标 Annual") -> str:
    """Where a row is, for a Chinese message: the sheet and its row."""
    return f"{sheet} 第 {spec.row} 行：" if spec.row else f"{sheet}："


def where_en(spec: UnitSpec | Lock, sheet: str = "年度目标 Annual") -> str:
    """Where a row is, for an English message."""
    return f"{sheet} row {spec.row}: " if spec.row else f"{sheet}: "


def ancestors(tree: Tree, unit: str) -> list[str]:
    """The unit's parent, its parent's parent, … up to the top."""
    out: list[str] = []
    parent = tree.nodes[unit].parent
    while parent:
        out.append(parent)
        parent = tree.nodes[parent].parent
    return out
