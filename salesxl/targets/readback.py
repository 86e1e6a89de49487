"""A targets workbook read back (through the one reader) as the Split that wrote it.

`targets resplit` starts from it and `targets explain` reads its 说明 Method
rows.  Workbooks from before versions and tiers read too: version 1, and a
rounding unit found from the figures when the Method sheet does not say.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

from salesxl.core.periods import Month
from salesxl.forms import FormId, TableKey
from salesxl.forms import Role as R
from salesxl.intake.files import load_form, not_this_form
from salesxl.targets.model import Settings, Split, TargetsError, UnitPlan, Version
from salesxl.targets.notes import read
from salesxl.validate import FormData

__all__ = ["load_targets", "read_targets_workbook"]


def load_targets(path: Path) -> FormData:
    """The targets workbook as read, or a TargetsError saying what it is instead."""
    data = load_form(Path(path))
    if data.form_id != FormId.TARGETS:
        what_zh, what_en = not_this_form(data)
        raise TargetsError(
            f"{path} 不是「分解目标」生成的目标文件（明细 Long 表）：" + what_zh,
            f"{path} is not a targets workbook from `salesxl targets split` (明细 Long sheet): "
            + what_en,
            setting="targets",
        )
    errors = [i for i in data.issues if i.is_error]
    if errors:
        e = errors[0]
        raise TargetsError(
            f"{path}：{e.sheet}!{e.cell}：{e.message_zh}",
            f"{path}: {e.sheet}!{e.cell}: {e.message_en}",
            setting="targets",
        )
    return data


def _decimal(value: float) -> Decimal:
    return Decimal(str(value)).normalize() if value % 1 else Decimal(int(value))


def _rounding(header: dict[str, Any], values: list[float]) -> Decimal:
    if header.get(R.ROUNDING):
        return _decimal(header[R.ROUNDING])
    for unit in (Decimal(10000), Decimal(1000), Decimal(100), Decimal(10), Decimal(1)):
        if all(Decimal(str(v)) % unit == 0 for v in values):
            return unit
    return Decimal("0.01")


def read_targets_workbook(path: Path) -> Split:
    """The plans, tiers, version and notes of a targets workbook."""
    data = load_targets(path)
    h = data.header
    rows = data.records(TableKey.LONG)
    if not rows:
        raise TargetsError(
            f"{path}：明细 Long 表没有数据行",
            f"{path}: the 明细 Long sheet has no rows",
            setting="targets",
        )
    months = sorted({r[R.MONTH] for r in rows})
    if len(months) != 12:
        raise TargetsError(
            f"{path}：明细 Long 表覆盖 {len(months)} 个月，不是一个 12 个月的财年",
            f"{path}: the 明细 Long sheet covers {len(months)} months, not a fiscal year of 12",
            setting="targets",
        )
    rounding = _rounding(h, [r[R.TARGET] for r in rows])
    order: list[tuple[str, str | None]] = []
    info: dict[tuple[str, str | None], dict[str, Any]] = {}
    values: dict[tuple[str, str | None], dict[str, dict[Month, int]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for r in rows:
        key = (r[R.UNIT], r[R.PRODUCT])
        if key not in info:
            order.append(key)
            info[key] = {"level": r[R.LEVEL], "parent": r[R.PARENT]}
        for tier in (R.TARGET, R.STRETCH, R.CHALLENGE):
            if r[tier] is not None:
                values[key][tier][r[R.MONTH]] = int(Decimal(str(r[tier])) / rounding)
    notes = {(r[R.UNIT], r[R.PRODUCT]): r for r in data.records(TableKey.METHOD)}
    depth: dict[str, int] = {}
    plans: list[UnitPlan] = []
    for key in order:
        unit, product = key
        parent = info[key]["parent"]
        if product is None:
            depth[unit] = depth.get(parent, -1) + 1 if parent else 0
        base = [values[key][R.TARGET].get(m, 0) for m in months]
        tiers = {
            str(tier): [values[key][tier].get(m, 0) for m in months]
            for tier in (R.STRETCH, R.CHALLENGE)
            if values[key][tier]
        }
        note = notes.get(key, {})
        plans.append(
            UnitPlan(
                info[key]["level"],
                unit,
                parent,
                product,
                sum(base),
                base,
                read(note.get(R.METHOD_USED)),
                read(note.get(R.HOW)),
                _decimal(note[R.PROPOSED]) if note.get(R.PROPOSED) is not None else None,
                int(Decimal(str(note[R.TOP_DOWN])) / rounding)
                if note.get(R.TOP_DOWN) is not None
                else None,
                depth=depth.get(unit, 0) + (1 if product else 0),
                tiers=tiers,
                annual_from=read(note.get(R.ANNUAL_FROM)),
                basis=read(note.get(R.BASIS)),
                spring=read(note.get(R.SPRING)),
                backtest=read(note.get(R.BACKTEST)),
                exact=_exact(note.get(R.EXACT), rounding),
            )
        )
    settings = Settings(
        int(h.get(R.YEAR) or months[0].year),
        int(h.get(R.FISCAL_START) or months[0].month),
        method=h.get(R.METHOD) or "",
        rounding=rounding,
        mode=h.get(R.MODE) or "top-down",
    )
    version = Version(
        int(h.get(R.VERSION) or 1),
        h.get(R.VERSION_DATE) or None,
        h.get(R.EFFECTIVE_FROM) or None,
    )
    return Split(settings, months, plans, version=version)


def _exact(text: str | None, rounding: Decimal) -> list[float]:
    if not text:
        return []
    try:
        return [float(v) / float(rounding) for v in str(text).split(",")]
    except ValueError:
        return []
