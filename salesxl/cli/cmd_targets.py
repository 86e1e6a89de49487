"""`salesxl targets`: break annual targets down to exact monthly ones (README.md "For admins")."""

from __future__ import annotations

from pathlib import Path

import click

from salesxl.cli.params import DB_URL
from salesxl.core.people import Roster
from salesxl.core.periods import Month
from salesxl.core.text import plural
from salesxl.forms import TARGETS_INPUT
from salesxl.targets import split_file
from salesxl.write.templates import write_form

__all__ = ["command"]


@click.group()
def command() -> None:
    """Target breakdown 目标分解: annual → quarter → month, across units and products.

    \b
    Example:
      salesxl targets template -o targets_input.xlsx
      salesxl targets split targets_input.xlsx -o targets.xlsx
    """


@command.command("split")
@click.argument(
    "input_path",
    metavar="TARGETS_INPUT",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("targets.xlsx"),
    show_default=True,
    help="The targets workbook.",
)
@click.option(
    "--history",
    "history",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Sales records 销售记录 (xlsx or CSV) to learn seasons from, per rep ID (repeatable).",
)
@click.option(
    "--roster",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Roster: reps who joined this year start (and ramp up) in their hire month.",
)
@click.option(
    "--db",
    type=DB_URL,
    help="A store (`salesxl import sales`/`roster`): its sales "
    "records are history too, and its roster is used when --roster is not given.",
)
@click.option(
    "--scale-proposals",
    is_flag=True,
    help="Negotiated mode: scale the reps' 上报目标 proposals to the top figure.",
)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def split(
    input_path: Path,
    output: Path,
    history: tuple[Path, ...],
    roster: Path | None,
    db: str | None,
    scale_proposals: bool,
    lang: str,
) -> None:
    """Split the annual targets of TARGETS_INPUT into exact monthly targets.

    Every figure is a multiple of the rounding unit, every unit's months add up
    to its annual target and every parent's month to its children's.

    \b
    Example:
      salesxl targets split targets_input.xlsx -o targets.xlsx
      salesxl targets split targets_input.xlsx --history sales_records.xlsx --roster roster.xlsx
      salesxl targets split targets_input.xlsx --db salesxl.db -o targets.xlsx
    """
    # SQLAlchemy only when the store is used: the command starts faster without it
    from salesxl.store import sales_history, stored_roster

    known: Roster | Path | None = roster
    stored: list[tuple[str, str | None, Month, float]] = []
    if db is not None:  # the store's sales records are history; its roster unless given
        stored = sales_history(db)
        if known is None:
            known = stored_roster(db)
    result = split_file(
        input_path,
        output,
        history=history,
        roster=known,
        scale_proposals=scale_proposals,
        lang=lang,
        extra_history=stored,
    )
    s = result.split.settings
    click.echo(
        f"{plural(result.units, 'unit')}, fiscal year {s.year} from {result.split.months[0]}, "
        f"method {s.method}, mode {s.mode}, rounding {s.rounding}"
    )
    for warning in result.warnings[:20]:
        click.echo(f"  note: {warning}")
    if len(result.warnings) > 20:
        click.echo(
            f"  ... {plural(len(result.warnings) - 20, 'more note')} in the 说明 Method sheet"
        )
    click.echo(f"targets written to {result.output}")


@command.command("template")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("targets_input.xlsx"),
    show_default=True,
)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def template(output: Path, lang: str) -> None:
    """Write an empty targets input workbook with drop-downs.

    \b
    Example:
      salesxl targets template -o targets_input.xlsx
    """
    write_form(output, TARGETS_INPUT, lang=lang)
    click.echo(
        f"wrote {output}: fill 设置 Settings and 年度目标 Annual, then run "
        f"`salesxl targets split {output}`"
    )
