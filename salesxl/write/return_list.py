"""退回清单 Return list: who gets a file back, how many problems, which file.

One workbook for all teams at the top of the returns folder, and one per
team in the team's folder for its leader, each line linking to the return
copy.  Files that could not be opened are on the list too, with what to ask
the rep for.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import xlsxwriter

from salesxl.core.text import plural
from salesxl.read.marks import Written
from salesxl.write.xlsx import atomic_output, fit_width, mark, write_cell

if TYPE_CHECKING:  # the entries are made by salesxl.write.returns, which imports this module
    from salesxl.write.returns import ReturnedFile

__all__ = ["HOW_LABELS", "write_return_lists"]

HOW_LABELS = {
    "marked": ("已在原文件上标注", "Marked in the rep's own workbook"),
    "values": (
        "已另存为数值副本（原格式未保留）",
        "A new workbook of its values (layout not kept)",
    ),
    "not_opened": (
        "文件无法打开：请销售员重新发送",
        "Cannot be opened: ask the rep to send it again",
    ),
}
_COLUMNS = (
    ("团队", "Team", 14),
    ("区域", "Region", 10),
    ("工号", "Rep ID", 10),
    ("销售员", "Rep", 12),
    ("错误", "Errors", 8),
    ("警告", "Warnings", 9),
    ("处理", "Done", 30),
    ("退回件", "Return copy", 40),
    ("原文件", "Original file", 40),
    ("主要问题", "Main problems", 70),
)


def write_return_lists(
    files: Sequence[ReturnedFile],
    folder: Path,
    today: dt.date,
    *,
    lang: str = "both",
    may_write: Callable[[Path], bool] | None = None,
) -> list[Path]:
    """The list of all teams (`退回清单_<date>.xlsx`) and one per team; returns the paths
    written.  `may_write(path)` is asked before each is written: False leaves the file
    there as it is (a list a leader saved notes into that cannot be moved aside)."""
    lists: list[tuple[Path, Sequence[ReturnedFile], str | None]] = [
        (folder / f"退回清单_{today:%Y-%m-%d}.xlsx", files, None)
    ]
    teams: dict[tuple[str | None, str | None], list[ReturnedFile]] = {}
    for f in files:
        if f.copy is not None or f.team:
            teams.setdefault((f.region, f.team), []).append(f)
    for (_region, team), members in sorted(
        teams.items(), key=lambda t: (t[0][0] or "", t[0][1] or "")
    ):
        place = members[0].copy.parent if members[0].copy is not None else None
        if place is not None:
            lists.append((place / f"退回清单_{place.name}_{today:%Y-%m-%d}.xlsx", members, team))
    return [
        _write(path, members, team, today, lang)
        for path, members, team in lists
        if may_write is None or may_write(path)
    ]


def _write(
    path: Path, files: Sequence[ReturnedFile], team: str | None, today: dt.date, lang: str
) -> Path:
    zh, en = lang in ("both", "zh"), lang in ("both", "en")
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_output(path, "退回清单", written=Written.RETURN_LIST) as tmp:
        wb = xlsxwriter.Workbook(
            str(tmp),
            {
                "in_memory": True,  # no temporary file per part: much faster on slow disks
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        wb.set_properties(
            {
                "title": "salesxl 退回清单 Return list",
                "created": dt.datetime.combine(today, dt.time()),
            }
        )
        mark(wb, Written.RETURN_LIST)
        font = {"font_name": "Microsoft YaHei", "font_size": 10, "valign": "top"}
        title = wb.add_format({**font, "bold": True, "font_size": 14})
        head = wb.add_format(
            {**font, "bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True}
        )
        plain = wb.add_format({**font, "text_wrap": True})
        count = wb.add_format({**font, "num_format": "0"})
        link = wb.add_format({**font, "font_color": "blue", "underline": 1})
        bad = wb.add_format({**font, "bg_color": "#FFC7CE", "font_color": "#9C0006"})
        ws = wb.add_worksheet("退回清单 Return list" if zh else "Return list")
        heading = "退回清单 Return list" if zh and en else ("退回清单" if zh else "Return list")
        ws.write_string(
            0,
            0,
            f"{heading} — {team or ('全部团队 All teams' if zh else 'All teams')} — {today:%Y-%m-%d}",
            title,
        )
        errors = sum(f.errors for f in files)
        summary_zh = f"{len(files)} 个文件退回，共 {errors} 处错误"
        summary_en = (
            f"{plural(len(files), 'file')} {'goes' if len(files) == 1 else 'go'} back, "
            f"{plural(errors, 'error')} in all"
        )
        ws.write_string(
            1, 0, " / ".join(([summary_zh] if zh else []) + ([summary_en] if en else [])), plain
        )
        for c, (label_zh, label_en, width) in enumerate(_COLUMNS):
            text = f"{label_zh}\n{label_en}" if zh and en else (label_zh if zh else label_en)
            ws.write_string(3, c, text, head)
            ws.set_column(c, c, width)
        base = path.parent
        for r, f in enumerate(files, start=4):
            how_zh, how_en = HOW_LABELS[f.how]
            done = "\n".join(([how_zh] if zh else []) + ([how_en] if en else []))
            name = (f.rep_name or "") + (
                " （按文件名识别 from the file name）" if f.guessed else ""
            )
            problems = "\n".join(
                f"{i.sheet + '!' + i.cell + ' ' if i.sheet and i.cell else ''}"
                f"{i.message_zh if zh else i.message_en}"
                for i in f.problems[:3]
            ) + (f"\n… +{len(f.problems) - 3}" if len(f.problems) > 3 else "")
            values: list[Any] = [
                f.team,
                f.region,
                f.rep_id,
                name.strip() or None,
                f.errors,
                f.warnings,
                done,
            ]
            for c, value in enumerate(values):
                write_cell(ws, r, c, value, count if c in (4, 5) else plain)
            if f.how == "not_opened":
                ws.write_string(r, 6, done, bad)
            if f.copy is not None:
                shown = _relative(f.copy, base)
                ws.write_url(r, 7, "external:" + shown.replace("\\", "/"), link, string=shown)
            ws.write_string(r, 8, str(f.source), plain)
            ws.write_string(r, 9, problems, plain)
            ws.set_row(
                r,
                15
                * max(
                    2,
                    min(
                        6,
                        problems.count("\n") + 1,
                    ),
                )
                if problems
                else None,
            )
        if not files:
            ws.write_string(
                4, 0, "没有需要退回的文件 Nothing to return" if zh else "Nothing to return", plain
            )
        ws.set_column(9, 9, fit_width([_COLUMNS[9][1]], minimum=60, maximum=80))
        ws.freeze_panes(4, 4)
        if files:
            ws.autofilter(3, 0, 3 + len(files), len(_COLUMNS) - 1)
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(3)
        wb.close()
    return path


def _relative(path: Path, base: Path) -> str:
    try:
        return os.path.relpath(path, base)
    except ValueError:  # another drive on Windows
        return str(path)
