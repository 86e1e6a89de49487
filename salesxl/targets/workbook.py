"""targets.xlsx: Monthly (and a sheet per tier) with outline and live SUMs, Long, Gap,
Version change, Method.

Every formula carries the value computed here as its cached result, so pandas
and calamine read the right numbers before Excel recalculates.  The check
column adds, per row, the gap between its annual total and its target plus —
for a unit with rows under it — each month's gap to the sum of those rows; it
is zero throughout when the breakdown is consistent.  Every sheet shows the
plan's version and date; the Monthly sheets have a 签字 Sign-off column.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from salesxl.forms.choices import TARGET_LEVELS
from salesxl.read.marks import Written
from salesxl.targets.method_sheet import write_method
from salesxl.targets.model import Split, UnitPlan
from salesxl.targets.version_sheet import write_version_change
from salesxl.write.xlsx import atomic_output, fit_width, mark

__all__ = ["TIER_SHEETS", "write_targets"]

_FIRST_MONTH_COL = 4  # A level, B unit, C parent, D product, then the months
TIER_SHEETS = {
    "base": ("月度目标", "Monthly"),
    "stretch": ("冲刺", "Stretch"),
    "challenge": ("挑战", "Challenge"),
}


def _label(zh: str, en: str, lang: str) -> str:
    return f"{zh}\n{en}" if lang == "zh" else en


def _level(plan: UnitPlan, lang: str) -> str:
    return (
        TARGET_LEVELS.by_code(plan.level).label(lang)
        if plan.level in TARGET_LEVELS.codes
        else plan.level
    )


def write_targets(
    split: Split,
    path: Path,
    *,
    lang: str = "zh",
    previous: Split | None = None,
    inputs: Sequence[Path] = (),
) -> Path:
    """Write the breakdown to `path` atomically; with `previous`, a 差异 Version change sheet.

    Never over one of `inputs`, nor over a file salesxl did not write as a targets
    workbook."""
    with atomic_output(Path(path), "目标文件", written=Written.TARGETS, inputs=inputs) as tmp:
        wb = xlsxwriter.Workbook(
            str(tmp),
            {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False},
        )
        wb.set_properties(
            {
                "title": f"salesxl targets {split.settings.year} v{split.version.number}",
                "created": dt.datetime(split.settings.year, 1, 1),
            }
        )
        mark(wb, Written.TARGETS)
        writer = Writer(wb, split, lang)
        for tier in split.tier_names:
            writer.monthly(tier)
        writer.long()
        if any(p.proposed is not None for p in split.plans) or split.settings.mode != "top-down":
            writer.gap()
        if previous is not None:
            write_version_change(writer, previous)
        write_method(writer)
        wb.close()
    return Path(path)


def _decimals(unit: Decimal) -> int:
    """Decimal places of a rounding unit below 1 (0.01 -> 2, 0.5 -> 1)."""
    exponent = unit.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


class Writer:
    """The workbook, its formats and the helpers every sheet uses."""

    def __init__(self, wb: Any, split: Split, lang: str) -> None:
        self.wb, self.split, self.lang = wb, split, lang
        base = {"font_name": "Microsoft YaHei", "font_size": 10}
        self.head = wb.add_format(
            {
                **base,
                "bold": True,
                "bg_color": "#DCE6F1",
                "border": 1,
                "text_wrap": True,
                "align": "center",
                "valign": "vcenter",
            }
        )
        self.text = wb.add_format(base)
        self.wrap = wb.add_format({**base, "text_wrap": True, "valign": "top"})
        # as many decimals as the rounding unit has (0.01: cents), so that the figures shown
        # add up and a check a cent off shows
        cents = (
            "." + "0" * _decimals(split.settings.rounding) if split.settings.rounding < 1 else ""
        )
        number = f"#,##0{cents}"
        self.money = wb.add_format({**base, "num_format": number})
        self.total = wb.add_format(
            {**base, "num_format": number, "bold": True, "bg_color": "#F2F2F2"}
        )
        self.check = wb.add_format({**base, "num_format": f"{number};-{number};0"})
        self.change = wb.add_format(
            {**base, "num_format": f"+{number};-{number};0", "font_color": "#1F4E79"}
        )
        self.sign = wb.add_format({**base, "bottom": 1})
        self.note = wb.add_format({**base, "italic": True, "font_color": "#595959"})
        self.bold = [wb.add_format({**base, "bold": True}), wb.add_format(base)]

    def money_of(self, units: int) -> float:
        value = self.split.money(units)
        return int(value) if value == value.to_integral_value() else float(value)

    def title(self, zh: str, en: str) -> str:
        return f"{zh} {en}" if self.lang == "zh" else en

    def label(self, zh: str, en: str) -> str:
        return _label(zh, en, self.lang)

    def version_text(self) -> str:
        v = self.split.version
        when = f" · {v.date:%Y-%m-%d}" if v.date else ""
        since = f" · {v.effective_from} 起 from" if v.effective_from and self.lang == "zh" else ""
        if v.effective_from and self.lang != "zh":
            since = f" · from {v.effective_from}"
        head = "版本 Version" if self.lang == "zh" else "Version"
        return f"{head} {v.number}{when}{since}"

    def stamp(self, ws: Any, col: int) -> None:
        """The plan's version and date, right of a sheet's header row."""
        ws.write_string(0, col, self.version_text(), self.note)

    def level_of(self, plan: UnitPlan) -> str:
        return _level(plan, self.lang)

    def monthly(self, tier: str = "base") -> None:
        split, lang = self.split, self.lang
        ws = self.wb.add_worksheet(self.title(*TIER_SHEETS[tier]))
        heads = [
            _label("层级", "Level", lang),
            _label("单元", "Unit", lang),
            _label("上级", "Parent", lang),
            _label("产品", "Product", lang),
            *[str(m) for m in split.months],
            "Q1",
            "Q2",
            "Q3",
            "Q4",
            _label("年度", "Annual", lang),
            _label("校验", "Check", lang),
            "depth",
            _label("签字", "Sign-off", lang),
        ]
        for c, head in enumerate(heads):
            ws.write_string(0, c, head, self.head)
        ws.set_row(0, 30)
        mc = _FIRST_MONTH_COL
        qc, ac, cc, dc, sc = mc + 12, mc + 16, mc + 17, mc + 18, mc + 19
        plans = split.plans
        ends = _subtree_ends(plans)
        for i, plan in enumerate(plans):
            r = i + 1
            months = plan.tier(tier)
            ws.set_row(r, None, None, {"level": min(plan.depth, 7)})
            ws.write_string(r, 0, _level(plan, lang), self.bold[plan.depth > 1])
            ws.write_string(r, 1, plan.unit, self.text)
            if plan.parent:
                ws.write_string(r, 2, plan.parent, self.text)
            if plan.product:
                ws.write_string(r, 3, plan.product, self.text)
            for k, units in enumerate(months):
                ws.write_number(r, mc + k, self.money_of(units), self.money)
            for q in range(4):
                first, last = xl_rowcol_to_cell(r, mc + 3 * q), xl_rowcol_to_cell(r, mc + 3 * q + 2)
                value = self.money_of(sum(months[3 * q : 3 * q + 3]))
                ws.write_formula(r, qc + q, f"=SUM({first}:{last})", self.total, value)
            span = f"{xl_rowcol_to_cell(r, mc)}:{xl_rowcol_to_cell(r, mc + 11)}"
            annual = sum(months)
            ws.write_formula(r, ac, f"=SUM({span})", self.total, self.money_of(annual))
            ws.write_formula(
                r, cc, self._check_formula(r, plan, annual, ends[i], ac, dc), self.check, 0
            )
            ws.write_number(r, dc, plan.depth + 1, self.text)
            if not plan.product:
                ws.write_blank(r, sc, None, self.sign)
        n = len(plans)
        ws.set_column(0, 0, 10)
        ws.set_column(1, 2, fit_width([p.unit for p in plans[:500]] + ["单元 Unit"], maximum=24))
        ws.set_column(3, 3, 14)
        ws.set_column(mc, ac, 12)
        ws.set_column(cc, cc, 10)
        ws.set_column(dc, dc, None, None, {"hidden": True})
        ws.set_column(sc, sc, 14)
        ws.freeze_panes(1, 4)
        ws.autofilter(0, 0, n, cc)
        ws.outline_settings(True, False, True, False)
        self.stamp(ws, sc + 1)

    def _check_formula(
        self, r: int, plan: UnitPlan, annual: int, end: int, ac: int, dc: int
    ) -> str:
        """|annual − target| + Σ months |this − rows directly under it|."""
        terms = [f"ABS({xl_rowcol_to_cell(r, ac)}-{self.money_of(annual)})"]
        if end > r:  # rows r+1..end are this unit's subtree (children or products)
            depth = f"{xl_col_to_name(dc)}{r + 2}:{xl_col_to_name(dc)}{end + 1}"
            for k in range(12):
                col = xl_col_to_name(_FIRST_MONTH_COL + k)
                below = f"${col}${r + 2}:${col}${end + 1}"
                terms.append(
                    f"ABS({col}{r + 1}-SUMIFS({below},${depth.replace(':', ':$')},"
                    f"{plan.depth + 2}))"
                )
        return "=" + "+".join(terms)

    def long(self) -> None:
        split, lang = self.split, self.lang
        ws = self.wb.add_worksheet(self.title("明细", "Long"))
        tiers = split.tier_names[1:]
        heads = [
            _label("层级", "Level", lang),
            _label("单元", "Unit", lang),
            _label("上级", "Parent", lang),
            _label("产品", "Product", lang),
            _label("月份", "Month", lang),
            _label("目标", "Target", lang),
            *[_label(*TIER_SHEETS[t], lang) for t in tiers],
            _label("版本", "Version", lang),
            _label("版本日期", "Version date", lang),
        ]
        for c, head in enumerate(heads):
            ws.write_string(0, c, head, self.head)
        date_format = self.wb.add_format({"num_format": "yyyy-mm-dd"})
        version = split.version
        vc = 6 + len(tiers)
        r = 1
        for plan in split.plans:
            level = _level(plan, lang)
            for k, (month, units) in enumerate(zip(split.months, plan.months, strict=True)):
                ws.write_string(r, 0, level)
                ws.write_string(r, 1, plan.unit)
                if plan.parent:
                    ws.write_string(r, 2, plan.parent)
                if plan.product:
                    ws.write_string(r, 3, plan.product)
                ws.write_string(r, 4, str(month))
                ws.write_number(r, 5, self.money_of(units), self.money)
                for c, tier in enumerate(tiers, start=6):
                    ws.write_number(r, c, self.money_of(plan.tier(tier)[k]), self.money)
                ws.write_number(r, vc, version.number)
                if version.date:
                    ws.write_datetime(
                        r, vc + 1, dt.datetime.combine(version.date, dt.time()), date_format
                    )
                r += 1
        ws.set_column(0, 4, 14)
        ws.set_column(5, vc + 1, 14)
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, r - 1, vc + 1)

    def gap(self) -> None:
        lang = self.lang
        ws = self.wb.add_worksheet(self.title("差异", "Gap"))
        heads = [
            _label("单元", "Unit", lang),
            _label("层级", "Level", lang),
            _label("上级", "Parent", lang),
            _label("上报目标", "Proposed", lang),
            _label("由上而下", "Top-down share", lang),
            _label("最终目标", "Final target", lang),
            _label("差异", "Gap", lang),
            _label("差异率", "Gap %", lang),
        ]
        for c, head in enumerate(heads):
            ws.write_string(0, c, head, self.head)
        pct = self.wb.add_format({"num_format": "0.0%"})
        r = 1
        for plan in self.split.plans:
            if plan.product:
                continue
            ws.write_string(r, 0, plan.unit)
            ws.write_string(r, 1, _level(plan, lang))
            if plan.parent:
                ws.write_string(r, 2, plan.parent)
            final = self.money_of(plan.annual)
            if plan.proposed is not None:
                ws.write_number(r, 3, float(plan.proposed), self.money)
            if plan.top_down is not None:
                ws.write_number(r, 4, self.money_of(plan.top_down), self.money)
            ws.write_number(r, 5, final, self.money)
            if plan.proposed is not None:
                gap = float(plan.proposed - Decimal(str(final)))
                ws.write_formula(r, 6, f"=D{r + 1}-F{r + 1}", self.money, gap)
                ratio = gap / final if final else 0
                ws.write_formula(r, 7, f"=IF(F{r + 1}=0,0,G{r + 1}/F{r + 1})", pct, ratio)
            r += 1
        ws.set_column(0, 2, 14)
        ws.set_column(3, 7, 15)
        ws.freeze_panes(1, 1)
        self.stamp(ws, 9)


def _subtree_ends(plans: list[UnitPlan]) -> list[int]:
    """For each row, the last row (1-based sheet row) of its subtree in depth-first order."""
    ends = [0] * len(plans)
    stack: list[int] = []
    for i, plan in enumerate(plans):
        while stack and plans[stack[-1]].depth >= plan.depth:
            ends[stack.pop()] = i  # subtree ended before row i+1 (sheet row i)
        stack.append(i)
    for i in stack:
        ends[i] = len(plans)
    return ends
