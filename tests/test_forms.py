"""The form descriptions are consistent: the whole pipeline trusts them."""

from __future__ import annotations

import pytest

from salesxl.forms import FORMS, FieldType
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
