"""催交 The chase list: who still owes which reports, with a message ready for the group chat.

Built from the rows of 提交 Submissions (consolidate.submissions), so the
rules are the same ones: a report is owed when it is 缺交 missing — its
deadline has passed (a day's report at 09:00 the next workday on China's
calendar, a week's plan on its Monday, a month's plan the month before;
core.deadlines) — or 已拒收 refused: the store received it but refused it,
so it must be fixed and handed in again.  Days a rep was not employed on are
never owed (the roster's hire and leave dates), nor days the program cannot
know about (`FirstData`): before the first report the store (or the inbox)
holds.  A rep missing `escalate_after` workdays or more in a row is
also put on the team leader's list (the roster's 主管 Manager); a run that
starts where what is known starts says from which day it is counted.

Which reports are looked at (`ChaseWindow`): by default the month of as-of,
plus what of the month before fell due in this month (the last days'
reports, due on the first workdays) or concerns a week reaching into it —
on the 1st of a month yesterday's report belongs to the month before.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from salesxl.consolidate.model import ColumnSpec, SheetData, Translated
from salesxl.consolidate.submissions import SubmissionRow, SubmissionStatus
from salesxl.core.issues import Issue
from salesxl.core.people import Rep
from salesxl.core.periods import Month, Week
from salesxl.forms import FormId

__all__ = [
    "DEFAULT_ESCALATE",
    "ChaseList",
    "ChaseWindow",
    "FirstData",
    "RepChase",
    "TeamChase",
    "chase_list",
    "chase_sheet",
    "chase_text",
    "chase_window",
]

DEFAULT_ESCALATE = 3  # workdays missing in a row before the team leader is told
NO_TEAM = ("未分团队", "No team")
_OWED = (SubmissionStatus.MISSING, SubmissionStatus.REFUSED)


@dataclass(frozen=True, slots=True)
class ChaseWindow:
    """Which reports the chase looks at: those of `months`; of any month before the last,
    only those due from `since` on or of a week that reaches into the last month."""

    months: tuple[Month, ...]
    since: dt.datetime | None = None

    def counts(self, month: Month, row: SubmissionRow) -> bool:
        if self.since is None or month == self.months[-1]:
            return True
        if row.deadline is not None and row.deadline >= self.since:
            return True
        if row.form == FormId.WEEKLY_PLAN:
            return Week.parse(row.due_for).sunday >= self.since.date()
        return False


def chase_window(as_of: dt.date, period: Month | None = None) -> ChaseWindow:
    """`period` alone when given; else the month of `as_of` and the tail of the month before."""
    if period is not None:
        return ChaseWindow((period,))
    current = Month.of(as_of)
    return ChaseWindow(
        (current.shift(-1), current), dt.datetime.combine(current.first_day, dt.time())
    )


# why a rep's reports are judged only from some day on (FirstData.judged_from)
_FROM_WHY: dict[str, tuple[str, str]] = {
    "store": ("数据库中没有更早的报表", "the store holds no earlier report"),
    "inbox": ("收件箱中没有更早的报表", "the inbox holds no earlier report"),
}


@dataclass(frozen=True, slots=True)
class FirstData:
    """Where what the program knows begins: the first day of any report the source (the
    store, or the inbox) holds (the earliest day of a daily report; the first day of a
    plan's week or month).  `first_day` None: it holds no report yet.

    It is the source's first day, not each rep's: a rep who did not hand in the first
    days of the month still owes them (the roster's hire date says when a new rep was
    expected), as the summary's 提交 Submissions sheet says."""

    source: str  # "store" | "inbox"
    first_day: dt.date | None

    def judged_from(self, window: ChaseWindow) -> tuple[dt.date, str]:
        """The first day judged, and why (a `_FROM_WHY` key): nothing before the source's
        first report is known (with none at all: nothing before the window's last month)."""
        return self.first_day or window.months[-1].first_day, self.source


def _before(row: SubmissionRow, day: dt.date) -> bool:
    """The report covers nothing the program can know about when known from `day` on: a
    day before it, a week starting before it, a month ending before it."""
    if row.form == FormId.DAILY_REPORT:
        return dt.date.fromisoformat(row.due_for) < day
    if row.form == FormId.WEEKLY_PLAN:
        return Week.parse(row.due_for).monday < day
    return Month.parse(row.due_for).last_day < day


@dataclass(slots=True)
class RepChase:
    """What one rep owes."""

    rep: Rep
    missing_days: list[dt.date] = field(default_factory=list)
    missing_weeks: list[Week] = field(default_factory=list)
    missing_months: list[Month] = field(default_factory=list)
    refused_days: list[dt.date] = field(default_factory=list)
    refused_weeks: list[Week] = field(default_factory=list)
    refused_months: list[Month] = field(default_factory=list)
    streak: list[dt.date] = field(default_factory=list)  # the longest run still owed
    # reports before this day were not judged (nothing is known of them: FirstData), and
    # why; None when nothing owed was left out
    counted_from: tuple[dt.date, str] | None = None
    first_judged: dt.date | None = None  # the first workday whose daily report was judged

    @property
    def run_cut_short(self) -> bool:
        """The run starts on the first day judged, after days not known about."""
        return (
            self.counted_from is not None
            and bool(self.streak)
            and self.streak[0] == self.first_judged
        )

    @property
    def owes(self) -> bool:
        return any(
            (
                self.missing_days,
                self.missing_weeks,
                self.missing_months,
                self.refused_days,
                self.refused_weeks,
                self.refused_months,
            )
        )

    def message(self) -> Translated:
        """`@张三 11-30、12-01 日报未交；…` — one line to paste into the team's group chat."""
        zh: list[str] = []
        en: list[str] = []
        if self.missing_days:
            zh.append(f"{'、'.join(_day(d) for d in self.missing_days)} 日报未交")
            en.append(f"daily report {', '.join(_day(d) for d in self.missing_days)} missing")
        if self.missing_weeks:
            zh.append(f"第{'、'.join(str(w.week) for w in self.missing_weeks)}周周计划未交")
            en.append(f"weekly plan {', '.join(f'W{w.week}' for w in self.missing_weeks)} missing")
        if self.missing_months:
            zh.append(f"{'、'.join(f'{m.month}月' for m in self.missing_months)}月计划未交")
            en.append(f"monthly plan {', '.join(map(str, self.missing_months))} missing")
        refused_zh = [
            *(f"{m.month}月日报" for m in sorted({Month.of(d) for d in self.refused_days})),
            *(f"第{w.week}周周计划" for w in self.refused_weeks),
            *(f"{m.month}月月计划" for m in self.refused_months),
        ]
        refused_en = [
            *(f"daily report {m}" for m in sorted({Month.of(d) for d in self.refused_days})),
            *(f"weekly plan W{w.week}" for w in self.refused_weeks),
            *(f"monthly plan {m}" for m in self.refused_months),
        ]
        if refused_zh:
            zh.append(f"{'、'.join(refused_zh)}已收到但被拒收（有错误），请修改后重交")
            en.append(f"{', '.join(refused_en)} received but refused (errors): fix and resend")
        who = self.rep.name
        left = self.rep.leave_date
        zh_who = f"@{who}" + (f"（{_day(left)} 离职）" if left else "")
        en_who = f"@{who}" + (f" (left {_day(left)})" if left else "")
        return Translated(f"{zh_who} {'；'.join(zh)}", f"{en_who} {'; '.join(en)}")

    def escalation(self, leader: str | None) -> Translated:
        """The line for the team leader: who has missed how many workdays in a row (and from
        which day that is counted, when the days before are not known about)."""
        n, first, last = len(self.streak), _day(self.streak[0]), _day(self.streak[-1])
        zh_from = en_from = ""
        if self.run_cut_short and self.counted_from is not None:
            day, why = self.counted_from
            zh_from = f"；自 {_day(day)} 起计：{_FROM_WHY[why][0]}"
            en_from = f"; counted from {_day(day)}: {_FROM_WHY[why][1]}"
        return Translated(
            f"@{leader or '主管'} {self.rep.name} 已连续 {n} 个工作日未交日报"
            f"（{first} 至 {last}{zh_from}），请跟进",
            f"@{leader or 'team leader'} {self.rep.name} has missed the daily report on {n} "
            f"workdays in a row ({first} to {last}{en_from}); please follow up",
        )


@dataclass(slots=True)
class TeamChase:
    region: str | None
    team: str | None
    leader: str | None  # the roster's 主管 Manager of the team's reps
    reps: list[RepChase]  # those who owe something
    escalated: list[RepChase]  # of those, the ones missing `escalate_after`+ workdays in a row


@dataclass(slots=True)
class ChaseList:
    as_of: dt.date
    window: ChaseWindow
    escalate_after: int
    teams: list[TeamChase]
    roster: bool = True  # without one, only reps who handed in something are known
    # the source's first report, when reports in the window before it were left out
    known_from: tuple[dt.date, str] | None = None
    # `no_forms`: the folder held no rep form (the store none of the window's months), so
    # only the roster's reps could be judged (the command exits 1: to a scheduler a
    # mistyped folder or an import that stopped must not look like "nobody owes")
    empty: Issue | None = None

    @property
    def owing(self) -> list[RepChase]:
        return [r for t in self.teams for r in t.reps]

    @property
    def owes(self) -> bool:
        """Somebody owes something (the command exits 1, for schedulers)."""
        return bool(self.owing)

    def to_dict(self) -> dict[str, Any]:
        """The JSON of `salesxl chase --format json`."""
        return {
            "as_of": self.as_of.isoformat(),
            "months": [str(m) for m in self.window.months],
            "since": self.window.since.isoformat() if self.window.since else None,
            "escalate_after": self.escalate_after,
            "roster": self.roster,
            "known_from": self.known_from[0].isoformat() if self.known_from else None,
            "owes": self.owes,
            "reps_owing": len(self.owing),
            "warnings": [self.empty.to_dict()] if self.empty is not None else [],
            "teams": [_team_dict(t) for t in self.teams],
        }


def chase_list(
    rows_by_month: Mapping[Month, Sequence[SubmissionRow]],
    reps: Mapping[str, Rep],
    *,
    as_of: dt.date,
    window: ChaseWindow,
    escalate_after: int = DEFAULT_ESCALATE,
    roster: bool = True,
    first_data: FirstData | None = None,
) -> ChaseList:
    """Who owes what in `window`, by team, from the submission rows of each of its months.
    With `first_data`, reports before what the source knows of are not judged."""
    if escalate_after < 1:
        raise ValueError(f"escalate_after must be at least 1, got {escalate_after}")
    owed: dict[str, RepChase] = {}
    daily: dict[str, list[tuple[dt.date, bool, bool]]] = {}  # rep -> (day, missing, counted)
    left_out: dict[str, tuple[dt.date, str]] = {}  # rep -> from when, why: owed rows not judged
    start: tuple[dt.date, str] | None = None
    if first_data is not None:
        # only when the start cuts into the window (every row is of its months' days, or of
        # a week starting in them): an established store has no row to test
        cut = first_data.judged_from(window)
        if cut[0] > min(window.months).first_day:
            start = cut
    for month, rows in rows_by_month.items():
        whole = window.since is None or month == window.months[-1]  # every row counts
        for row in rows:
            rep = reps.get(row.rep)
            if rep is None or row.form is None:
                continue
            if start is not None and _before(row, start[0]):
                if row.status in _OWED:
                    left_out[row.rep] = start
                continue
            counted = whole or window.counts(month, row)
            if row.form == FormId.DAILY_REPORT:
                day = dt.date.fromisoformat(row.due_for)
                daily.setdefault(row.rep, []).append(
                    (day, row.status is SubmissionStatus.MISSING, counted)
                )
            if not counted or row.status not in _OWED:
                continue
            entry = owed.setdefault(row.rep, RepChase(rep))
            _add(entry, row)
    for rep_id, days in daily.items():
        if rep_id in owed:
            owed[rep_id].streak = _longest_owed_run(days)
            owed[rep_id].first_judged = min(days)[0]
    for rep_id, start in left_out.items():
        if rep_id in owed:
            owed[rep_id].counted_from = start
    return ChaseList(
        as_of, window, escalate_after, _by_team(owed, reps, escalate_after), roster, start
    )


def _add(entry: RepChase, row: SubmissionRow) -> None:
    missing = row.status is SubmissionStatus.MISSING
    if row.form == FormId.DAILY_REPORT:
        day = dt.date.fromisoformat(row.due_for)
        (entry.missing_days if missing else entry.refused_days).append(day)
    elif row.form == FormId.WEEKLY_PLAN:
        week = Week.parse(row.due_for)
        (entry.missing_weeks if missing else entry.refused_weeks).append(week)
    else:
        month = Month.parse(row.due_for)
        (entry.missing_months if missing else entry.refused_months).append(month)


def _longest_owed_run(days: list[tuple[dt.date, bool, bool]]) -> list[dt.date]:
    """The longest run of consecutive missing workdays (the rep's due days, in order) that
    still has a day in the window: a run that began in a closed month counts whole."""
    best: list[dt.date] = []
    run: list[dt.date] = []
    counted = False
    for day, missing, in_window in [*sorted(days), (dt.date.max, False, False)]:
        if missing:
            run.append(day)
            counted = counted or in_window
            continue
        if counted and len(run) > len(best):
            best = run
        run, counted = [], False
    return best


def _by_team(
    owed: Mapping[str, RepChase], reps: Mapping[str, Rep], escalate_after: int
) -> list[TeamChase]:
    leaders: dict[tuple[str | None, str | None], Counter[str]] = {}
    for rep in reps.values():
        counter = leaders.setdefault((rep.region, rep.team), Counter())
        if rep.manager:
            counter[rep.manager] += 1
    teams: dict[tuple[str | None, str | None], list[RepChase]] = {}
    for rep_id in sorted(owed):
        entry = owed[rep_id]
        if entry.owes:
            teams.setdefault((entry.rep.region, entry.rep.team), []).append(entry)
    out = []
    for (region, team), members in sorted(teams.items(), key=lambda kv: _sort_key(kv[0])):
        common = leaders.get((region, team), Counter()).most_common(1)
        escalated = [r for r in members if len(r.streak) >= escalate_after]
        out.append(TeamChase(region, team, common[0][0] if common else None, members, escalated))
    return out


def _sort_key(key: tuple[str | None, str | None]) -> tuple[str, str]:
    return (key[0] or "\uffff", key[1] or "\uffff")


def _day(day: dt.date) -> str:
    return f"{day:%m-%d}"


def _team_dict(t: TeamChase) -> dict[str, Any]:
    return {
        "region": t.region,
        "team": t.team,
        "leader": t.leader,
        "reps": [
            {
                "rep_id": r.rep.rep_id,
                "name": r.rep.name,
                "missing_days": [d.isoformat() for d in r.missing_days],
                "missing_weekly_plans": [str(w) for w in r.missing_weeks],
                "missing_monthly_plans": [str(m) for m in r.missing_months],
                "refused_days": [d.isoformat() for d in r.refused_days],
                "refused_weekly_plans": [str(w) for w in r.refused_weeks],
                "refused_monthly_plans": [str(m) for m in r.refused_months],
                "missing_in_a_row": len(r.streak),
                "counted_from": r.counted_from[0].isoformat() if r.counted_from else None,
                "counted_from_reason": r.counted_from[1] if r.counted_from else None,
                "escalated": r in t.escalated,
                "message_zh": r.message().zh,
                "message_en": r.message().en,
            }
            for r in t.reps
        ],
        "escalations": [
            {
                "rep_id": r.rep.rep_id,
                "name": r.rep.name,
                "days": len(r.streak),
                "first": r.streak[0].isoformat(),
                "last": r.streak[-1].isoformat(),
                "counted_from": (
                    r.counted_from[0].isoformat() if r.run_cut_short and r.counted_from else None
                ),
                "message_zh": r.escalation(t.leader).zh,
                "message_en": r.escalation(t.leader).en,
            }
            for r in t.escalated
        ],
    }


def _team_name(t: TeamChase, lang: str) -> str:
    team = t.team or (NO_TEAM[1] if lang == "en" else NO_TEAM[0])
    return f"{t.region} / {team}" if t.region else team


def chase_text(chase: ChaseList, lang: str = "zh") -> list[str]:
    """The chase list as lines of text: per team its messages, then the leader's list."""
    en = lang == "en"
    months = ", ".join(map(str, chase.window.months))
    lines = [
        f"Chase list as of {chase.as_of} ({months})"
        if en
        else f"催交名单 截至 {chase.as_of}（{months}）"
    ]
    if not chase.roster:
        lines.append(
            "  without a roster only reps who handed in something are known"
            if en
            else "  没有花名册：只知道交过表的销售员"
        )
    if chase.empty is not None:  # not a quiet "nobody owes"
        lines.append(
            f"  warning: {chase.empty.message_en}" if en else f"  警告：{chase.empty.message_zh}"
        )
    if chase.known_from is not None:
        day, why = chase.known_from
        where = ("the store", "数据库") if why == "store" else ("the inbox", "收件箱")
        lines.append(
            f"  {where[0]} holds no report before {day}: earlier days are not counted as missing"
            if en
            else f"  {where[1]}中没有 {day} 之前的报表：此前的日子不算缺交"
        )
    if not chase.owes:
        if chase.empty is None:
            lines.append("  nobody owes a report" if en else "  无人欠交")
        return lines
    for t in chase.teams:
        if t.leader:
            leader = f"leader {t.leader}" if en else f"主管 {t.leader}"
        else:
            leader = "no leader in the roster" if en else "花名册无主管"
        head = f"{_team_name(t, lang)} ({leader}): "
        head += (
            (f"{len(t.reps)} reps owe" if len(t.reps) != 1 else "1 rep owes")
            if en
            else f"{len(t.reps)} 人欠交"
        )
        lines += ["", head]
        lines += [f"  {r.message().pick(lang)}" for r in t.reps]
        for r in t.escalated:
            label = "escalate" if en else "升级"
            lines.append(f"  [{label}] {r.escalation(t.leader).pick(lang)}")
    return lines


C = ColumnSpec


def chase_sheet(chase: ChaseList) -> SheetData:
    """The 催交 Chase sheet: one row per rep who owes something, with the message to paste."""
    columns = [
        C("region", "区域", "Region"),
        C("team", "团队", "Team"),
        C("leader", "主管", "Leader"),
        C("rep_id", "工号", "Rep ID"),
        C("name", "销售员", "Rep"),
        C("missing_days", "缺交日报", "Daily reports missing", "int"),
        C("days", "缺交日期", "Days missing"),
        C("plans", "缺交计划", "Plans missing"),
        C("refused", "已拒收（须修改重交）", "Refused (fix and resend)"),
        C("in_a_row", "连续缺交", "Missing in a row", "int"),
        C("escalate", "升级给", "Escalate to"),
        C("message", "催交消息", "Message"),
    ]
    rows: list[list[Any]] = []
    for t in chase.teams:
        leader = t.leader or None
        for r in t.reps:
            plans = Translated(
                ", ".join(
                    [*(f"W{w.week} 周计划" for w in r.missing_weeks)]
                    + [f"{m} 月计划" for m in r.missing_months]
                ),
                ", ".join(
                    [*(f"weekly plan W{w.week}" for w in r.missing_weeks)]
                    + [f"monthly plan {m}" for m in r.missing_months]
                ),
            )
            escalate = None
            if r in t.escalated:
                escalate = Translated(leader or "主管", leader or "team leader")
            rows.append(
                [
                    t.region,
                    t.team,
                    leader,
                    r.rep.rep_id,
                    r.rep.name,
                    len(r.missing_days),
                    ", ".join(_day(d) for d in r.missing_days) or None,
                    plans if plans.en else None,
                    _refused_text(r),
                    len(r.streak) or None,
                    escalate,
                    r.message(),
                ]
            )
    return SheetData("chase", "催交", "Chase", columns, rows)


def _refused_text(r: RepChase) -> Translated | None:
    months = sorted({Month.of(d) for d in r.refused_days})
    zh = [
        *(f"{m} 日报" for m in months),
        *(f"W{w.week} 周计划" for w in r.refused_weeks),
        *(f"{m} 月计划" for m in r.refused_months),
    ]
    en = [
        *(f"daily report {m}" for m in months),
        *(f"weekly plan W{w.week}" for w in r.refused_weeks),
        *(f"monthly plan {m}" for m in r.refused_months),
    ]
    return Translated(", ".join(zh), ", ".join(en)) if zh else None
