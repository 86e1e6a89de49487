"""退回件 Return copies: each rep's own workbook, its problems marked, back to the rep.

For every rep file with errors (and warnings, when asked), a copy of the
rep's own workbook: each problem cell filled red (yellow for a warning)
with a 批注 note saying what is wrong and how to fix it, and a 待修改 To fix
sheet first listing every problem with a link to its cell
(salesxl.write.marking).  The copy is named `<原文件名>_退回_<日期>.xlsx`
(`.xlsm` stays `.xlsm`, macros kept) and goes into the rep's team folder
with a 退回清单 Return list for the team leader (salesxl.write.return_list).

A CSV, an old `.xls` or a workbook whose parts cannot be edited one by one
gets a new `.xlsx` holding its values, marked the same way.  A file that
cannot be opened at all (not a workbook, damaged, password-protected) is
listed in the return list, not copied.  The original is only ever read.

Every run records the files it wrote in the folder (salesxl.write.return_record);
a run over the whole inbox (`return_inbox`) takes back the recorded copies and
lists of earlier runs it did not write again, so a rep whose file has since
been fixed finds no stale copy, and a rerun on a later day leaves only the
latest copy of each file.  A copy written again under its old name never
overwrites one changed since it was written (a leader's notes): the changed
copy is left when there is nothing new to write, and moved aside otherwise.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from collections.abc import Collection, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter

from salesxl.core.issues import SEVERITY_LABELS, Code, Issue, Severity
from salesxl.core.people import Roster
from salesxl.core.periods import Month, Week
from salesxl.core.text import plural
from salesxl.forms.marks import TO_FIX_EN, TO_FIX_SHEET
from salesxl.intake.files import issues_only
from salesxl.intake.inbox import ProgressFactory, read_inbox
from salesxl.read.values import text_of
from salesxl.read.workbook import ReadError, open_book
from salesxl.validate import FormData
from salesxl.write.marking import ERROR_FILL, WARNING_FILL, CellMark, ToFixSheet, mark_workbook
from salesxl.write.output import check_folder
from salesxl.write.package import PackageError
from salesxl.write.return_list import write_return_lists
from salesxl.write.return_record import (
    Recorded,
    TakenBack,
    Tidied,
    changed_since_written,
    digest,
    out_of_date,
    read_record,
    take_back,
    take_back_file,
    unrecorded,
    write_record,
)
from salesxl.write.sheet_xml import cells_of
from salesxl.write.xlsx import OutputError, atomic_output, safe_sheet_title

__all__ = [
    "ERROR_FILL",
    "WARNING_FILL",
    "ReturnedFile",
    "Returns",
    "Tidied",
    "check_returns_folder",
    "copy_name",
    "return_copies",
    "return_inbox",
]

NOT_OPENED = frozenset({Code.UNREADABLE, Code.ENCRYPTED, Code.TOO_LARGE})
NO_TEAM = "未分团队 No team"
PARALLEL_THRESHOLD = 16
_EARLIER_RETURN = re.compile(r"_退回_\d{4}-\d{2}-\d{2}(?: \(\d+\))?$")
_FOLDER_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


@dataclass(slots=True)
class ReturnedFile:
    """One rep file that goes back: whose, how many problems, what was written."""

    source: Path
    copy: Path | None  # None when the file could not be opened
    how: str  # marked (the rep's workbook) | values (a new .xlsx of its values) | not_opened
    rep_id: str | None
    rep_name: str | None
    region: str | None
    team: str | None
    problems: list[Issue] = field(default_factory=list)
    guessed: bool = False  # the rep was recognised from the file name only

    @property
    def errors(self) -> int:
        return sum(i.severity is Severity.ERROR for i in self.problems)

    @property
    def warnings(self) -> int:
        return sum(i.severity is Severity.WARNING for i in self.problems)


@dataclass(slots=True)
class Returns:
    folder: Path
    files: list[ReturnedFile]  # the files that go back, in input order
    lists: list[Path]  # the return lists: all teams first, then one per team
    checked: int  # rep files read
    # What was done with the files earlier runs wrote into the folder (None: not looked at,
    # `return_copies` without `tidy` or `handed_in`).
    tidied: Tidied | None = None
    empty: Issue | None = None  # `no_forms`: the inbox held no form to read

    @property
    def copies(self) -> list[Path]:
        return [f.copy for f in self.files if f.copy is not None]


def copy_name(source: Path, day: dt.date) -> str:
    """`<原文件名>_退回_<日期>.xlsx`; a returned copy sent back keeps one 退回 in its name."""
    stem = _EARLIER_RETURN.sub("", source.stem)
    suffix = ".xlsm" if source.suffix.lower() == ".xlsm" else ".xlsx"
    return f"{stem}_退回_{day:%Y-%m-%d}{suffix}"


def check_returns_folder(folder: Path, inboxes: Sequence[Path]) -> None:
    """OutputError when the returns `folder` lies inside one of the `inboxes`: the return
    copies would be read as rep files by the next run (`return`, `consolidate`, `watch`)."""
    folder = Path(folder)
    for path in inboxes:
        root = Path(path).resolve()
        if root.is_dir() and (folder.resolve() == root or root in folder.resolve().parents):
            raise OutputError(
                f"退回文件夹 {folder} 在收件箱 {path} 里：下次会把退回件当作销售员的表单读取",
                f"{folder} is inside the inbox {path}: the return copies would be read as rep "
                "files next time",
                hint_zh="请选择收件箱以外的文件夹",
                hint_en="choose a folder outside the inbox",
                setting="returns",
            )


def return_inbox(
    paths: Sequence[Path],
    folder: Path,
    *,
    period: Month | Week | None = None,
    roster: Path | Roster | None = None,
    today: dt.date | None = None,
    warnings: bool = False,
    lang: str = "both",
    workers: int | None = None,
    progress: ProgressFactory | None = None,
) -> Returns:
    """Read and validate every file under `paths`, then `return_copies` of those with problems.

    It sees the whole inbox, so it also takes back what earlier runs wrote into
    `folder` and no longer stands (`return_copies` with `tidy`).  Raises OutputError when `folder` lies inside one of `paths` (the copies
    would be read as rep files next time) or cannot be made.
    """
    folder = Path(folder)
    check_returns_folder(folder, paths)
    check_folder(folder, "退回文件夹", setting="returns")  # before the inbox is read
    today = today or dt.date.today()
    inbox = read_inbox(
        paths,
        roster=roster,
        period=period,
        today=today,
        workers=workers,
        progress=progress,
        prepare=issues_only,  # a copy needs the issues and header, not the rows
    )
    returned = return_copies(
        inbox.forms,
        folder,
        roster=inbox.roster,
        today=today,
        warnings=warnings,
        lang=lang,
        workers=workers,
        tidy=True,
    )
    returned.empty = inbox.no_forms()  # an empty inbox is said, not a quiet "0 files"
    return returned


def return_copies(
    forms: Sequence[FormData],
    folder: Path,
    *,
    roster: Roster | None = None,
    today: dt.date | None = None,
    warnings: bool = False,
    lang: str = "both",
    workers: int | None = None,
    tidy: bool = False,
    handed_in: Collection[str] | None = None,
) -> Returns:
    """Write a return copy of every file in `forms` with an error (or a warning, with
    `warnings`) into `folder`, by team, and the return lists; the originals are only read.

    The files written are recorded in the folder (salesxl.write.return_record).  With
    `tidy` (`forms` is the whole inbox), the recorded files of earlier runs not written
    again are taken back: removed, or moved aside when changed since; without it (a watch
    handing in the day's files), they are left and stay recorded, except with `handed_in`:
    the rep files (paths as in `FormData.path`) handed in again, with or without errors,
    whose recorded copies not written now are taken back, with the return lists of `today`
    not written again (return_record.out_of_date)."""
    if lang not in ("both", "zh", "en"):
        raise ValueError(f"lang must be 'both', 'zh' or 'en', not {lang!r}")
    today = today or dt.date.today()
    folder = check_folder(folder, "退回文件夹", setting="returns")
    people = _People(forms, roster)
    recorded = _recorded(folder)
    returned: list[ReturnedFile] = []
    jobs: list[_Job] = []
    taken: set[Path] = set()
    for data in forms:
        wanted = {Severity.ERROR, Severity.WARNING} if warnings else {Severity.ERROR}
        problems = [i for i in data.issues if i.severity in wanted]
        if not any(i.severity is Severity.ERROR for i in problems) and not (warnings and problems):
            continue
        source = Path(data.path)
        entry = people.entry(data, source, problems)
        returned.append(entry)
        if data.form_id is None and any(i.code in NOT_OPENED for i in data.issues):
            entry.how = "not_opened"
            continue
        team_folder = folder / _folder_name(entry.region) / _folder_name(entry.team or NO_TEAM)
        target = _unique(team_folder / copy_name(source, today), taken)
        entry.copy = target
        name = _in(target, folder)
        jobs.append(_Job(source, target, problems, lang, today, folder, recorded.get(name)))
    copied = [e for e in returned if e.copy is not None]
    day = f"{today:%Y-%m-%d}"
    written: dict[str, Recorded] = {}
    set_aside: list[TakenBack] = []  # changed copies moved aside (or not) to write them again
    for entry, job, done in zip(copied, jobs, _write_all(jobs, workers), strict=True):
        entry.how = done.how
        if done.set_aside is not None:
            set_aside.append(done.set_aside)
        if done.how == "not_opened":  # gone or changed since it was read
            entry.copy = None
        elif entry.copy is not None and done.sha256 is not None:
            rep = " ".join(x for x in (entry.rep_id, entry.rep_name) if x) or None
            written[_in(entry.copy, folder)] = Recorded(
                done.sha256, "copy", str(entry.source), rep, day
            )
        elif entry.copy is not None and job.recorded is not None:  # the changed copy stays
            written[_in(entry.copy, folder)] = job.recorded

    def may_write(path: Path) -> bool:
        """A return list written again under its name: one changed since salesxl wrote it
        (a leader's notes) is moved aside first, as a copy is; one that cannot be moved
        stays as it is, recorded as before."""
        name = _in(path, folder)
        entry = recorded.get(name)
        if entry is None or not changed_since_written(path, entry):
            return True
        taken = take_back_file(folder, name, entry, "rewritten")
        set_aside.append(taken)
        if taken.error is None:
            return True
        written[name] = entry
        return False

    lists = write_return_lists(returned, folder, today, lang=lang, may_write=may_write)
    for path in lists:
        written[_in(path, folder)] = Recorded(digest(path), "list", day=day)
    tidied = _record(folder, written, today, tidy, handed_in, set_aside)
    return Returns(folder, returned, lists, len(forms), tidied)


def _in(path: Path, folder: Path) -> str:
    """A written file's place in the returns folder, as the record keeps it."""
    return path.relative_to(folder).as_posix()


def _recorded(folder: Path) -> dict[str, Recorded]:
    """The folder's record, to know the copies changed since written before writing over
    them (one that cannot be read names none: `_record` says so)."""
    try:
        return read_record(folder) or {}
    except ValueError:
        return {}


def _record(
    folder: Path,
    written: dict[str, Recorded],
    today: dt.date,
    tidy: bool,
    handed_in: Collection[str] | None,
    set_aside: list[TakenBack],
) -> Tidied | None:
    """Record what was written; with `tidy`, take back what earlier runs wrote and this one
    did not; with `handed_in`, what of that these rep files and this day's lists put out of
    date (salesxl.write.return_record).  `set_aside`: the changed copies moved aside to
    write them again, or left, not written again, when they could not be."""
    problem = None
    try:
        before = read_record(folder) or {}
    except ValueError as exc:  # nothing is taken back on a record that cannot be read
        before, problem = {}, str(exc)
    tidied = Tidied() if set_aside else None
    if tidy:
        tidied, still = take_back(folder, before, written)
        tidied.unreadable_record = problem
        keep = {**still, **written}
        tidied.unrecorded = unrecorded(folder, [folder / name for name in keep])
    elif handed_in is not None:
        gone = out_of_date(before, written, {str(Path(p)) for p in handed_in}, today)
        tidied, still = take_back(folder, gone, written)
        tidied.unreadable_record = problem
        keep = {**{k: v for k, v in before.items() if k not in gone}, **still, **written}
    else:
        keep = {**before, **written}
    if tidied is not None:
        tidied.moved += [t for t in set_aside if t.moved_to is not None]
        tidied.kept += [t for t in set_aside if t.error is not None]
    try:
        write_record(folder, keep, today)
    except OSError as exc:
        raise OutputError(
            f"退回件已写好，但无法在 {folder} 中保存退回记录（{exc.strerror}）：下次运行将无法删除"
            "过期的退回件",
            f"the return copies are written, but the record of them in {folder} could not be "
            f"saved ({exc.strerror}): the next run could not remove stale ones",
            hint_zh="请检查文件夹权限后重新运行",
            hint_en="check the folder's permissions and run again",
            setting="returns",
        ) from None
    return tidied


# -- who the files belong to ------------------------------------------------------------------


class _People:
    """Rep, team and region of each file: the roster first, then the forms' header blocks."""

    def __init__(self, forms: Sequence[FormData], roster: Roster | None) -> None:
        self.roster = roster
        self.seen: dict[str, dict[str, Any]] = {}
        for data in forms:
            rep = data.rep_id
            if rep:
                known = self.seen.setdefault(rep, {})
                for key in ("rep_name", "region", "team"):
                    if data.header.get(key) and key not in known:
                        known[key] = data.header[key]

    def entry(self, data: FormData, source: Path, problems: list[Issue]) -> ReturnedFile:
        rep, guessed = data.rep_id, False
        if not rep:
            rep = self._from_name(source.stem)
            guessed = rep is not None
        if rep and self.roster is not None and rep in self.roster:
            r = self.roster.reps[rep]
            return ReturnedFile(
                source, None, "marked", rep, r.name, r.region, r.team, problems, guessed
            )
        known = self.seen.get(rep or "", {})
        return ReturnedFile(
            source,
            None,
            "marked",
            rep,
            known.get("rep_name"),
            known.get("region"),
            known.get("team"),
            problems,
            guessed,
        )

    def _from_name(self, stem: str) -> str | None:
        """The one rep whose ID or name the file name holds (a damaged file says no more)."""
        names = (
            {r.rep_id: r.name for r in self.roster.reps.values()}
            if self.roster is not None
            else {rep: known.get("rep_name") for rep, known in self.seen.items()}
        )
        found = {rep for rep, name in names.items() if rep in stem or (name and name in stem)}
        return found.pop() if len(found) == 1 else None


def _folder_name(name: str | None) -> str:
    clean = _FOLDER_UNSAFE.sub("_", name or "").strip(" .")
    return clean or "_"


def _unique(path: Path, taken: set[Path]) -> Path:
    """Two files of one name in one team folder (from two inbox folders) both go back."""
    candidate, n = path, 2
    while candidate in taken:
        candidate = path.with_name(f"{path.stem} ({n}){path.suffix}")
        n += 1
    taken.add(candidate)
    return candidate


# -- writing the copies ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Job:
    source: Path
    target: Path
    problems: list[Issue]
    lang: str
    today: dt.date
    folder: Path
    recorded: Recorded | None  # what an earlier run wrote under the target's name


@dataclass(frozen=True, slots=True)
class _Done:
    how: str  # marked | values | not_opened
    sha256: str | None  # of what was written; None: nothing written, the copy there stays
    set_aside: TakenBack | None = None  # the changed copy there, moved aside (or not)


def _write_all(jobs: list[_Job], workers: int | None) -> list[_Done]:
    if len(jobs) < PARALLEL_THRESHOLD or workers == 1:
        return [_write_copy(job) for job in jobs]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_write_copy, jobs, chunksize=8))


def _write_copy(job: _Job) -> _Done:
    """Write one return copy; returns how (`marked`, `values` or `not_opened`) and the
    SHA-256 of what was written.

    A copy of the same name changed since an earlier run wrote it (a leader saved notes
    into it) is never written over: when the new copy would be what that run wrote, it is
    left as it is; otherwise it is moved into `_过期 Outdated` first, and when it cannot be
    (open in Excel) it stays and nothing is written."""
    try:
        data = job.source.read_bytes()
    except OSError:
        return _Done("not_opened", None)
    is_zip = data[:2] == b"PK" and job.source.suffix.lower() in (".xlsx", ".xlsm")
    content, how = None, "values"
    if is_zip:
        try:
            content = mark_workbook(data, *_marks_and_list(job, {}))
            how = "marked"
        except PackageError:
            content = None
    if content is None:
        made = _values_workbook(job.source, job.today)
        if made is None:
            return _Done("not_opened", None)
        values, titles = made
        content = mark_workbook(values, *_marks_and_list(job, titles))
    sha = hashlib.sha256(content).hexdigest()
    set_aside = None
    if job.recorded is not None and changed_since_written(job.target, job.recorded):
        if sha == job.recorded.sha256:
            return _Done(how, sha)  # nothing new to say: the leader's notes stay
        name = job.target.relative_to(job.folder).as_posix()
        set_aside = take_back_file(job.folder, name, job.recorded, "rewritten")
        if set_aside.error is not None:
            return _Done(how, None, set_aside)
    job.target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_output(job.target) as tmp:
        tmp.write_bytes(content)
    return _Done(how, sha, set_aside)


def _values_workbook(source: Path, day: dt.date) -> tuple[bytes, dict[str, str]] | None:
    """A plain .xlsx of the file's values (CSV, .xls), sheet for sheet, and the new sheet
    titles of sheets whose names Excel would not take; None when it cannot be read.  Made
    on `day` (not the clock's second), so that the same file gives the same bytes all day
    and a copy changed since it was written is told from one with something new."""
    try:
        book = open_book(source)
    except ReadError:
        return None
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(
        out,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    wb.set_properties({"created": dt.datetime.combine(day, dt.time())})
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    moment = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    titles: dict[str, str] = {}
    try:
        for name in book.sheet_names:
            title = safe_sheet_title(name, list(titles.values()))
            titles[name] = title
            ws = wb.add_worksheet(title)
            if name in book.hidden:
                ws.hide()
            for r, row in enumerate(book.grid(name).rows):
                for c, value in enumerate(row):
                    _write_value(ws, r, c, value, date, moment)
    finally:
        book.close()
    wb.close()
    return out.getvalue(), {k: v for k, v in titles.items() if k != v}


def _write_value(ws: Any, r: int, c: int, value: Any, date: Any, moment: Any) -> None:
    if value == "" or value is None:
        return
    if isinstance(value, bool):
        ws.write_boolean(r, c, value)
    elif isinstance(value, (int, float)):
        ws.write_number(r, c, value)
    elif isinstance(value, dt.datetime):
        ws.write_datetime(r, c, value, moment)
    elif isinstance(value, dt.date):
        ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date)
    else:
        ws.write_string(r, c, str(value))


def _marks_and_list(job: _Job, titles: dict[str, str]) -> tuple[list[CellMark], ToFixSheet]:
    """The cell marks and the To fix sheet of one file (`titles` renames sheets)."""
    zh, en = job.lang in ("both", "zh"), job.lang in ("both", "en")
    ordered = sorted(job.problems, key=lambda i: i.severity is not Severity.ERROR)  # errors first
    marks = [
        # a run of cells (B4:B19) is filled throughout; its note sits on the first cell
        CellMark(
            titles.get(i.sheet, i.sheet),
            cell,
            ERROR_FILL if i.severity is Severity.ERROR else WARNING_FILL,
            _note(i, zh, en) if n == 0 else "",
        )
        for i in ordered
        if i.sheet and i.cell
        for n, cell in enumerate(cells_of(i.cell))
    ]
    rows, links, fills = [], [], []
    for n, issue in enumerate(job.problems, start=1):
        sheet = titles.get(issue.sheet, issue.sheet) if issue.sheet else None
        where = f"{sheet}!{issue.cell}" if sheet and issue.cell else (sheet or "—")
        level_zh, level_en = SEVERITY_LABELS[issue.severity]
        level = f"{level_zh} {level_en}" if zh and en else (level_zh if zh else level_en)
        value = "" if issue.value is None else text_of(issue.value)
        texts = ([issue.message_zh] if zh else []) + ([issue.message_en] if en else [])
        rows.append((n, where, issue.column or "", value, level, *texts))
        target_cell = issue.cell or f"A{issue.row or 1}"  # a run of cells is selected whole
        links.append((sheet, target_cell) if sheet else None)
        fills.append(ERROR_FILL if issue.severity is Severity.ERROR else WARNING_FILL)
    header = _HEADER_BOTH if zh and en else (_HEADER_ZH if zh else _HEADER_EN)
    widths = (6, 22, 18, 16, 12, *([48] if zh else []), *([60] if en else []))
    return marks, ToFixSheet(
        TO_FIX_SHEET if zh else TO_FIX_EN,
        _title(job, zh, en),
        header[: 5 + zh + en],
        widths,
        tuple(rows),
        tuple(links),
        tuple(fills),
        link_column=1,
        level_column=4,
    )


_HEADER_BOTH = (
    "序号 No.",
    "位置 Where",
    "列 Column",
    "当前值 Value",
    "轻重 Severity",
    "问题与改法",
    "Problem and fix",
)
_HEADER_ZH = ("序号", "位置", "列", "当前值", "轻重", "问题与改法")
_HEADER_EN = ("No.", "Where", "Column", "Value", "Severity", "Problem and fix")


def _note(issue: Issue, zh: bool, en: bool) -> str:
    level_zh, level_en = SEVERITY_LABELS[issue.severity]
    lines = []
    if zh:
        lines.append(f"【{level_zh}】{issue.message_zh}")
    if en:
        lines.append(f"[{level_en}] {issue.message_en}")
    return "\n".join(lines)


def _title(job: _Job, zh: bool, en: bool) -> tuple[str, ...]:
    errors = sum(i.severity is Severity.ERROR for i in job.problems)
    warnings = len(job.problems) - errors
    name = job.source.name
    lines = []
    if zh:
        lines += [
            f"退回件：{name}（{errors} 处错误，{warnings} 处警告）",
            "请按下表逐条修改：点击「位置」跳到该单元格（红色为错误，黄色为警告，批注写明怎么改），"
            "改好后保存，按原方式重新提交。",
            f"本表、单元格颜色和批注都不是数据，可以保留也可以删除。退回日期：{job.today:%Y-%m-%d}",
        ]
    if en:
        lines += [
            f"Returned for correction: {name} ({plural(errors, 'error')}, "
            f"{plural(warnings, 'warning')})",
            "Fix each line below: click Where to go to the cell (red: error, yellow: warning; "
            "its note says how to fix it), save and send the file again as before.",
            "This sheet, the colours and the notes are not data: keep them or delete them. "
            f"Returned on {job.today:%Y-%m-%d}",
        ]
    if zh and en:  # one title line in both languages, then the instructions
        lines = [f"{lines[0]} / {lines[3]}", lines[1], lines[4], lines[2], lines[5]]
    return tuple(lines)
