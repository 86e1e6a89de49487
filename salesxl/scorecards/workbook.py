"""Write scorecards: one small workbook per rep (or one sheet each), one A4 page each.

The page reads top to bottom: the month's figures and where the rep stands
(pace line, ranks, warning), a chart of the month's cumulative amount
against the pace line, plan vs actual week by week, the 日清 forecast
accuracy, then the to-do list (customers due under the 7-day rules) and
attribution conflicts.  Labels are Chinese and English.  The chart's data
sits in hidden columns beside the page.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import xlsxwriter

from salesxl.consolidate.model import WARNING_LABELS, WarningLevel
from salesxl.consolidate.sheets import LAPSE_KIND
from salesxl.read.marks import Written
from salesxl.scorecards.model import Scorecard
from salesxl.write.output import check_folder
from salesxl.write.xlsx import atomic_output, mark, safe_sheet_title, write_cell

__all__ = ["MAX_CONFLICTS", "MAX_TODO", "card_path", "write_scorecards"]

MAX_TODO = 12  # lines of the to-do list on the page; the rest are counted
MAX_CONFLICTS = 6
_DATA_COL = 10  # K: the chart's data, hidden
_WIDTHS = (21, 15, 26, 15, 15, 15, 13)
_GOOD, _NEUTRAL, _BAD = ("#C6EFCE", "#006100"), ("#FFEB9C", "#9C5700"), ("#FFC7CE", "#9C0006")
_WARNING_COLOURS = {
    WarningLevel.OK: _GOOD,
    WarningLevel.ORAL: _NEUTRAL,
    WarningLevel.WRITTEN: _BAD,
}
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
PARALLEL_THRESHOLD = 24


def card_path(folder: Path, card: Scorecard) -> Path:
    """`<region>/<team>/<工号>_<姓名>_战报_<月份>.xlsx` under `folder`."""

    def clean(name: str | None, default: str) -> str:
        return _UNSAFE.sub("_", name or "").strip(" .") or default

    return (
        folder
        / clean(card.region, "未分区域")
        / clean(card.team, "未分团队")
        / clean(f"{card.rep_id}_{card.name}_战报_{card.period}.xlsx", "战报.xlsx")
    )


def write_scorecards(
    cards: Sequence[Scorecard], folder: Path, *, one_file: bool = False, workers: int | None = None
) -> list[Path]:
    """Write every card into `folder`; returns the files written (one with `one_file`)."""
    folder = check_folder(folder, "战报文件夹")
    if one_file:
        period = cards[0].period if cards else "—"
        path = folder / f"战报_{period}.xlsx"
        _write_book(path, list(cards))
        return [path]
    jobs = [(card_path(folder, card), [card]) for card in cards]
    if len(jobs) < PARALLEL_THRESHOLD or workers == 1:
        return [_write_job(job) for job in jobs]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_write_job, jobs, chunksize=16))


def _write_job(job: tuple[Path, list[Scorecard]]) -> Path:
    path, cards = job
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_book(path, cards)
    return path


def _write_book(path: Path, cards: list[Scorecard]) -> None:
    with atomic_output(path, "个人战报", written=Written.SCORECARD) as tmp:
        wb = xlsxwriter.Workbook(
            str(tmp),
            {
                "in_memory": True,  # no temporary file per part: much faster on slow disks
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        first = cards[0] if cards else None
        wb.set_properties(
            {
                "title": "个人战报 Scorecard" + (f" {first.period}" if first else ""),
                "created": dt.datetime.combine(first.as_of, dt.time()) if first else None,
            }
        )
        mark(wb, Written.SCORECARD)
        formats = _Formats(wb)
        taken: list[str] = []
        for card in cards:
            title = safe_sheet_title(
                f"{card.rep_id} {card.name}" if len(cards) > 1 else "战报 Scorecard", taken
            )
            taken.append(title)
            _Page(wb.add_worksheet(title), wb, formats, card).write()
        if not cards:
            wb.add_worksheet("战报 Scorecard").write_string(0, 0, "没有销售员 No reps")
        wb.close()


class _Formats:
    def __init__(self, wb: Any) -> None:
        font = {"font_name": "Microsoft YaHei", "font_size": 10, "valign": "vcenter"}
        add = wb.add_format
        self.title = add({**font, "bold": True, "font_size": 16})
        self.subtitle = add({**font, "font_color": "#595959"})
        self.section = add(
            {**font, "bold": True, "font_size": 12, "bottom": 2, "bottom_color": "#4F81BD"}
        )
        self.label = add({**font, "bg_color": "#EEF3FA", "border": 1, "text_wrap": True})
        self.head = add(
            {
                **font,
                "bold": True,
                "bg_color": "#DCE6F1",
                "border": 1,
                "text_wrap": True,
                "align": "center",
            }
        )
        self.text = add({**font, "border": 1})
        self.wrap = add({**font, "border": 1, "text_wrap": True})
        self.note = add(
            {**font, "italic": True, "font_color": "#595959", "font_size": 9, "text_wrap": True}
        )
        self.money = add({**font, "border": 1, "num_format": "¥#,##0"})
        self.signed = add({**font, "border": 1, "num_format": "+¥#,##0;-¥#,##0;¥0"})
        self.percent = add({**font, "border": 1, "num_format": "0.0%"})
        self.ratio = add({**font, "border": 1, "num_format": "0.00"})
        self.int = add({**font, "border": 1, "num_format": "0"})
        self.date = add({**font, "border": 1, "num_format": "yyyy-mm-dd"})
        self.big = add({**font, "border": 1, "bold": True, "font_size": 12, "num_format": "¥#,##0"})
        self.warnings = {
            level: add({**font, "border": 1, "bold": True, "bg_color": bg, "font_color": fg})
            for level, (bg, fg) in _WARNING_COLOURS.items()
        }
        self.overdue = add({**font, "border": 1, "bg_color": _BAD[0], "font_color": _BAD[1]})
        self.hidden_date = add({"num_format": "yyyy-mm-dd"})


def _prorated_label(c: Scorecard) -> str:
    """The label of a target pro-rated to the workdays employed: from the hire date, to the
    leave date (the dates in the month; README, "Leavers, new hires and pro-rating")."""
    joined, left = c.hire_date, c.leave_date
    if joined and left:
        return (
            f"折算目标（{joined:%m-%d} 入职至 {left:%m-%d} 离职）Target pro-rated: joined "
            f"{joined:%m-%d}, left {left:%m-%d}"
        )
    if left:
        return f"折算目标（至 {left:%m-%d} 离职）Target pro-rated to leaving {left:%m-%d}"
    if joined:
        return f"折算目标（自 {joined:%m-%d} 入职）Target pro-rated from joining {joined:%m-%d}"
    return "折算目标 Target, pro-rated"


class _Page:
    def __init__(self, ws: Any, wb: Any, f: _Formats, card: Scorecard) -> None:
        self.ws, self.wb, self.f, self.card = ws, wb, f, card
        self.row = 0

    def write(self) -> None:
        ws, c = self.ws, self.card
        for col, width in enumerate(_WIDTHS):
            ws.set_column(col, col, width)
        ws.write_string(0, 0, f"个人战报 Scorecard  {c.name}  {c.rep_id}  {c.period}", self.f.title)
        where = " · ".join(x for x in (c.region, c.team) if x)
        ws.write_string(
            1,
            0,
            f"{where} · 截至 As of {c.as_of:%Y-%m-%d}"
            + ("" if c.reported else " · 本月没有日报 No daily report this month"),
            self.f.subtitle,
        )
        self.row = 3
        self._figures()
        self._chart()
        self._weeks()
        self._forecast()
        self._todo()
        self._conflicts()
        self._chart_data()
        ws.set_paper(9)  # A4
        ws.set_portrait()
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
        ws.fit_to_pages(1, 1)
        ws.print_area(0, 0, self.row, len(_WIDTHS) - 1)
        ws.hide_gridlines(2)

    def _section(self, zh_en: str) -> None:
        self.ws.merge_range(self.row, 0, self.row, len(_WIDTHS) - 1, zh_en, self.f.section)
        self.row += 1

    def _pair(self, col: int, label: str, value: Any, fmt: Any) -> None:
        self.ws.write_string(self.row, col, label, self.f.label)
        write_cell(self.ws, self.row, col + 1, value, fmt)

    def _figures(self) -> None:
        c, f = self.card, self.f
        self._section("本月业绩 This month")
        warning = WARNING_LABELS.get(c.warning or "")
        rank_team = f"{c.rank_team} / {c.team_size}" if c.rank_team else "—"
        rank_company = f"{c.rank_company} / {c.company_size}" if c.rank_company else "—"
        # Completion is the amount over the target pro-rated to the workdays employed: a rep
        # who joined or left during the month sees that target beside it, and the month's.
        target = (
            (_prorated_label(c), c.prorated_target, f.money)
            if c.prorated
            else ("月度目标 Target", c.target, f.money)
        )
        pairs = [
            (("本月金额 Amount", c.amount, f.big), target),
            *(
                [
                    (
                        ("全月目标 Full-month target", c.target, f.money),
                        (
                            "在岗工作日 Workdays employed",
                            f"{c.workdays} / {c.month_workdays}",
                            f.text,
                        ),
                    )
                ]
                if c.prorated
                else []
            ),
            (
                ("完成率 Completion", c.completion, f.percent),
                ("进度目标 Target at pace today", c.paced_target, f.money),
            ),
            (
                ("进度指数 Pace index", c.pace, f.ratio),
                ("比进度 Ahead (+) / behind (−)", c.ahead, f.signed),
            ),
            (
                ("团队排名 Rank in team", rank_team, f.text),
                ("公司排名 Rank in company", rank_company, f.text),
            ),
            (
                (
                    "预警 Warning",
                    f"{warning[0]} {warning[1]}" if warning else "—",
                    self.f.warnings[c.warning] if c.warning else f.text,
                ),
                (
                    "连续预警月数 Months warned in a row",
                    c.warning_months if c.warning_months else "—",
                    f.int if c.warning_months else f.text,
                ),
            ),
            (("联系 Contacts", c.contacts, f.int), ("拜访来访 Visits", c.visits, f.int)),
            (("新客户 New customers", c.new_customers, f.int), ("成交 Deals", c.deals, f.int)),
        ]
        for left, right in pairs:
            self._pair(0, *left)
            self._pair(2, *right)
            if right is target and c.prorated:  # the label says to which dates: two lines
                self.ws.set_row(self.row, 30)
            self.row += 1
        streak = (
            "连续预警：含本月，据数据库往前最多 6 个月 / in a row: this month and up to 6 months "
            "before, from the store"
            if c.streak_from_store
            else "连续预警：只计本月（没有数据库）/ in a row: this month only (no store given)"
        )
        pace = (
            "进度线：月度目标按在岗的已过工作日折算 / pace line: the month target by the "
            "workdays employed so far"
        )
        note = f"{c.note}；" if c.note else ""
        self._note(f"{note}{pace}；{streak}", 40 if note else 26)
        self.row += 1

    def _chart(self) -> None:
        c = self.card
        n = len(c.days)
        if not n:
            return
        self._section("累计金额与进度线 Amount so far against the pace line")
        chart = self.wb.add_chart({"type": "line"})
        name = self.ws.name
        first, last = 1, n
        chart.add_series(
            {
                "name": "累计金额 Amount so far",
                "categories": [name, first, _DATA_COL, last, _DATA_COL],
                "values": [name, first, _DATA_COL + 1, last, _DATA_COL + 1],
                "line": {"color": "#4F81BD", "width": 2.25},
            }
        )
        if c.target is not None:
            chart.add_series(
                {
                    "name": "进度线 Pace line",
                    "categories": [name, first, _DATA_COL, last, _DATA_COL],
                    "values": [name, first, _DATA_COL + 2, last, _DATA_COL + 2],
                    "line": {"color": "#C0504D", "width": 1.5, "dash_type": "dash"},
                }
            )
        chart.set_x_axis(
            {"date_axis": True, "num_format": "mm-dd", "major_unit": 7, "major_unit_type": "days"}
        )
        chart.set_y_axis(
            {
                "num_format": "¥#,##0",
                "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
            }
        )
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 700, "height": 250})
        chart.show_blanks_as("gap")
        chart.show_hidden_data()  # the data columns are hidden beside the page
        self.ws.insert_chart(self.row, 0, chart, {"x_offset": 4, "y_offset": 2})
        self.row += 13

    def _table(
        self,
        heads: Sequence[str],
        rows: Sequence[Sequence[tuple[Any, Any]]],
        height: float | None = None,
    ) -> None:
        for col, head in enumerate(heads):
            self.ws.write_string(self.row, col, head, self.f.head)
        self.ws.set_row(self.row, 28)
        self.row += 1
        for cells in rows:
            for col, (value, fmt) in enumerate(cells):
                write_cell(self.ws, self.row, col, value, fmt)
            if height is not None:
                self.ws.set_row(self.row, height)
            self.row += 1

    def _note(self, text: str, height: float = 26) -> None:
        self.ws.merge_range(self.row, 0, self.row, len(_WIDTHS) - 1, text, self.f.note)
        self.ws.set_row(self.row, height)
        self.row += 1

    def _weeks(self) -> None:
        f = self.f
        self._section("周计划执行 Weekly plan against the daily reports")
        rows: list[list[tuple[Any, Any]]] = []
        for line in self.card.weeks:
            p = line.plan
            if p is None:
                rows.append(
                    [
                        (str(line.week), f.text),
                        ("未交周计划 No plan filed", f.text),
                        *[(None, f.text)] * 5,
                    ]
                )
                continue
            rows.append(
                [
                    (p.label, f.text),  # a week cut by the month or the leave date: its days
                    (p.planned, f.int),
                    (p.done, f.int),
                    (p.adherence, f.percent),
                    (p.planned_amount, f.money),
                    (p.actual_amount, f.money),
                    (p.amount_ratio, f.percent),
                ]
            )
        self._table(
            (
                "周 Week",
                "计划拜访 Planned",
                "已执行 Done",
                "执行率 Adherence",
                "预计金额 Planned amount",
                "成交金额 Actual",
                "金额达成 vs plan",
            ),
            rows,
        )
        self.row += 1

    def _forecast(self) -> None:
        c = self.card
        self._section("日清预测 Day close forecasts")
        if c.forecast_days and c.forecast_accuracy is not None:
            text = (
                f"{c.forecast_days} 天的明日预测，平均准确率 {c.forecast_accuracy:.0%} / "
                f"{c.forecast_days} forecasts for the next workday, mean accuracy "
                f"{c.forecast_accuracy:.0%} (1 − |实际 actual − 预测 forecast| / 较大者 the larger)"
            )
        else:
            text = "本月还没有可核对的明日预测 / No forecast with a known outcome yet this month"
        self.ws.merge_range(self.row, 0, self.row, len(_WIDTHS) - 1, text, self.f.wrap)
        self.ws.set_row(self.row, 30)
        self.row += 2

    def _todo(self) -> None:
        c, f = self.card, self.f
        self._section("待办 To do: 7 天规则 the 7-day rules")
        rows: list[list[tuple[Any, Any]]] = []
        for item in c.todo[:MAX_TODO]:
            if item.overdue:
                days = (c.as_of - item.due).days
                status = f"逾期 {days} 天 Overdue {days}d" if days else "今天逾期 Overdue today"
            else:
                days = (item.due - c.as_of).days
                status = f"{days} 天后到期 Due in {days}d" if days else "今天到期 Due today"
            rows.append(
                [
                    (item.customer, f.text),
                    (item.phone, f.text),
                    (LAPSE_KIND[item.rule], f.wrap),
                    (item.last_contact, f.date),
                    (item.due, f.date),
                    (status, f.overdue if item.overdue else f.text),
                ]
            )
        if not rows:
            rows.append([("没有到期客户 Nothing due", f.text)])
        self._table(
            (
                "客户 Customer",
                "电话 Phone",
                "规则 Rule",
                "最近联系 Last contact",
                "到期 Due",
                "状态 Status",
            ),
            rows,
        )
        if len(c.todo) > MAX_TODO:
            rest = c.todo[MAX_TODO:]
            late = sum(item.overdue for item in rest)
            # the summary's Customers sheet lists the overdue ones only
            where = (
                "：逾期的见汇总「客户 Customers」表 / overdue ones: the summary's Customers sheet"
                if late
                else ""
            )
            self.ws.write_string(
                self.row,
                0,
                f"… 还有 {len(rest)} 个（{late} 个逾期）and {len(rest)} more ({late} overdue)"
                + where,
                f.note,
            )
            self.row += 1
        self.row += 1

    def _conflicts(self) -> None:
        c, f = self.card, self.f
        self._section("归属冲突 Customers shared with another rep")
        rows: list[list[tuple[Any, Any]]] = []
        for item in c.conflicts[:MAX_CONFLICTS]:
            mine = "你 You" if item.owner == c.rep_id else item.owner
            deal = "你 You" if item.deal_owner == c.rep_id else (item.deal_owner or "—")
            rows.append(
                [
                    (item.customer, f.text),
                    (item.phone, f.text),
                    (" ".join(x for x in (item.other, item.other_name) if x), f.text),
                    (mine, f.text),
                    (deal, f.text),
                ]
            )
        if not rows:
            rows.append([("没有冲突 None", f.text)])
        self._table(
            (
                "客户 Customer",
                "电话 Phone",
                "另一销售员 Other rep",
                "客户归属 Owner",
                "成交归属 Deal owner",
            ),
            rows,
        )
        if len(c.conflicts) > MAX_CONFLICTS:
            self._note(f"… +{len(c.conflicts) - MAX_CONFLICTS}", 15)
        self._note(
            "先登记者得客户，先交定金者得成交 / First registration wins the customer; "
            "first deposit wins the deal",
            15,
        )

    def _chart_data(self) -> None:
        ws, col = self.ws, _DATA_COL
        ws.write_string(0, col, "日期 Date")
        ws.write_string(0, col + 1, "累计 Amount so far")
        ws.write_string(0, col + 2, "进度线 Pace line")
        for r, point in enumerate(self.card.days, start=1):
            ws.write_datetime(r, col, dt.datetime.combine(point.day, dt.time()), self.f.hidden_date)
            if point.cumulative is not None:
                ws.write_number(r, col + 1, point.cumulative)
            if point.pace is not None:
                ws.write_number(r, col + 2, point.pace)
        ws.set_column(col, col + 2, 12, None, {"hidden": True})
