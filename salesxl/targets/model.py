"""Plain data in and out of the target engine."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from salesxl.core.calendar import Workdays
from salesxl.core.errors import SalesxlError
from salesxl.core.periods import Month

__all__ = [
    "SHARE_BASES",
    "TIERS",
    "Lock",
    "LockEffect",
    "Settings",
    "Split",
    "TargetsError",
    "TargetsInput",
    "UnitPlan",
    "UnitSpec",
    "Version",
]

LEVEL_ORDER = ("company", "region", "team", "rep")
# 分配依据: how a parent's target is shared among its children (docs: README, For admins).
SHARE_BASES = ("weights", "last-year", "last-year×weights", "equal", "proposals")
TIERS = ("base", "stretch", "challenge")  # 目标 / 冲刺 / 挑战


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
    spring_festival: str | bool = "auto"  # auto | yes | no (True/False read as yes/no)
    scale_proposals: bool = False  # negotiated: scale the proposals to the top figure
    share_basis: str | None = None  # None: weights if any sibling has one, else last-year/equal
    stretch_uplift: float | None = None  # percent over base, company-wide (冲刺上浮)
    challenge_uplift: float | None = None  # percent over base, company-wide (挑战上浮)

    def __post_init__(self) -> None:
        if isinstance(self.spring_festival, bool):
            object.__setattr__(self, "spring_festival", "yes" if self.spring_festival else "no")

    @property
    def spring(self) -> str:
        return str(self.spring_festival)


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
    share_basis: str | None = None  # how this unit's children share its target
    stretch: Decimal | None = None  # 冲刺目标: the stretch tier's annual figure
    challenge: Decimal | None = None  # 挑战目标
    stretch_uplift: float | None = None  # percent over this unit's base
    challenge_uplift: float | None = None


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
    ends: dict[str, Month] = field(default_factory=dict)  # unit -> last month (leavers)
    notes: list[str] = field(default_factory=list)  # the input's warnings, for the split's


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
    tiers: dict[str, list[int]] = field(default_factory=dict)  # stretch/challenge months
    annual_from: str = ""  # given / share of the parent by which basis / proposal
    basis: str = ""  # how this unit's children shared its target
    spring: str = ""  # the Spring Festival decision for this unit
    backtest: str = ""  # auto: the methods' backtest errors
    exact: list[float] = field(default_factory=list)  # months before rounding
    actual_to_date: float | None = None  # a re-split: sales before its first month (money)

    def tier(self, name: str) -> list[int]:
        return self.months if name == "base" else self.tiers.get(name, self.months)


@dataclass(frozen=True, slots=True)
class LockEffect:
    """What one lock moved: per unit, the change of each month against the unlocked plan."""

    lock: Lock
    before: int  # the unlocked plan's figure of the locked cell, in rounding units
    moved: tuple[tuple[str, str | None, str, tuple[int, ...]], ...]  # unit, product, how, deltas


@dataclass(frozen=True, slots=True)
class Version:
    """Which plan this is: 1 from `targets split`, then one more per `targets resplit`."""

    number: int = 1
    date: dt.date | None = None
    effective_from: Month | None = None  # the first month this version changed


@dataclass(slots=True)
class Split:
    settings: Settings
    months: list[Month]
    plans: list[UnitPlan]  # depth first: a unit, its products, then its children
    warnings: list[str] = field(default_factory=list)
    lock_effects: list[LockEffect] = field(default_factory=list)
    version: Version = field(default_factory=Version)

    def money(self, units: int) -> Decimal:
        return units * self.settings.rounding

    def by_unit(self) -> dict[tuple[str, str | None], UnitPlan]:
        return {(p.unit, p.product): p for p in self.plans}

    @property
    def tier_names(self) -> list[str]:
        """The tiers this plan has: base alone, or base with stretch and challenge."""
        named = {name for p in self.plans for name in p.tiers}
        return ["base", *(t for t in TIERS[1:] if t in named)]
