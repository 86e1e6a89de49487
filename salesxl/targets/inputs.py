"""Read targets_input.xlsx (and optional sales records) into the engine's plain input."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from salesxl.core.calendar import Workdays
from salesxl.core.issues import Severity
from salesxl.core.people import Roster
from salesxl.core.periods import Month
from salesxl.core.text import plural
from salesxl.forms import TARGETS_INPUT, FormId, TableKey
from salesxl.forms import Role as R
from salesxl.intake.files import load_form, not_this_form
from salesxl.read.formulas import column_letters
from salesxl.read.locate import column_map
from salesxl.read.values import norm_label, parse_number, text_of
from salesxl.read.wide import find_wide, unpivot
from salesxl.read.workbook import open_book
from salesxl.targets.checks import input_issues
from salesxl.targets.model import Lock, Settings, TargetsError, TargetsInput, UnitSpec
from salesxl.targets.notes import note
from salesxl.validate import FormData

__all__ = [
    "active_months",
    "history_from_sales",
    "history_gaps",
    "read_targets_input",
    "wide_history",
]

HistoryRow = tuple[str, str | None, Month, float]
_HISTORY = TARGETS_INPUT.table(TableKey.HISTORY)
# The 年份 Year column of a History sheet laid out wide: the labels of the targets' year.
_YEAR_LABELS = frozenset(norm_label(t) for t in TARGETS_INPUT.header_field(R.YEAR).all_labels())
GAP_SHARE = 0.05  # a month below 5% of the same month in the other years is a gap


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
            f"{data.path}: {plural(len(errors), 'error')} in the {what_en}: {where_en}{more_en}",
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
        what_zh, what_en = not_this_form(data)
        raise TargetsError(
            f"{path} 不是目标输入文件（需要「年度目标 Annual」表，含 层级、单元、上级 列）："
            + what_zh,
            f"{path} is not a targets input (年度目标 Annual sheet with 层级 Level, "
            "单元 Unit, 上级 Parent): " + what_en,
        )
    data.issues.extend(input_issues(data))  # the checks `salesxl validate` runs too
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
    if TableKey.HISTORY not in data.tables:  # months as columns: accepted, one row per unit
        history += wide_history(Path(path))
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
    # the input's warnings (values under no header…) go with the split's own notes
    notes: list[str] = [
        note(f"{i.sheet}!{i.cell}：{i.message_zh}", f"{i.sheet}!{i.cell}: {i.message_en}")
        for i in data.issues
        if i.severity is Severity.WARNING
    ]
    return TargetsInput(settings, units, history, locks, workdays, starts, ends, notes)


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


def wide_history(path: Path) -> list[HistoryRow]:
    """The 历史销售 History sheet laid out wide (a column per month: `2024-01 … 2024-12`, or
    `1月 … 12月` with a 年份 Year column), as one history row per unit, product and month."""
    book = open_book(path)
    try:
        names = {norm_label(n) for n in (_HISTORY.zh, _HISTORY.en, _HISTORY.sheet_name)}
        sheet = next((s for s in book.sheet_names if norm_label(s) in names), None)
        if sheet is None:
            return []
        rows = book.grid(sheet).rows
        table = find_wide(sheet, rows)
        if table is None:
            return []
        labels = column_map(TARGETS_INPUT.id, _HISTORY.key)
        found: list[HistoryRow] = []
        for cell in unpivot(table, rows, norm_label):
            keys = {
                labels.get(k, R.YEAR if k in _YEAR_LABELS else k): v for k, v in cell.labels.items()
            }
            where = f"{sheet}!{column_letters(cell.col)}{cell.row + 1}"
            unit = text_of(keys[R.UNIT] if R.UNIT in keys else next(iter(cell.labels.values()), ""))
            year = cell.year or _year(keys.get(R.YEAR), where)
            try:
                amount = parse_number(cell.value)
            except ValueError as exc:
                raise TargetsError(
                    f"{path}：{where}：「{cell.value}」不是数字。请填写该月的金额。",
                    f"{path}: {where}: {exc}; write the month's amount as a number",
                ) from None
            if unit:
                found.append(
                    (
                        unit,
                        text_of(keys.get(R.PRODUCT, "")) or None,
                        Month(year, cell.month),
                        amount,
                    )
                )
        return found
    finally:
        book.close()


def _year(value: object, where: str) -> int:
    try:
        return int(parse_number(value))
    except (TypeError, ValueError):
        raise TargetsError(
            f"{where}：月份列没有年份。请加上「年份 Year」列，或把列名写成 2024-01 … 2024-12。",
            f"{where}: the month columns have no year; add a 年份 Year column or write the "
            "months as 2024-01 … 2024-12",
        ) from None


def history_gaps(history: Iterable[HistoryRow]) -> list[str]:
    """History months far below the same month in the other years (one unit where the other
    years had thousands): a gap in the data more likely than a real month; said before a
    method uses them."""
    series: dict[tuple[str, str | None, int], dict[int, float]] = {}
    for unit, product, month, amount in history:
        by_year = series.setdefault((unit, product, month.month), {})
        by_year[month.year] = by_year.get(month.year, 0.0) + amount
    warnings: list[str] = []
    for (unit, product, m), by_year in sorted(
        series.items(), key=lambda kv: (kv[0][0], kv[0][1] or "", kv[0][2])
    ):
        for year, amount in sorted(by_year.items()):
            others = sorted(v for y, v in by_year.items() if y != year)
            if not others:
                continue
            typical = others[len(others) // 2]
            if typical > 0 and amount < GAP_SHARE * typical:
                name = f"{unit} {product}" if product else unit
                when, usual = f"{year}-{m:02d}", f"{typical:,.0f}"
                warnings.append(
                    note(
                        f"历史缺口？{name} {when} 为 {amount:,.0f}，远低于其他年份同月"
                        f"（通常 {usual}），请在方法使用前检查历史表",
                        f"history gap? {name} {when} is {amount:,.0f}, far below the same "
                        f"month in the other years (typically {usual}); check the History "
                        "sheet before a method uses it",
                    )
                )
    return warnings
