"""JSON for the loosely typed values the store keeps: header blocks, extra columns, issue values.

Plain JSON would turn a date into a string and a `Month` into text; the
store must give back exactly what the reader produced, so such values are
tagged (`{"$date": "2026-11-03"}`) and restored on the way out.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from salesxl.core.periods import Month, Week

__all__ = ["dumps", "loads"]

_TAGS = ("$datetime", "$date", "$time", "$month", "$week")


def _tagged(value: Any) -> Any:
    """What JSON cannot hold itself (called by the encoder for those values only)."""
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, dt.time):
        return {"$time": value.isoformat()}
    if isinstance(value, Month):
        return {"$month": str(value)}
    if isinstance(value, Week):
        return {"$week": str(value)}
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    return str(value)


def _decode(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        tag, text = next(iter(obj.items()))
        if tag in _TAGS and isinstance(text, str):
            if tag == "$datetime":
                return dt.datetime.fromisoformat(text)
            if tag == "$date":
                return dt.date.fromisoformat(text)
            if tag == "$time":
                return dt.time.fromisoformat(text)
            if tag == "$month":
                return Month.parse(text)
            return Week.parse(text)
    return obj


_ENCODER = json.JSONEncoder(
    ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_tagged
)


def dumps(value: Any) -> str:
    """Compact, key-sorted JSON (the same value always gives the same text)."""
    return _ENCODER.encode(value)


def loads(text: str | None) -> Any:
    return None if text is None else json.loads(text, object_hook=_decode)
