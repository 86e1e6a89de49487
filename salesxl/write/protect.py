"""An open password on a workbook: Office's own encryption (ECMA-376 agile), by msoffcrypto-tool.

Excel, WPS and LibreOffice ask for the password when the file is opened;
without it the file is unreadable.  The workbook is written unencrypted to
a private temporary file (not beside the target, which may be a shared
folder), encrypted into the target atomically, and the plain copy removed.
Office's key derivation is deliberately slow (100,000 rounds of SHA-512): a
workbook takes most of a second.  An encrypted workbook hides salesxl's mark
with the rest of its contents, so an encrypted file already there (an earlier
run's pack) is replaced as if it carried it; anything else only with the mark.  Only leaders' packs import this module, so
a plain summary does not pay for loading the cryptography.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from msoffcrypto.format.ooxml import OOXMLFile

from salesxl.read.marks import Written
from salesxl.write.xlsx import atomic_output

__all__ = ["encrypted_output"]


@contextlib.contextmanager
def encrypted_output(target: Path, password: str) -> Iterator[Path]:
    """Yield a private path to write the workbook to; it ends up in `target`, encrypted
    with `password` (raises salesxl.write.xlsx.OutputError when `target` cannot be written)."""
    if not password:
        raise ValueError("an open password cannot be empty")
    fd, name = tempfile.mkstemp(suffix=Path(target).suffix)  # 0600, in the private temp dir
    os.close(fd)
    plain = Path(name)
    try:
        yield plain
        written = None if _encrypted(Path(target)) else Written.SUMMARY
        with (
            atomic_output(Path(target), "分包", written=written) as tmp,
            plain.open("rb") as source,
            tmp.open("wb") as out,
        ):
            OOXMLFile(source).encrypt(password, out)
    finally:
        plain.unlink(missing_ok=True)


def _encrypted(path: Path) -> bool:
    """An encrypted Office file: an OLE compound file (a plain workbook is a zip)."""
    try:
        with path.open("rb") as fh:
            return fh.read(8) == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    except OSError:
        return False
