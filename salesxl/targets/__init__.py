"""Target breakdown (README.md "For admins"): annual → quarter → month across the organisation, exact."""

from __future__ import annotations

from salesxl.targets.engine import split_targets
from salesxl.targets.explain import explain_file, explain_unit
from salesxl.targets.files import (
    SplitResult,
    read_month_targets,
    read_month_tiers,
    resplit_file,
    split_file,
)
from salesxl.targets.model import (
    SHARE_BASES,
    TIERS,
    Lock,
    Settings,
    Split,
    TargetsError,
    TargetsInput,
    UnitPlan,
    UnitSpec,
    Version,
)
from salesxl.targets.readback import read_targets_workbook
from salesxl.targets.resplit import resplit

__all__ = [
    "SHARE_BASES",
    "TIERS",
    "Lock",
    "Settings",
    "Split",
    "SplitResult",
    "TargetsError",
    "TargetsInput",
    "UnitPlan",
    "UnitSpec",
    "Version",
    "explain_file",
    "explain_unit",
    "read_month_targets",
    "read_month_tiers",
    "read_targets_workbook",
    "resplit",
    "resplit_file",
    "split_file",
    "split_targets",
]
