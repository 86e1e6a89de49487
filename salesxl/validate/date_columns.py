"""A date column's `2/24/2003`-style values, read in one day/month order for the whole column.

The order comes from `--date-order` or from the column's own values
(salesxl.read.dates.infer_order); it is never guessed cell by cell, so a
day and a month are never silently swapped: a value the column's order
cannot read is an error at its cell, and a column no order settles is
refused at its header with what to do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from salesxl.core.issues import Code, Severity, message
from salesxl.read.dates import infer_order, numeric_parts, ordered_date
from salesxl.read.values import date_text

__all__ = ["ORDER_NAMES", "DateColumn", "settle_numeric_dates"]

ORDER_NAMES = {
    "dmy": ("日/月/年", "day/month/year"),
    "mdy": ("月/日/年", "month/day/year"),
    "ymd": ("年/月/日", "year/month/day"),
}


@dataclass(slots=True)
class DateColumn:
    """What settling a column found: per-cell problems and column-level notes."""

    cells: list[tuple[int, str, str]] = field(default_factory=list)  # (index, zh, en) errors
    # column-level issues: (code, zh, en, severity or None for the code's own)
    header: list[tuple[Code, str, str, Severity | None]] = field(default_factory=list)


def settle_numeric_dates(
    values: Sequence[Any],
    out: list[Any],
    slow: object,
    label: tuple[str, str],
    order: str | None,
    convert: Callable[[dt.date], Any] = lambda d: d,
    period: tuple[dt.date, dt.date] | None = None,
) -> DateColumn:
    """Fill `out[i]` (where it is `slow`) for every `2/24/2003`-style value; returns the issues.

    Cells left `slow` are not numeric dates: the tolerant parser takes them.  A
    cell that gets an issue is set to None.  `period` (the first and last day of
    a rep form's header month or week) settles a column no value settles when
    exactly one order puts every date inside it.
    """
    zh, en = label
    spelled: dict[str, str | None] = {}  # raw cell -> its numeric-date text (columns repeat)
    texts: dict[int, str] = {}
    for i, v in enumerate(out):
        raw = values[i]
        if v is slow and type(raw) is str:
            text = spelled.get(raw, "")
            if text == "":
                text = date_text(raw)
                text = spelled[raw] = text if numeric_parts(text) is not None else None
            if text is not None:
                texts[i] = text
    found = DateColumn()
    if not texts:
        return found
    distinct = set(texts.values())
    verdict = infer_order(sorted(distinct))  # (its example: the first, as the notes below)
    if order is None and verdict.ambiguous and period is not None:
        order = _order_by_period(distinct, period)  # 11/3 and 11/5 in a November report
    if order is None and verdict.order is None:
        _refuse(found, verdict.conflicting, verdict.example, zh, en)
        for i in texts:
            out[i] = None
            found.cells.append((i, "", ""))  # no cell issue: the header issue says it all
        return found
    use = order or verdict.order
    assert use is not None
    read: dict[str, Any] = {}
    for text in distinct:
        try:
            read[text] = convert(ordered_date(numeric_parts(text), use))  # type: ignore[arg-type]
        except ValueError:
            read[text] = None
    for i, text in texts.items():
        value = read[text]
        out[i] = value
        if value is None:
            o_zh, o_en = ORDER_NAMES[use]
            bad = message(
                Code.BAD_TYPE,
                "date_order",
                field_zh=zh,
                field_en=en,
                value=values[i],
                order_zh=o_zh,
                order_en=o_en,
            )
            found.cells.append((i, *bad))
    if verdict.two_digit_years:
        example = next(iter(sorted(distinct)))
        year = read.get(example)
        shown = f"{example} → {year:%Y-%m-%d}" if isinstance(year, dt.date) else example
        note = message(Code.TWO_DIGIT_YEAR, field_zh=zh, field_en=en, example=shown)
        found.header.append((Code.TWO_DIGIT_YEAR, *note, None))
    if order is None:  # the column's own values chose the order: say which, when it mattered
        _say_order(found, distinct, use, read, zh, en)
    return found


def _say_order(
    found: DateColumn, distinct: set[str], use: str, read: dict[str, Any], zh: str, en: str
) -> None:
    """A note when some of the column's dates read as other days in another order (11/03):
    which value settled the order (13/11), and a warning when one value alone did (a typo
    there would have turned every other date)."""
    others = [o for o in ORDER_NAMES if o != use]
    either = sorted(
        t for t in distinct if any(_reads(t, o) not in (None, _reads(t, use)) for o in others)
    )
    if not either:
        return
    settling = sorted(
        t for t in distinct if _reads(t, use) and not any(_reads(t, o) for o in others)
    )
    if not settling:
        return
    o_zh, o_en = ORDER_NAMES[use]
    example, shown = either[0], read.get(either[0])
    note = message(
        Code.DATE_ORDER_INFERRED,
        field_zh=zh,
        field_en=en,
        order_zh=o_zh,
        order_en=o_en,
        settling=settling[0],
        count=len(either),
        example=example,
        read=f"{shown:%Y-%m-%d}" if isinstance(shown, dt.date) else str(shown),
    )
    alone = len(settling) == 1
    found.header.append((Code.DATE_ORDER_INFERRED, *note, Severity.WARNING if alone else None))


def _reads(text: str, order: str) -> dt.date | None:
    try:
        return ordered_date(numeric_parts(text), order)  # type: ignore[arg-type]
    except ValueError:
        return None


def _order_by_period(texts: set[str], period: tuple[dt.date, dt.date]) -> str | None:
    first, last = period
    fits = []
    for order in ORDER_NAMES:
        try:
            days = [ordered_date(numeric_parts(t), order) for t in texts]  # type: ignore[arg-type]
        except ValueError:
            continue
        if all(first <= day <= last for day in days):
            fits.append(order)
    return fits[0] if len(fits) == 1 else None


def _refuse(found: DateColumn, conflicting: bool, example: str, zh: str, en: str) -> None:
    variant = "conflicting" if conflicting else ""
    text = message(Code.AMBIGUOUS_DATES, variant, field_zh=zh, field_en=en, example=example)
    found.header.append((Code.AMBIGUOUS_DATES, *text, None))
