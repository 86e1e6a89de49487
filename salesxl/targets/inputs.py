"""Read targets_input.xlsx (and optional sales records) into the engine's plain input."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from salesxl.core.calendar import Workdays
from salesxl.core.people import Roster
from salesxl.core.periods import Month
from salesxl.forms import FormId, TableKey
from salesxl.forms import Role as R
from salesxl.intake.files import load_form
from salesxl.targets.model import Lock, Settings, TargetsError, TargetsInput, UnitSpec
from salesxl.validate import FormData

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


def _errors(data: FormData, what_zh: str, what_en: str, setting: str | None) -> None:
    errors = [i for i in data.issues if i.is_error]
    if errors:
        where_zh = "；".join(f"{i.sheet or ''}!{i.cell or ''} {i.message_zh}" for i in errors[:5])
        where_en = "; ".join(f"{i.sheet or ''}!{i.cell or ''} {i.message_en}" for i in errors[:5])
        more_zh = f"（另有 {len(errors) - 5} 个）" if len(errors) > 5 else ""
        more_en = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        raise TargetsError(
            f"{data.path}：{what_zh}有 {len(errors)} 个错误：{where_zh}{more_zh}",
            f"{data.path}: {len(errors)} errors in the {what_en}: {where_en}{more_en}",
            hint_zh=f"运行 `salesxl validate {data.path}` 查看全部问题",
            hint_en=f"run `salesxl validate {data.path}` for the full list",
            setting=setting,
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
    if data.form_id != FormId.TARGETS_INPUT:
        first = data.issues[0] if data.issues else None
        raise TargetsError(
            f"{path} 不是目标输入文件（需要「年度目标 Annual」表，含 层级、单元、上级 列）："
            + (first.message_zh if first else f"它是 {data.form_id} 表单"),
            f"{path} is not a targets input (年度目标 Annual sheet with 层级 Level, "
            "单元 Unit, 上级 Parent): "
            + (first.message_en if first else f"it is a {data.form_id} form"),
        )
    _errors(data, "目标输入", "targets input", "targets_input")
    h = data.header
    settings = Settings(
        year=int(h[R.YEAR]),
        fiscal_start=int(h.get(R.FISCAL_START) or 1),
        method=h.get(R.METHOD) or "seasonal",
        rounding=_decimal(h.get(R.ROUNDING) or 1),  # type: ignore[arg-type]  # never None: `or 1`
        mode=h.get(R.MODE) or "top-down",
        spring_festival=h.get(R.SPRING_FESTIVAL) or "auto",
        scale_proposals=scale_proposals,
        share_basis=h.get(R.SHARE_BASIS) or None,
        stretch_uplift=_uplift(h.get(R.STRETCH_UPLIFT)),
        challenge_uplift=_uplift(h.get(R.CHALLENGE_UPLIFT)),
    )
    units = [
        UnitSpec(
            level=r[R.LEVEL],
            unit=r[R.UNIT],
            parent=r[R.PARENT],
            product=r[R.PRODUCT],
            annual=_decimal(r[R.ANNUAL_TARGET]),
            method=r[R.METHOD],
            weight=r[R.WEIGHT],
            proposed=_decimal(r[R.PROPOSED]),
            ramp=r[R.RAMP],
            month_weights=r[R.MONTH_WEIGHTS],
            row=r["_row"],
            share_basis=r[R.SHARE_BASIS],
            stretch=_decimal(r[R.STRETCH]),
            challenge=_decimal(r[R.CHALLENGE]),
            stretch_uplift=_uplift(r[R.STRETCH_UPLIFT]),
            challenge_uplift=_uplift(r[R.CHALLENGE_UPLIFT]),
        )
        for r in data.records(TableKey.ANNUAL)
    ]
    history = [
        (r[R.UNIT], r[R.PRODUCT], r[R.MONTH], r[R.AMOUNT]) for r in data.records(TableKey.HISTORY)
    ]
    history += list(extra_history)
    locks = [
        # the Locked sheet's target is required: a row without one is an error found above
        Lock(r[R.UNIT], r[R.MONTH], _decimal(r[R.TARGET]), r[R.PRODUCT], r["_row"])  # type: ignore[arg-type]
        for r in data.records(TableKey.LOCKED)
    ]
    workdays = Workdays.from_rows(
        (r[R.DATE], r[R.DAY_TYPE]) for r in data.records(TableKey.WORKDAYS)
    )
    starts, ends = active_months(roster) if roster is not None else ({}, {})
    return TargetsInput(settings, units, history, locks, workdays, starts, ends)


def active_months(roster: Roster) -> tuple[dict[str, Month], dict[str, Month]]:
    """Each rep's first month (hire date) and last month (leave date) from the roster.

    A month the rep works at least one day of is an active month: the split gives
    it a full month's target and consolidation pro-rates that by the workdays
    employed (README, "Leavers, new hires and pro-rating").  A rep marked 离职
    Left without a leave date has no month at all."""
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
    """Sales records (docs/forms.md, xlsx or CSV) summed per rep ID, product and month."""
    totals: dict[tuple[str, str | None, Month], float] = {}
    for path in paths:
        data = load_form(Path(path))
        if data.form_id != FormId.SALES_RECORDS:
            raise TargetsError(
                f"{path} 不是销售记录导出文件（日期、工号、客户名称、产品、金额）",
                f"{path} is not a sales records export (日期, 工号, 客户名称, 产品, 金额)",
                setting=None,
            )
        _errors(data, "销售记录", "sales records", None)
        for r in data.records(TableKey.SALES):
            if r[R.REP_ID] and isinstance(r[R.DATE], dt.date) and r[R.AMOUNT] is not None:
                key = (r[R.REP_ID], r[R.PRODUCT], Month.of(r[R.DATE]))
                totals[key] = totals.get(key, 0.0) + r[R.AMOUNT]
    return [
        (rep, product, month, amount)
        for (rep, product, month), amount in sorted(
            totals.items(), key=lambda kv: (kv[0][0], kv[0][1] or "", kv[0][2])
        )
    ]
