"""`salesxl demo`: a sample organisation, end to end (placeholder until the generator lands)."""

from __future__ import annotations

import click

__all__ = ["command"]


@click.command()
def command() -> None:
    """Generate a sample organisation and run the pipeline on it.

    \b
    Example:
      salesxl demo
    """
    raise click.ClickException("the demo generator is not built yet")
