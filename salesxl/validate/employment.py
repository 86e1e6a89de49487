"""Rows dated outside a rep's employment: before the roster's hire date or after its leave date.

Such a row is a warning at its date cell (`before_hire_date`, `after_leave_date`)
and still counts: either the date or the roster is wrong, and which one only a
person can tell.  Validation judges a file's rows with these rules
(`salesxl.validate.rows`), and so does the store, again at each consolidation,
against the roster in use then (`salesxl.store.employment`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from salesxl.core.issues import Code, message
from salesxl.forms import Field

__all__ = ["Employment", "employed_as", "outside_employment"]

# The rep a table's rows belong to, as the messages name them, with the roster's hire and
# leave dates (None: not given).
Employment = tuple[str, dt.date | None, dt.date | None]


def employed_as(
    rep: str | None,
    employment: Mapping[str, tuple[dt.date | None, dt.date | None]] | None,
    names: Mapping[str, str] | None,
) -> Employment | None:
    """`rep` as the messages name it (ID and the roster's name), with the roster's hire and
    leave dates; None when there is no rep or the roster gives neither date."""
    if not rep or not employment or rep not in employment:
        return None
    joined, left = employment[rep]
    name = (names or {}).get(rep)
    return (f"{rep} {name}" if name and name != rep else rep, joined, left)


def outside_employment(
    employed: Employment, f: Field, day: dt.date
) -> tuple[Code, str, str] | None:
    """The warning (code, zh and en messages) for a row whose date field `f` holds `day`;
    None when the rep was employed that day (the hire and leave days themselves are)."""
    rep, joined, left = employed
    if joined is not None and day < joined:
        code, values = Code.BEFORE_HIRE_DATE, {"joined": joined}
    elif left is not None and day > left:
        code, values = Code.AFTER_LEAVE_DATE, {"left": left}
    else:
        return None
    return (code, *message(code, rep=rep, field_zh=f.zh, field_en=f.en, value=day, **values))
