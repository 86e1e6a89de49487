"""Output files that cannot fail silently, and never replace what they should not.

Every workbook salesxl writes goes through `atomic_output`: it is written to
a temporary file beside its target and moved into place only when complete,
so a crash, a full disk or a file-size limit leaves the old file as it was
and ends in `OutputError` (of the one error family), not a traceback.
`check_output` says up front, before a long job reads its inbox, whether the
target can be written: the folder exists and takes a file, the name has the
right suffix, the target is not one of the job's inputs and not open in
Excel, WPS or LibreOffice (a lock file beside it), and an existing file there is one salesxl wrote as the same kind of
workbook (its mark, `salesxl.read.marks`) — a rep's report is never replaced
by a summary.  Temporary files of salesxl's own naming left by a run that
was killed are removed on the next run.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from xlsxwriter.exceptions import FileCreateError

from salesxl.core.display import printable
from salesxl.core.errors import SalesxlError
from salesxl.intake.collect import open_by
from salesxl.read.marks import Written, written_by

__all__ = [
    "SUFFIXES",
    "OutputError",
    "atomic_output",
    "check_folder",
    "check_output",
    "clean_stale_temps",
]

# The file name each kind of workbook must have: Excel opens a file by its suffix.
SUFFIXES = {
    Written.SUMMARY: ".xlsx",
    Written.TARGETS: ".xlsx",
    Written.FORM: ".xlsx",
    Written.MANAGER: ".xlsm",
    Written.SCORECARD: ".xlsx",
    Written.RETURN_LIST: ".xlsx",
}
_TEMP = re.compile(r"^\.(?P<name>.+)\.salesxl-(?P<pid>\d+)-\w+\.tmp$")
_STALE_SECONDS = 24 * 3600  # another machine's temporary file on a shared folder: a day


class OutputError(SalesxlError):
    """The output file cannot be written; the message says why and what to do."""


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def check_output(
    target: Path,
    what: str = "文件",
    *,
    written: Written | None = None,
    inputs: Sequence[Path] = (),
) -> Path:
    """Raise OutputError now if `target` cannot or must not be written; returns its folder.

    `what` names the file in the Chinese message (汇总文件, 目标文件); `written`
    is the kind of workbook about to be written there (its suffix, and the
    mark an existing file must carry to be replaced); `inputs` are the files
    the job reads.  `atomic_output` checks this again when it writes; a long
    job (consolidating a thousand files) calls it first, so the problem is
    reported before the work rather than after it.
    """
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    shown = printable(os.fsdecode(target))
    suffix = SUFFIXES.get(written) if written is not None else None
    if target.is_dir():
        raise OutputError(
            f"无法保存{what}：{shown} 是一个文件夹，不能被替换",
            f"{shown} is a folder, so it cannot be replaced",
            hint_zh="请给出文件名，例如 summary.xlsx",
            hint_en="give a file name such as summary.xlsx",
            setting="output",
        )
    if suffix is not None and target.suffix.lower() != suffix:
        example = f"{target.stem or 'summary'}{suffix}"
        raise OutputError(
            f"无法保存{what}：{shown} 的文件名必须以 {suffix} 结尾（salesxl 只写 Excel 工作簿）",
            f"{shown}: the output must be named *{suffix} (salesxl writes an Excel workbook)",
            hint_zh=f"例如 {example}",
            hint_en=f"e.g. {example}",
            setting="output",
        )
    if not folder.is_dir():
        where = printable(os.fsdecode(folder))
        raise OutputError(
            f"无法保存{what}：文件夹 {where} 不存在（或不是文件夹）",
            f"{where}: the output folder does not exist (or is not a folder)",
            hint_zh="请创建该文件夹，或另选保存位置",
            hint_en="create it or choose another output path",
            setting="output",
        )
    if any(_same(target, Path(p)) for p in inputs):
        raise OutputError(
            f"无法保存{what}：{shown} 是本次读取的输入文件之一，不能被覆盖",
            f"{shown} is one of the files this command reads; it must not be overwritten",
            hint_zh="请另选保存位置",
            hint_en="choose another output path",
            setting="output",
        )
    lock = open_by(target)  # Excel's or WPS's ~$ file, LibreOffice's .~lock.name#
    if lock is not None:
        app = "LibreOffice" if lock.name.startswith(".~lock.") else "Excel"
        raise OutputError(
            f"无法保存{what}：{shown} 正在 {app} 中打开（存在锁文件 {lock.name}），请关闭后重试",
            f"{shown} is open in {app} (lock file {lock.name} exists); close it and run again",
        )
    if target.exists():
        if not os.access(target, os.W_OK):
            raise OutputError(
                f"无法保存{what}：{shown} 是只读的或已被锁定",
                f"{shown} is read-only or locked",
                hint_zh="请关闭它，或另选保存位置",
                hint_en="close it or choose another output path",
                setting="output",
            )
        if written is not None and written_by(target) is not written:
            kind = written.value.replace("_", " ")
            raise OutputError(
                f"无法保存{what}：{shown} 已存在，且不是 salesxl 生成的{_KIND_ZH[written]}；"
                "salesxl 只替换自己生成的文件",
                f"{shown} exists and was not written by salesxl as a {kind}; salesxl "
                "replaces only its own files",
                hint_zh="请另选保存位置，或先删除该文件",
                hint_en="choose another output path, or delete that file first",
                setting="output",
            )
    clean_stale_temps(folder)
    try:  # the one sure test that the folder takes a new file (chmod, read-only disks, ACLs)
        probe = _create_temp(folder, target)
    except OSError as exc:
        raise _cannot_write(target, what, exc) from None
    probe.unlink()
    return folder


def check_folder(folder: Path, what: str = "输出文件夹", *, setting: str = "output") -> Path:
    """Make `folder` (and its parents) and prove that it takes a new file, or raise
    OutputError saying why: a command writing many files into it (return copies,
    scorecards, forms) says so before its work, not with a traceback after it.  `what`
    names the folder in the Chinese message; `setting` is the setting it comes from."""
    folder = Path(folder)
    shown = printable(os.fsdecode(folder))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = _create_temp(folder, folder / "probe")
        probe.unlink()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        if folder.exists() and not folder.is_dir():
            reason = "a file of that name is there" if reason == "File exists" else reason
        raise OutputError(
            f"无法创建或写入{what} {shown}（{reason}）",
            f"{shown}: cannot create the folder or write into it ({reason})",
            hint_zh="请另选一个可写的文件夹，或检查它的权限",
            hint_en="choose a folder you can write to, or check its permissions",
            setting=setting,
        ) from None
    return folder


_KIND_ZH = {
    Written.SUMMARY: "汇总工作簿",
    Written.TARGETS: "目标工作簿",
    Written.FORM: "表单",
    Written.MANAGER: "管理工作簿",
    Written.SCORECARD: "个人战报",
    Written.RETURN_LIST: "退回清单",
}


def _create_temp(folder: Path, target: Path) -> Path:
    """A new empty file of salesxl's temporary naming beside `target`."""
    name = f".{target.name}.salesxl-{os.getpid()}-{secrets.token_hex(4)}.tmp"
    path = folder / name
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    return path


def _cannot_write(target: Path, what: str, exc: BaseException) -> OutputError:
    cause = exc.args[0] if isinstance(exc, FileCreateError) and exc.args else exc
    reason = getattr(cause, "strerror", None) or str(cause) or type(cause).__name__
    shown = printable(os.fsdecode(target))
    return OutputError(
        f"无法保存{what}：{shown} 无法写入（{reason}），原有文件未被改动",
        f"{shown} could not be written ({reason}); an existing file there is untouched",
        hint_zh="请检查磁盘空间和文件夹权限，或另选保存位置",
        hint_en="check the free disk space and the folder's permissions, or choose another "
        "output path",
        setting="output",
    )


def clean_stale_temps(folder: Path) -> list[Path]:
    """Remove temporary files of salesxl's naming in `folder` left by runs that were killed
    (their process is gone, or they are a day old); returns what was removed."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _TEMP.match(entry.name)
        if match is None:
            continue
        try:
            age = time.time() - entry.stat(follow_symlinks=False).st_mtime
            if age > _STALE_SECONDS or not _alive(int(match["pid"])):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue  # gone already, or not ours to remove
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name != "posix":  # no cheap test: only the age decides
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        return True
    return True


@contextlib.contextmanager
def atomic_output(
    target: Path,
    what: str = "文件",
    *,
    written: Written | None = None,
    inputs: Sequence[Path] = (),
) -> Iterator[Path]:
    """Yield a temporary path beside `target`; replace `target` with it on success.

    A locked or open target (Excel holds a lock on Windows; a `~$` owner file
    sits beside it), or a failure while writing (a full disk, a file-size
    limit, a folder that turned read-only) raises OutputError and leaves the
    old file untouched.  `what` names the file in the Chinese message.
    """
    target = Path(target)
    folder = check_output(target, what, written=written, inputs=inputs)
    try:
        tmp = _create_temp(folder, target)
    except OSError as exc:
        raise _cannot_write(target, what, exc) from None
    try:
        try:
            # An ordinary file: it keeps the mode of the file it replaces, else gets the
            # usual one (0666 less the umask).
            os.chmod(tmp, target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask())
            yield tmp
        except (OSError, FileCreateError) as exc:  # a full disk, a file-size limit, ...
            raise _cannot_write(target, what, exc) from None
        try:
            os.replace(tmp, target)
        except PermissionError as exc:
            shown = printable(os.fsdecode(target))
            raise OutputError(
                f"无法保存{what}：{shown} 正在被其他程序使用或已被锁定（{exc.strerror}），请关闭后重试",
                f"{shown} is open in another program or locked ({exc.strerror}); "
                "close it and run again",
            ) from None
        except OSError as exc:
            raise _cannot_write(target, what, exc) from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
