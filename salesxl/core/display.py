"""Text as it can be shown: file names in no valid encoding, and control characters.

A file name is taken as the operating system gives it.  On Linux a name
whose bytes are not UTF-8 (a GBK name from a zip made on Windows) reaches
Python with each stray byte kept as a lone surrogate, which no terminal,
workbook or database accepts; shown, such a byte becomes U+FFFD (�), while the
name itself is kept as it was to open the file.  A newline in a file name or
a cell could forge an extra line in a text report; printed, control
characters are written as escapes (`\\n`).
"""

from __future__ import annotations

import os
import re

__all__ = ["displayable", "is_displayable", "printable", "raw_bytes"]

# C0 and C1 controls, DEL, and the bidirectional overrides that reorder what a line shows.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def is_displayable(text: str) -> bool:
    """Whether the text holds no lone surrogate (every file name from a valid encoding)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def displayable(text: str) -> str:
    """The text with every byte of an undecodable file name shown as U+FFFD."""
    if is_displayable(text):
        return text
    try:  # the bytes the surrogates stand for, then each undecodable byte as U+FFFD
        data = text.encode("utf-8", errors="surrogateescape")
    except UnicodeEncodeError:  # a surrogate that stands for no byte
        data = text.encode("utf-8", errors="surrogatepass")
    return data.decode("utf-8", errors="replace")


def raw_bytes(text: str) -> bytes:
    """A file name's bytes as the file system has them (lossless, whatever they are)."""
    return os.fsencode(text)


def printable(text: str) -> str:
    """`displayable`, with control characters escaped so one line stays one line."""
    text = displayable(text)
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(lambda m: _ESCAPES.get(m.group()) or _escape(ord(m.group())), text)


def _escape(code: int) -> str:
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
