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
    "field_key",
    "get_form",
    "parse_column_map",
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


def _label_key(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def field_key(name: str) -> str:
    """The field key a `--map` names: a key (`amount`) or a field's label (`金额`, `Amount`).

    Raises ValueError listing the keys when no field, or more than one, has that name.
    """
    wanted = _label_key(name)
    keys = {
        f.key
        for form in FORMS.values()
        for table in form.tables
        for f in table.fields
        if wanted
        in {_label_key(f.key), _label_key(f.zh), _label_key(f.en), _label_key(f.bilingual)}
    }
    if len(keys) == 1:
        return keys.pop()
    known = sorted({f.key for form in FORMS.values() for t in form.tables for f in t.fields})
    if keys:
        raise ValueError(f"{name!r} names several fields ({', '.join(sorted(keys))}); use the key")
    raise ValueError(f"{name!r} is not a field; use a key from docs/forms.md: {', '.join(known)}")


def parse_column_map(specs: list[str] | tuple[str, ...]) -> dict[str, str]:
    """`FIELD=HEADER` items (`amount=Price`, `金额=Total`) as field key -> header.

    Raises ValueError with a message that says how to write it.
    """
    mapping: dict[str, str] = {}
    for spec in specs:
        name, sep, header = spec.partition("=")
        if not sep or not name.strip() or not header.strip():
            raise ValueError(
                f"{spec!r} is not FIELD=HEADER; write e.g. amount=Price (the field's key, "
                "then the column header as the file writes it)"
            )
        key = field_key(name.strip())
        if key in mapping and mapping[key] != header.strip():
            raise ValueError(f"{key} is mapped twice ({mapping[key]!r} and {header.strip()!r})")
        mapping[key] = header.strip()
    return mapping
