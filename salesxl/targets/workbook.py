"""targets.xlsx (README.md "For admins"): Monthly with outline and live SUMs, Long, Gap, Method.

Every formula carries the value computed here as its cached result (README.md "For managers"),
so pandas and calamine read the right numbers before Excel recalculates.
The check column adds, per row, the gap between its annual total and its
target plus — for a unit with rows under it — each month's gap to the sum of
those rows; it is zero throughout when the breakdown is consistent.
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
from salesxl.targets.model import Split, UnitPlan
from salesxl.write.xlsx import atomic_output, fit_width, mark

__all__ = ["write_targets"]

_FIRST_MONTH_COL = 4  # A level, B unit, C parent, D product, then the months


def _label(zh: str, en: str, lang: str) -> str:
    return f"{zh}\n{en}" if lang == "zh" else en


def _level(plan: UnitPlan, lang: str) -> str:
    return (
        TARGET_LEVELS.by_code(plan.level).label(lang)
        if plan.level in TARGET_LEVELS.codes
        else plan.level
    )


def write_targets(
    split: Split, path: Path, *, lang: str = "zh", inputs: Sequence[Path] = ()
) -> Path:
    """Write the breakdown to `path` atomically (never over one of `inputs`, nor over a
    file salesxl did not write as a targets workbook)."""
    with atomic_output(Path(path), "目标文件", written=Written.TARGETS, inputs=inputs) as tmp:
        wb = xlsxwriter.Workbook(
            str(tmp),
            {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False},
        )
        wb.set_properties(
            {
                "title": f"salesxl targets {split.settings.year}",
                "created": dt.datetime(split.settings.year, 1, 1),
            }
        )
        mark(wb, Written.TARGETS)
        writer = _Writer(wb, split, lang)
        writer.monthly()
        writer.long()
        if any(p.proposed is not None for p in split.plans) or split.settings.mode != "top-down":
            writer.gap()
        writer.method()
        wb.close()
    return Path(path)


class _Writer:
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
        self.money = wb.add_format({**base, "num_format": "#,##0"})
        self.total = wb.add_format(
            {**base, "num_format": "#,##0", "bold": True, "bg_color": "#F2F2F2"}
        )
        self.check = wb.add_format({**base, "num_format": "#,##0;-#,##0;0"})
        self.bold = [wb.add_format({**base, "bold": True}), wb.add_format(base)]

    def _money(self, units: int) -> float:
        value = self.split.money(units)
        return int(value) if value == value.to_integral_value() else float(value)

    def _title(self, zh: str, en: str) -> str:
        return f"{zh} {en}" if self.lang == "zh" else en

    def monthly(self) -> None:
        split, lang = self.split, self.lang
        ws = self.wb.add_worksheet(self._title("月度目标", "Monthly"))
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
        ]
        for c, head in enumerate(heads):
            ws.write_string(0, c, head, self.head)
        ws.set_row(0, 30)
        mc = _FIRST_MONTH_COL
        qc, ac, cc, dc = mc + 12, mc + 16, mc + 17, mc + 18
        plans = split.plans
        ends = _subtree_ends(plans)
        for i, plan in enumerate(plans):
            r = i + 1
            ws.set_row(r, None, None, {"level": min(plan.depth, 7)})
            ws.write_string(r, 0, _level(plan, lang), self.bold[plan.depth > 1])
            ws.write_string(r, 1, plan.unit, self.text)
            if plan.parent:
                ws.write_string(r, 2, plan.parent, self.text)
            if plan.product:
                ws.write_string(r, 3, plan.product, self.text)
            for k, units in enumerate(plan.months):
                ws.write_number(r, mc + k, self._money(units), self.money)
            for q in range(4):
                first, last = xl_rowcol_to_cell(r, mc + 3 * q), xl_rowcol_to_cell(r, mc + 3 * q + 2)
                value = self._money(sum(plan.months[3 * q : 3 * q + 3]))
                ws.write_formula(r, qc + q, f"=SUM({first}:{last})", self.total, value)
            months = f"{xl_rowcol_to_cell(r, mc)}:{xl_rowcol_to_cell(r, mc + 11)}"
            ws.write_formula(r, ac, f"=SUM({months})", self.total, self._money(plan.annual))
            ws.write_formula(r, cc, self._check_formula(r, plan, ends[i], ac, dc), self.check, 0)
            ws.write_number(r, dc, plan.depth + 1, self.text)
        n = len(plans)
        ws.set_column(0, 0, 10)
        ws.set_column(1, 2, fit_width([p.unit for p in plans[:500]] + ["单元 Unit"], maximum=24))
        ws.set_column(3, 3, 14)
        ws.set_column(mc, ac, 12)
        ws.set_column(cc, cc, 10)
        ws.set_column(dc, dc, None, None, {"hidden": True})
        ws.freeze_panes(1, 4)
        ws.autofilter(0, 0, n, cc)
        ws.outline_settings(True, False, True, False)

    def _check_formula(self, r: int, plan: UnitPlan, end: int, ac: int, dc: int) -> str:
        """|annual − target| + Σ months |this − rows directly under it|."""
        terms = [f"ABS({xl_rowcol_to_cell(r, ac)}-{self._money(plan.annual)})"]
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
        ws = self.wb.add_worksheet(self._title("明细", "Long"))
        heads = [
            _label("层级", "Level", lang),
            _label("单元", "Unit", lang),
            _label("上级", "Parent", lang),
            _label("产品", "Product", lang),
            _label("月份", "Month", lang),
            _label("目标", "Target", lang),
        ]
        for c, head in enumerate(heads):
            ws.write_string(0, c, head, self.head)
        r = 1
        for plan in split.plans:
            level = _level(plan, lang)
            for month, units in zip(split.months, plan.months, strict=True):
                ws.write_string(r, 0, level)
                ws.write_string(r, 1, plan.unit)
                if plan.parent:
                    ws.write_string(r, 2, plan.parent)
                if plan.product:
                    ws.write_string(r, 3, plan.product)
                ws.write_string(r, 4, str(month))
                ws.write_number(r, 5, self._money(units), self.money)
                r += 1
        ws.set_column(0, 4, 14)
        ws.set_column(5, 5, 14)
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, r - 1, 5)

    def gap(self) -> None:
        lang = self.lang
        ws = self.wb.add_worksheet(self._title("差异", "Gap"))
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
            final = self._money(plan.annual)
            if plan.proposed is not None:
                ws.write_number(r, 3, float(plan.proposed), self.money)
            if plan.top_down is not None:
                ws.write_number(r, 4, self._money(plan.top_down), self.money)
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

    def method(self) -> None:
        s = self.split.settings
        ws = self.wb.add_worksheet(self._title("说明", "Method"))
        rows: list[tuple[str, Any]] = [
            ("年度 Year", s.year),
            ("财年起始月 Fiscal start", s.fiscal_start),
            ("方法 Method", s.method),
            ("取整单位 Rounding unit", float(s.rounding)),
            ("下达方式 Mode", s.mode),
            ("春节调整 Spring Festival", "是 yes" if s.spring_festival else "否 no"),
        ]
        for r, (label, value) in enumerate(rows):
            ws.write_string(r, 0, label, self.head)
            ws.write(r, 1, value)
        r = len(rows) + 1
        for c, head in enumerate(("单元 Unit", "产品 Product", "方法 Method used", "说明 How")):
            ws.write_string(r, c, head, self.head)
        for plan in self.split.plans:
            r += 1
            ws.write_string(r, 0, plan.unit)
            if plan.product:
                ws.write_string(r, 1, plan.product)
            ws.write_string(r, 2, plan.method)
            ws.write_string(r, 3, plan.note)
        r += 2
        ws.write_string(r, 0, "提示 Warnings", self.head)
        for warning in self.split.warnings or ["无 none"]:
            r += 1
            ws.write_string(r, 0, warning)
        ws.set_column(0, 0, 24)
        ws.set_column(1, 2, 16)
        ws.set_column(3, 3, 100)


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
