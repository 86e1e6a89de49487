"""Exports from other systems in the store: remembered column maps, and what a file can feed.

A `--map FIELD=HEADER` that worked is remembered for the file's header
signature (the set of its headers), so next month's export from the same
system imports with no options; `--forget-map` drops it.  A sales export
without a rep, customer or product column still imports: the import says
which analyses it cannot feed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sqlalchemy import Connection, delete, select

from salesxl.core.display import displayable
from salesxl.core.issues import Code, Issue, make_issue, message
from salesxl.forms import FormId, Role, TableKey
from salesxl.store import codec
from salesxl.store.schema import column_maps
from salesxl.validate import FormData

__all__ = ["forget_map", "not_fed", "remember_map", "remembered_maps"]


def remembered_maps(conn: Connection) -> dict[str, dict[str, str]]:
    """Header signature -> field key -> header, for every remembered mapping."""
    return {
        row.signature: codec.loads(row.mapping)
        for row in conn.execute(select(column_maps.c.signature, column_maps.c.mapping))
    }


def remember_map(
    conn: Connection,
    data: FormData,
    now: dt.datetime,
    actor: str,
) -> bool:
    """Keep the mapping a file was read with, for its header signature; True when new or changed."""
    if not data.mapping or data.mapping_remembered or data.signature is None:
        return False
    mapping: Mapping[str, str] = data.mapping
    old = conn.execute(
        select(column_maps.c.mapping).where(column_maps.c.signature == data.signature)
    ).scalar()
    if old is not None and codec.loads(old) == dict(mapping):
        return False
    if old is not None:
        conn.execute(delete(column_maps).where(column_maps.c.signature == data.signature))
    conn.execute(
        column_maps.insert().values(
            signature=data.signature,
            form_id=data.form_id or "",
            mapping=codec.dumps(dict(mapping)),
            created_at=now,
            created_by=actor,
            path=displayable(data.path),
        )
    )
    return True


def forget_map(conn: Connection, signature: str) -> bool:
    """Drop the mapping remembered for a header signature; True when there was one."""
    return bool(
        conn.execute(delete(column_maps).where(column_maps.c.signature == signature)).rowcount
    )


# Sales-record fields an analysis needs, and the note on what a file without them still feeds.
_FEEDS = (
    ((Role.REP_ID, Role.REP_NAME), "no_rep"),
    ((Role.CUSTOMER,), "no_customer"),
    ((Role.PRODUCT,), "no_product"),
)


def not_fed(data: FormData) -> list[Issue]:
    """Info on the analyses a sales export cannot feed (its optional columns it lacks)."""
    table = data.tables.get(TableKey.SALES)
    if data.form_id != FormId.SALES_RECORDS or table is None:
        return []
    return [
        make_issue(Code.NOT_FED, data.path, *message(Code.NOT_FED, variant), sheet=table.sheet)
        for keys, variant in _FEEDS
        if not any(key in table.columns for key in keys)
    ]
