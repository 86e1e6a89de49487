"""Notes in both languages: how a unit's figures came about and the run's warnings.

The engine words each note in Chinese and English at once; the workbook shows
the language asked for (Chinese first, then English, under zh; English alone
under en).  A Note is a str whose value is the English, so code and workbooks
that knew only English notes read on unchanged.

A run's note is a warning (something to check or fix: a gap in the history,
sales of a unit not in the targets) unless it is made with `info=True` (what the
method did: a fall-back, a rounded proposal).  A plain str counts as a warning:
nothing is taken for less than it may be.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["Note", "by_level", "join", "note", "read", "render"]


class Note(str):
    """One or more sentences, each as (Chinese, English); the str value is the English."""

    parts: tuple[tuple[str, str], ...]
    info: bool  # what the method did, not something to check (a warning)

    def __new__(cls, parts: tuple[tuple[str, str], ...], *, info: bool = False) -> Note:
        self = super().__new__(cls, "; ".join(en for _, en in parts))
        self.parts = parts
        self.info = info
        return self


def note(zh: str, en: str, *, info: bool = False) -> Note:
    return Note(((zh, en),), info=info)


def by_level(notes: Sequence[str]) -> tuple[list[str], list[str]]:
    """A run's notes as (warnings, info notes), each in its order: a plain str and a Note
    not made with `info=True` are warnings."""
    warnings = [n for n in notes if not getattr(n, "info", False)]
    infos = [n for n in notes if getattr(n, "info", False)]
    return warnings, infos


def join(*items: str) -> str:
    """The non-empty items as one note, each keeping both languages (plain strings: English)."""
    parts: list[tuple[str, str]] = []
    for item in items:
        if isinstance(item, Note):
            parts += item.parts
        elif item:
            parts.append(("", item))
    return Note(tuple(parts)) if parts else ""


def render(text: str, lang: str) -> str:
    """The text in `lang`: zh = the Chinese, then the English on a line of its own
    (what `read` takes apart again); en = the English alone."""
    if lang != "zh" or not isinstance(text, Note):
        return str(text)
    zh = "；".join(zh for zh, _ in text.parts if zh)
    return f"{zh}\n{text}" if zh else str(text)


def read(cell: str | None) -> str:
    """A note as a workbook shows it, back as a Note: a cell written under zh (Chinese line,
    English line) or under en and by older versions (English alone, a plain str)."""
    text = str(cell or "")
    zh, _, en = text.partition("\n")
    if not en:
        return text
    zh_parts, en_parts = zh.split("；"), en.split("; ")
    if len(zh_parts) != len(en_parts):  # cannot pair them: one sentence each
        zh_parts, en_parts = [zh], [en]
    return Note(tuple(zip(zh_parts, en_parts, strict=True)))
