"""Make the pictures in docs/img/ from real output, rendered by LibreOffice.

    .venv/bin/python docs/pictures.py        # needs soffice and pdftoppm

It builds the demo organisation and the manager workbook, renders the
Settings sheet (with its buttons made printable for the picture) and the
summary's Overview and By rep sheets, and writes PNGs to docs/img/.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from salesxl.consolidate import consolidate_inbox
from salesxl.consolidate.workbook import write_summary
from salesxl.demo import generate_demo
from salesxl.excel.builder import build_manager_workbook
from salesxl.targets import split_file

IMG = Path(__file__).resolve().parent / "img"


def _run(*args: str) -> None:
    subprocess.run(args, check=True, capture_output=True, timeout=300)


def _pdf(source: Path, work: Path, fmt: str = "pdf") -> Path:
    _run(
        "soffice",
        f"-env:UserInstallation=file://{work / 'profile'}",
        "--headless",
        "--convert-to",
        fmt,
        "--outdir",
        str(work),
        str(source),
    )
    return work / f"{source.stem}.{fmt}"


def _png(pdf: Path, page: int, name: str) -> Path:
    target = IMG / name
    _run(
        "pdftoppm",
        "-png",
        "-r",
        "90",
        "-f",
        str(page),
        "-l",
        str(page),
        "-singlefile",
        str(pdf),
        str(target.with_suffix("")),
    )
    return target


def _printable_buttons(ods: Path) -> Path:
    """Excel's buttons do not print; for the picture, LibreOffice is told they do."""
    out = ods.with_name("settings_picture.ods")
    with zipfile.ZipFile(ods) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "content.xml":
                data = re.sub(rb'form:printable="false"', b'form:printable="true"', data)
            dst.writestr(item, data)
    return out


def main() -> None:
    if not (shutil.which("soffice") and shutil.which("pdftoppm")):
        sys.exit("docs/pictures.py needs LibreOffice (soffice) and pdftoppm (poppler-utils)")
    IMG.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        demo = generate_demo(work / "demo", reps=14)
        targets = split_file(demo.targets_input, work / "targets.xlsx").output
        workbook = build_manager_workbook(
            work / "salesxl_manager.xlsm",
            values={
                "inbox": "inbox",
                "period": str(demo.period),
                "roster": "roster.xlsx",
                "targets": "targets.xlsx",
            },
        )
        ods = _pdf(workbook, work, "ods")
        settings = _pdf(_printable_buttons(ods), work)
        print(_png(settings, 1, "manager_settings.png"))
        summary = consolidate_inbox(
            [demo.inbox], period=demo.period, roster=demo.roster, targets=targets, as_of=demo.as_of
        )
        pdf = _pdf(write_summary(summary, work / "summary.xlsx"), work)
        print(_png(pdf, 1, "summary_overview.png"))


if __name__ == "__main__":
    main()
