"""Planner statistics for the tables an import is filling (PostgreSQL).

A new PostgreSQL store has no statistics until autovacuum gets round to it,
which is after the import: meanwhile the planner takes `activities` for
nearly empty, and recomputing the customers of 64 daily reports (a window
query over each customer's rows) took 0.6 s per 500 customers instead of
20 ms.  So an import runs ANALYZE on a table (inside its transaction: it
sees the rows written so far) once the rows it added since it last looked
outnumber what the planner believes the table holds: a few times over a
store's first big import, never on a store that is already large.  SQLite
plans these queries by their indexes and needs nothing.
"""

from __future__ import annotations

from collections.abc import MutableMapping

from sqlalchemy import Connection, text

__all__ = ["MIN_ROWS", "keep_statistics"]

MIN_ROWS = 50  # fewer new rows never change a plan
# what the planner believes each table holds (a name that is no table: no row)
_BELIEVED = text(
    "SELECT n.name, c.reltuples FROM unnest(CAST(:names AS text[])) AS n(name) "
    "JOIN pg_class c ON c.oid = to_regclass(n.name)"
)


def keep_statistics(conn: Connection, added: MutableMapping[str, int]) -> list[str]:
    """ANALYZE each table of `added` (table name -> rows added since it was last analysed
    here) whose new rows outnumber the planner's estimate; their counts restart at 0.
    Returns the tables analysed."""
    if conn.dialect.name != "postgresql":
        return []
    grown = [name for name, n in added.items() if n >= MIN_ROWS]
    if not grown:
        return []
    beliefs = {name: n for name, n in conn.execute(_BELIEVED, {"names": grown})}  # one query
    analysed = []
    for name in grown:
        believed = beliefs.get(name)
        if believed is None or added[name] <= believed:  # no such table, or estimate holds
            continue
        quote = conn.dialect.identifier_preparer.quote
        conn.exec_driver_sql(f"ANALYZE {quote(name)}")
        added[name] = 0
        analysed.append(name)
    return analysed
