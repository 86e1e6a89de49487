"""`salesxl validate`: check forms cell by cell and list every problem."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from salesxl.cli.output import echo_issue_table, echo_json, printable, progress
from salesxl.cli.params import DATE, PERIOD
from salesxl.core.issues import issue_report
from salesxl.core.periods import Month, Week
from salesxl.intake.files import issues_only
from salesxl.intake.inbox import read_inbox

__all__ = ["command"]


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--roster",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Roster 花名册; rep IDs not in it are reported (unknown_rep).",
)
@click.option("--period", type=PERIOD, help="Expected month (2026-11) or week (2026-W48).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "json-list"]),
    default="text",
    show_default=True,
    help="A readable table; a JSON report {valid, stats, issues}; or the bare JSON list of "
    "issues (json-list). Codes are explained in docs/issues.md.",
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en", "both"]),
    default="both",
    show_default=True,
    help="Language of the messages in the text table.",
)
@click.option(
    "--as-of", type=DATE, help="The day to judge at (default: today): later dates are future_date."
)
# The option's name before `consolidate --as-of` and this one were made one: kept for scripts.
@click.option("--today", type=DATE, hidden=True, deprecated="Use --as-of.")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Processes to read with (default: all cores when there are many files).",
)
def command(
    paths: tuple[Path, ...],
    roster: Path | None,
    period: Month | Week | None,
    fmt: str,
    lang: str,
    as_of: dt.date | None,
    today: dt.date | None,
    workers: int | None,
) -> None:
    """Check rep forms, rosters, sales records and target inputs, cell by cell.

    PATHS are files or folders (searched recursively; ~$ lock files, hidden
    files, pipes and salesxl's own summaries are skipped, each with an info
    line). A file too large, damaged or hostile is an issue on that file; the
    others are checked all the same. Exit code 0: no errors; 1: errors found;
    2: usage error.

    \b
    Example:
      salesxl validate inbox/ --period 2026-11 --roster roster.xlsx
      salesxl validate 张伟_日报.xlsx --format json > report.json
      salesxl validate inbox/ --format json-list > issues.json
    """
    if as_of and today and as_of != today:
        raise click.UsageError("give --as-of only (--today is its old name)")
    inbox = read_inbox(
        list(paths),
        roster=roster,
        period=period,
        today=as_of or today,
        workers=workers,
        progress=lambda n: progress(n, "Validating"),
        prepare=issues_only,
    )
    issues = inbox.issues
    if not inbox.files:
        click.echo(
            "No spreadsheet files (.xlsx .xlsm .xls .csv) found in "
            f"{printable(', '.join(map(str, paths)))}; lock (~$) and hidden files are skipped.",
            err=True,
        )
    files = [str(f) for f in inbox.files]
    report = issue_report(issues, files)
    if fmt == "json":
        echo_json(report)
    elif fmt == "json-list":
        echo_json(report["issues"])
    else:
        echo_issue_table(issues, lang=lang, files=files)
        stats = report["stats"]
        checked, bad, counts = stats["files"], stats["files_with_errors"], stats["by_severity"]
        click.echo(
            f"\n{checked} files checked: {checked - bad} without errors, "
            f"{bad} with errors ({counts['error']} errors, {counts['warning']} warnings, "
            f"{counts['info']} info)"
        )
    raise SystemExit(0 if report["valid"] else 1)
