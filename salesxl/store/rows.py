"""A file's rows to store, column by column, and a cheap fingerprint of what was read.

The reader keeps a table's values by column (`TableData.values`); the store
inserts by column too.  Going through one dict per row in between (the
records) cost more than the insert itself on a 200,000-row export, so the
rows to store stay columns: the reader's own lists when no row is left out,
and records only for a sheet with unknown columns (their values per row
come with the records).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import pickle
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from itertools import compress
from typing import Any

from salesxl.core.issues import Code, Issue
from salesxl.forms import FORMS
from salesxl.store import codec
from salesxl.validate import FormData, TableData
from salesxl.validate.model import day_numbers

__all__ = [
    "DIGEST_PREFIX",
    "V2_PREFIX",
    "TableRows",
    "data_digest",
    "digest_v2",
    "future_days",
    "layout_of",
    "legacy_digest",
]

Record = dict[str, Any]
DIGEST_PREFIX = "3:"  # marks `data_digest`
V2_PREFIX = "2:"  # marks `digest_v2`; a bare sha256 is `legacy_digest`


@dataclass(slots=True)
class TableRows:
    """One table's rows to store: `values` (field key -> one value per row, in the form's
    field order), their 1-based sheet rows, and each row's unknown columns (None: none)."""

    values: dict[str, list[Any]]
    sheet_rows: list[int]
    extras: list[Record | None] | None = None
    # each row's customer identity (daily contacts), when worked out where the file was read
    customer_keys: list[str | None] | None = None

    @classmethod
    def of(cls, table: TableData, drop: Collection[int] = ()) -> TableRows:
        """The table's rows, less those at the sheet rows in `drop`."""
        values, rows = table.values, table.rows
        if values is None or rows is None or table.extras:
            return cls.from_records(
                [r for r in table.records if r["_row"] not in drop] if drop else table.records
            )
        if not drop:
            return cls(values, rows)
        keep = [row not in drop for row in rows]
        return cls(
            {key: list(compress(column, keep)) for key, column in values.items()},
            list(compress(rows, keep)),
        )

    @classmethod
    def from_records(cls, records: Sequence[Record]) -> TableRows:
        fields: dict[str, None] = {}
        for record in records:
            fields.update(dict.fromkeys(record))
        fields.pop("_row", None)
        has_extras = fields.pop("_extra", "absent") != "absent"
        return cls(
            {key: [r.get(key) for r in records] for key in fields},
            [r["_row"] for r in records],
            [r.get("_extra") for r in records] if has_extras else None,
        )

    def __len__(self) -> int:
        return len(self.sheet_rows)

    def column(self, key: str) -> list[Any]:
        """One field's values (all None when the table has no such field)."""
        values = self.values.get(key)
        return [None] * len(self) if values is None else values

    @property
    def records(self) -> list[Record]:
        """Row by row, as the reader gives them (`_row`, and `_extra` when there is one)."""
        keys = [*self.values, "_row"]
        records = [
            dict(zip(keys, row, strict=True))
            for row in zip(*self.values.values(), self.sheet_rows, strict=True)
        ]
        if self.extras is not None:
            for record, extra in zip(records, self.extras, strict=True):
                record["_extra"] = extra
        return records


def layout_of(data: FormData) -> dict[str, Any]:
    """Each table's sheet, column letters and unknown columns (kept with a submission)."""
    return {
        key: {"sheet": t.sheet, "columns": t.columns, "extras": t.extras}
        for key, t in data.tables.items()
    }


def future_days(
    data: FormData, good: dict[str, TableRows], found: Sequence[Issue]
) -> list[dt.date | None]:
    """Each issue's `future_day`: for a `future_date` warning, the date its row holds as
    stored (`good`), the day from which the warning is no longer true; None for any other
    issue and for a row not stored.  A month imported before its end holds one such warning
    per later row: the store then leaves out those whose day has come with a plain filter
    (`snapshot`), not a look-up of each one's row."""
    places = {(i.sheet, i.column) for i in found if i.code is Code.FUTURE_DATE}
    form = FORMS.get(data.form_id or "")
    if not places or form is None:
        return [None] * len(found)
    dates: dict[tuple[str | None, str | None], dict[int | None, Any]] = {}
    for key, rows in good.items():
        table = data.tables.get(key)
        if table is None:
            continue
        for f in form.table(key).fields:
            place = (table.sheet, f.bilingual)
            if f.not_future and place in places:  # a sheet row is one table's: never two
                days = zip(rows.sheet_rows, rows.column(f.key), strict=True)
                dates.setdefault(place, {}).update(days)
    none: dict[int | None, Any] = {}
    return [
        dates.get((i.sheet, i.column), none).get(i.row) if i.code is Code.FUTURE_DATE else None
        for i in found
    ]


def data_digest(data: FormData, good: dict[str, TableRows]) -> str:
    """A fingerprint of what a file says: its form, header, layout and rows to store.

    Two files with the same fingerprint hold the same data (a report saved
    again unchanged is not a new version).  Values are fingerprinted column by
    column (`_column_print`), which tells apart what JSON would (1 and 1.0, a
    date and its text) at a tenth of the cost; a value whose `repr` is not
    stable only ever makes two files differ, never look the same.
    """
    return DIGEST_PREFIX + _fingerprint(data, good, _feed_column)


Update = Callable[[bytes], None]


def _fingerprint(
    data: FormData, good: dict[str, TableRows], feed: Callable[[Update, Sequence[Any]], None]
) -> str:
    """The hex fingerprint of a file's form, header, layout and rows to store, each column
    fed to the hash by `feed` (what the versions of the fingerprint differ by)."""
    digest = hashlib.blake2b(digest_size=30)
    head = {"form": data.form_id, "header": data.header, "layout": layout_of(data)}
    digest.update(codec.dumps(head).encode("utf-8"))
    for key in sorted(good):
        rows = good[key]
        digest.update(f"\x00{key!r}\x00{list(rows.values)!r}\x00{rows.sheet_rows!r}".encode())
        for column in rows.values.values():
            feed(digest.update, column)
        if rows.extras is not None:
            digest.update(b"\x00extras")
            digest.update(codec.dumps(rows.extras).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _feed_column(update: Update, column: Sequence[Any]) -> None:
    printed = _column_print(column)
    update(b"\x00%d:" % len(printed))  # where it ends, whatever a text holds
    update(printed)


_NONE = type(None)
_TEXT, _NUMBERS = frozenset({str}), frozenset({int, float})
_SEP, _BLANK = "\x1f", "\x1e"  # between texts; a blank among texts


def _column_print(column: Sequence[Any]) -> bytes:
    """One column's values as bytes, tagged by what the column holds: different values (or
    types) give different bytes.  `repr` of a 250-row report's columns was most of its
    fingerprint's time (a date's is a constructor call): texts are joined (unless one
    holds a separator), dates are their day numbers, and dates, numbers and blanks are
    pickled (none of them is pickled by reference, so equal columns give equal bytes)."""
    n = len(column)
    try:
        text = _SEP.join(column)  # raises for anything but text: the usual column, at once
    except TypeError:
        pass
    else:
        if text.count(_SEP) == n - 1:
            return b"\x00S" + text.encode("utf-8", "surrogatepass")
        return b"\x00R" + repr(column).encode("utf-8", "surrogatepass")
    kinds = set(map(type, column))
    kinds.discard(_NONE)
    if not kinds or kinds <= _NUMBERS:
        return b"\x00P" + pickle.dumps(column, protocol=5)
    days = day_numbers(column)
    if days is not None:  # as they cross from the reading processes
        return b"\x00D" + pickle.dumps(days, protocol=5)
    if kinds == _TEXT:  # texts and blanks
        text = _SEP.join([_BLANK if v is None else v for v in column])
        if text.count(_SEP) == n - 1 and text.count(_BLANK) == column.count(None):
            return b"\x00T" + text.encode("utf-8", "surrogatepass")
    return b"\x00R" + repr(column).encode("utf-8", "surrogatepass")


def digest_v2(data: FormData, good: dict[str, TableRows]) -> str:
    """The fingerprint stores kept before `data_digest` (each column by its `repr`): computed
    only to compare with a version imported then."""
    return V2_PREFIX + _fingerprint(data, good, _feed_repr)


def _feed_repr(update: Update, column: Sequence[Any]) -> None:
    update(b"\x00")
    update(repr(column).encode("utf-8", "surrogatepass"))


def legacy_digest(data: FormData, good: dict[str, TableRows]) -> str:
    """The fingerprint stores kept before `data_digest` (sha256 of the JSON of the records):
    computed only to compare with a version imported then."""
    text = codec.dumps(
        {
            "form": data.form_id,
            "header": data.header,
            "layout": layout_of(data),
            "tables": {key: rows.records for key, rows in good.items()},
        }
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
