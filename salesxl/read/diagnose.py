"""A refusal that says what to change, when no form fits a file.

It names the columns found, the form that came closest and its required
fields that are missing, "did you mean" for headers close to a field's
label (下单日 → 日期 Date), and the `--map` that would settle it.  A wide
monthly summary is said to be one, with where it can be used instead.
Under `import sales` (`expect`) the suggestions come from the sales-record
fields, not the daily report's.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from salesxl.core.issues import Code, Issue, make_issue, message
from salesxl.forms import FORMS, Field, Form, FormId, Table
from salesxl.read.locate import HEADER_SCAN_ROWS, column_map
from salesxl.read.values import norm_label, text_of
from salesxl.read.wide import find_wide
from salesxl.read.workbook import Book

__all__ = ["Closest", "closest_table", "did_you_mean", "refuse"]

SHOWN_COLUMNS = 15
CLOSE_ENOUGH = 0.7


@dataclass(slots=True)
class Closest:
    form: Form
    table: Table
    matched: dict[str, str]  # field key -> header
    missing: list[Field] = field(default_factory=list)  # required fields not found


def _header_row(book: Book) -> tuple[str, int, list[Any]] | None:
    """The row most likely to be a header: the most text cells among the top rows."""
    best: tuple[int, str, int, list[Any]] | None = None
    for name in book.visible_sheets:
        for r, cells in enumerate(book.grid(name).rows[:HEADER_SCAN_ROWS]):
            texts = sum(1 for v in cells if isinstance(v, str) and v.strip())
            if texts >= 2 and (best is None or texts > best[0]):
                best = (texts, name, r, cells)
    return None if best is None else best[1:]


def closest_table(
    headers: list[str], expect: tuple[str, ...] | None, mapping: Mapping[str, str] | None = None
) -> Closest | None:
    """The table whose labels the headers match best (among the `expect`ed forms if given)."""
    overrides = {norm_label(h): k for k, h in (mapping or {}).items()}
    best: tuple[tuple[int, bool, float, int], Closest] | None = None
    for form in FORMS.values():
        if expect and form.id not in expect:
            continue
        for t, table in enumerate(form.tables):
            labels = column_map(form.id, table.key)
            keys = {f.key for f in table.fields}
            matched: dict[str, str] = {}
            for header in headers:
                norm = norm_label(header)
                key = overrides.get(norm) if norm in overrides else labels.get(norm)
                if key in keys and key not in matched:
                    matched[key] = header
            if len(table.fields) < 3 and not expect:
                continue  # 日期 + 类型 fit half the files there are: never "closest"
            # On a tie, an export from another system is most likely sales records.
            likely = form.id == FormId.SALES_RECORDS and t == 0
            rank = (len(matched), likely, len(matched) / len(table.fields), -t)
            if best is None or rank > best[0]:
                missing = [f for f in table.fields if f.required and f.key not in matched]
                best = (rank, Closest(form, table, matched, missing))
    return None if best is None or (not best[1].matched and not expect) else best[1]


def did_you_mean(headers: list[str], table: Table, taken: set[str]) -> list[tuple[str, Field]]:
    """Headers close to a field's label that matched nothing: (header, field)."""
    out: list[tuple[str, Field]] = []
    used = set(taken)
    for header in headers:
        norm = norm_label(header)
        if not norm:
            continue
        best: tuple[float, Field] | None = None
        for f in table.fields:
            if f.key in used:
                continue
            for label in f.all_labels():
                other = norm_label(label)
                if not other:
                    continue
                short, long_ = sorted((norm, other), key=len)
                if len(short) >= 2 and short in long_ and 2 * len(short) >= len(long_):
                    score = 0.9  # 下单日 in 下单日期; not `id` in `salesrepid`
                else:
                    score = difflib.SequenceMatcher(None, norm, other).ratio()
                if score >= CLOSE_ENOUGH and (best is None or score > best[0]):
                    best = (score, f)
        if best is not None:
            out.append((header, best[1]))
            used.add(best[1].key)
    return out


def refuse(
    book: Book,
    path: str,
    *,
    expect: tuple[str, ...] | None = None,
    mapping: Mapping[str, str] | None = None,
) -> Issue:
    """The `unknown_form` issue for a file no form fits, saying what to change."""
    found = _header_row(book)
    if found is None:
        return make_issue(Code.UNKNOWN_FORM, path, *message(Code.UNKNOWN_FORM, "no_header"))
    sheet, row, cells = found
    wide = find_wide(sheet, book.grid(sheet).rows)
    if wide is not None:
        months = wide.describe(book.grid(sheet).rows[wide.header_row])
        return make_issue(
            Code.UNKNOWN_FORM,
            path,
            *message(Code.UNKNOWN_FORM, "wide", sheet=sheet, months=months),
            sheet=sheet,
        )
    headers = [text_of(v) for v in cells if text_of(v)]
    more = " …" if len(headers) > SHOWN_COLUMNS else ""
    columns = headers[:SHOWN_COLUMNS]
    # The refusal: the usual sentence, then those about the closest form that apply.
    parts = [
        message(
            Code.UNKNOWN_FORM,
            sheet=sheet,
            row=row + 1,
            columns_zh="、".join(columns) + more,
            columns_en=", ".join(columns) + more,
        )
    ]
    closest = closest_table(headers, expect, mapping)
    if closest is not None:
        parts.append(_closest(closest))
        unmatched = [h for h in headers if h not in closest.matched.values()]
        hints = did_you_mean(unmatched, closest.table, set(closest.matched))
        if hints:
            shown = [f"{h} → {f.bilingual}" for h, f in hints]
            parts.append(
                message(
                    Code.UNKNOWN_FORM,
                    "did_you_mean",
                    hints_zh="；".join(shown),
                    hints_en="; ".join(shown),
                )
            )
        example = hints[0] if hints else (None, closest.missing[0] if closest.missing else None)
        if example[1] is not None:
            parts.append(
                message(
                    Code.UNKNOWN_FORM,
                    "rename",
                    key=example[1].key,
                    header_zh=example[0] or "列名",
                    header_en=example[0] or "HEADER",
                )
            )
    zh = "".join(z for z, _ in parts)
    en = " ".join(e for _, e in parts)
    return make_issue(Code.UNKNOWN_FORM, path, zh, en, sheet=sheet)


def _closest(closest: Closest) -> tuple[str, str]:
    names = {
        "form_zh": closest.form.zh,
        "form_en": closest.form.en,
        "table": closest.table.sheet_name,
    }
    if not closest.missing:
        return message(Code.UNKNOWN_FORM, "closest_few", **names)
    missing = [f.bilingual for f in closest.missing]
    return message(
        Code.UNKNOWN_FORM,
        "closest_missing",
        missing_zh="、".join(missing),
        missing_en=", ".join(missing),
        **names,
    )
