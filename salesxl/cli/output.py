"""Terminal output shared by the commands: progress bars, issue tables, printable text.

Everything printed from a file (its name, a cell's text in a message) goes
through `printable`: a name in no valid encoding is shown with U+FFFD, and a
control character is escaped, so a newline in a file name cannot forge an
extra line of the report.
"""

from __future__ import annotations

import contextlib
import json
import sys
import unicodedata
from collections.abc import Callable, Iterator, Sequence

import click

from salesxl.core.display import displayable, printable
from salesxl.core.issues import SEVERITY_LABELS, Issue, Severity, count_by_severity
from salesxl.core.text import plural

__all__ = ["SHOWN_PER_FILE", "echo_issue_table", "echo_json", "plural", "printable", "progress"]

SHOWN_PER_FILE = 50  # issues listed per file in text output (--all: every one; JSON: always all)

_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


@contextlib.contextmanager
def progress(total: int, label: str, *, minimum: int = 5) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr when it is a terminal and the work is long; silent otherwise."""
    if total < minimum or not sys.stderr.isatty():
        yield lambda n: None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield bar.update


def echo_issue_table(
    issues: Sequence[Issue],
    *,
    lang: str = "both",
    files: Sequence[str] = (),
    limit: int | None = SHOWN_PER_FILE,
) -> None:
    """Issues grouped by file: severity, place, code, column, message.

    At most `limit` issues per file are listed (None: all), then how many more there are."""
    by_file: dict[str, list[Issue]] = {}
    for issue in issues:  # not groupby: a file's issues need not be next to each other
        by_file.setdefault(issue.file, []).append(issue)
    for name in dict.fromkeys([*files, *by_file]):
        found = by_file.get(name, [])
        counts = count_by_severity(found)
        status = (
            click.style("ok" if lang != "zh" else "无问题", fg="green")
            if not found
            else ", ".join(
                click.style(_count(Severity(sev), n, lang), fg=_COLOURS[Severity(sev)])
                for sev, n in counts.items()
                if n
            )
        )
        click.echo(f"{click.style(printable(name), bold=True)}  {status}")
        shown = found if limit is None else found[:limit]
        for issue in shown:
            where = (
                f"{issue.sheet}!{issue.cell}"
                if issue.sheet and issue.cell
                else (issue.sheet or "-")
            )
            head = (
                f"  {click.style(issue.severity.value.ljust(7), fg=_COLOURS[issue.severity])} "
                f"{_pad(printable(where), 22)} {issue.code.value:<22} "
                f"{printable(issue.column or '')}"
            )
            click.echo(head.rstrip())
            if lang in ("zh", "both"):
                click.echo(f"      {printable(issue.message_zh)}")
            if lang in ("en", "both"):
                click.echo(f"      {printable(issue.message_en)}")
        if len(found) > len(shown):
            more = len(found) - len(shown)
            click.echo(
                f"  … 另有 {more:,} 个问题未列出 / {more:,} more issues not shown "
                "(--all lists every one; --format json has them all)"
            )


def echo_json(value: object) -> None:
    """JSON on stdout: JSON escapes control characters itself; a file name in no valid
    encoding is shown with U+FFFD (its bytes cannot be printed as they are)."""
    click.echo(displayable(json.dumps(value, ensure_ascii=False, indent=2)))


def _count(severity: Severity, n: int, lang: str) -> str:
    """`2 errors`, `1 warning`, `3 info` (zh: `2 个错误`)."""
    if lang == "zh":
        return f"{n} 个{SEVERITY_LABELS[severity][0]}"
    if severity is Severity.INFO:
        return f"{n} info"
    return plural(n, severity.value)


def _pad(text: str, width: int) -> str:
    """Left-justify for a terminal, where Chinese characters take two columns."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, width - used)
