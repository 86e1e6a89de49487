"""The target breakdown from file to file, and its month targets read back.

`split_file` is what `salesxl targets split` and the manager workbook's
分解目标 button call; `read_month_targets` is how consolidation and
`salesxl forms issue` learn each rep's month target (through the one reader).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from salesxl.core.calendar import CalendarNotCovered
from salesxl.core.people import Roster
from salesxl.core.periods import Month
from salesxl.forms import FormId, Role, TableKey
from salesxl.intake.files import load_form
from salesxl.intake.roster import read_roster
from salesxl.targets.engine import split_targets
from salesxl.targets.inputs import history_from_sales, read_targets_input
from salesxl.targets.model import Split, TargetsError
from salesxl.targets.workbook import write_targets

__all__ = ["SplitResult", "read_month_targets", "split_file"]


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
) -> SplitResult:
    """Read a targets input (plus sales history files), split, write targets.xlsx.

    `extra_history` adds history rows from elsewhere (the store's sales records:
    `salesxl.store.sales_history`).
    """
    if isinstance(roster, Path):
        roster = read_roster(roster)
    extra = [*history_from_sales(history), *extra_history]
    inp = read_targets_input(
        Path(input_path), extra_history=extra, roster=roster, scale_proposals=scale_proposals
    )
    try:
        split = split_targets(inp)
    except (TargetsError, CalendarNotCovered) as exc:
        # The engine names the unit it was at; the year and where its sheet goes matter.
        cause = exc if isinstance(exc, CalendarNotCovered) else exc.__context__
        if not isinstance(cause, CalendarNotCovered):
            raise
        raise TargetsError(
            cause.where(
                f"请把它们加到目标输入 {input_path} 的「工作日 Workdays」表中"
                "（表头可从 salesxl templates build 生成的 workdays.xlsx 复制）。",
                f"Add them to the 工作日 Workdays sheet of the targets input {input_path} "
                "(copy its header from workdays.xlsx, written by `salesxl templates build`).",
            )
        ) from None
    return SplitResult(write_targets(split, Path(output_path), lang=lang), split)


def read_month_targets(path: Path, month: Month) -> dict[str, float]:
    """Rep ID -> target for `month`, from a targets workbook's 明细 Long sheet."""
    data = load_form(Path(path))
    if data.form_id != FormId.TARGETS:
        first = data.issues[0].message_en if data.issues else f"it is a {data.form_id} form"
        raise TargetsError(
            f"{path} is not a targets workbook from `salesxl targets split` "
            f"(明细 Long sheet): {first}"
        )
    errors = [i for i in data.issues if i.is_error]
    if errors:
        raise TargetsError(f"{path}: {errors[0].sheet}!{errors[0].cell}: {errors[0].message_en}")
    targets: dict[str, float] = {}
    for r in data.records(TableKey.LONG):
        if r[Role.LEVEL] == "rep" and r[Role.MONTH] == month and r[Role.TARGET] is not None:
            targets[r[Role.UNIT]] = targets.get(r[Role.UNIT], 0.0) + r[Role.TARGET]
    return targets
