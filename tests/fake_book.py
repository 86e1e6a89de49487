"""A book-like fake of the few xlwings members the adapter (salesxl.excel) uses.

`FakeBook.from_workbook` loads the cell values of a real workbook (the built
manager .xlsm), so the adapter is tested against the layout users get.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import column_index_from_string

Cell = tuple[int, int]  # (row, column), 1-based


def _cell(address: str | Cell) -> Cell:
    if isinstance(address, tuple):
        return address
    m = re.fullmatch(r"([A-Z]+)(\d+)", address)
    assert m, f"the fake understands A1 addresses only, got {address!r}"
    return int(m[2]), column_index_from_string(m[1])


@dataclass
class FakeFont:
    owner: FakeRange

    @property
    def bold(self) -> bool:
        return all(self.owner.sheet.bold.get(c, False) for c in self.owner.cells())

    @bold.setter
    def bold(self, value: bool) -> None:
        for c in self.owner.cells():
            self.owner.sheet.bold[c] = value


@dataclass
class FakeRange:
    sheet: FakeSheet
    first: Cell
    last: Cell

    def cells(self) -> list[Cell]:
        return [
            (r, c)
            for r in range(self.first[0], self.last[0] + 1)
            for c in range(self.first[1], self.last[1] + 1)
        ]

    @property
    def value(self) -> Any:
        if self.first == self.last:
            return self.sheet.values.get(self.first)
        return [
            [self.sheet.values.get((r, c)) for c in range(self.first[1], self.last[1] + 1)]
            for r in range(self.first[0], self.last[0] + 1)
        ]

    @value.setter
    def value(self, value: Any) -> None:
        rows = (
            value if isinstance(value, list) and value and isinstance(value[0], list) else [[value]]
        )
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                self.sheet.values[(self.first[0] + i, self.first[1] + j)] = v

    @property
    def number_format(self) -> str | None:
        return self.sheet.formats.get(self.first)

    @number_format.setter
    def number_format(self, fmt: str) -> None:
        for c in self.cells():
            self.sheet.formats[c] = fmt

    @property
    def color(self) -> tuple[int, int, int] | None:
        return self.sheet.colours.get(self.first)

    @color.setter
    def color(self, rgb: tuple[int, int, int]) -> None:
        for c in self.cells():
            self.sheet.colours[c] = rgb

    @property
    def font(self) -> FakeFont:
        return FakeFont(self)


@dataclass
class FakeSheet:
    name: str
    values: dict[Cell, Any] = field(default_factory=dict)
    formats: dict[Cell, str] = field(default_factory=dict)
    colours: dict[Cell, tuple[int, int, int]] = field(default_factory=dict)
    bold: dict[Cell, bool] = field(default_factory=dict)
    autofitted: int = 0

    def range(self, a: str | Cell, b: str | Cell | None = None) -> FakeRange:
        if isinstance(a, str) and ":" in a:
            a, b = a.split(":")
        first = _cell(a)
        return FakeRange(self, first, _cell(b) if b is not None else first)

    def clear(self) -> None:
        self.values.clear()
        self.formats.clear()
        self.colours.clear()
        self.bold.clear()

    def autofit(self, axis: str | None = None) -> None:
        self.autofitted += 1

    def snapshot(self) -> tuple[Any, ...]:
        return (dict(self.values), dict(self.formats), dict(self.colours), dict(self.bold))

    def rows(self) -> list[list[Any]]:
        """The sheet's values as a list of rows (for assertions)."""
        if not self.values:
            return []
        height = max(r for r, _ in self.values)
        width = max(c for _, c in self.values)
        return [
            [self.values.get((r, c)) for c in range(1, width + 1)] for r in range(1, height + 1)
        ]


@dataclass
class FakeApp:
    alerts: list[dict[str, Any]] = field(default_factory=list)
    statuses: list[Any] = field(default_factory=list)

    @property
    def status_bar(self) -> Any:
        return self.statuses[-1] if self.statuses else False

    @status_bar.setter
    def status_bar(self, value: Any) -> None:
        self.statuses.append(value)

    def alert(
        self,
        prompt: str,
        title: str | None = None,
        buttons: str = "ok",
        mode: str | None = None,
        callback: str | None = None,
    ) -> str:
        self.alerts.append({"prompt": prompt, "title": title, "mode": mode})
        return "ok"


class FakeSheets(dict[str, FakeSheet]):
    def __getitem__(self, name: str) -> FakeSheet:
        if name not in self:
            raise KeyError(f"no sheet {name!r}")  # xlwings raises too
        return super().__getitem__(name)

    def add(self, name: str, before: Any = None, after: Any = None) -> FakeSheet:
        assert name not in self, f"a sheet {name!r} exists already"  # as xlwings refuses
        self[name] = FakeSheet(name)
        return self[name]


@dataclass
class FakeBook:
    fullname: str
    sheets: FakeSheets
    app: FakeApp = field(default_factory=FakeApp)

    @classmethod
    def from_workbook(cls, path: Path, *, fullname: str | None = None) -> FakeBook:
        wb = openpyxl.load_workbook(path, keep_vba=True)
        sheets = FakeSheets()
        for ws in wb.worksheets:
            sheet = FakeSheet(ws.title)
            for row in ws.iter_rows():
                for c in row:
                    if c.value is not None:
                        sheet.values[(c.row, c.column)] = c.value
            sheets[ws.title] = sheet
        return cls(fullname or str(path), sheets)

    def set(self, sheet: str, label_start: str, value: Any) -> None:
        """Put `value` beside the setting whose label starts with `label_start`."""
        s = self.sheets[sheet]
        for (r, c), v in list(s.values.items()):
            if c == 1 and isinstance(v, str) and v.startswith(label_start):
                s.values[(r, 2)] = value
                return
        raise KeyError(f"no setting labelled {label_start!r}")

    @property
    def alert(self) -> dict[str, Any]:
        assert len(self.app.alerts) == 1, self.app.alerts
        return self.app.alerts[0]
