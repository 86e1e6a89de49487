"""Customers across reps and months: one identity, its first registration and its owner.

Attribution rules of the sales floor (README.md "For managers", 客户 Customers): a customer
is the same customer when the normalised phone is the same, else when the
normalised name is; the rep who registered the customer first owns it, and
the first deposit wins the deal.  The store keeps one `customers` row per
identity, recomputed from the current daily-report rows whenever a report
that mentions it is imported or replaced, so the answer holds across months.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, select

from salesxl.core.identity import normalise_name
from salesxl.read.values import normalise_phone
from salesxl.store.bulk import insert_columns
from salesxl.store.schema import activities, customers, submissions

__all__ = ["CustomerRecord", "customer_key", "normalise_name", "refresh_customers"]

_CHUNK = 500


def customer_key(name: str | None, phone: str | None) -> str | None:
    """`tel:<digits>` for a valid CN phone, else `name:<normalised name>`; None without either."""
    if phone:
        digits, valid = normalise_phone(phone)
        if valid:
            return f"tel:{digits}"
    if name and name.strip():
        return f"name:{normalise_name(name)}"
    return None


@dataclass(frozen=True, slots=True)
class CustomerRecord:
    key: str
    name: str
    phone: str | None
    first_date: dt.date
    owner_rep: str  # first registration wins the customer
    reps: int
    deposit_date: dt.date | None
    deal_rep: str | None  # first deposit wins the deal


def refresh_customers(conn: Connection, keys: Iterable[str], now: dt.datetime) -> None:
    """Recompute the `customers` rows of `keys` from the current daily-report rows."""
    wanted = sorted(set(keys))
    a = activities.c
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        # The rows by their customer key alone, then their submissions by id: a join lets
        # a planner without statistics yet (a new store being filled) walk every current
        # submission's rows for each file imported.
        rows = conn.execute(
            select(
                a.customer_key, a.date, a.submission_id, a.rep_id, a.customer, a.phone, a.deposit
            ).where(a.customer_key.in_(chunk))
        ).all()
        seen = _current_first_seen(conn, {r.submission_id for r in rows})
        found: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        for key, day, sub, *values in rows:
            if sub in seen:
                found[key].append((day, seen[sub], *values))
        conn.execute(delete(customers).where(customers.c.key.in_(chunk)))
        records = [_record(key, entries) for key, entries in found.items()]
        columns: dict[str, list[Any]] = {
            name: [getattr(r, name) for r in records]
            for name in (
                "key",
                "name",
                "phone",
                "first_date",
                "owner_rep",
                "reps",
                "deposit_date",
                "deal_rep",
            )
        }
        columns["updated_at"] = [now] * len(records)
        insert_columns(conn, customers, columns)


def _record(key: str, entries: list[tuple[Any, ...]]) -> CustomerRecord:
    # (date, first seen by the store, rep): the earliest contact registers the customer;
    # on the same day the report that reached the store first wins.
    entries.sort(key=lambda e: (e[0], e[1], e[2]))
    day, _, owner, name, _, _ = entries[0]
    phone = key[4:] if key.startswith("tel:") else None
    deposits = [e for e in entries if e[5]]
    deal = deposits[0] if deposits else None
    return CustomerRecord(
        key,
        name,
        phone,
        day,
        owner,
        len({e[2] for e in entries}),
        deal[0] if deal else None,
        deal[2] if deal else None,
    )


def _current_first_seen(conn: Connection, ids: Iterable[int]) -> dict[int, dt.datetime]:
    """Submission id -> when the store first saw its rep-period, for the current ones."""
    wanted = sorted(ids)
    s = submissions.c
    found: dict[int, dt.datetime] = {}
    for start in range(0, len(wanted), _CHUNK):
        for sub, first_seen in conn.execute(
            select(s.id, s.first_seen).where(
                s.id.in_(wanted[start : start + _CHUNK]), s.status == "current"
            )
        ):
            found[sub] = first_seen
    return found
