"""Turn computed results into the summary's tables (columns with zh/en labels, rows)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import pairwise
from typing import Any

from salesxl.consolidate.customers import Conflict, Lapse, Lapses
from salesxl.consolidate.details import DetailRows
from salesxl.consolidate.kpis import Totals
from salesxl.consolidate.model import (
    OTHER_TEAM,
    Bilingual,
    ColumnSpec,
    LazySheet,
    SheetData,
    column_kind,
)
from salesxl.consolidate.plans import DayCloseRow, PlanRow
from salesxl.consolidate.submissions import SubmissionRow, SubmissionStatus
from salesxl.consolidate.trends import REP_COLUMNS, Trends
from salesxl.core.issues import Issue
from salesxl.core.people import Rep
from salesxl.core.periods import Month
from salesxl.forms import DAILY_REPORT, FormId
from salesxl.forms.choices import GRADES, LOST, STAGE_ORDER, STAGES
from salesxl.validate import TableData

__all__ = [
    "LAPSE_KIND",
    "by_group_sheet",
    "by_rep_sheet",
    "customers_sheet",
    "day_close_sheet",
    "details_sheet",
    "funnel_sheet",
    "issues_sheet",
    "plan_sheet",
    "submissions_sheet",
]

C = ColumnSpec
_REP = [C("rep_id", "工号", "Rep ID"), C("name", "销售员", "Rep"), C("team", "团队", "Team")]
_ACTIVITY = [
    C("contacts", "联系", "Contacts", "int"),
    C("visits", "拜访来访", "Visits", "int"),
    C("new_customers", "新客户", "New customers", "int"),
    *(
        C(f"grade_{g.code.lower()}", f"{g.code} {g.zh}", f"{g.code} {g.en.lower()}", "int")
        for g in GRADES.choices
    ),
    C("deals", "成交", "Deals", "int"),
    C("amount", "金额", "Amount", "money"),
    C("deposit", "定金", "Deposit", "money"),
    C("target", "月度目标", "Month target", "money"),
    C("prorated_target", "折算目标", "Pro-rated target", "money"),  # to the workdays employed
    C("paced_target", "进度目标", "MTD target", "money"),
    C("completion", "完成率", "Completion", "percent"),
    C("pace", "进度指数", "Pace index", "ratio"),
    C("warning", "预警", "Warning", "warning"),
]


def _activity(t: Totals, known: bool) -> list[Any]:
    """Activity figures, or None throughout when nothing was reported (not a silent zero)."""
    counts: list[float | None] = [
        t.contacts,
        t.visits,
        t.new_customers,
        *(t.grades[code] for code in GRADES.codes),
        t.deals,
        round(t.amount, 2),
        round(t.deposit, 2),
    ]
    if not known:
        counts = [None] * len(counts)
    return [
        *counts,
        t.target,
        t.prorated_target,
        t.paced_target,
        t.completion if known else None,
        t.pace if known else None,
        t.warning if known else None,
    ]


def by_rep_sheet(totals: Iterable[Totals], trends: Trends | None = None) -> SheetData:
    """Each rep's month: figures are blank (not zero) for a rep without a daily report;
    the status and note say who joined, left, has no data or was refused (standing.py).
    With `trends` (from the store), last month's completion, the pace against last
    month's and the months warned in a row follow the warning level."""
    columns = [
        *_REP,
        C("region", "区域", "Region"),
        C("status", "状态", "Status", "status"),
        *_ACTIVITY,
        *(REP_COLUMNS if trends is not None else []),
        C("rank_team", "团队排名", "Rank in team", "int"),
        C("rank_company", "公司排名", "Rank in company", "int"),
        C("workdays", "在岗工作日", "Workdays employed", "int"),
        C("note", "备注", "Note"),
    ]
    rows = []
    for t in sorted(totals, key=lambda t: (t.region or "", t.team or "", t.key)):
        standing = t.standing
        assert standing is not None  # every rep's Totals has one
        rows.append(
            [
                t.key,
                t.name,
                t.team,
                t.region,
                standing.status,
                *_activity(t, t.has_report),
                *(trends.rep_columns(t.key) if trends is not None else []),
                t.rank_team,
                t.rank_company,
                standing.workdays,
                standing.note,
            ]
        )
    return SheetData("by_rep", "销售员", "By rep", columns, rows)


def by_group_sheet(key: str, groups: Sequence[Totals], company: Totals) -> SheetData:
    names: list[list[str | None]]  # the group's name (and a team's region)
    if key == "by_team":
        head = [C("team", "团队", "Team"), C("region", "区域", "Region")]
        title = ("团队", "By team")
        names = [[g.name, g.region] for g in groups] + [[company.name, None]]
    else:
        head = [C("region", "区域", "Region")]
        title = ("区域", "By region")
        names = [[g.name] for g in [*groups, company]]
    # Completion and pace compare the amount of the reps with a target with their targets.
    columns = [
        *head,
        C("reps", "人数", "Reps", "int"),
        *_ACTIVITY,
        C("targeted_reps", "有目标人数", "Reps with target", "int"),
        C("targeted_amount", "有目标者金额", "Their amount", "money"),
        C("rank", "排名", "Rank", "int"),
    ]
    rows: list[list[Any]] = [
        [
            *name,
            g.reps,
            *_activity(g, g.reported),
            g.targeted_reps,
            round(g.targeted_amount, 2) if g.target is not None else None,
            g.rank_company if g is not company else None,
        ]
        for name, g in zip(names, [*groups, company], strict=True)
    ]
    return SheetData(key, *title, columns, rows)


def funnel_sheet(totals: Sequence[Totals], company: Totals) -> SheetData:
    stage_cols = [
        C(f"stage_{s}", f"{s} {STAGES.by_code(s).zh}", STAGES.by_code(s).en, "int")
        for s in STAGE_ORDER
    ]
    conv_cols = [
        C(f"conv_{a}_{b}", f"{a}→{b}", f"{a}→{b}", "percent") for a, b in pairwise(STAGE_ORDER)
    ]
    lost = STAGES.by_code(LOST)
    columns = [*_REP, *stage_cols, C("lost", f"{lost.code} {lost.zh}", lost.en, "int"), *conv_cols]
    rows = []
    for t in [*sorted(totals, key=lambda t: t.key), company]:
        reached = [t.reached[s] for s in STAGE_ORDER]
        conv = [b / a if a else None for a, b in pairwise(reached)]
        ident = [t.key, t.name, t.team] if t is not company else [None, company.name, None]
        rows.append([*ident, *reached, t.lost, *conv])
    return SheetData("funnel", "漏斗", "Funnel", columns, rows)


def plan_sheet(plans: Iterable[PlanRow], reps: Mapping[str, Rep]) -> SheetData:
    columns = [
        *_REP,
        C("week", "周", "Week"),
        C("planned", "计划拜访", "Planned visits", "int"),
        C("done", "已执行", "Done", "int"),
        C("adherence", "执行率", "Adherence", "percent"),
        C("other", "计划外联系", "Unplanned contacts", "int"),
        C("planned_amount", "预计金额", "Planned amount", "money"),
        C("actual_amount", "成交金额", "Actual amount", "money"),
        C("amount_ratio", "金额达成", "Amount vs plan", "percent"),
        C("file", "文件", "File", "link"),
        C("note", "说明", "Note"),
    ]
    rows = [
        [
            p.rep,
            *_who(reps, p.rep),
            str(p.week),
            p.planned,
            p.done,
            p.adherence,
            p.other,
            p.planned_amount,
            p.actual_amount,
            p.amount_ratio,
            p.file,
            p.note,
        ]
        for p in plans
    ]
    return SheetData("plan_vs_actual", "计划执行", "Plan vs actual", columns, rows)


def day_close_sheet(rows_: Iterable[DayCloseRow], reps: Mapping[str, Rep]) -> SheetData:
    columns = [
        *_REP,
        C("date", "日期", "Date", "date"),
        C("forecast", "明日预测", "Forecast", "money"),
        C("next_day", "预测日", "For day", "date"),
        C("actual", "实际成交", "Actual", "money"),
        C("difference", "差额", "Difference", "money"),
        C("accuracy", "预测准确率", "Accuracy", "percent"),
        C("note", "说明", "Note"),
    ]
    rows = [
        [
            d.rep,
            *_who(reps, d.rep),
            d.date,
            d.forecast,
            d.next_day,
            d.actual,
            (d.actual - d.forecast) if d.actual is not None and d.forecast is not None else None,
            d.accuracy,
            d.why_not,
        ]
        for d in rows_
    ]
    return SheetData("day_close", "日清", "Day close", columns, rows)


# The kind says which 7-day rule ran out; the date and due columns say when.
LAPSE_KIND = {
    "phone_no_visit": Bilingual("电话客户 7 天未上门", "Phone lead, no visit in 7 days"),
    "no_follow_up": Bilingual("7 天未跟进", "Not followed up in 7 days"),
}
_CONFLICT = Bilingual("归属冲突", "Conflict")
_CONFLICT_RULE = Bilingual(
    "先登记者得客户，先交定金者得成交",
    "First registration wins the customer; first deposit wins the deal",
    sep=" / ",
)


_NO_CONFLICT = (None,) * 6  # a lapse's empty conflict columns


def customers_sheet(
    lapses: Sequence[Lapse], conflicts: Sequence[Conflict], reps: Mapping[str, Rep]
) -> SheetData:
    """The 7-day lapses (most urgent first: by due date) and the conflicts, each rep's
    entries in that order; the rows are made when asked for (`LazySheet`): the workbook
    asks only for each rep's most urgent ones (its conflicts, then its lapses)."""
    columns = [
        C("kind", "类型", "Kind"),
        C("customer", "客户", "Customer"),
        C("phone", "电话", "Phone"),
        C("rep_id", "工号", "Rep ID"),
        C("name", "销售员", "Rep"),
        C("date", "日期", "Date", "date"),
        C("due", "到期", "Due", "date"),
        C("days", "天数", "Days", "int"),
        C("other_rep_id", "另一工号", "Other rep ID"),
        C("other_name", "另一销售员", "Other rep"),
        C("other_date", "另一日期", "Other date", "date"),
        C("owner", "客户归属", "Customer owner"),
        C("deal_owner", "成交归属", "Deal owner"),
        C("note", "说明", "Note"),
    ]
    name = {rep_id: rep.name for rep_id, rep in reps.items()}.get  # None: not in the roster

    def lapse_rows(kept: Iterable[Lapse]) -> list[list[Any]]:
        kinds = LAPSE_KIND  # a cold-calling month: a hundred thousand lapses
        return [
            [kinds[rule], customer, phone, rep, name(rep), since, due, days, *_NO_CONFLICT]
            for rule, customer, phone, rep, since, due, days, _ in kept
        ]

    def whose(c: Conflict) -> str:
        """The rep a conflict's row is about: the customer's owner, unless the owner is
        another team's (a leader's pack): then the pack's own rep."""
        return c.other if c.owner == OTHER_TEAM else c.owner

    def conflict_rows(kept: Iterable[Conflict]) -> list[list[Any]]:
        rows = []
        for c in kept:
            rep, date, other, other_date = c.owner, c.owner_date, c.other, c.other_date
            if whose(c) != rep:
                rep, date, other, other_date = other, other_date, rep, date
            rows.append(
                [
                    _CONFLICT,
                    c.customer,
                    c.phone,
                    rep,
                    name(rep),
                    date,
                    None,
                    None,
                    other,
                    name(other),
                    other_date,
                    c.owner,
                    c.deal_owner,
                    _CONFLICT_RULE,
                ]
            )
        return rows

    def make() -> list[list[Any]]:
        return [*lapse_rows(lapses), *conflict_rows(conflicts)]

    def first(limit: int) -> tuple[list[list[Any]], dict[Any, int]]:
        # each rep's conflicts first (they decide who is credited with a sale: a busy
        # cold-caller's lapses must not crowd them out), then its most urgent lapses, up to
        # `limit` in all; without sorting the whole list (a pack's list: its lapses)
        seen: dict[str, int] = {}
        get = seen.get
        kept_conflicts: list[Conflict] = []
        for c in conflicts:
            rep = whose(c)
            n = get(rep, 0)
            seen[rep] = n + 1
            if n < limit:
                kept_conflicts.append(c)
        picked = lapses if isinstance(lapses, Lapses) else Lapses(list(lapses))
        kept_lapses, totals = picked.first_per_rep(limit)
        if seen:  # the room each rep's conflicts leave, its most urgent lapses first
            shown = {rep: min(n, limit) for rep, n in seen.items()}
            room = []
            for lapse in kept_lapses:
                rep = lapse[3]
                n = shown.get(rep, 0)
                if n < limit:
                    shown[rep] = n + 1
                    room.append(lapse)
            kept_lapses = room
            for rep, n in seen.items():
                totals[rep] = totals.get(rep, 0) + n
        return [*lapse_rows(kept_lapses), *conflict_rows(kept_conflicts)], totals

    return LazySheet("customers", "客户", "Customers", columns, make=make, first=first)


_S = SubmissionStatus
_COUNTED = (_S.ON_TIME, _S.LATE, _S.MISSING, _S.REFUSED)
_NOTED = (_S.NO_FILE, _S.NOT_IN_ROSTER)  # in the note column: there is no report grid
_GRID_PREFIX: dict[str, str] = {FormId.DAILY_REPORT: "day_", FormId.WEEKLY_PLAN: "week_"}


def submissions_sheet(rows_: Sequence[SubmissionRow], reps: Mapping[str, Rep]) -> SheetData:
    """One row per rep, one column per workday, week and month: an attendance grid."""
    days = sorted({r.due_for for r in rows_ if r.form == FormId.DAILY_REPORT})
    weeks = sorted({r.due_for for r in rows_ if r.form == FormId.WEEKLY_PLAN})
    columns = [
        *_REP,
        C(_S.ON_TIME, "按时", "On time", "int"),
        C(_S.LATE, "迟交", "Late", "int"),
        C(_S.MISSING, "缺交", "Missing", "int"),
        C(_S.REFUSED, "已拒收", "Refused", "int"),
        *(C(f"day_{d}", d[5:], d[5:], "status") for d in days),
        *(C(f"week_{w}", f"{w[5:]} 周计划", f"{w[5:]} plan", "status") for w in weeks),
        C("month_plan", "月计划", "Month plan", "status"),
        C("note", "备注", "Note", "status"),
        C("file", "日报文件", "Daily report file"),
    ]
    index = {c.key: i for i, c in enumerate(columns)}
    grid: dict[str, list[Any]] = {}
    for r in rows_:
        row = grid.get(r.rep)
        if row is None:
            row = grid[r.rep] = [r.rep, *_who(reps, r.rep), *[0] * len(_COUNTED)]
            row += [None] * (len(columns) - len(row))
        if r.status in _NOTED:
            row[index["note"]] = r.status
            continue
        key = _GRID_PREFIX.get(r.form or "", "month_plan")
        row[index[key + r.due_for if key != "month_plan" else key]] = r.status
        if r.status in _COUNTED:  # the count columns are keyed by the status
            row[index[r.status]] += 1
        if r.status is _S.REFUSED and row[index["note"]] is None:
            row[index["note"]] = _S.REFUSED
        if r.form == FormId.DAILY_REPORT and r.file and row[index["file"]] is None:
            row[index["file"]] = r.file
    return SheetData("submissions", "提交", "Submissions", columns, list(grid.values()))


def issues_sheet(issues: Iterable[Issue]) -> SheetData:
    columns = [
        C("file", "文件", "File", "link"),
        C("sheet", "工作表", "Sheet"),
        C("cell", "单元格", "Cell"),
        C("row", "行", "Row", "int"),
        C("column", "列", "Column", "field"),
        C("code", "代码", "Code"),
        C("severity", "级别", "Severity", "severity"),
        C("message_zh", "说明", "Message (zh)", only="zh"),
        C("message_en", "Message", "Message"),
        C("value", "值", "Value"),
    ]
    rows = [
        [
            i.file,
            i.sheet,
            i.cell,
            i.row,
            i.column,
            i.code.value,
            i.severity.value,
            i.message_zh,
            i.message_en,
            None if i.value is None else str(i.value),
        ]
        for i in issues
    ]
    return SheetData("issues", "问题", "Issues", columns, rows)


def details_sheet(
    tables: Iterable[tuple[str, TableData, str]], reps: Mapping[str, Rep], period: Month
) -> SheetData:
    """Every combined daily row of the period, with the rep's team and region."""
    fields = DAILY_REPORT.main_table.fields
    columns = [
        *_REP,
        C("region", "区域", "Region"),
        C("file", "文件", "File"),
        C("row", "行", "Row", "int"),
        *(C(f.key, f.zh, f.en, column_kind(f.type)) for f in fields),
    ]
    rows = DetailRows(list(tables), reps, period)
    # a lazy sequence where SheetData declares a list: the writer only iterates and slices
    return SheetData("details", "明细", "Details", columns, rows)  # type: ignore[arg-type]


def _who(reps: Mapping[str, Rep], rep_id: str) -> list[Any]:
    rep = reps.get(rep_id)
    return [rep.name if rep else None, rep.team if rep else None]
