"""One month of a rep's paperwork: daily reports with 日清, weekly plans, a monthly plan.

Customers move forward through the seven stages over the month; A/B
prospects get a next follow-up date; deals are qty × price of the rep's
products and add up to about skill × the month-to-date target of the
workdays the rep is employed (a new hire from the hire date, a leaver until
the leaving day), so the summary's pace index comes out near the skill.  Report
times follow the rep's habit: punctual reps save by the evening, late reps
after the 09:00 deadline, some reps skip days.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from salesxl.core.calendar import Workdays
from salesxl.core.periods import Month, Week
from salesxl.demo.organisation import RepProfile, expected_month_target

__all__ = ["RepMonth", "employed", "rep_month"]

ANALYSES = (
    "客户需求明确，跟进顺利",
    "价格异议较多，需要主管支持",
    "新客户拜访效果好",
    "老客户复购，订单稳定",
    "竞品促销，客户犹豫",
    "资料已寄出，等待回复",
)
OUTCOMES = ("确认采购意向", "介绍新品", "回收货款", "处理价格异议", "签订年度协议")
ACTIONS = ("上门拜访负责人", "提供样品和资料", "组织产品推介会", "商谈年度框架协议")


@dataclass(slots=True)
class RepMonth:
    rep: RepProfile
    month_target: float
    stated_target: float | None = None  # what the daily report's header says, when it differs
    daily: list[dict[str, Any]] = field(default_factory=list)
    day_close: list[dict[str, Any]] = field(default_factory=list)
    weeks: dict[Week, tuple[list[dict[str, Any]], list[dict[str, Any]]]] = field(
        default_factory=dict
    )
    accounts: list[dict[str, Any]] = field(default_factory=list)
    saved: dict[dt.date, dt.datetime] = field(default_factory=dict)  # day -> when it was saved
    week_saved: dict[Week, dt.datetime] = field(default_factory=dict)
    month_saved: dt.datetime | None = None


@dataclass(slots=True)
class _Prospect:
    name: str
    phone: str | None
    source: str
    grade: str
    stage: int
    last: dt.date | None = None


def rep_month(
    rep: RepProfile,
    period: Month,
    as_of: dt.date,
    workdays: Workdays,
    rng: random.Random,
    target: float | None = None,
) -> RepMonth:
    """The rep's month, aimed at `target` (the split targets' figure; else an estimate)."""
    if target is None:
        target = round(expected_month_target(rep, period), -2)
    out = RepMonth(rep, target)
    days = [d for d in workdays.workdays_in(period) if d < as_of and employed(rep, d)]
    if rep.habit == "gaps" and len(days) > 6:
        for gone in rng.sample(days[2:-1], 3):  # three days never reported
            days.remove(gone)
    prospects = [
        _Prospect(
            name,
            phone,
            rng.choice(["phone", "walkin", "visit", "referral"]),
            rng.choice("AABBC"),
            rng.randrange(1, 6),
        )  # pipeline from before
        for name, phone in rep.customers
    ]
    workdays_total = max(1, len(workdays.workdays_in(period)))
    closed = 0.0
    for n, day in enumerate(days, start=1):
        goal = rep.skill * target * n / workdays_total
        for _ in range(rng.randrange(2, 6)):
            # One contact per customer a day: the same row twice would be a duplicate.
            open_ = [q for q in prospects if q.stage not in (0, 7) and q.last != day]
            p = rng.choice(open_ or [q for q in prospects if q.last != day] or prospects)
            closed += _contact(out, rep, p, day, goal - closed, rng)
        out.day_close.append(
            {
                "date": day,
                "forecast": round(target / workdays_total * rng.uniform(0.6, 1.4), -2),
                "analysis": rng.choice(ANALYSES),
            }
        )
        out.saved[day] = _saved_at(day, rep.habit, workdays, rng)
    _plans(out, period, as_of, prospects, rng)
    return out


def _contact(
    out: RepMonth, rep: RepProfile, p: _Prospect, day: dt.date, behind: float, rng: random.Random
) -> float:
    """One row of the daily report; returns the amount closed."""
    first = p.last is None
    source = p.source if first else rng.choice(["visit", "visit", "phone", "walkin"])
    if not first and rng.random() < 0.75:
        p.stage = min(7, p.stage + 1)
    if p.stage == 6 and behind > 0 and rng.random() < 0.6:
        p.stage = 7
    if p.stage < 6 and rng.random() < 0.03:
        p.stage = 0  # lost
    row: dict[str, Any] = {
        "date": day,
        "customer": p.name,
        "phone": p.phone,
        "contact": rng.choice(["王经理", "李主任", "采购部", "店长"]),
        "source": source,
        "grade": p.grade,
        "stage": str(p.stage),
    }
    amount = 0.0
    if p.stage == 7:
        product = rng.choice(rep.products)
        qty = max(1, round(max(behind, 2000.0) * rng.uniform(0.4, 1.0) / product.price))
        amount = round(qty * product.price, 2)
        row.update(
            product=product.name,
            qty=float(qty),
            price=product.price,
            amount=amount,
            deposit=round(amount * 0.2, 2) if rng.random() < 0.5 else None,
        )
        p.grade = "A"
    elif p.stage == 6:
        row["objection"] = rng.choice(["price", "need", "timing", "product"])
    if p.stage not in (0, 7) and p.grade in "AB":
        row["next_followup"] = day + dt.timedelta(days=rng.randrange(1, 8))
    p.last = day
    out.daily.append(row)
    return amount


def _saved_at(day: dt.date, habit: str, workdays: Workdays, rng: random.Random) -> dt.datetime:
    if habit == "late" and rng.random() < 0.5:
        nxt = workdays.next_workday(day)
        return dt.datetime.combine(nxt, dt.time(rng.randrange(10, 16), rng.randrange(60)))
    return dt.datetime.combine(day, dt.time(rng.randrange(17, 22), rng.randrange(60)))


def _plans(
    out: RepMonth, period: Month, as_of: dt.date, prospects: list[_Prospect], rng: random.Random
) -> None:
    week = Week.of(period.first_day)
    if week.monday < period.first_day:
        week = Week.of(week.monday + dt.timedelta(days=7))
    while week.monday <= min(period.last_day, as_of):
        if not employed(out.rep, week.monday):  # no plan before joining or after leaving
            week = Week.of(week.monday + dt.timedelta(days=7))
            continue
        planned = rng.sample(prospects, min(len(prospects), rng.randrange(4, 8)))
        plan = [
            {
                "date": week.monday + dt.timedelta(days=rng.randrange(5)),
                "customer": p.name,
                "grade": p.grade,
                "purpose": str(min(7, p.stage + 1)),
                "outcome": rng.choice(OUTCOMES),
                "expected_amount": round(rng.uniform(2, 12), 1) * 1000,
            }
            for p in planned
        ]
        summary = [
            {
                "summary": f"上周拜访 {rng.randrange(8, 20)} 家客户，成交 {rng.randrange(1, 5)} 单",
                "analysis": rng.choice(ANALYSES),
            }
        ]
        out.weeks[week] = (plan, summary)
        late = out.rep.habit == "late" and rng.random() < 0.5
        out.week_saved[week] = dt.datetime.combine(
            week.monday + dt.timedelta(days=1 if late else 0), dt.time(9 if late else 8, 30)
        )
        week = Week.of(week.monday + dt.timedelta(days=7))
    for p in rng.sample(prospects, min(len(prospects), 4)):
        start = period.first_day + dt.timedelta(days=rng.randrange(10))
        out.accounts.append(
            {
                "customer": p.name,
                "grade": p.grade,
                "expected_amount": round(rng.uniform(10, 60), 0) * 1000,
                "action": rng.choice(ACTIONS),
                "reason": "重点客户，潜力大",
                "steps": "拜访→方案→报价→签约",
                "owner": out.rep.name,
                "start": start,
                "end": start + dt.timedelta(days=rng.randrange(7, 20)),
            }
        )
    # Due in the last week of the month before; a rep who joins in the month writes it then.
    first = max(period.first_day - dt.timedelta(days=3), out.rep.hire_date)
    out.month_saved = dt.datetime.combine(first, dt.time(17, 0))


def employed(rep: RepProfile, day: dt.date) -> bool:
    return rep.hire_date <= day and (rep.leave_date is None or day <= rep.leave_date)
