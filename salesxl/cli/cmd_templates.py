"""`salesxl templates build`: blank Excel templates for every form."""

from __future__ import annotations

from pathlib import Path

import click

from salesxl.cli.params import FOLDER_OUT, LABELS_LANG
from salesxl.write.templates import build_templates

__all__ = ["command"]


@click.group()
def command() -> None:
    """Excel templates for the forms (日报 周计划 月计划 花名册 销售记录 目标).

    \b
    Example:
      salesxl templates build -o templates/
    """


@command.command("build")
@click.option(
    "-o",
    "--output",
    "folder",
    type=FOLDER_OUT,
    default=Path("templates"),
    show_default=True,
    help="Folder to write into.",
)
@LABELS_LANG
def build(folder: Path, lang: str) -> None:
    """Write one template workbook per form.

    \b
    Example:
      salesxl templates build -o templates/ --lang zh
    """
    for path in build_templates(folder, lang=lang):
        click.echo(f"wrote {path}")
