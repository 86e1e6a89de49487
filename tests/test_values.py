"""Value spellings of README.md "Forms", as case tables and as properties (hypothesis)."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import full_width
from hypothesis import given
from hypothesis import strategies as st

from salesxl.core.issues import Code
from salesxl.core.periods import Month, Week
from salesxl.forms import DAILY_REPORT, TARGETS_INPUT, WEEKLY_PLAN
from salesxl.forms.choices import GRADES, SOURCES, STAGES
from salesxl.read.values import (
    CellValueError,
    ChoiceMatcher,
    cell_parser,
    norm_label,
    normalise_phone,
    parse_date,
    parse_month,
    parse_number,
    parse_ramp,
    parse_week,
)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1234", 1234),
        ("1,234.5", 1234.5),
        ("¥1,234", 1234),
        ("￥1,234.00", 1234),
        ("1234元", 1234),
        ("１２３４", 1234),
        ("１，２３４．５", 1234.5),
        ("1.2万", 12000),
        ("1.2万元", 12000),
        ("3千", 3000),
        ("0.5亿", 50_000_000),
        ("85%", 0.85),
        ("(1,234)", -1234),
        ("-320", -320),
        (" 42 ", 42),
        ("RMB 99", 99),
        ("1e3", 1000),
        (12.5, 12.5),
        (7, 7),
    ],
)
def test_numbers(text, number):
    assert parse_number(text) == pytest.approx(number)


@pytest.mark.parametrize("text", ["abc", "12abc", "1.2.3", "", "万", True, "nan", "inf"])
def test_not_numbers(text):
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize(
    ("value", "date"),
    [
        (dt.datetime(2026, 11, 3, 15, 30), dt.date(2026, 11, 3)),
        (dt.date(2026, 11, 3), dt.date(2026, 11, 3)),
        (46329, dt.date(2026, 11, 3)),  # an Excel serial
        (46329.0, dt.date(2026, 11, 3)),
        ("2026-11-03", dt.date(2026, 11, 3)),
        ("2026/11/3", dt.date(2026, 11, 3)),
        ("2026.11.3", dt.date(2026, 11, 3)),
        ("2026年11月3日", dt.date(2026, 11, 3)),
        ("２０２６年１１月３日", dt.date(2026, 11, 3)),
        ("11月3日", dt.date(2026, 11, 3)),
        ("11-3", dt.date(2026, 11, 3)),
        ("11/3", dt.date(2026, 11, 3)),
        ("20261103", dt.date(2026, 11, 3)),
        ("2026-11-03 09:30:00", dt.date(2026, 11, 3)),
        ("2026-11-03（周二）", dt.date(2026, 11, 3)),
        ("2026/11/3 星期二", dt.date(2026, 11, 3)),
    ],
)
def test_dates(value, date):
    assert parse_date(value, default_year=2026) == date


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("11月3日", "has no year"),
        ("2026-02-30", "not a real calendar date"),
        ("明天", "not a date"),
        (12, "not a date"),
        ("2026-13-01", "not a real calendar date"),
    ],
)
def test_not_dates(value, message):
    with pytest.raises(ValueError, match=message):
        parse_date(value)


@pytest.mark.parametrize(
    ("value", "month"),
    [
        ("2026-11", Month(2026, 11)),
        ("2026/11", Month(2026, 11)),
        ("2026.11", Month(2026, 11)),
        ("2026年11月", Month(2026, 11)),
        ("202611", Month(2026, 11)),
        (202611, Month(2026, 11)),
        (dt.datetime(2026, 11, 1), Month(2026, 11)),
        ("2026-11-15", Month(2026, 11)),
        ("２０２６－１１", Month(2026, 11)),
    ],
)
def test_months(value, month):
    assert parse_month(value) == month


@pytest.mark.parametrize(
    ("value", "week"),
    [
        ("2026-W48", Week(2026, 48)),
        ("2026W48", Week(2026, 48)),
        ("2026 w48", Week(2026, 48)),
        ("2026年第48周", Week(2026, 48)),
        (dt.datetime(2026, 11, 23), Week(2026, 48)),
        ("2026-11-23", Week(2026, 48)),
        ("2026-11-25", Week(2026, 48)),
    ],
)
def test_weeks(value, week):
    assert parse_week(value) == week


def test_week_54_does_not_exist():
    with pytest.raises(ValueError):
        parse_week("2026-W54")


@pytest.mark.parametrize(
    ("raw", "digits", "valid"),
    [
        ("13812345678", "13812345678", True),
        ("138 1234 5678", "13812345678", True),
        ("138-1234-5678", "13812345678", True),
        ("+86 138 1234 5678", "13812345678", True),
        ("0086-13812345678", "13812345678", True),
        ("8613812345678", "13812345678", True),
        ("１３８１２３４５６７８", "13812345678", True),
        ("010-87654321", "01087654321", True),
        ("0755-8765432", "07558765432", True),
        ("(020) 8765 4321", "02087654321", True),
        ("+86 10 8765 4321", "01087654321", True),
        (13812345678.0, "13812345678", True),
        ("12812345678", "12812345678", False),  # mobiles start 13-19
        ("1381234", "1381234", False),
        ("87654321", "87654321", False),  # no area code
    ],
)
def test_phones(raw, digits, valid):
    assert normalise_phone(raw) == (digits, valid)


@pytest.mark.parametrize(
    ("choices", "value", "code"),
    [
        (STAGES, "7", "7"),
        (STAGES, 7.0, "7"),
        (STAGES, "7 成交", "7"),
        (STAGES, "7成交", "7"),
        (STAGES, "成交", "7"),
        (STAGES, "Closed won", "7"),
        (STAGES, "closed WON", "7"),
        (STAGES, "７", "7"),
        (STAGES, "0 流失", "0"),
        (STAGES, "Lost", "0"),
        (STAGES, "制定计划", "3"),
        (GRADES, "a", "A"),
        (GRADES, "A 热", "A"),
        (GRADES, "热", "A"),
        (GRADES, "Hot", "A"),
        (GRADES, "Ｂ", "B"),
        (GRADES, "B类", "B"),
        (GRADES, "cold", "C"),
        (SOURCES, "来访", "walkin"),
        (SOURCES, "Walk-in", "walkin"),
        (SOURCES, "walk in", "walkin"),
        (SOURCES, "PHONE CALL", "phone"),
        (SOURCES, "电话", "phone"),
        (SOURCES, "其它", "other"),
    ],
)
def test_choices(choices, value, code):
    assert ChoiceMatcher(choices).match(value) == code


@pytest.mark.parametrize(
    ("choices", "value"), [(STAGES, "8"), (STAGES, "已成交?"), (GRADES, "D"), (SOURCES, "微信")]
)
def test_not_choices(choices, value):
    assert ChoiceMatcher(choices).match(value) is None


@pytest.mark.parametrize(
    ("text", "ramp"),
    [
        ("25,50,75,100", (25, 50, 75, 100)),
        ("25%,50%,75%", (25, 50, 75)),
        ("25，50，75", (25, 50, 75)),
        ("25/50/100", (25, 50, 100)),
        ("50", (50,)),
        (50, (50,)),
    ],
)
def test_ramps(text, ramp):
    assert parse_ramp(text) == ramp


def test_ramp_above_100_is_refused():
    with pytest.raises(ValueError, match="0 to 100"):
        parse_ramp("50,120")


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("客户名称", "客户名称"),
        ("客户名称 Customer", "客户名称customer"),
        ("客户名称\nCustomer", "客户名称customer"),
        ("客户名称*", "客户名称"),
        ("客户名称：", "客户名称"),
        ("CUSTOMER", "customer"),
        ("Ｃｕｓｔｏｍｅｒ", "customer"),
        ("客户名称(Customer)", "客户名称customer"),
    ],
)
def test_labels(label, key):
    assert norm_label(label) == key


def test_cell_parser_reports_the_right_code():
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


# -- properties ------------------------------------------------------------------------

money = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


@given(
    money,
    st.sampled_from(["{}", "¥{}", "￥{}", "{}元", "{} ", " ¥ {} 元"]),
    st.booleans(),
    st.booleans(),
)
def test_any_amount_in_any_spelling_reads_back(amount, template, thousands, wide):
    text = f"{amount:,.2f}" if thousands else f"{amount:.2f}"
    if wide:
        text = full_width(text)
    assert parse_number(template.format(text)) == pytest.approx(float(amount))


@given(st.decimals(min_value=0, max_value=99_999, places=2, allow_nan=False))
def test_wan_is_ten_thousand(amount):
    assert parse_number(f"{amount}万") == pytest.approx(float(amount) * 10_000)


@given(
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31)),
    st.sampled_from(
        [
            "{y}-{m:02d}-{d:02d}",
            "{y}/{m}/{d}",
            "{y}.{m}.{d}",
            "{y}年{m}月{d}日",
            "{y}{m:02d}{d:02d}",
            "{m}月{d}日",
            "{m}-{d}",
            "{m}/{d}",
        ]
    ),
    st.booleans(),
)
def test_any_date_in_any_spelling_reads_back(day, template, wide):
    text = template.format(y=day.year, m=day.month, d=day.day)
    if wide:
        text = full_width(text)
    assert parse_date(text, default_year=day.year) == day


@given(st.dates(min_value=dt.date(1955, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_excel_serials_read_back(day):
    serial = (day - dt.date(1899, 12, 30)).days
    assert parse_date(serial) == day and parse_date(float(serial)) == day


@given(
    st.sampled_from([c for lst in (STAGES, GRADES, SOURCES) for c in lst.choices]),
    st.sampled_from(["code", "zh", "en", "code zh", "code en"]),
    st.booleans(),
    st.booleans(),
)
def test_any_choice_label_in_any_case_or_width_maps_to_its_code(choice, form, upper, full_width):
    lists = [lst for lst in (STAGES, GRADES, SOURCES) if choice in lst.choices]
    text = {
        "code": choice.code,
        "zh": choice.zh,
        "en": choice.en,
        "code zh": f"{choice.code} {choice.zh}",
        "code en": f"{choice.code} {choice.en}",
    }[form]
    text = text.upper() if upper else text.lower()
    if full_width:
        text = "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)
    assert ChoiceMatcher(lists[0]).match(text) == choice.code


@given(
    st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
    st.sampled_from(["{a} {b} {c}", "{a}-{b}-{c}", "+86 {a}{b}{c}", "0086{a}{b}{c}", "{a}{b}{c}"]),
)
def test_any_mobile_spelling_normalises(mobile, template):
    text = template.format(a=mobile[:3], b=mobile[3:7], c=mobile[7:])
    assert normalise_phone(text) == (mobile, True)
