"""The typical mistakes of real rep files, planted in a few of the demo's reps.

Each entry says which file it spoils and which issue codes salesxl must
report for it — the validator, or consolidation for what only shows against
other files (a month target that is not the targets file's) — the demo
prints them, and the tests check them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from salesxl.core.issues import Code
from salesxl.demo.month import RepMonth
from salesxl.forms import FormId
from salesxl.forms.choices import CLOSED_WON

__all__ = ["Mistake", "plant_mistakes"]


@dataclass(frozen=True, slots=True)
class Mistake:
    rep_id: str
    form: str  # the FormId of the spoiled form, or "file" (a file of its own)
    what: str
    codes: tuple[Code, ...]  # what salesxl must report for it
    found_by: str = "validate"  # validate | consolidate


def _closed_rows(month: RepMonth) -> list[dict[str, Any]]:
    return [r for r in month.daily if r.get("stage") == CLOSED_WON and r.get("amount")]


def plant_mistakes(months: list[RepMonth]) -> list[Mistake]:
    """Spoil a handful of the reps' forms in place; returns what was planted."""
    planted: list[Mistake] = []
    if len(months) < 13:
        return planted
    m = months[2]
    row = _closed_rows(m)[0]
    row["stage"] = "8 已成交"  # no such stage
    planted.append(
        Mistake(m.rep.rep_id, FormId.DAILY_REPORT, "销售阶段写成「8 已成交」", (Code.NOT_IN_LIST,))
    )
    m = months[4]
    m.daily[1]["date"] = m.daily[1]["date"].replace(day=1) - dt.timedelta(days=1)  # last month
    row = _closed_rows(m)[-1]
    row["amount"] = round(row["amount"] + 100, 2)
    planted.append(
        Mistake(
            m.rep.rep_id,
            FormId.DAILY_REPORT,
            "日期写成上个月；金额 ≠ 数量 × 单价",
            (Code.OUT_OF_RANGE, Code.AMOUNT_MISMATCH),
        )
    )
    m = months[6]
    row = _closed_rows(m)[0]
    row["deposit"] = row["amount"] * 2
    m.daily[3]["customer"] = None
    planted.append(
        Mistake(
            m.rep.rep_id,
            FormId.DAILY_REPORT,
            "定金大于金额；漏填客户名称",
            (Code.DEPOSIT_EXCEEDS_AMOUNT, Code.REQUIRED),
        )
    )
    m = months[3]
    m.stated_target = round(m.month_target * 0.9, -2)  # last quarter's draft figure
    planted.append(
        Mistake(
            m.rep.rep_id,
            FormId.DAILY_REPORT,
            "日报上的月度目标还是旧数字，与目标文件不同",
            (Code.TARGET_MISMATCH,),
            found_by="consolidate",
        )
    )
    m = months[8]
    m.daily[0]["phone"] = "1381234"
    planted.append(
        Mistake(m.rep.rep_id, FormId.DAILY_REPORT, "电话号码少了几位", (Code.PHONE_FORMAT,))
    )
    m = months[10]
    planted.append(
        Mistake(m.rep.rep_id, FormId.WEEKLY_PLAN, "周计划表头漏填工号", (Code.MISSING_HEADER,))
    )
    planted.append(
        Mistake(
            months[1].rep.rep_id, "file", "上个月的日报放进了本月的收件箱", (Code.WRONG_PERIOD,)
        )
    )
    planted.append(
        Mistake(
            months[12].rep.rep_id,
            "file",
            "日报被脚本另存（公式没有计算结果）",
            (Code.FORMULA_WITHOUT_VALUE,),
        )
    )
    planted.append(
        Mistake(
            months[0].rep.rep_id, "file", "扫描件改名成 .xlsx（文件已损坏）", (Code.UNREADABLE,)
        )
    )
    return planted
