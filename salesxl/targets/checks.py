"""What `targets split` refuses in a targets input's values, as issues at their cells.

`salesxl validate` and `salesxl targets split` both run `input_issues`, so a
targets input that validates is not then refused by the split for these:
an annual or locked target that is not a multiple of the rounding unit, and
month weights (method `weights`) that are not twelve or, given as
percentages, do not make 100%.  (Whether the units form one tree is judged
by the split itself.)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from salesxl.core.issues import Code, Issue, make_issue, message
from salesxl.forms import TARGETS_INPUT, FormId, TableKey
from salesxl.forms import Role as R
from salesxl.validate import FormData, TableData

__all__ = ["input_issues", "money_decimal", "month_weights_problem", "with_target_checks"]

Record = dict[str, Any]


def money_decimal(value: float | int) -> Decimal:
    """A read amount as the exact decimal the user typed (1200.0 -> 1200, 0.1 -> 0.1)."""
    if isinstance(value, float) and value.is_integer():
        return Decimal(int(value))
    return Decimal(str(value))


def month_weights_problem(weights: Sequence[float] | None) -> tuple[str, str] | None:
    """Why month weights cannot be used (zh, en: the bad_month_weights message), or None:
    twelve numbers, and weights that look like percentages (or fractions) make 100% (1)."""
    f = TARGETS_INPUT.table(TableKey.ANNUAL).field(R.MONTH_WEIGHTS)
    labels = {"field_zh": f.zh, "field_en": f.en}
    n = len(weights or ())
    if n != 12:
        return message(Code.BAD_MONTH_WEIGHTS, "count", count=n, **labels)
    assert weights is not None
    total = math.fsum(weights)
    for whole in (100.0, 1.0):  # percentages, or fractions of 1
        if 0.9 * whole <= total <= 1.1 * whole and abs(total - whole) > whole * 1e-6:
            return message(Code.BAD_MONTH_WEIGHTS, "percent", total=total * 100 / whole, **labels)
    return None


def input_issues(data: FormData) -> list[Issue]:
    """The split's checks of a targets input's values, as issues (none for other forms)."""
    if data.form_id != FormId.TARGETS_INPUT:
        return []
    rounding = money_decimal(data.header.get(R.ROUNDING) or 1)
    default_method = data.header.get(R.METHOD) or "seasonal"
    issues: list[Issue] = []
    annual = data.tables.get(TableKey.ANNUAL)
    if annual is not None:
        records = annual.records
        units = {r[R.UNIT]: r for r in records if r[R.UNIT] and not r[R.PRODUCT]}
        parents = {r[R.PARENT] for r in records if r[R.PARENT] and not r[R.PRODUCT]}
        for r in records:
            if r[R.ANNUAL_TARGET] is not None:
                issues += _multiple(data.path, annual, r, R.ANNUAL_TARGET, rounding)
            if _method(r, units, parents, default_method) == "weights":
                problem = month_weights_problem(r[R.MONTH_WEIGHTS])
                if problem is not None:
                    issues.append(
                        _at(data.path, annual, r, R.MONTH_WEIGHTS, problem, Code.BAD_MONTH_WEIGHTS)
                    )
    locked = data.tables.get(TableKey.LOCKED)
    if locked is not None:
        for r in locked.records:
            if r[R.TARGET] is not None:
                issues += _multiple(data.path, locked, r, R.TARGET, rounding)
    return issues


def with_target_checks(data: FormData) -> FormData:
    """A `load_forms(prepare=...)` step: a targets input gets the split's checks too."""
    data.issues.extend(input_issues(data))
    return data


def _method(r: Record, units: dict[str, Record], parents: set[str], default: str) -> str | None:
    """The method the split uses for a row; None for a parent that mixes its children's."""
    if r[R.METHOD]:
        return str(r[R.METHOD])
    if r[R.PRODUCT]:
        unit = units.get(r[R.UNIT])
        return str(unit[R.METHOD]) if unit is not None and unit[R.METHOD] else default
    return None if r[R.UNIT] in parents else default


def _multiple(path: str, table: TableData, r: Record, key: str, rounding: Decimal) -> list[Issue]:
    amount = money_decimal(r[key])
    units = amount / rounding
    if units == units.to_integral_value():
        return []
    low = units.to_integral_value(rounding=ROUND_FLOOR) * rounding
    f = TARGETS_INPUT.table(table.key).field(key)
    problem = message(
        Code.NOT_MULTIPLE_OF_ROUNDING,
        field_zh=f.zh,
        field_en=f.en,
        amount=amount,
        rounding=rounding,
        low=low,
        high=low + rounding,
    )
    return [_at(path, table, r, key, problem, Code.NOT_MULTIPLE_OF_ROUNDING, r[key])]


def _at(
    path: str,
    table: TableData,
    r: Record,
    key: str,
    problem: tuple[str, str],
    code: Code,
    value: Any = None,
) -> Issue:
    letters = table.columns.get(key)
    f = TARGETS_INPUT.table(table.key).field(key)
    return make_issue(
        code,
        path,
        *problem,
        sheet=table.sheet,
        cell=f"{letters}{r['_row']}" if letters else None,
        row=r["_row"],
        column=f.bilingual,
        value=value if value is not None else r.get(key),
    )
