"""`salesxl consolidate`: every rep's forms into the manager's summary workbook."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from salesxl.cli.output import printable, progress
from salesxl.cli.params import COUNT, DATE, DB_URL, MONTH
from salesxl.consolidate import Summary, Thresholds, check_as_of, consolidate_inbox
from salesxl.consolidate.lists import DEFAULT_LIST_LIMIT, overview_notes
from salesxl.consolidate.workbook import write_summary
from salesxl.core.issues import Code
from salesxl.core.perf import ending_soon, keep_to_exit
from salesxl.core.periods import Month
from salesxl.core.text import plural
from salesxl.read.marks import Written
from salesxl.write.xlsx import check_output

__all__ = ["command", "echo_headline"]


def echo_headline(summary: Summary, output: Path, lang: str = "zh") -> None:
    """The numbers a manager looks at first, and where the workbook is.

    `zh` (the default) labels them in Chinese and English, `en` in English only.
    """
    h = summary.headline
    zh = lang == "zh"
    target = f"¥{h.target:,.0f}" if h.target is not None else "no targets given"
    if h.month_target is not None and h.target is not None and h.month_target != h.target:
        target += f" (pro-rated from ¥{h.month_target:,.0f} for reps who joined or left)"
    if h.targets_from == "forms":
        target += " from the forms' 月度目标" if zh else " from the forms' month targets"
    completion = f"{h.completion:.1%}" if h.completion is not None else "-"
    pace = f"{h.pace:.2f}" if h.pace is not None else "-"
    warnings = summary.sheet("by_rep").column("warning")
    levels = [row[warnings] for row in summary.sheet("by_rep").rows]
    oral, written = levels.count("oral"), levels.count("written")
    click.echo(
        f"{h.period} as of {h.as_of}: {plural(h.reps, 'rep')}, amount ¥{h.amount:,.0f}, "
        f"target {target}, completion {completion}, pace {pace}"
    )
    if zh:
        click.echo(
            f"  warnings 预警: {oral} oral 口头, {written} written 书面; reports: {h.late} "
            f"late 迟交, {h.missing} missing 缺交; issues: {plural(h.errors, 'error')}, "
            f"{plural(h.warnings, 'warning')}"
        )
    else:
        click.echo(
            f"  warnings: {oral} oral, {written} written; reports: {h.late} late, "
            f"{h.missing} missing; issues: {plural(h.errors, 'error')}, "
            f"{plural(h.warnings, 'warning')}"
        )
    for zh_note, en_note in overview_notes(summary.shortened):  # as the Overview says it
        if zh:
            click.echo(f"  {zh_note}")
        click.echo(f"  {en_note}")
    for issue in summary.issues:  # an empty inbox is not a quiet "0 reps"
        if issue.code is Code.NO_FORMS:
            click.echo(
                f"  warning 警告: {issue.message_zh}" if zh else f"  warning: {issue.message_en}"
            )
            if zh:
                click.echo(f"  {issue.message_en}")
    click.echo(f"  summary written to {printable(str(output))}")


@click.command()
@click.argument("inbox", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--period", type=MONTH, required=True, help="The month to consolidate, e.g. 2026-11.")
@click.option(
    "--db",
    type=DB_URL,
    help="Consolidate what `salesxl import` put in this store "
    "(an SQLite file or postgresql://…) instead of reading INBOX.",
)
@click.option(
    "--roster",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Roster 花名册: the reps expected to report (else the store's roster, "
    "else taken from the forms); with --db its hire and leave dates also judge the stored "
    "rows (before_hire_date, after_leave_date).",
)
@click.option(
    "--targets",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="targets.xlsx from `salesxl targets split` (month target per rep; else the "
    "store's targets).",
)
@click.option(
    "--as-of", type=DATE, help="The day to judge month-to-date and lateness at (default: today)."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),  # with --split-by, a folder
    default=Path("summary.xlsx"),
    show_default=True,
    help="The summary workbook (.xlsx). An existing file is replaced only if salesxl "
    "wrote it as a summary.",
)
@click.option("--details", is_flag=True, help="Add the 明细 Details sheet with every row.")
@click.option(
    "--list-limit",
    type=COUNT,
    metavar="N",
    default=DEFAULT_LIST_LIMIT,
    show_default=True,
    help="Entries per rep on the 客户 Customers sheet and per file on 问题 Issues (the most "
    "urgent); "
    "the Overview says when a list was shortened. 0, or --details: every entry.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Exit 1 when any file has an error, or when no rep form was found.",
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default="zh",
    show_default=True,
    help="zh: Chinese labels with English under them; en: English only (workbook and "
    "the lines printed here).",
)
@click.option(
    "--oral",
    type=click.FloatRange(0, 10),
    default=0.8,
    show_default=True,
    help="Pace index below this gets 口头预警 an oral warning.",
)
@click.option(
    "--written",
    type=click.FloatRange(0, 10),
    default=0.6,
    show_default=True,
    help="Pace index below this gets 书面预警 a written warning.",
)
@click.option(
    "--workdays",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A 工作日 Workdays sheet overriding the China holiday calendar (needed for "
    "years the built-in calendar does not cover).",
)
@click.option(
    "--split-by",
    type=click.Choice(["team", "region"]),
    help="Also write a pack per team or region for its leader: only their reps, their "
    "totals, the company rank as context. -o then names a folder (default packs/).",
)
@click.option(
    "--password-from",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="With --split-by: a text file of `team,password` lines (or `region,password`); "
    "each pack gets its leader's open password.",
)
@click.option(
    "--ignore-saved-times",
    is_flag=True,
    help="Judge lateness by each file's own time only, not by the save time recorded inside "
    "it (a courtesy for e-mailed files, which anyone can set).",
)
@click.option("--workers", type=click.IntRange(min=1), help="Processes to read with.")
def command(
    inbox: tuple[Path, ...],
    period: Month,
    db: str | None,
    roster: Path | None,
    targets: Path | None,
    as_of: dt.date | None,
    output: Path,
    details: bool,
    list_limit: int,
    strict: bool,
    lang: str,
    oral: float,
    written: float,
    workdays: Path | None,
    split_by: str | None,
    password_from: Path | None,
    ignore_saved_times: bool,
    workers: int | None,
) -> None:
    """Consolidate every rep's forms under INBOX (or in the store) into a summary workbook.

    Reads folders recursively, validates every file, and writes the sheets README.md
    lists under "For managers": overview with charts, by rep / team / region with warning
    levels, funnel, plan vs actual, day close, customers, submissions and issues.
    Errors in files are listed in the workbook; the command exits 0 unless
    --strict is given and some file has an error. With --db the forms, roster,
    targets and arrival times come from the store (`salesxl import`), so late
    reports are judged by when they first arrived, and customers are followed
    across months.

    The 客户 Customers sheet shows per rep, and 问题 Issues per file, the
    --list-limit most urgent entries (conflicts, then the longest overdue
    lapses; errors first) and the
    rep's (file's) total (a pack: its own reps'); the Overview says which lists
    were shortened. --details writes every entry.

    Reps who join or leave during the month (roster hire and leave dates) are
    judged on the workdays they were employed: the month target is pro-rated,
    a leaver gets no warning or rank after leaving; reps without a report are
    not ranked. A daily report row dated before the hire date or after the
    leave date is a warning at its cell and still counts (with --db, judged
    again against the roster in use: the store's current one, or --roster,
    so a corrected leave date takes the warning back). Without
    --targets (or a store's targets) the forms' month targets are used; with
    them, a form that states another target is a warning.

    With --split-by team (or region) the summary goes into the -o folder with
    one pack per team (region): the same sheets with only its reps, and a
    one-line headline per leader for the group chat (printed, and saved as
    headlines.txt). --password-from gives each pack its leader's password.

    \b
    Example:
      salesxl consolidate inbox/ --period 2026-11 --roster roster.xlsx \\
          --targets targets.xlsx -o summary.xlsx
      salesxl consolidate --db salesxl.db --period 2026-11 -o summary.xlsx
      salesxl consolidate inbox/ --period 2026-11 --list-limit 50 -o summary.xlsx
      salesxl consolidate --db salesxl.db --period 2026-11 --split-by team \\
          --password-from passwords.txt -o packs/
    """
    if bool(inbox) == bool(db):
        raise click.UsageError(
            "give either INBOX folders or --db (the store), not " + ("both" if inbox else "neither")
        )
    check_as_of(period, as_of or dt.date.today())
    try:
        thresholds = Thresholds(oral=oral, written=written)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--oral/--written") from None
    folder, passwords = None, None
    if split_by:
        folder, output, passwords = _packs_setup(output, password_from)
    elif password_from is not None:
        raise click.UsageError("--password-from protects the packs: give --split-by too")
    # What the command reads must never be what it writes; a locked, impossible or foreign
    # output is said before the folder is read, not after.
    inputs = [
        p
        for p in (*inbox, roster, targets, workdays, password_from)
        if p is not None and p.is_file()
    ]
    check_output(output, "汇总文件", written=Written.SUMMARY, inputs=inputs)
    # What consolidation builds is held to the end, not freed one by one; not when the Details
    # rows or the packs are written after it, into the memory it frees.
    if not details and not split_by:
        ending_soon()
    if db:
        # SQLAlchemy only when the store is used: a folder's run starts faster
        from salesxl.consolidate.from_store import consolidate_store

        summary = consolidate_store(
            db,
            period=period,
            roster=roster,
            targets=targets,
            as_of=as_of,
            thresholds=thresholds,
            details=details,
            workdays=workdays,
        )
    else:
        summary = consolidate_inbox(
            list(inbox),
            period=period,
            roster=roster,
            targets=targets,
            as_of=as_of,
            thresholds=thresholds,
            workers=workers,
            progress=lambda n: progress(n, "Reading"),
            details=details,
            workdays=workdays,
            saved_times=not ignore_saved_times,
        )
    if split_by and passwords is not None:  # a pack without a password: before writing anything
        _check_passwords(summary, split_by, passwords)
    write_summary(summary, output, lang=lang, details=details, inputs=inputs, list_limit=list_limit)
    echo_headline(summary, output, lang)
    keep_to_exit(summary)  # a cold-calling month's million objects: not freed one by one
    if split_by and folder is not None:
        _write_packs(summary, folder, split_by, lang, details, passwords, list_limit)
    if strict and (summary.headline.errors or any(i.code is Code.NO_FORMS for i in summary.issues)):
        raise SystemExit(1)


def _packs_setup(
    output: Path, password_from: Path | None
) -> tuple[Path, Path, dict[str, str] | None]:
    """The packs' folder (-o, default packs/), the summary inside it, the passwords."""
    # the packs module loads the encryption library: only when packs are asked for
    from salesxl.consolidate.packs import make_folder, read_passwords

    source = click.get_current_context().get_parameter_source("output")
    folder = Path("packs") if source is click.core.ParameterSource.DEFAULT else output
    if folder.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        raise click.BadParameter(
            f"with --split-by, -o names a folder for the summary and the packs, not {folder.name}",
            param_hint="-o",
        )
    passwords = read_passwords(password_from) if password_from is not None else None
    make_folder(folder)
    return folder, folder / "summary.xlsx", passwords


def _check_passwords(summary: Summary, split_by: str, passwords: dict[str, str]) -> None:
    # the packs module loads the encryption library: only when packs are asked for
    from salesxl.consolidate.packs import check_passwords, pack_groups, unknown_names

    if summary.results is None:
        return
    groups = pack_groups(summary.results, split_by)
    check_passwords(groups, passwords)
    for name in unknown_names(passwords, groups):
        click.echo(f"  note: the passwords file names {name}, which has no pack", err=True)


def _write_packs(
    summary: Summary,
    folder: Path,
    split_by: str,
    lang: str,
    details: bool,
    passwords: dict[str, str] | None,
    list_limit: int,
) -> None:
    # the packs module loads the encryption library: only when packs are asked for
    from salesxl.consolidate.packs import write_packs

    packs = write_packs(
        summary,
        folder,
        split_by=split_by,
        lang=lang,
        details=details,
        passwords=passwords,
        list_limit=list_limit,
    )
    lines = [p.headline for p in packs]
    (folder / "headlines.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    locked = sum(p.encrypted for p in packs)
    click.echo(
        f"  {plural(len(packs), 'pack')} by {split_by} in {folder}"
        + (f", {locked} with an open password" if locked else "")
        + "; headlines (also in headlines.txt):"
    )
    for line in lines:
        click.echo(f"    {line}")
