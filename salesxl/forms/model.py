"""The vocabulary forms are described in: fields, choices, tables, rules.

A form is data, not code (docs/architecture.md): the
template writer, the reader, the validator, the docs and the tests all read
the same `Form`.  Adding a column to a form is one `Field(...)` line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import compress, count
from typing import Any, ClassVar

from salesxl.core.issues import Code, Severity, message
from salesxl.forms.formula import parse as parse_formula
from salesxl.forms.keys import FormId, Role, TableKey

__all__ = [
    "Choice",
    "ChoiceList",
    "Field",
    "FieldType",
    "Form",
    "MissingWhen",
    "NotBefore",
    "NotGreaterThan",
    "OnlyWhen",
    "ProductEquals",
    "Progress",
    "RequiredWhen",
    "Rule",
    "RuleHit",
    "Table",
]


class FieldType(StrEnum):
    TEXT = "text"
    DATE = "date"
    NUMBER = "number"
    INTEGER = "integer"
    MONEY = "money"
    PERCENT = "percent"
    PHONE = "phone"
    CHOICE = "choice"
    MONTH = "month"  # YYYY-MM
    WEEK = "week"  # ISO week or its Monday
    MONTH_OR_DATE = "month_or_date"  # history rows: a month or any date in it
    RAMP = "ramp"  # "25,50,75,100": percentages of a normal month
    NUMBERS = "numbers"  # "8,8,9,...": a list of numbers (twelve month weights)


@dataclass(frozen=True, slots=True)
class Choice:
    """One allowed value: a stable `code` plus its Chinese and English labels.

    The flags say what the choice means to the sales-floor rules (the 7-day
    rules, the funnel); those rules read the flags instead of naming codes.
    """

    code: str
    zh: str
    en: str
    aliases: tuple[str, ...] = ()
    visit: bool = False  # a source that counts as a visit (来访, 拜访)
    lead: bool = False  # a source whose customer must be visited within 7 days (电话)
    follow_up: bool = False  # followed up every 7 days (a 来访 customer, an A/B prospect)
    won: bool = False  # the stage that closes a deal (成交)
    lost: bool = False  # the stage of a customer lost (流失)

    def label(self, lang: str, *, with_code: bool = False) -> str:
        text = self.zh if lang == "zh" else self.en
        return f"{self.code} {text}" if with_code else text


@dataclass(frozen=True, slots=True)
class ChoiceList:
    """A named list of choices; it becomes one column of the hidden `_lists` sheet."""

    name: str
    choices: tuple[Choice, ...]
    show_code: bool = False  # drop-down items read "7 成交" rather than "成交"

    def labels(self, lang: str) -> list[str]:
        return [c.label(lang, with_code=self.show_code) for c in self.choices]

    def by_code(self, code: str) -> Choice:
        for choice in self.choices:
            if choice.code == code:
                return choice
        raise KeyError(code)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.choices)

    def spellings(self, code: str) -> tuple[str, ...]:
        """Whole-cell texts that name choice `code` (`7 成交`, `7成交`, `成交`, `7`, `won`):
        what a spreadsheet formula compares a cell with (ignoring case, as Excel does)."""
        c = self.by_code(code)
        texts = [c.code, c.zh, c.en, *c.aliases]
        for name in (c.zh, c.en):
            texts += [f"{c.code} {name}", f"{c.code}{name}"]
        return tuple(dict.fromkeys(texts))


@dataclass(frozen=True, slots=True)
class Field:
    """One column of a table, or one label/value pair of a header block.

    `key` is a `Role` when code outside `salesxl.forms` reads the field (see
    `salesxl.forms.keys`), a plain string when only the generic machinery does.
    """

    key: str
    zh: str
    en: str
    type: FieldType = FieldType.TEXT
    required: bool = False
    unique: bool = False  # no two rows may share a value (工号 in the roster)
    unique_severity: Severity = Severity.ERROR  # of a repeat (日清: a day twice is a warning)
    identifier: bool = False  # an ID: full-width forms folded (`Ｓ００１` is `S001`)
    default: Any = None  # used when a settings value is left empty
    choices: ChoiceList | None = None
    min: float | None = None
    max: float | None = None
    in_period: bool = False  # dates must fall in the form's header period
    not_future: bool = False  # a date after today is a warning (`future_date`)
    # a row's date outside the rep's hire and leave dates (roster) is a warning
    # (`before_hire_date`, `after_leave_date`)
    while_employed: bool = False
    aliases: tuple[str, ...] = ()
    help_zh: str = ""
    help_en: str = ""
    width: int | None = None
    formula: str | None = None  # a computed column's formula (see salesxl.forms.formula)
    example: Any = None
    # Filled in by salesxl in every prepared row when forms are issued (日清 dates): a row
    # holding nothing else is still an empty row, not a record.
    prepared: bool = False

    def __post_init__(self) -> None:
        if self.formula is not None:
            parse_formula(self.formula)  # refuse what the template writer cannot work out

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    @property
    def role(self) -> Role | None:
        """What code outside the forms knows this field as (None: nothing in particular)."""
        return self.key if isinstance(self.key, Role) else None

    @property
    def bilingual(self) -> str:
        return f"{self.zh} {self.en}"

    def all_labels(self) -> tuple[str, ...]:
        return (self.zh, self.en, f"{self.zh}{self.en}", f"{self.en}{self.zh}", *self.aliases)


# ----------------------------------------------------------------------------
# Cross-field rules.  Each looks at one parsed record (a mapping of field key
# to value, None when empty or unreadable) and reports at most one hit.
# ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RuleHit:
    field: str  # the field whose cell the issue points at
    message_zh: str
    message_en: str
    value: Any = None


class Rule:
    code: Code
    severity: Severity | None = None  # None: the code's own severity
    variant: ClassVar[str] = ""  # the code's message in the catalogue (salesxl.core.catalogue)

    @property
    def fields(self) -> tuple[str, ...]:
        """The fields the rule reads."""
        raise NotImplementedError

    def check(self, record: Mapping[str, Any], labels: Mapping[str, Field]) -> RuleHit | None:
        raise NotImplementedError

    def candidates(self, cols: Mapping[str, Sequence[Any]], n: int) -> list[int]:
        """Rows worth a `check`: a cheap column-wise pre-filter (all rows by default)."""
        return list(range(n))

    def requires(
        self, key: str, record: Mapping[str, Any], labels: Mapping[str, Field]
    ) -> dict[str, str] | None:
        """Whether this rule makes field `key` required in `record`'s row: the condition as
        its messages word it (`when_zh`, `when_en`, `shown`), or None.  A cell there that
        cannot be read (a formula without a value) is then missing, as a blank one is."""
        return None


@dataclass(frozen=True, slots=True)
class RequiredWhen(Rule):
    """`field` must be filled when `when` holds one of `values` (金额 when 成交)."""

    field: str
    when: str
    values: frozenset[str]
    code: Code = Code.REQUIRED
    variant: ClassVar[str] = "required_when"

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.field, self.when)

    def candidates(self, cols: Mapping[str, Sequence[Any]], n: int) -> list[int]:
        column = _col(cols, self.field, n)
        return [
            i
            for i in _where(map(self.values.__contains__, _col(cols, self.when, n)))
            if column[i] is None
        ]

    def check(self, record: Mapping[str, Any], labels: Mapping[str, Field]) -> RuleHit | None:
        if record.get(self.field) is not None:
            return None
        when = self.requires(self.field, record, labels)
        if when is None:
            return None
        f = labels[self.field]
        return RuleHit(
            self.field, *message(self.code, self.variant, field_zh=f.zh, field_en=f.en, **when)
        )

    def requires(
        self, key: str, record: Mapping[str, Any], labels: Mapping[str, Field]
    ) -> dict[str, str] | None:
        if key != self.field or record.get(self.when) not in self.values:
            return None
        w = labels[self.when]
        return {"when_zh": w.zh, "when_en": w.en, "shown": _choice_text(w, record.get(self.when))}


@dataclass(frozen=True, slots=True)
class OnlyWhen(Rule):
    """`field` counts only when `when` holds one of `values` (金额 only on a 成交 row):
    elsewhere it is reported, since nothing downstream counts it."""

    field: str
    when: str
    values: frozenset[str]
    code: Code = Code.AMOUNT_NOT_CLOSED

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.field, self.when)

    def candidates(self, cols: Mapping[str, Sequence[Any]], n: int) -> list[int]:
        values, when = self.values, _col(cols, self.when, n)
        return [i for i in _where(_col(cols, self.field, n)) if when[i] not in values]

    def check(self, record: Mapping[str, Any], labels: Mapping[str, Field]) -> RuleHit | None:
        value, when = record.get(self.field), record.get(self.when)
        if not value or when in self.values:
            return None
        f, w = labels[self.field], labels[self.when]
        values = {
            "field_zh": f.zh,
            "field_en": f.en,
            "when_zh": w.zh,
            "when_en": w.en,
            "amount": value,
            "wanted_zh": "、".join(_choice_text(w, v, "zh") for v in sorted(self.values)),
            "wanted_en": ", ".join(_choice_text(w, v, "en") for v in sorted(self.values)),
        }
        if when is None:
            return RuleHit(self.field, *message(self.code, "no_choice", **values), value)
        values |= {"got_zh": _choice_text(w, when, "zh"), "got_en": _choice_text(w, when, "en")}
        return RuleHit(self.field, *message(self.code, self.variant, **values), value)


@dataclass(frozen=True, slots=True)
class ProductEquals(Rule):
    """`field` = `a` × `b` within `tolerance` when all three are given (金额 = 数量 × 单价)."""

    field: str
    a: str
    b: str
    tolerance: float = 0.01
    code: Code = Code.AMOUNT_MISMATCH
    severity: Severity | None = None

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.field, self.a, self.b)

    def candidates(self, cols: Mapping[str, Sequence[Any]], n: int) -> list[int]:
        if self.a not in cols or self.b not in cols or self.field not in cols:
            return []
        tol = self.tolerance + 1e-9
        total, a, b = cols[self.field], cols[self.a], cols[self.b]
        return [
            i
            for i in [i for i, t in enumerate(total) if t is not None]
            if a[i] is not None and b[i] is not None and abs(total[i] - a[i] * b[i]) > tol
        ]

    def check(self, record: Mapping[str, Any], labels: Mapping[str, Field]) -> RuleHit | None:
        total, a, b = record.get(self.field), record.get(self.a), record.get(self.b)
        if total is None or a is None or b is None:
            return None
        expected = a * b
        if abs(total - expected) > self.tolerance + 1e-9:
            f, fa, fb = labels[self.field], labels[self.a], labels[self.b]
            return RuleHit(
                self.field,
                *message(
                    self.code,
                    self.variant,
                    field_zh=f.zh,
                    field_en=f.en,
                    a_zh=fa.zh,
                    a_en=fa.en,
                    b_zh=fb.zh,
                    b_en=fb.en,
                    total=total,
                    expected=expected,
                ),
                total,
            )
        return None


@dataclass(frozen=True, slots=True)
class NotGreaterThan(Rule):
    """`field` ≤ `other` (定金 ≤ 金额)."""

    field: str
    other: str
    code: Code = Code.DEPOSIT_EXCEEDS_AMOUNT

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.field, self.other)

    def candidates(self, cols: Mapping[str, Sequence[Any]], n: int) -> list[int]:
        if self.field not in cols or self.other not in cols:
            return []
        values, limits = cols[self.field], cols[self.other]
        return [
            i
            for i in [i for i, v in enumerate(values) if v is not None]
            if limits[i] is not None and values[i] > limits[i] + 1e-9
        ]

    def check(self, record: Mapping[str, Any], labels: Mapping[str, Field]) -> RuleHit | None:
        value, limit = record.get(self.field), record.get(self.other)
        if value is None or limit is None or value <= limit + 1e-9:
            return None
        f, o = labels[self.field], labels[self.other]
        return RuleHit(
            self.field,
            *message(
                self.code,
                self.variant,
                field_zh=f.zh,
                field_en=f.en,
                other_zh=o.zh,
                other_en=o.en,
                value=value,
                limit=limit,
            ),
            value,
        )


@dataclass(frozen=True, slots=True)
class NotBefore(Rule):
    """`field` ≥ `other` for dates (下次跟进 not before 日期)."""

    field: str
    other: str
    code: Code = Code.FOLLOWUP_BEFORE_DATE
    variant: ClassVar[str] = "not_before"

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.field, self.other)

    def candidates(self, cols: Mapping[str, Sequence[Any]], n: int) -> list[int]:
        if self.field not in cols or self.other not in cols:
            return []
        return [
            i
            for i, (v, start) in enumerate(zip(cols[self.field], cols[self.other], strict=True))
            if v is not None and start is not None and v < start
        ]

    def check(self, record: Mapping[str, Any], labels: Mapping[str, Field]) -> RuleHit | None:
        value, start = record.get(self.field), record.get(self.other)
        if not isinstance(value, dt.date) or not isinstance(start, dt.date) or value >= start:
            return None
        f, o = labels[self.field], labels[self.other]
        return RuleHit(
            self.field,
            *message(
                self.code,
                self.variant,
                field_zh=f.zh,
                field_en=f.en,
                other_zh=o.zh,
                other_en=o.en,
                value=value,
                start=start,
            ),
            value,
        )


@dataclass(frozen=True, slots=True)
class MissingWhen(Rule):
    """`field` should be filled when every condition holds (A/B customer, open stage)."""

    field: str
    conditions: tuple[tuple[str, frozenset[str]], ...]
    code: Code = Code.FOLLOWUP_MISSING
    reason_zh: str = ""
    reason_en: str = ""

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.field, *(key for key, _ in self.conditions))

    def candidates(self, cols: Mapping[str, Sequence[Any]], n: int) -> list[int]:
        rows = [i for i, v in enumerate(_col(cols, self.field, n)) if v is None]
        for key, values in self.conditions:
            column = _col(cols, key, n)
            rows = [i for i in rows if column[i] in values]
        return rows

    def check(self, record: Mapping[str, Any], labels: Mapping[str, Field]) -> RuleHit | None:
        if record.get(self.field) is not None:
            return None
        if all(record.get(key) in values for key, values in self.conditions):
            f = labels[self.field]
            return RuleHit(
                self.field,
                *message(
                    self.code,
                    self.variant,
                    field_zh=f.zh,
                    field_en=f.en,
                    reason_zh=self.reason_zh,
                    reason_en=self.reason_en,
                ),
            )
        return None


def _where(flags: Any) -> Iterator[int]:
    """The positions of the true flags: a pre-filter stepped through in C, so that only
    the rows it keeps take a Python step."""
    return compress(count(), flags)


def _col(cols: Mapping[str, Sequence[Any]], key: str, n: int) -> Sequence[Any]:
    """A column's values, or all None when the file lacks that column."""
    return cols[key] if key in cols else [None] * n


def _choice_text(field_: Field, code: Any, lang: str = "zh") -> str:
    """A choice code as users see it: `7 成交` (with its code when the list shows codes)."""
    if field_.choices is not None and code is not None:
        try:
            choice = field_.choices.by_code(str(code))
        except KeyError:
            return str(code)
        return choice.label(lang, with_code=field_.choices.show_code)
    return str(code)


# ----------------------------------------------------------------------------
# Tables and forms
# ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Table:
    """One table of a form: a sheet whose header row holds the fields' labels."""

    key: TableKey
    zh: str  # sheet name, Chinese
    en: str  # sheet name, English
    fields: tuple[Field, ...]
    rules: tuple[Rule, ...] = ()
    required: bool = True  # a form without this table is incomplete
    input_rows: int = 1000  # rows prepared (validation, unlocked) in the template
    sheet_aliases: tuple[str, ...] = ()
    # A header row holding every required field is this table even with fewer than three
    # labels, when they are at least half the row (a sales export of just 日期, 金额).
    known_by_required: bool = False
    # Notes stand to the right of the table (the targets 说明 Method sheet): columns past
    # its last labelled one are not the table's, so values there are not unlabelled.
    notes_beside: bool = False

    @property
    def sheet_name(self) -> str:
        return f"{self.zh} {self.en}"

    def sheet_title(self, lang: str) -> str:
        return self.sheet_name if lang == "zh" else self.en

    def field(self, key: str) -> Field:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(f"{self.key} has no field {key!r}")

    @property
    def min_labels(self) -> int:
        """Labels a row needs to count as this table's header row (README.md "Forms": three labels)."""
        return min(3, len([f for f in self.fields if f.formula is None]) or 1)


@dataclass(frozen=True, slots=True)
class Progress:
    """本月进度 beside a form's header block: a column's sum against a header target.

    With `only_when` (a field of `table` and a choice code), only the rows at that
    choice are summed: the daily report's amounts of closed deals, as the summary counts.
    """

    table: TableKey
    amount: str  # the field of `table` summed
    target: str  # the header field it is compared with
    only_when: tuple[str, str] | None = None  # (choice field, code)

    @property
    def formula(self) -> str:
        """The amount so far, as a formula of salesxl.forms.formula."""
        column = f"{{col:{self.table}.{self.amount}}}"
        if self.only_when is None:
            return f"SUM({column})"
        field, code = self.only_when
        return (
            f"SUMIFS({column},{{col:{self.table}.{field}}},{{choice:{self.table}.{field}={code}}})"
        )


@dataclass(frozen=True, slots=True)
class Form:
    """A whole form: header block plus one or more tables (docs/forms.md)."""

    id: FormId
    zh: str
    en: str
    version: str
    filename: str
    tables: tuple[Table, ...]
    header: tuple[Field, ...] = ()
    header_table: TableKey | None = None  # table whose sheet holds the header block
    header_sheet: tuple[str, str] | None = None  # a sheet of its own (zh, en) for label/value
    rep_field: Role | None = None  # header key holding the rep ID (工号)
    period_field: Role | None = None  # header key holding the period (月份 / 周)
    progress: Progress | None = None
    instructions_zh: tuple[str, ...] = ()
    instructions_en: tuple[str, ...] = ()
    notes: Mapping[str, str] = field(default_factory=dict)

    def table(self, key: str) -> Table:
        for t in self.tables:
            if t.key == key:
                return t
        raise KeyError(f"{self.id} has no table {key!r}")

    def header_field(self, key: str) -> Field:
        for f in self.header:
            if f.key == key:
                return f
        raise KeyError(f"{self.id} has no header field {key!r}")

    @property
    def main_table(self) -> Table:
        return self.tables[0]
