"""From what consolidation computed (`Results`) to the summary's tables, for all reps or some.

`summarise(results)` is the company's summary.  `summarise(results,
only=reps)` is a leader's pack: every table keeps only those reps' rows
(plans, day closes, customers, submissions, the chase list, the issues of
their files, the Details rows); their teams' and regions' rows keep their
company-wide rank as context, and the total row is theirs.  A customer
conflict with a rep outside the pack names that rep as "another team".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace

from salesxl.consolidate import sheets
from salesxl.consolidate.chase import ChaseWindow, chase_list, chase_sheet
from salesxl.consolidate.customers import Conflict
from salesxl.consolidate.digest import DayActivity
from salesxl.consolidate.kpis import Totals, roll_up
from salesxl.consolidate.model import (
    OTHER_TEAM,
    TARGET_SOURCES,
    TOTAL,
    Bilingual,
    ColumnSpec,
    Headline,
    SheetData,
    Summary,
    WarningLevel,
)
from salesxl.consolidate.results import Results
from salesxl.consolidate.standing import RepStatus
from salesxl.consolidate.submissions import SubmissionStatus
from salesxl.consolidate.tiers import tiers_sheet
from salesxl.consolidate.trends import Trends, trend_sheet
from salesxl.core.calendar import Workdays
from salesxl.core.issues import Severity
from salesxl.core.people import Rep
from salesxl.core.periods import Month

__all__ = ["OTHER_TEAM", "daily_sales", "summarise"]


def summarise(
    results: Results, *, only: Collection[str] | None = None, trends: Trends | None = None
) -> Summary:
    """The summary's tables from `results`: every rep's, or those in `only` (a pack);
    with `trends` (for a pack: `Trends.focus` on it), the 趋势 Trend sheet too."""
    r = results

    def keep(rep: str | None) -> bool:
        return only is None or rep in only

    reps = {k: t for k, t in r.reps.items() if keep(k)}
    members = list(reps.values())
    people = {k: p for k, p in r.people.items() if keep(k)}
    if only is None:
        teams, regions, company = r.teams, r.regions, r.company
    else:  # whole teams (and regions) are in a pack: their rows and ranks are as computed
        mine = {(t.region, t.team) for t in members}
        teams = [t for t in r.teams if (t.region, t.team) in mine]
        regions = [g for g in r.regions if g.region in {t.region for t in members}]
        company = (
            roll_up(members, "company", r.thresholds)[0] if members else Totals("company", TOTAL)
        )
    submitted = [s for s in r.submitted if keep(s.rep)]
    issues = [i for i in r.issues if only is None or r.files.get(i.file) in only]
    out = [sheets.by_rep_sheet(members, trends)]
    tier_sheet = tiers_sheet(members, r.tiers)  # a pack's: its reps' tiers only
    if tier_sheet is not None:
        out.append(tier_sheet)
    out.append(sheets.by_group_sheet("by_team", teams, company))
    if only is None or _whole_regions(r, regions, reps):  # not a team's part of a region
        out.append(sheets.by_group_sheet("by_region", regions, company))
    if trends is not None:
        out.append(trend_sheet(trends))
    out += [
        sheets.funnel_sheet(members, company),
        sheets.plan_sheet([p for p in r.plans if keep(p.rep)], people),
        sheets.day_close_sheet([c for c in r.closes if keep(c.rep)], people),
        sheets.customers_sheet(
            r.lapses if only is None else [lapse for lapse in r.lapses if lapse.rep in only],
            _conflicts(r.conflicts, only),
            people,
        ),
        sheets.submissions_sheet(submitted, people),
        chase_sheet(
            chase_list(
                {r.period: submitted},
                people,
                as_of=r.as_of,
                window=ChaseWindow((r.period,)),
                roster=r.roster,
            )
        ),
        sheets.issues_sheet(issues),
    ]
    if r.details:
        tables = [t for t in r.tables if keep(t[0])]
        out.append(sheets.details_sheet(tables, people, r.period))
    statuses = [s.status for s in submitted]
    has_target = company.target is not None
    headline = Headline(
        period=r.period,
        as_of=r.as_of,
        reps=len(people),
        amount=company.amount,
        target=company.prorated_target,
        completion=company.completion if has_target else None,
        pace=company.pace if has_target else None,
        errors=sum(i.severity is Severity.ERROR for i in issues),
        warnings=sum(i.severity is Severity.WARNING for i in issues),
        late=statuses.count(SubmissionStatus.LATE),
        missing=statuses.count(SubmissionStatus.MISSING),
        month_target=company.target,
        targets_from=r.targets_from,
        workday_share=_workday_share(r),
    )
    overview = _overview(headline, company, members, statuses)
    trend = daily_sales(
        {k: d for k, d in r.days.items() if keep(k)}, people, members, r.period, r.as_of, r.workdays
    )
    return Summary(
        headline, [overview, *out], issues, trend, submitted, r if only is None else None, trends
    )


def _workday_share(r: Results) -> float | None:
    days = r.workdays.workdays_in(r.period)
    return sum(day <= r.as_of for day in days) / len(days) if days else None


def _whole_regions(r: Results, regions: Sequence[Totals], reps: Mapping[str, Totals]) -> bool:
    """The pack holds every rep of its regions (a region's pack): their rows are theirs."""
    return all(t.key in reps for t in r.reps.values() if t.region in {g.region for g in regions})


def _conflicts(conflicts: Sequence[Conflict], only: Collection[str] | None) -> list[Conflict]:
    """A pack's conflicts: those with one of its reps; a rep outside it is not named."""
    if only is None:
        return list(conflicts)
    out = []
    for c in conflicts:
        if c.owner not in only and c.other not in only:
            continue

        def shown(rep: str | None) -> str | None:
            return rep if rep is None or rep in only else OTHER_TEAM

        out.append(
            replace(
                c,
                owner=shown(c.owner) or OTHER_TEAM,
                other=shown(c.other) or OTHER_TEAM,
                deal_owner=shown(c.deal_owner),
            )
        )
    return out


def _overview(
    h: Headline, company: Totals, reps: Sequence[Totals], statuses: Sequence[str]
) -> SheetData:
    levels = [t.warning for t in reps]
    standing = [t.standing.status for t in reps if t.standing is not None]
    source = TARGET_SOURCES.get(h.targets_from or "", ("无", "None"))
    rows: list[tuple[str, str, object, str]] = [
        ("期间", "Period", str(h.period), "text"),
        ("截至", "As of", h.as_of, "date"),
        ("销售员", "Reps", h.reps, "int"),
        ("新入职", "Joined this month", standing.count(RepStatus.JOINED), "int"),
        ("离职", "Left this month", standing.count(RepStatus.LEFT), "int"),
        ("无数据", "No data", standing.count(RepStatus.NO_DATA), "int"),
        ("已拒收", "Refused (provisional)", standing.count(RepStatus.REFUSED), "int"),
        ("联系", "Contacts", company.contacts, "int"),
        ("成交", "Deals", company.deals, "int"),
        ("金额", "Amount", h.amount, "money"),
        ("目标来源", "Targets from", Bilingual(*source), "text"),
        ("月度目标", "Month target", h.month_target, "money"),
        ("折算目标", "Pro-rated target", h.target, "money"),
        ("有目标销售员", "Reps with target", company.targeted_reps, "int"),
        ("完成率", "Completion", h.completion, "percent"),
        ("进度目标", "MTD target", company.paced_target, "money"),
        ("进度指数", "Pace index", h.pace, "ratio"),
        ("正常", "OK", levels.count(WarningLevel.OK), "int"),
        ("口头预警", "Oral warnings", levels.count(WarningLevel.ORAL), "int"),
        ("书面预警", "Written warnings", levels.count(WarningLevel.WRITTEN), "int"),
        ("按时提交", "On time", statuses.count(SubmissionStatus.ON_TIME), "int"),
        ("迟交", "Late", statuses.count(SubmissionStatus.LATE), "int"),
        ("缺交", "Missing", h.missing, "int"),
        ("错误", "Errors", h.errors, "int"),
        ("警告", "Warnings", h.warnings, "int"),
    ]
    return SheetData(
        "overview",
        "总览",
        "Overview",
        [
            ColumnSpec("metric_zh", "指标", "Metric"),
            ColumnSpec("metric_en", "Metric", "Metric"),
            ColumnSpec("value", "值", "Value", "mixed"),
        ],
        [[zh, en, value] for zh, en, value, _ in rows],
        row_kinds=[kind for *_, kind in rows],
    )


def daily_sales(
    days: Mapping[str, Mapping[dt.date, DayActivity]],
    people: Mapping[str, Rep],
    reps: Sequence[Totals],
    period: Month,
    as_of: dt.date,
    workdays: Workdays,
) -> SheetData:
    """Each workday up to as-of (and any other day with activity): the amount closed, the
    amount so far, and the target due by then at workday pace (each rep's month target
    spread over the month's workdays, counting only the days the rep was employed)."""
    month_days = workdays.workdays_in(period)
    active = {d for mine in days.values() for d, a in mine.items() if a.contacts or a.closed}
    shown = [d for d in period.days() if d <= as_of and (d in month_days or d in active)]
    amounts = dict.fromkeys(shown, 0.0)
    contacts = dict.fromkeys(shown, 0)
    for mine in days.values():
        for day, activity in mine.items():
            if day in amounts:
                amounts[day] += activity.closed
                contacts[day] += activity.contacts
    targeted = [(people[t.key], t.target) for t in reps if t.target is not None and t.key in people]
    due = dict.fromkeys(shown, 0.0)
    if month_days:
        for rep, target in targeted:
            share = target / len(month_days)
            so_far = 0.0
            for day in shown:
                if day in month_days and rep.active_on(day):
                    so_far += share
                due[day] += so_far
    rows = []
    total = 0.0
    for day in shown:
        total += amounts[day]
        rows.append([day, amounts[day], contacts[day], total, due[day] if targeted else None])
    return SheetData(
        "daily_trend",
        "每日成交",
        "Daily sales",
        [
            ColumnSpec("date", "日期", "Date", "date"),
            ColumnSpec("amount", "成交金额", "Amount", "money"),
            ColumnSpec("contacts", "联系", "Contacts", "int"),
            ColumnSpec("cumulative", "累计金额", "So far", "money"),
            ColumnSpec("target_line", "进度目标", "Target to date", "money"),
        ],
        rows,
    )
