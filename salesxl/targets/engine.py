"""The target engine: annual → month across the organisation and products, exact to the unit.

1. Annual targets down the tree (整分合): explicit targets stay; the rest of a
   parent's target is shared among its children by last year's sales, scaled by
   weights (ability), or equally — or summed up from the reps' proposals.
2. A monthly profile per unit by its method (profiles.py), ramped for new reps.
3. Months top-down: the root's months by its profile; then, parent by parent, the
   children's months are fitted to both their annual targets and the parent's
   months (with locked cells kept) and rounded so both hold exactly.
4. Products of a unit the same way, fitted to the unit's months.
All arithmetic is in integer rounding units.
"""

from __future__ import annotations

import math
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from salesxl.core.calendar import CalendarNotCoveredError
from salesxl.core.periods import Month
from salesxl.targets.model import Lock, Split, TargetsError, TargetsInput, UnitPlan, UnitSpec
from salesxl.targets.profiles import Profile, fiscal_months, monthly_profile, ramped
from salesxl.targets.rounding import InfeasibleError, apportion, fit_margins, round_matrix

__all__ = ["split_targets"]

History = dict[str, dict[str | None, dict[Month, float]]]


class _Tree:
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
                        _where_zh(spec) + f"产品行的单元「{spec.unit}」没有自己的一行，请补上",
                        _where_en(spec) + f"the product row's unit {spec.unit!r} has no row "
                        "of its own; add it",
                    )
                self.products[spec.unit].append(spec)
            elif spec.parent:
                if spec.parent not in self.nodes:
                    raise TargetsError(
                        _where_zh(spec) + f"「{spec.unit}」的上级「{spec.parent}」不存在，"
                        "请为它添加一行或更正名称",
                        _where_en(spec) + f"parent {spec.parent!r} of {spec.unit!r} is not a "
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
                    _where_zh(products[0]) + f"产品只能分到最底层单元，而「{unit}」有下级",
                    _where_en(products[0]) + "products can only be split at units without "
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


def _where_zh(spec: UnitSpec | Lock, sheet: str = "年度目标 Annual") -> str:
    return f"{sheet} 第 {spec.row} 行：" if spec.row else f"{sheet}："


def _where_en(spec: UnitSpec | Lock, sheet: str = "年度目标 Annual") -> str:
    return f"{sheet} row {spec.row}: " if spec.row else f"{sheet}: "


def _units(amount: Decimal, rounding: Decimal, what_zh: str, what_en: str) -> int:
    value = amount / rounding
    if value != value.to_integral_value():
        raise TargetsError(
            f"{what_zh} {amount:,} 不是取整单位 {rounding} 的整数倍，请取整或修改「取整单位」",
            f"{what_en} {amount:,} is not a multiple of the rounding unit {rounding}; "
            "round it or change 取整单位 Rounding",
        )
    return int(value)


def _history(rows: list[tuple[str, str | None, Month, float]], tree: _Tree) -> History:
    """Per unit and product; a parent without history of its own gets its children's sum."""
    history: History = defaultdict(lambda: defaultdict(lambda: defaultdict(float)))
    for unit, product, month, amount in rows:
        history[unit][product or None][month] += amount
        if product:
            history[unit][None][month] += amount
    for unit, _ in reversed(tree.order()):
        if unit in history and history[unit][None]:
            continue
        total: dict[Month, float] = defaultdict(float)
        for child in tree.children.get(unit, []):
            for month, amount in history.get(child, {}).get(None, {}).items():
                total[month] += amount
        if total:
            history[unit][None] = total
    return history


def _last_year(history: History, unit: str, product: str | None, months: list[Month]) -> float:
    series = history.get(unit, {}).get(product, {})
    return math.fsum(series.get(m.shift(-12), 0.0) for m in months)


def _shares(
    names: list[str], weights: list[float | None], bases: list[float]
) -> tuple[list[float], str]:
    """Last year's sales, scaled by weights (ability); a unit without history counts as the
    average one; without any history: weights, else equal."""
    known = [b for b in bases if b > 0]
    if not known:
        if any(w is not None for w in weights):
            return [w if w is not None else 1.0 for w in weights], "by weights"
        return [1.0] * len(names), "equally"
    average = math.fsum(known) / len(known)
    shares = [
        (b if b > 0 else average) * (w if w is not None else 1.0)
        for b, w in zip(bases, weights, strict=True)
    ]
    how = "by last year's sales" + (" × weights" if any(w is not None for w in weights) else "")
    return shares, how


def _active_part(unit: str, starts: dict[str, Month], months: list[Month]) -> float:
    start = starts.get(unit)
    if start is None or start <= months[0]:
        return 1.0
    if start > months[-1]:
        return 0.0
    return (12 - months.index(start)) / 12


def _annuals(
    tree: _Tree, inp: TargetsInput, history: History, months: list[Month], warnings: list[str]
) -> tuple[dict[str, int], dict[str, int | None], dict[str, str]]:
    s = inp.settings
    top_down: dict[str, int | None] = dict.fromkeys(tree.nodes)
    notes: dict[str, str] = {}
    proposals: dict[str, int] = {}
    for unit, spec in tree.nodes.items():
        if spec.proposed is not None:
            value = (spec.proposed / s.rounding).to_integral_value(ROUND_HALF_UP)
            if value * s.rounding != spec.proposed:
                warnings.append(
                    f"{unit}: 上报目标 {spec.proposed:,} rounded to {value * s.rounding:,} "
                    f"(rounding unit {s.rounding})"
                )
            proposals[unit] = int(value)

    def down(unit: str, total: int, use_proposals: bool) -> None:
        top_down[unit] = total
        children = tree.children.get(unit, [])
        if not children:
            return
        fixed: dict[str, int] = {}
        for child in children:
            spec = tree.nodes[child]
            if spec.annual is not None:
                fixed[child] = _units(
                    spec.annual, s.rounding, f"{child} 年度目标", f"the annual target of {child}"
                )
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
        if not free:
            if rest:
                raise TargetsError(
                    f"年度目标 Annual：「{unit}」的下级目标之和与其目标相差 {rest * s.rounding:,}，"
                    "请更正其中一个",
                    f"年度目标 Annual: the targets of {unit!r}'s children do not add up to its "
                    f"target (off by {rest * s.rounding:,}); correct one of them",
                )
            parts: dict[str, int] = {}
        else:
            if use_proposals and all(c in proposals for c in free):
                weights, how = [float(proposals[c]) for c in free], "scaled from the proposals"
            else:
                weights, how = _shares(
                    free,
                    [tree.nodes[c].weight for c in free],
                    [_last_year(history, c, None, months) for c in free],
                )
                # Someone who joins during the year gets the share of the months left.
                weights = [
                    w * _active_part(c, inp.starts, months)
                    for c, w in zip(free, weights, strict=True)
                ]
            parts = dict(zip(free, apportion(rest, weights), strict=True))
            for c in free:
                notes[c] = f"share of {unit} {how}"
        for child in children:
            down(child, fixed.get(child, parts.get(child, 0)), use_proposals)

    roots_total: dict[str, int] = {}
    for root in tree.roots:
        spec = tree.nodes[root]
        if spec.annual is not None:
            roots_total[root] = _units(
                spec.annual, s.rounding, f"{root} 年度目标", f"the annual target of {root}"
            )
    if s.mode in ("top-down", "negotiated"):
        for root in tree.roots:
            if root not in roots_total:
                raise TargetsError(
                    f"年度目标 Annual：顶层单元「{root}」需要年度目标（{s.mode} 模式）",
                    f"年度目标 Annual: the top unit {root!r} needs an annual target in "
                    f"{s.mode} mode",
                )
            down(root, roots_total[root], s.mode == "negotiated" and s.scale_proposals)
        given = {u: v for u, v in top_down.items() if v is not None}
        return given, top_down, notes
    # bottom-up: the reps' proposals summed up the tree
    annuals: dict[str, int] = {}
    for unit, _ in reversed(tree.order()):
        children = tree.children.get(unit, [])
        if children:
            annuals[unit] = sum(annuals[c] for c in children)
            notes[unit] = "sum of the proposals below"
        elif unit in proposals:
            annuals[unit] = proposals[unit]
            notes[unit] = "its own proposal"
        else:
            spec = tree.nodes[unit]
            raise TargetsError(
                _where_zh(spec) + f"由下而上模式需要每个最底层单元的上报目标，「{unit}」没有",
                _where_en(spec) + f"bottom-up needs a 上报目标 Proposed for {unit!r}",
            )
    top = {r: roots_total.get(r) for r in tree.roots}
    for root, total in top.items():  # the top-down figure, for the gap report
        if total is not None:
            down(root, total, False)
    return annuals, top_down, notes


def _profile(
    spec: UnitSpec,
    method: str,
    history: dict[Month, float] | None,
    inp: TargetsInput,
    months: list[Month],
    warnings: list[str],
) -> Profile:
    try:
        profile = monthly_profile(
            method,
            months,
            history,
            inp.workdays,
            spring_festival=inp.settings.spring_festival,
            month_weights=spec.month_weights,
        )
    except CalendarNotCoveredError as exc:
        raise TargetsError(
            f"{spec.unit}：{exc.message_zh}",
            f"{spec.unit}: {exc.message_en}",
            hint_zh=exc.hint_zh,
            hint_en=exc.hint_en,
        ) from None
    except ValueError as exc:  # the method's own checks (profiles.py), worded in English
        raise TargetsError(
            _where_zh(spec) + f"「{spec.unit}」的分解方法无法使用：{exc}",
            _where_en(spec) + f"{spec.unit}: {exc}",
        ) from None
    name = f"{spec.unit}" + (f" / {spec.product}" if spec.product else "")
    if profile.method != method:
        warnings.append(f"{name}: {profile.note}")
    weights = profile.weights
    if spec.ramp:
        start = inp.starts.get(spec.unit)
        first = months.index(start) if start in months else 0
        weights = ramped(weights, spec.ramp, first)
        note = f"ramp {','.join(f'{r:g}' for r in spec.ramp)} from {months[first]}"
        profile = Profile(weights, profile.method, f"{profile.note}; {note}".strip("; "))
    total = math.fsum(weights)
    if total <= 0:
        raise TargetsError(
            f"{name}：{profile.method} 方法的各月权重全为零，请换一种方法",
            f"{name}: the {profile.method} profile is all zero; give another method",
        )
    return Profile(tuple(w / total for w in weights), profile.method, profile.note)


def _product_profile(
    spec: UnitSpec,
    unit_spec: UnitSpec,
    history: History,
    inp: TargetsInput,
    months: list[Month],
    warnings: list[str],
) -> Profile:
    """A product's own months when its history allows the method; else the unit's mix."""
    method = spec.method or unit_spec.method or inp.settings.method
    series = history.get(spec.unit, {}).get(spec.product)
    if method in ("seasonal", "trend", "last-year") and not series:
        unit_series = history.get(spec.unit, {}).get(None)
        profile = _profile(
            unit_spec, unit_spec.method or inp.settings.method, unit_series, inp, months, []
        )
        return Profile(
            profile.weights, profile.method, f"no history of its own: follows {spec.unit}'s months"
        )
    return _profile(spec, method, series, inp, months, warnings)


def _fit(
    rows: list[int],
    columns: list[int],
    seed: list[list[float]],
    floors: list[list[int]],
    locked: set[tuple[int, int]],
    names: list[str],
    months: list[Month],
    owner: str,
    held: str = "",
) -> list[list[int]]:
    """Cells = floor (locked descendants, or the lock itself) + a fitted, rounded rest.

    `held` names the locked units involved, for the messages."""
    rest_rows = [r - sum(f) for r, f in zip(rows, floors, strict=True)]
    rest_cols = [c - sum(f[k] for f in floors) for k, c in enumerate(columns)]
    for i, short in enumerate(rest_rows):
        if short < 0:
            raise TargetsError(
                f"锁定 Locked：{names[i]}（及其下级{held}）锁定的月度目标之和超过年度目标，"
                "请调低锁定值或调高年度目标",
                f"锁定 Locked: the locked months of {names[i]} (and the units under it{held}) "
                "add up to more than its annual target; lower them or raise the annual target",
            )
    for k, short in enumerate(rest_cols):
        if short < 0:
            raise TargetsError(
                f"锁定 Locked：{owner} {months[k]}：下级锁定之和{held}超过该月目标，"
                "请调低它们或同时锁定上级的这个月",
                f"锁定 Locked: the locked {months[k]} targets under {owner}{held} exceed its "
                f"{months[k]} target; lower them or lock the parent's month too",
            )
    free_seed = [
        [max(0.0, v - f) for v, f in zip(row, frow, strict=True)]
        for row, frow in zip(seed, floors, strict=True)
    ]
    try:
        x = fit_margins(free_seed, rest_rows, rest_cols, dict.fromkeys(locked, 0.0))
        rest = round_matrix(x, rest_rows, rest_cols)
    except InfeasibleError as exc:
        who = names[exc.row] if exc.row is not None else owner
        when = f" {months[exc.column]}" if exc.column is not None else ""
        raise TargetsError(
            f"锁定 Locked / 年度目标 Annual：{who}{when}：{exc.message_zh}（{owner}{held} 之下），"
            "请修改锁定月份或年度目标",
            f"锁定 Locked / 年度目标 Annual: {who}{when}: {exc.message_en} (under "
            f"{owner}{held}); change the locked months or the annual targets",
        ) from None
    return [[a + b for a, b in zip(r, f, strict=True)] for r, f in zip(rest, floors, strict=True)]


def _under(tree: _Tree, unit: str, ancestor: str) -> bool:
    parent = tree.nodes[unit].parent if unit in tree.nodes else None
    while parent:
        if parent == ancestor:
            return True
        parent = tree.nodes[parent].parent
    return False


def _floors(
    tree: _Tree, locks: dict[tuple[str, str | None], dict[int, int]]
) -> dict[tuple[str, str | None], list[int]]:
    """What each unit's (and product's) months cannot go below: its locks, or the locks under it."""
    floors: dict[tuple[str, str | None], list[int]] = {}
    for (unit, product), months in locks.items():
        if product is not None:
            floors[(unit, product)] = [months.get(k, 0) for k in range(12)]
    for unit, _ in reversed(tree.order()):
        below = [0] * 12
        for child in tree.children.get(unit, []):
            below = [a + b for a, b in zip(below, floors[(child, None)], strict=True)]
        for spec in tree.products.get(unit, []):
            below = [
                a + b
                for a, b in zip(below, floors.get((unit, spec.product), [0] * 12), strict=True)
            ]
        own = locks.get((unit, None), {})
        for k, value in own.items():
            if value < below[k]:
                raise TargetsError(
                    f"锁定 Locked：{unit} 第 {k + 1} 个月的锁定值小于其下级锁定之和",
                    f"锁定 Locked: the lock of {unit} is below the sum of the locks under it "
                    f"in month {k + 1}",
                )
            below[k] = value
        floors[(unit, None)] = below
    return floors


def split_targets(inp: TargetsInput) -> Split:
    """The whole breakdown; raises TargetsError for impossible inputs."""
    s = inp.settings
    months = fiscal_months(s.year, s.fiscal_start)
    warnings: list[str] = []
    tree = _Tree(inp.units)
    history = _history(inp.history, tree)
    annuals, top_down, notes = _annuals(tree, inp, history, months, warnings)
    locks: dict[tuple[str, str | None], dict[int, int]] = defaultdict(dict)
    for lock in inp.locks:
        if lock.unit not in tree.nodes:
            raise TargetsError(
                _where_zh(lock, "锁定 Locked") + f"单元「{lock.unit}」不在年度目标中",
                _where_en(lock, "锁定 Locked") + f"{lock.unit!r} is not a unit of the Annual sheet",
            )
        if lock.month not in months:
            raise TargetsError(
                _where_zh(lock, "锁定 Locked") + f"{lock.month} 不在财年 {s.year} 内",
                _where_en(lock, "锁定 Locked") + f"{lock.month} is outside fiscal year {s.year}",
            )
        where = f"锁定 Locked {lock.unit} {lock.month}"
        locks[(lock.unit, lock.product)][months.index(lock.month)] = _units(
            lock.target, s.rounding, where, where
        )
    # Profiles bottom-up: a parent without a method of its own follows its children's mix.
    profiles: dict[str, Profile] = {}
    for unit, _ in reversed(tree.order()):
        spec = tree.nodes[unit]
        children = tree.children.get(unit, [])
        if children and not spec.method:
            total = sum(annuals[c] for c in children) or 1
            mix = [
                math.fsum(annuals[c] * profiles[c].weights[k] for c in children) / total
                for k in range(12)
            ]
            if not any(mix):
                mix = [1 / 12] * 12
            profiles[unit] = Profile(tuple(mix), "sum of its children", "")
        else:
            profiles[unit] = _profile(
                spec,
                spec.method or s.method,
                history.get(unit, {}).get(None),
                inp,
                months,
                warnings,
            )
    # Months top-down: locked cells and the locks below each unit are floors.
    floors = _floors(tree, locks)
    month_units: dict[str, list[int]] = {}
    for root in tree.roots:
        own = locks.get((root, None), {})
        base = floors[(root, None)]
        free = [k for k in range(12) if k not in own]
        rest = annuals[root] - sum(base)
        if rest < 0 or (not free and rest):
            units = ", ".join(sorted({u for u, _ in locks}))
            raise TargetsError(
                f"锁定 Locked：{root}：锁定月份（{units}）之和 {sum(base) * s.rounding:,} 与"
                f"年度目标 {annuals[root] * s.rounding:,} 不符",
                f"锁定 Locked: {root}: the locked months ({units}) add up to "
                f"{sum(base) * s.rounding:,}, the annual target is "
                f"{annuals[root] * s.rounding:,}",
            )
        parts = apportion(rest, [profiles[root].weights[k] for k in free])
        month_units[root] = list(base)
        for k, v in zip(free, parts, strict=True):
            month_units[root][k] += v
    for unit, _ in tree.order():
        children = tree.children.get(unit, [])
        if not children:
            continue
        rows = [annuals[c] for c in children]
        seed = [[annuals[c] * w for w in profiles[c].weights] for c in children]
        locked = {(i, k) for i, c in enumerate(children) for k in locks.get((c, None), {})}
        held = sorted({u for u, _ in locks if u == unit or _under(tree, u, unit)})
        matrix = _fit(
            rows,
            month_units[unit],
            seed,
            [floors[(c, None)] for c in children],
            locked,
            children,
            months,
            unit,
            f"; locked: {', '.join(held)}" if held else "",
        )
        for c, values in zip(children, matrix, strict=True):
            month_units[c] = values
    plans: list[UnitPlan] = []
    for unit, depth in tree.order():
        spec = tree.nodes[unit]
        profile = profiles[unit]
        plans.append(
            UnitPlan(
                spec.level,
                unit,
                spec.parent,
                None,
                annuals[unit],
                month_units[unit],
                profile.method,
                "; ".join(x for x in (notes.get(unit), profile.note) if x),
                spec.proposed,
                top_down.get(unit),
                depth,
            )
        )
        if tree.products.get(unit):
            plans += _products(
                tree.products[unit],
                spec,
                annuals[unit],
                month_units[unit],
                history,
                locks,
                inp,
                months,
                warnings,
                depth,
            )
    return Split(s, months, plans, warnings)


def _products(
    specs: list[UnitSpec],
    unit_spec: UnitSpec,
    annual: int,
    months_total: list[int],
    history: History,
    locks: dict[tuple[str, str | None], dict[int, int]],
    inp: TargetsInput,
    months: list[Month],
    warnings: list[str],
    depth: int,
) -> list[UnitPlan]:
    s = inp.settings
    unit = unit_spec.unit
    fixed = {
        p.product: _units(
            p.annual,
            s.rounding,
            f"{unit} / {p.product} 年度目标",
            f"the annual target of {unit} / {p.product}",
        )
        for p in specs
        if p.annual is not None
    }
    rest = annual - sum(fixed.values())
    if rest < 0:
        raise TargetsError(
            _where_zh(specs[0]) + f"「{unit}」的产品目标之和超过其年度目标",
            _where_en(specs[0]) + f"the product targets of {unit!r} exceed its annual target",
        )
    free = [p for p in specs if p.annual is None]
    if not free and rest:
        raise TargetsError(
            _where_zh(specs[0]) + f"「{unit}」的产品目标之和与年度目标相差 {rest * s.rounding:,}",
            _where_en(specs[0]) + f"the product targets of {unit!r} do not add up to its "
            f"annual target (off by {rest * s.rounding:,})",
        )
    weights, how = _shares(
        [p.product or "" for p in free],
        [p.weight for p in free],
        [_last_year(history, unit, p.product, months) for p in free],
    )
    shares = dict(
        zip([p.product for p in free], apportion(rest, weights) if free else [], strict=True)
    )
    annuals = [fixed.get(p.product, shares.get(p.product, 0)) for p in specs]
    profiles = [_product_profile(p, unit_spec, history, inp, months, warnings) for p in specs]
    seed = [[a * w for w in prof.weights] for a, prof in zip(annuals, profiles, strict=True)]
    product_locks = [locks.get((unit, p.product), {}) for p in specs]
    floors = [[pl.get(k, 0) for k in range(12)] for pl in product_locks]
    locked = {(i, k) for i, pl in enumerate(product_locks) for k in pl}
    names = [f"{unit} / {p.product}" for p in specs]
    held = ", ".join(p for (u, p) in locks if u == unit and p)
    matrix = _fit(
        annuals,
        months_total,
        seed,
        floors,
        locked,
        names,
        months,
        unit,
        f"; locked: {held}" if held else "",
    )
    return [
        UnitPlan(
            "product",
            unit,
            unit_spec.parent,
            p.product,
            a,
            values,
            prof.method,
            "; ".join(
                x for x in (f"share of {unit} {how}" if p.annual is None else "", prof.note) if x
            ),
            p.proposed,
            None,
            depth + 1,
        )
        for p, a, values, prof in zip(specs, annuals, matrix, profiles, strict=True)
    ]
