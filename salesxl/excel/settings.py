"""The manager workbook's settings and result tables, independent of Excel.

The workbook's `设置 Settings` sheet is label/value pairs; `read_settings`
turns them into checked settings or a list of bilingual problems.  The Excel
adapter (salesxl.excel) only moves values between Excel and these functions.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from salesxl.consolidate import SheetData, Summary, Thresholds
from salesxl.consolidate.model import Translated
from salesxl.consolidate.workbook import CODE_LABELS, COLOURED, NUMBER_FORMATS
from salesxl.core.errors import SalesxlError
from salesxl.core.periods import Month
from salesxl.forms import parse_column_map
from salesxl.read.values import norm_label, parse_date, parse_number

__all__ = [
    "RESULT_SHEETS",
    "SETTINGS",
    "SETTINGS_SHEET",
    "SETTINGS_TOP",
    "XLWINGS_SHEET",
    "Grid",
    "ManagerSettings",
    "Setting",
    "SettingsError",
    "excel_text",
    "headline_text",
    "hyperlink",
    "read_settings",
    "setting_key",
    "sheet_grid",
    "value_problems",
]

SETTINGS_SHEET = "设置 Settings"
SETTINGS_TOP = 5  # the first setting's row (0-based; the column headings are one row above)
XLWINGS_SHEET = "xlwings.conf"  # read by the embedded xlwings module; the name is fixed
OVERVIEW_SHEET, BY_REP_SHEET, ISSUES_SHEET = "总览 Overview", "销售员 By rep", "问题 Issues"
CHASE_SHEET = "催交 Chase"
# The sheets the buttons fill, with what they show before the first click.
RESULT_SHEETS = {
    OVERVIEW_SHEET: "点击「汇总 Consolidate」后，总览显示在这里。The overview appears here after "
    "Consolidate.",
    BY_REP_SHEET: "点击「汇总 Consolidate」后，每位销售员的指标和预警显示在这里。Each rep's KPIs and "
    "warning appear here after Consolidate.",
    ISSUES_SHEET: "点击「校验 Validate」或「汇总 Consolidate」后，表单问题显示在这里。Problems in the "
    "forms appear here after Validate or Consolidate.",
    CHASE_SHEET: "点击「汇总 Consolidate」后，谁欠交哪些报表、可直接粘贴到群里的催交消息显示在这里。"
    "Who owes which reports, with the message to paste into the group, appears here after "
    "Consolidate.",
}
YES = ("是", "yes", "y", "true", "1", "✓", "√", "开", "on")
NO = ("否", "no", "n", "false", "0", "关", "off")
SPLIT_BY = {"team": "team", "团队": "team", "组": "team", "region": "region", "区域": "region"}
FORMULA_STARTS = ("=", "+", "-", "@")


@dataclass(frozen=True, slots=True)
class Setting:
    key: str
    zh: str
    en: str
    default: Any
    help_zh: str
    help_en: str

    @property
    def label(self) -> str:
        return f"{self.zh} {self.en}"


SETTINGS = (
    Setting(
        "inbox",
        "收件箱",
        "Inbox folder",
        "inbox",
        "销售员表单所在文件夹（含子文件夹）",
        "Folder with the reps' forms (searched with its subfolders)",
    ),
    Setting(
        "period",
        "期间",
        "Period",
        "",
        "要汇总的月份，如 2026-11；留空表示本月",
        "The month to consolidate, e.g. 2026-11; empty: this month",
    ),
    Setting("as_of", "截至日期", "As of", "", "留空表示今天", "Leave empty for today"),
    Setting(
        "roster",
        "花名册",
        "Roster",
        "",
        "花名册文件（可留空：销售员取自表单）",
        "The roster workbook (empty: reps come from the forms)",
    ),
    Setting(
        "targets",
        "目标",
        "Targets",
        "",
        "目标文件：汇总时读取（可留空）；「分解目标」保存到此文件",
        "Targets workbook: read by Consolidate (may be empty); written by Split targets",
    ),
    Setting(
        "output",
        "输出文件",
        "Output file",
        "summary.xlsx",
        "汇总结果保存到此文件",
        "Where the full summary is saved",
    ),
    Setting(
        "database",
        "数据库",
        "Database URL",
        "",
        "留空：直接读取收件箱；填写则从数据库汇总",
        "Empty: read the inbox; filled: consolidate from the store",
    ),
    Setting(
        "oral",
        "口头预警",
        "Oral warning below",
        0.8,
        "进度指数低于此值口头预警",
        "Pace index below this: oral warning",
    ),
    Setting(
        "written",
        "书面预警",
        "Written warning below",
        0.6,
        "进度指数低于此值书面预警",
        "Pace index below this: written warning",
    ),
    Setting(
        "targets_input",
        "目标输入",
        "Targets input",
        "targets_input.xlsx",
        "分解目标按钮读取的文件",
        "What the Split targets button reads",
    ),
    Setting(
        "returns",
        "退回文件夹",
        "Returns folder",
        "returns",
        "「退回」按钮把退回件和退回清单存到此文件夹（不要放在收件箱里）",
        "Where the Return button puts the return copies and lists (not inside the inbox)",
    ),
    Setting(
        "chase",
        "催交名单",
        "Chase list",
        "是 yes",
        "是：汇总时把谁欠交哪些报表（含可粘贴到群里的消息）写入「催交 Chase」表；否：不写",
        "yes: Consolidate lists who owes which reports (with the message to paste) in the "
        "Chase sheet; no: it does not",
    ),
    Setting(
        "split_by",
        "分包",
        "Split by",
        "",
        "团队 team 或 区域 region：汇总时为每位主管另存一份只含其销售员的分包，"
        "存入输出文件旁的 packs 文件夹；留空不分包",
        "team or region: Consolidate also saves one pack per leader with only their reps, "
        "in a packs folder beside the output file; empty: no packs",
    ),
    Setting(
        "passwords",
        "分包密码",
        "Pack passwords",
        "",
        "可留空；文本文件，每行「团队,密码」（或「区域,密码」），每份分包设打开密码",
        "May be empty; a text file of team,password lines (or region,password): each pack "
        "gets its leader's open password",
    ),
    Setting(
        "column_map",
        "列映射",
        "Column mapping",
        "",
        "其他系统导出文件的列名对应，如 amount=Price; customer=Name（同 --map）",
        "Columns of other systems' exports, e.g. amount=Price; customer=Name (as --map)",
    ),
)


class SettingsError(SalesxlError):
    """Settings that cannot be used, all at once: each problem in Chinese and English."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__(
            "设置有误，请修改「设置 Settings」表：\n" + "\n".join(f"• {zh}" for zh, _ in problems),
            "The settings need fixing:\n" + "\n".join(f"• {en}" for _, en in problems),
        )
        self.problems = problems


@dataclass(frozen=True, slots=True)
class ManagerSettings:
    inbox: Path
    period: Month
    as_of: dt.date | None
    roster: Path | None
    targets: Path | None
    output: Path
    database: str | None
    thresholds: Thresholds
    targets_input: Path | None
    folder: Path = field(default=Path("."))
    returns: Path = field(default=Path("returns"))
    column_map: dict[str, str] | None = None  # field key -> header (as `--map`)
    chase: bool = True  # the Chase sheet filled by Consolidate
    split_by: str | None = None  # team | region: packs beside the output
    passwords: Path | None = None  # the packs' open passwords

    @property
    def packs(self) -> Path:
        """Where Consolidate saves the packs: a `packs` folder beside the output file."""
        return self.output.parent / "packs"


_SETTING = {s.key: s for s in SETTINGS}
_PATHS = ("inbox", "roster", "targets", "output", "targets_input", "returns", "passwords")


_LABELS = {norm_label(label): s.key for s in SETTINGS for label in (s.zh, s.en, s.label, s.key)}


def setting_key(label: Any) -> str | None:
    """The setting a Settings sheet label names (Chinese, English or both), or None."""
    return _LABELS.get(norm_label(label)) if isinstance(label, str) else None


def _by_label(pairs: dict[Any, Any]) -> dict[str, Any]:
    """Setting key -> value, matching labels in Chinese, English or both."""
    out: dict[str, Any] = {}
    for label, value in pairs.items():
        key = setting_key(label)
        if key is not None and key not in out:
            out[key] = value.strip() if isinstance(value, str) else value
    return out


def read_settings(
    pairs: dict[Any, Any],
    folder: Path,
    *,
    need: tuple[str, ...] = ("inbox",),
    outputs: tuple[str, ...] = (),
    store_ok: bool = False,
) -> ManagerSettings:
    """Check the Settings sheet's label/value pairs; relative paths start at `folder`.

    Keys in `need` must be filled in; every path given must exist, except the
    output file and the `outputs`, whose folders must.  With `store_ok`, a
    filled-in database stands in for the inbox.  All problems are reported at once.
    """
    values = _by_label(pairs)
    judges_a_month = "inbox" in need  # Consolidate and Validate judge the period at as-of
    outputs = ("output", "returns", *outputs)  # written, so they need not exist yet
    problems: list[tuple[str, str]] = []
    database = _database(values.get("database"), folder, problems)
    if store_ok and database:
        need = tuple(k for k in need if k != "inbox")

    def path(key: str) -> Path | None:
        s = _SETTING[key]
        raw = values.get(key)
        if raw in (None, ""):
            if key in need:
                problems.append((f"请填写「{s.zh}」。", f"Fill in '{s.en}'."))
            return None
        p = Path(str(raw)).expanduser()
        p = p if p.is_absolute() else folder / p
        if key in outputs:
            if not p.parent.is_dir():
                problems.append(
                    (
                        f"{s.zh}「{raw}」所在的文件夹不存在（{p.parent}）。",
                        f"{s.en} '{raw}': its folder does not exist ({p.parent}).",
                    )
                )
                return None
        elif not p.exists():
            problems.append(
                (
                    f"{s.zh}「{raw}」不存在（{p}）。请检查路径。",
                    f"{s.en} '{raw}' does not exist ({p}). Check the path.",
                )
            )
            return None
        elif p.is_dir() != (key == "inbox"):
            zh, en = ("文件夹", "a folder") if key == "inbox" else ("文件", "a file")
            problems.append((f"{s.zh}「{raw}」应该是{zh}。", f"{s.en} '{raw}' should be {en}."))
            return None
        return p

    found = {key: path(key) for key in _PATHS}
    as_of, period = _dates(values, problems, judge=judges_a_month, judge_today=judges_a_month)
    thresholds = _thresholds(values, problems)
    column_map = _column_map(values.get("column_map"), problems)
    chase = _yes_no(values.get("chase"), problems)
    split_by = _split_by(values.get("split_by"), problems)
    if found["passwords"] is not None and split_by is None and not problems:
        problems.append(
            (
                "填写了「分包密码」却没有填写「分包」：请填写 团队 team 或 区域 region，或清空分包密码。",
                "'Pack passwords' is filled but 'Split by' is not: write team or region there, "
                "or empty 'Pack passwords'.",
            )
        )
    if problems:
        raise SettingsError(problems)
    return ManagerSettings(
        inbox=found["inbox"] or folder,
        period=period,
        as_of=as_of,
        roster=found["roster"],
        targets=found["targets"],
        output=found["output"] or folder / "summary.xlsx",
        database=database,
        thresholds=thresholds,
        targets_input=found["targets_input"],
        folder=folder,
        returns=found["returns"] or folder / "returns",
        column_map=column_map,
        chase=chase,
        split_by=split_by,
        passwords=found["passwords"],
    )


def value_problems(values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """What `read_settings` will say of these values' form (Chinese, English): dates,
    thresholds, yes/no, split by, column mapping, the database URL.  The files and
    folders they name are not looked at: the workbook may be used on another computer.
    An as-of date before the period is a problem only when both are given."""
    problems: list[tuple[str, str]] = []
    _dates(values, problems, judge=True, judge_today=False)
    _thresholds(values, problems)
    _column_map(values.get("column_map"), problems)
    _yes_no(values.get("chase"), problems)
    _split_by(values.get("split_by"), problems)
    database = values.get("database")
    if database not in (None, "") and "://" in str(database):
        _database(database, Path("."), problems)
    return problems


def _dates(
    values: Mapping[str, Any], problems: list[tuple[str, str]], *, judge: bool, judge_today: bool
) -> tuple[dt.date | None, Month]:
    """As of and the period (empty: today and its month).  With `judge` the period may not
    begin after as-of, nor (with `judge_today`) after today when as-of is empty."""
    before_dates = len(problems)
    as_of = None
    if values.get("as_of") not in (None, ""):
        try:
            as_of = parse_date(values["as_of"])
        except ValueError:
            problems.append(
                (
                    f"截至日期「{values['as_of']}」不是日期，请写成 2026-11-24 或留空。",
                    f"As of '{values['as_of']}' is not a date; write it as 2026-11-24 "
                    "or leave it empty.",
                )
            )
    period = Month.of(as_of or dt.date.today())
    raw_period = values.get("period")
    if isinstance(raw_period, dt.date):  # Excel turned 2026-11 into a date
        period = Month.of(raw_period)
    elif raw_period not in (None, ""):
        try:
            period = Month.parse(str(raw_period))
        except ValueError:
            problems.append(
                (
                    f"期间「{raw_period}」格式不对，请写成 2026-11。",
                    f"Period '{raw_period}' is malformed; write it as 2026-11.",
                )
            )
    dates_read = len(problems) == before_dates
    judged = judge and (as_of is not None or judge_today)
    if judged and dates_read and (as_of or dt.date.today()) < period.first_day:
        day = as_of or dt.date.today()
        which = ("截至日期", "The as-of date") if as_of else ("今天", "Today")
        problems.append(
            (
                f"{which[0]} {day} 在期间 {period} 开始（{period.first_day}）之前。请把「截至日期」"
                f"改为 {period.first_day} 或之后，或换一个期间。",
                f"{which[1]} {day} is before the period {period} begins ({period.first_day}). "
                f"Set 'As of' to {period.first_day} or later, or choose another period.",
            )
        )
    return as_of, period


def _thresholds(values: Mapping[str, Any], problems: list[tuple[str, str]]) -> Thresholds:
    """The pace index thresholds of the oral and written warnings (0.8 and 0.6 when empty)."""
    try:
        return Thresholds(
            oral=parse_number(_or(values.get("oral"), 0.8)),
            written=parse_number(_or(values.get("written"), 0.6)),
        )
    except ValueError:
        problems.append(
            (
                "预警阈值应为数字，且口头预警阈值大于书面预警阈值（如 0.8 和 0.6）。",
                "Warning thresholds must be numbers, oral above written (e.g. 0.8 and 0.6).",
            )
        )
        return Thresholds()


def _yes_no(raw: Any, problems: list[tuple[str, str]]) -> bool:
    """是/否, yes/no, TRUE/FALSE (a ticked box), 1/0; empty: yes, the default."""
    if raw in (None, ""):
        return True
    if isinstance(raw, (bool, int, float)):  # a ticked box, or 1/0 that Excel made a number
        return bool(raw)
    words = _words(raw) or [""]
    if all(w in YES for w in words):  # "是 yes", as the workbook is built
        return True
    if all(w in NO for w in words):
        return False
    problems.append(
        (
            f"催交名单「{raw}」应为 是 或 否。",
            f"Chase list '{raw}' should be yes or no.",
        )
    )
    return True


def _words(raw: Any) -> list[str]:
    """`是 yes`, `Team`, `团队/team` as lower-case words."""
    text = unicodedata.normalize("NFKC", str(raw)).lower()
    return text.replace("/", " ").replace(",", " ").split()


def _split_by(raw: Any, problems: list[tuple[str, str]]) -> str | None:
    """团队/team or 区域/region (either word, or both as in the help); empty: no packs."""
    if raw in (None, ""):
        return None
    found = {SPLIT_BY.get(w) for w in _words(raw)}
    if len(found) == 1 and None not in found:
        return found.pop()
    problems.append(
        (
            f"分包「{raw}」应为 团队 team 或 区域 region（或留空）。",
            f"Split by '{raw}' should be team or region (or empty).",
        )
    )
    return None


def _database(raw: Any, folder: Path, problems: list[tuple[str, str]]) -> str | None:
    """The store's URL: an SQLite file (relative to the workbook's folder) or postgresql://…"""
    if raw in (None, ""):
        return None
    value = str(raw).strip()
    if "://" not in value:
        path = Path(value).expanduser()
        path = path if path.is_absolute() else folder / path
        if not path.is_file():
            problems.append(
                (
                    f"数据库文件「{value}」不存在（{path}）。请先用 salesxl import 导入，"
                    "或清空此项直接读取收件箱。",
                    f"The database file '{value}' does not exist ({path}). Import into "
                    "it first with `salesxl import`, or empty the setting to read the "
                    "inbox.",
                )
            )
            return None
        return str(path)
    from salesxl.store import StoreError, resolve_url  # SQLAlchemy only when a store is set

    try:
        resolve_url(value, env={})  # the URLs the store accepts, as `--db` checks them
    except StoreError:
        problems.append(
            (
                f"数据库「{value}」无法识别：请填写 SQLite 文件（如 salesxl.db）或 "
                "postgresql://用户@主机/库名。",
                f"Database '{value}' is not one salesxl can use: give an SQLite file "
                "(e.g. salesxl.db) or postgresql://user@host/dbname.",
            )
        )
        return None
    return value


_MAP_SEPARATORS = re.compile(r"[;；\n]+")


def _column_map(raw: Any, problems: list[tuple[str, str]]) -> dict[str, str] | None:
    """`amount=Price; customer=Name`: the same mapping `--map` takes, one pair per `;` or line."""
    if raw in (None, ""):
        return None
    items = [item.strip() for item in _MAP_SEPARATORS.split(str(raw)) if item.strip()]
    try:
        return parse_column_map(items) or None
    except ValueError as exc:
        problems.append(
            (
                f"列映射「{raw}」无法使用：请写成 字段=列名，多个用分号分隔，如 amount=Price; customer=Name。",
                f"Column mapping '{raw}' cannot be used: {exc}. Write FIELD=HEADER pairs "
                "separated by semicolons, e.g. amount=Price; customer=Name.",
            )
        )
        return None


def _or(value: Any, default: float) -> Any:
    return default if value in (None, "") else value


def headline_text(summary: Summary, output: Path) -> str:
    """The message box after Consolidate: the numbers a manager looks at first."""
    h = summary.headline
    completion = f"{h.completion:.1%}" if h.completion is not None else "—"
    by_rep = summary.sheet("by_rep")
    levels = [row[by_rep.column("warning")] for row in by_rep.rows]
    return (
        f"{h.period}（截至 As of {h.as_of}）\n"
        f"销售员 Reps: {h.reps}\n金额 Amount: ¥{h.amount:,.0f}\n完成率 Completion: {completion}\n"
        f"口头预警 Oral warnings: {levels.count('oral')}，书面预警 Written: {levels.count('written')}\n"
        f"错误 Errors: {h.errors}，警告 Warnings: {h.warnings}\n\n"
        f"完整汇总 Full summary: {output}"
    )


@dataclass(slots=True)
class Grid:
    """A table ready for Excel: rows (header first), number formats and row colours.

    Coordinates are 1-based (Excel's); `formats` holds (first row, column, last
    row, number format) and `colours` (row, background RGB).
    """

    rows: list[list[Any]]
    formats: list[tuple[int, int, int, str]] = field(default_factory=list)
    colours: list[tuple[int, tuple[int, int, int]]] = field(default_factory=list)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def below(self, rows: list[list[Any]]) -> Grid:
        """This grid placed under `rows` (and one empty row)."""
        shift = len(rows) + 1
        return Grid(
            [*rows, [], *self.rows],
            [(a + shift, c, b + shift, f) for a, c, b, f in self.formats],
            [(r + shift, rgb) for r, rgb in self.colours],
        )


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def excel_text(value: Any) -> Any:
    """A value as Excel should show it: text that looks like a formula stays text."""
    if isinstance(value, Month):
        return str(value)
    if isinstance(value, Translated):  # a chase message: the workbook speaks Chinese first
        value = value.zh
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def hyperlink(target: str, shown: str) -> str:
    """A HYPERLINK formula (the only formulas the adapter writes); plain text when too long."""
    if len(target) > 255 or len(shown) > 255:
        return str(excel_text(shown))
    target, shown = target.replace('"', '""'), shown.replace('"', '""')
    return f'=HYPERLINK("{target}","{shown}")'


def sheet_grid(sheet: SheetData, *, base: Path | None = None) -> Grid:
    """A summary table as an Excel grid: labels for codes, links to files, warning colours.

    File paths in link columns are shown relative to `base` (the workbook's folder).
    """
    rows: list[list[Any]] = [[f"{c.zh} {c.en}" if c.zh != c.en else c.en for c in sheet.columns]]
    grid = Grid(rows)
    last = len(sheet.rows) + 1
    for c, col in enumerate(sheet.columns, start=1):
        fmt = NUMBER_FORMATS.get(col.kind)
        if fmt and last > 1:
            grid.formats.append((2, c, last, fmt))
    if sheet.row_kinds:  # a 'mixed' column: one format per row
        mixed = next(c for c, col in enumerate(sheet.columns, start=1) if col.kind == "mixed")
        grid.formats += [
            (r, mixed, r, NUMBER_FORMATS[kind])
            for r, kind in enumerate(sheet.row_kinds, start=2)
            if kind in NUMBER_FORMATS
        ]
    # The warning level colours a rep's row; else the first coded column that has a colour.
    coloured = sorted(
        ((i, col.kind) for i, col in enumerate(sheet.columns) if col.kind in COLOURED),
        key=lambda found: found[1] != "warning",
    )
    for r, row in enumerate(sheet.rows, start=2):
        shown = []
        for col, value in zip(sheet.columns, row, strict=True):
            labels = CODE_LABELS.get(col.kind)
            if labels is not None and value in labels:
                shown.append(labels[value][0])
            elif col.kind == "link" and value:
                shown.append(_file_link(str(value), row, sheet, base))
            else:
                shown.append(excel_text(value))
        rows.append(shown)
        for i, kind in coloured:
            colours = COLOURED[kind].get(row[i])
            if colours is not None:
                grid.colours.append((r, _rgb(colours[0])))
                break
    return grid


def _file_link(path: str, row: list[Any], sheet: SheetData, base: Path | None) -> str:
    shown = path
    if base is not None:
        with contextlib.suppress(ValueError):  # another drive on Windows
            shown = os.path.relpath(path, base)
    target = path
    if sheet.key == "issues":
        sheet_name, cell = row[sheet.column("sheet")], row[sheet.column("cell")]
        if sheet_name and cell:
            target += f"#'{sheet_name}'!{cell}"
    return hyperlink(target, shown)
