"""List sheets shortened for reading: per rep the count and the most urgent N entries.

A cold-calling team's month has tens of thousands of 7-day lapses, and a
messy inbox thousands of issues: a sheet of all of them is slow to write
and nobody reads past the first screen of a rep.  The summary workbook
therefore shows, per rep (per file for `问题 Issues`), the `limit` most
urgent entries (a rep's customer conflicts first: they decide who is
credited with a sale, so however many lapses a cold-caller has, they are
shown) and a column with how many that rep has in all; the
Overview says which lists were shortened and where the rest is (the
summary written with `--details` or `--list-limit 0` holds every entry; the
store keeps every issue).  `提交 Submissions` is one row per rep already:
it is never shortened.  Only the workbook is shortened (the summary, and
each leader's pack for its own reps): the `Summary` (JSON output,
scorecards, tests) keeps every entry.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from salesxl.consolidate.model import ColumnSpec, LazySheet, SheetData
from salesxl.core.issues import Severity

__all__ = ["DEFAULT_LIST_LIMIT", "Shortened", "overview_notes", "shorten_lists"]

DEFAULT_LIST_LIMIT = 20

_SEVERITY_ORDER = {Severity.ERROR.value: 0, Severity.WARNING.value: 1}


_FIRST = -(1 << 62)  # before every lapse


def _customer_urgency(sheet: SheetData) -> list[int]:
    """Conflicts first, as listed: they decide who is credited with a sale, and a busy
    cold-caller's lapses must not crowd them out; then a lapse overdue longest first (its
    `days`)."""
    days = sheet.column("days")
    # one number per row, not a tuple: a cold-calling month lists 185,000 lapses
    return [-d if type(d := row[days]) is int else _FIRST for row in sheet.rows]


def _issue_urgency(sheet: SheetData) -> list[int]:
    """Errors first, then warnings, then notes; in each, the order of the file."""
    severity = sheet.column("severity")
    order = _SEVERITY_ORDER.get
    return [order(row[severity], 2) for row in sheet.rows]


# sheet key -> (column that says whose entry it is, each row's urgency: smaller is sooner)
_LISTS: dict[str, tuple[str, Callable[[SheetData], list[int]]]] = {
    "customers": ("rep_id", _customer_urgency),
    "issues": ("file", _issue_urgency),
}


# The column a shortened list gains: a rep's total (Customers), a file's (Issues).
_TOTAL_COLUMNS = (("该销售员共计", "Rep's total"), ("该文件共计", "File's total"))

# what "most urgent" means, said in the Overview's note
_ORDER_SAID = {
    "customers": ("，归属冲突在前，再是逾期最久的", ", conflicts first, then the longest overdue"),
    "issues": ("，错误在前", ", errors first"),
}


@dataclass(frozen=True, slots=True)
class Shortened:
    """A list sheet that was shortened: how many entries it has and how many are shown."""

    key: str
    title_zh: str
    title_en: str
    total: int
    shown: int
    limit: int


def shorten_lists(
    sheets: Sequence[SheetData], limit: int | None
) -> tuple[list[SheetData], list[Shortened]]:
    """`sheets` with each list sheet cut to the `limit` most urgent entries per rep (None or 0:
    every entry), and what was cut.  A list with no rep over the limit is left as it is."""
    out: list[SheetData] = []
    cut: list[Shortened] = []
    for sheet in sheets:
        if not limit or sheet.key not in _LISTS:
            out.append(sheet)
            continue
        owner, urgency_of = _LISTS[sheet.key]
        who = sheet.column(owner)
        if isinstance(sheet, LazySheet) and sheet.first is not None:
            # listed most urgent first within each owner: each one's first rows, made alone
            first, totals = sheet.first(limit)
            if all(n <= limit for n in totals.values()):  # every row made: as they are
                columns, kinds = sheet.columns, sheet.row_kinds
                out.append(
                    SheetData(sheet.key, sheet.title_zh, sheet.title_en, columns, first, kinds)
                )
                continue
            rows = [[*row, totals[row[who]]] for row in first]
        else:
            rows, totals = _most_urgent(sheet, who, urgency_of, limit)
            if not rows:
                out.append(sheet)
                continue
        label_zh, label_en = _TOTAL_COLUMNS[sheet.key == "issues"]
        column = ColumnSpec("rep_total", label_zh, label_en, "int")
        out.append(
            SheetData(
                sheet.key,
                sheet.title_zh,
                sheet.title_en,
                [*sheet.columns, column],
                rows,
                sheet.row_kinds,
            )
        )
        total = sum(totals.values())
        cut.append(Shortened(sheet.key, sheet.title_zh, sheet.title_en, total, len(rows), limit))
    return out, cut


def _most_urgent(
    sheet: SheetData, who: int, urgency_of: Callable[[SheetData], list[int]], limit: int
) -> tuple[list[list[Any]], dict[Any, int]]:
    """Each owner's `limit` most urgent rows (in the full list's order, each with its owner's
    total appended) and the totals; no rows when no owner has more than `limit`."""
    mine: dict[Any, list[int]] = defaultdict(list)
    for i, row in enumerate(sheet.rows):
        mine[row[who]].append(i)
    totals = {owner_: len(indices) for owner_, indices in mine.items()}
    if all(n <= limit for n in totals.values()):
        return [], totals
    urgency = urgency_of(sheet).__getitem__
    kept: set[int] = set()
    for indices in mine.values():
        # sorted() is stable: among equally urgent entries the first listed are kept
        kept.update(sorted(indices, key=urgency)[:limit] if len(indices) > limit else indices)
    every = sheet.rows
    return [[*every[i], totals[every[i][who]]] for i in sorted(kept)], totals


def overview_notes(cut: Sequence[Shortened], *, pack: bool = False) -> list[tuple[str, str]]:
    """Lines for the Overview (Chinese, English) saying which lists were shortened, how far,
    and where the rest is.

    The manager's summary says how to write every entry (the manager runs salesxl); a
    leader's pack (`pack`) says what its reader can do: the total column gives each one's
    count, and the full list is the manager's to send (a leader does not consolidate)."""
    notes = []
    for s in cut:
        zh_per, en_per = ("每个文件", "per file") if s.key == "issues" else ("每人", "per rep")
        zh_order, en_order = _ORDER_SAID.get(s.key, ("", ""))
        total_zh, total_en = _TOTAL_COLUMNS[s.key == "issues"]
        if pack:
            rest_zh = f"「{total_zh}」列是各自的总数；要看全部条目，请向经理索取完整列表"
            rest_en = (
                f"the {total_en} column gives each one's count; for every entry, ask your "
                "manager for the full list"
            )
        else:
            rest_zh = "全部：加 --details 或 --list-limit 0 重新汇总"
            rest_en = "all of them: consolidate again with --details or --list-limit 0"
        notes.append(
            (
                f"{s.title_zh}列表已精简：显示 {s.shown:,} / 共 {s.total:,} 条（{zh_per}最紧急的 "
                f"{s.limit} 条{zh_order}；{rest_zh}）",
                f"{s.title_en}: list shortened, showing {s.shown:,} of {s.total:,} (the "
                f"{s.limit} most urgent {en_per}{en_order}; {rest_en})",
            )
        )
    return notes
