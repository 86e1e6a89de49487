"""The 说明 Method sheet: the settings and version, one row per unit saying how its figures
came about (read back by `targets explain` and `targets resplit`), the run's notes and
what each lock moved.

The unit table starts right under the settings so the reader always finds it;
the notes and the lock effects stand to its right, in columns the table does
not use, so reading the table never picks them up.
"""

from __future__ import annotations

from typing import Any

from salesxl.targets.locks import RELATION_ZH
from salesxl.targets.model import Split, UnitPlan
from salesxl.targets.notes import render

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


def _settings_rows(writer: Any) -> list[tuple[str, Any]]:
    split: Split = writer.split
    s, v = split.settings, split.version
    uplift = {"stretch": s.stretch_uplift, "challenge": s.challenge_uplift}
    rows: list[tuple[str, Any]] = [
        (writer.title("年度", "Year"), s.year),
        (writer.title("财年起始月", "Fiscal start"), s.fiscal_start),
        (writer.title("方法", "Method"), s.method),
        (writer.title("取整单位", "Rounding unit"), float(s.rounding)),
        (writer.title("下达方式", "Mode"), s.mode),
        (writer.title("春节调整", "Spring Festival"), s.spring),
        (writer.title("分配依据", "Share basis"), s.share_basis or writer.title("默认", "default")),
        (writer.title("冲刺上浮", "Stretch uplift"), _percent(uplift["stretch"])),
        (writer.title("挑战上浮", "Challenge uplift"), _percent(uplift["challenge"])),
        (writer.title("版本", "Version"), v.number),
        (writer.title("版本日期", "Version date"), f"{v.date:%Y-%m-%d}" if v.date else ""),
        (
            writer.title("生效月份", "Effective from"),
            str(v.effective_from) if v.effective_from else "",
        ),
    ]
    return rows


def _percent(uplift: float | None) -> str:
    return f"{uplift:g}%" if uplift else ""


def _exact(split: Split, plan: UnitPlan) -> str:
    rounding = float(split.settings.rounding)
    return ",".join(f"{v * rounding:.2f}".rstrip("0").rstrip(".") for v in plan.exact)


def write_method(writer: Any) -> None:
    split: Split = writer.split
    ws = writer.wb.add_worksheet(writer.title("说明", "Method"))
    rows = _settings_rows(writer)
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
        ws.write_string(r, 2, render(plan.method, writer.lang))
        if plan.annual_from:
            ws.write_string(r, 3, render(plan.annual_from, writer.lang))
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
                ws.write_string(r, c, render(text, writer.lang))
    ws.freeze_panes(top + 1, 1)
    _notes(writer, ws, top + 1)


# What the settings mean: (Chinese, English) per line.
LEGEND = (
    (
        "分配依据：weights = 严格按权重；last-year = 按去年销售；last-year×weights = 去年销售×权重；"
        "equal = 平均；proposals = 按上报目标。留空：有下级填了权重时按权重，否则有历史时按去年，"
        "否则平均。",
        "Share basis: weights = exactly in proportion to the weights; last-year = by last "
        "year's sales; last-year×weights; equal = equally; proposals = by the proposals. Blank: "
        "weights where a child has a weight, else last-year where one has history, else equal.",
    ),
    (
        "方法：seasonal = 每月按日计的占比，越近的年份权重越大；seasonal-workdays = 按工作日计；"
        "trend = 相对拟合趋势线的指数；auto = 每个单元选用最能分解其最近 12 个月的方法"
        "（除非其他方法明显更好，否则用 seasonal）。",
        "Methods: seasonal = per-day shares of each month, recent years weigh more; "
        "seasonal-workdays = per workday; trend = indices against a fitted line; auto = per unit "
        "the method that best split its latest 12 months (seasonal unless another is clearly "
        "better).",
    ),
    (
        "历史：计划年度之前最近的 12 个月窗口，不论日历年；缺失的月份取相隔一年的同月。",
        "History: the latest 12-month windows before the plan year, whatever their calendar "
        "year; a missing month is taken from the same month a year apart.",
    ),
    (
        "春节调整：auto = 每个单元只在自己的历史显示节日随农历移动时调整；yes/no = 全部/都不调整。",
        "Spring Festival: auto = per unit, only where its own history shows the holiday moving "
        "with the lunar date; yes/no = everywhere/nowhere.",
    ),
    (
        "锁定：锁定只移动本单元的其他月份（全年不变）及其上级之和；上级锁定的月份按下级在该月的"
        "占比分给下级。",
        "Locks: a lock moves only its unit's other months (the year holds) and the sums above "
        "it; a parent's locked month is shared by its children's shares of that month.",
    ),
    (
        "档位：冲刺、挑战 = 下一档 + 上浮，与基础目标一样精确；每格 挑战 ≥ 冲刺 ≥ 基础。",
        "Tiers: stretch and challenge = the tier below + an uplift, exact like the base; "
        "challenge ≥ stretch ≥ base in every cell.",
    ),
    (
        "在职月份：入职月之前、离职月之后没有目标。",
        "Active months: no target before a rep's hire month or after the leaving month.",
    ),
)


def _lines(writer: Any, zh: str, en: str) -> tuple[str, ...]:
    """Chinese then English under zh (a row each: the column is narrow); English under en."""
    return (zh, en) if writer.lang == "zh" else (en,)


def _notes(writer: Any, ws: Any, row: int) -> None:
    split: Split = writer.split
    c = NOTES_COL
    ws.set_column(c, c, 18)
    ws.write_string(row, c, writer.title("设置说明", "What the settings mean"), writer.head)
    for item in LEGEND:
        for line in _lines(writer, *item):
            row += 1
            ws.write_string(row, c, line, writer.note)
    row += 2
    ws.write_string(row, c, writer.title("提示", "Notes"), writer.head)
    for warning in split.warnings or [writer.title("无", "none")]:
        for line in render(warning, writer.lang).split("\n"):
            row += 1
            ws.write_string(row, c, line)
    if not split.lock_effects:
        return
    row += 2
    ws.write_string(row, c, writer.title("锁定影响", "What each lock moved"), writer.head)
    row += 1
    ws.write_string(
        row,
        c,
        writer.title(
            "每条锁定自身带来的变化（同一单元上的多条锁定逐条加入，下级先于上级）；"
            "各条之和即与不锁定时的计划相比的变化",
            "what each lock itself changed (locks sharing units put in one at a time, the "
            "lower first); together, the change against the plan without locks",
        ),
        writer.note,
    )
    for effect in split.lock_effects:
        lock = effect.lock
        row += 2
        what = f"{lock.unit}" + (f" / {lock.product}" if lock.product else "")
        before = f"{writer.money_of(effect.before):,}"
        title = writer.title(
            f"{what} {lock.month} 锁定为 {lock.target:,}（不锁定时 {before}）",
            f"{what} {lock.month} locked at {lock.target:,} (unlocked plan {before})",
        )
        ws.write_string(row, c, title, writer.bold[0])
        row += 1
        heads = [
            writer.title("受影响", "Moved"),
            writer.title("关系", "Relation"),
            *[str(m) for m in split.months],
            writer.title("年度", "Year"),
        ]
        for k, head in enumerate(heads):
            ws.write_string(row, c + k, head, writer.head)
        for unit, product, how, deltas in effect.moved:
            row += 1
            ws.write_string(row, c, unit + (f" / {product}" if product else ""))
            ws.write_string(row, c + 1, writer.title(RELATION_ZH.get(how, how), how))
            for k, delta in enumerate(deltas):
                ws.write_number(row, c + 2 + k, writer.money_of(delta), writer.change)
            ws.write_number(row, c + 14, writer.money_of(sum(deltas)), writer.change)
