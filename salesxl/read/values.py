"""Reading cell values the way people really type them (README.md "Forms").

Pure functions, no I/O.  Each parser takes what a reader hands over (str,
int, float, bool, date, datetime or None) and returns the typed value, or
raises `CellValueError` carrying the issue code and a message that says how to
fix the cell.  `cell_parser(field)` builds one fast closure per field.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from salesxl.core.errors import SalesxlError
from salesxl.core.issues import Code, message
from salesxl.core.periods import Month, Week
from salesxl.forms.model import ChoiceList, Field, FieldType
from salesxl.read.dates import (
    infer_order,
    month_name_date,
    month_name_month,
    numeric_parts,
    ordered_date,
)

__all__ = [
    "CellValueError",
    "CellValueWarningError",
    "ChoiceMatcher",
    "DecimalCommaCellError",
    "DecimalCommaError",
    "cell_parser",
    "date_text",
    "header_unit",
    "identifier_of",
    "is_empty",
    "matcher_for",
    "norm_label",
    "norm_text",
    "normalise_phone",
    "parse_date",
    "parse_month",
    "parse_number",
    "parse_numbers",
    "parse_ramp",
    "parse_week",
    "plain_mobile",
]

EXCEL_EPOCH = dt.date(1899, 12, 30)
# Serial numbers Excel shows as dates between 1954 and 2119: anything else in a
# date column is more likely a typo than a date.
_SERIAL_MIN, _SERIAL_MAX = 20000, 80000


class CellValueError(SalesxlError, ValueError):
    """Why a cell cannot be read as its field's type, in both languages."""

    def __init__(self, code: Code, message_zh: str, message_en: str) -> None:
        super().__init__(message_zh, message_en)
        self.code = code


class DecimalCommaCellError(CellValueError):
    """A number cell written with a decimal comma: not read (`DecimalCommaError`)."""


class CellValueWarningError(CellValueError):
    """A cell read as `value`, with something the user should check (a warning, not an
    error): the value is kept (`4 成交` is stage 4, its name disagreeing)."""

    def __init__(self, value: Any, code: Code, message_zh: str, message_en: str) -> None:
        super().__init__(code, message_zh, message_en)
        self.value = value


# ----------------------------------------------------------------------------
# Text and labels
# ----------------------------------------------------------------------------

# Everything but letters and digits: spaces, underscores and every punctuation mark or
# symbol (`Order_Date`, ` Sales`, `Qty.`, `单价(元)`, `金额*` all match their field).
_LABEL_DROP = re.compile(r"[\W_]+")


# Full-width letters, digits and symbols become ASCII (`Ｓ００１` -> `S001`), but the
# punctuation Chinese text is written with (，：；（）！？) stays as typed: notes and
# summaries read as the rep wrote them.  Matching (labels, choices) uses NFKC anyway.
_KEEP_FULL_WIDTH = frozenset("，：；（）！？")
_HALF_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F) if chr(cp) not in _KEEP_FULL_WIDTH}
_HALF_WIDTH[0x3000] = 0x20  # ideographic space


def norm_text(text: str) -> str:
    """Full-width letters and digits to half-width, trimmed; Chinese punctuation kept."""
    return text.translate(_HALF_WIDTH).strip()


_LABEL_KEYS: dict[str, str] = {}  # labels repeat from file to file: remember their keys


def norm_label(text: Any) -> str:
    """A label's comparison key: NFKC, lower case, letters and digits only."""
    if text is None:
        return ""
    if type(text) is str:
        key = _LABEL_KEYS.get(text)
        if key is None:
            key = _LABEL_DROP.sub("", unicodedata.normalize("NFKC", text).lower())
            if len(_LABEL_KEYS) < 50_000:
                _LABEL_KEYS[text] = key
        return key
    return _LABEL_DROP.sub("", unicodedata.normalize("NFKC", str(text)).lower())


# A header's unit written after its label, in brackets or after a slash: 销售金额(元),
# 金额（万元）, 销售额/元, Amount (RMB).  The locator reads the label (`read.locate`), the
# validator the unit (万元, 千元: `unit_scaled`).
_HEADER_UNIT = re.compile(
    r"^(.*?)\s*[(（\[【/]\s*(元|万元|千元|万|千|rmb|cny|¥)\s*[)）\]】]?\s*$", re.I
)
_UNIT_ENDS = frozenset(")）]】元万千¥BbYy")


def header_unit(text: Any) -> tuple[str, str] | None:
    """A header cell's label and the unit written after it (`销售金额(元)` -> ('销售金额',
    '元'); RMB and CNY in lower case), or None when it ends in no unit."""
    if not isinstance(text, str) or text.rstrip()[-1:] not in _UNIT_ENDS:
        return None  # most cells: one set lookup, no pattern (the header scan sees data too)
    found = _HEADER_UNIT.match(text)
    return (found.group(1), found.group(2).lower()) if found else None


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text_of(value: Any) -> str:
    """A cell as text, as typed: trimmed; integral floats lose their `.0`, dates become ISO."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def identifier_of(value: Any) -> str:
    """An ID (工号): as text, full-width folded (`Ｓ００１` is `S001`)."""
    text = text_of(value)
    return text if text.isascii() else norm_text(text)


# ----------------------------------------------------------------------------
# Numbers: 1,234.5 / ¥1,234 / 1234元 / １２３４ / 1.2万 / 85% / (1,234)
# ----------------------------------------------------------------------------

_NUMBER_NOISE = re.compile(r"[\s¥$]|rmb|cny|人民币|元整?$|圆$")
_MULTIPLIERS = {
    "万": Decimal(10_000),
    "亿": Decimal(100_000_000),
    "千": Decimal(1_000),
    "w": Decimal(10_000),
    "k": Decimal(1_000),
}
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$")
# Thousands separators group digits by three: `1,234,567.8`; `1,2,3` is a typo, not 123.
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
# A decimal comma, as German or French systems export numbers: `1.234,56`, `12,5`, `12,50`
# (`1 234,56` too: spaces are noise).  Never converted: `1.234` and `1,234` mean 1234 and
# 1.234 there, so a column of them read either way would be wrong by a factor of 1000.
_DECIMAL_COMMA = re.compile(r"^[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+),\d+$")
_PERCENT = Decimal("0.01")


class DecimalCommaError(SalesxlError, ValueError):
    """A number written with a decimal comma (`1.234,56`): `reading` is what it would mean
    there (`1234.56`), for the message; the number is not read."""

    def __init__(self, text: str, reading: str) -> None:
        super().__init__(
            f"「{text}」用逗号作小数点（即 {reading}）；请写成 {reading}",
            f"{text!r} is written with a decimal comma ({reading} where commas mark decimals); "
            f"write it as {reading}",
        )
        self.text, self.reading = text, reading


def parse_number(value: Any) -> float:
    """A number from a cell; raises ValueError with the reason."""
    if isinstance(value, bool):
        raise ValueError("TRUE/FALSE is not a number")
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        number = _number_from_text(value)
    else:
        raise ValueError(f"{type(value).__name__} is not a number")
    if math.isnan(number) or math.isinf(number):
        raise ValueError("not a finite number")
    return number


def _number_from_text(text: str) -> float:
    raw = _NUMBER_NOISE.sub("", unicodedata.normalize("NFKC", text).strip().lower())
    negative = False
    if raw.startswith("(") and raw.endswith(")"):  # accounting negative (1,234)
        negative, raw = True, raw[1:-1]
    scale: Decimal | None = None
    suffix = raw[-1:] if raw[-1:] == "%" or raw[-1:] in _MULTIPLIERS else ""
    if raw.endswith("%"):
        scale, raw = _PERCENT, raw[:-1]
    elif raw and raw[-1] in _MULTIPLIERS:
        scale, raw = _MULTIPLIERS[raw[-1]], raw[:-1]
        raw = _NUMBER_NOISE.sub("", raw)  # "1.2万元" -> "1.2"
    if "," in raw:
        if not _GROUPED.match(raw):
            if _DECIMAL_COMMA.match(raw):
                reading = raw.replace(".", "").replace(",", ".")
                sign = "-" if negative else ""
                raise DecimalCommaError(text.strip(), f"{sign}{reading}{suffix}")
            raise ValueError(f"{text!r} is not a number (thousands separators group three digits)")
        raw = raw.replace(",", "")
    if not _PLAIN_NUMBER.match(raw):
        raise ValueError(f"{text!r} is not a number")
    # A plain number is exactly the float the text spells, never rounded; Decimal keeps
    # 1.2万 exactly 12000 and 85% exactly 0.85 (float maths would not).
    number = float(raw) if scale is None else float(Decimal(raw) * scale)
    return -number if negative else number


# ----------------------------------------------------------------------------
# Dates: Excel dates and serials, 2026-11-03, 2026/11/3, 2026.11.3, 2026年11月3日,
# 11月3日 and 11-3 (year from the header month), 20261103
# ----------------------------------------------------------------------------

_FULL_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SHORT_DATE = re.compile(r"^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?")
_WEEKDAY_TAIL = re.compile(r"[(（]?\s*(周|星期|礼拜)[一二三四五六日天]\s*[)）]?$")
_TIME_TAIL = re.compile(r"[ t]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(\s*[ap]\.?m\.?)?$")


def parse_date(value: Any, default_year: int | None = None, order: str | None = None) -> dt.date:
    """A date from a cell; `default_year` completes `11月3日` and `11-3`.

    `2/24/2003`-style dates (salesxl.read.dates) are read in `order` (dmy, mdy,
    ymd); without one, only when a single order makes a real date of them.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise ValueError("TRUE/FALSE is not a date")
    if isinstance(value, (int, float)):
        return _date_from_number(float(value))
    if not isinstance(value, str):
        raise ValueError(f"{type(value).__name__} is not a date")
    text = date_text(value)
    parts = numeric_parts(text)
    short = None if parts else _SHORT_DATE.match(text)
    if parts and order is None:
        order = infer_order([text]).order
        if order is None:
            raise ValueError(
                f"{value!r} could be day/month or month/day; write it as YYYY-MM-DD "
                "or give the date order (dmy, mdy or ymd)"
            )
    if short and short.end() == len(text) and default_year is None:
        raise ValueError(f"{value!r} has no year; write it as YYYY-MM-DD")
    try:
        if match := _FULL_DATE.match(text):
            year, month, day = (int(g) for g in match.groups())
            if match.end() == len(text):
                return dt.date(year, month, day)
        elif match := _COMPACT_DATE.match(text):
            return dt.date(*(int(g) for g in match.groups()))
        elif parts and order is not None:
            return ordered_date(parts, order)
        elif named := month_name_date(text):
            return named
        elif short and short.end() == len(text) and default_year is not None:
            return dt.date(default_year, int(short.group(1)), int(short.group(2)))
        elif _PLAIN_NUMBER.match(text):
            return _date_from_number(float(text))
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a real calendar date") from exc
    raise ValueError(f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-11-03")


def date_text(value: str) -> str:
    """A date cell's text as the parsers read it: NFKC, lower case, no weekday or time."""
    text = unicodedata.normalize("NFKC", value).strip().lower()
    text = _WEEKDAY_TAIL.sub("", text).strip()
    return _TIME_TAIL.sub("", text).strip()


def _date_from_number(number: float) -> dt.date:
    if number.is_integer() and 19000101 <= number <= 21001231:
        digits = str(int(number))
        try:
            return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
        except ValueError:
            raise ValueError(f"{digits} is not a real calendar date") from None
    if _SERIAL_MIN <= number <= _SERIAL_MAX:
        return EXCEL_EPOCH + dt.timedelta(days=int(number))
    raise ValueError(f"{number:g} is not a date; write it as YYYY-MM-DD")


def parse_month(value: Any) -> Month:
    """`2026-11`, `2026/11`, `2026年11月`, 202611, 2026.11, or an Excel date in the month."""
    if isinstance(value, (dt.date, dt.datetime)):
        return Month.of(value if isinstance(value, dt.date) else value.date())
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _month_from_number(float(value))
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        try:
            return Month.parse(text.removesuffix("份"))
        except ValueError:
            pass
        named = month_name_month(text.strip().lower())
        if named is not None:
            return Month(*named)
        try:
            return Month.of(parse_date(text))
        except ValueError:
            pass
    raise ValueError(f"{value!r} is not a month; write it as YYYY-MM, e.g. 2026-11")


def _month_from_number(number: float) -> Month:
    if number.is_integer() and 190001 <= number <= 210012:
        year, month = divmod(int(number), 100)
        if 1 <= month <= 12:
            return Month(year, month)
    if 1900 <= number < 2101 and not number.is_integer():
        # Excel turns a typed 2026.11 into the number 2026.11; 2026.1 could be
        # 2026.10 or 2026.01 typed, so it is refused rather than guessed.
        year = int(number)
        hundredths = round((number - year) * 100, 6)
        if hundredths.is_integer() and 1 <= hundredths <= 12 and hundredths != 10:
            return Month(year, int(hundredths))
        raise ValueError(f"{number:g} is not a month; write it as text YYYY-MM, e.g. {year}-10")
    try:
        return Month.of(_date_from_number(number))
    except ValueError:
        raise ValueError(f"{number:g} is not a month; write it as YYYY-MM, e.g. 2026-11") from None


_WEEK_TEXT = re.compile(r"^(\d{4})\s*(?:-?\s*w|年\s*第?)\s*(\d{1,2})\s*周?$")


def parse_week(value: Any) -> Week:
    """`2026-W48`, `2026年第48周`, or any date in the week (its Monday by convention)."""
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip().lower()
        if match := _WEEK_TEXT.match(text):
            week = Week(int(match.group(1)), int(match.group(2)))
            week.monday  # noqa: B018 - raises on week 54 and the like
            return week
    try:
        return Week.of(parse_date(value))
    except ValueError:
        raise ValueError(f"{value!r} is not a week; write 2026-W48 or the Monday's date") from None


def parse_ramp(value: Any) -> tuple[float, ...]:
    """`25,50,75,100` (also with %, ，、/ or spaces): a new rep's first months in percent."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        parts = [float(value)]
    else:
        text = unicodedata.normalize("NFKC", str(value)).replace("%", "")
        parts = [parse_number(p) for p in re.split(r"[,;/、\s]+", text.strip()) if p]
    if not parts:
        raise ValueError(f"{value!r} is not a ramp; write percentages like 25,50,75,100")
    if any(p < 0 or p > 100 for p in parts):
        raise ValueError(f"{value!r}: each ramp step is a percentage from 0 to 100")
    return tuple(parts)


def parse_numbers(value: Any) -> tuple[float, ...]:
    """`8,8,9,9` (also with ，、/ ; or spaces, % allowed): a list of numbers."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (float(value),)
    text = unicodedata.normalize("NFKC", str(value))
    parts = [parse_number(p) for p in re.split(r"[,;/、\s]+", text.strip()) if p]
    if not parts:
        raise ValueError(f"{value!r} is not a list of numbers; write them like 8,8,9,9")
    return tuple(parts)


# ----------------------------------------------------------------------------
# Phones: CN mobile 1[3-9]xxxxxxxxx, landline 0xx(x)-xxxxxxx(x)
# ----------------------------------------------------------------------------

_PHONE_NOISE = re.compile(r"[\s\-()（）—–_.]+")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}\d{7,8}$")


def plain_mobile(value: Any) -> bool:
    """Whether a cell is a CN mobile number written plainly — text of 11 ASCII digits, 1
    then 3-9 — as most phone cells are: such a value is its own normal form."""
    return (
        type(value) is str
        and len(value) == 11
        and value.isascii()
        and value.isdigit()
        and value[0] == "1"
        and value[1] in "3456789"
    )


def normalise_phone(value: Any) -> tuple[str, bool]:
    """Digits only without `+86`, and whether it is a valid CN mobile or landline."""
    if plain_mobile(value):
        return value, True  # the common case: a mobile number written plainly (as _MOBILE)
    text = text_of(value)
    digits = _PHONE_NOISE.sub("", unicodedata.normalize("NFKC", text))
    international = digits.startswith(("+86", "0086"))
    if international:
        digits = digits[3:] if digits.startswith("+") else digits[4:]
        if not _MOBILE.match(digits) and not digits.startswith("0"):
            digits = "0" + digits  # +86 10 1234 5678 -> 010 1234 5678
    elif len(digits) == 13 and digits.startswith("86") and _MOBILE.match(digits[2:]):
        digits = digits[2:]
    if _MOBILE.match(digits) or _LANDLINE.match(digits):
        return digits, True
    return text, False


# ----------------------------------------------------------------------------
# Choices: by code, zh or en label, any case or width ("7", "成交", "7 成交", "closed won")
# ----------------------------------------------------------------------------


class ChoiceMatcher:
    """Maps every accepted spelling of a choice list to its code.

    `cache` remembers raw cell values already matched, so a column of
    repeated drop-down values costs one dictionary look-up per cell.  In a
    list shown with codes (`7 成交`, `A 热`) the code is enough: `4 接触`
    is stage 4 (a shortened name); `4 成交` is stage 4 too, but its name
    disagrees, which `read` reports.
    """

    def __init__(self, choices: ChoiceList) -> None:
        self.choices = choices
        self.cache: dict[Any, str | None] = {"": None}  # an empty cell matches nothing
        self._lookup: dict[str, str] = {}
        self._names: dict[str, list[str]] = {}  # code -> its names as label keys
        for c in choices.choices:
            spellings = [c.code, c.zh, c.en, *c.aliases]
            spellings += [f"{c.code}{c.zh}", f"{c.code}{c.en}", f"{c.zh}{c.en}"]
            spellings += [f"{c.code}{c.zh}{c.en}", f"{c.en}{c.zh}"]
            for spelling in spellings:
                self._lookup.setdefault(norm_label(spelling), c.code)
            self._names[c.code] = [norm_label(n) for n in (c.zh, c.en, *c.aliases)]
        self._leading_code = (
            re.compile(
                r"^\s*("
                + "|".join(re.escape(c.lower()) for c in sorted(choices.codes, key=len)[::-1])
                + r")(?![0-9a-z])\s*[-.、:：)）]?\s*(\S.*)$"
            )
            if choices.show_code
            else None
        )

    def match(self, value: Any) -> str | None:
        """The code `value` stands for, or None (a name disagreeing with its code: None)."""
        code, disagreeing = self.read(value)
        return None if disagreeing else code

    def read(self, value: Any) -> tuple[str | None, str | None]:
        """(code, None) for a spelling of one choice; (code, name) for a code followed by a
        name that is not that choice's (`4 成交`); (None, None) for anything else."""
        code = self.cache.get(value)
        if code is not None:
            return code, None
        key = int(value) if isinstance(value, float) and value.is_integer() else value
        code = self._lookup.get(norm_label(key))
        disagreeing = None
        if code is None and self._leading_code is not None and isinstance(key, str):
            code, disagreeing = self._by_code(key)
        if code is not None and disagreeing is None and len(self.cache) < 10_000:
            self.cache[value] = code
        return code, disagreeing

    def _by_code(self, text: str) -> tuple[str | None, str | None]:
        """`4 接触` -> ('4', None): the code is enough; `4 成交` -> ('4', '成交')."""
        assert self._leading_code is not None
        hit = self._leading_code.match(unicodedata.normalize("NFKC", text).lower())
        if hit is None:
            return None, None
        typed, name = hit.group(1), hit.group(2)
        code = next(c for c in self.choices.codes if c.lower() == typed)
        key, whole = norm_label(name), norm_label(text)
        if key and any(key in n or n in key or n in whole for n in self._names[code] if n):
            return code, None  # `4 接触`, `C类客户` (an alias with its code)
        return code, name.strip()

    def label(self, code: str, lang: str) -> str:
        return self.choices.by_code(code).label(lang, with_code=self.choices.show_code)

    def allowed(self) -> str:
        return " / ".join(
            c.label("zh", with_code=self.choices.show_code) for c in self.choices.choices
        )

    def allowed_en(self) -> str:
        return " / ".join(
            c.label("en", with_code=self.choices.show_code) for c in self.choices.choices
        )


_MATCHERS: dict[str, ChoiceMatcher] = {}


def matcher_for(choices: ChoiceList) -> ChoiceMatcher:
    """One shared matcher (and cache) per choice list."""
    matcher = _MATCHERS.get(choices.name)
    if matcher is None or matcher.choices is not choices:
        matcher = _MATCHERS[choices.name] = ChoiceMatcher(choices)
    return matcher


# ----------------------------------------------------------------------------
# One parser per field
# ----------------------------------------------------------------------------

Parser = Callable[[Any], Any]


def cell_parser(
    field: Field, *, default_year: int | None = None, products: frozenset[str] | None = None
) -> Parser:
    """A closure that turns a non-empty cell into the field's value or raises CellValueError.

    Range checks are left to the validator (they need the row's place and
    the header period); phone warnings too (a bad phone is kept as text).
    """
    kind = field.type
    zh, en = field.zh, field.en

    def bad(reason: str, zh_hint: str) -> CellValueError:
        text = message(Code.BAD_TYPE, field_zh=zh, field_en=en, hint_zh=zh_hint, hint_en=reason)
        return CellValueError(Code.BAD_TYPE, *text)

    if kind is FieldType.TEXT:
        if products:
            allowed = {norm_label(p): p for p in products}

            def product(value: Any) -> str:
                text = text_of(value)
                if norm_label(text) not in allowed:
                    raise CellValueError(
                        Code.NOT_IN_LIST,
                        *message(Code.NOT_IN_LIST, "product", field_zh=zh, field_en=en, value=text),
                    )
                return allowed[norm_label(text)]

            return product
        return identifier_of if field.identifier else text_of

    if kind in (FieldType.NUMBER, FieldType.MONEY, FieldType.PERCENT, FieldType.INTEGER):
        integral = kind is FieldType.INTEGER

        money = kind is FieldType.MONEY

        def number(value: Any) -> float | int:
            if type(value) is float or type(value) is int:  # fast path: a real number cell
                result: float = value
            else:
                if money and type(value) is str and value.rstrip().endswith(("%", "％")):
                    raise bad(  # 50% of what? read as 0.5 it would be a wrong amount
                        f"{value!r} is a percentage, not an amount", "请填写金额，不是百分比"
                    )
                try:
                    result = parse_number(value)
                except DecimalCommaError as exc:
                    raise DecimalCommaCellError(
                        Code.BAD_TYPE,
                        *message(
                            Code.BAD_TYPE,
                            "decimal_comma",
                            field_zh=zh,
                            field_en=en,
                            value=exc.text,
                            reading=exc.reading,
                        ),
                    ) from None
                except ValueError as exc:
                    raise bad(str(exc), "请填写数字，例如 1200、1,200 或 1.2万") from None
            if integral:
                if not float(result).is_integer():
                    raise bad(f"{value!r} is not a whole number", "请填写整数")
                return int(result)
            return result

        return number

    if kind is FieldType.DATE:

        def date(value: Any) -> dt.date:
            if type(value) is dt.datetime:
                return value.date()
            try:
                return parse_date(value, default_year)
            except ValueError as exc:
                raise bad(str(exc), "请填写日期，例如 2026-11-03") from None

        return date

    if kind is FieldType.CHOICE:
        assert field.choices is not None, f"{field.key} is a choice without choices"
        matcher = matcher_for(field.choices)

        def choice(value: Any) -> str:
            code, disagreeing = matcher.read(value)
            if code is None:
                raise CellValueError(
                    Code.NOT_IN_LIST,
                    *message(
                        Code.NOT_IN_LIST,
                        field_zh=zh,
                        field_en=en,
                        value=text_of(value),
                        allowed_zh=matcher.allowed(),
                        allowed_en=matcher.allowed_en(),
                    ),
                )
            if disagreeing is not None:
                raise CellValueWarningError(
                    code,
                    Code.CHOICE_MISMATCH,
                    *message(
                        Code.CHOICE_MISMATCH,
                        field_zh=zh,
                        field_en=en,
                        value=text_of(value),
                        code=code,
                        label_zh=matcher.label(code, "zh"),
                        label_en=matcher.label(code, "en"),
                        name=disagreeing,
                    ),
                )
            return code

        return choice

    if kind is FieldType.PHONE:
        return lambda value: normalise_phone(value)[0]

    parsers: dict[FieldType, tuple[Callable[[Any], Any], str]] = {
        FieldType.MONTH: (parse_month, "请写成 YYYY-MM，例如 2026-11"),
        FieldType.MONTH_OR_DATE: (parse_month, "请写成 YYYY-MM 或日期"),
        FieldType.WEEK: (parse_week, "请写成 2026-W48 或该周星期一的日期"),
        FieldType.RAMP: (parse_ramp, "请写成百分比序列，例如 25,50,75,100"),
        FieldType.NUMBERS: (parse_numbers, "请写成以逗号分隔的数字，例如 8,8,9,9,..."),
    }
    parse, hint = parsers[kind]

    def other(value: Any) -> Any:
        try:
            return parse(value)
        except ValueError as exc:
            raise bad(str(exc), hint) from None

    return other
