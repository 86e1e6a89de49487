"""Writing workbooks that Excel users trust: the quirks every salesxl writer shares.

Sheet titles Excel accepts, column widths that fit Chinese text, bold
frozen headers, text that looks like a formula kept as text, and atomic
saves: a workbook is written beside its target and moved into place only
when complete, so a crash or a locked file never leaves a half-written one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from salesxl.core.errors import SalesxlError

__all__ = [
    "FORMULA_PREFIXES",
    "OutputError",
    "atomic_output",
    "check_output",
    "display_width",
    "fit_width",
    "safe_sheet_title",
    "write_cell",
]

FORMULA_PREFIXES = ("=", "+", "-", "@")
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


class OutputError(SalesxlError):
    """The output file cannot be written; the message says why and what to do."""


def safe_sheet_title(title: str, taken: Sequence[str] = ()) -> str:
    """A sheet title Excel accepts: ≤ 31 characters, none of []:*?/\\, unique."""
    clean = _BAD_TITLE.sub("_", title).strip("'") or "Sheet"
    clean = clean[:31]
    lowered = {t.lower() for t in taken}
    candidate, n = clean, 2
    while candidate.lower() in lowered:
        suffix = f" ({n})"
        candidate = clean[: 31 - len(suffix)] + suffix
        n += 1
    return candidate


def display_width(value: Any) -> float:
    """Width in Excel character units: CJK and full-width characters count double."""
    if value is None:
        return 0
    if isinstance(value, float):
        text = f"{value:,.2f}"
    elif isinstance(value, (dt.date, dt.datetime)):
        text = "2026-11-03"
    else:
        text = str(value)
    longest = 0.0
    for line in text.split("\n"):
        width = 0.0
        for ch in line:
            width += 2 if unicodedata.east_asian_width(ch) in "WF" else 1.1
        longest = max(longest, width)
    return longest


def fit_width(values: Sequence[Any], *, minimum: float = 6, maximum: float = 60) -> float:
    """A column width that fits the widest of `values` (header included)."""
    try:  # a column repeats its few labels many times: each is measured once
        distinct: Iterable[Any] = {(v.__class__, v): v for v in values}.values()
    except TypeError:
        distinct = values
    widest = max((display_width(v) for v in distinct), default=0)
    return max(minimum, min(maximum, widest + 2))


def write_cell(ws: Any, row: int, col: int, value: Any, fmt: Any = None) -> None:
    """Write one value with xlsxwriter, never letting text become a formula.

    Text starting with = + - @ is written as a string (README.md "For managers": formula
    injection); dates as Excel dates; None as an empty (formatted) cell.
    """
    if value is None or (isinstance(value, float) and value != value):
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, (int, float)):
        ws.write_number(row, col, value, fmt)
    elif isinstance(value, dt.datetime):
        ws.write_datetime(row, col, value, fmt)
    elif isinstance(value, dt.date):
        ws.write_datetime(row, col, dt.datetime(value.year, value.month, value.day), fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def check_output(target: Path, what: str = "文件") -> Path:
    """Raise OutputError now if `target` cannot be written; returns its folder.

    `atomic_output` checks this again when it writes; a long job (consolidating
    a thousand files) calls it first, so a locked file is reported before the
    work rather than after it.  `what` names the file in the Chinese message
    (汇总文件, 目标文件).
    """
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(
            f"无法保存{what}：文件夹 {folder} 不存在（或不是文件夹）",
            f"{folder}: the output folder does not exist (or is not a folder)",
            hint_zh="请创建该文件夹，或另选保存位置",
            hint_en="create it or choose another output path",
            setting="output",
        )
    if target.is_dir():
        raise OutputError(
            f"无法保存{what}：{target} 是一个文件夹，不能被替换",
            f"{target} is a folder, so it cannot be replaced",
            hint_zh="请给出文件名，例如 summary.xlsx",
            hint_en="give a file name such as summary.xlsx",
            setting="output",
        )
    lock = folder / f"~${target.name}"
    if lock.exists():
        raise OutputError(
            f"无法保存{what}：{target} 正在 Excel 中打开（存在锁文件 {lock.name}），请关闭后重试",
            f"{target} is open in Excel (lock file {lock.name} exists); close it and run again",
        )
    if target.exists() and not os.access(target, os.W_OK):
        raise OutputError(
            f"无法保存{what}：{target} 是只读的或已被锁定",
            f"{target} is read-only or locked",
            hint_zh="请关闭它，或另选保存位置",
            hint_en="close it or choose another output path",
            setting="output",
        )
    return folder


@contextlib.contextmanager
def atomic_output(target: Path, what: str = "文件") -> Iterator[Path]:
    """Yield a temporary path beside `target`; replace `target` with it on success.

    A locked or open target (Excel holds a lock on Windows; a `~$` owner file
    sits beside it) raises OutputError and leaves the old file untouched.
    `what` names the file in the Chinese message (汇总文件, 目标文件).
    """
    target = Path(target)
    folder = check_output(target, what)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=target.suffix, dir=folder)
    os.close(fd)
    tmp = Path(tmp_name)
    # mkstemp makes the file private (0600); the output is an ordinary file: it keeps the
    # mode of the file it replaces, else gets the usual one (0666 less the umask).
    os.chmod(tmp, target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask())
    try:
        yield tmp
        try:
            os.replace(tmp, target)
        except PermissionError as exc:
            raise OutputError(
                f"无法保存{what}：{target} 正在被其他程序使用或已被锁定（{exc.strerror}），"
                "请关闭后重试",
                f"{target} is open in another program or locked ({exc.strerror}); "
                "close it and run again",
            ) from None
        except OSError as exc:
            raise OutputError(
                f"无法保存{what}：{target} 无法被替换（{exc.strerror}）",
                f"{target} cannot be replaced ({exc.strerror})",
                hint_zh="请另选保存位置",
                hint_en="choose another output path",
                setting="output",
            ) from None
    finally:
        if tmp.exists():
            tmp.unlink()
