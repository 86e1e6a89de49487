"""`salesxl targets`: break annual targets down to exact monthly ones (README.md "For admins")."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from salesxl.cli.params import DATE, DB_URL, LABELS_LANG, MONTH, WORKBOOK_LANG
from salesxl.core.people import Roster
from salesxl.core.periods import Month
from salesxl.core.text import plural
from salesxl.forms import TARGETS_INPUT
from salesxl.targets import SplitResult, explain_file, resplit_file, split_file
from salesxl.targets.notes import by_level
from salesxl.write.templates import write_blank

__all__ = ["command"]


@click.group()
def command() -> None:
    """Target breakdown 目标分解: annual → quarter → month, across units and products.

    \b
    Example:
      salesxl targets template -o targets_input.xlsx
      salesxl targets split targets_input.xlsx -o targets.xlsx
      salesxl targets explain targets.xlsx S001
      salesxl targets resplit targets.xlsx --actuals sales.xlsx --from 2027-07 -o targets_v2.xlsx
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
    help="Roster: reps start (and ramp up) in their hire month and stop after their leave month.",
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
@WORKBOOK_LANG
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
    known: Roster | Path | None = roster
    stored: list[tuple[str, str | None, Month, float]] = []
    if db is not None:  # the store's sales records are history; its roster unless given
        # SQLAlchemy only when the store is used: the command starts faster without it
        from salesxl.store import sales_history, stored_roster

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
    tiers = result.split.tier_names
    click.echo(
        f"{plural(result.units, 'unit')}, fiscal year {s.year} from {result.split.months[0]}, "
        f"method {s.method}, mode {s.mode}, rounding {s.rounding}"
        + (f", tiers {' / '.join(tiers)}" if len(tiers) > 1 else "")
    )
    _notes(result)
    click.echo(f"targets written to {result.output}")


SHOWN_NOTES = 20  # warnings, then info notes, printed; every one is in the Method sheet


def _notes(result: SplitResult) -> None:
    """Warnings first (many info notes must not push them out), then info notes."""
    warnings, infos = by_level(result.warnings)
    shown = warnings[:SHOWN_NOTES]
    for warning in shown:
        click.echo(f"  warning: {warning}")
    for info in infos[: SHOWN_NOTES - len(shown)]:
        click.echo(f"  note: {info}")
    more_warnings = len(warnings) - len(shown)
    more_notes = len(infos) - max(0, min(len(infos), SHOWN_NOTES - len(shown)))
    if more_warnings or more_notes:
        rest = [
            plural(n, f"more {what}")
            for n, what in ((more_warnings, "warning"), (more_notes, "note"))
            if n
        ]
        click.echo(f"  ... {' and '.join(rest)} in the 说明 Method sheet of {result.output}")


@command.command("resplit")
@click.argument(
    "targets_path",
    metavar="TARGETS",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option(
    "--actuals",
    "actuals",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Sales records 销售记录 (xlsx or CSV) with the sales to date, per rep ID (repeatable).",
)
@click.option(
    "--db",
    type=DB_URL,
    help="A store: the sales to date are its imported sales records, and both versions are "
    "kept in it (`salesxl targets versions`).",
)
@click.option(
    "--from",
    "start",
    type=MONTH,
    required=True,
    help="The first month to re-spread, e.g. 2027-07; the months before stay as they were.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The new version's workbook, e.g. targets_v2.xlsx.",
)
@click.option("--date", "today", type=DATE, help="The version's date (default: today).")
@WORKBOOK_LANG
def resplit_command(
    targets_path: Path,
    actuals: tuple[Path, ...],
    db: str | None,
    start: Month,
    output: Path,
    today: dt.date | None,
    lang: str,
) -> None:
    """Re-split TARGETS mid-year: a new version from --from on, by the sales to date.

    The months before --from stay as they were; each unit's remaining gap (its
    year less its sales to date, rounded up to the rounding unit) is spread
    over the months left in proportion to its own months of the previous
    version (the shape its method gave them).  A unit already past its year
    keeps its original months.  The new workbook has a 差异 Version change sheet (previous
    version, this one, the change, per unit and month) and a 签字 Sign-off column.

    \b
    Example:
      salesxl targets resplit targets.xlsx --actuals sales_2027.xlsx --from 2027-07 \\
          -o targets_v2.xlsx
      salesxl targets resplit targets.xlsx --db salesxl.db --from 2027-07 -o targets_v2.xlsx
    """
    if not actuals and db is None:
        raise click.UsageError("give the sales to date: --actuals FILE (repeatable) or --db URL")
    to_date: list[tuple[str, str | None, Month, float]] = []
    if db is not None:
        # SQLAlchemy only when the store is used: the command starts faster without it
        from salesxl.store import import_files, sales_history

        # the fiscal year's months before --from lie within the eleven before it
        to_date = sales_history(db, first=start.shift(-11), last=start.shift(-1))
    result = resplit_file(
        targets_path, output, start, actuals=actuals, extra_actuals=to_date, lang=lang, today=today
    )
    stored = ""
    if db is not None:  # keep both versions in the store
        import_files("targets", [targets_path, result.output], db=db)
        stored = f"; versions {result.split.version.number - 1} and "
        stored += f"{result.split.version.number} kept in the store"
    v = result.split.version
    click.echo(
        f"version {v.number} of {result.split.settings.year}, re-spread from {start}{stored}"
    )
    _notes(result)
    click.echo(f"targets written to {result.output}")


@command.command("versions")
@click.option("--db", type=DB_URL, help="The store (default: salesxl.db or SALESXL_DB).")
@click.option("--year", type=int, help="Only this fiscal year.")
def versions(db: str | None, year: int | None) -> None:
    """List the targets versions kept in the store, and the months each is in force for.

    \b
    Example:
      salesxl targets versions --db salesxl.db --year 2027
    """
    # SQLAlchemy loads only for the command that reads the store
    from salesxl.store import target_version_list

    found = target_version_list(db, year)
    if not found and year is not None:
        years = sorted({v.year for v in target_version_list(db, None)})
        kept = f" (it has {', '.join(map(str, years))})" if years else ""
        click.echo(
            f"no targets versions of {year} in the store{kept}: "
            "`salesxl import targets targets.xlsx`"
        )
        return
    if not found:
        click.echo("no targets versions in the store yet: `salesxl import targets targets.xlsx`")
        return
    click.echo(f"{'year':<6}{'version':<9}{'date':<12}{'from':<9}{'imported':<18}file")
    for v in found:
        date = f"{v.version_date:%Y-%m-%d}" if v.version_date else "-"
        click.echo(
            f"{v.year:<6}{v.version:<9}{date:<12}{v.effective_from!s:<9}"
            f"{v.imported_at:%Y-%m-%d %H:%M}  {v.path}"
        )


@command.command("explain")
@click.argument(
    "targets_path",
    metavar="TARGETS",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.argument("unit")
@click.option("--product", help="One of the unit's products.")
def explain(targets_path: Path, unit: str, product: str | None) -> None:
    """Print how UNIT's figures in TARGETS came about.

    Its year (given, or its share of its parent and by which basis), method and
    profile, locks, ramp and active months, the Spring Festival decision, the
    backtest of method auto, and each month next to the exact share it was
    rounded from.

    \b
    Example:
      salesxl targets explain targets.xlsx S001
      salesxl targets explain targets.xlsx S001 --product 阿莫西林
    """
    click.echo(explain_file(targets_path, unit, product))


@command.command("template")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("targets_input.xlsx"),
    show_default=True,
    help="The targets input workbook to write (an existing one filled in is not replaced).",
)
@LABELS_LANG
def template(output: Path, lang: str) -> None:
    """Write an empty targets input workbook with drop-downs.

    \b
    Example:
      salesxl targets template -o targets_input.xlsx
    """
    write_blank(output, TARGETS_INPUT, lang=lang)
    click.echo(
        f"wrote {output}: fill 设置 Settings and 年度目标 Annual, then run "
        f"`salesxl targets split {output}`"
    )
