"""个人战报 A rep's scorecard: where they stand and what is due, from the consolidation.

Every figure is read from the consolidation's `Results` — the objects the
summary's sheets were made from — so a scorecard and the manager's summary
always say the same: amount, target, completion, pace and warning from the
rep's `Totals`; plan vs actual and 日清 accuracy from the rows of those
sheets; the to-do list from the same 7-day rules and attribution conflicts
as the Customers sheet.  Only the months of warnings in a row come from
outside (earlier months, from the store: salesxl.scorecards.history).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from salesxl.consolidate import Summary, WarningLevel
from salesxl.consolidate.customers import Conflict, Lapse
from salesxl.consolidate.digest import DayActivity
from salesxl.consolidate.plans import PlanRow
from salesxl.core.people import Rep
from salesxl.core.periods import Month, Week, weeks_starting_in

__all__ = ["ConflictLine", "DayPoint", "Scorecard", "ToDo", "WeekLine", "build_scorecards"]

WARNED = frozenset({WarningLevel.ORAL, WarningLevel.WRITTEN})


@dataclass(frozen=True, slots=True)
class WeekLine:
    """One week of the month: the rep's weekly plan against what the daily reports say."""

    week: Week
    plan: PlanRow | None  # None: no weekly plan filed for the week


@dataclass(frozen=True, slots=True)
class ToDo:
    """A customer due under the 7-day rules (see docs: the Customers sheet)."""

    rule: str  # phone_no_visit | no_follow_up
    customer: str
    phone: str | None
    last_contact: dt.date | None
    due: dt.date  # the last day of the 7-day window
    overdue: bool  # the window has run out (it is on the summary's Customers sheet)


@dataclass(frozen=True, slots=True)
class ConflictLine:
    """A customer the rep shares with another rep: who wins it and who wins the deal."""

    customer: str
    phone: str | None
    other: str  # the other rep's ID
    other_name: str | None
    owner: str  # first registration wins the customer
    deal_owner: str | None  # first deposit wins the deal


@dataclass(frozen=True, slots=True)
class DayPoint:
    day: dt.date
    cumulative: float | None  # closed amount so far (None after the as-of date)
    pace: float | None  # the target at workday pace by this day (None without a target)


@dataclass(slots=True)
class Scorecard:
    rep_id: str
    name: str
    team: str | None
    region: str | None
    period: Month
    as_of: dt.date
    reported: bool  # handed in a daily report for the month
    amount: float | None  # None (as contacts … deals): no daily report counted
    target: float | None  # the month target as given
    prorated_target: float | None  # pro-rated to the workdays employed (completion's base)
    completion: float | None
    paced_target: float | None  # where the pace line stands at the as-of date
    pace: float | None
    warning: WarningLevel | None  # None: no target, or not judged on its own figures
    rank_team: int | None
    team_size: int
    rank_company: int | None
    company_size: int
    contacts: int | None
    visits: int | None
    new_customers: int | None
    deals: int | None
    # Months in a row with a warning, this month included (None: no warning this month);
    # `streak_from_store` says whether earlier months were looked at.
    warning_months: int | None = None
    streak_from_store: bool = False
    weeks: list[WeekLine] = field(default_factory=list)
    forecast_days: int = 0  # 日清 forecasts with their day's actual known
    forecast_accuracy: float | None = None  # mean of the Day close sheet's accuracy
    todo: list[ToDo] = field(default_factory=list)
    conflicts: list[ConflictLine] = field(default_factory=list)
    days: list[DayPoint] = field(default_factory=list)
    note: str | None = None  # joined, left, no report, refused: as the By rep sheet says
    # The workdays employed of the month's (standing.py), and a hire or leave date in it:
    # what the target is pro-rated to.
    workdays: int | None = None
    month_workdays: int | None = None
    hire_date: dt.date | None = None
    leave_date: dt.date | None = None

    @property
    def prorated(self) -> bool:
        """The target completion is computed on is the month target pro-rated to the workdays
        employed (a rep who joined or left during the month), not the month target itself."""
        return (
            self.target is not None
            and self.prorated_target is not None
            and self.workdays is not None
            and self.month_workdays is not None
            and self.workdays < self.month_workdays
        )

    @property
    def ahead(self) -> float | None:
        """Amount above (+) or below (−) the pace line today."""
        if self.paced_target is None or self.amount is None:
            return None
        return self.amount - self.paced_target


def _owed(weeks: Sequence[Week], rep: Rep | None) -> list[Week]:
    """The weeks whose plan the rep owes: those whose Monday the rep was employed on (as
    the Submissions sheet has them), so a week before joining is not "no plan filed"."""
    return [w for w in weeks if rep is None or rep.active_on(w.monday)]


def build_scorecards(
    summary: Summary, *, history: Mapping[str, Sequence[str | None]] | None = None
) -> list[Scorecard]:
    """One scorecard per rep of the summary, in the By rep sheet's order.

    `history` maps a rep to its warning levels of the months before, the
    latest first (salesxl.scorecards.history); without it only this month
    is known.
    """
    results = summary.results
    if results is None:
        raise ValueError("the summary carries no results; make it with salesxl.consolidate")
    if results.coming_due is None:
        raise ValueError(
            "the summary has no windows still open for the to-do lists; consolidate with "
            "coming_due=True"
        )
    h = summary.headline
    period, as_of = h.period, h.as_of
    weeks = [w for w in weeks_starting_in(period) if w.monday <= as_of]
    # Ranks are among the reps judged on their own figures (standing.JUDGED), as the summary's.
    team_sizes: dict[str | None, int] = {}
    for t in results.reps.values():
        if t.rank_team is not None:
            team_sizes[t.team] = team_sizes.get(t.team, 0) + 1
    ranked = sum(1 for t in results.reps.values() if t.rank_company is not None)
    plans: dict[str, dict[Week, PlanRow]] = {}
    for p in results.plans:
        plans.setdefault(p.rep, {})[p.week] = p
    accuracy: dict[str, list[float]] = {}
    for row in results.closes:
        if row.accuracy is not None:
            accuracy.setdefault(row.rep, []).append(row.accuracy)
    todo = _todo(results.lapses, results.coming_due)
    conflicts = _conflicts(results.conflicts, results.people)
    cards = []
    for rep_id, t in sorted(
        results.reps.items(), key=lambda item: (item[1].region or "", item[1].team or "", item[0])
    ):
        known = t.has_report  # the By rep sheet leaves figures blank otherwise: never zeros
        scores = accuracy.get(rep_id, [])
        card = Scorecard(
            rep_id=rep_id,
            name=t.name,
            team=t.team,
            region=t.region,
            period=period,
            as_of=as_of,
            reported=known,
            amount=t.amount if known else None,
            target=t.target,
            prorated_target=t.prorated_target,
            completion=t.completion if known else None,
            paced_target=t.paced_target,
            pace=t.pace if known else None,
            warning=t.warning if known else None,
            rank_team=t.rank_team,
            team_size=team_sizes.get(t.team, 0),
            rank_company=t.rank_company,
            company_size=ranked,
            contacts=t.contacts if known else None,
            visits=t.visits if known else None,
            new_customers=t.new_customers if known else None,
            deals=t.deals if known else None,
            weeks=[
                WeekLine(w, plans.get(rep_id, {}).get(w))
                for w in sorted({*_owed(weeks, results.people.get(rep_id)), *plans.get(rep_id, {})})
            ],
            forecast_days=len(scores),
            forecast_accuracy=sum(scores) / len(scores) if scores else None,
            todo=todo.get(rep_id, []),
            conflicts=conflicts.get(rep_id, []),
            days=_days(
                results.days.get(rep_id, {}),
                results.pace_lines.get(rep_id, {}),
                t.target,
                period,
                as_of,
                known,
            ),
            note=t.standing.note if t.standing is not None else None,
        )
        if t.standing is not None:
            card.workdays, card.month_workdays = t.standing.workdays, t.standing.month_workdays
            card.hire_date, card.leave_date = t.standing.hire_date, t.standing.leave_date
        card.warning_months, card.streak_from_store = _streak(
            card.warning, None if history is None else history.get(rep_id, ())
        )
        cards.append(card)
    return cards


def _todo(lapses: Sequence[Lapse], coming: Sequence[Lapse]) -> dict[str, list[ToDo]]:
    out: dict[str, list[ToDo]] = {}
    for lapse, overdue in [*((x, True) for x in lapses), *((x, False) for x in coming)]:
        out.setdefault(lapse.rep, []).append(
            ToDo(lapse.rule, lapse.customer, lapse.phone, lapse.last_contact, lapse.due, overdue)
        )
    for items in out.values():
        items.sort(key=lambda d: (d.due, d.customer, d.rule))
    return out


def _conflicts(
    conflicts: Sequence[Conflict], people: Mapping[str, Rep]
) -> dict[str, list[ConflictLine]]:
    """Each conflict, on the scorecards of both reps concerned."""
    out: dict[str, list[ConflictLine]] = {}
    for c in conflicts:
        for mine, other in ((c.owner, c.other), (c.other, c.owner)):
            rep = people.get(other)
            out.setdefault(mine, []).append(
                ConflictLine(
                    c.customer,
                    c.phone,
                    other,
                    rep.name if rep is not None else None,
                    c.owner,
                    c.deal_owner,
                )
            )
    return out


def _days(
    mine: Mapping[dt.date, DayActivity],
    pace_line: Mapping[dt.date, float],
    target: float | None,
    period: Month,
    as_of: dt.date,
    known: bool = True,
) -> list[DayPoint]:
    """The month day by day: closed amount so far (to the as-of date; none at all when no
    report was counted, `known` False) and the pace line."""
    points, total = [], 0.0
    for day in period.days():
        activity = mine.get(day)
        if day <= as_of:
            total += activity.closed if activity is not None else 0.0
        points.append(
            DayPoint(
                day,
                total if day <= as_of and known else None,
                target * pace_line[day] if target is not None and day in pace_line else None,
            )
        )
    return points


def _streak(warning: str | None, before: Sequence[str | None] | None) -> tuple[int | None, bool]:
    """Months in a row with a warning, this one included; whether earlier months were known."""
    if warning not in WARNED:
        return None, before is not None
    months = 1
    for level in before or ():
        if level not in WARNED:
            break
        months += 1
    return months, before is not None
