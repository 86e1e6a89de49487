"""Cell values as people type them (salesxl/read/values.py): every spelling README.md "Forms"
lists, as case tables and as properties (hypothesis)."""

from __future__ import annotations

import contextlib
import datetime as dt
import unicodedata

import pytest
from conftest import full_width
from hypothesis import assume, given
from hypothesis import strategies as st

from salesxl.core.issues import Code
from salesxl.core.periods import Month, Week
from salesxl.forms import (
    DAILY_REPORT,
    FORMS,
    TARGETS_INPUT,
    WEEKLY_PLAN,
    ChoiceList,
    Field,
    FieldType,
)
from salesxl.forms.choices import GRADES, OBJECTIONS, SOURCES, STAGES
from salesxl.read.values import (
    _LANDLINE,
    _MOBILE,
    CellValueError,
    CellValueWarningError,
    ChoiceMatcher,
    DecimalCommaError,
    cell_parser,
    is_empty,
    norm_label,
    normalise_phone,
    parse_date,
    parse_month,
    parse_number,
    parse_ramp,
    parse_week,
)

NOV_3 = dt.date(2026, 11, 3)
# ----------------------------------------------------------------------------
# Dates
# ----------------------------------------------------------------------------

DATES = [
    (dt.date(2026, 11, 3), NOV_3),  # an Excel date cell
    (dt.datetime(2026, 11, 3, 10, 30), NOV_3),  # a date-time cell
    (dt.datetime(2026, 11, 3, 15, 30), NOV_3),
    (46329, NOV_3),  # an Excel serial
    (46329.0, NOV_3),
    (46329.4375, NOV_3),  # serial with a time of day
    ("46329", NOV_3),  # a serial stored as text
    ("2026-11-03", NOV_3),
    ("2026-11-3", NOV_3),
    ("2026/11/3", NOV_3),
    ("2026/11/03", NOV_3),
    ("2026.11.3", NOV_3),
    ("2026年11月3日", NOV_3),
    ("2026年11月3号", NOV_3),
    ("2026 年 11 月 3 日", NOV_3),
    ("２０２６－１１－０３", NOV_3),  # full-width
    ("２０２６年１１月３日", NOV_3),
    ("20261103", NOV_3),
    (20261103, NOV_3),
    ("2026-11-03 10:30", NOV_3),
    ("2026-11-03 09:30:00", NOV_3),
    ("2026-11-03T10:30:00", NOV_3),
    ("2026-11-03（周二）", NOV_3),
    ("2026-11-3 星期二", NOV_3),
    ("2026/11/3 星期二", NOV_3),
    ("  2026-11-03  ", NOV_3),
    # no year: the year comes from the header month (default_year)
    ("11月3日", NOV_3),
    ("11月3号", NOV_3),
    ("11-3", NOV_3),
    ("11/3", NOV_3),
    ("１１月３日", NOV_3),
]


@pytest.mark.parametrize(("raw", "expected"), DATES, ids=repr)
def test_date_spellings(raw, expected):
    assert parse_date(raw, default_year=2026) == expected


BAD_DATES = [
    ("2026-02-30", "not a real calendar date"),
    ("2026-13-01", "not a real calendar date"),
    (20261303, "not a real calendar date"),
    ("11-3", "has no year"),  # no header month to take the year from
    ("11月3日", "has no year"),
    ("明天", "not a date"),
    (12, "not a date"),
    ("abc", "write it as YYYY-MM-DD"),
    ("3/11/2026", "write it as YYYY-MM-DD"),
    ("2026-11", "write it as YYYY-MM-DD"),
    (123, "write it as YYYY-MM-DD"),  # far below any plausible serial
    (True, "TRUE/FALSE"),
    (dt.time(10, 30), "is not a date"),
]


@pytest.mark.parametrize(("raw", "why"), BAD_DATES, ids=repr)
def test_bad_dates_say_why(raw, why):
    with pytest.raises(ValueError, match=why):
        parse_date(raw)


# ----------------------------------------------------------------------------
# Numbers
# ----------------------------------------------------------------------------

NUMBERS = [
    (1234, 1234.0),
    (1234.5, 1234.5),
    ("1234", 1234.0),
    ("1,234", 1234.0),
    ("1,234.50", 1234.5),
    ("1,234.5", 1234.5),
    ("12,345,678.9", 12345678.9),
    ("¥1,234", 1234.0),
    ("￥1,234", 1234.0),
    ("￥1,234.00", 1234.0),
    ("¥ 1,234.00", 1234.0),
    ("1234元", 1234.0),
    ("12,000.00元", 12000.0),
    ("1,234元整", 1234.0),
    ("RMB 1,234", 1234.0),
    ("RMB 99", 99.0),
    ("人民币1234", 1234.0),
    ("１２３４", 1234.0),
    ("１，２３４．５", 1234.5),
    ("￥１，２３４", 1234.0),
    ("1.2万", 12000.0),
    ("1.2万元", 12000.0),
    ("￥１．２万", 12000.0),
    ("3万", 30000.0),
    ("0.35万", 3500.0),
    ("1.5亿", 150_000_000.0),
    ("0.5亿", 50_000_000.0),
    ("3k", 3000.0),
    ("3千", 3000.0),
    ("85%", 0.85),
    ("８５％", 0.85),
    ("12.5%", 0.125),
    ("-1,234", -1234.0),
    ("-320", -320.0),
    ("-¥1,234", -1234.0),
    ("(1,234)", -1234.0),  # accounting negative
    ("+5", 5.0),
    ("  7  ", 7.0),
    (" 42 ", 42.0),
    (12.5, 12.5),
    (7, 7.0),
    ("1 234", 1234.0),
    ("0.1234567", 0.1234567),  # never rounded away
    ("1e3", 1000.0),
]


@pytest.mark.parametrize(("raw", "expected"), NUMBERS, ids=repr)
def test_number_spellings(raw, expected):
    assert parse_number(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "abc",
        "12abc",
        "",
        "¥",
        "%",
        "万",
        "1.2.3",
        "1,2,3",
        "12,34",
        "—",
        "N/A",
        True,
        dt.date(2026, 11, 3),
        float("nan"),
        float("inf"),
        "nan",
        "inf",
        "1e999",
    ],
    ids=repr,
)
def test_not_numbers(raw):
    with pytest.raises(ValueError):
        parse_number(raw)


@pytest.mark.parametrize(
    ("raw", "reading"),
    [
        ("1.234,56", "1234.56"),  # a German export's amount
        ("12,50", "12.50"),  # unambiguous in shape, still not converted: said, not guessed
        ("12,5", "12.5"),
        ("1.234.567,8", "1234567.8"),
        ("1 234,56", "1234.56"),  # French: a space between thousands
        ("(1.234,56)", "-1234.56"),
        ("-0,75", "-0.75"),
        ("1,5万", "1.5万"),
    ],
)
def test_decimal_commas_are_refused_naming_their_reading(raw, reading):
    with pytest.raises(DecimalCommaError) as caught:
        parse_number(raw)
    assert caught.value.reading == reading
    assert "decimal comma" in str(caught.value) and "thousands" not in str(caught.value)


def test_a_decimal_comma_in_a_money_cell_says_how_to_fix_it():
    parse = cell_parser(DAILY_REPORT.main_table.field("amount"))
    with pytest.raises(CellValueError) as caught:
        parse("1.234,56")
    assert caught.value.code is Code.BAD_TYPE
    assert "'1.234,56' is written with a decimal comma" in caught.value.message_en
    assert "Write it as 1234.56" in caught.value.message_en
    assert "即 1234.56" in caught.value.message_zh
    assert parse("1,234") == 1234  # thousands separators as before


# ----------------------------------------------------------------------------
# Months, weeks, periods, ramps
# ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-11", Month(2026, 11)),
        ("2026/11", Month(2026, 11)),
        ("2026.11", Month(2026, 11)),
        ("2026年11月", Month(2026, 11)),
        ("2026年11月份", Month(2026, 11)),
        ("202611", Month(2026, 11)),
        (202611, Month(2026, 11)),
        (2026.11, Month(2026, 11)),  # Excel turned the typed 2026.11 into a number
        (2026.09, Month(2026, 9)),
        (dt.date(2026, 11, 1), Month(2026, 11)),  # Excel turned 2026-11 into a date
        (dt.datetime(2026, 11, 15), Month(2026, 11)),
        (dt.datetime(2026, 11, 1), Month(2026, 11)),
        ("2026-11-15", Month(2026, 11)),
        (46330, Month(2026, 11)),
        ("２０２６－１１", Month(2026, 11)),
    ],
    ids=repr,
)
def test_month_spellings(raw, expected):
    assert parse_month(raw) == expected


@pytest.mark.parametrize("raw", ["2026-13", "Nov", "x", 2026.1, 2026.13, True], ids=repr)
def test_bad_months(raw):
    with pytest.raises(ValueError, match="month"):
        parse_month(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-W48", Week(2026, 48)),
        ("2026W48", Week(2026, 48)),
        ("2026-w01", Week(2026, 1)),
        ("2026 W48", Week(2026, 48)),
        ("2026 w48", Week(2026, 48)),
        ("2026年第48周", Week(2026, 48)),
        ("2026-11-23", Week(2026, 48)),  # its Monday
        (dt.date(2026, 11, 25), Week(2026, 48)),  # any day of the week
        ("2026-11-25", Week(2026, 48)),
        (dt.datetime(2026, 11, 23), Week(2026, 48)),
        ("2026-W53", Week(2026, 53)),  # 2026 has 53 ISO weeks
    ],
    ids=repr,
)
def test_week_spellings(raw, expected):
    assert parse_week(raw) == expected


@pytest.mark.parametrize("raw", ["2025-W53", "2026-W54", "W48", "next week"], ids=repr)
def test_bad_weeks(raw):
    with pytest.raises(ValueError, match="week"):
        parse_week(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("25,50,75,100", (25.0, 50.0, 75.0, 100.0)),
        ("25%，50%，75%", (25.0, 50.0, 75.0)),
        ("25%,50%,75%", (25.0, 50.0, 75.0)),
        ("25，50，75", (25.0, 50.0, 75.0)),
        ("25、50 / 100", (25.0, 50.0, 100.0)),
        ("25/50/100", (25.0, 50.0, 100.0)),
        ("50", (50.0,)),
        (50, (50.0,)),
    ],
)
def test_ramps(raw, expected):
    assert parse_ramp(raw) == expected


@pytest.mark.parametrize("raw", ["", "25,150", "-5", "a,b"])
def test_bad_ramps(raw):
    with pytest.raises(ValueError):
        parse_ramp(raw)


def test_ramp_above_100_is_refused():
    with pytest.raises(ValueError, match="0 to 100"):
        parse_ramp("50,120")


# ----------------------------------------------------------------------------
# Phones
# ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "digits"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("+86-13812345678", "13812345678"),
        ("0086 13812345678", "13812345678"),
        ("0086-13812345678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("13８１２３４５６７８", "13812345678"),  # half full-width: not the plain fast path
        (13812345678.0, "13812345678"),  # typed into a number cell
        (13812345678, "13812345678"),
        ("010-12345678", "01012345678"),
        ("0755-1234567", "07551234567"),
        ("(010) 1234 5678", "01012345678"),
        ("021-6123 4567", "02161234567"),
        ("+86 10 1234 5678", "01012345678"),
        ("+86-21-61234567", "02161234567"),
        ("+86 (0)10 1234 5678", "01012345678"),
        ("010-87654321", "01087654321"),
        ("0755-8765432", "07558765432"),
        ("(020) 8765 4321", "02087654321"),
        ("+86 10 8765 4321", "01087654321"),
    ],
    ids=repr,
)
def test_valid_phones(raw, digits):
    assert normalise_phone(raw) == (digits, True)


@pytest.mark.parametrize(
    "raw",
    [
        "12345",
        "12812345678",  # mobiles start 13-19
        "1381234567",
        "1381234",
        "138123456789",
        "87654321",  # no area code
        "abc",
        "400-820-8820",
        "010-123",
    ],
    ids=repr,
)
def test_invalid_phones_are_kept_as_typed(raw):
    text, valid = normalise_phone(raw)
    assert not valid and text == raw


@given(st.text(alphabet="0123456789\n １٣-", min_size=10, max_size=12))
def test_a_phone_kept_as_typed_is_one_the_patterns_accept(raw):
    # the plain-mobile shortcut (no regular expression) agrees with the patterns
    text, valid = normalise_phone(raw)
    if raw.isascii() and _MOBILE.match(raw):
        assert (text, valid) == (raw, True)
    if valid and text == raw:
        assert _MOBILE.match(raw) or _LANDLINE.match(raw)


# ----------------------------------------------------------------------------
# Choices
# ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("choices", "raw", "code"),
    [
        (STAGES, "7", "7"),
        (STAGES, 7, "7"),
        (STAGES, 7.0, "7"),
        (STAGES, "７", "7"),
        (STAGES, "成交", "7"),
        (STAGES, "Closed won", "7"),
        (STAGES, "closed WON", "7"),
        (STAGES, "ＣＬＯＳＥＤ ＷＯＮ", "7"),
        (STAGES, "7 成交", "7"),
        (STAGES, "7-成交", "7"),
        (STAGES, "7.成交", "7"),
        (STAGES, "7成交", "7"),
        (STAGES, "7 成交 Closed won", "7"),
        (STAGES, "签约", "7"),
        (STAGES, "0", "0"),
        (STAGES, 0, "0"),
        (STAGES, "流失", "0"),
        (STAGES, "LOST", "0"),
        (STAGES, "Lost", "0"),
        (STAGES, "0 流失", "0"),
        (STAGES, "制定计划", "3"),
        (STAGES, "objection-handling", "6"),
        (STAGES, "6 处理异议", "6"),
        (GRADES, "A", "A"),
        (GRADES, "a", "A"),
        (GRADES, "Ａ", "A"),
        (GRADES, "ａ", "A"),
        (GRADES, "热", "A"),
        (GRADES, "HOT", "A"),
        (GRADES, "A 热", "A"),
        (GRADES, "A 热 Hot", "A"),
        (GRADES, "A类", "A"),
        (GRADES, "Ｂ", "B"),
        (GRADES, "B类", "B"),
        (GRADES, "b 温", "B"),
        (GRADES, "cold", "C"),
        (SOURCES, "Walk-in", "walkin"),
        (SOURCES, "walk in", "walkin"),
        (SOURCES, "WALKIN", "walkin"),
        (SOURCES, "来访", "walkin"),
        (SOURCES, "Phone Call", "phone"),
        (SOURCES, "PHONE CALL", "phone"),
        (SOURCES, "电话", "phone"),
        (SOURCES, "转介绍 Referral", "referral"),
        (SOURCES, "其它", "other"),
        (OBJECTIONS, "价格", "price"),
        (OBJECTIONS, "PRICE", "price"),
        (OBJECTIONS, "价格异议", "price"),
    ],
    ids=repr,
)
def test_choice_spellings(choices: ChoiceList, raw, code):
    assert ChoiceMatcher(choices).match(raw) == code


@pytest.mark.parametrize(
    ("choices", "raw"),
    [
        (STAGES, "8"),
        (STAGES, "成交了"),
        (STAGES, "已成交?"),
        (STAGES, ""),
        (STAGES, None),
        (STAGES, True),
        (STAGES, 7.5),
        (GRADES, "D"),
        (GRADES, "AB"),
        (SOURCES, "微信"),
    ],
    ids=repr,
)
def test_choices_outside_the_list(choices, raw):
    assert ChoiceMatcher(choices).match(raw) is None


@pytest.mark.parametrize(
    ("choices", "raw", "read"),
    [
        # A number that names a stage is enough, with its name shortened or in English.
        (STAGES, "4 接触", ("4", None)),
        (STAGES, "4接触", ("4", None)),
        (STAGES, "5 介绍", ("5", None)),
        (STAGES, "6. 异议", ("6", None)),
        (STAGES, "0 丢", ("0", None)),
        (STAGES, "4 contact", ("4", None)),
        (STAGES, "７ 成交", ("7", None)),
        (GRADES, "C类客户", ("C", None)),
        # A name that disagrees with its number: the number, and the name to report.
        (STAGES, "4 成交", ("4", "成交")),
        (STAGES, "3 介绍产品", ("3", "介绍产品")),
        (GRADES, "A 冷", ("A", "冷")),
        # Not a number followed by a name.
        (STAGES, "70", (None, None)),
        (STAGES, "47 成交", (None, None)),
        (GRADES, "Apple", (None, None)),
        (SOURCES, "1 电话", (None, None)),  # sources have no numbers
    ],
    ids=repr,
)
def test_a_number_that_names_a_choice(choices, raw, read):
    assert ChoiceMatcher(choices).read(raw) == read
    assert ChoiceMatcher(choices).match(raw) == (read[0] if read[1] is None else None)


def test_a_name_disagreeing_with_its_number_is_read_with_a_warning():
    parse = cell_parser(DAILY_REPORT.main_table.field("stage"))
    with pytest.raises(CellValueWarningError) as note:
        parse("4 成交")
    assert (note.value.value, note.value.code) == ("4", Code.CHOICE_MISMATCH)
    assert "接触客户" in note.value.message_zh and "'4 Contact'" in note.value.message_en
    assert parse("4 接触") == "4"


# ----------------------------------------------------------------------------
# Labels and cell parsers
# ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("客户名称", "客户名称"),
        ("客户名称 Customer", "客户名称customer"),
        ("客户名称\nCustomer", "客户名称customer"),
        ("客户名称*", "客户名称"),
        ("客户名称：", "客户名称"),
        ("  客户名称 : ", "客户名称"),
        ("ＣＵＳＴＯＭＥＲ", "customer"),
        ("CUSTOMER", "customer"),
        ("Ｃｕｓｔｏｍｅｒ", "customer"),
        ("客户名称(Customer)", "客户名称customer"),
        ("Next follow-up", "nextfollowup"),
        ("金额（元）", "金额元"),
        (None, ""),
        (12, "12"),
    ],
)
def test_norm_label(raw, key):
    assert norm_label(raw) == key


def test_is_empty():
    assert is_empty(None) and is_empty("") and is_empty("  \n")
    assert not is_empty(0) and not is_empty("0") and not is_empty(False)


def _daily(key: str) -> Field:
    return DAILY_REPORT.main_table.field(key)


@pytest.mark.parametrize(
    ("key", "raw", "expected"),
    [
        ("amount", "¥3,000", 3000.0),
        ("amount", "1.2万", 12000.0),
        ("amount", 800, 800),
        ("qty", "１０", 10.0),
        ("date", "11-3", NOV_3),
        ("date", dt.datetime(2026, 11, 3, 9), NOV_3),
        ("stage", "成交", "7"),
        ("grade", "ｂ", "B"),
        ("customer", 12345.0, "12345"),
        ("customer", "  华联超市 ", "华联超市"),
        ("customer", "ＡＢＣ商行", "ＡＢＣ商行"),  # kept as typed
        (
            "notes",
            "约了周三，带样品（X1）！",
            "约了周三，带样品（X1）！",
        ),  # Chinese punctuation kept
        ("notes", "\u3000第二次拜访", "第二次拜访"),
        ("phone", "+86 138 1234 5678", "13812345678"),
        ("phone", "12345", "12345"),
        ("next_followup", dt.date(2026, 11, 5), dt.date(2026, 11, 5)),
    ],
    ids=repr,
)
def test_cell_parser(key, raw, expected):
    assert cell_parser(_daily(key), default_year=2026)(raw) == expected


@pytest.mark.parametrize(
    ("key", "raw", "code"),
    [
        ("amount", "about 3000", Code.BAD_TYPE),
        ("amount", True, Code.BAD_TYPE),
        ("date", "soon", Code.BAD_TYPE),
        ("date", "2026-02-30", Code.BAD_TYPE),
        ("stage", "8", Code.NOT_IN_LIST),
        ("grade", "D", Code.NOT_IN_LIST),
    ],
    ids=repr,
)
def test_cell_parser_problems_carry_code_and_both_languages(key, raw, code):
    with pytest.raises(CellValueError) as caught:
        cell_parser(_daily(key), default_year=2026)(raw)
    problem = caught.value
    assert problem.code is code
    assert _daily(key).zh in problem.message_zh and _daily(key).en in problem.message_en


def test_cell_parser_messages_say_how_to_write_the_value():
    date = cell_parser(DAILY_REPORT.main_table.field("date"), default_year=2026)
    with pytest.raises(CellValueError) as bad:
        date("下周一")
    assert bad.value.code is Code.BAD_TYPE and "2026-11-03" in bad.value.message_zh
    stage = cell_parser(DAILY_REPORT.main_table.field("stage"))
    with pytest.raises(CellValueError) as bad:
        stage("8 已成交")
    assert bad.value.code is Code.NOT_IN_LIST and "7 成交" in bad.value.message_zh
    year = cell_parser(TARGETS_INPUT.header_field("year"))
    assert year("2026") == 2026
    with pytest.raises(CellValueError):
        year("2026.5")
    week = cell_parser(WEEKLY_PLAN.header_field("week"))
    assert week("2026-W48") == Week(2026, 48)


def test_identifiers_fold_full_width():
    rep = cell_parser(DAILY_REPORT.header_field("rep_id"))
    assert rep("Ｓ００１") == "S001" and rep(1001.0) == "1001" and rep(" S001 ") == "S001"
    customer = cell_parser(DAILY_REPORT.main_table.field("customer"))
    assert customer("  ＡＢＣ公司 ") == "ＡＢＣ公司"  # names are kept as typed


def test_integer_fields_refuse_fractions():
    year = FORMS["targets_input"].header_field("year")
    assert cell_parser(year)("2,026") == 2026
    assert isinstance(cell_parser(year)(2026.0), int)
    with pytest.raises(CellValueError, match="whole number"):
        cell_parser(year)(2026.5)


def test_product_list_is_enforced_only_when_configured():
    product = _daily("product")
    assert cell_parser(product)("anything") == "anything"
    parse = cell_parser(product, products=frozenset({"净水器X1", "滤芯F2"}))
    assert parse("净水器x1") == "净水器X1"  # any case and width, returns the listed spelling
    with pytest.raises(CellValueError) as caught:
        parse("空气净化器")
    assert caught.value.code is Code.NOT_IN_LIST


# ----------------------------------------------------------------------------
# Properties
# ----------------------------------------------------------------------------


def _with_separators(digits: str) -> str:
    """`1234567` -> `1,234,567`."""
    head = len(digits) % 3 or 3
    return ",".join([digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)])


@given(
    value=st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False),
    currency=st.sampled_from(["", "¥", "￥", "RMB ", " ¥ "]),
    suffix=st.sampled_from(["", "元", " ", " 元"]),
    thousands=st.booleans(),
    wide=st.booleans(),
)
def test_any_amount_in_any_spelling_parses_back(value, currency, suffix, thousands, wide):
    text = repr(abs(value))
    assume("e" not in text)
    whole, _, frac = text.partition(".")
    written = (_with_separators(whole) if thousands else whole) + (f".{frac}" if frac else "")
    written = ("-" if value < 0 else "") + currency + written + suffix
    if wide:
        written = full_width(written)
    assert parse_number(written) == value


@given(
    cents=st.integers(min_value=0, max_value=10**11),
    unit=st.sampled_from([("万", 4), ("亿", 8)]),
)
def test_wan_and_yi_scale_exactly(cents, unit):
    """`1.2万` = 12000 exactly, never 12000.000000000002."""
    word, zeros = unit
    text = f"{cents // 100}.{cents % 100:02d}{word}"
    assert parse_number(text) == float(cents * 10**zeros // 100)


@given(percent=st.integers(min_value=-100_000, max_value=100_000))
def test_percentages(percent):
    text = f"{percent / 100:.2f}%"
    assert parse_number(text) == float(f"{percent / 10000:.4f}")


DATE_SPELLINGS = [
    lambda d: d.isoformat(),
    lambda d: f"{d.year}/{d.month}/{d.day}",
    lambda d: f"{d.year}.{d.month}.{d.day}",
    lambda d: f"{d.year}年{d.month}月{d.day}日",
    lambda d: f"{d.year}{d.month:02d}{d.day:02d}",
    lambda d: f"{d.month}月{d.day}日",
    lambda d: f"{d.month}-{d.day}",
    lambda d: f"{d.month}/{d.day}",
    lambda d: full_width(d.isoformat()),
    lambda d: full_width(f"{d.year}年{d.month}月{d.day}日"),
    lambda d: full_width(f"{d.month}/{d.day}"),
    lambda d: dt.datetime(d.year, d.month, d.day, 15, 45),
    lambda d: d,
]


@given(
    day=st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31)),
    spelling=st.sampled_from(DATE_SPELLINGS),
)
def test_any_date_in_any_spelling_parses_back(day, spelling):
    assert parse_date(spelling(day), default_year=day.year) == day


@given(day=st.dates(min_value=dt.date(1954, 10, 3), max_value=dt.date(2119, 1, 10)))
def test_excel_serials_parse_back(day):
    serial = (day - dt.date(1899, 12, 30)).days
    assert parse_date(serial) == day
    assert parse_date(float(serial) + 0.25) == day
    assert parse_date(str(serial)) == day


def _random_case_and_width(draw, text: str) -> str:
    out = []
    for ch in text:
        if ch.isascii() and ch.isalpha():
            ch = ch.upper() if draw(st.booleans()) else ch.lower()
        if ch.isascii() and ch.isalnum() and draw(st.booleans()):
            ch = full_width(ch)
        out.append(ch)
    return "".join(out)


ALL_CHOICES = [
    (lst, c)
    for f in FORMS.values()
    for t in (*f.tables, None)
    for fld in (t.fields if t else f.header)
    if fld.choices is not None
    for lst in [fld.choices]
    for c in lst.choices
]


@given(
    data=st.data(),
    pick=st.sampled_from(ALL_CHOICES),
    spelling=st.sampled_from(["code", "zh", "en", "code zh", "code en", "zh en", "code zh en"]),
    padding=st.sampled_from(["", " ", "  ", "\u3000"]),
)
def test_choice_labels_in_any_case_or_width_map_to_the_code(data, pick, spelling, padding):
    choices, choice = pick
    parts = {"code": choice.code, "zh": choice.zh, "en": choice.en}
    text = " ".join(parts[p] for p in spelling.split())
    text = padding + _random_case_and_width(data.draw, text) + padding
    assert ChoiceMatcher(choices).match(text) == choice.code


@given(
    digits=st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
    style=st.sampled_from(
        [
            "{a} {b} {c}",
            "{a}-{b}-{c}",
            "+86 {a} {b} {c}",
            "+86{a}{b}{c}",
            "0086-{a}{b}{c}",
            "0086{a}{b}{c}",
            "+86 {a}{b}{c}",
            "{a}{b}{c}",
        ]
    ),
    wide=st.booleans(),
)
def test_any_mobile_in_any_spelling_normalises(digits, style, wide):
    text = style.format(a=digits[:3], b=digits[3:7], c=digits[7:])
    if wide:
        text = full_width(text)
    assert normalise_phone(text) == (digits, True)


@given(text=st.text(max_size=12))
def test_parsers_never_fail_with_anything_but_value_error(text):
    """Whatever a person types, parsing either succeeds or says why (ValueError)."""
    for parse in (parse_number, parse_date, parse_month, parse_week, parse_ramp):
        with contextlib.suppress(ValueError):
            parse(text)
    normalise_phone(text)
    for fld in DAILY_REPORT.main_table.fields:
        with contextlib.suppress(CellValueError):
            cell_parser(fld, default_year=2026)(text)


def test_field_types_all_have_a_parser():
    for form in FORMS.values():
        for fld in (*form.header, *(f for t in form.tables for f in t.fields)):
            assert callable(cell_parser(fld)), fld.key
    assert {f.type for form in FORMS.values() for t in form.tables for f in t.fields} | {
        f.type for form in FORMS.values() for f in form.header
    } >= set(FieldType) - {FieldType.PERCENT}
    assert unicodedata.normalize("NFKC", "￥") == "¥"
