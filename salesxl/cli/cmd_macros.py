"""`salesxl macros build`: the manager's workbook with the xlwings buttons."""

from __future__ import annotations

from pathlib import Path

import click

from salesxl.excel.settings import SETTINGS, value_problems

__all__ = ["command"]

_KEYS = [s.key for s in SETTINGS]


@click.group()
def command() -> None:
    """The manager's Excel workbook (汇总 Consolidate, 校验 Validate, 分解目标 Split targets,
    退回 Return).

    \b
    Example:
      salesxl macros build -o macros/salesxl_manager.xlsm
    """


def _pairs(values: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or key.strip() not in _KEYS:
            raise click.BadParameter(
                f"{item!r}: write KEY=VALUE with KEY one of {', '.join(_KEYS)}", param_hint="--set"
            )
        out[key.strip()] = value.strip()
    problems = value_problems(out)  # as the Settings sheet will read them, not at a click
    if problems:
        raise click.BadParameter(
            "the Settings sheet could not use these values:\n"
            + "\n".join(f"• {en}\n  {zh}" for zh, en in problems),
            param_hint="--set",
        )
    return out


@command.command("build")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("macros/salesxl_manager.xlsm"),
    show_default=True,
    help="The workbook to write (.xlsm).",
)
@click.option(
    "--set",
    "values",
    multiple=True,
    metavar="KEY=VALUE",
    help=f"Pre-fill a setting (repeatable); KEY is one of {', '.join(_KEYS)}.",
)
def build(output: Path, values: tuple[str, ...]) -> None:
    """Write the manager workbook: settings, buttons, and the embedded xlwings module.

    Open it in Excel, fill in the yellow 设置 Settings cells and click a button;
    see docs/manager.md for the one-time set-up. Built again over a manager
    workbook (after an upgrade), it keeps the settings and the interpreter path
    filled in there; --set changes one. --set values are checked as the
    Settings sheet will read them (a period such as 2026-11, a date, a
    number, yes/no...): a bad one is refused here (exit 2), not when a
    button is clicked. Paths are not looked at: the workbook may be used on
    another computer.

    \b
    Example:
      salesxl macros build -o manager.xlsm --set inbox=D:/sales/inbox --set roster=roster.xlsx
    """
    # the VBA builder only when a workbook is built: --help starts faster
    from salesxl.excel.builder import build_manager_workbook, filled_in_settings
    from salesxl.excel.settings import SETTINGS
    from salesxl.excel.vba.project import xlwings_version

    if output.suffix.lower() != ".xlsm":
        raise click.BadParameter(
            f"{output.name}: a workbook with macros must end in .xlsm", param_hint="-o"
        )
    given = _pairs(values)
    kept, conf = filled_in_settings(output)  # a workbook rebuilt keeps what was filled in
    path = build_manager_workbook(output, values=kept | given, conf=conf)
    click.echo(f"wrote {path} (xlwings {xlwings_version()} embedded)")
    defaults = {s.key: s.default for s in SETTINGS}
    carried = [k for k, v in kept.items() if k not in given and v != defaults.get(k)]
    carried += list(conf)
    if carried:
        click.echo(f"  kept from the workbook it replaced: {', '.join(carried)}")
