"""Target breakdown (README.md "For admins"): annual → quarter → month across the organisation, exact."""

from __future__ import annotations

from salesxl.targets.engine import split_targets
from salesxl.targets.files import SplitResult, read_month_targets, split_file
from salesxl.targets.model import (
    Lock,
    Settings,
    Split,
    TargetsError,
    TargetsInput,
    UnitPlan,
    UnitSpec,
)

__all__ = [
    "Lock",
    "Settings",
    "Split",
    "SplitResult",
    "TargetsError",
    "TargetsInput",
    "UnitPlan",
    "UnitSpec",
    "read_month_targets",
    "split_file",
    "split_targets",
]
