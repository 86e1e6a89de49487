"""The `salesxl` command line: a thin shell over the library (SPEC §9).

Each command lives in its own module, parses options and calls one public
library function.  Modules are imported only when their command runs, so
`salesxl validate` does not pay for the demo's or the store's imports.
Exit codes: 0 fine, 1 errors found or the work failed, 2 usage error.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from salesxl.core.display import displayable
from salesxl.core.version import __version__

__all__ = ["main"]

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

# command name -> module defining `command`: one line per command.
COMMANDS = {
    "templates": "salesxl.cli.cmd_templates",
    "validate": "salesxl.cli.cmd_validate",
    "consolidate": "salesxl.cli.cmd_consolidate",
    "targets": "salesxl.cli.cmd_targets",
    "forms": "salesxl.cli.cmd_forms",
    "import": "salesxl.cli.cmd_import",
    "macros": "salesxl.cli.cmd_macros",
    "demo": "salesxl.cli.cmd_demo",
}


class LazyGroup(click.Group):
    """A group that imports a command's module the first time the command is needed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.ClickException as exc:
            # a file name in no valid encoding cannot be printed as it is: shown with U+FFFD
            vars(exc)["message"] = displayable(exc.message)
            raise

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS and cmd_name not in self.commands:
            command: Any = importlib.import_module(COMMANDS[cmd_name]).command
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup, context_settings=CONTEXT)
@click.version_option(__version__, prog_name="salesxl")
def main() -> None:
    """salesxl: Excel sales paperwork (日报 周计划 月计划) into trustworthy numbers.

    \b
    Example:
      salesxl demo                      # a sample organisation, end to end
      salesxl validate inbox/ --period 2026-11 --roster roster.xlsx
    """
