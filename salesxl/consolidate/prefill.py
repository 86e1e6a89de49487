"""Next week's plan, filled in from what the rep already wrote in the daily reports.

For a weekly plan of week W, the week before it (L) is summarised from the
rep's daily rows of L — contacts, visits, new customers, stage moves, deals,
amount — counted by the same rules as the summary: each figure is the
difference of two daily-report digests (at the end of L and just before it),
so a week's amount is the Plan vs actual sheet's actual amount (for a week
cut by a month's end, the two months' rows together).  W's plan is
seeded with the customers whose 7-day window (phone lead not visited, A/B or
walk-in not followed up) runs out from L's Monday to W's Sunday, and the
A-grade customers with an open stage and no next follow-up ahead.

The result is plain rows of the weekly plan's tables, with a note of where
each figure came from; `salesxl.write.issued` writes them, editable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from salesxl.consolidate.customers import build_customer_book
from salesxl.consolidate.digest import DailyDigest, Trail, digest_daily, merge_trails
from salesxl.core.periods import Month, Week
from salesxl.forms import FormId, Role
from salesxl.forms.choices import CLOSED_WON, GRADES, LOST, STAGE_ORDER
from salesxl.validate import FormData

__all__ = ["LastWeek", "PlanSeed", "WeekPrefill", "weekly_prefill"]

_RANK = {stage: i for i, stage in enumerate(STAGE_ORDER)}
TOP_GRADE = GRADES.choices[0].code  # A 热: the hottest prospects
_SEED_REASON = {
    "phone_no_visit": ("电话客户 7 天内需上门", "phone lead: visit within 7 days"),
    "no_follow_up": ("7 天内需跟进", "follow up within 7 days"),
    "no_next_step": ("A 类客户，尚无下次跟进", "A-grade customer with no next step"),
}


@dataclass(frozen=True, slots=True)
class LastWeek:
    """The week before the plan's week, from the rep's daily rows."""

    week: Week
    contacts: int
    visits: int
    new_customers: int
    stage_moves: int  # customers known before the week whose furthest stage rose in it
    deals: int
    amount: float
    days: tuple[dt.date, ...]  # the days with daily rows

    def rows(self) -> list[dict[str, Any]]:
        """The 上周总结 Last week table's rows: where the figures come from, then one a row."""
        first, last = self.week.monday, self.week.sunday
        source = (
            f"以下据日报 {first:%m-%d} 至 {last:%m-%d} 的 {self.contacts} 行填写，可修改 / "
            f"From your daily report rows of {first:%m-%d}–{last:%m-%d} ({self.contacts}); "
            "edit as needed"
        )
        figures = (
            ("联系客户", "Contacts", f"{self.contacts}"),
            ("拜访来访", "Visits", f"{self.visits}"),
            ("新客户", "New customers", f"{self.new_customers}"),
            ("阶段推进", "Stage moves", f"{self.stage_moves}"),
            ("成交", "Deals", f"{self.deals}"),
            ("成交金额", "Amount", f"¥{self.amount:,.2f}"),
        )
        rows: list[dict[str, Any]] = [{Role.SUMMARY: source}]
        return rows + [{Role.SUMMARY: f"{zh} {en}: {value}"} for zh, en, value in figures]


@dataclass(frozen=True, slots=True)
class PlanSeed:
    """A customer put on the plan: due under the 7-day rules, or A-grade with no next step."""

    customer: str
    grade: str | None
    reason: str  # phone_no_visit | no_follow_up | no_next_step
    last_contact: dt.date
    due: dt.date | None  # the last day of the 7-day window
    next_stage: str | None  # the stage after the furthest reached (the visit's purpose)

    def row(self, week: Week) -> dict[str, Any]:
        """A row of the 计划 Plan table: planned for the due day (within the week)."""
        day = week.monday
        if self.due is not None and self.due > day:
            day = min(self.due, week.sunday)
        zh, en = _SEED_REASON[self.reason]
        when = f"，{self.due:%m-%d} 到期" if self.due else ""
        when_en = f", due {self.due:%m-%d}" if self.due else ""
        return {
            Role.DATE: day,
            Role.CUSTOMER: self.customer,
            Role.GRADE: self.grade,
            Role.PURPOSE: self.next_stage,
            Role.OUTCOME: f"{zh}（最近联系 {self.last_contact:%m-%d}{when}）/ {en} "
            f"(last contact {self.last_contact:%m-%d}{when_en})",
        }


@dataclass(slots=True)
class WeekPrefill:
    rep: str
    week: Week
    last_week: LastWeek | None  # None: no daily rows of that week were given
    seeds: list[PlanSeed] = field(default_factory=list)

    @property
    def plan_rows(self) -> list[dict[str, Any]]:
        return [seed.row(self.week) for seed in self.seeds]

    @property
    def last_week_rows(self) -> list[dict[str, Any]]:
        return self.last_week.rows() if self.last_week is not None else []


def weekly_prefill(
    forms: Iterable[FormData], weeks: Sequence[Week]
) -> dict[tuple[str, Week], WeekPrefill]:
    """(rep, week) -> what each rep's weekly plan of each week is filled in with, from the
    daily reports among `forms` (any months; the newest file of a rep-month counts)."""
    reports = _daily_reports(forms)
    out: dict[tuple[str, Week], WeekPrefill] = {}
    for week in weeks:
        before = Week.of(week.monday - dt.timedelta(days=7))
        start, end = before.monday - dt.timedelta(days=1), before.sunday
        at_start = _digests(reports, start)
        at_end = _digests(reports, end)
        book = build_customer_book(
            (rep, t) for rep, digests in at_end.items() for d in digests for t in d.trails
        )
        new = book.new_customers(before.monday, before.sunday)
        windows = book.windows(before.monday, week.sunday + dt.timedelta(days=1), week.monday)
        reps = {rep for rep, _ in reports}
        for rep in sorted(reps):
            ended = at_end.get(rep, [])
            began = at_start.get(rep, [])
            days = sorted(
                {day for d in ended for day in d.per_day if before.monday <= day <= before.sunday}
            )
            last = None
            if days:
                last = LastWeek(
                    before,
                    _sum(ended, "contacts") - _sum(began, "contacts"),
                    _sum(ended, "visits") - _sum(began, "visits"),
                    new.get(rep, 0),
                    _stage_moves(began, ended),
                    _sum(ended, "deals") - _sum(began, "deals"),
                    round(_sum(ended, "amount") - _sum(began, "amount"), 2),
                    tuple(days),
                )
            seeds = _seeds(rep, windows, _trails(ended), week)
            if last is not None or seeds:
                out[(rep, week)] = WeekPrefill(rep, week, last, seeds)
    return out


def _daily_reports(forms: Iterable[FormData]) -> dict[tuple[str, Month], FormData]:
    chosen: dict[tuple[str, Month], FormData] = {}
    for data in forms:
        period = data.period
        if data.form_id != FormId.DAILY_REPORT or not data.rep_id or not isinstance(period, Month):
            continue
        key = (data.rep_id, period)
        other = chosen.get(key)
        if other is None or (data.file_time() or 0) >= (other.file_time() or 0):
            chosen[key] = data
    return chosen


def _digests(
    reports: dict[tuple[str, Month], FormData], as_of: dt.date
) -> dict[str, list[DailyDigest]]:
    """Each rep's digests of every month up to `as_of`, counting rows up to it."""
    out: dict[str, list[DailyDigest]] = {}
    for (rep, month), data in sorted(reports.items(), key=lambda item: item[0][1]):
        if month.first_day > as_of:
            continue
        out.setdefault(rep, []).append(digest_daily(data, month, as_of))
    return out


def _sum(digests: Sequence[DailyDigest], name: str) -> Any:
    return sum(getattr(d, name) for d in digests)


def _trails(digests: Sequence[DailyDigest]) -> dict[str, Trail]:
    """One trail per customer as the rep wrote it, across months (as the KPIs merge them)."""
    merged: dict[str, Trail] = {}
    for d in digests:
        for trail in d.trails:
            known = merged.get(trail.customer)
            merged[trail.customer] = merge_trails(known, trail) if known else trail
    return merged


def _stage_moves(began: Sequence[DailyDigest], ended: Sequence[DailyDigest]) -> int:
    """Customers known before the week whose furthest stage is further at its end."""
    before, after = _trails(began), _trails(ended)
    moved = 0
    for name, trail in after.items():
        earlier = before.get(name)
        if earlier is None or trail.furthest is None:
            continue
        if earlier.furthest is None or _RANK[trail.furthest] > _RANK[earlier.furthest]:
            moved += 1
    return moved


def _seeds(
    rep: str, windows: Sequence[Any], trails: dict[str, Trail], week: Week
) -> list[PlanSeed]:
    seeds: dict[str, PlanSeed] = {}
    for w in windows:
        if w.rep != rep or w.customer in seeds:
            continue
        trail = trails.get(w.customer)
        seeds[w.customer] = PlanSeed(
            w.customer,
            trail.grade if trail else None,
            w.rule,
            w.last_contact or w.since,
            w.due,
            _next_stage(trail),
        )
    for name, trail in sorted(trails.items(), key=lambda item: item[1].last):
        ahead = trail.next_followup is not None and trail.next_followup >= week.monday
        if (
            name not in seeds
            and trail.grade == TOP_GRADE
            and trail.last_stage not in (CLOSED_WON, LOST)
            and not ahead
        ):
            seeds[name] = PlanSeed(
                name, TOP_GRADE, "no_next_step", trail.last, None, _next_stage(trail)
            )
    return sorted(seeds.values(), key=lambda s: (s.due or week.sunday, s.customer))


def _next_stage(trail: Trail | None) -> str | None:
    if trail is None or trail.furthest is None:
        return None
    return STAGE_ORDER[min(_RANK[trail.furthest] + 1, len(STAGE_ORDER) - 1)]
