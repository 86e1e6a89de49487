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
from typing import Any

from salesxl.consolidate.assemble import summarise
from salesxl.consolidate.customers import FOLLOW_UP_DAYS, build_customer_book
from salesxl.consolidate.details import DetailsSpool
from salesxl.consolidate.digest import digester
from salesxl.consolidate.inputs import collect
from salesxl.consolidate.kpis import Totals, rep_totals, roll_up
from salesxl.consolidate.model import (
    TARGET_SOURCES,
    TOTAL,
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
from salesxl.consolidate.standing import pace_shares, standings
from salesxl.consolidate.submissions import (
    STATUS_LABELS,
    judged_at,
    submission_rows,
)
from salesxl.core.calendar import Workdays
from salesxl.core.errors import SalesxlError
from salesxl.core.issues import Issue
from salesxl.core.people import Rep, Roster
from salesxl.core.perf import keep_to_exit, paused_gc
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
    "consolidate_results",
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
    coming_due: bool = False,
) -> Summary:
    """Combine the forms of `period` into every table of the summary, plus all issues.

    `targets` (rep ID -> month target) come from `targets_from` (a key of
    TARGET_SOURCES); without them the forms' month targets are used.
    `refused`: rep files the store refused, with their error count and when
    (their figures are shown as provisional).  `tiers` maps stretch and
    challenge to rep ID -> month target: a 档位 Tiers sheet shows completion
    against each (warnings stay keyed to `targets`).  `coming_due` also works out
    the 7-day windows still open (`Results.coming_due`, the scorecards' to-do
    lists; the summary itself shows none).  Raises AsOfError when `as_of` is
    before `period`.
    """
    results = consolidate_results(
        forms,
        period=period,
        roster=roster,
        targets=targets,
        as_of=as_of,
        thresholds=thresholds,
        workdays=workdays,
        first_seen=first_seen,
        day_first_seen=day_first_seen,
        history=history,
        extra_issues=extra_issues,
        details=details,
        targets_from=targets_from,
        refused=refused,
        tiers=tiers,
        coming_due=coming_due,
    )
    with paused_gc():
        return summarise(results)


def consolidate_results(
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
    coming_due: bool = False,
) -> Results:
    """What `consolidate` computes, before it becomes tables (`assemble.summarise`)."""
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
            coming_due,
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
    coming_due: bool,
) -> Results:
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
    reps = rep_totals(
        data.reps,
        data.digests,
        new_customers,
        book.one_phone,
        chosen.targets,
        standing,
        thresholds,
        book.graded_before(period.first_day),
    )
    members = list(reps.values())
    company = roll_up(members, "company", thresholds)[0] if members else Totals("company", TOTAL)
    month_days = workdays.workdays_in(period)
    now = judged_at(as_of)  # deadlines and days under way are judged at this moment
    # The windows still open are a third more to work out (a cold-calling month: 85,000 of
    # 270,000), and only the scorecards show them.
    keep_to_exit(book)  # 200,000 customers' trails, when the process ends after this
    lapses, coming = book.lapses_and_coming_due(
        as_of, period.first_day, FOLLOW_UP_DAYS if coming_due else 0
    )
    return Results(
        period=period,
        as_of=as_of,
        thresholds=thresholds,
        workdays=workdays,
        reps=reps,
        teams=roll_up(members, "team", thresholds),
        regions=roll_up(members, "region", thresholds),
        company=company,
        people=data.reps,
        days=data.days,
        plans=plan_vs_actual(
            data.plans, data.days, period, data.reps, {rep for rep, _ in data.digests}
        ),
        closes=forecast_accuracy(
            data.day_closes,
            data.days,
            workdays,
            as_of,
            period,
            data.reps,
            now,
            {rep: d.days for rep, d in data.digests},
        ),
        lapses=lapses,
        coming_due=coming if coming_due else None,
        conflicts=book.conflicts(),
        submitted=submission_rows(
            data.reps, data.submissions, data.unknown_rep_files, period, now, workdays
        ),
        issues=issues,
        files={s.path: s.rep_id for s in [*data.submissions, *data.unknown_rep_files]},
        tables=data.tables,
        details=details,
        targets_from=chosen.source,
        roster=roster is not None,
        pace_lines=_pace_lines(data.reps, period, month_days),
        tiers=tiers,
    )


def _pace_lines(
    reps: Mapping[str, Rep], period: Month, month_days: Sequence[dt.date]
) -> dict[str, dict[dt.date, float]]:
    """Each rep's pace line; reps employed alike share one (read-only) line: 5,000 reps are
    a few lines, not 150,000 days worked out again in each month a summary consolidates."""
    lines: dict[tuple[Any, ...], dict[dt.date, float]] = {}
    out = {}
    for rep_id, rep in reps.items():
        alike = (rep.hire_date, rep.leave_date, rep.status)
        line = lines.get(alike)
        if line is None:
            line = lines[alike] = pace_shares(rep, period, month_days)
        out[rep_id] = line
    return out


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
    column_map: Mapping[str, str] | None = None,
    saved_times: bool = True,
    coming_due: bool = False,
) -> Summary:
    """Read every form under `paths`, then `consolidate` them.

    `workdays` overrides the China calendar (a workdays sheet, or a Workdays);
    `column_map` (field key -> header) reads columns no synonym knows.
    Without `saved_times` a file's lateness is judged by its own time only,
    not by the save time recorded inside it (which anyone can set).
    `coming_due`: as `consolidate`'s.
    """
    as_of = as_of or dt.date.today()
    check_as_of(period, as_of)  # before any file is read
    calendar = workday_calendar(workdays, as_of)
    month_targets, tiers = read_targets(targets, period) if targets is not None else (None, None)
    # The Details rows wait on disk until the summary is written (details.py): the spool
    # goes with the summary, or now if anything fails.
    spool = DetailsSpool() if details else None
    try:
        inbox = read_inbox(
            paths,
            roster=roster,
            period=period,
            today=as_of,
            workers=workers,
            progress=progress,
            prepare=digester(period, as_of, keep_rows=details, spool=spool.path if spool else None),
            column_map=column_map,
            saved_times=saved_times,
        )
        extra = [i for i in inbox.roster.issues if i.is_error] if inbox.roster else []
        empty = inbox.no_forms(rep_forms=True)  # an empty inbox is said, not a quiet "0 reps"
        extra += [empty] if empty is not None else []
        summary = consolidate(
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
            coming_due=coming_due,
        )
    except BaseException:
        if spool is not None:
            spool.close()
        raise
    if spool is not None and summary.results is not None:
        summary.results.details_spool = spool
    keep_to_exit(inbox)  # a cold-calling month's digests, when the process ends after this
    return summary


def read_targets(path: Path, period: Month) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """From a targets workbook (`salesxl targets split` output), read once: rep ID -> month
    target, and stretch / challenge -> rep ID -> that tier's month target (empty without)."""
    found = read_month_tiers(Path(path), period)
    return found[Role.TARGET], {str(t): found[t] for t in (Role.STRETCH, Role.CHALLENGE)}
