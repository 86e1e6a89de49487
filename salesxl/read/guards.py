"""The bounds every file is read within, and the failure that a file breaking one becomes.

One bad file must never cost the run: each file is read within bounded time
and memory (`Limits`), and a file that breaks a bound, or cannot be read at
all, raises `ReadError` carrying its issue code (`too_large`, `unreadable`,
`encrypted`) and a message in both languages.  The reader turns it into an
issue on that file; every other file goes through.
"""

from __future__ import annotations

from dataclasses import dataclass

from salesxl.core.errors import SalesxlError
from salesxl.core.issues import Code, message

__all__ = ["MB", "Limits", "ReadError", "too_large", "unreadable"]

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """How much one file may cost; a file beyond a limit is refused with `too_large`.

    The sizes guard memory before anything is parsed: the file on disk, what
    its zip package unpacks to, and how far a part may unpack relative to its
    compressed size (real workbooks stay far below 100×; zip bombs do not).
    A sheet's grid is counted from A1 to its last cell with a value, so one
    stray value far away (XFD1048576) cannot make a grid of 17 billion cells:
    above `sparse_cells`, a grid must hold a value in at least one cell of
    every `sparse_ratio`.  `max_amount` bounds every amount, quantity and
    price a form may hold, so no sum can overflow.
    """

    max_file_bytes: int = 50 * MB
    max_uncompressed_bytes: int = 200 * MB
    max_inflate_ratio: int = 100
    ratio_grace_bytes: int = 10 * MB  # parts smaller than this are not held to the ratio
    max_parts: int = 20_000  # entries of a zip package (each costs memory to list)
    max_sheet_cells: int = 20_000_000
    sparse_cells: int = 4_000_000
    sparse_ratio: int = 8
    max_sheet_rows: int = 1_048_576  # Excel's own limit, also applied to CSV
    max_merged_cells: int = 1_000_000  # cells that filling merged ranges may write
    max_merged_ranges: int = 200_000
    max_read_seconds: float = 300.0  # one file in a reading process, then it is stopped
    max_amount: float = 1e12


class ReadError(SalesxlError):
    """A file that cannot be read at all, with the issue code to report."""

    def __init__(
        self, code: Code, message_zh: str, message_en: str, sheet: str | None = None
    ) -> None:
        super().__init__(message_zh, message_en)
        self.code = code
        self.sheet = sheet


def unreadable(why_zh: str, why_en: str) -> ReadError:
    """The file is damaged (why, in both languages): the catalogue's message around it."""
    return ReadError(
        Code.UNREADABLE, *message(Code.UNREADABLE, "damaged", why_zh=why_zh, why_en=why_en)
    )


def too_large(variant: str, *, sheet: str | None = None, **values: object) -> ReadError:
    """A bound broken: the catalogue's `too_large` message of that `variant`."""
    texts = message(Code.TOO_LARGE, variant, sheet=sheet, **values)  # some variants name it
    return ReadError(Code.TOO_LARGE, *texts, sheet=sheet)
