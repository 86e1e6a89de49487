"""KPIs per rep, rolled up per team, region and company (README.md "For managers").

contacts, visits (来访/拜访), new customers, A/B/C, deals (stage 成交),
amount (of closed deals), deposit, month target, the target pro-rated to the
workdays the rep was employed (standing.py), month-to-date target paced by
the workdays employed up to as-of, completion, pace index and 考核预警
warning level, rank within team and company.  Unknown stays None: a rep
without a target has no completion, not 0 %, and a team's completion and
pace compare the amount of its reps that have a target with their
pro-rated targets (a new hire without one neither inflates nor dilutes it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from salesxl.consolidate.digest import CustomerKind, DailyDigest, customer_kinds
from salesxl.consolidate.model import TOTAL, Thresholds, WarningLevel, warning_level
from salesxl.consolidate.standing import Standing
from salesxl.core.people import Rep
from salesxl.forms.choices import GRADES, STAGE_ORDER

__all__ = ["Totals", "rep_totals", "roll_up"]


@dataclass(slots=True)
class Totals:
    """Counts and sums for one rep, team, region or the company."""

    key: str
    name: str
    team: str | None = None
    region: str | None = None
    reps: int = 0
    reported: bool = False  # at least one daily row
    has_report: bool = False  # a daily report's figures were counted (else they are unknown)
    contacts: int = 0
    visits: int = 0
    new_customers: int = 0
    grades: dict[str, int] = field(default_factory=lambda: dict.fromkeys(GRADES.codes, 0))
    reached: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STAGE_ORDER, 0))
    lost: int = 0
    deals: int = 0
    amount: float = 0.0
    deposit: float = 0.0
    target: float | None = None  # the month target as given (a team's: its reps' sum)
    prorated_target: float | None = None  # pro-rated to the workdays employed
    paced_target: float | None = None  # pro-rated to the workdays employed up to as-of
    targeted_reps: int = 0  # members with a target
    targeted_amount: float = 0.0  # their amount: what completion and pace compare
    rank_team: int | None = None
    rank_company: int | None = None
    warning: WarningLevel | None = None
    standing: Standing | None = None  # a rep's; None for teams, regions and the company

    @property
    def completion(self) -> float | None:
        return self.targeted_amount / self.prorated_target if self.prorated_target else None

    @property
    def pace(self) -> float | None:
        return self.targeted_amount / self.paced_target if self.paced_target else None

    @property
    def customers(self) -> int:
        return self.reached[STAGE_ORDER[0]]


def rep_totals(
    reps: Mapping[str, Rep],
    digests: Iterable[tuple[str, DailyDigest]],
    new_customers: Mapping[str, int],
    one_phone: Mapping[str, str],
    targets: Mapping[str, float] | None,
    standings: Mapping[str, Standing],
    thresholds: Thresholds,
    graded_before: Mapping[str, Mapping[str, int]] | None = None,
) -> dict[str, Totals]:
    """One `Totals` per rep of `reps`, from the reps' daily-report digests.

    Customers are told apart as the customer book tells them (`one_phone`: its names'
    phones, `digest.identity`).  A customer counts under the latest grade the rep gave it:
    the month's digests give this month's; `graded_before` (`CustomerBook.graded_before`)
    adds the customers contacted this month without one, by their grade of the months
    before — as the 7-day rule sees them.  Targets are pro-rated by each rep's standing; only judged
    reps (standing.JUDGED) get a warning level and a rank.
    """
    out = {
        rep_id: Totals(rep_id, rep.name, rep.team, rep.region, reps=1, standing=standings[rep_id])
        for rep_id, rep in reps.items()
    }
    reports: dict[str, list[DailyDigest]] = defaultdict(list)
    for rep_id, d in digests:
        t = out.get(rep_id)
        if t is None:
            continue
        t.has_report = True
        t.reported = t.reported or d.contacts > 0
        t.contacts += d.contacts
        t.visits += d.visits
        t.deals += d.deals
        t.amount += d.amount
        t.deposit += d.deposit
        reports[rep_id].append(d)
    for rep_id, mine in reports.items():
        # one report: its kinds came with it (unless the month's names tell its customers
        # apart otherwise); several: their trails merged across them
        one = mine[0].kinds_in(one_phone) if len(mine) == 1 else None
        kinds = (
            one
            if one is not None
            else customer_kinds((t for d in mine for t in d.trails), one_phone)
        )
        _count_customers(out[rep_id], kinds)
    for rep_id, carried in (graded_before or {}).items():
        t = out.get(rep_id)
        if t is None:
            continue
        for grade, n in carried.items():
            if grade in t.grades:
                t.grades[grade] += n
    for rep_id, t in out.items():
        t.new_customers = new_customers.get(rep_id, 0)
        standing = standings[rep_id]
        if targets is not None and rep_id in targets:
            t.target = float(targets[rep_id])
            t.prorated_target = standing.prorated(t.target)
            t.paced_target = standing.paced(t.target)
            t.targeted_reps, t.targeted_amount = 1, t.amount
        t.warning = warning_level(t.pace, thresholds) if standing.judged else None
    _rank([t for t in out.values() if standings[t.key].judged])
    return out


_UP_TO = {stage: STAGE_ORDER[: i + 1] for i, stage in enumerate(STAGE_ORDER)}  # stages passed


def _count_customers(t: Totals, kinds: Mapping[CustomerKind, int]) -> None:
    """Customers by their latest grade, the furthest stage reached, and whether lost (how
    many of each kind of (grade, furthest, lost) in `kinds`)."""
    grades, reached = t.grades, t.reached
    for (grade, furthest, lost), n in kinds.items():
        if grade in grades:
            grades[grade] += n
        for stage in _UP_TO[furthest or STAGE_ORDER[0]]:
            reached[stage] += n
        if lost:
            t.lost += n


def _rank_key(t: Totals) -> tuple[float, float]:
    completion = t.completion
    return (completion if completion is not None else float("-inf"), t.amount)


def _rank(totals: Iterable[Totals]) -> None:
    """Rank by completion, then amount: within the team and within the company."""
    ordered = sorted(totals, key=_rank_key, reverse=True)
    for i, t in enumerate(ordered, start=1):
        t.rank_company = i
    by_team: dict[str | None, list[Totals]] = defaultdict(list)
    for t in ordered:
        by_team[t.team].append(t)
    for members in by_team.values():
        for i, t in enumerate(members, start=1):
            t.rank_team = i


def roll_up(reps: Iterable[Totals], level: str, thresholds: Thresholds) -> list[Totals]:
    """Sum reps into teams (`level="team"`), regions ("region") or the company ("company")."""
    groups: dict[str, Totals] = {}
    for r in reps:
        if level == "team":
            key, name = f"{r.region or ''}/{r.team or ''}", r.team or "—"
        elif level == "region":
            key, name = r.region or "", r.region or "—"
        else:
            key, name = "company", TOTAL
        g = groups.get(key)
        if g is None:
            g = groups[key] = Totals(
                key,
                name,
                r.team if level == "team" else None,
                r.region if level != "company" else None,
            )
        g.reps += 1
        g.reported = g.reported or r.reported
        for attr in ("contacts", "visits", "new_customers", "lost", "deals", "amount", "deposit"):
            setattr(g, attr, getattr(g, attr) + getattr(r, attr))
        for grade, n in r.grades.items():
            g.grades[grade] += n
        for stage, n in r.reached.items():
            g.reached[stage] += n
        if r.target is not None:
            g.target = (g.target or 0.0) + r.target
            g.prorated_target = (g.prorated_target or 0.0) + (r.prorated_target or 0.0)
            g.paced_target = (g.paced_target or 0.0) + (r.paced_target or 0.0)
            g.targeted_reps += 1
            g.targeted_amount += r.amount
    out = sorted(groups.values(), key=lambda g: g.key)
    for g in out:
        g.warning = warning_level(g.pace, thresholds)
    _rank(out)
    return out
