"""Build FormData directly (no files) for fast, hand-checked consolidation tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from salesxl.core.periods import Month, Week
from salesxl.forms import DAILY_REPORT, MONTHLY_PLAN, WEEKLY_PLAN
from salesxl.validate import FormData, TableData

NOV = Month(2026, 11)


def _records(fields, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    empty = {f.key: None for f in fields}
    return [{**empty, **row, "_row": i + 10} for i, row in enumerate(rows)]


def daily(
    rep: str,
    rows: list[dict[str, Any]],
    *,
    month: Month = NOV,
    name: str | None = None,
    team: str = "一组",
    region: str = "华东",
    closes: list[dict[str, Any]] | None = None,
    mtime: dt.datetime | None = None,
    path: str | None = None,
) -> FormData:
    header = {
        "rep_name": name or f"rep {rep}",
        "rep_id": rep,
        "region": region,
        "team": team,
        "month": month,
    }
    tables = {
        "daily": TableData(
            "daily", "日报 Daily", _records(DAILY_REPORT.table("daily").fields, rows), {}
        )
    }
    if closes is not None:
        tables["day_close"] = TableData(
            "day_close",
            "日清 Day close",
            _records(DAILY_REPORT.table("day_close").fields, closes),
            {},
        )
    return FormData(
        path or f"inbox/{rep}_{month}_daily.xlsx",
        "daily_report",
        header,
        tables,
        mtime=mtime.timestamp() if mtime else None,
    )


def weekly(
    rep: str, week: Week, rows: list[dict[str, Any]], *, mtime: dt.datetime | None = None
) -> FormData:
    header = {"rep_name": f"rep {rep}", "rep_id": rep, "week": week}
    tables = {
        "plan": TableData("plan", "计划 Plan", _records(WEEKLY_PLAN.table("plan").fields, rows), {})
    }
    return FormData(
        f"inbox/{rep}_{week}_weekly.xlsx",
        "weekly_plan",
        header,
        tables,
        mtime=mtime.timestamp() if mtime else None,
    )


def monthly(rep: str, month: Month = NOV, *, mtime: dt.datetime | None = None) -> FormData:
    header = {"rep_name": f"rep {rep}", "rep_id": rep, "month": month}
    tables = {
        "accounts": TableData(
            "accounts",
            "重点客户 Key accounts",
            _records(MONTHLY_PLAN.table("accounts").fields, []),
            {},
        )
    }
    return FormData(
        f"inbox/{rep}_{month}_monthly.xlsx",
        "monthly_plan",
        header,
        tables,
        mtime=mtime.timestamp() if mtime else None,
    )


def row(day: int | dt.date, customer: str, **values: Any) -> dict[str, Any]:
    date = day if isinstance(day, dt.date) else dt.date(2026, 11, day)
    return {"date": date, "customer": customer, **values}
