"""Body rows of a big table sheet written as SpreadsheetML text, straight to the sheet's file.

xlsxwriter keeps every cell of a sheet as an object until `close()`, then
writes each through a general, attribute-list XML writer: for the 200,000
cells of a large summary that is most of the time spent writing it, and for
a Details sheet of a quarter of a million rows most of its memory.  A
worksheet made in xlsxwriter's constant-memory mode writes its rows to a
temporary file instead; `RowStream` writes the cells' XML into that file
itself, a row at a time, with each column's style worked out once, and
tells the worksheet the extent it filled.  Everything else on the sheet
(column widths and formats, the header, tables, filters, conditional
colours, hyperlinks, print setup) stays xlsxwriter's.

The cells are what xlsxwriter writes for the same values: text as a shared
string (past `share_limit` distinct texts in a column, inline, as constant-memory
mode writes all text: memory then stops growing with rows),
numbers with 16 significant digits, dates as day serials in the column's
date format, a boolean as a boolean, a non-finite number as Excel's `#NUM!`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from xlsxwriter.utility import _utf16_len, _utf16_truncate  # the limit xlsxwriter applies

from salesxl.read.formulas import column_letters
from salesxl.write.xlsx import NOT_A_NUMBER, SERIAL_START, excel_serial

__all__ = ["RowStream"]

_MAX_TEXT = 32_767  # UTF-16 units a cell holds
_NO_LIMIT = 2**62
# What inline text must escape: XML's specials, control characters (as _xHHHH_, and a
# literal `_xHHHH_` by escaping its underscore), the two non-characters.
_NEEDS_ESCAPE = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")


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
        cells = [f'<row r="{ref}">']
        add = cells.append
        heads, styles, labels, tails, room = (
            self.heads,
            self.styles,
            self.labels,
            self.tails,
            self.room,
        )
        reused = 0
        if overrides:
            styles = [overrides.get(c, s) for c, s in enumerate(styles)]
        first = last = -1
        for c, value in enumerate(row):
            if value is None:
                continue
            kind = type(value)
            if kind is not str and kind is not int and kind is not float and kind is not dt.date:
                value = self._plain(value, labels[c])
                if value is None:
                    continue
                kind = type(value)
            elif kind is float and value != value:  # NaN: pandas' missing value, no cell
                continue
            if first < 0:
                first = c
            last = c
            if kind is int or kind is float:
                if kind is int or math.isfinite(value):
                    add(f'{heads[c]}{ref}{styles[c]}"><v>{value:.16G}</v></c>')
                    continue
                value, kind = NOT_A_NUMBER, str  # Excel cannot hold it: its own overflow mark
            if kind is str:
                shown = labels[c]
                if shown is not None:
                    value = shown.get(value, value)
                tail = tails.get(value)
                if tail is not None:
                    reused += 1
                    add(f"{heads[c]}{ref}{styles[c]}{tail}")
                elif room[c] > 0:
                    room[c] -= 1
                    add(f"{heads[c]}{ref}{styles[c]}{self._shared(value)}")
                else:
                    add(self._inline(f"{heads[c]}{ref}{styles[c]}", value))
            elif kind is dt.date and value >= SERIAL_START:
                add(f'{heads[c]}{ref}{styles[c]}"><v>{excel_serial(value)}</v></c>')
            elif kind is bool:
                add(f'{heads[c]}{ref}{styles[c]}" t="b"><v>{int(value)}</v></c>')
            else:  # a datetime, or a date before March 1900
                if kind is dt.date:
                    value = dt.datetime(value.year, value.month, value.day)
                serial = self.ws._convert_date_time(value)
                add(f'{heads[c]}{ref}{styles[c]}"><v>{serial:.16G}</v></c>')
        self.reused += reused
        if first < 0:
            return
        add("</row>")
        self.out.write("".join(cells))
        if self.first_row is None:
            self.first_row = r
        self.last_row = r
        if self.first_col is None or first < self.first_col:
            self.first_col = first
        if last > self.last_col:
            self.last_col = last

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

    def _inline(self, start: str, text: str) -> str:
        """A cell of inline text (`t="inlineStr"`), escaped as xlsxwriter escapes it."""
        if len(text) > _MAX_TEXT // 2 and _utf16_len(text) > _MAX_TEXT:
            text = _utf16_truncate(text, _MAX_TEXT)
        if _NEEDS_ESCAPE.search(text):
            text = self.ws._escape_data(self.ws._escape_control_characters(text))
        space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
        return f'{start}" t="inlineStr"><is><t{space}>{text}</t></is></c>'

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
