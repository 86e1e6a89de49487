"""The form descriptions are consistent: the whole pipeline trusts them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesxl.forms import DAILY_REPORT, FORMS, Field, FieldType, FormId, Role, TableKey, formula
from salesxl.forms.choices import (
    CLOSED_WON,
    FOLLOW_UP_GRADES,
    FOLLOW_UP_SOURCES,
    LEAD_SOURCES,
    LOST,
    OPEN_STAGES,
    STAGE_ORDER,
    VISIT_SOURCES,
)
from salesxl.forms.model import NotGreaterThan, OnlyWhen, ProductEquals, RequiredWhen
from salesxl.read.locate import column_map
from salesxl.read.values import norm_label

TABLES = [(form, table) for form in FORMS.values() for table in form.tables]


@pytest.mark.parametrize(
    ("form", "table"), TABLES, ids=lambda x: getattr(x, "key", getattr(x, "id", ""))
)
def test_labels_are_unique_within_a_table(form, table):
    seen: dict[str, str] = {}
    for field in table.fields:
        for label in field.all_labels():
            key = norm_label(label)
            assert seen.setdefault(key, field.key) == field.key, (
                f"{form.id}.{table.key}: label {label!r} is used by {seen[key]} and {field.key}"
            )


@pytest.mark.parametrize(
    ("form", "table"), TABLES, ids=lambda x: getattr(x, "key", getattr(x, "id", ""))
)
def test_every_field_is_well_formed(form, table):
    for field in table.fields:
        assert field.key.isidentifier()
        assert field.zh and field.en
        assert (field.type is FieldType.CHOICE) == (field.choices is not None)
        assert column_map(form.id, table.key)[norm_label(field.zh)] == field.key


def test_forms_cover_spec_section_2():
    assert set(FORMS) == {
        "daily_report",
        "weekly_plan",
        "monthly_plan",
        "roster",
        "sales_records",
        "targets_input",
        "workdays",
        "targets",
    }
    daily = FORMS["daily_report"]
    assert [t.key for t in daily.tables] == ["daily", "day_close"]
    assert [f.zh for f in daily.main_table.fields] == [
        "日期",
        "客户名称",
        "联系人",
        "电话",
        "来源",
        "客户等级",
        "销售阶段",
        "产品",
        "数量",
        "单价",
        "金额",
        "定金",
        "异议类型",
        "下次跟进",
        "备注",
    ]
    stages = daily.main_table.field("stage").choices
    assert stages is not None and stages.codes == ("1", "2", "3", "4", "5", "6", "7", "0")


def test_header_fields_have_unique_labels_per_form():
    for form in FORMS.values():
        seen: dict[str, str] = {}
        for field in form.header:
            for label in field.all_labels():
                assert seen.setdefault(norm_label(label), field.key) == field.key


def test_forms_reference_is_up_to_date():
    from pathlib import Path

    from salesxl.write.formdocs import forms_markdown

    doc = Path(__file__).resolve().parents[1] / "docs" / "forms.md"
    assert doc.read_text(encoding="utf-8") == forms_markdown(), (
        "docs/forms.md drifted from the form descriptions: run "
        "`python -m salesxl.write.formdocs > docs/forms.md`"
    )


# -- the names code outside forms/ uses, and what the choices mean ---------------------

ALL_FIELDS = [
    field
    for form in FORMS.values()
    for field in (*form.header, *(f for t in form.tables for f in t.fields))
]


def test_every_form_and_table_is_named_by_its_enum():
    assert set(FORMS) == set(FormId)
    assert all(type(form.id) is FormId for form in FORMS.values())
    tables = [t for form in FORMS.values() for t in form.tables]
    assert all(type(t.key) is TableKey for t in tables)
    assert {t.key for t in tables} == set(TableKey)


def test_roles_are_field_keys_declared_as_roles():
    """A field whose key is a role's is declared with the role, and every role is in use."""
    plain = [f.key for f in ALL_FIELDS if f.role is None and f.key in set(Role)]
    assert plain == [], f"declare these keys as Role members: {plain}"
    assert {f.role for f in ALL_FIELDS if f.role} == set(Role)
    for form in FORMS.values():
        for key in (form.rep_field, form.period_field):
            assert key is None or form.header_field(key).role is key


def test_choices_say_what_they_mean_to_the_rules():
    # The seven-stage process in order, 7 closes the deal, 0 is a customer lost.
    assert STAGE_ORDER == ("1", "2", "3", "4", "5", "6", "7")
    assert (CLOSED_WON, LOST) == ("7", "0")
    assert {"1", "2", "3", "4", "5", "6"} == OPEN_STAGES
    # 来访 and 拜访 are visits; a 电话 lead must be visited; 来访 and A/B are followed up.
    assert {"walkin", "visit"} == VISIT_SOURCES
    assert {"phone"} == LEAD_SOURCES
    assert {"walkin"} == FOLLOW_UP_SOURCES
    assert {"A", "B"} == FOLLOW_UP_GRADES


def test_declared_formulas_refer_to_fields_of_their_form():
    for form in FORMS.values():
        for table in form.tables:
            for f in table.fields:
                if f.formula is None:
                    continue
                for ref in formula.parse(f.formula).args:
                    owner = form.table(ref.table) if ref.table else table
                    assert owner.field(ref.field)
        if form.progress is not None:
            form.table(form.progress.table).field(form.progress.amount)
            form.header_field(form.progress.target)


DAILY_ROWS = [
    {"date": dt.date(2026, 11, 2), "amount": 1200.0},
    {"date": dt.date(2026, 11, 2), "amount": 300},
    {"date": dt.date(2026, 11, 2), "amount": None},  # no deal: an empty cell adds nothing
    {"date": dt.date(2026, 11, 2), "amount": "待定"},  # text in a number column adds nothing
    {"date": dt.date(2026, 11, 3), "amount": 50.5},
]


@pytest.mark.parametrize(
    ("text", "record", "expected"),
    [
        # The 日清 today's sales: amounts of the day's rows, 1200 + 300 = 1500.
        (
            "SUMIFS({col:daily.amount},{col:daily.date},{cell:date})",
            {"date": dt.date(2026, 11, 2)},
            1500.0,
        ),
        ("SUMIFS({col:daily.amount},{col:daily.date},{cell:date})", {"date": None}, 0.0),
        # The progress block: every amount, 1200 + 300 + 50.5 = 1550.5.
        ("SUM({col:daily.amount})", {}, 1550.5),
    ],
)
def test_formulas_evaluate_as_a_spreadsheet_would(text, record, expected):
    assert formula.evaluate(text, record, {"daily": DAILY_ROWS}) == expected
    # the same, worked out once for every row of a table (validation's check of 日清)
    assert formula.evaluator(text, {"daily": DAILY_ROWS})(record) == expected


DEAL_ROWS = [
    {"date": dt.date(2026, 11, 2), "stage": "7", "amount": 1200.0},  # a deal, as its code
    {"date": dt.date(2026, 11, 2), "stage": "成交", "amount": 300.0},  # typed as its name
    {"date": dt.date(2026, 11, 2), "stage": "5", "amount": 9000.0},  # a quote, not a sale
    {"date": dt.date(2026, 11, 2), "stage": "7 CLOSED WON", "amount": "1.2万"},  # text
    {"date": dt.date(2026, 11, 3), "stage": "7 成交", "amount": 50.5},
    {"date": dt.date(2026, 11, 3), "stage": "8 已成交", "amount": 70.0},  # not a stage
]


def _stage_spellings(ref: formula.Ref) -> tuple[str, ...]:
    choices = DAILY_REPORT.table(TableKey.DAILY).field(Role.STAGE).choices
    assert choices is not None and ref.code is not None
    return choices.spellings(ref.code)


def test_deal_only_formulas_count_the_rows_a_spreadsheet_would():
    today = DAILY_REPORT.table(TableKey.DAY_CLOSE).field("sales").formula
    progress = DAILY_REPORT.progress
    assert today is not None and progress is not None
    tables = {"daily": DEAL_ROWS}
    # The 2nd: 1,200 + 300 (the 9,000 quote and the text amount left out); the 3rd: 50.5.
    day = formula.evaluate(today, {"date": dt.date(2026, 11, 2)}, tables, _stage_spellings)
    assert day == 1500.0
    by_day = formula.evaluator(today, tables, _stage_spellings)
    assert [by_day({"date": dt.date(2026, 11, d)}) for d in (2, 3, 4)] == [1500.0, 50.5, 0.0]
    # The month: 1,200 + 300 + 50.5; one deal's amount is text.
    assert formula.evaluate(progress.formula, {}, tables, _stage_spellings) == 1550.5
    assert formula.count_text(progress.formula, {}, tables, _stage_spellings) == 1
    rendered = formula.render(progress.formula, lambda ref: f"<{ref.kind}:{ref.field}>")
    assert rendered == "SUMPRODUCT(SUMIFS(<col:amount>,<col:stage>,<choice:stage>))"
    counted = formula.render_text_count(progress.formula, lambda ref: f"<{ref.kind}:{ref.field}>")
    assert (
        counted == "SUMPRODUCT(ISTEXT(<col:amount>)*ISNUMBER(MATCH(<col:stage>,<choice:stage>,0)))"
    )


@pytest.mark.parametrize(
    "text",
    [
        "SUMIFS({col:daily.amount},{col:daily.date},{choice:daily.stage=7})",  # another column
        "SUMIFS({col:daily.amount},{col:daily.stage},{choice:daily.stage})",  # no code
        "SUMIFS({col:daily.amount},{col:daily.stage},{cell:stage=7})",  # a code on a cell
    ],
)
def test_a_choice_criterion_names_its_own_column_and_a_code(text):
    with pytest.raises(ValueError):
        formula.parse(text)


@pytest.mark.parametrize(
    "text",
    [
        "AVERAGE({col:daily.amount})",  # a function the evaluator does not know
        "SUM({cell:amount})",  # SUM of one cell
        "SUMIFS({col:daily.amount},{col:day_close.date},{cell:date})",  # two tables
        "SUMIFS({col:daily.amount},{cell:date},{col:daily.date})",  # pairs swapped
        "SUMIFS({col:daily.amount},{col:daily.date})",  # a column without its criterion
        "SUM(A1:A9)",  # not a placeholder
    ],
)
def test_a_formula_the_writer_cannot_work_out_is_refused(text):
    with pytest.raises(ValueError):
        formula.parse(text)
    with pytest.raises(ValueError):
        Field("total", "合计", "Total", FieldType.MONEY, formula=text)


# ----------------------------------------------------------------------------
# Rule candidates: the column-wise pre-filter keeps every row a rule's check could hit
# ----------------------------------------------------------------------------

_NUMBER = st.sampled_from([None, 0, 0.0, -0.0, 1.0, 2.0, 3000.0, 6000.0, -1.0, float("nan")])
_CODE = st.sampled_from([None, "", "1", "2", "7", "A", "B"])
_TOL = 1e-9


def _plain(rule: Any, cols: dict[str, list[Any]], n: int) -> list[int]:
    """The rows each rule's pre-filter keeps, tested one row at a time."""
    col = lambda key: cols.get(key, [None] * n)  # noqa: E731
    if isinstance(rule, RequiredWhen):
        pairs = zip(col(rule.when), col(rule.field), strict=True)
        return [i for i, (w, v) in enumerate(pairs) if w in rule.values and v is None]
    if isinstance(rule, OnlyWhen):
        pairs = zip(col(rule.field), col(rule.when), strict=True)
        return [i for i, (v, w) in enumerate(pairs) if v and w not in rule.values]
    if isinstance(rule, ProductEquals):
        tol = rule.tolerance + _TOL
        rows = zip(cols[rule.field], cols[rule.a], cols[rule.b], strict=True)
        return [
            i
            for i, (t, a, b) in enumerate(rows)
            if t is not None and a is not None and b is not None and abs(t - a * b) > tol
        ]
    assert isinstance(rule, NotGreaterThan)
    pairs = zip(cols[rule.field], cols[rule.other], strict=True)
    return [
        i
        for i, (v, limit) in enumerate(pairs)
        if v is not None and limit is not None and v > limit + _TOL
    ]


_RULES = [
    RequiredWhen("amount", "stage", frozenset({"7"})),
    OnlyWhen("amount", "stage", frozenset({"7"})),
    ProductEquals("amount", "qty", "price"),
    NotGreaterThan("deposit", "amount"),
]


@settings(max_examples=300, deadline=None)
@given(st.data(), st.integers(0, 8), st.sampled_from(_RULES), st.booleans())
def test_rule_candidates_are_the_rows_tested_one_by_one(data, n, rule, lacking):
    cols = {
        key: data.draw(st.lists(_CODE if key == "stage" else _NUMBER, min_size=n, max_size=n))
        for key in rule.fields
    }
    if lacking and isinstance(rule, (RequiredWhen, OnlyWhen)):
        del cols[rule.field if data.draw(st.booleans()) else rule.when]  # a column not in the file
    assert rule.candidates(cols, n) == _plain(rule, cols, n)


@pytest.mark.parametrize(
    ("rule", "cols", "expected"),
    [
        (RequiredWhen("amount", "stage", frozenset({"7"})), {"stage": ["7", "1", "7"]}, [0, 2]),
        (
            RequiredWhen("amount", "stage", frozenset({"7"})),
            {"stage": ["7", "1", "7"], "amount": [None, None, 0.0]},
            [0],
        ),
        (OnlyWhen("amount", "stage", frozenset({"7"})), {"amount": [0.0, 5.0, 5.0]}, [1, 2]),
        (
            OnlyWhen("amount", "stage", frozenset({"7"})),
            {"amount": [0.0, 5.0, 5.0, None], "stage": ["1", "7", "1", "1"]},
            [2],
        ),
        (
            ProductEquals("amount", "qty", "price"),
            {"amount": [0.0, None, 6.0, 7.0], "qty": [2.0, 2.0, 2.0, 2.0], "price": [3.0] * 4},
            [0, 3],
        ),
        (
            NotGreaterThan("deposit", "amount"),
            {"deposit": [5.0, None, 0.0, 1.0], "amount": [1.0, 1.0, None, 0.5]},
            [0, 3],
        ),
    ],
)
def test_rule_candidates_are_exactly_the_rows_the_plain_test_keeps(rule, cols, expected):
    n = len(next(iter(cols.values())))
    assert rule.candidates(cols, n) == expected == _plain(rule, cols, n)
