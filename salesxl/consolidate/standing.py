"""Where each rep stands in the month: which workdays they were employed, and how they are judged.

A rep who joins or leaves during the month is judged only on the workdays
between the hire and leave dates (README, "Leavers, new hires and
pro-rating"): the month target is pro-rated to the share of the month's
workdays the rep was employed on, the month-to-date target to the share of
the workdays up to as-of on which the rep was employed.  Only reps judged on
their own figures get a 考核预警 warning level and a rank: not a rep who has
left, whose report is missing (无数据 No data), or whose report the store
refused (its figures are provisional).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from salesxl.core.calendar import Workdays
from salesxl.core.people import Rep
from salesxl.core.periods import Month

__all__ = ["JUDGED", "RepStatus", "Standing", "employed_in", "pace_shares", "standings"]


class RepStatus(StrEnum):
    """A rep's standing in the month (销售员 By rep; labels in submissions.STATUS_LABELS)."""

    ACTIVE = "active"  # employed all month, with a daily report
    JOINED = "joined"  # hired during the month
    LEFT = "left"  # past the leaving day
    NO_DATA = "no_data"  # no daily report
    REFUSED = "refused"  # the store refused the daily report: figures provisional


JUDGED = frozenset({RepStatus.ACTIVE, RepStatus.JOINED})  # get a warning level and a rank


@dataclass(frozen=True, slots=True)
class Standing:
    """One rep's month: a status (a key of STATUS_LABELS) and the workdays employed."""

    status: RepStatus
    workdays: int  # the month's workdays the rep was employed on
    month_workdays: int  # all workdays of the month
    elapsed: int  # workdays employed from the 1st up to as-of
    hire_date: dt.date | None = None  # when it falls in the month
    leave_date: dt.date | None = None  # when it falls in the month
    errors: int | None = None  # the refused report's error count

    @property
    def month_share(self) -> float:
        """What the month target is multiplied by: workdays employed / workdays of the month."""
        return self.workdays / self.month_workdays if self.month_workdays else 1.0

    @property
    def elapsed_share(self) -> float:
        """What the month target is multiplied by to pace it at as-of."""
        return self.elapsed / self.month_workdays if self.month_workdays else 1.0

    def prorated(self, target: float) -> float:
        """`target` × workdays employed ÷ workdays of the month, multiplied first: ¥45,000
        over 11 of 18 workdays is ¥27,500, where 45,000 × (11 / 18) is 27,500.000000000004,
        a hair over the amount that is exactly on a warning line."""
        return target * self.workdays / self.month_workdays if self.month_workdays else target

    def paced(self, target: float) -> float:
        """`target` due at as-of: × workdays employed up to as-of ÷ workdays of the month."""
        return target * self.elapsed / self.month_workdays if self.month_workdays else target

    @property
    def judged(self) -> bool:
        return self.status in JUDGED

    @property
    def note(self) -> str | None:
        """Why the rep's figures look as they do, in Chinese / English."""
        zh: list[str] = []
        en: list[str] = []
        if self.hire_date:
            zh.append(f"{self.hire_date:%m-%d} 入职")
            en.append(f"joined {self.hire_date:%m-%d}")
        if self.leave_date:
            zh.append(f"{self.leave_date:%m-%d} 离职")
            en.append(f"left {self.leave_date:%m-%d}")
        if self.workdays < self.month_workdays:
            zh.append(f"目标按在岗 {self.workdays}/{self.month_workdays} 个工作日折算")
            en.append(f"target pro-rated to {self.workdays} of {self.month_workdays} workdays")
        if self.status is RepStatus.REFUSED:
            n = self.errors or 0
            zh.append(f"日报被拒收（{n} 个错误，见问题表），数据为暂定，不排名")
            en.append(
                f"report refused ({n} error{'s' if n != 1 else ''}, see Issues): "
                "figures are provisional, not ranked"
            )
        elif self.status is RepStatus.NO_DATA:
            zh.append("本月没有日报，不排名")
            en.append("no daily report this month, not ranked")
        if not zh:
            return None
        return f"{'；'.join(zh)} / {'; '.join(en)}"


def employed_in(rep: Rep, period: Month) -> bool:
    """Employed on at least one day of `period` (a rep who left before it is not listed)."""
    first, last = period.first_day, period.last_day
    if rep.hire_date and rep.hire_date > last:
        return False
    if rep.leave_date and rep.leave_date < first:
        return False
    return not (rep.status == "left" and rep.leave_date is None)


def _status(rep: Rep, period: Month, as_of: dt.date, reported: bool, refused: bool) -> RepStatus:
    judged_until = min(as_of, period.last_day)
    left = (rep.leave_date is not None and rep.leave_date < judged_until) or (
        rep.status == "left" and rep.leave_date is None
    )
    if left:
        return RepStatus.LEFT
    if refused:
        return RepStatus.REFUSED
    if not reported:
        return RepStatus.NO_DATA
    if rep.hire_date and period.first_day < rep.hire_date <= period.last_day:
        return RepStatus.JOINED
    return RepStatus.ACTIVE


def standings(
    reps: Mapping[str, Rep],
    period: Month,
    as_of: dt.date,
    workdays: Workdays,
    reported: Collection[str],
    refused: Mapping[str, int],
) -> dict[str, Standing]:
    """Each rep's standing: `reported` holds the reps with a daily report of the month,
    `refused` the reps whose only daily report the store refused (with its error count)."""
    month_days = workdays.workdays_in(period)
    out = {}
    for rep_id, rep in reps.items():
        employed = [day for day in month_days if rep.active_on(day)]
        in_month = period.first_day <= (rep.hire_date or dt.date.min) <= period.last_day
        leaves = period.first_day <= (rep.leave_date or dt.date.max) <= period.last_day
        out[rep_id] = Standing(
            _status(rep, period, as_of, rep_id in reported, rep_id in refused),
            len(employed),
            len(month_days),
            sum(day <= as_of for day in employed),
            rep.hire_date if in_month else None,
            rep.leave_date if leaves else None,
            refused.get(rep_id),
        )
    return out


def pace_shares(rep: Rep, period: Month, month_days: Sequence[dt.date]) -> dict[dt.date, float]:
    """The pace line 进度线: for each day of the month, the share of the month target due by
    then — the rep's workdays employed up to that day over the month's workdays
    `month_days` (`Standing.elapsed_share`, had as-of been that day)."""
    workday = set(month_days)
    employed, out = 0, {}
    for day in period.days():
        employed += day in workday and rep.active_on(day)
        out[day] = employed / len(month_days) if month_days else 1.0
    return out
