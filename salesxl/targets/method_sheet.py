"""The 说明 Method sheet: the settings and version, one row per unit saying how its figures
came about (read back by `targets explain` and `targets resplit`), the run's notes and
what each lock moved.

The unit table starts right under the settings so the reader always finds it;
the notes and the lock effects stand to its right, in columns the table does
not use, so reading the table never picks them up.
"""

from __future__ import annotations

from typing import Any

from salesxl.targets.model import Split, UnitPlan

__all__ = ["NOTES_COL", "write_method"]

NOTES_COL = 12  # column M: the notes and lock effects, right of the unit table
_TABLE = (
    ("单元", "Unit", 14),
    ("产品", "Product", 12),
    ("所用方法", "Method used", 16),
    ("年度来源", "Annual from", 34),
    ("上报目标", "Proposed", 12),
    ("由上而下", "Top-down share", 12),
    ("下级分配依据", "Children's share basis", 28),
    ("春节调整", "Spring Festival", 30),
    ("回测", "Backtest", 34),
    ("说明", "How", 60),
    ("精确值", "Exact months", 20),
)


def _settings_rows(split: Split) -> list[tuple[str, Any]]:
    s, v = split.settings, split.version
    uplift = {"stretch": s.stretch_uplift, "challenge": s.challenge_uplift}
    rows: list[tuple[str, Any]] = [
        ("年度 Year", s.year),
        ("财年起始月 Fiscal start", s.fiscal_start),
        ("方法 Method", s.method),
        ("取整单位 Rounding unit", float(s.rounding)),
        ("下达方式 Mode", s.mode),
        ("春节调整 Spring Festival", s.spring),
        ("分配依据 Share basis", s.share_basis or "默认 default"),
        ("冲刺上浮 Stretch uplift", f"{uplift['stretch']:g}%" if uplift["stretch"] else ""),
        ("挑战上浮 Challenge uplift", f"{uplift['challenge']:g}%" if uplift["challenge"] else ""),
        ("版本 Version", v.number),
        ("版本日期 Version date", f"{v.date:%Y-%m-%d}" if v.date else ""),
        ("生效月份 Effective from", str(v.effective_from) if v.effective_from else ""),
    ]
    return rows


def _exact(split: Split, plan: UnitPlan) -> str:
    rounding = float(split.settings.rounding)
    return ",".join(f"{v * rounding:.2f}".rstrip("0").rstrip(".") for v in plan.exact)


def write_method(writer: Any) -> None:
    split: Split = writer.split
    ws = writer.wb.add_worksheet(writer.title("说明", "Method"))
    rows = _settings_rows(split)
    for r, (label, value) in enumerate(rows):
        ws.write_string(r, 0, label, writer.head)
        if isinstance(value, str):
            ws.write_string(r, 1, value)
        else:
            ws.write_number(r, 1, value)
    top = len(rows) + 1
    for c, (zh, en, width) in enumerate(_TABLE):
        ws.write_string(top, c, f"{zh} {en}" if writer.lang == "zh" else en, writer.head)
        ws.set_column(c, c, width)
    r = top
    for plan in split.plans:
        r += 1
        ws.write_string(r, 0, plan.unit)
        if plan.product:
            ws.write_string(r, 1, plan.product)
        if plan.proposed is not None:
            ws.write_number(r, 4, float(plan.proposed), writer.money)
        if plan.top_down is not None:
            ws.write_number(r, 5, writer.money_of(plan.top_down), writer.money)
        ws.write_string(r, 2, plan.method)
        if plan.annual_from:
            ws.write_string(r, 3, plan.annual_from)
        for c, text in enumerate(
            (
                plan.basis,
                plan.spring,
                plan.backtest,
                plan.note,
                _exact(split, plan),
            ),
            start=6,
        ):
            if text:
                ws.write_string(r, c, text)
    ws.freeze_panes(top + 1, 1)
    _notes(writer, ws, top + 1)


LEGEND = (
    "分配依据 Share basis: weights = 按权重 exactly in proportion to 权重; last-year = 按去年销售; "
    "last-year×weights; equal = 平均; proposals = 按上报目标. Blank: weights where a child has "
    "a weight, else last-year where one has history, else equal.",
    "方法 Methods: seasonal = per-day shares of each month, recent years weigh more; "
    "seasonal-workdays = per workday; trend = indices against a fitted line; auto = per unit "
    "the method that best split its latest 12 months (seasonal unless another is clearly better).",
    "历史 History: the latest 12-month windows before the plan year, whatever their calendar "
    "year; a missing month is taken from the same month a year apart.",
    "春节调整 Spring Festival: auto = per unit, only where its own history shows the holiday "
    "moving with the lunar date; yes/no = everywhere/nowhere.",
    "锁定 Locks: a lock moves only its unit's other months (the year holds) and the sums above "
    "it; a parent's locked month is shared by its children's shares of that month.",
    "档位 Tiers: 冲刺 stretch and 挑战 challenge = the tier below + an uplift, exact like the "
    "base; challenge ≥ stretch ≥ base in every cell.",
    "在职 Active months: no target before a rep's hire month or after the leaving month.",
)


def _notes(writer: Any, ws: Any, row: int) -> None:
    split: Split = writer.split
    c = NOTES_COL
    ws.set_column(c, c, 18)
    ws.write_string(row, c, "设置说明 What the settings mean", writer.head)
    for line in LEGEND:
        row += 1
        ws.write_string(row, c, line, writer.note)
    row += 2
    ws.write_string(row, c, "提示 Notes" if writer.lang == "zh" else "Notes", writer.head)
    for line in split.warnings or ["无 none"]:
        row += 1
        ws.write_string(row, c, line)
    if not split.lock_effects:
        return
    row += 2
    title = "锁定影响 What each lock moved" if writer.lang == "zh" else "What each lock moved"
    ws.write_string(row, c, title, writer.head)
    row += 1
    ws.write_string(
        row,
        c,
        "与不锁定时的计划相比的变化 / change against the plan without locks",
        writer.note,
    )
    for effect in split.lock_effects:
        lock = effect.lock
        row += 2
        what = f"{lock.unit}" + (f" / {lock.product}" if lock.product else "")
        ws.write_string(
            row,
            c,
            f"{what} {lock.month} 锁定 locked at {lock.target:,} "
            f"(unlocked plan {writer.money_of(effect.before):,})",
            writer.bold[0],
        )
        row += 1
        heads = ["受影响 Moved", "关系 Relation", *[str(m) for m in split.months], "年度 Year"]
        for k, head in enumerate(heads):
            ws.write_string(row, c + k, head, writer.head)
        for unit, product, how, deltas in effect.moved:
            row += 1
            ws.write_string(row, c, unit + (f" / {product}" if product else ""))
            ws.write_string(row, c + 1, how)
            for k, delta in enumerate(deltas):
                ws.write_number(row, c + 2 + k, writer.money_of(delta), writer.change)
            ws.write_number(row, c + 14, writer.money_of(sum(deltas)), writer.change)
