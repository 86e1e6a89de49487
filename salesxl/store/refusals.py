"""Rep files the import refused: what the audit log keeps of them, and reading them back.

A rep's file with an error is not imported (unless `--skip-bad-rows`); the
audit log keeps its errors and, up to REFUSAL_ROWS, its rows as read, so a
summary from the store can say the report was received and refused, point
at its errors, and show its figures as provisional instead of "missing".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, select

from salesxl.core.issues import Issue
from salesxl.core.periods import Month, Week
from salesxl.core.rep_ids import rep_key
from salesxl.forms import FORMS
from salesxl.store import codec
from salesxl.store.schema import audit_log, submissions
from salesxl.validate import FormData, TableData

__all__ = ["REFUSAL_ISSUES", "REFUSAL_ROWS", "RefusedFile", "read_refusals", "refused_content"]

REFUSAL_ISSUES = 50  # errors kept per refused file (the import's own report lists them all)
# Rows kept per refused file (a month's daily report has a few hundred); a bigger file is
# logged with its errors only, and its figures stay unknown.
REFUSAL_ROWS = 5_000


@dataclass(frozen=True, slots=True)
class RefusedFile:
    """A rep form the import refused: what it said (as read, when the store kept its rows),
    how many errors it had and when it was refused."""

    data: FormData
    errors: int
    at: dt.datetime


def refused_content(data: FormData, layout: dict[str, Any]) -> dict[str, Any]:
    """What the audit log keeps of a refused file besides its errors: header and rows."""
    if data.form_id is None or sum(len(t) for t in data.tables.values()) > REFUSAL_ROWS:
        return {}
    return {
        "header": data.header,
        "header_cells": data.header_cells,
        "layout": layout,
        "tables": {key: t.records for key, t in data.tables.items()},
        "mtime": data.mtime,
    }


def read_refusals(conn: Connection, period: Month) -> list[RefusedFile]:
    """Each rep-period's latest refused file with its errors, unless a file of that rep-period
    was imported after it (what a manager needs to know about a month missing from the store)."""
    latest: dict[tuple[Any, ...], tuple[dt.datetime, str, dict[str, Any]]] = {}
    for at, path, details in conn.execute(
        select(audit_log.c.at, audit_log.c.path, audit_log.c.details)
        .where(audit_log.c.action == "refuse")
        .order_by(audit_log.c.at, audit_log.c.id)
    ):
        d = codec.loads(details)
        if d["first"] > period.last_day or d["last"] < period.first_day:
            continue
        # A file that names its rep and period stands for that rep-period (its ID however
        # typed: `s020` and `S020` are one rep, as consolidation groups them); any other, for
        # itself.
        key = (
            (d["form"], rep_key(d["rep_id"]), d["period"])
            if d["rep_id"] and d["period"]
            else (path,)
        )
        latest[key] = (at, path, d)
    if not latest:
        return []
    c = submissions.c
    imported: dict[tuple[Any, ...], dt.datetime] = {}
    for form, rep, got, at in conn.execute(
        select(c.form_id, c.rep_id, c.period, func.max(c.imported_at))
        .where(c.period.in_(sorted({k[2] for k in latest if len(k) == 3})))
        .group_by(c.form_id, c.rep_id, c.period)
    ):
        if rep:
            folded = (form, rep_key(rep), got)
            imported[folded] = max(at, imported.get(folded, at))
    found = []
    for key, (at, path, d) in sorted(latest.items(), key=lambda kv: kv[1][0]):
        later = imported.get(key)
        if later is not None and later >= at:
            continue
        found.append(RefusedFile(_refused_form(at, path, d), d["errors"], at))
    return found


def _refused_form(at: dt.datetime, path: str, d: dict[str, Any]) -> FormData:
    """The refused file as the reader gave it: header and rows when the store kept them
    (refusals logged before it did have the header's rep and period only)."""
    issues = [Issue.from_dict(i) for i in d["issues"]]
    layout = d.get("layout")
    if layout is None:
        header: dict[str, Any] = {}
        form = FORMS.get(d["form"] or "")
        if form is not None and form.rep_field and form.period_field and d["period"]:
            period_type = Month if len(d["period"]) == 7 else Week
            header = {
                form.rep_field: d["rep_id"],
                form.period_field: period_type.parse(d["period"]),
            }
        return FormData(path, d["form"], header, issues=issues, mtime=at.timestamp())
    tables = {
        key: TableData(key, spec["sheet"], d["tables"][key], spec["columns"], spec["extras"])
        for key, spec in layout.items()
    }
    data = FormData(path, d["form"], d["header"], tables, issues, mtime=d.get("mtime"))
    cells = d.get("header_cells", {})
    data.header_cells = {key: (sheet, cell) for key, (sheet, cell) in cells.items()}
    return data
