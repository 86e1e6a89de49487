"""Declarative form descriptions (docs/forms.md) and their registry.

Everything downstream — templates, the reader, the validator, the docs —
reads these objects.  `FORMS` maps a form id to its description.
"""

from __future__ import annotations

from salesxl.forms.admin_forms import ROSTER, SALES_RECORDS, TARGETS, TARGETS_INPUT, WORKDAYS
from salesxl.forms.keys import FormId, Role, TableKey
from salesxl.forms.model import (
    Choice,
    ChoiceList,
    Field,
    FieldType,
    Form,
    Progress,
    Rule,
    Table,
)
from salesxl.forms.rep_forms import DAILY_REPORT, MONTHLY_PLAN, WEEKLY_PLAN

__all__ = [
    "DAILY_REPORT",
    "FORMS",
    "MONTHLY_PLAN",
    "REP_FORMS",
    "REP_FORM_IDS",
    "ROSTER",
    "SALES_RECORDS",
    "TARGETS",
    "TARGETS_INPUT",
    "WORKDAYS",
    "Choice",
    "ChoiceList",
    "Field",
    "FieldType",
    "Form",
    "FormId",
    "Progress",
    "Role",
    "Rule",
    "Table",
    "TableKey",
    "get_form",
]

FORMS: dict[str, Form] = {  # keyed by FormId; plain strings look up too
    form.id: form
    for form in (
        DAILY_REPORT,
        WEEKLY_PLAN,
        MONTHLY_PLAN,
        ROSTER,
        SALES_RECORDS,
        TARGETS_INPUT,
        WORKDAYS,
        TARGETS,
    )
}

# Forms a rep files; each carries the rep ID and period in its header block.
REP_FORMS: tuple[Form, ...] = (DAILY_REPORT, WEEKLY_PLAN, MONTHLY_PLAN)
REP_FORM_IDS: frozenset[FormId] = frozenset(form.id for form in REP_FORMS)


def get_form(form_id: str) -> Form:
    try:
        return FORMS[form_id]
    except KeyError:
        known = ", ".join(FORMS)
        raise KeyError(f"unknown form {form_id!r}; known forms: {known}") from None
