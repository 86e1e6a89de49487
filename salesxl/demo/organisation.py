"""The sample organisation: reps, their history and their targets input (pure, seeded).

Three regions, two teams each, five reps a team.  Each rep has a base level
of monthly sales, a skill (how they do against target this month) and a
habit (how punctual their reports are); one joined a few months ago, one
joins in the middle of the month and one leaves in it.
Three years of ERP sales follow the products' seasons, the Spring Festival
dip and a growth trend, so the target breakdown has something to learn from.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from salesxl.core.periods import Month
from salesxl.demo.names import (
    CUSTOMER_KINDS,
    CUSTOMER_WORDS,
    GIVEN_NAMES,
    PRODUCTS,
    REGIONS,
    SURNAMES,
    Product,
)

__all__ = ["Organisation", "RepProfile", "build_organisation", "expected_month_target"]

GROWTH = 1.12  # yearly growth of the business
TARGET_UPLIFT = 1.10  # targets ask a little more than the trend
# Lunar new year: the Spring Festival month sells less (a seasonal index).
SPRING_FESTIVAL = {2023: 1, 2024: 2, 2025: 1, 2026: 2}
# Skills: pace index the rep reaches this month (正常 ≥ 0.8 > 口头预警 ≥ 0.6 > 书面预警).
SKILLS = (1.25, 1.1, 1.05, 1.0, 0.95, 0.9, 0.85, 0.72, 0.65, 0.45)
HABITS = ("punctual", "punctual", "punctual", "punctual", "late", "gaps")


@dataclass(slots=True)
class RepProfile:
    rep_id: str
    name: str
    region: str
    team: str
    manager: str
    level: str
    hire_date: dt.date
    leave_date: dt.date | None
    base: float  # typical monthly sales (yuan) at the start of the history
    skill: float
    habit: str
    products: tuple[Product, ...]
    customers: list[tuple[str, str | None]] = field(default_factory=list)  # (name, phone)

    @property
    def roster_row(self) -> dict[str, Any]:
        return {
            "rep_id": self.rep_id,
            "name": self.name,
            "region": self.region,
            "team": self.team,
            "manager": self.manager,
            "level": self.level,
            "hire_date": self.hire_date,
            "leave_date": self.leave_date,
            "status": "left" if self.leave_date else "active",
            "email": f"{self.rep_id.lower()}@demo.salesxl.cn",
        }


@dataclass(slots=True)
class Organisation:
    period: Month
    as_of: dt.date
    reps: list[RepProfile]
    sales: list[dict[str, Any]]  # ERP sales records, three years before the period
    settings: dict[str, Any]  # targets input 设置 Settings
    annual: list[dict[str, Any]]  # targets input 年度目标 Annual
    history: list[dict[str, Any]]  # targets input 历史销售 History (per rep and month)


def _season(product: Product, month: int, year: int) -> float:
    factor = product.season[month - 1]
    if SPRING_FESTIVAL.get(year) == month:
        factor *= 0.6  # the holiday month
    elif SPRING_FESTIVAL.get(year, 0) + 1 == month:
        factor *= 1.15  # catching up afterwards
    return factor


def expected_month_target(rep: RepProfile, month: Month) -> float:
    """Roughly what a seasonal split will give the rep for `month` (the demo aims its deals at it)."""
    years = (month.year - 2023) + (month.month - 11) / 12
    level: float = rep.base * GROWTH**years * TARGET_UPLIFT  # float ** float is Any to mypy
    return (
        level * sum(_season(p, month.month, month.year) for p in rep.products) / len(rep.products)
    )


def _customers(rng: random.Random, city: str, n: int) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    seen = set()
    while len(out) < n:
        if rng.random() < 0.15:  # an individual buyer
            name = f"{rng.choice(SURNAMES)}{rng.choice(['先生', '女士', '经理'])}"
        else:
            name = f"{city}{rng.choice(CUSTOMER_WORDS)}{rng.choice(CUSTOMER_KINDS)}"
        if name in seen:
            continue
        seen.add(name)
        phone = f"1{rng.choice('3578')}{rng.randrange(10**9):09d}" if rng.random() < 0.85 else None
        out.append((name, phone))
    return out


def build_organisation(
    period: Month, as_of: dt.date, *, seed: int = 2026, reps: int = 30
) -> Organisation:
    rng = random.Random(seed)
    people: list[RepProfile] = []
    teams = [(region, city, team) for region, (city, names) in REGIONS.items() for team in names]
    used: set[str] = set()
    for i in range(reps):
        region, city, team = teams[i % len(teams)]
        while True:
            name = rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)
            if name not in used:
                used.add(name)
                break
        hire = dt.date(rng.randrange(2018, 2024), rng.randrange(1, 13), rng.randrange(1, 28))
        if i == 7:  # a new rep, hired a few months ago (the targets ramp up)
            hire = period.shift(-2).first_day + dt.timedelta(days=6)
        elif i == 19:  # hired in the middle of the month: judged from the hire date
            hire = period.first_day + dt.timedelta(days=15)
        leave = period.first_day + dt.timedelta(days=12) if i == 26 else None  # one leaves
        rep = RepProfile(
            rep_id=f"S{i + 1:03d}",
            name=name,
            region=region,
            team=team,
            manager=f"{team}主管",
            level=rng.choice(["junior", "mid", "mid", "senior"]),
            hire_date=hire,
            leave_date=leave,
            base=rng.randrange(40, 130) * 1000.0,
            skill=SKILLS[i % len(SKILLS)],
            habit=HABITS[i % len(HABITS)],
            products=tuple(rng.sample(PRODUCTS, 4)),
        )
        rep.customers = _customers(rng, city, rng.randrange(14, 22))
        people.append(rep)
    _share_customers(rng, people)
    sales = _sales_history(rng, people, period)
    return Organisation(period, as_of, people, sales, *_targets_input(people, sales, period))


def _share_customers(rng: random.Random, reps: list[RepProfile]) -> None:
    """Three customers two reps of the same team both register (attribution conflicts),
    written differently: the company suffix dropped, the phone with +86 and dashes."""
    by_team: dict[str, list[RepProfile]] = {}
    for rep in reps:
        by_team.setdefault(rep.team, []).append(rep)
    shared = [team for team in sorted(by_team) if len(by_team[team]) >= 2]  # small demos
    for team in shared[:3]:
        owner, other = by_team[team][:2]
        name, phone = next(c for c in owner.customers if c[1])
        assert phone is not None
        spelled = (name.replace("有限公司", "") + " ", f"+86 {phone[:3]}-{phone[3:7]}-{phone[7:]}")
        other.customers.insert(0, spelled)


def _sales_history(
    rng: random.Random, reps: list[RepProfile], period: Month
) -> list[dict[str, Any]]:
    """Three years of ERP lines per rep and product, before the period."""
    rows = []
    for m in range(-36, 0):
        month = period.shift(m)
        years = (month.year - 2023) + (month.month - 11) / 12
        for rep in reps:
            if month.last_day < rep.hire_date:
                continue
            for product in rep.products:
                level = rep.base * GROWTH**years / len(rep.products)
                amount_goal = (
                    level * _season(product, month.month, month.year) * rng.uniform(0.85, 1.15)
                )
                qty = max(1, round(amount_goal / product.price))
                day = month.first_day + dt.timedelta(days=rng.randrange(month.last_day.day))
                customer, _ = rng.choice(rep.customers)
                rows.append(
                    {
                        "date": day,
                        "rep_id": rep.rep_id,
                        "customer": customer,
                        "product": product.name,
                        "spec": product.spec,
                        "batch": f"B{month.year % 100:02d}{month.month:02d}{rng.randrange(100):02d}",
                        "expiry": day.replace(year=day.year + 2)
                        if not (day.month == 2 and day.day == 29)
                        else dt.date(day.year + 2, 2, 28),
                        "maker": product.maker,
                        "qty": float(qty),
                        "price": product.price,
                        "amount": round(qty * product.price, 2),
                    }
                )
    rows.sort(key=lambda r: (r["date"], r["rep_id"]))
    return rows


def _targets_input(
    reps: list[RepProfile], sales: list[dict[str, Any]], period: Month
) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """The year of the period: company figure top-down, units by history share."""
    year = period.year
    last_year = sum(r["amount"] for r in sales if r["date"].year == year - 1)
    company = round(last_year * GROWTH * TARGET_UPLIFT, -4)
    settings = {
        "year": year,
        "fiscal_start": 1,
        "method": "seasonal",
        "rounding": 100,
        "mode": "top-down",
        "spring_festival": "yes",
    }
    annual = [{"level": "company", "unit": "总公司", "annual_target": company}]
    for region in REGIONS:
        annual.append({"level": "region", "unit": region, "parent": "总公司"})
    for region, (_, teams) in REGIONS.items():
        for team in teams:
            annual.append({"level": "team", "unit": team, "parent": region})
    for rep in reps:
        new = rep.hire_date.year == year
        annual.append(
            {
                "level": "rep",
                "unit": rep.rep_id,
                "parent": rep.team,
                "ramp": "25,50,75,100" if new else None,
            }
        )
    history: dict[tuple[str, str], float] = {}
    for r in sales:
        key = (r["rep_id"], f"{r['date']:%Y-%m}")
        history[key] = history.get(key, 0.0) + r["amount"]
    rows = [
        {"unit": unit, "month": month, "amount": round(amount, 2)}
        for (unit, month), amount in sorted(history.items())
    ]
    return settings, annual, rows
