"""总览 The Overview sheet: a page a manager looks at rather than reads.

Top to bottom, on one A4 landscape page:
- KPI tiles: amount, completion, pace index, reps warned, missing reports,
  each with its change from last month at the same point (the store's
  trends, trends.py) and a line of detail;
- completion by rep as columns sorted from the lowest, coloured by warning
  level, with the 100 % line and the month-to-date pace line (what
  completion should be by now), every rep named; one chart per team when
  there are more than MAX_REPS_PER_CHART reps;
- daily sales as columns, workdays only, with the amount so far against
  the target due by then (lines on the right-hand axis);
- the team totals and the reps furthest below pace.
The charts read a hidden `图表数据 Chart data` sheet; every figure of the
Overview's table (`SheetData` "overview") is listed under the page, outside
the print area.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from salesxl.consolidate.model import Bilingual, SheetData, Summary, WarningLevel
from salesxl.consolidate.trends import COMPANY, GroupMonth, change
from salesxl.write.xlsx import write_cell

__all__ = ["CHART_DATA", "MAX_REPS_PER_CHART", "write_overview"]

MAX_REPS_PER_CHART = 40
CHART_DATA = ("图表数据", "Chart data")
COLUMNS = 30  # a grid of narrow columns: tiles, charts and tables span several
COLUMN_WIDTH = 4.29  # 35 pixels
COLUMN_PX = 35
ROW_PX = 20
TILE = 5  # columns per tile, and one gap
BELOW_PACE = 5
# Bar colours by warning level; grey for a rep not judged (left, no data, refused).
LEVEL_COLOURS = {
    WarningLevel.OK: "#70AD47",
    WarningLevel.ORAL: "#FFC000",
    WarningLevel.WRITTEN: "#C00000",
    None: "#A5A5A5",
}
_GOOD, _BAD, _GREY, _INK = "#2E7D32", "#C62828", "#7F7F7F", "#1F3864"


class _Page:
    def __init__(self, wb: Any, summary: Summary, lang: str, title: str, formats: Any) -> None:
        self.wb, self.summary, self.lang, self.title = wb, summary, lang, title
        self.zh = lang == "zh"
        self.number_formats = formats
        font = {"font_name": "Microsoft YaHei", "font_size": 10}
        self.font = font
        tile = {**font, "bg_color": "#F2F5FA", "align": "center", "valign": "vcenter"}
        self.f = {
            "title": wb.add_format({**font, "bold": True, "font_size": 18, "font_color": _INK}),
            "sub": wb.add_format({**font, "font_color": _GREY}),
            "tile_label": wb.add_format({**tile, "font_color": _GREY, "top": 2, "top_color": _INK}),
            "tile_detail": wb.add_format({**tile, "font_size": 9, "font_color": _GREY}),
            "section": wb.add_format({**font, "bold": True, "font_size": 12, "font_color": _INK}),
            "head": wb.add_format(
                {
                    **font,
                    "bold": True,
                    "text_wrap": True,
                    "align": "center",
                    "valign": "vcenter",
                    "bg_color": "#DCE6F1",
                    "border": 1,
                    "border_color": "#B4C6E7",
                }
            ),
        }
        self._cache: dict[tuple[Any, ...], Any] = {}

    def fmt(self, **props: Any) -> Any:
        """A cell format, made once per set of properties."""
        key = tuple(sorted(props.items()))
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self.wb.add_format({**self.font, **props})
        return found

    def label(self, zh: str, en: str, sep: str = " ") -> str:
        return f"{zh}{sep}{en}" if self.zh else en


def write_overview(
    wb: Any,
    ws: Any,
    data: Any,
    summary: Summary,
    lang: str,
    formats: dict[str, str],
    *,
    notes: Sequence[tuple[str, str]] = (),
) -> None:
    """Fill the Overview sheet `ws`; the charts' figures go into the (hidden) sheet `data`.
    `notes` (Chinese, English) go under the tables: which lists were shortened."""
    page = _Page(wb, summary, lang, ws.name, formats)
    ws.hide_gridlines(2)
    ws.set_column(0, COLUMNS - 1, COLUMN_WIDTH)
    figures = {r["metric_en"]: r["value"] for r in summary.sheet("overview").records()}
    _heading(ws, page, figures)
    _tiles(ws, page, figures)
    top = 8
    bottom = _charts(ws, data, page, figures, top)
    end = _tables(ws, page, bottom + 1)
    end = _notes(ws, page, notes, end + 1)
    ws.print_area(0, 0, end, COLUMNS - 1)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 1 if len(summary.sheet("by_rep").rows) <= MAX_REPS_PER_CHART else 0)
    ws.set_margins(left=0.4, right=0.4, top=0.4, bottom=0.4)
    _all_figures(ws, page, summary.sheet("overview"), end + 3)
    ws.activate()


def _heading(ws: Any, page: _Page, figures: dict[str, Any]) -> None:
    h = page.summary.headline
    ws.set_row(0, 30)
    ws.merge_range(
        0, 0, 0, COLUMNS - 1, page.label("销售汇总", f"Sales summary {h.period}"), page.f["title"]
    )
    source = figures.get("Targets from") or "—"
    parts = [
        page.label("截至", f"As of {h.as_of}"),
        page.label("销售员", "Reps") + f" {h.reps}",
    ]
    joined, left = figures.get("Joined this month") or 0, figures.get("Left this month") or 0
    if joined or left:
        parts.append(
            f"新入职 {joined} · 离职 {left}" if page.zh else f"joined {joined} · left {left}"
        )
    shown = source if page.zh else source.split(" ", 1)[-1]
    parts.append(page.label("目标来源", "Targets from") + f" {shown}")
    ws.merge_range(1, 0, 1, COLUMNS - 1, "  ·  ".join(parts), page.f["sub"])
    ws.set_row(2, 6)


# -- KPI tiles ------------------------------------------------------------------------------


def _tiles(ws: Any, page: _Page, figures: dict[str, Any]) -> None:
    h = page.summary.headline
    trends = page.summary.trends
    now: GroupMonth | None = trends.current.groups.get(COMPANY) if trends else None
    then: GroupMonth | None = None
    if trends is not None and trends.same_point is not None:
        then = trends.same_point.groups.get(COMPANY)
    oral, written = figures.get("Oral warnings") or 0, figures.get("Written warnings") or 0
    expected = _pace_line(page)
    level = _total_level(page)
    pace_colour = _BAD if level is WarningLevel.WRITTEN else "#B7791F" if level else _INK
    if level is WarningLevel.OK:
        pace_colour = _GOOD
    tiles: list[tuple[tuple[str, str], Any, str, str, str, tuple[str, str]]] = [
        (
            ("金额", "Amount"),
            h.amount,
            "money",
            "amount",
            _INK,
            (
                f"折算目标 {_money(h.target)}" if h.target is not None else "无目标",
                f"target {_money(h.target)}" if h.target is not None else "no targets",
            ),
        ),
        (
            ("完成率", "Completion"),
            h.completion,
            "percent",
            "completion",
            _INK,
            (
                f"应完成 {expected:.0%}（进度线）" if expected is not None else "—",
                f"pace line {expected:.0%} by now" if expected is not None else "—",
            ),
        ),
        (
            ("进度指数", "Pace index"),
            h.pace,
            "ratio",
            "pace",
            pace_colour,
            (
                f"进度目标 {_money(figures.get('MTD target'))}",
                f"MTD target {_money(figures.get('MTD target'))}",
            ),
        ),
        (
            ("预警人数", "Reps warned"),
            oral + written,
            "int",
            "warnings",
            _BAD if written else _INK,
            (f"口头 {oral} · 书面 {written}", f"oral {oral} · written {written}"),
        ),
        (
            ("缺交报告", "Missing reports"),
            h.missing,
            "int",
            "missing",
            _BAD if h.missing else _INK,
            (
                f"迟交 {h.late} · 按时 {figures.get('On time') or 0}",
                f"late {h.late} · on time {figures.get('On time') or 0}",
            ),
        ),
    ]
    ws.set_row(3, 20)
    ws.set_row(4, 34)
    ws.set_row(5, 18)
    ws.set_row(6, 18)
    for i, (name, value, kind, metric, colour, detail) in enumerate(tiles):
        first, last = i * (TILE + 1), i * (TILE + 1) + TILE - 1
        ws.merge_range(3, first, 3, last, page.label(*name), page.f["tile_label"])
        big = page.fmt(
            bold=True,
            font_size=22,
            font_color=colour,
            bg_color="#F2F5FA",
            align="center",
            valign="vcenter",
            num_format=page.number_formats[kind],
        )
        if value is None:
            ws.merge_range(4, first, 4, last, "—", big)
        else:
            ws.merge_range(4, first, 4, last, None, big)
            write_cell(ws, 4, first, value, big)
        text, good = _change_text(page, metric, now, then)
        ws.merge_range(
            5,
            first,
            5,
            last,
            text,
            page.fmt(
                font_size=9,
                font_color=_GREY if good is None else (_GOOD if good else _BAD),
                bg_color="#F2F5FA",
                align="center",
                valign="vcenter",
            ),
        )
        ws.merge_range(
            6, first, 6, last, detail[0] if page.zh else detail[1], page.f["tile_detail"]
        )
    ws.set_row(7, 8)


def _change_text(
    page: _Page, metric: str, now: GroupMonth | None, then: GroupMonth | None
) -> tuple[str, bool | None]:
    """`▲ +12.3% 较上月同期` and whether that is good news; blank without history."""
    if now is None or then is None:
        return ("上月同期：无数据" if page.zh else "no history for last month", None)
    delta = change(metric, now.value(metric), then.value(metric))
    if delta is None:
        return ("较上月同期：—" if page.zh else "vs last month: —", None)
    if metric in ("amount", "completion"):
        shown = f"{delta:+.1%}"
    elif metric == "pace":
        shown = f"{delta:+.2f}"
    else:
        shown = f"{delta:+.0f}"
    arrow = "▲" if delta > 0 else "▼" if delta < 0 else "■"
    good = None if delta == 0 else (delta > 0) == (metric in ("amount", "completion", "pace"))
    return (f"{arrow} {shown} 较上月同期" if page.zh else f"{arrow} {shown} vs last month", good)


def _pace_line(page: _Page) -> float | None:
    """Completion expected by now at workday pace (of a rep employed all month)."""
    h = page.summary.headline
    return h.workday_share if h.target is not None else None


def _total_level(page: _Page) -> WarningLevel | None:
    """The warning level of the total row of By team (the company's, or a pack's)."""
    rows = page.summary.sheet("by_team").records()
    level: WarningLevel | None = rows[-1]["warning"] if rows else None
    return level


def _money(value: Any) -> str:
    return f"¥{value:,.0f}" if isinstance(value, (int, float)) else "—"


# -- charts ---------------------------------------------------------------------------------


def _charts(ws: Any, data: Any, page: _Page, figures: dict[str, Any], top: int) -> int:
    """Completion by rep and daily sales from row `top`; returns the last row they use."""
    reps = page.summary.sheet("by_rep").records()
    has_targets = page.summary.headline.target is not None
    key = "completion" if has_targets else "amount"
    expected = _pace_line(page)
    ordered = sorted(
        reps,
        key=lambda r: (
            (r["team"] or "", r[key] if r[key] is not None else float("-inf"))
            if len(reps) > MAX_REPS_PER_CHART
            else (r[key] if r[key] is not None else float("-inf"), r["name"] or "")
        ),
    )
    data_title = data.name
    heads = ["rep", key, "100%", "pace", "team"]
    for c, head in enumerate(heads):
        data.write_string(0, c, head)
    for r, rep in enumerate(ordered, start=1):
        data.write_string(r, 0, rep["name"] or rep["rep_id"])
        if rep[key] is not None:
            data.write_number(r, 1, rep[key])
        data.write_number(r, 2, 1.0)
        if expected is not None:
            data.write_number(r, 3, expected)
        data.write_string(r, 4, rep["team"] or "")
    height_rows = 22
    if len(ordered) <= MAX_REPS_PER_CHART:
        groups = [(None, 1, len(ordered))]
    else:  # one chart per team, two side by side
        groups = []
        start = 1
        for i in range(1, len(ordered) + 1):
            if i == len(ordered) or ordered[i]["team"] != ordered[i - 1]["team"]:
                groups.append((ordered[i - 1]["team"], start, i))
                start = i + 1
    row = top
    if len(groups) == 1:
        chart = _completion_chart(page, data_title, ordered, groups[0], has_targets, expected)
        chart.set_size({"width": 18 * COLUMN_PX, "height": height_rows * ROW_PX})
        ws.insert_chart(row, 0, chart, {"object_position": 3})
        daily = _daily_chart(page, data, len(ordered) + 3)
        if daily is not None:
            daily.set_size({"width": 12 * COLUMN_PX, "height": height_rows * ROW_PX})
            ws.insert_chart(row, 18, daily, {"object_position": 3})
        return row + height_rows
    for n, group in enumerate(groups):
        chart = _completion_chart(page, data_title, ordered, group, has_targets, expected)
        chart.set_size({"width": 15 * COLUMN_PX, "height": 12 * ROW_PX})
        ws.insert_chart(row + (n // 2) * 12, (n % 2) * 15, chart, {"object_position": 3})
    row += ((len(groups) + 1) // 2) * 12
    daily = _daily_chart(page, data, len(ordered) + 3)
    if daily is not None:
        daily.set_size({"width": COLUMNS * COLUMN_PX, "height": height_rows * ROW_PX})
        ws.insert_chart(row, 0, daily, {"object_position": 3})
        row += height_rows
    return row


def _completion_chart(
    page: _Page,
    sheet: str,
    ordered: Sequence[dict[str, Any]],
    group: tuple[str | None, int, int],
    has_targets: bool,
    expected: float | None,
) -> Any:
    team, first, last = group
    chart = page.wb.add_chart({"type": "column"})
    points = [
        {"fill": {"color": LEVEL_COLOURS.get(r["warning"], LEVEL_COLOURS[None])}}
        for r in ordered[first - 1 : last]
    ]
    chart.add_series(
        {
            "name": page.label("完成率", "Completion")
            if has_targets
            else page.label("金额", "Amount"),
            "categories": [sheet, first, 0, last, 0],
            "values": [sheet, first, 1, last, 1],
            "points": points,
            "gap": 40,
            "data_labels": {
                "value": True,
                "num_format": "0%" if has_targets else "#,##0",
                "font": {"size": 7},
            }
            if last - first < 25
            else {},
        }
    )
    if has_targets:
        lines = page.wb.add_chart({"type": "line"})
        lines.add_series(
            {
                "name": "100%",
                "categories": [sheet, first, 0, last, 0],
                "values": [sheet, first, 2, last, 2],
                "line": {"color": "#404040", "width": 1.25},
                "marker": {"type": "none"},
            }
        )
        if expected is not None:
            lines.add_series(
                {
                    "name": page.label("进度线", "Pace line") + f" {expected:.0%}",
                    "categories": [sheet, first, 0, last, 0],
                    "values": [sheet, first, 3, last, 3],
                    "line": {"color": "#2F5597", "width": 1.5, "dash_type": "dash"},
                    "marker": {"type": "none"},
                }
            )
        chart.combine(lines)
    name = page.label("完成率（由低到高）", "Completion by rep, lowest first")
    if not has_targets:
        name = page.label("金额（按销售员）", "Amount by rep")
    if team is not None:
        name = f"{team} — {name}"
    chart.set_title({"name": name, "name_font": {"size": 11, "bold": True}})
    chart.set_x_axis({"num_font": {"rotation": -45, "size": 8}, "major_tick_mark": "none"})
    chart.set_y_axis(
        {
            "num_format": "0%" if has_targets else "¥#,##0",
            "num_font": {"size": 8},
            "major_gridlines": {"visible": True, "line": {"color": "#E0E0E0"}},
            "min": 0,
        }
    )
    chart.set_legend({"position": "top", "font": {"size": 8}, "delete_series": [0]})
    chart.set_chartarea({"border": {"none": True}})
    return chart


def _daily_chart(page: _Page, data: Any, top: int) -> Any:
    """Daily sales (columns) and the amount so far against the target due (lines)."""
    trend = page.summary.daily_trend
    if trend is None or not trend.rows:
        return None
    sheet = data.name
    date_fmt = page.fmt(num_format="mm-dd")
    for c, col in enumerate(trend.columns):
        data.write_string(top, c, col.key)
    for r, row in enumerate(trend.rows, start=top + 1):
        for c, value in enumerate(row):
            write_cell(data, r, c, value, date_fmt if c == 0 else None)
    first, last = top + 1, top + len(trend.rows)
    columns = page.wb.add_chart({"type": "column"})
    columns.add_series(
        {
            "name": page.label("每日成交", "Closed per day"),
            "categories": [sheet, first, 0, last, 0],
            "values": [sheet, first, 1, last, 1],
            "fill": {"color": "#9DC3E6"},
            "gap": 50,
        }
    )
    lines = page.wb.add_chart({"type": "line"})
    lines.add_series(
        {
            "name": page.label("累计", "So far"),
            "categories": [sheet, first, 0, last, 0],
            "values": [sheet, first, 3, last, 3],
            "line": {"color": "#1F3864", "width": 2.25},
            "marker": {"type": "none"},
            "y2_axis": True,
        }
    )
    if any(row[4] is not None for row in trend.rows):
        lines.add_series(
            {
                "name": page.label("进度目标", "Target to date"),
                "categories": [sheet, first, 0, last, 0],
                "values": [sheet, first, 4, last, 4],
                "line": {"color": "#C00000", "width": 1.5, "dash_type": "dash"},
                "marker": {"type": "none"},
                "y2_axis": True,
            }
        )
    columns.combine(lines)
    columns.set_title(
        {
            "name": page.label("每日成交（工作日）", "Daily sales, workdays"),
            "name_font": {"size": 11, "bold": True},
        }
    )
    columns.set_x_axis(
        {"num_format": "mm-dd", "num_font": {"rotation": -45, "size": 8}, "text_axis": True}
    )
    columns.set_y_axis(
        {
            "num_format": "¥#,##0",
            "num_font": {"size": 8},
            "major_gridlines": {"visible": True, "line": {"color": "#E0E0E0"}},
        }
    )
    lines.set_y2_axis({"num_format": "¥#,##0", "num_font": {"size": 8}})
    columns.set_legend({"position": "top", "font": {"size": 8}})
    columns.set_chartarea({"border": {"none": True}})
    return columns


# -- tables ---------------------------------------------------------------------------------

# (key, zh, en, columns wide, kind)
_TEAM_COLUMNS = [
    ("team", "团队", "Team", 3, "text"),
    ("region", "区域", "Region", 2, "text"),
    ("amount", "金额", "Amount", 3, "money"),
    ("prorated_target", "折算目标", "Target", 3, "money"),
    ("completion", "完成率", "Completion", 2, "percent"),
    ("pace", "进度指数", "Pace", 2, "ratio"),
    ("warning", "预警", "Warning", 2, "warning"),
]
_BEHIND_COLUMNS = [
    ("name", "销售员", "Rep", 2, "text"),
    ("team", "团队", "Team", 3, "text"),
    ("completion", "完成率", "Completion", 2, "percent"),
    ("pace", "进度指数", "Pace", 2, "ratio"),
    ("behind", "落后金额", "Behind", 3, "money"),
]
_LEVEL_FILL = {
    WarningLevel.OK: ("#C6EFCE", "#006100"),
    WarningLevel.ORAL: ("#FFEB9C", "#9C5700"),
    WarningLevel.WRITTEN: ("#FFC7CE", "#9C0006"),
}
_WARNING_TEXT = {
    WarningLevel.OK: ("正常", "OK"),
    WarningLevel.ORAL: ("口头预警", "Oral"),
    WarningLevel.WRITTEN: ("书面预警", "Written"),
}


def _tables(ws: Any, page: _Page, top: int) -> int:
    """The team totals (left) and the reps furthest below pace (right); returns the last row."""
    teams = page.summary.sheet("by_team").records()
    ws.set_row(top, 22)
    ws.merge_range(top, 0, top, 16, page.label("团队合计", "Team totals"), page.f["section"])
    ws.merge_range(
        top,
        18,
        top,
        COLUMNS - 1,
        page.label("进度最落后", "Furthest below pace"),
        page.f["section"],
    )
    last_team = _table(ws, page, top + 1, 0, _TEAM_COLUMNS, teams, total_last=True)
    behind = [
        {**r, "behind": (r["paced_target"] or 0) - (r["amount"] or 0)}
        for r in page.summary.sheet("by_rep").records()
        if r["warning"] is not None and r["pace"] is not None and r["pace"] < 1
    ]
    behind.sort(key=lambda r: r["pace"])
    last_behind = _table(ws, page, top + 1, 18, _BEHIND_COLUMNS, behind[:BELOW_PACE])
    if not behind:
        ws.merge_range(
            top + 2,
            18,
            top + 2,
            COLUMNS - 1,
            page.label("无人落后于进度", "nobody is behind pace"),
            page.f["sub"],
        )
    return max(last_team, last_behind)


def _table(
    ws: Any,
    page: _Page,
    top: int,
    left: int,
    columns: Sequence[tuple[str, str, str, int, str]],
    rows: Sequence[dict[str, Any]],
    *,
    total_last: bool = False,
) -> int:
    ws.set_row(top, 30 if page.zh else 18)
    col = left
    for _, zh, en, span, _ in columns:
        ws.merge_range(top, col, top, col + span - 1, page.label(zh, en, "\n"), page.f["head"])
        col += span
    for i, record in enumerate(rows, start=top + 1):
        total = total_last and i == top + len(rows)
        col = left
        for key, _, _, span, kind in columns:
            value = record.get(key)
            if total and key == columns[0][0] and not page.zh:
                value = "Total"  # the total row's name is bilingual
            props: dict[str, Any] = {
                "bold": total,
                "bottom": 1,
                "bottom_color": "#E0E0E0",
                "valign": "vcenter",
                "align": "left" if kind == "text" else "center" if kind == "warning" else "right",
            }
            if kind in page.number_formats and kind != "text":
                props["num_format"] = page.number_formats[kind]
            if kind == "warning":
                if value in _LEVEL_FILL:
                    props["bg_color"], props["font_color"] = _LEVEL_FILL[value]
                value = (
                    _WARNING_TEXT[value][0 if page.zh else 1] if value in _WARNING_TEXT else None
                )
            cell = page.fmt(**props)
            ws.merge_range(i, col, i, col + span - 1, None, cell)
            if value is not None:
                write_cell(ws, i, col, value, cell)
            col += span
    return top + len(rows)


def _notes(ws: Any, page: _Page, notes: Sequence[tuple[str, str]], top: int) -> int:
    """A line per note (both languages in a Chinese workbook); returns the last row."""
    lines = [line for zh, en in notes for line in ((zh, en) if page.zh else (en,))]
    for i, line in enumerate(lines, start=top + 1):
        ws.merge_range(i, 0, i, COLUMNS - 1, line, page.f["sub"])
    return top + len(lines) if lines else top - 1


def _all_figures(ws: Any, page: _Page, sheet: SheetData, top: int) -> None:
    """Every figure of the Overview's table, under the page (outside the print area)."""
    ws.merge_range(top, 0, top, 11, page.label("全部指标", "All figures"), page.f["section"])
    kinds = sheet.row_kinds or ["text"] * len(sheet.rows)
    for i, (row, kind) in enumerate(zip(sheet.rows, kinds, strict=True), start=top + 1):
        zh, en, value = row
        ws.merge_range(i, 0, i, 6, f"{zh} {en}" if page.zh else en, page.fmt())
        cell = (
            page.fmt(num_format=page.number_formats[kind])
            if kind in page.number_formats
            else page.fmt(align="right")
        )
        ws.merge_range(i, 7, i, 11, None, cell)
        if isinstance(value, Bilingual):  # a fixed text: English only in an English workbook
            value = value.shown("zh" if page.zh else "en")
        if value is not None:
            write_cell(ws, i, 7, value, cell)
