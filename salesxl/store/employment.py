"""Rows dated outside a rep's employment, judged again at each consolidation from the store.

A daily report row dated before the rep's hire date or after the leave date is
a warning at its date cell (`before_hire_date`, `after_leave_date`:
`salesxl.validate.employment`).  The import judged the rows against the store's
roster of that day, but the roster changes after: imported after the reports,
a leave date corrected, another roster given to `consolidate --db --roster`.
A warning recorded then may no longer be true (or one may be missing), so the
month's stored ones are not shown (`EMPLOYMENT_CODES`): each consolidation
judges the stored rows again, against the roster in use, and the store gives
the warnings a folder of the same files gives with that roster.

Only a rep whose employment does not cover the whole month can have such a
row: the database returns just those reps' rows dated outside it (a few per
leaver or new hire), not the month's rows.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, and_, or_, select

from salesxl.core.issues import Code, Issue, make_issue
from salesxl.core.people import Roster
from salesxl.core.periods import Month
from salesxl.forms import DAILY_REPORT, FormId
from salesxl.store import codec
from salesxl.store.engine import fetched
from salesxl.store.schema import ROW_TABLES, issues
from salesxl.validate.employment import Employment, employed_as, outside_employment

__all__ = ["EMPLOYMENT_CODES", "employment_warnings", "merged_in_order"]

# The warnings judged again at consolidation: what the import recorded of them is left out.
EMPLOYMENT_CODES = frozenset({Code.BEFORE_HIRE_DATE.value, Code.AFTER_LEAVE_DATE.value})
_REPS_PER_QUERY = 100  # each rep is a condition of three parameters


def employment_warnings(
    conn: Connection, subs: Sequence[Row[Any]], period: Month, roster: Roster | None
) -> dict[int, list[Issue]]:
    """Submission id -> the warnings at its rows dated outside its rep's employment in
    `roster` (none without a roster), in the order validation finds them: table by table,
    row by row.  `subs` are stored files; only the daily reports of `period` are judged."""
    if roster is None:
        return {}
    employment, names = roster.employment(), roster.names
    # A file stored before the roster keeps its ID as typed: `s020` is S020's, as in the summary.
    rep_ids = roster.index()
    judged: dict[int, tuple[Row[Any], Employment]] = {}
    for s in subs:
        if s.form_id != FormId.DAILY_REPORT or s.period != str(period):
            continue
        employed = employed_as(rep_ids.canonical(s.rep_id) if s.rep_id else None, employment, names)
        if employed is None:
            continue
        _, joined, left = employed
        if (joined is None or joined <= period.first_day) and (
            left is None or left >= period.last_day
        ):
            continue  # employed the whole month (nearly every rep): no row to look at
        judged[s.id] = (s, employed)
    if not judged:
        return {}
    typed = _typed_values(conn, list(judged))
    layouts = {sub_id: codec.loads(s.layout) for sub_id, (s, _) in judged.items()}
    found: dict[int, list[Issue]] = defaultdict(list)
    ids = list(judged)
    for form_table in DAILY_REPORT.tables:
        stored = ROW_TABLES[(FormId.DAILY_REPORT, form_table.key)]
        for f in (f for f in form_table.fields if f.while_employed):
            day = stored.c[f.key]
            for start in range(0, len(ids), _REPS_PER_QUERY):
                outside = [
                    and_(stored.c.submission_id == sub_id, _outside(day, judged[sub_id][1]))
                    for sub_id in ids[start : start + _REPS_PER_QUERY]
                ]
                query = (
                    select(stored.c.submission_id, stored.c.sheet_row, day)
                    # a row outside the month is an error, never stored: as validation, which
                    # says no more of it
                    .where(or_(*outside), day.between(period.first_day, period.last_day))
                    .order_by(stored.c.submission_id, stored.c.sheet_row)
                )
                for sub_id, row, value in fetched(conn, query):
                    s, employed = judged[sub_id]
                    said = outside_employment(employed, f, value)
                    layout = layouts[sub_id].get(form_table.key)
                    if said is None or layout is None:
                        continue
                    code, zh, en = said
                    cell = f"{layout['columns'].get(f.key, 'A')}{row}"
                    found[sub_id].append(
                        make_issue(
                            code,
                            s.path,
                            zh,
                            en,
                            sheet=layout["sheet"],
                            cell=cell,
                            row=row,
                            column=f.bilingual,
                            # the cell as typed, when the import warned at it too
                            value=typed.get((sub_id, cell), value),
                        )
                    )
    return dict(found)


def _outside(day: ColumnElement[Any], employed: Employment) -> ColumnElement[bool]:
    """The SQL condition: `day` before the hire date or after the leave date."""
    _, joined, left = employed
    return or_(
        *([day < joined] if joined is not None else []),
        *([day > left] if left is not None else []),
    )


def _typed_values(conn: Connection, ids: list[int]) -> dict[tuple[int, str], Any]:
    """(submission id, cell) -> the value as typed there, from the warnings the import
    recorded at these files' dates outside the employment of its day."""
    i = issues.c
    out: dict[tuple[int, str], Any] = {}
    for start in range(0, len(ids), 500):
        query = select(i.submission_id, i.cell, i.value).where(
            i.submission_id.in_(ids[start : start + 500]), i.code.in_(EMPLOYMENT_CODES)
        )
        for sub_id, cell, value in conn.execute(query):
            out[(sub_id, cell)] = codec.loads(value)
    return out


_LETTERS = re.compile(r"[A-Z]*")


def _place(issue: Issue) -> tuple[int, int, str]:
    """Where an issue sits on its sheet, for reading order: row, then column."""
    letters = _LETTERS.match(issue.cell or "")
    column = letters.group() if letters else ""
    return (issue.row if issue.row is not None else -1, len(column), column)


def merged_in_order(found: list[Issue], more: Sequence[Issue]) -> list[Issue]:
    """`found` with `more` put in where validation puts them: after what lies before them on
    their sheet (row, then column; a cell's other issues first), else after the sheet's
    last issue, else at the end."""
    out = list(found)
    for issue in more:
        place, at, after = _place(issue), None, None
        for n, other in enumerate(out):
            if other.sheet != issue.sheet:
                continue
            if _place(other) > place:
                at = n
                break
            after = n + 1
        out.insert(at if at is not None else after if after is not None else len(out), issue)
    return out
