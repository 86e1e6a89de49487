"""Counted nouns in English messages: `1 file`, `2 files`, never `1 files`."""

from __future__ import annotations

__all__ = ["plural"]


def plural(n: int, noun: str, many: str | None = None) -> str:
    """`1 file`, `2 files`, `1,200 rows` (`many` for a plural that is not noun + s)."""
    return f"{n:,} {noun if n == 1 else (many or noun + 's')}"
