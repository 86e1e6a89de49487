"""The `salesxl` command line: a thin shell over the library (SPEC §9).

Each command lives in its own module, parses options and calls one public
library function.  Exit codes: 0 fine, 1 errors found or the work failed,
2 usage error (bad option, missing path).
"""

from __future__ import annotations

import importlib

import click

from salesxl import __version__

__all__ = ["main"]

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

# module, command name: one line per command.
_COMMANDS = (
    ("salesxl.cli.cmd_templates", "templates"),
    ("salesxl.cli.cmd_validate", "validate"),
    ("salesxl.cli.cmd_import", "import"),
    ("salesxl.cli.cmd_demo", "demo"),
)


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, prog_name="salesxl")
def main() -> None:
    """salesxl: Excel sales paperwork (日报 周计划 月计划) into trustworthy numbers.

    \b
    Example:
      salesxl demo                      # a sample organisation, end to end
      salesxl validate inbox/ --period 2026-11 --roster roster.xlsx
    """


for _module, _name in _COMMANDS:
    main.add_command(importlib.import_module(_module).command, _name)
