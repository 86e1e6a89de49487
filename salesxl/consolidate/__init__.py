"""Consolidation: from every rep's forms to the manager's summary (README.md "For managers").

`consolidate` is pure — forms in, `Summary` out — and is what the CLI, the
Excel button and the store all call; `consolidate_inbox` reads a folder
first.  Writing the workbook is `salesxl.consolidate.workbook.write_summary`.
Reps who join or leave during the month are judged on the workdays they were
employed (standing.py); the month targets are the targets file's, else the
forms' (month_targets.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path

from salesxl.consolidate import sheets
from salesxl.consolidate.customers import build_customer_book
from salesxl.consolidate.digest import DayActivity, digester
from salesxl.consolidate.inputs import collect
from salesxl.consolidate.kpis import Totals, rep_totals, roll_up
from salesxl.consolidate.model import (
    TARGET_SOURCES,
    WARNING_LABELS,
    ColumnSpec,
    Headline,
    SheetData,
    Summary,
    Thresholds,
    WarningLevel,
    warning_level,
)
from salesxl.consolidate.month_targets import month_targets
from salesxl.consolidate.plans import forecast_accuracy, plan_vs_actual
from salesxl.consolidate.results import Results
from salesxl.consolidate.standing import RepStatus, pace_shares, standings
from salesxl.consolidate.submissions import STATUS_LABELS, SubmissionStatus, submission_rows
from salesxl.consolidate.tiers import tiers_sheet
from salesxl.core.calendar import Workdays
from salesxl.core.errors import SalesxlError
from salesxl.core.issues import Issue, Severity
from salesxl.core.people import Roster
from salesxl.core.perf import paused_gc
from salesxl.core.periods import Month
from salesxl.forms import FormId, Role
from salesxl.intake.inbox import ProgressFactory, read_inbox
from salesxl.intake.workdays import read_workdays
from salesxl.targets import TargetsError, read_month_tiers
from salesxl.validate import FormData

__all__ = [
    "STATUS_LABELS",
    "TARGET_SOURCES",
    "WARNING_LABELS",
    "AsOfError",
    "ColumnSpec",
    "Headline",
    "Results",
    "SheetData",
    "Summary",
    "TargetsError",
    "Thresholds",
    "WarningLevel",
    "check_as_of",
    "consolidate",
    "consolidate_inbox",
    "read_targets",
    "warning_level",
    "workday_calendar",
]


class AsOfError(SalesxlError, ValueError):
    """An as-of date before the month it judges: every day of it would be 'in the future'."""

    usage = True  # the as-of date given cannot be used
    exit_code = 2  # even when it is today's date: the period or the date must change

    def __init__(self, period: Month, as_of: dt.date) -> None:
        super().__init__(
            f"截至日期 {as_of} 在期间 {period} 开始（{period.first_day}）之前。",
            f"the as-of date {as_of} is before the month {period} begins ({period.first_day})",
            hint_zh=f"请给出 {period.first_day} 或之后的日期，或换一个期间",
            hint_en=f"give {period.first_day} or later, or another period",
            setting="as_of",
        )


def check_as_of(period: Month, as_of: dt.date) -> None:
    """Raise AsOfError when `as_of` is before `period`: nothing of the month is due yet."""
    if as_of < period.first_day:
        raise AsOfError(period, as_of)


def _now(as_of: dt.date) -> dt.datetime:
    """The moment deadlines are judged at: now on today, the end of the day otherwise."""
    now = dt.datetime.now()
    return now if as_of == now.date() else dt.datetime.combine(as_of, dt.time(23, 59, 59))


def consolidate(
    forms: Sequence[FormData],
    *,
    period: Month,
    roster: Roster | None = None,
    targets: Mapping[str, float] | None = None,
    as_of: dt.date | None = None,
    thresholds: Thresholds = Thresholds(),  # noqa: B008 - frozen value object
    workdays: Workdays | None = None,
    first_seen: Mapping[str, dt.datetime] | None = None,
    day_first_seen: Mapping[tuple[str, dt.date], dt.datetime] | None = None,
    history: Sequence[FormData] = (),
    extra_issues: Sequence[Issue] = (),
    details: bool = False,
    targets_from: str = "file",
    refused: Sequence[tuple[FormData, int, dt.datetime | None]] = (),
    tiers: Mapping[str, Mapping[str, float]] | None = None,
) -> Summary:
    """Combine the forms of `period` into every table of the summary, plus all issues.

    `targets` (rep ID -> month target) come from `targets_from` (a key of
    TARGET_SOURCES); without them the forms' month targets are used.
    `refused`: rep files the store refused, with their error count and when
    (their figures are shown as provisional).  `tiers` maps stretch and
    challenge to rep ID -> month target: a 档位 Tiers sheet shows completion
    against each (warnings stay keyed to `targets`).  Raises AsOfError when
    `as_of` is before `period`.
    """
    as_of = as_of or dt.date.today()
    check_as_of(period, as_of)
    with paused_gc():
        return _consolidate(
            forms,
            period,
            roster,
            targets,
            as_of,
            thresholds,
            workdays or Workdays(),
            first_seen,
            day_first_seen,
            history,
            extra_issues,
            details,
            targets_from,
            refused,
            tiers or {},
        )


def _consolidate(
    forms: Sequence[FormData],
    period: Month,
    roster: Roster | None,
    targets: Mapping[str, float] | None,
    as_of: dt.date,
    thresholds: Thresholds,
    workdays: Workdays,
    first_seen: Mapping[str, dt.datetime] | None,
    day_first_seen: Mapping[tuple[str, dt.date], dt.datetime] | None,
    history: Sequence[FormData],
    extra_issues: Sequence[Issue],
    details: bool,
    targets_from: str,
    refused: Sequence[tuple[FormData, int, dt.datetime | None]],
    tiers: Mapping[str, Mapping[str, float]],
) -> Summary:
    data = collect(forms, period, as_of, roster, first_seen or {}, history, day_first_seen, refused)
    chosen = month_targets(targets, data.form_targets, targets_from)
    issues = [
        *(i for f in forms for i in f.issues),
        *data.issues,
        *chosen.issues,
        *extra_issues,
    ]

    current = [(rep, t) for rep, d in data.digests for t in d.trails]
    book = build_customer_book([*data.history, *current])
    new_customers = book.new_customers(period.first_day, min(period.last_day, as_of))
    reporting = {s.rep_id for s in data.submissions if s.form_id == FormId.DAILY_REPORT}
    standing = standings(data.reps, period, as_of, workdays, reporting, data.refused)
    reps = rep_totals(data.reps, data.digests, new_customers, chosen.targets, standing, thresholds)
    members = list(reps.values())
    teams = roll_up(members, "team", thresholds)
    regions = roll_up(members, "region", thresholds)
    company = (
        roll_up(members, "company", thresholds)[0] if members else Totals("company", "合计 Total")
    )

    submitted = submission_rows(
        data.reps, data.submissions, data.unknown_rep_files, period, _now(as_of), workdays
    )
    plans = plan_vs_actual(data.plans, data.days)
    closes = forecast_accuracy(data.day_closes, data.days, workdays, as_of)
    lapses, conflicts = book.lapses(as_of, period.first_day), book.conflicts()
    out = [
        sheets.by_rep_sheet(reps.values()),
        sheets.by_group_sheet("by_team", teams, company),
        sheets.by_group_sheet("by_region", regions, company),
        sheets.funnel_sheet(list(reps.values()), company),
        sheets.plan_sheet(plans, data.reps),
        sheets.day_close_sheet(closes, data.reps),
        sheets.customers_sheet(lapses, conflicts, data.reps),
        sheets.submissions_sheet(submitted, data.reps),
        sheets.issues_sheet(issues),
    ]
    tier_sheet = tiers_sheet(reps.values(), tiers)
    if tier_sheet is not None:
        out.insert(1, tier_sheet)
    if details:
        out.append(sheets.details_sheet(data.tables, data.reps, period))
    statuses = [r.status for r in submitted]
    has_target = company.target is not None
    headline = Headline(
        period=period,
        as_of=as_of,
        reps=len(data.reps),
        amount=company.amount,
        target=company.prorated_target,
        completion=company.completion if has_target else None,
        pace=company.pace if has_target else None,
        errors=sum(i.severity is Severity.ERROR for i in issues),
        warnings=sum(i.severity is Severity.WARNING for i in issues),
        late=statuses.count(SubmissionStatus.LATE),
        missing=statuses.count(SubmissionStatus.MISSING),
        month_target=company.target,
        targets_from=chosen.source,
    )
    overview = _overview(headline, company, list(reps.values()), statuses)
    trend = _daily_trend(data.days, period, as_of)
    month_days = workdays.workdays_in(period)
    results = Results(
        reps,
        company,
        data.reps,
        data.days,
        plans,
        closes,
        lapses,
        book.coming_due(as_of),
        conflicts,
        {rep_id: pace_shares(rep, period, month_days) for rep_id, rep in data.reps.items()},
    )
    return Summary(headline, [overview, *out], issues, trend, submitted, results)


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
        ("目标来源", "Targets from", f"{source[0]} {source[1]}", "text"),
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
    sheet = SheetData(
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
    return sheet


def _daily_trend(
    days: Mapping[str, Mapping[dt.date, DayActivity]], period: Month, as_of: dt.date
) -> SheetData:
    amounts = dict.fromkeys((d for d in period.days() if d <= as_of), 0.0)
    contacts = dict.fromkeys(amounts, 0)
    for mine in days.values():
        for day, activity in mine.items():
            if day in amounts:
                amounts[day] += activity.closed
                contacts[day] += activity.contacts
    return SheetData(
        "daily_trend",
        "每日成交",
        "Daily sales",
        [
            ColumnSpec("date", "日期", "Date", "date"),
            ColumnSpec("amount", "成交金额", "Amount", "money"),
            ColumnSpec("contacts", "联系", "Contacts", "int"),
        ],
        [[d, amounts[d], contacts[d]] for d in amounts],
    )


def workday_calendar(workdays: Path | Workdays | None, as_of: dt.date) -> Workdays:
    """The workday calendar: a workdays sheet, a Workdays, or China's built-in one."""
    calendar = read_workdays(workdays) if isinstance(workdays, Path) else workdays or Workdays()
    calendar.is_workday(as_of)  # a year the calendar does not cover fails here, before reading
    return calendar


def consolidate_inbox(
    paths: Sequence[Path],
    *,
    period: Month,
    roster: Path | None = None,
    targets: Path | None = None,
    as_of: dt.date | None = None,
    thresholds: Thresholds = Thresholds(),  # noqa: B008 - frozen value object
    workers: int | None = None,
    progress: ProgressFactory | None = None,
    details: bool = False,
    workdays: Path | Workdays | None = None,
    saved_times: bool = True,
) -> Summary:
    """Read every form under `paths`, then `consolidate` them.

    `workdays` overrides the China calendar (a workdays sheet, or a Workdays).
    Without `saved_times` a file's lateness is judged by its own time only,
    not by the save time recorded inside it (which anyone can set).
    """
    as_of = as_of or dt.date.today()
    check_as_of(period, as_of)  # before any file is read
    calendar = workday_calendar(workdays, as_of)
    month_targets, tiers = read_targets(targets, period) if targets is not None else (None, None)
    inbox = read_inbox(
        paths,
        roster=roster,
        period=period,
        today=as_of,
        workers=workers,
        progress=progress,
        prepare=digester(period, as_of, keep_rows=details),
        saved_times=saved_times,
    )
    extra = [i for i in inbox.roster.issues if i.is_error] if inbox.roster else []
    return consolidate(
        inbox.forms,
        period=period,
        roster=inbox.roster,
        targets=month_targets,
        as_of=as_of,
        thresholds=thresholds,
        workdays=calendar,
        extra_issues=[*extra, *inbox.notes],
        details=details,
        tiers=tiers,
    )


def read_targets(path: Path, period: Month) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """From a targets workbook (`salesxl targets split` output), read once: rep ID -> month
    target, and stretch / challenge -> rep ID -> that tier's month target (empty without)."""
    found = read_month_tiers(Path(path), period)
    return found[Role.TARGET], {str(t): found[t] for t in (Role.STRETCH, Role.CHALLENGE)}
