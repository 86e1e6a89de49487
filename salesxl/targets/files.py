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

from salesxl.core.calendar import CalendarNotCoveredError
from salesxl.core.people import Roster
from salesxl.core.perf import paused_gc
from salesxl.core.periods import Month
from salesxl.forms import Role, TableKey
from salesxl.intake.roster import read_roster
from salesxl.read.marks import Written
from salesxl.targets.engine import split_targets
from salesxl.targets.inputs import history_from_sales, history_gaps, read_targets_input
from salesxl.targets.model import Split, TargetsError, Version
from salesxl.targets.readback import load_targets, read_targets_workbook
from salesxl.targets.resplit import resplit
from salesxl.targets.workbook import write_targets
from salesxl.write.output import check_output

__all__ = [
    "TIER_ROLES",
    "SplitResult",
    "read_month_targets",
    "read_month_tiers",
    "resplit_file",
    "split_file",
]

# The columns of the 明细 Long sheet holding each tier: 目标, 冲刺, 挑战.
TIER_ROLES = (Role.TARGET, Role.STRETCH, Role.CHALLENGE)


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
    extra_history: Sequence[tuple[str, str | None, Month, float]] = (),
    today: dt.date | None = None,
) -> SplitResult:
    """Read a targets input (plus sales history files), split, write targets.xlsx.

    `extra_history` adds history rows from elsewhere (the store's sales records:
    `salesxl.store.sales_history`).  The plan is version 1, dated `today`.  The
    output is checked before anything is read: an input file, or a file salesxl
    did not write as targets, is never replaced (OutputError).
    """
    inputs = [
        Path(input_path),
        *map(Path, history),
        *([roster] if isinstance(roster, Path) else []),
    ]
    check_output(Path(output_path), written=Written.TARGETS, inputs=inputs)
    if isinstance(roster, Path):
        roster = read_roster(roster)
    extra = [*history_from_sales(history), *extra_history]
    inp = read_targets_input(
        Path(input_path), extra_history=extra, roster=roster, scale_proposals=scale_proposals
    )
    try:
        with paused_gc():  # a store's history (1.5 million sums at 5,000 reps) makes no cycles
            split = split_targets(inp)
            split.warnings[:0] = [*inp.notes, *history_gaps(inp.history)]
    except TargetsError as exc:
        # The engine names the unit it was at; what matters is the year and where its
        # holidays go: the Workdays sheet of this very input.
        cause = exc.__context__
        if not isinstance(cause, CalendarNotCoveredError):
            raise
        raise TargetsError(
            f"{cause.message_zh}。",
            f"{cause.message_en[:1].upper()}{cause.message_en[1:]}.",
            hint_zh=f"请在目标输入 {input_path} 的「工作日 Workdays」表（日期 Date | 类型 Type："
            "工作日 Workday / 休息日 Holiday）中列出该年的节假日和调休工作日",
            hint_en=f"list that year's holidays and make-up workdays in the 工作日 Workdays sheet "
            f"of the targets input {input_path} (日期 Date | 类型 Type: 工作日 Workday / "
            "休息日 Holiday)",
        ) from None
    split.version = Version(1, today or dt.date.today())
    return SplitResult(write_targets(split, Path(output_path), lang=lang, inputs=inputs), split)


def resplit_file(
    targets_path: Path,
    output_path: Path,
    start: Month,
    *,
    actuals: Sequence[Path] = (),
    extra_actuals: Sequence[tuple[str, str | None, Month, float]] = (),
    lang: str = "zh",
    today: dt.date | None = None,
) -> SplitResult:
    """The next version of a targets workbook, re-spread from `start` with the sales to date:
    sales records files (`actuals`) and rows from elsewhere (`extra_actuals`, the store's
    sales records: `salesxl.store.sales_history`).  Only the plan year's months before
    `start` count.  The output is checked first, as in `split_file` (never over
    the workbook re-split nor over the actuals)."""
    inputs = [Path(targets_path), *map(Path, actuals)]
    check_output(Path(output_path), written=Written.TARGETS, inputs=inputs)
    previous = read_targets_workbook(Path(targets_path))
    rows = [*history_from_sales(actuals), *extra_actuals]
    sales: dict[tuple[str, str | None], dict[Month, float]] = defaultdict(dict)
    for unit, product, month, amount in rows:
        bucket = sales[(unit, product)]
        bucket[month] = bucket.get(month, 0.0) + amount
    split = resplit(previous, sales, start, today=today)
    written = write_targets(split, Path(output_path), lang=lang, previous=previous, inputs=inputs)
    return SplitResult(written, split)


def read_month_targets(path: Path, month: Month) -> dict[str, float]:
    """Rep ID -> target for `month`, from a targets workbook's 明细 Long sheet."""
    return read_month_tiers(path, month)[Role.TARGET]


def read_month_tiers(path: Path, month: Month) -> dict[Role, dict[str, float]]:
    """Role.TARGET, STRETCH and CHALLENGE -> rep ID -> that tier's target for `month`, from
    a targets workbook's 明细 Long sheet (read once); a tier the workbook lacks is empty."""
    tiers: dict[Role, dict[str, float]] = {tier: {} for tier in TIER_ROLES}
    for r in load_targets(Path(path)).records(TableKey.LONG):
        if r[Role.LEVEL] != "rep" or r[Role.MONTH] != month:
            continue
        for tier, found in tiers.items():
            if r[tier] is not None:
                found[r[Role.UNIT]] = found.get(r[Role.UNIT], 0.0) + r[tier]
    return tiers
