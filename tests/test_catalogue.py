"""The issue catalogue: one entry per code, messages that format, docs that do not drift."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from salesxl.core.catalogue import CATALOGUE, message
from salesxl.core.codes import Code, Severity, Template
from salesxl.core.issues import SEVERITY, issue_report, make_issue
from salesxl.forms import FORMS
from salesxl.write.issuedocs import issues_markdown

TEMPLATES = [
    (code, variant, template)
    for code, entry in CATALOGUE.items()
    for variant, template in entry.messages.items()
]


def test_every_code_has_one_entry_in_both_languages():
    assert list(CATALOGUE) == list(Code)
    for code, entry in CATALOGUE.items():
        assert entry.code is code and entry.messages
        assert entry.title_zh and entry.title_en and entry.about_zh and entry.about_en
        assert SEVERITY[code] is entry.severity


def _sample(template: Template) -> dict[str, object]:
    """A value for each placeholder, of the kind its format spec asks for."""
    values: dict[str, object] = {}
    for text in (template.zh, template.en):
        for spec_name, spec in re.findall(r"\{(\w+)(?:![a-z])?(?::([^}]*))?\}", text):
            if "%" in spec:
                values[spec_name] = dt.date(2026, 11, 3)
            elif spec:
                values[spec_name] = 1234.5
            else:
                values.setdefault(spec_name, f"<{spec_name}>")
    return values


@pytest.mark.parametrize(("code", "variant", "template"), TEMPLATES, ids=lambda v: str(v))
def test_every_message_formats_and_both_languages_say_the_same(code, variant, template):
    zh, en = template.format(**_sample(template))
    assert "{" not in zh + en and zh and en

    # The same facts in both languages: a `_zh` placeholder in one is `_en` in the other.
    def facts(text: str) -> set[str]:
        return {n.removesuffix("_zh").removesuffix("_en") for n in Template(text, "").placeholders}

    assert facts(template.zh) == facts(template.en), f"{code.value}/{variant}"


def test_every_rule_of_every_form_has_its_message():
    for form in FORMS.values():
        for table in form.tables:
            for rule in table.rules:
                assert rule.variant in CATALOGUE[rule.code].messages, (form.id, rule)


def test_a_message_is_the_template_filled_in():
    zh, en = message(Code.REQUIRED, field_zh="客户名称", field_en="Customer")
    assert (zh, en) == ("「客户名称」必须填写。请补上。", "Customer is required. Fill it in.")
    zh, en = message(
        Code.WRONG_PERIOD, field_zh="月份", field_en="Month", got="2026-10", wanted="2026-11"
    )
    assert en.startswith("The month is 2026-10 but the requested period is 2026-11.")  # !l
    with pytest.raises(KeyError, match="required has no message 'nope'"):
        message(Code.REQUIRED, "nope")


def test_issues_reference_is_up_to_date():
    doc = Path(__file__).resolve().parents[1] / "docs" / "issues.md"
    assert doc.read_text(encoding="utf-8") == issues_markdown(), (
        "docs/issues.md drifted from the issue catalogue: run "
        "`python -m salesxl.write.issuedocs > docs/issues.md`"
    )


def test_issue_report_counts_by_hand():
    issues = [
        make_issue(Code.REQUIRED, "a.xlsx", "zh", "en"),
        make_issue(Code.REQUIRED, "a.xlsx", "zh", "en"),
        make_issue(Code.PHONE_FORMAT, "b.xlsx", "zh", "en"),
        make_issue(Code.EXTRA_COLUMN, "c.xlsx", "zh", "en"),
        make_issue(Code.UNKNOWN_FORM, "notes.txt", "zh", "en", severity=Severity.INFO),
    ]
    report = issue_report(issues, ["a.xlsx", "b.xlsx", "c.xlsx", "d.xlsx", "a.xlsx"])
    assert report["valid"] is False  # two errors in a.xlsx
    assert report["stats"] == {
        "files": 4,  # a, b, c, d (a given twice); notes.txt was not a spreadsheet
        "files_with_errors": 1,
        "issues": 5,
        "by_severity": {"error": 2, "warning": 1, "info": 2},
        "by_code": {"extra_column": 1, "phone_format": 1, "required": 2, "unknown_form": 1},
    }
    assert report["issues"][2]["code"] == "phone_format"
    assert issue_report([], [])["valid"] is True


def test_the_reference_names_every_json_key_of_an_issue():
    issue = make_issue(Code.REQUIRED, "a.xlsx", "zh", "en")
    assert all(f"`{key}`" in issues_markdown() for key in issue.to_dict())
