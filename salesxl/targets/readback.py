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

from salesxl.load import load_form
from salesxl.periods import Month
from salesxl.targets.model import Settings, Split, TargetsError, UnitPlan, Version
from salesxl.validate import FormData

__all__ = ["load_targets", "read_targets_workbook"]


def load_targets(path: Path) -> FormData:
    """The targets workbook as read, or a TargetsError saying what it is instead."""
    data = load_form(Path(path))
    if data.form_id != "targets":
        first = data.issues[0].message_en if data.issues else f"it is a {data.form_id} form"
        raise TargetsError(
            f"{path} is not a targets workbook from `salesxl targets split` "
            f"(明细 Long sheet): {first}"
        )
    errors = [i for i in data.issues if i.is_error]
    if errors:
        raise TargetsError(f"{path}: {errors[0].sheet}!{errors[0].cell}: {errors[0].message_en}")
    return data


def _decimal(value: float) -> Decimal:
    return Decimal(str(value)).normalize() if value % 1 else Decimal(int(value))


def _rounding(header: dict[str, Any], values: list[float]) -> Decimal:
    if header.get("rounding"):
        return _decimal(header["rounding"])
    for unit in (Decimal(10000), Decimal(1000), Decimal(100), Decimal(10), Decimal(1)):
        if all(Decimal(str(v)) % unit == 0 for v in values):
            return unit
    return Decimal("0.01")


def read_targets_workbook(path: Path) -> Split:
    """The plans, tiers, version and notes of a targets workbook."""
    data = load_targets(path)
    h = data.header
    rows = data.records("long")
    if not rows:
        raise TargetsError(f"{path}: the 明细 Long sheet has no rows")
    months = sorted({r["month"] for r in rows})
    if len(months) != 12:
        raise TargetsError(
            f"{path}: the 明细 Long sheet covers {len(months)} months, not a fiscal year of 12"
        )
    rounding = _rounding(h, [r["target"] for r in rows])
    order: list[tuple[str, str | None]] = []
    info: dict[tuple[str, str | None], dict[str, Any]] = {}
    values: dict[tuple[str, str | None], dict[str, dict[Month, int]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for r in rows:
        key = (r["unit"], r["product"])
        if key not in info:
            order.append(key)
            info[key] = {"level": r["level"], "parent": r["parent"]}
        for tier in ("target", "stretch", "challenge"):
            if r[tier] is not None:
                values[key][tier][r["month"]] = int(Decimal(str(r[tier])) / rounding)
    notes = {(r["unit"], r["product"]): r for r in data.records("method")}
    depth: dict[str, int] = {}
    plans: list[UnitPlan] = []
    for key in order:
        unit, product = key
        parent = info[key]["parent"]
        if product is None:
            depth[unit] = depth.get(parent, -1) + 1 if parent else 0
        base = [values[key]["target"].get(m, 0) for m in months]
        tiers = {
            tier: [values[key][tier].get(m, 0) for m in months]
            for tier in ("stretch", "challenge")
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
                note.get("method_used") or "",
                note.get("how") or "",
                _decimal(note["proposed"]) if note.get("proposed") is not None else None,
                int(Decimal(str(note["top_down"])) / rounding)
                if note.get("top_down") is not None
                else None,
                depth=depth.get(unit, 0) + (1 if product else 0),
                tiers=tiers,
                annual_from=note.get("annual_from") or "",
                basis=note.get("basis") or "",
                spring=note.get("spring") or "",
                backtest=note.get("backtest") or "",
                exact=_exact(note.get("exact"), rounding),
            )
        )
    settings = Settings(
        int(h.get("year") or months[0].year),
        int(h.get("fiscal_start") or months[0].month),
        method=h.get("method") or "",
        rounding=rounding,
        mode=h.get("mode") or "top-down",
    )
    version = Version(
        int(h.get("version") or 1), h.get("version_date") or None, h.get("effective_from") or None
    )
    return Split(settings, months, plans, version=version)


def _exact(text: str | None, rounding: Decimal) -> list[float]:
    if not text:
        return []
    try:
        return [float(v) / float(rounding) for v in str(text).split(",")]
    except ValueError:
        return []
