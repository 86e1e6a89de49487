"""The forms reference (docs/forms.md), written from the form descriptions themselves.

Like the templates, the documentation never drifts from what the reader and
the validator accept: a test compares docs/forms.md with `forms_markdown()`.
Regenerate with `python -m salesxl.write.formdocs > docs/forms.md`.
"""

from __future__ import annotations

from salesxl.forms import FORMS, Field, Form
from salesxl.forms.model import (
    MissingWhen,
    NotBefore,
    NotGreaterThan,
    OnlyWhen,
    ProductEquals,
    RequiredWhen,
)
from salesxl.write.templates import field_help

__all__ = ["forms_markdown"]


def _rule_text(rule: object) -> str:
    if isinstance(rule, RequiredWhen):
        return f"`{rule.field}` required when `{rule.when}` is {', '.join(sorted(rule.values))}"
    if isinstance(rule, OnlyWhen):
        return (
            f"`{rule.field}` counts only when `{rule.when}` is {', '.join(sorted(rule.values))} "
            "(elsewhere a warning)"
        )
    if isinstance(rule, ProductEquals):
        text = f"`{rule.field}` = `{rule.a}` × `{rule.b}` within {rule.tolerance}"
        return f"{text} (a {rule.severity})" if rule.severity else text
    if isinstance(rule, NotGreaterThan):
        return f"`{rule.field}` ≤ `{rule.other}`"
    if isinstance(rule, NotBefore):
        return f"`{rule.field}` on or after `{rule.other}`"
    if isinstance(rule, MissingWhen):
        conditions = " and ".join(f"`{k}` in {', '.join(sorted(v))}" for k, v in rule.conditions)
        return f"`{rule.field}` expected when {conditions}"
    return type(rule).__name__


def _field_rows(fields: tuple[Field, ...]) -> list[str]:
    lines = [
        "| key | 中文 | English | type | required | accepted labels | rules |",
        "|---|---|---|---|---|---|---|",
    ]
    for f in fields:
        aliases = ", ".join(f.aliases) if f.aliases else ""
        lines.append(
            f"| `{f.key}` | {f.zh} | {f.en} | {f.type.value} | "
            f"{'yes' if f.required else ''} | {aliases} | {field_help(f, 'en')} |"
        )
    return lines


def _form_section(form: Form) -> list[str]:
    lines = [
        f"## {form.zh} {form.en} (`{form.id}`, schema v{form.version})",
        "",
        f"Template: `templates/{form.filename}`.",
        "",
    ]
    lines += [f"- {line}" for line in form.instructions_en]
    lines.append("")
    if form.header:
        where = " ".join(form.header_sheet) if form.header_sheet else "above the first table"
        lines += [f"### Header block ({where})", "", *_field_rows(form.header), ""]
    for table in form.tables:
        optional = "" if table.required else " — optional"
        lines += [f"### Sheet `{table.sheet_name}`{optional}", "", *_field_rows(table.fields), ""]
        if table.rules:
            lines += ["Cross-field rules:", ""]
            lines += [f"- `{rule.code.value}`: {_rule_text(rule)}" for rule in table.rules]
            lines.append("")
    return lines


def forms_markdown() -> str:
    lines = [
        "# Forms reference",
        "",
        "Generated from `salesxl/forms/` by `python -m salesxl.write.formdocs`; do not edit by "
        "hand. Labels match in Chinese, English or both, or any of the accepted labels "
        "(the spellings other systems use), ignoring case, spaces, underscores, full-width "
        "forms and punctuation (`Order_Date`, ` Sales`, `单价(元)`). When two columns could be "
        "one field, a visible column wins over a hidden one, one with figures over one that is "
        "blank or all zero, then the label listed first (Chinese, English, then the accepted "
        "labels in order), and the choice is reported as info (`column_chosen`); two with the "
        "same label and different figures are a warning (`column_ambiguous`). A column no label "
        "names can be mapped: `--map FIELD=HEADER` with the field's key below, e.g. "
        "`--map amount=Price` (README.md, Forms).",
        "",
    ]
    for form in FORMS.values():
        lines += _form_section(form)
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    print(forms_markdown(), end="")
