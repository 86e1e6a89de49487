"""The issue codes reference (docs/issues.md), written from the issue catalogue itself.

Like docs/forms.md, it cannot drift from what users are told: a test compares
docs/issues.md with `issues_markdown()`.  Regenerate with
`python -m salesxl.write.issuedocs > docs/issues.md`.
"""

from __future__ import annotations

from salesxl.core.catalogue import CATALOGUE
from salesxl.core.codes import Entry, Severity

__all__ = ["issues_markdown"]

_ISSUE_KEYS = (
    "file",
    "sheet",
    "cell",
    "row",
    "column",
    "code",
    "severity",
    "message_zh",
    "message_en",
    "value",
)
_SEVERITY = {
    Severity.ERROR: "error: the file is not valid until it is fixed",
    Severity.WARNING: "warning: worth a look, the file is still used",
    Severity.INFO: "info: for the record",
}


def _section(entry: Entry) -> list[str]:
    lines = [
        f"## `{entry.code.value}` — {entry.title_zh} {entry.title_en}",
        "",
        f"Severity: **{entry.severity.value}**.",
        "",
        entry.about_zh,
        "",
        entry.about_en,
        "",
    ]
    if entry.messages:
        lines += ["| message | 中文 | English |", "|---|---|---|"]
        for variant, template in entry.messages.items():
            zh, en = (text.replace("|", "\\|") for text in (template.zh, template.en))
            lines.append(f"| {variant or 'usual'} | {zh} | {en} |")
        lines.append("")
    return lines


def issues_markdown() -> str:
    lines = [
        "# Issue codes",
        "",
        "Generated from `salesxl/core/catalogue.py` by `python -m salesxl.write.issuedocs`; do "
        "not edit by hand. Every problem salesxl finds is reported with one of these codes, in "
        "`salesxl validate` (its `--format json` report too), the store and the summary's "
        "问题 Issues sheet. In the messages, `{name}` is filled in with the field, value or "
        "place concerned (`…_zh`/`…_en` in that language, `!l` in lower case, `:…` the "
        "number or date format).",
        "",
        "Severities:",
        "",
        *(f"- {text}" for text in _SEVERITY.values()),
        "",
        'In JSON (`salesxl validate --format json`, whose report is `{"valid", "stats", '
        '"issues"}`, or `--format json-list`, the list alone) every issue has the keys '
        + ", ".join(f"`{key}`" for key in _ISSUE_KEYS)
        + ": the file, the sheet, the cell (A1) and its row, the column's label, the code, "
        "the severity, the message in both languages and the value found (null when there "
        "is none).",
        "",
        "| code | severity | 中文 | English |",
        "|---|---|---|---|",
        *(
            f"| `{e.code.value}` | {e.severity.value} | {e.title_zh} | {e.title_en} |"
            for e in CATALOGUE.values()
        ),
        "",
    ]
    for entry in CATALOGUE.values():
        lines += _section(entry)
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    print(issues_markdown(), end="")
