"""The target breakdown from file to file, and its month targets read back.

`split_file` is what `salesxl targets split` and the manager workbook's
分解目标 button call; `read_month_targets` is how consolidation and
`salesxl forms issue` learn each rep's month target (through the one reader).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from salesxl.core.people import Roster
from salesxl.core.periods import Month
from salesxl.forms import FormId, Role, TableKey
from salesxl.intake.files import load_form
from salesxl.intake.roster import read_roster
from salesxl.read.marks import Written
from salesxl.targets.engine import split_targets
from salesxl.targets.inputs import history_from_sales, read_targets_input
from salesxl.targets.model import Split, TargetsError
from salesxl.targets.workbook import write_targets
from salesxl.write.output import check_output

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
    `salesxl.store.sales_history`).  The output is checked before anything is
    read: an input file, or a file salesxl did not write as targets, is never
    replaced (OutputError).
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
    split = split_targets(inp)
    return SplitResult(write_targets(split, Path(output_path), lang=lang, inputs=inputs), split)


def read_month_targets(path: Path, month: Month) -> dict[str, float]:
    """Rep ID -> target for `month`, from a targets workbook's 明细 Long sheet."""
    data = load_form(Path(path))
    if data.form_id != FormId.TARGETS:
        first = data.issues[0] if data.issues else None
        raise TargetsError(
            f"{path} 不是「分解目标」生成的目标文件（明细 Long 表）："
            + (first.message_zh if first else f"它是 {data.form_id} 表单"),
            f"{path} is not a targets workbook from `salesxl targets split` (明细 Long sheet): "
            + (first.message_en if first else f"it is a {data.form_id} form"),
            setting="targets",
        )
    errors = [i for i in data.issues if i.is_error]
    if errors:
        e = errors[0]
        raise TargetsError(
            f"{path}：{e.sheet}!{e.cell}：{e.message_zh}",
            f"{path}: {e.sheet}!{e.cell}: {e.message_en}",
            setting="targets",
        )
    targets: dict[str, float] = {}
    for r in data.records(TableKey.LONG):
        if r[Role.LEVEL] == "rep" and r[Role.MONTH] == month and r[Role.TARGET] is not None:
            targets[r[Role.UNIT]] = targets.get(r[Role.UNIT], 0.0) + r[Role.TARGET]
    return targets
