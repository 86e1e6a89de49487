"""LibreOffice headless, as a real spreadsheet application for tests (skips when missing)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice (soffice) is not installed; .ci/run installs libreoffice-calc-nogui",
)
needs_pdftoppm = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed"
)


def convert(path: Path, fmt: str, outdir: Path, *, filter_: str | None = None) -> Path:
    """Open `path` in LibreOffice, recalculate, save as `fmt` into `outdir`; returns the new file."""
    assert SOFFICE is not None
    outdir.mkdir(parents=True, exist_ok=True)
    profile = outdir / "lo-profile"
    target = f"{fmt}:{filter_}" if filter_ else fmt
    done = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile.resolve()}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    result = outdir / f"{path.stem}.{fmt}"
    assert done.returncode == 0 and result.exists(), f"soffice failed: {done.stdout}{done.stderr}"
    return result


def render_first_sheet(path: Path, outdir: Path, *, dpi: int = 60) -> tuple[Path, list[str]]:
    """The workbook printed by LibreOffice: a PNG of page 1 and the text of every page.

    The first sheet printing on one page shows in the text: page 2 is the next sheet's.
    """
    import shutil as _shutil

    pdf = convert(path, "pdf", outdir)
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", "-f", "1", "-l", "1", str(pdf), str(outdir / "page")],
        check=True,
        timeout=120,
    )
    (png,) = outdir.glob("page*.png")
    assert _shutil.which("pdftotext"), "pdftotext (poppler-utils) is needed with pdftoppm"
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    return png, text.split("\f")
