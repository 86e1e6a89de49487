"""The 明细 Details rows: every daily-report row of the month, streamed, never all in memory.

`salesxl consolidate --details` lists a quarter of a million rows for 1,000
reps.  Held in every report's table until the summary is written, they
would be most of the run's memory.  Instead, where a report is read (a
worker process, or this one), its rows of the month go to a file in a
per-run spool folder (`DetailsSpool`) and its table keeps only where they
are and how many (`SpooledTable`); the writer reads them back one report
at a time, in the reports' order (`DetailRows`).  The spool folder goes
when the run fails, when the summary is dropped, or when Python exits.
A table still in memory (consolidation from the store) is listed the same way.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import pickle
import shutil
import tempfile
import weakref
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, overload

from salesxl.core.people import Rep
from salesxl.core.periods import Month
from salesxl.forms import DAILY_REPORT, Role, TableKey
from salesxl.validate import FormData, TableData

__all__ = ["DetailRows", "DetailsSpool", "SpooledTable", "spool_details", "spool_table"]

_FIELDS = DAILY_REPORT.main_table.fields
_KEYS = [f.key for f in _FIELDS]
# Choice codes back to the labels reps picked ("7" -> "7 成交").
_LABELS = {
    i: {c.code: c.label("zh", with_code=f.choices.show_code) for c in f.choices.choices}
    for i, f in enumerate(_FIELDS)
    if f.choices is not None
}


class DetailsSpool:
    """A temporary folder for one run's Details rows, removed by `close()`, when the
    object is dropped, or at exit (whichever comes first)."""

    def __init__(self) -> None:
        self.path = Path(tempfile.mkdtemp(prefix="salesxl-details-"))
        self._remove = weakref.finalize(self, shutil.rmtree, self.path, ignore_errors=True)

    def close(self) -> None:
        self._remove()

    def __enter__(self) -> DetailsSpool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SpooledTable(TableData):
    """A daily report's table whose month's rows wait in `file` (`count` of them, each
    the sheet row and the values as Details shows them); its own values are gone."""

    __slots__ = ("count", "file")

    def __init__(self, table: TableData, file: str, count: int) -> None:
        super().__init__(table.key, table.sheet, [], table.columns, table.extras)
        self.file, self.count = file, count

    def __getstate__(self) -> dict[str, Any]:
        names = (*TableData.__slots__, *SpooledTable.__slots__)
        return {name: getattr(self, name) for name in names}


def _month_rows(table: TableData, period: Month) -> Iterator[list[Any]]:
    """The table's rows dated in `period`: the sheet row, then the values (labels for codes)."""
    first, last = period.first_day, period.last_day
    columns = [table.column(k) for k in _KEYS]
    rows = table.rows if table.rows is not None else [r["_row"] for r in table.records]
    for i, day in enumerate(table.column(Role.DATE)):
        if type(day) is dt.date and first <= day <= last:
            values = [rows[i], *(column[i] for column in columns)]
            for j, labels in _LABELS.items():
                if values[j + 1] is not None:
                    values[j + 1] = labels.get(values[j + 1], values[j + 1])
            yield values


def spool_table(table: TableData, period: Month, folder: Path) -> SpooledTable:
    """Write the table's rows of `period` to a new file in `folder`; the table without them."""
    rows = list(_month_rows(table, period))
    handle, name = tempfile.mkstemp(dir=folder, suffix=".rows")
    with os.fdopen(handle, "wb") as out:
        pickle.dump(rows, out, protocol=pickle.HIGHEST_PROTOCOL)
    return SpooledTable(table, name, len(rows))


def spool_details(form: FormData, period: Month, folder: Path) -> None:
    """A digested daily report's Details rows of `period` into `folder`; its tables keep
    no rows (the digest has the figures), as when Details are not asked for."""
    for key, table in form.tables.items():
        if key == TableKey.DAILY:
            form.tables[key] = spool_table(table, period, folder)
        else:
            table.records = []


def _rows_of(table: TableData, period: Month) -> Iterator[list[Any]]:
    if isinstance(table, SpooledTable):
        with open(table.file, "rb") as spooled:
            yield from pickle.load(spooled)
    else:
        yield from _month_rows(table, period)


def _count(table: TableData, period: Month) -> int:
    if isinstance(table, SpooledTable):
        return table.count
    return sum(1 for _ in _month_rows(table, period))


class DetailRows(Sequence[list[Any]]):
    """The Details rows, made while they are written: a sequence that knows its length,
    yields rows in order one report at a time, and slices into views (a sheet holds at
    most 1,048,575 rows; the rest continue on the next) without building the rows."""

    def __init__(
        self,
        tables: Sequence[tuple[str, TableData, str]],
        reps: Mapping[str, Rep],
        period: Month,
        *,
        counts: Sequence[int] | None = None,
        start: int = 0,
        stop: int | None = None,
    ) -> None:
        self.tables, self.reps, self.period = tables, reps, period
        self.counts = (
            list(counts) if counts is not None else [_count(t, period) for _, t, _ in tables]
        )
        total = sum(self.counts)
        self.start = min(start, total)
        self.stop = total if stop is None else max(self.start, min(stop, total))

    def __len__(self) -> int:
        return self.stop - self.start

    def __iter__(self) -> Iterator[list[Any]]:
        at = 0  # the index of the table's first row among all rows
        for (rep_id, table, path), count in zip(self.tables, self.counts, strict=True):
            if at + count <= self.start:  # wholly before the view: not read at all
                at += count
                continue
            if at >= self.stop:
                return
            rep = self.reps.get(rep_id)
            who = [
                rep_id,
                rep.name if rep else None,
                rep.team if rep else None,
                rep.region if rep else None,
                path,
            ]
            skip, take = max(0, self.start - at), min(count, self.stop - at)
            for values in itertools.islice(_rows_of(table, self.period), skip, take):
                yield [*who, *values]
            at += count

    @overload
    def __getitem__(self, index: int) -> list[Any]: ...
    @overload
    def __getitem__(self, index: slice) -> DetailRows: ...

    def __getitem__(self, index: int | slice) -> list[Any] | DetailRows:
        if isinstance(index, slice):
            first, last, step = index.indices(len(self))
            if step != 1:
                raise ValueError("Details rows are sliced in order, without a step")
            return DetailRows(
                self.tables,
                self.reps,
                self.period,
                counts=self.counts,
                start=self.start + first,
                stop=self.start + last,
            )
        if not -len(self) <= index < len(self):
            raise IndexError(index)
        return next(iter(self[index % len(self) : index % len(self) + 1]))
