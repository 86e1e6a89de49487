"""The `salesxl` command line: a thin shell over the library (docs/architecture.md).

Each command lives in its own module, parses options and calls one public
library function.  Modules are imported only when their command runs, so
`salesxl validate` does not pay for the demo's or the store's imports.
Exit codes: 0 fine, 1 errors found or the work failed, 2 usage error.
Every SalesxlError a command raises becomes its message here, in one place
(`CommandContext.invoke`): Chinese and English, the hint, the option to change.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from salesxl.core.display import displayable
from salesxl.core.errors import SalesxlError
from salesxl.core.perf import ends_fast
from salesxl.core.version import __version__

__all__ = ["CommandContext", "cli_error", "main"]

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

# command name -> module defining `command`: one line per command.
COMMANDS = {
    "templates": "salesxl.cli.cmd_templates",
    "validate": "salesxl.cli.cmd_validate",
    "consolidate": "salesxl.cli.cmd_consolidate",
    "chase": "salesxl.cli.cmd_chase",
    "watch": "salesxl.cli.cmd_watch",
    "targets": "salesxl.cli.cmd_targets",
    "forms": "salesxl.cli.cmd_forms",
    "return": "salesxl.cli.cmd_return",
    "scorecards": "salesxl.cli.cmd_scorecards",
    "import": "salesxl.cli.cmd_import",
    "macros": "salesxl.cli.cmd_macros",
    "demo": "salesxl.cli.cmd_demo",
    "store": "salesxl.cli.cmd_store",
}


# A setting named by an error -> the options that give it, where it is not --<setting>:
# the first the command has (`watch --returns`, `return --output`).
_OPTION_OF_SETTING = {
    "database": ("--db",),
    "returns": ("--returns", "--output"),
    "passwords": ("--password-from",),
    "target_database": ("--to",),
}


class CommandContext(click.Context):
    """The context every command runs in: the one place a SalesxlError becomes a CLI error."""

    def invoke(self, callback: Any, /, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().invoke(callback, *args, **kwargs)
        except SalesxlError as error:
            raise cli_error(error, self) from None


def cli_error(error: SalesxlError, ctx: click.Context | None = None) -> click.ClickException:
    """The error in Chinese and English with its hint, naming the option to change.

    An error about the unusable value of an option the user gave (`error.usage`)
    is click's usage error on that option (exit 2); any other ends with the
    error's exit code (1: the work failed, 2: a usage error).
    """
    param = _param(ctx, error.setting)
    flag = "/".join(param.opts) if isinstance(param, click.Option) else None
    lines = [error.message_zh, error.message_en]
    if error.hint_zh or error.hint_en:
        where = f"（{flag}）" if flag else ""
        lines += [
            f"提示：{error.hint_zh}{where}",
            f"Hint: {error.hint_en}" + (f" ({flag})" if flag else ""),
        ]
    text = "\n".join(line for line in lines if line)
    if error.usage and flag is not None and _given(ctx, param):
        return click.BadParameter(text, ctx=ctx, param=param)
    if error.exit_code == 2:
        return click.UsageError(text, ctx=ctx)
    return click.ClickException(text)


def _given(ctx: click.Context | None, param: click.Parameter | None) -> bool:
    """Whether the user gave the option (not its default): only then is it a usage error."""
    if ctx is None or param is None or param.name is None:
        return False
    source = ctx.get_parameter_source(param.name)
    return source in (
        click.core.ParameterSource.COMMANDLINE,
        click.core.ParameterSource.ENVIRONMENT,
    )


def _param(ctx: click.Context | None, setting: str | None) -> click.Parameter | None:
    if ctx is None or setting is None:
        return None
    flags = _OPTION_OF_SETTING.get(setting, ("--" + setting.replace("_", "-"),))
    return next(
        (p for flag in flags for p in ctx.command.params if flag in getattr(p, "opts", ())),
        None,
    )


def _in_context(command: click.Command) -> click.Command:
    """The command (and a group's subcommands) run in a CommandContext."""
    command.context_class = CommandContext
    for sub in getattr(command, "commands", {}).values():
        _in_context(sub)
    return command


class LazyGroup(click.Group):
    """A group that imports a command's module the first time the command is needed."""

    context_class = CommandContext

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
            self.add_command(_in_context(command), cmd_name)
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


def run() -> None:
    """The `salesxl` command (`main`), ended without freeing the results a command kept
    for the end (`salesxl.core.perf.ends_fast`)."""
    with ends_fast():
        main()
