"""`salesxl validate`: check forms cell by cell and list every problem."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from salesxl.cli.output import SHOWN_PER_FILE, echo_issue_table, echo_json, progress
from salesxl.cli.params import DATE, PERIOD, foreign_file_options, parse_map
from salesxl.core.issues import issue_report
from salesxl.core.periods import Month, Week
from salesxl.core.text import plural
from salesxl.forms import FormId
from salesxl.intake.files import issues_only
from salesxl.intake.inbox import read_inbox
from salesxl.validate import FormData

__all__ = ["command"]


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--roster",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Roster 花名册: rep IDs are matched to it ignoring case, width and spaces (s020 is "
    "S020); IDs not in it are reported (unknown_rep), and so are daily report rows dated "
    "before the rep's hire date or after the leave date (before_hire_date, after_leave_date).",
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
    help="Language of the messages and counts in the text table.",
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
@click.option(
    "--strict",
    is_flag=True,
    help="Also exit 1 when no form file was found (errors always exit 1).",
)
@foreign_file_options
@click.option(
    "--all",
    "show_all",
    is_flag=True,
    help="List every issue in the text table (it shows the first 50 per file); "
    "JSON always holds every issue.",
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
    strict: bool,
    maps: tuple[str, ...],
    date_order: str | None,
    encoding: str | None,
    show_all: bool,
) -> None:
    """Check rep forms, rosters, sales records and target inputs, cell by cell.

    PATHS are files or folders (searched recursively; ~$ lock files, hidden
    files, pipes and salesxl's own summaries are skipped, each with an info
    line). A file too large, damaged or hostile is an issue on that file; the
    others are checked all the same. A targets input also gets the checks
    `targets split` makes (rounding unit, month weights). Exit code 0: no
    errors; 1: errors found (or, with --strict, no form file found); 2: usage
    error.

    \b
    Example:
      salesxl validate inbox/ --period 2026-11 --roster roster.xlsx
      salesxl validate 张伟_日报.xlsx --format json > report.json
      salesxl validate inbox/ --format json-list > issues.json
      salesxl validate SalesJan2009.csv --map amount=Price --map customer=Name --date-order mdy
    """
    if as_of and today and as_of != today:
        raise click.UsageError("give --as-of only (--today is its old name)")
    column_map = parse_map(maps)
    inbox = read_inbox(
        list(paths),
        roster=roster,
        period=period,
        today=as_of or today,
        workers=workers,
        progress=lambda n: progress(n, "Validating"),
        prepare=checked_then_dropped,
        column_map=column_map,
        date_order=date_order,
        encoding=encoding,
    )
    empty = inbox.no_forms()  # an empty folder is said, not a quiet "0 files checked"
    issues = inbox.issues + ([empty] if empty is not None else [])
    files = [str(f) for f in inbox.files]
    report = issue_report(issues, files)
    if fmt == "json":
        echo_json(report)
    elif fmt == "json-list":
        echo_json(report["issues"])
    else:
        echo_issue_table(issues, lang=lang, files=files, limit=None if show_all else SHOWN_PER_FILE)
        stats = report["stats"]
        checked, bad, counts = stats["files"], stats["files_with_errors"], stats["by_severity"]
        click.echo("")
        for line in summary_lines(checked, bad, counts, lang, skipped=len(inbox.notes)):
            click.echo(line)
    raise SystemExit(0 if report["valid"] and not (strict and empty is not None) else 1)


def checked_then_dropped(data: FormData) -> FormData:
    """Each file's reading step: a targets input also gets the split's checks (they need
    its rows), then the rows are dropped (validate only reports issues)."""
    if data.form_id == FormId.TARGETS_INPUT:
        # the targets package only for a targets input: validating a folder starts faster
        from salesxl.targets.checks import input_issues

        data.issues.extend(input_issues(data))
    return issues_only(data)


def summary_lines(
    files: int, bad: int, counts: dict[str, int], lang: str, *, skipped: int = 0
) -> list[str]:
    """The last line(s) of `salesxl validate`, in the language asked for.  `files` counts
    the files read; `skipped` the paths passed over (lock files, hidden files, files that
    are not spreadsheets), each of which has its info line above."""
    zh = (
        f"共检查 {files} 个文件：{files - bad} 个无错误，{bad} 个有错误"
        f"（错误 {counts['error']} 个，警告 {counts['warning']} 个，提示 {counts['info']} 个）"
    )
    en = (
        f"{plural(files, 'file')} checked: {files - bad} without errors, {bad} with errors "
        f"({plural(counts['error'], 'error')}, {plural(counts['warning'], 'warning')}, "
        f"{counts['info']} info)"
    )
    if skipped:  # not among the files checked: a lock file is not a form that was read
        zh += f"；另有 {skipped} 个未读取（锁定文件、隐藏文件等，见上方提示）"
        en += f"; {plural(skipped, 'path')} not read (lock files, hidden files…: see above)"
    return {"zh": [zh], "en": [en]}.get(lang, [zh, en])
