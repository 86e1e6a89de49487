"""The store's customers table against the attribution rules worked out by hand in Python.

`refresh_customers` ranks only the contacts that can win (a customer's first day, and the
contacts with a deposit); these tests give it stores where everything ties that can tie —
several reps on the first day, reports that reached the store at the same moment, one rep
with several reports — and compare each customer with the rules applied to every contact.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, insert, select

from salesxl.store.customers import refresh_customers
from salesxl.store.engine import write_transaction
from salesxl.store.migrations import open_store
from salesxl.store.schema import activities, customers, submissions
from tests import store_fixtures

pg_server = store_fixtures.pg_server
store_url = store_fixtures.store_url

NOW = dt.datetime(2026, 12, 1, 12)
DAY = dt.date(2026, 11, 2)
KEYS = ["tel:13800138000", "tel:13900139000", "name:甲公司"]


def _rules(contacts: list[dict[str, Any]]) -> dict[str, tuple[Any, ...]]:
    """Every customer as the rules give it, from all of its current contacts: the earliest
    contact registers it (then the report that reached the store first, then the rep ID,
    then the report and its row), the earliest contact with a deposit wins the deal."""
    out: dict[str, tuple[Any, ...]] = {}
    current = [c for c in contacts if c["status"] == "current"]
    for key, group in itertools.groupby(
        sorted(current, key=lambda c: c["key"]), key=lambda c: c["key"]
    ):
        mine = list(group)

        def rank(c: dict[str, Any]) -> tuple[Any, ...]:
            return (c["date"], c["first_seen"], c["rep"], c["submission"], c["row"])

        first = min(mine, key=rank)
        deposits = [c for c in mine if c["deposit"] not in (None, 0)]
        deal = min(deposits, key=rank) if deposits else None
        out[key] = (
            first["customer"],
            key[4:] if key.startswith("tel:") else None,
            first["date"],
            first["rep"],
            len({c["rep"] for c in mine}),
            deal["date"] if deal else None,
            deal["rep"] if deal else None,
        )
    return out


_CONTACT = st.fixed_dictionaries(
    {
        "key": st.sampled_from(KEYS),
        "customer": st.sampled_from(["甲公司", "甲 公司", "乙公司"]),
        "day": st.integers(0, 3),  # few days: ties on the first day are common
        "deposit": st.sampled_from([None, None, 0.0, 100.0]),
    }
)
_REPORT = st.fixed_dictionaries(
    {
        "rep": st.sampled_from(["S001", "S002", "S003"]),
        "seen": st.integers(0, 2),  # reports that reached the store at the same moment
        "current": st.booleans(),
        "contacts": st.lists(_CONTACT, min_size=1, max_size=5),
    }
)


@given(reports=st.lists(_REPORT, min_size=1, max_size=6))
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_customers_follow_the_rules_however_contacts_tie(store_url, reports):
    _refresh_and_compare(store_url, reports)


def _refresh_and_compare(url: str, reports: list[dict[str, Any]]) -> None:
    """A store holding just `reports`, its customers refreshed and compared with `_rules`."""
    contacts: list[dict[str, Any]] = []
    with open_store(url) as engine, write_transaction(engine) as conn:
        for table in (customers, activities, submissions):
            conn.execute(delete(table))
        for number, report in enumerate(reports, start=1):
            seen = NOW + dt.timedelta(hours=report["seen"])
            conn.execute(
                insert(submissions).values(
                    id=number,
                    kind="reports",
                    form_id="daily_report",
                    rep_id=report["rep"],
                    period="2026-11",
                    path=f"r{number}.xlsx",
                    content_hash=f"h{number}",
                    data_hash=f"d{number}",
                    size=1,
                    first_seen=seen,
                    received="store",
                    imported_at=NOW,
                    imported_by="test",
                    version=1,
                    status="current" if report["current"] else "replaced",
                    rows=len(report["contacts"]),
                    skipped_rows=0,
                    header="{}",
                    layout="{}",
                )
            )
            for row, c in enumerate(report["contacts"], start=5):
                day = DAY + dt.timedelta(days=c["day"])
                conn.execute(
                    insert(activities).values(
                        submission_id=number,
                        sheet_row=row,
                        rep_id=report["rep"],
                        period="2026-11",
                        date=day,
                        customer=c["customer"],
                        customer_key=c["key"],
                        deposit=c["deposit"],
                    )
                )
                contacts.append(
                    {
                        **c,
                        "date": day,
                        "rep": report["rep"],
                        "first_seen": seen,
                        "submission": number,
                        "row": row,
                        "status": "current" if report["current"] else "replaced",
                    }
                )
        refresh_customers(conn, KEYS, NOW)
        stored = {
            r.key: (
                r.name,
                r.phone,
                r.first_date,
                r.owner_rep,
                r.reps,
                r.deposit_date,
                r.deal_rep,
            )
            for r in conn.execute(select(customers))
        }
    assert stored == _rules(contacts)


def test_a_later_report_on_the_first_day_does_not_take_the_customer(store_url):
    """Worked by hand: S002's contact is on the same first day as S001's and its report came
    in later, so S001 registered the customer; S003's deposit on the 3rd is the first one
    (S001's on the 4th is later), so S003 won the deal; three reps reported it."""
    contact = {"key": KEYS[0], "customer": "甲公司", "deposit": None}
    reports = [
        {"rep": "S002", "seen": 1, "current": True, "contacts": [{**contact, "day": 0}]},
        {
            "rep": "S001",
            "seen": 0,
            "current": True,
            "contacts": [{**contact, "day": 0}, {**contact, "day": 2, "deposit": 50.0}],
        },
        {
            "rep": "S003",
            "seen": 0,
            "current": True,
            "contacts": [{**contact, "day": 1, "deposit": 10.0}],
        },
    ]
    _refresh_and_compare(store_url, reports)
    with open_store(store_url) as engine, engine.connect() as conn:
        (row,) = conn.execute(select(customers)).all()
    assert (row.owner_rep, row.first_date, row.reps) == ("S001", DAY, 3)
    assert (row.deal_rep, row.deposit_date) == ("S003", DAY + dt.timedelta(days=1))


def test_a_replaced_report_registers_nobody(store_url):
    """S001's earlier contact and deposit are in a replaced version: S002 registered the
    customer and won the deal, the only rep reporting it now."""
    contact = {"key": KEYS[1], "customer": "乙公司", "deposit": 5.0}
    reports = [
        {"rep": "S001", "seen": 0, "current": False, "contacts": [{**contact, "day": 0}]},
        {"rep": "S002", "seen": 1, "current": True, "contacts": [{**contact, "day": 3}]},
    ]
    _refresh_and_compare(store_url, reports)
    with open_store(store_url) as engine, engine.connect() as conn:
        (row,) = conn.execute(select(customers)).all()
    assert (row.owner_rep, row.reps, row.deal_rep) == ("S002", 1, "S002")
