"""Column mappings: `--map FIELD=HEADER`, and the header signature they are remembered by.

A mapping names, for a field key, the header a file writes for it
(`amount` -> `Price`).  The header signature is the set of a header row's
labels (order, case, spacing and punctuation aside), hashed: the same
system's next export has the same signature, so the store can remember the
mapping that worked for it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from salesxl.read.values import norm_label
from salesxl.read.workbook import Book

__all__ = ["Mapping_", "header_signature", "overrides_of", "remembered_for"]

Mapping_ = Mapping[str, str]  # field key -> header text as the file writes it


def header_signature(cells: list[Any]) -> str:
    """What identifies the system a table came from: the set of its header labels, hashed.

    Order, case, spacing and punctuation do not matter; a column more or less does.
    """
    labels = sorted({norm_label(v) for v in cells if not _blank(v)} - {""})
    return hashlib.sha256("\x1f".join(labels).encode("utf-8")).hexdigest()[:32]


def overrides_of(mapping: Mapping_ | None) -> dict[str, str]:
    """Normalised header -> field key, from a column mapping."""
    return {norm_label(header): key for key, header in (mapping or {}).items()}


def remembered_for(
    book: Book, sheets: list[str], remembered: Mapping[str, Mapping_], scan_rows: int
) -> tuple[str, Mapping_] | None:
    """The first header row whose signature the store knows, and its mapping."""
    for name in sheets:
        for cells in book.grid(name).rows[:scan_rows]:
            if sum(1 for v in cells if v.__class__ is str and v.strip()) >= 2:
                signature = header_signature(cells)
                hit = remembered.get(signature)
                if hit is not None:
                    return signature, hit
    return None


def _blank(value: Any) -> bool:
    return value == "" or value is None or (isinstance(value, str) and not value.strip())
