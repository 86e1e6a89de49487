"""The 差异 Version change sheet of a re-split: per unit, the previous version's months,
this version's and the change, with the year, the actuals the re-split started from and a
签字 Sign-off cell for the unit's manager."""

from __future__ import annotations

from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell

from salesxl.targets.model import Split

__all__ = ["write_version_change"]

_FIRST_MONTH_COL = 4  # A unit, B product, C parent, D version


def write_version_change(writer: Any, previous: Split) -> None:
    split: Split = writer.split
    ws = writer.wb.add_worksheet(writer.title("差异", "Version change"))
    old = previous.by_unit()
    v_old, v_new = previous.version.number, split.version.number
    heads = [
        writer.label("单元", "Unit"),
        writer.label("产品", "Product"),
        writer.label("上级", "Parent"),
        writer.label("版本", "Version"),
        *[str(m) for m in split.months],
        writer.label("年度", "Annual"),
        writer.label("实际至今", "Actual to date"),
        writer.label("签字", "Sign-off"),
    ]
    for c, head in enumerate(heads):
        ws.write_string(0, c, head, writer.head)
    ws.set_row(0, 30)
    mc = _FIRST_MONTH_COL
    ac = mc + 12
    r = 0
    for plan in split.plans:
        before = old.get((plan.unit, plan.product))
        if before is None:
            continue
        rows = (
            (f"v{v_old}", before.months, None),
            (f"v{v_new}", plan.months, None),
            ("变化 change" if writer.lang == "zh" else "change", None, r + 2),
        )
        first = r + 1
        for label, months, _ in rows:
            r += 1
            ws.write_string(r, 0, plan.unit, writer.bold[plan.depth > 1])
            if plan.product:
                ws.write_string(r, 1, plan.product)
            if plan.parent:
                ws.write_string(r, 2, plan.parent)
            ws.write_string(r, 3, label)
            for k in range(12):
                if months is not None:
                    ws.write_number(r, mc + k, writer.money_of(months[k]), writer.money)
                else:  # change = this version − the previous one
                    new, prev = xl_rowcol_to_cell(r - 1, mc + k), xl_rowcol_to_cell(r - 2, mc + k)
                    delta = writer.money_of(plan.months[k] - before.months[k])
                    ws.write_formula(r, mc + k, f"={new}-{prev}", writer.change, delta)
            span = f"{xl_rowcol_to_cell(r, mc)}:{xl_rowcol_to_cell(r, mc + 11)}"
            total = sum(months) if months is not None else sum(plan.months) - sum(before.months)
            fmt = writer.total if months is not None else writer.change
            ws.write_formula(r, ac, f"=SUM({span})", fmt, writer.money_of(total))
        if plan.actual_to_date is not None:
            ws.write_number(first, ac + 1, plan.actual_to_date, writer.money)
        if not plan.product:
            ws.write_blank(first, ac + 2, None, writer.sign)
    ws.set_column(0, 2, 14)
    ws.set_column(3, 3, 10)
    ws.set_column(mc, ac + 1, 12)
    ws.set_column(ac + 2, ac + 2, 14)
    ws.freeze_panes(1, 4)
    writer.stamp(ws, ac + 3)
