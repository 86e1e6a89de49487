"""The target breakdown from file to file, and its month targets read back.

`split_file` is what `salesxl targets split` and the manager workbook's
分解目标 button call; `resplit_file` is `salesxl targets resplit`;
`read_month_targets` is how consolidation and `salesxl forms issue` learn
each rep's month target, per tier (through the one reader).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from salesxl.periods import Month
from salesxl.roster import Roster, read_roster
from salesxl.targets.engine import split_targets
from salesxl.targets.inputs import history_from_sales, read_targets_input
from salesxl.targets.model import Split, Version
from salesxl.targets.readback import load_targets, read_targets_workbook
from salesxl.targets.resplit import resplit
from salesxl.targets.workbook import write_targets

__all__ = ["SplitResult", "read_month_targets", "resplit_file", "split_file"]


@dataclass(frozen=True, slots=True)
class SplitResult:
    output: Path
    split: Split

    @property
    def units(self) -> int:
        return sum(1 for p in self.split.plans if p.product is None)

    @property
    def warnings(self) -> list[str]:
        return self.split.warnings


def split_file(
    input_path: Path,
    output_path: Path,
    *,
    history: Sequence[Path] = (),
    roster: Path | Roster | None = None,
    scale_proposals: bool = False,
    lang: str = "zh",
    db: str | None = None,
    today: dt.date | None = None,
) -> SplitResult:
    """Read a targets input (plus sales history files), split, write targets.xlsx.

    With `db`, the sales records imported into that store are history too, and
    its roster is used when no `roster` is given (raises `StoreError` when there
    is no store at `db`).
    """
    if isinstance(roster, Path):
        roster = read_roster(roster)
    extra = history_from_sales(history)
    if db is not None:
        from salesxl.store import sales_history, stored_roster

        extra += sales_history(db)
        if roster is None:
            roster = stored_roster(db)
    inp = read_targets_input(
        Path(input_path), extra_history=extra, roster=roster, scale_proposals=scale_proposals
    )
    split = split_targets(inp)
    split.version = Version(1, today or dt.date.today())
    return SplitResult(write_targets(split, Path(output_path), lang=lang), split)


def resplit_file(
    targets_path: Path,
    output_path: Path,
    start: Month,
    *,
    actuals: Sequence[Path] = (),
    db: str | None = None,
    lang: str = "zh",
    today: dt.date | None = None,
) -> SplitResult:
    """The next version of a targets workbook, re-spread from `start` with the sales to date
    (sales records files, or the sales imported into the store at `db`)."""
    previous = read_targets_workbook(Path(targets_path))
    rows = history_from_sales(actuals)
    if db is not None:
        from salesxl.store import sales_history

        rows += sales_history(db, first=previous.months[0], last=start.shift(-1))
    sales: dict[tuple[str, str | None], dict[Month, float]] = defaultdict(dict)
    for unit, product, month, amount in rows:
        bucket = sales[(unit, product)]
        bucket[month] = bucket.get(month, 0.0) + amount
    split = resplit(previous, sales, start, today=today)
    return SplitResult(write_targets(split, Path(output_path), lang=lang, previous=previous), split)


def read_month_targets(path: Path, month: Month, tier: str = "target") -> dict[str, float]:
    """Rep ID -> `tier` (target, stretch or challenge) for `month`, from a targets workbook's
    明细 Long sheet; a workbook without that tier gives an empty mapping."""
    targets: dict[str, float] = {}
    for r in load_targets(Path(path)).records("long"):
        if r["level"] == "rep" and r["month"] == month and r[tier] is not None:
            targets[r["unit"]] = targets.get(r["unit"], 0.0) + r[tier]
    return targets
