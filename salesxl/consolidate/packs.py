"""Packs for each leader: the summary cut per team or region, optionally password-protected.

`write_packs(summary, folder, split_by="team")` writes one workbook per team
(or region) holding only its reps (assemble.summarise with `only`): every
sheet filtered, the totals theirs, each rep's and team's company-wide rank
kept as context.  With passwords (`read_passwords`: one per leader), each
pack gets an open password (write.protect).  Each pack comes with a one-line
headline for the leader's group chat.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from salesxl.consolidate.assemble import summarise
from salesxl.consolidate.lists import DEFAULT_LIST_LIMIT
from salesxl.consolidate.model import Summary
from salesxl.consolidate.results import Results
from salesxl.consolidate.trends import region_key, team_key
from salesxl.consolidate.workbook import write_workbook
from salesxl.core.errors import SalesxlError
from salesxl.core.text import plural
from salesxl.read.marks import Written
from salesxl.write.output import check_folder
from salesxl.write.protect import encrypted_output
from salesxl.write.xlsx import atomic_output

__all__ = [
    "SPLITS",
    "Pack",
    "PackGroup",
    "PasswordsError",
    "check_passwords",
    "make_folder",
    "pack_groups",
    "pack_headline",
    "read_passwords",
    "unknown_names",
    "write_packs",
]

SPLITS = ("team", "region")
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


class PasswordsError(SalesxlError, ValueError):
    """The passwords file cannot be used, or a leader has no password in it."""

    usage = True  # the file given cannot be used as it is


def _bad_passwords(zh: str, en: str) -> PasswordsError:
    return PasswordsError(
        zh,
        en,
        hint_zh="每行写一个团队（或区域）和它的密码，用逗号或制表符隔开：一组,密码",
        hint_en="write one team (or region) and its password per line, comma or tab between: "
        "一组,password",
        setting="passwords",
    )


@dataclass(frozen=True, slots=True)
class PackGroup:
    """A team or a region: who is in it, and the names a passwords file may use for it."""

    key: str  # trends.team_key / region_key
    region: str | None
    team: str | None  # None for a region
    reps: frozenset[str]

    @property
    def name(self) -> str:
        if self.team is None:
            return self.region or "—"
        return f"{self.region} {self.team}" if self.region else self.team

    @property
    def aliases(self) -> list[str]:
        """How a passwords file may name it: `华东/一组`, `华东 一组`, or the team alone."""
        if self.team is None:
            return [self.region or ""]
        names = [self.team]
        if self.region:
            names += [f"{self.region}/{self.team}", f"{self.region} {self.team}"]
        return names


@dataclass(frozen=True, slots=True)
class Pack:
    group: PackGroup
    path: Path
    headline: str
    encrypted: bool


def pack_groups(results: Results, split_by: str) -> list[PackGroup]:
    """The teams (`split_by="team"`) or regions of the month, each with its reps."""
    if split_by not in SPLITS:
        raise ValueError(f"split_by must be one of {SPLITS}, not {split_by!r}")
    members: dict[tuple[str | None, str | None], set[str]] = {}
    for t in results.reps.values():
        key = (t.region, t.team if split_by == "team" else None)
        members.setdefault(key, set()).add(t.key)
    groups = [
        PackGroup(
            team_key(region, team) if split_by == "team" else region_key(region),
            region,
            team,
            frozenset(ids),
        )
        for (region, team), ids in members.items()
    ]
    return sorted(groups, key=lambda g: (g.region or "", g.team or ""))


def read_passwords(path: Path) -> dict[str, str]:
    """`name,password` per line (comma or tab; UTF-8 or GBK; `#` starts a comment).

    A name is a team (`一组`, `华东/一组`) or a region.  Raises PasswordsError."""
    raw = Path(path).read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any bytes
        raise _bad_passwords(f"{path}：不是 UTF-8 或 GBK 文本", f"{path}: not UTF-8 or GBK text")
    found: dict[str, str] = {}
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = next(csv.reader(io.StringIO(line), delimiter="\t" if "\t" in line else ","))
        if len(fields) != 2 or not fields[0].strip() or not fields[1].strip():
            raise _bad_passwords(
                f"{path} 第 {n} 行不是「团队,密码」：{line!r}",
                f"{path}, line {n}: not `team,password`: {line!r}",
            )
        name, password = fields[0].strip(), fields[1].strip()
        if name in found:
            raise _bad_passwords(
                f"{path} 第 {n} 行：{name} 已经有密码",
                f"{path}, line {n}: {name} has a password already",
            )
        found[name] = password
    return found


def check_passwords(groups: Sequence[PackGroup], passwords: Mapping[str, str]) -> None:
    """Raise PasswordsError unless every pack has a password."""
    missing = [g.name for g in groups if _password_of(g, passwords) is None]
    if missing:
        raise _bad_passwords(
            f"没有 {'、'.join(missing)} 的密码：给出密码文件时，每个分包都要加密",
            f"no password for {', '.join(missing)}: with a passwords file every pack is protected",
        )


def _password_of(group: PackGroup, passwords: Mapping[str, str]) -> str | None:
    for alias in reversed(group.aliases):  # the most specific name first
        if alias in passwords:
            return passwords[alias]
    return None


def pack_headline(pack: Summary, group: PackGroup, lang: str = "zh") -> str:
    """One line for the leader's group chat: amount, completion, pace, warnings, missing."""
    h = pack.headline
    by_rep = pack.sheet("by_rep").records()
    oral = sum(r["warning"] == "oral" for r in by_rep)
    written = sum(r["warning"] == "written" for r in by_rep)
    completion = f"{h.completion:.1%}" if h.completion is not None else "—"
    pace = f"{h.pace:.2f}" if h.pace is not None else "—"
    if lang == "en":
        return (
            f"{group.name} {h.period} to {h.as_of:%m-%d}: amount ¥{h.amount:,.0f}, completion "
            f"{completion}, pace {pace}, {plural(oral + written, 'rep')} warned ({written} "
            f"written), {plural(h.missing, 'report')} missing"
        )
    return (
        f"{group.name} {h.period} 截至 {h.as_of:%m-%d}：金额 ¥{h.amount:,.0f}，完成率 {completion}，"
        f"进度指数 {pace}，预警 {oral + written} 人（书面 {written}），缺交 {h.missing} 份"
    )


def pack_name(group: PackGroup, summary: Summary) -> str:
    return _UNSAFE.sub("_", f"{summary.headline.period} {group.name}.xlsx").strip()


def write_packs(
    summary: Summary,
    folder: Path,
    *,
    split_by: str,
    lang: str = "zh",
    details: bool = False,
    passwords: Mapping[str, str] | None = None,
    list_limit: int | None = DEFAULT_LIST_LIMIT,
) -> list[Pack]:
    """One workbook per team or region in `folder` (created if need be), and its headline.
    Its list sheets show its own reps' `list_limit` most urgent entries (as the summary's).

    With `passwords`, every pack must have one (else PasswordsError, before anything is
    written).  Raises OutputError when a pack cannot be written.
    """
    results = summary.results
    if results is None:
        raise ValueError("packs are cut from a company summary (Summary.results)")
    groups = pack_groups(results, split_by)
    if passwords is not None:
        check_passwords(groups, passwords)
    folder = make_folder(folder)
    packs = []
    for group in groups:
        trends = None
        if summary.trends is not None:
            teams = {team_key(t.region, t.team) for t in results.teams}
            mine = {k for k in teams if _in_group(k, group, results)}
            trends = summary.trends.focus(group.key, mine)
        pack = summarise(results, only=group.reps, trends=trends)
        path = folder / pack_name(group, summary)
        password = _password_of(group, passwords) if passwords is not None else None
        output = (
            encrypted_output(path, password)
            if password
            else atomic_output(path, "分包", written=Written.SUMMARY)
        )
        with output as tmp:
            write_workbook(
                pack,
                tmp,
                lang=lang,
                details=details,
                base=folder.resolve(),
                in_memory=True,
                list_limit=list_limit,
                pack=True,
            )
        packs.append(Pack(group, path, pack_headline(pack, group, lang), password is not None))
    return packs


def make_folder(folder: Path) -> Path:
    """The packs' folder, created if need be (raises OutputError when it cannot be)."""
    return check_folder(folder, "分包文件夹")


def _in_group(key: str, group: PackGroup, results: Results) -> bool:
    if group.team is not None:
        return key == group.key
    return any(
        team_key(t.region, t.team) == key and t.region == group.region for t in results.teams
    )


def unknown_names(passwords: Mapping[str, str], groups: Sequence[PackGroup]) -> list[str]:
    """Names in a passwords file that match no pack (a typo, or a team that has gone)."""
    known = {alias for g in groups for alias in g.aliases}
    return sorted(name for name in passwords if name not in known)
