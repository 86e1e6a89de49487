"""Body rows of a big table sheet written as SpreadsheetML text, straight to the sheet's file.

xlsxwriter keeps every cell of a sheet as an object until `close()`, then
writes each through a general, attribute-list XML writer: for the 200,000
cells of a large summary that is most of the time spent writing it, and for
a Details sheet of a quarter of a million rows most of its memory.  A
worksheet made in xlsxwriter's constant-memory mode writes its rows to a
temporary file instead; `RowStream` writes the cells' XML into that file
itself, with each column's style worked out once, and tells the worksheet
the extent it filled: a row at a time (`write`, where a row has its own
looks), or a few thousand rows a column at a time (`write_rows`), each
distinct value of a column made into its cell once.  Everything else on the sheet
(column widths and formats, the header, tables, filters, conditional
colours, hyperlinks, print setup) stays xlsxwriter's.

The cells are what xlsxwriter writes for the same values: text as a shared
string (past `share_limit` distinct texts in a column, inline, as constant-memory
mode writes all text: memory then stops growing with rows),
numbers with 16 significant digits, dates as day serials in the column's
date format, a boolean as a boolean, a non-finite number as Excel's `#NUM!`.
Written a column at a time, the shared-string table lists texts in the order
they were first met column by column: the same texts and counts, in another
order.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import islice
from typing import Any

from xlsxwriter.utility import _utf16_len, _utf16_truncate  # the limit xlsxwriter applies

from salesxl.read.formulas import column_letters
from salesxl.write.xlsx import ESCAPED_TEXT, NOT_A_NUMBER, SERIAL_START, excel_serial

__all__ = ["RowStream"]

_MAX_TEXT = 32_767  # UTF-16 units a cell holds
_NO_LIMIT = 2**62
_SHARED = '" t="s">'  # how the end of a cell of shared text begins
_BY_VALUE = (str, int, dt.date, bool)
_CHUNK = 512  # rows worked out at once by `write_rows` (more: more memory, no faster)


class RowStream:
    """Writes rows of values into a worksheet made in constant-memory mode.

    `styles`: each column's format (None: the column's own); `labels`: per column an
    optional mapping from a value to the text shown (codes to labels), asked by `.get`;
    `convert`: turns a value of any other type into one of str, int, float, bool,
    date, datetime or None.  Rows must come in increasing order, after the header.
    """

    def __init__(
        self,
        ws: Any,
        styles: Sequence[Any],
        *,
        labels: Sequence[Mapping[Any, str] | None] = (),
        convert: Callable[[Any], Any] = str,
        share_limit: int | None = None,
    ) -> None:
        if not ws.constant_memory or ws.row_data_fh is None:
            raise ValueError("RowStream writes into a worksheet made in constant-memory mode")
        self.ws, self.convert = ws, convert
        # Distinct texts each column may add to the shared string table (which stays in
        # memory to the end); a column's texts past that are written inline.
        self.room = [_NO_LIMIT if share_limit is None else share_limit] * len(styles)
        # A cell is `<c r="` + its column + its row + its style + the rest: `" s="3"><v>…`
        self.heads = [f'<c r="{column_letters(c)}' for c in range(len(styles))]
        self.styles = [self.style(f) for f in styles]
        self.labels: list[Mapping[Any, str] | None] = [*labels]
        self.labels += [None] * (len(styles) - len(self.labels))
        self.strings = ws.str_table
        self.tails: dict[str, str] = {}  # text -> the end of its cell, its shared index in it
        self.reused = 0  # uses of shared text after its first, counted in the table at close
        self.first_col: int | None = None
        self.last_col = -1
        self.first_row: int | None = None
        self.last_row = -1
        ws._write_single_row(ws.previous_row + 1)  # the header row, buffered by xlsxwriter
        self.out = ws.row_data_fh

    @staticmethod
    def style(fmt: Any) -> str:
        """The style attribute of cells in `fmt` (an xlsxwriter Format; None: none)."""
        return f'" s="{fmt._get_xf_index()}' if fmt is not None else ""

    def write(self, r: int, row: Sequence[Any], overrides: Mapping[int, str] | None = None) -> None:
        """Row `r` (0-based) of `row`'s values; None leaves a cell empty.  `overrides`:
        column -> the style (`style(fmt)`) for this row only: a link's look."""
        ref = str(r + 1)
        heads, styles, tail_of = self.heads, self.styles, self._tail
        if overrides:
            styles = [overrides.get(c, s) for c, s in enumerate(styles)]
        cells = []
        first = last = -1
        for c, value in enumerate(row):
            if value is None:
                continue
            tail = tail_of(c, value)
            if tail is None:
                continue
            if first < 0:
                first = c
            last = c
            cells.append(f"{heads[c]}{ref}{styles[c]}{tail}")
        if first >= 0:
            self.out.write(f'<row r="{ref}">{"".join(cells)}</row>')
            self._filled(r, r, first, last)

    def write_rows(self, start: int, rows: Iterable[Sequence[Any]]) -> None:
        """Rows `start`, `start + 1`, … (0-based) of `rows`, all as wide: the cells `write`
        writes, worked out a column at a time.  A column's value is turned into its cell
        once, not once a row: the rep IDs, dates and kinds of a list of 20,000 repeat."""
        rows = iter(rows)
        while chunk := list(islice(rows, _CHUNK)):  # Details: a few thousand rows at a time
            self._chunk(start, chunk)
            start += len(chunk)

    def _chunk(self, start: int, rows: Sequence[Sequence[Any]]) -> None:
        refs = [str(r) for r in range(start + 1, start + len(rows) + 1)]
        columns: list[list[str]] = []
        first = last = -1
        for c, values in enumerate(zip(*rows, strict=True)):
            cells = self._column(c, refs, values)
            if cells is not None:
                columns.append(cells)
                first = c if first < 0 else first
                last = c
        if first < 0:
            return
        bodies = list(map("".join, zip(*columns, strict=True)))
        filled = [i for i, body in enumerate(bodies) if body]
        if not filled:
            return
        self.out.write("".join([f'<row r="{refs[i]}">{bodies[i]}</row>' for i in filled]))
        self._filled(start + filled[0], start + filled[-1], first, last)

    def _column(self, c: int, refs: list[str], values: tuple[Any, ...]) -> list[str] | None:
        """A column's cells, one text a row (empty: no cell); None when it has none."""
        kinds = set(map(type, values))
        kinds.discard(type(None))
        if not kinds:
            return None
        # Equal values of one of these types make the same cell; others (a float's -0.0 and
        # 0.0, an int and a bool, a label that is not its text) are told apart by identity.
        by_value = len(kinds) == 1 and next(iter(kinds)) in _BY_VALUE
        keys: Sequence[Any] = values if by_value else list(map(id, values))
        empty = None if by_value else id(None)
        distinct = dict(zip(keys, values, strict=True))
        distinct.pop(empty, None)
        tail_of = self._tail
        ends = {key: tail_of(c, value) for key, value in distinct.items()}
        if not any(ends.values()):
            return None
        # `_tail` counted each distinct text's first use here; every other use is a reuse
        shared = [key for key, end in ends.items() if end is not None and end.startswith(_SHARED)]
        if shared:
            counts = Counter(keys)
            self.reused += sum(counts[key] for key in shared) - len(shared)
        ends[empty] = None
        head, style = self.heads[c], self.styles[c]
        return [
            "" if (end := ends[key]) is None else f"{head}{ref}{style}{end}"
            for ref, key in zip(refs, keys, strict=True)
        ]

    def _tail(self, c: int, value: Any) -> str | None:
        """The rest of a cell of `value` in column `c` after its reference and style (None:
        no cell); a text is shared (and its use counted) or written inline."""
        kind = type(value)
        if kind is not str and kind is not int and kind is not float and kind is not dt.date:
            value = self._plain(value, self.labels[c])
            if value is None:
                return None
            kind = type(value)
        if kind is int or kind is float:
            if kind is int or math.isfinite(value):
                return f'"><v>{value:.16G}</v></c>'
            if value != value:  # NaN: pandas' missing value, no cell
                return None
            value, kind = NOT_A_NUMBER, str  # Excel cannot hold it: its own overflow mark
        if kind is str:
            shown = self.labels[c]
            if shown is not None:
                value = shown.get(value, value)
            tail = self.tails.get(value)
            if tail is not None:
                self.reused += 1
                return tail
            if self.room[c] > 0:
                self.room[c] -= 1
                return self._shared(value)
            return self._inline(value)
        if kind is dt.date and value >= SERIAL_START:
            return f'"><v>{excel_serial(value)}</v></c>'
        if kind is bool:
            return f'" t="b"><v>{int(value)}</v></c>'
        # a datetime, or a date before March 1900
        if kind is dt.date:
            value = dt.datetime(value.year, value.month, value.day)
        return f'"><v>{self.ws._convert_date_time(value):.16G}</v></c>'

    def _filled(self, first_row: int, last_row: int, first_col: int, last_col: int) -> None:
        """Rows and columns now holding cells, for the sheet's dimension."""
        if self.first_row is None:
            self.first_row = first_row
        self.last_row = last_row
        if self.first_col is None or first_col < self.first_col:
            self.first_col = first_col
        self.last_col = max(self.last_col, last_col)

    def _plain(self, value: Any, shown: Mapping[Any, str] | None) -> Any:
        """A value of another type as one of those `write` knows (a code's label first)."""
        if shown is not None:
            label = shown.get(value)
            if label is not None:
                return str.__str__(label)
        if isinstance(value, (bool, dt.datetime)):
            return value
        if isinstance(value, float):
            return None if value != value else float(value)  # NaN: pandas' missing value
        if isinstance(value, int):
            return int(value)
        if isinstance(value, dt.date):
            return dt.date(value.year, value.month, value.day)
        plain = self.convert(value)
        if isinstance(plain, str):
            return str.__str__(plain)  # an enum's own text, not `Enum.MEMBER`
        return plain

    def _shared(self, text: str) -> str:
        """The end of a cell of text from the shared string table (its index), kept."""
        kept = text
        if len(text) > _MAX_TEXT // 2 and _utf16_len(text) > _MAX_TEXT:
            text = _utf16_truncate(text, _MAX_TEXT)
        index = self.strings._get_shared_string_index(text)
        tail = self.tails[kept] = f'" t="s"><v>{index}</v></c>'
        return tail

    def _inline(self, text: str) -> str:
        """The end of a cell of inline text (`t="inlineStr"`), escaped as xlsxwriter escapes it."""
        if len(text) > _MAX_TEXT // 2 and _utf16_len(text) > _MAX_TEXT:
            text = _utf16_truncate(text, _MAX_TEXT)
        if ESCAPED_TEXT.search(text):  # what inline text must escape, as xlsxwriter does
            text = self.ws._escape_data(self.ws._escape_control_characters(text))
        space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
        return f'" t="inlineStr"><is><t{space}>{text}</t></is></c>'

    def close(self) -> None:
        """Tell the worksheet the cells it now holds (its dimension), the uses of its shared
        text, and that its rows are written (xlsxwriter writes no more into the row file)."""
        ws = self.ws
        if self.first_row is not None and self.first_col is not None:
            ws._check_dimensions(self.first_row, self.first_col)
            ws._check_dimensions(self.last_row, self.last_col)
        self.strings.count += self.reused
        self.reused = 0
        ws.previous_row = max(ws.previous_row, self.last_row + 1)
