"""The form descriptions are consistent: the whole pipeline trusts them."""

from __future__ import annotations

import datetime as dt

import pytest

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
