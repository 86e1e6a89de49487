"""Read targets_input.xlsx (and optional sales records) into the engine's plain input."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from salesxl.load import load_form
from salesxl.periods import Month
from salesxl.roster import Roster
from salesxl.targets.model import Lock, Settings, TargetsError, TargetsInput, UnitSpec
from salesxl.validate import FormData
from salesxl.workdays import Workdays

__all__ = ["active_months", "history_from_sales", "read_targets_input"]


def _decimal(value: float | int | None) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return Decimal(int(value))
    return Decimal(str(value))


def _uplift(value: float | None) -> float | None:
    """Percent over base: 10%, 0.1 or 10 all mean ten percent (a number above 1 is percent)."""
    if value is None:
        return None
    return float(value) * 100 if value <= 1 else float(value)


def _errors(data: FormData, what: str) -> None:
    errors = [i for i in data.issues if i.is_error]
    if errors:
        where = "; ".join(f"{i.sheet or ''}!{i.cell or ''} {i.message_en}" for i in errors[:5])
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        raise TargetsError(
            f"{data.path}: {len(errors)} errors in the {what}: {where}{more}; "
            f"run `salesxl validate {data.path}` for the full list"
        )


def read_targets_input(
    path: Path,
    *,
    extra_history: Iterable[tuple[str, str | None, Month, float]] = (),
    roster: Roster | None = None,
    scale_proposals: bool = False,
) -> TargetsInput:
    """The settings, units, history, locks and workdays of a targets input workbook."""
    data = load_form(Path(path))
    if data.form_id != "targets_input":
        first = data.issues[0].message_en if data.issues else f"it is a {data.form_id} form"
        raise TargetsError(
            f"{path} is not a targets input (年度目标 Annual sheet with 层级 Level, "
            f"单元 Unit, 上级 Parent): {first}"
        )
    _errors(data, "targets input")
    h = data.header
    settings = Settings(
        year=int(h["year"]),
        fiscal_start=int(h.get("fiscal_start") or 1),
        method=h.get("method") or "seasonal",
        rounding=_decimal(h.get("rounding") or 1),  # type: ignore[arg-type]
        mode=h.get("mode") or "top-down",
        spring_festival=h.get("spring_festival") or "auto",
        scale_proposals=scale_proposals,
        share_basis=h.get("share_basis") or None,
        stretch_uplift=_uplift(h.get("stretch_uplift")),
        challenge_uplift=_uplift(h.get("challenge_uplift")),
    )
    units = [
        UnitSpec(
            level=r["level"],
            unit=r["unit"],
            parent=r["parent"],
            product=r["product"],
            annual=_decimal(r["annual_target"]),
            method=r["method"],
            weight=r["weight"],
            proposed=_decimal(r["proposed"]),
            ramp=r["ramp"],
            month_weights=r["month_weights"],
            row=r["_row"],
            share_basis=r["share_basis"],
            stretch=_decimal(r["stretch"]),
            challenge=_decimal(r["challenge"]),
            stretch_uplift=_uplift(r["stretch_uplift"]),
            challenge_uplift=_uplift(r["challenge_uplift"]),
        )
        for r in data.records("annual")
    ]
    history = [(r["unit"], r["product"], r["month"], r["amount"]) for r in data.records("history")]
    history += list(extra_history)
    locks = [
        Lock(r["unit"], r["month"], _decimal(r["target"]), r["product"], r["_row"])  # type: ignore[arg-type]
        for r in data.records("locked")
    ]
    workdays = Workdays.from_rows((r["date"], r["type"]) for r in data.records("workdays"))
    starts, ends = active_months(roster) if roster is not None else ({}, {})
    return TargetsInput(settings, units, history, locks, workdays, starts, ends)


def active_months(roster: Roster) -> tuple[dict[str, Month], dict[str, Month]]:
    """Each rep's first month (hire date) and last month (leave date) from the roster.

    A rep marked 离职 Left without a leave date has no month at all."""
    starts: dict[str, Month] = {}
    ends: dict[str, Month] = {}
    for rep in roster.reps.values():
        if rep.hire_date:
            starts[rep.rep_id] = Month.of(rep.hire_date)
        if rep.leave_date:
            ends[rep.rep_id] = Month.of(rep.leave_date)
        elif rep.status == "left":
            ends[rep.rep_id] = Month(1900, 1)
    return starts, ends


def history_from_sales(paths: Iterable[Path]) -> list[tuple[str, str | None, Month, float]]:
    """Sales records (SPEC §2.5, xlsx or CSV) summed per rep ID, product and month."""
    totals: dict[tuple[str, str | None, Month], float] = {}
    for path in paths:
        data = load_form(Path(path))
        if data.form_id != "sales_records":
            raise TargetsError(
                f"{path} is not a sales records export (日期, 工号, 客户名称, 产品, 金额)"
            )
        _errors(data, "sales records")
        for r in data.records("sales"):
            if r["rep_id"] and isinstance(r["date"], dt.date) and r["amount"] is not None:
                key = (r["rep_id"], r["product"], Month.of(r["date"]))
                totals[key] = totals.get(key, 0.0) + r["amount"]
    return [
        (rep, product, month, amount)
        for (rep, product, month), amount in sorted(
            totals.items(), key=lambda kv: (kv[0][0], kv[0][1] or "", kv[0][2])
        )
    ]
