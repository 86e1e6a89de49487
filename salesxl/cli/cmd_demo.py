"""`salesxl demo`: a sample organisation, end to end, in one command.

The demo is a list of small steps; each prints what it did and where the
result is.  Later stages add a step each.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from salesxl.cli.params import DATE, FOLDER_OUT, MONTH
from salesxl.core.periods import Month, Week
from salesxl.core.text import plural
from salesxl.demo import DemoFiles, generate_demo
from salesxl.intake.collect import collect_files

__all__ = ["command"]


@dataclass(slots=True)
class DemoRun:
    files: DemoFiles
    out: Path
    results: dict[str, Any] = field(default_factory=dict)


def _say(title: str) -> None:
    click.echo(click.style(f"\n▶ {title}", bold=True))


def _check_mistakes(run: DemoRun, found_by: str, issues: list[Any]) -> None:
    """Each planted mistake this step finds, ticked when its issue codes were reported."""
    found = Counter(i.code.value for i in issues)
    for m in run.files.mistakes:
        if m.found_by != found_by:
            continue
        caught = all(found[c] for c in m.codes)
        mark = click.style("✓", fg="green") if caught else click.style("✗ missed", fg="red")
        click.echo(f"    {mark} {m.rep_id} {m.what} → {', '.join(m.codes)}")


def step_validate(run: DemoRun) -> None:
    # each step imports what it runs: the other commands and --help start faster
    from salesxl.intake.inbox import read_inbox

    _say("校验 Validate every rep file")
    inbox = read_inbox(
        [run.files.inbox], roster=run.files.roster, period=run.files.period, today=run.files.as_of
    )
    issues = inbox.issues
    counts = Counter(i.severity.value for i in issues)
    bad = {i.file for i in issues if i.is_error}
    click.echo(
        f"  {plural(len(inbox.files), 'file')} read: {len(inbox.files) - len(bad)} without "
        f"errors, {len(bad)} with errors ({plural(counts['error'], 'error')}, "
        f"{plural(counts['warning'], 'warning')})"
    )
    click.echo("  the planted mistakes, and what salesxl said:")
    _check_mistakes(run, "validate", issues)
    click.echo(
        f"  see every issue: salesxl validate {run.files.inbox} --period "
        f"{run.files.period} --roster {run.files.roster}"
    )
    run.results["validate"] = issues


def step_consolidate(run: DemoRun) -> None:
    # each step imports what it runs: the other commands and --help start faster
    from salesxl.cli.cmd_consolidate import echo_headline
    from salesxl.consolidate import consolidate_inbox
    from salesxl.consolidate.standing import RepStatus
    from salesxl.consolidate.workbook import write_summary

    _say("汇总 Consolidate the inbox into the manager's summary")
    targets = run.results.get("targets")
    summary = consolidate_inbox(
        [run.files.inbox],
        period=run.files.period,
        roster=run.files.roster,
        targets=targets,
        as_of=run.files.as_of,
        coming_due=True,  # the scorecards step makes its to-do lists from this summary
    )
    output = write_summary(summary, run.out / "summary.xlsx")
    echo_headline(summary, output)
    click.echo("  the planted mistake only consolidation sees (a form against the targets file):")
    _check_mistakes(run, "consolidate", summary.issues)
    moved_on = (RepStatus.JOINED, RepStatus.LEFT)
    moved = [r for r in summary.sheet("by_rep").records() if r["status"] in moved_on]
    if moved:
        click.echo(
            "  judged only on the workdays they were employed (no warning or rank after leaving):"
        )
    for rep in moved:
        click.echo(f"    {rep['rep_id']} {rep['name']}: {rep['note']}")
    run.results["summary"] = summary


def step_targets(run: DemoRun) -> None:
    # each step imports what it runs: the other commands and --help start faster
    from salesxl.targets import split_file

    _say("分解目标 Split the annual targets into exact monthly ones")
    result = split_file(run.files.targets_input, run.out / "targets.xlsx", roster=run.files.roster)
    s = result.split.settings
    company = result.split.plans[0]
    click.echo(
        f"  {plural(result.units, 'unit')} (company, regions, teams, reps), {s.year} by "
        f"{s.method} from three years of history, rounded to ¥{s.rounding}: "
        f"company ¥{result.split.money(company.annual):,}"
    )
    for warning in result.warnings:
        click.echo(f"  note: {warning}")
    click.echo(f"  targets written to {result.output}")
    run.results["targets"] = result.output


def step_forms(run: DemoRun) -> None:
    # each step imports what it runs: the other commands and --help start faster
    from salesxl.consolidate.prefill import weekly_prefill
    from salesxl.intake.files import load_forms
    from salesxl.intake.roster import read_roster
    from salesxl.targets import read_month_targets
    from salesxl.validate import ValidationContext
    from salesxl.write.issued import issue_forms, known_customers

    next_month = run.files.period.shift(1)
    _say(f"下发表单 Issue next month's ({next_month}) personalised forms")
    roster = read_roster(run.files.roster)
    targets = (
        read_month_targets(run.results["targets"], next_month)
        if next_month.year == run.files.period.year
        else None
    )
    folder = run.out / "forms"
    written = issue_forms(
        roster,
        next_month,
        folder,
        targets=targets,
        customers=known_customers([run.files.sales_records]),
        overwrite=True,  # the demo's own folder
    )
    click.echo(
        f"  {plural(len(written), 'form')} (daily report with its 日清 dates, a weekly plan for "
        f"every week, monthly plan per active rep) in {folder}/, targets and customers filled in"
    )
    # This week's plans, filled in from what the reps wrote last week.
    week = Week.of(run.files.as_of)
    files, _ = collect_files([run.files.inbox])
    prefill = weekly_prefill(load_forms(files, ValidationContext()), [week])
    plans = issue_forms(
        roster,
        None,
        folder / "this_week",
        weeks=[week],
        plan_rows={key: p.plan_rows for key, p in prefill.items()},
        last_week_rows={key: p.last_week_rows for key, p in prefill.items()},
        overwrite=True,
    )
    filled = sum(1 for p in prefill.values() if p.last_week is not None)
    click.echo(
        f"  {plural(len(plans), 'weekly plan')} for {week} in {folder / 'this_week'}/: {filled} with "
        "上周总结 Last week filled in from the daily reports, and the customers falling due "
        "under the 7-day rules put on the plan"
    )
    if plans:
        click.echo(f"    e.g. {plans[0]}")


def step_returns(run: DemoRun) -> None:
    # each step imports what it runs: the other commands and --help start faster
    from salesxl.write.returns import return_inbox

    _say("退回 Return the files with mistakes to their reps, marked")
    folder = run.out / "returns"
    shutil.rmtree(folder, ignore_errors=True)  # the demo's own folder: no copies of old runs
    result = return_inbox(
        [run.files.inbox],
        folder,
        period=run.files.period,
        roster=run.files.roster,
        today=run.files.as_of,
        warnings=True,
    )
    for f in result.files:
        what = f.copy if f.copy is not None else "cannot be opened: listed for the team leader"
        click.echo(
            f"  {f.rep_id or '?'} {plural(f.errors, 'error')}, {plural(f.warnings, 'warning')} "
            f"→ {what}"
        )
    click.echo(f"  return list 退回清单: {result.lists[0]} (and one per team)")
    click.echo(
        f"  try: salesxl return {run.files.inbox} --period {run.files.period} "
        f"--roster {run.files.roster} -o returns/"
    )
    run.results["returns"] = result


def step_scorecards(run: DemoRun) -> None:
    # each step imports what it runs: the other commands and --help start faster
    from salesxl.scorecards import WARNED, build_scorecards, write_scorecards

    _say("个人战报 A scorecard for every rep, from the same consolidation")
    folder = run.out / "scorecards"
    shutil.rmtree(folder, ignore_errors=True)  # the demo's own folder
    cards = build_scorecards(run.results["summary"])
    written = write_scorecards(cards, folder)
    warned = sum(1 for c in cards if c.warning in WARNED)
    due = sum(len(c.todo) for c in cards)
    click.echo(
        f"  {plural(len(written), 'scorecard')} in {folder}/ (by region and team): "
        f"{plural(warned, 'rep')} with a warning, {plural(due, 'customer')} due on their "
        "to-do lists"
    )
    if written:
        click.echo(f"    e.g. {written[0]}")


def step_store(run: DemoRun) -> None:
    # each step imports what it runs: the other commands and --help start faster
    from salesxl.cli.cmd_consolidate import echo_headline
    from salesxl.consolidate.from_store import consolidate_store
    from salesxl.consolidate.workbook import write_summary
    from salesxl.store import import_files

    _say("入库 Import everything into the store, twice")
    db = run.files.folder / "salesxl.db"
    for old in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        old.unlink(missing_ok=True)  # the demo's own database from an earlier run
    url = str(db)
    sources = [
        ("roster", [run.files.roster]),
        ("sales", [run.files.sales_records]),
        ("targets", [run.results["targets"]]),
    ]
    for kind, paths in sources:
        result = import_files(kind, paths, db=url)
        click.echo(f"  {kind:<8} {result.files[0].note}")
    first = import_files("reports", [run.files.inbox], db=url, backfill=True, skip_bad_rows=True)
    click.echo(
        f"  reports  {plural(first.rows, 'row'):>12} from {plural(len(first.files), 'file')}: "
        f"{first.count('imported')} imported, {first.count('blocked')} not imported "
        "(the store keeps why); rows with errors left out (--skip-bad-rows), "
        f"{sum(f.skipped_rows for f in first.files)} in all"
    )
    again = import_files("reports", [run.files.inbox], db=url, backfill=True, skip_bad_rows=True)
    click.echo(
        f"  the same inbox again: {again.count('unchanged')} of {plural(len(again.files), 'file')} "
        f"unchanged, {plural(again.rows, 'row')} written — importing twice changes nothing"
    )
    click.echo(
        "  the summary from the store (without the refused files and rows, so its amount "
        "can be lower):"
    )
    summary = consolidate_store(url, period=run.files.period, as_of=run.files.as_of)
    output = write_summary(summary, run.out / "summary_from_store.xlsx")
    echo_headline(summary, output)
    click.echo(
        f"  try: salesxl consolidate --db {db} --period {run.files.period} "
        f"--as-of {run.files.as_of} -o summary.xlsx"
    )


def step_manager(run: DemoRun) -> None:
    # each step imports what it runs: the other commands and --help start faster
    from salesxl.excel.builder import build_manager_workbook
    from salesxl.excel.vba.project import MissingExtraError

    _say("汇总工作簿 Build the manager's Excel workbook with its buttons")
    folder = run.files.folder
    out = run.out.relative_to(folder)
    values = {
        "inbox": "inbox",
        "period": str(run.files.period),
        "as_of": run.files.as_of,
        "roster": "roster.xlsx",
        "targets": f"{out}/targets.xlsx",
        "output": f"{out}/summary_from_excel.xlsx",
        "targets_input": "targets_input.xlsx",
        "returns": f"{out}/returns_from_excel",
    }
    try:
        path = build_manager_workbook(folder / "salesxl_manager.xlsm", values=values)
    except MissingExtraError as exc:
        click.echo(f"  skipped: {exc}")
        return
    click.echo(f"  {path}: settings filled in for this demo")
    click.echo("  open it in Excel (Windows or Mac), enable macros and click 汇总 Consolidate;")
    click.echo(
        "  first time: see docs/manager.md (Python interpreter on the xlwings.conf sheet, "
        "`xlwings runpython install` on a Mac)"
    )


STEPS: tuple[Callable[[DemoRun], None], ...] = (
    step_validate,
    step_targets,
    step_forms,
    step_consolidate,
    step_returns,
    step_scorecards,
    step_store,
    step_manager,
)


@click.command()
@click.option(
    "-o",
    "--output",
    "folder",
    type=FOLDER_OUT,
    default=Path("demo"),
    show_default=True,
    help="Folder for the sample organisation.",
)
@click.option(
    "--period",
    type=MONTH,
    default="2026-11",
    show_default=True,
    help="The month the reps report on.",
)
@click.option(
    "--as-of", type=DATE, default="2026-11-24", show_default=True, help="The demo's 'today'."
)
@click.option(
    "--seed",
    type=int,
    default=2026,
    show_default=True,
    help="Random seed: the same seed gives the same files.",
)
@click.option(
    "--reps", type=click.IntRange(6, 2000), default=30, show_default=True, help="Number of reps."
)
def command(folder: Path, period: Month, as_of: dt.date, seed: int, reps: int) -> None:
    """Generate a sample organisation and run the whole pipeline on it.

    Writes a roster of reps in 3 regions and 6 teams, three years of sales
    history, a targets input and an inbox of daily reports, weekly and monthly
    plans (a few with typical mistakes), then validates and consolidates them,
    returns the files with mistakes to their reps as marked copies, writes
    every rep's scorecard, imports everything into an SQLite store
    (demo/salesxl.db) and consolidates from it, and says where every output is.

    \b
    Example:
      salesxl demo
      salesxl demo -o /tmp/demo --reps 60 --seed 7
    """
    _say(f"生成 Generate a sample organisation in {folder}/")
    files = generate_demo(folder, period=period, as_of=as_of, seed=seed, reps=reps)
    click.echo(
        f"  roster 花名册:          {files.roster} ({plural(len(files.organisation.reps), 'rep')}, "
        f"3 regions, 6 teams)"
    )
    click.echo(
        f"  sales history 销售记录:  {files.sales_records} "
        f"({len(files.organisation.sales):,} ERP lines over three years)"
    )
    click.echo(f"  targets input 目标输入:  {files.targets_input}")
    read, _ = collect_files([files.inbox])  # counted as validate counts: the files it reads
    skipped = len(files.files) - len(read)
    click.echo(
        f"  inbox 收件箱:            {files.inbox}/ ({plural(len(read), 'file')}: daily reports, "
        f"weekly and monthly plans for {period}, as of {as_of}"
        + (f"; and {plural(skipped, 'Excel lock file')}, not read)" if skipped else ")")
    )
    out = folder / "output"
    out.mkdir(exist_ok=True)
    run = DemoRun(files, out)
    for step in STEPS:
        step(run)
    click.echo(
        click.style(f"\nDone. Outputs are in {out}/ — open summary.xlsx in Excel.", bold=True)
    )
