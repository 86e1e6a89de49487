"""Read a 工作日 Workdays sheet (its own file or the targets input) into the calendar."""

from __future__ import annotations

from pathlib import Path

from salesxl.core.calendar import Workdays
from salesxl.core.errors import SalesxlError
from salesxl.core.text import plural
from salesxl.forms import Role, TableKey
from salesxl.intake.files import load_form

__all__ = ["WorkdaysError", "read_workdays"]


class WorkdaysError(SalesxlError, ValueError):
    """A workdays file that cannot be used; the message lists its errors."""

    usage = True  # the workdays setting names a file that cannot be used


def read_workdays(path: Path) -> Workdays:
    """The calendar with the overrides of a workdays sheet (its own file or the targets input)."""
    data = load_form(Path(path))
    if TableKey.WORKDAYS not in data.tables:  # only the forms with a workdays table have one
        raise WorkdaysError(
            f"{path}：没有找到「工作日 Workdays」表（日期 Date | 类型 Type）",
            f"{path}: no 工作日 Workdays sheet (日期 Date | 类型 Type) found",
            setting="workdays",
        )
    errors = [i for i in data.issues if i.is_error]
    if errors:
        where_zh = "；".join(f"{i.sheet}!{i.cell}：{i.message_zh}" for i in errors[:5])
        where_en = "; ".join(f"{i.sheet}!{i.cell}: {i.message_en}" for i in errors[:5])
        raise WorkdaysError(
            f"{path}：有 {len(errors)} 个错误，例如 {where_zh}",
            f"{path}: {plural(len(errors), 'error')}, e.g. {where_en}",
            setting="workdays",
        )
    rows = data.records(TableKey.WORKDAYS)
    return Workdays.from_rows((r[Role.DATE], r[Role.DAY_TYPE]) for r in rows)
