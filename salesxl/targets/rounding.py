"""Exact arithmetic for 整分合: the parts add up to the whole, to the rounding unit.

All amounts here are integers counted in rounding units (a target of ¥1,234,500
with a unit of ¥100 is 12,345).  Three tools:

- `apportion`: split an integer total by weights, each part the floor or the
  ceiling of its exact share (largest remainder);
- `fit_margins`: iterative proportional fitting — scale a seed matrix until its
  rows and columns add up to given totals, keeping fixed (locked) cells;
- `round_matrix`: controlled rounding — every cell the floor or ceiling of its
  exact value, every row and column sum exactly its integer total.  It is a
  transportation problem with unit capacities; with twelve months as columns
  a greedy pass plus short augmenting paths over the columns solves it.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence

from salesxl.core.errors import SalesxlError

__all__ = ["InfeasibleError", "apportion", "fit_margins", "round_matrix"]


class InfeasibleError(SalesxlError, ValueError):
    """No table satisfies the totals (e.g. a locked cell above its row's total).

    `row` and `column` say where (0-based), so the caller can name the unit and month.
    """

    def __init__(
        self, message_zh: str, message_en: str, row: int | None = None, column: int | None = None
    ) -> None:
        super().__init__(message_zh, message_en, setting="targets_input")
        self.row = row
        self.column = column


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Integers summing to `total`, proportional to `weights` (floor or ceiling of each share)."""
    if total < 0:
        raise InfeasibleError(f"无法分配负数总额 {total}", f"cannot split a negative total {total}")
    if not weights:
        if total:
            raise InfeasibleError("没有可以分配总额的对象", "nothing to split the total among")
        return []
    weight_sum = math.fsum(weights)
    if weight_sum <= 0:
        weights = [1.0] * len(weights)  # no information: equal shares
        weight_sum = float(len(weights))
    exact = [total * w / weight_sum for w in weights]
    parts = [math.floor(x + 1e-9) for x in exact]
    left = total - sum(parts)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[:left]:
        parts[i] += 1
    return parts


def fit_margins(
    seed: list[list[float]],
    rows: Sequence[float],
    columns: Sequence[float],
    fixed: dict[tuple[int, int], float] | None = None,
    *,
    iterations: int = 2000,
    tolerance: float = 1e-9,
) -> list[list[float]]:
    """Scale the free cells of `seed` so rows add up to `rows` and columns to `columns`.

    Fixed cells keep their value.  A row or column whose free cells are all zero
    in the seed is given an even spread over its free cells first.
    """
    fixed = fixed or {}
    m, n = len(rows), len(columns)
    x = [[0.0 if (i, j) in fixed else max(0.0, seed[i][j]) for j in range(n)] for i in range(m)]
    free_rows = [rows[i] - sum(v for (fi, _), v in fixed.items() if fi == i) for i in range(m)]
    free_cols = [columns[j] - sum(v for (_, fj), v in fixed.items() if fj == j) for j in range(n)]
    _check_free(free_rows, free_cols, fixed, m, n)
    # Every free cell whose row and column both still need something gets a tiny share,
    # so zeros in the seed can never make the totals unreachable (IPF then converges).
    eps = 1e-9 * max([*free_rows, 1.0])
    for i in range(m):
        for j in range(n):
            if x[i][j] < eps:  # no subnormal seeds: they would overflow the scaling
                x[i][j] = (
                    eps if free_rows[i] > 0 and free_cols[j] > 0 and (i, j) not in fixed else 0.0
                )
    for _ in range(iterations):
        for i in range(m):
            s = math.fsum(x[i])
            if s > 0:
                f = free_rows[i] / s
                x[i] = [v * f for v in x[i]]
        worst = 0.0
        for j in range(n):
            s = math.fsum(x[i][j] for i in range(m))
            if s > 0:
                f = free_cols[j] / s
                for i in range(m):
                    x[i][j] *= f
            worst = max(worst, abs(s - free_cols[j]))
        row_err = max((abs(math.fsum(x[i]) - free_rows[i]) for i in range(m)), default=0.0)
        if max(worst, row_err) <= tolerance * max(1.0, max(free_rows, default=1.0)):
            break
    else:
        # Totals that force some cells to exactly zero converge slowly; close is enough,
        # round_matrix settles the last fraction of a unit.
        if max(worst, row_err) > 1e-3 * max(1.0, max(free_rows, default=1.0)):
            raise InfeasibleError(
                "按给定的比例和锁定值，行合计与列合计无法同时满足",
                "the row and column totals cannot both be met with the given seed and locked cells",
            )
    for (i, j), v in fixed.items():
        x[i][j] = v
    return x


def _check_free(
    free_rows: list[float],
    free_cols: list[float],
    fixed: dict[tuple[int, int], float],
    m: int,
    n: int,
) -> None:
    for i, v in enumerate(free_rows):
        if v < -1e-9:
            raise InfeasibleError(
                f"锁定值超过第 {i} 行的合计 {-v:g}",
                f"locked cells exceed row {i}'s total by {-v:g}",
                row=i,
            )
    for j, v in enumerate(free_cols):
        if v < -1e-9:
            raise InfeasibleError(
                f"锁定值超过第 {j} 列的合计 {-v:g}",
                f"locked cells exceed column {j}'s total by {-v:g}",
                column=j,
            )
    for i in range(m):
        if free_rows[i] > 1e-9 and all((i, j) in fixed or free_cols[j] <= 1e-9 for j in range(n)):
            raise InfeasibleError(
                f"第 {i} 行还剩 {free_rows[i]:g}，但每一列都已锁定或已满",
                f"row {i} has {free_rows[i]:g} left but every column is locked or full",
                row=i,
            )
    for j in range(n):
        if free_cols[j] > 1e-9 and all((i, j) in fixed or free_rows[i] <= 1e-9 for i in range(m)):
            raise InfeasibleError(
                f"第 {j} 列还剩 {free_cols[j]:g}，但每一行都已锁定或已满",
                f"column {j} has {free_cols[j]:g} left but every row is locked or full",
                column=j,
            )


def round_matrix(
    x: list[list[float]], rows: Sequence[int], columns: Sequence[int]
) -> list[list[int]]:
    """Controlled rounding: each cell floor or ceil of x, rows and columns summing exactly.

    `x` must already add up (to within rounding error) to the integer `rows`
    and `columns` — as `fit_margins` leaves it.
    """
    m, n = len(rows), len(columns)
    if sum(rows) != sum(columns):
        raise InfeasibleError(
            f"行合计 {sum(rows)} 与列合计 {sum(columns)} 不相等",
            f"row totals {sum(rows)} and column totals {sum(columns)} differ",
        )
    out = [[0] * n for _ in range(m)]
    frac: list[set[int]] = []  # columns where row i can still take the ceiling
    need_row = list(rows)
    need_col = list(columns)
    for i in range(m):
        cells = set()
        for j in range(n):
            v = x[i][j]
            low = math.floor(v + 1e-7)
            if v - low > 1e-7:
                cells.add(j)
            out[i][j] = low
            need_row[i] -= low
            need_col[j] -= low
        frac.append(cells)
    if any(v < 0 for v in need_row) or any(v < 0 for v in need_col):
        raise InfeasibleError("表中数值与合计不符", "the table does not add up to its totals")
    chosen: list[set[int]] = [set() for _ in range(m)]
    takers: list[set[int]] = [set() for _ in range(n)]  # rows that took column j's ceiling
    # Greedy: rows with the fewest options first, each to the columns that need most.
    for i in sorted(range(m), key=lambda i: (len(frac[i]), i)):
        for j in sorted(frac[i], key=lambda j: (-need_col[j], -(x[i][j] % 1), j))[: need_row[i]]:
            if need_col[j] > 0:
                _take(i, j, chosen, takers, need_row, need_col)
    # Repair: move units along short paths over the columns until every row is served.
    for i in range(m):
        while need_row[i] > 0:
            if not _augment(i, frac, chosen, takers, need_row, need_col):
                # Only when the fitted table was a hair off its totals: let the row also
                # use its other cells that have something in them.
                wider = {j for j in range(n) if x[i][j] > 0} - frac[i]
                if not wider:
                    raise InfeasibleError(
                        f"第 {i} 行无法取整到其合计",
                        f"row {i} cannot be rounded to its total",
                        row=i,
                    )
                frac[i] |= wider
    for i in range(m):
        for j in chosen[i]:
            out[i][j] += 1
    return out


def _take(
    i: int,
    j: int,
    chosen: list[set[int]],
    takers: list[set[int]],
    need_row: list[int],
    need_col: list[int],
) -> None:
    chosen[i].add(j)
    takers[j].add(i)
    need_row[i] -= 1
    need_col[j] -= 1


def _augment(
    start: int,
    frac: list[set[int]],
    chosen: list[set[int]],
    takers: list[set[int]],
    need_row: list[int],
    need_col: list[int],
) -> bool:
    """One unit for row `start`: BFS over columns; a column that is full passes its unit on
    to another column through a row that took it and can take that other column instead."""
    previous: dict[int, tuple[int, int | None]] = {}  # column -> (row that enters, column before)
    queue: deque[int] = deque()
    for j in frac[start] - chosen[start]:
        previous[j] = (start, None)
        queue.append(j)
    while queue:
        j = queue.popleft()
        if need_col[j] > 0:  # found a column that still needs a unit: shift along the path
            col: int | None = j
            while col is not None:
                row, before = previous[col]
                chosen[row].add(col)
                takers[col].add(row)
                if before is not None:
                    chosen[row].discard(before)
                    takers[before].discard(row)
                col = before
            need_row[start] -= 1
            need_col[j] -= 1
            return True
        for k in list(takers[j]):  # row k gives up j and takes another of its columns
            for j2 in frac[k] - chosen[k]:
                if j2 not in previous:
                    previous[j2] = (k, j)
                    queue.append(j2)
    return False
