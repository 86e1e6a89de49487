"""Sales export sources: `salesxl import sales --source NAME`, and what an import says about
rows of other files (README.md "The store").

An export's source is its header signature (the same system) and, for two
shops or systems with the same headers, the name given with `--source`
(none: the unnamed source, which every row stored before names existed
belongs to).  An export replaces the rows of its own source only
(`salesxl.store.kinds`).  Because a source is recognised by its headers, two
shops on one ERP look alike unless named; so an import says, as a warning:

- `replaced_other_file`: it replaced rows another file (another file name)
  brought: how many, of which file, imported when, for which reps and days.
  A re-import of the same file name (a corrected export) stays quiet.
- `other_source_kept`: rows of the same headers, one side named and the other
  not, cover the same reps and days and were both kept (the same shop
  imported with and without `--source`?).  Two different names are two
  shops: kept without a word.

The warnings ask the store about the few earlier files they name, never row
by row in Python.
"""

from __future__ import annotations

import hashlib
from pathlib import PurePath
from typing import Any

from sqlalchemy import Connection

from salesxl.core.issues import Code, Issue, make_issue, message
from salesxl.forms import TableKey
from salesxl.store.kinds import Kind, Previous, RepDays, rows_by_rep, submissions_of
from salesxl.validate import FormData

__all__ = ["SOURCE_NAME_LENGTH", "named_hash", "sales_overlaps", "source_name"]

SOURCE_NAME_LENGTH = 100
REPS_SHOWN = 5  # reps listed in a warning; the others are counted


def source_name(name: str | None, kind: Kind) -> str | None:
    """A source name as stored: trimmed; None for none (ValueError when it cannot be used)."""
    if name is None:
        return None
    if kind.name != "sales":
        raise ValueError(f"a source name is for sales exports, not for {kind.name}")
    trimmed = name.strip()
    if not trimmed or len(trimmed) > SOURCE_NAME_LENGTH or not trimmed.isprintable():
        raise ValueError(
            f"source name {name!r}: use 1 to {SOURCE_NAME_LENGTH} printable characters "
            "naming the shop or system, e.g. shop-east"
        )
    return trimmed


def named_hash(content_hash: str, name: str) -> str:
    """What identifies a file imported with `--source NAME`: its bytes and the name (the
    same bytes under another name are another import)."""
    return hashlib.sha256(f"{content_hash}\0source:{name}".encode()).hexdigest()


def sales_overlaps(
    conn: Connection, data: FormData, previous: Previous, name: str | None
) -> list[Issue]:
    """The warnings about the rows a sales export replaces from other files, or keeps from
    the other kind of source (asked before `supersede` marks them)."""
    mine = _file_name(data.path)
    moved = set(previous.moved)
    others = [s for s in previous.rows if s.id not in moved and _file_name(s.path) != mine]
    found: list[Issue] = []
    if others:
        by_rep = rows_by_rep(conn, previous.conditions, [s.id for s in others])
        variant = "" if name is None else "named"
        for s in others:
            found.append(
                _issue(data, Code.REPLACED_OTHER_FILE, variant, s, by_rep.get(s.id, []), name)
            )
    if previous.kept_other:
        ids = sorted(previous.kept_other)
        by_rep = rows_by_rep(conn, previous.kept_conditions, ids)
        variant = "unnamed" if name is None else ""
        for s in submissions_of(conn, ids):
            found.append(  # of the two names, the one given
                _issue(
                    data,
                    Code.OTHER_SOURCE_KEPT,
                    variant,
                    s,
                    by_rep.get(s.id, []),
                    name or previous.kept_names.get(s.id),
                )
            )
    return found


def _file_name(path: str) -> str:
    return PurePath(path).name


def _issue(
    data: FormData, code: Code, variant: str, earlier: Any, days: list[RepDays], name: str | None
) -> Issue:
    rows = sum(d.rows for d in days)
    reps_zh, reps_en = _reps(days)
    table = data.tables.get(TableKey.SALES)
    return make_issue(
        code,
        data.path,
        *message(
            code,
            variant,
            rows=f"{rows:,}",
            earlier=earlier.path,
            when=f"{earlier.imported_at:%Y-%m-%d %H:%M}",
            reps_zh=reps_zh,
            reps_en=reps_en,
            source=name or "",
            file=_file_name(data.path),
        ),
        sheet=table.sheet if table is not None else None,
        value=earlier.path,  # the file whose rows these are
    )


def _reps(days: list[RepDays]) -> tuple[str, str]:
    """`S001 2026-01-03 – 2026-01-05 (3 rows); …`, the first REPS_SHOWN reps, in both
    languages."""
    zh, en = [], []
    for d in days[:REPS_SHOWN]:
        span = (
            f"{d.first:%Y-%m-%d}"
            if d.first == d.last
            else f"{d.first:%Y-%m-%d} – {d.last:%Y-%m-%d}"
        )
        zh.append(f"{d.rep_id or '无销售员'} {span}（{d.rows:,} 行）")
        en.append(f"{d.rep_id or 'no rep'} {span} ({d.rows:,} row{'s' if d.rows != 1 else ''})")
    more = len(days) - REPS_SHOWN
    if more > 0:
        zh.append(f"另有 {more} 名销售员")
        en.append(f"and {more} more rep{'s' if more != 1 else ''}")
    return "；".join(zh), "; ".join(en)
