"""趋势 Trends across months: each team's and the company's months side by side.

A month's figures (`MonthFigures`) are read off what its consolidation
computed (`Results`): the amount, completion and pace index, how many reps
have a 考核预警 warning, how many reports came in late or are missing.  The
months before come from the store (`history.earlier_months`), each judged by
the same rules as its own summary.  Comparisons (README, "The manager's
morning"):

- 环比 month over month compares this month with last month *at the same
  point* (as of the same workday of it), so the 10th workday is not set
  against a whole month; 同比 year over year does the same with this month a
  year ago.  An amount's change is relative (+12 %), a rate's is the
  difference (completion +5 points, pace +0.05), a count's the difference.
- By rep: last month's completion, this month's pace index less last month's
  (a whole month's pace index is its completion, so the two compare), and
  连续预警: how many months in a row, up to this one, the rep has had a warning.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from salesxl.consolidate.kpis import Totals
from salesxl.consolidate.model import ColumnSpec, SheetData, WarningLevel
from salesxl.consolidate.results import Results
from salesxl.consolidate.submissions import SubmissionStatus
from salesxl.core.periods import Month

__all__ = [
    "COMPANY",
    "METRICS",
    "METRIC_LABELS",
    "REP_COLUMNS",
    "GroupMonth",
    "MonthFigures",
    "RepMonth",
    "Trends",
    "change",
    "month_figures",
    "region_key",
    "team_key",
    "trend_sheet",
]

COMPANY = "company"
WARNED = (WarningLevel.ORAL, WarningLevel.WRITTEN)
# metric -> (zh, en, number kind of its values)
METRICS: dict[str, tuple[str, str, str]] = {
    "amount": ("金额", "Amount", "money"),
    "completion": ("完成率", "Completion", "percent"),
    "pace": ("进度指数", "Pace index", "ratio"),
    "warnings": ("预警人数", "Reps warned", "int"),
    "late": ("迟交", "Late reports", "int"),
    "missing": ("缺交", "Missing reports", "int"),
}
METRIC_LABELS = {metric: (zh, en) for metric, (zh, en, _) in METRICS.items()}


def team_key(region: str | None, team: str | None) -> str:
    return f"team:{region or ''}/{team or ''}"


def region_key(region: str | None) -> str:
    return f"region:{region or ''}"


@dataclass(frozen=True, slots=True)
class GroupMonth:
    """A team's, region's or the company's month."""

    name: str
    region: str | None
    reps: int
    amount: float | None  # None (as completion and pace): none of its reps reported
    completion: float | None
    pace: float | None
    warnings: int  # reps with an oral or written warning
    late: int  # reports handed in after their deadline
    missing: int  # reports due and not in

    def value(self, metric: str) -> float | None:
        found: float | None = getattr(self, metric)
        return found


@dataclass(frozen=True, slots=True)
class RepMonth:
    completion: float | None
    pace: float | None
    warning: WarningLevel | None


@dataclass(slots=True)
class MonthFigures:
    period: Month
    as_of: dt.date
    reps: dict[str, RepMonth]
    groups: dict[str, GroupMonth]  # COMPANY, team_key(...), region_key(...)


def month_figures(results: Results) -> MonthFigures:
    """The month as its consolidation computed it."""
    late: dict[str, int] = {}
    missing: dict[str, int] = {}
    for row in results.submitted:
        if row.status is SubmissionStatus.LATE:
            late[row.rep] = late.get(row.rep, 0) + 1
        elif row.status is SubmissionStatus.MISSING:
            missing[row.rep] = missing.get(row.rep, 0) + 1
    reps = {
        k: RepMonth(
            t.completion if t.has_report else None, t.pace if t.has_report else None, t.warning
        )
        for k, t in results.reps.items()
    }

    def group(g: Totals, members: list[Totals], region: str | None) -> GroupMonth:
        ids = [m.key for m in members]
        # A team none of whose reps reported has unknown figures, as on the By team sheet:
        # a 0 would set this month's change against a month nobody reported.
        known = g.reported
        judged = known and g.target is not None
        return GroupMonth(
            g.name,
            region,
            g.reps,
            g.amount if known else None,
            g.completion if judged else None,
            g.pace if judged else None,
            sum(m.warning in WARNED for m in members),
            sum(late.get(i, 0) for i in ids),
            sum(missing.get(i, 0) for i in ids),
        )

    members = list(results.reps.values())
    # each rep looked up once: 5,000 reps in 500 teams are not 2.5 million comparisons
    in_team: dict[tuple[str | None, str | None], list[Totals]] = {}
    in_region: dict[str | None, list[Totals]] = {}
    for m in members:
        in_team.setdefault((m.region, m.team), []).append(m)
        in_region.setdefault(m.region, []).append(m)
    groups = {COMPANY: group(results.company, members, None)}
    for t in results.teams:
        groups[team_key(t.region, t.team)] = group(t, in_team.get((t.region, t.team), []), t.region)
    for g in results.regions:
        groups[region_key(g.region)] = group(g, in_region.get(g.region, []), g.region)
    return MonthFigures(results.period, results.as_of, reps, groups)


def change(metric: str, now: float | None, before: float | None) -> float | None:
    """环比/同比: an amount's relative change, a rate's or count's difference."""
    if now is None or before is None:
        return None
    if METRICS[metric][2] == "money":
        return (now - before) / before if before else None
    return now - before


@dataclass(slots=True)
class Trends:
    current: MonthFigures
    months: list[MonthFigures] = field(default_factory=list)  # before, oldest first
    same_point: MonthFigures | None = None  # last month as of the same workday (环比)
    year_ago: MonthFigures | None = None  # this month a year ago, same workday (同比)
    span: int = 6  # months shown, this one included

    @property
    def last(self) -> MonthFigures | None:
        """Last month as a whole, when the store has it."""
        if self.months and self.months[-1].period == self.current.period.shift(-1):
            return self.months[-1]
        return None

    def rep_columns(self, rep: str) -> list[Any]:
        """By rep: last month's completion, pace vs last month, months warned in a row."""
        now = self.current.reps.get(rep)
        last = self.last.reps.get(rep) if self.last else None
        completion = last.completion if last else None
        pace = None
        if now is not None and last is not None and now.pace is not None:
            pace = change("pace", now.pace, last.pace)
        streak: int | None = None
        if now is not None and now.warning is not None:
            streak = 0
            if now.warning in WARNED:
                streak = 1
                by_period = {m.period: m for m in self.months}
                month = self.current.period.shift(-1)
                while month in by_period:
                    before = by_period[month].reps.get(rep)
                    if before is None or before.warning not in WARNED:
                        break
                    streak += 1
                    month = month.shift(-1)
        return [completion, pace, streak]

    def focus(self, group: str, teams: Collection[str]) -> Trends:
        """A pack's trends: `group`'s figures as its total, its `teams` as its teams."""

        def narrow(m: MonthFigures | None) -> MonthFigures | None:
            if m is None:
                return None
            groups = {k: g for k, g in m.groups.items() if k in teams}
            if group in m.groups:
                groups[COMPANY] = m.groups[group]
            return MonthFigures(m.period, m.as_of, m.reps, groups)

        current = narrow(self.current)
        assert current is not None
        months = [n for n in map(narrow, self.months) if n is not None]
        return Trends(current, months, narrow(self.same_point), narrow(self.year_ago), self.span)


REP_COLUMNS = [
    ColumnSpec("last_completion", "上月完成率", "Last month's completion", "percent"),
    ColumnSpec("pace_change", "进度较上月", "Pace vs last month", "ratio"),
    ColumnSpec("warning_months", "连续预警（月）", "Months warned in a row", "int"),
]


def trend_sheet(trends: Trends) -> SheetData:
    """趋势 Trend: per metric, the company (or a pack's total) and each team, the last
    `span` months (this one to date), 环比 against last month at the same point and
    同比 against this month a year ago."""
    current = trends.current
    periods = [current.period.shift(-i) for i in range(trends.span - 1, -1, -1)]
    by_period = {m.period: m for m in trends.months}
    by_period[current.period] = current
    month_columns = [
        ColumnSpec(f"m_{p}", str(p), str(p), "mixed")
        if p != current.period
        else ColumnSpec(
            f"m_{p}", f"{p}（至{current.as_of:%m-%d}）", f"{p} (to {current.as_of:%m-%d})", "mixed"
        )
        for p in periods
    ]
    columns = [
        ColumnSpec("metric", "指标", "Metric", "metric"),
        ColumnSpec("group", "团队", "Team"),
        ColumnSpec("region", "区域", "Region"),
        *month_columns,
        ColumnSpec("mom", "环比（同期）", "vs last month (same point)", "mixed"),
        ColumnSpec("yoy", "同比（同期）", "vs a year ago (same point)", "mixed"),
    ]
    teams = sorted(
        (k for k in current.groups if k.startswith("team:")),
        key=lambda k: (current.groups[k].region or "", current.groups[k].name),
    )
    keys = [COMPANY, *teams]
    rows: list[list[Any]] = []
    kinds: list[str] = []
    for metric, (_, _, kind) in METRICS.items():
        for key in keys:
            g = current.groups[key]
            values = [
                by_period[p].groups[key].value(metric)
                if p in by_period and key in by_period[p].groups
                else None
                for p in periods
            ]
            point = trends.same_point.groups.get(key) if trends.same_point else None
            ago = trends.year_ago.groups.get(key) if trends.year_ago else None
            rows.append(
                [
                    metric,
                    "合计 Total" if key == COMPANY else g.name,
                    g.region,
                    *values,
                    change(metric, g.value(metric), point.value(metric) if point else None),
                    change(metric, g.value(metric), ago.value(metric) if ago else None),
                ]
            )
            kinds.append(kind)
    return SheetData("trend", "趋势", "Trend", columns, rows, row_kinds=kinds)
