"""Plain data in and out of the target engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from salesxl.core.calendar import Workdays
from salesxl.core.errors import SalesxlError
from salesxl.core.periods import Month

__all__ = ["Lock", "Settings", "Split", "TargetsError", "TargetsInput", "UnitPlan", "UnitSpec"]

LEVEL_ORDER = ("company", "region", "team", "rep")


class TargetsError(SalesxlError, ValueError):
    """An impossible or unusable targets input or targets workbook, named by unit, month and
    sheet so it can be fixed.  `setting` is the file at fault: `targets_input` (the default,
    what `split` reads) or `targets` (a targets workbook read for its month targets)."""

    usage = True  # a targets workbook given on the command line that is not one

    def __init__(
        self,
        message_zh: str,
        message_en: str,
        *,
        hint_zh: str = "",
        hint_en: str = "",
        setting: str | None = "targets_input",
    ) -> None:
        super().__init__(message_zh, message_en, hint_zh=hint_zh, hint_en=hint_en, setting=setting)


@dataclass(frozen=True, slots=True)
class Settings:
    year: int
    fiscal_start: int = 1
    method: str = "seasonal"
    rounding: Decimal = Decimal(1)
    mode: str = "top-down"  # top-down | bottom-up | negotiated
    spring_festival: bool = True
    scale_proposals: bool = False  # negotiated: scale the proposals to the top figure


@dataclass(frozen=True, slots=True)
class UnitSpec:
    """One row of 年度目标 Annual."""

    level: str
    unit: str
    parent: str | None = None
    product: str | None = None
    annual: Decimal | None = None
    method: str | None = None
    weight: float | None = None
    proposed: Decimal | None = None
    ramp: tuple[float, ...] | None = None
    month_weights: tuple[float, ...] | None = None
    row: int | None = None  # sheet row, for messages


@dataclass(frozen=True, slots=True)
class Lock:
    """A month target fixed by hand (锁定 Locked)."""

    unit: str
    month: Month
    target: Decimal
    product: str | None = None
    row: int | None = None


@dataclass(slots=True)
class TargetsInput:
    settings: Settings
    units: list[UnitSpec]
    history: list[tuple[str, str | None, Month, float]] = field(default_factory=list)
    locks: list[Lock] = field(default_factory=list)
    workdays: Workdays = field(default_factory=Workdays)
    starts: dict[str, Month] = field(default_factory=dict)  # unit -> first month (new reps)


@dataclass(slots=True)
class UnitPlan:
    """One row of the result: a unit (or a unit's product) with its year and months."""

    level: str
    unit: str
    parent: str | None
    product: str | None
    annual: int  # in rounding units
    months: list[int]  # in rounding units, fiscal order
    method: str = ""
    note: str = ""
    proposed: Decimal | None = None
    top_down: int | None = None  # the top-down share, in rounding units (gap report)
    depth: int = 0


@dataclass(slots=True)
class Split:
    settings: Settings
    months: list[Month]
    plans: list[UnitPlan]  # depth first: a unit, its products, then its children
    warnings: list[str] = field(default_factory=list)

    def money(self, units: int) -> Decimal:
        return units * self.settings.rounding

    def by_unit(self) -> dict[tuple[str, str | None], UnitPlan]:
        return {(p.unit, p.product): p for p in self.plans}
