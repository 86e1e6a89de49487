"""退回记录 What `salesxl return` wrote into a returns folder, so that a rerun tells the truth.

A returns folder goes to the reps and their leaders as it is: a return copy
left there by an earlier run, for a rep whose file has since been fixed,
would send that rep a stale "fix these cells".  So every run records the
files it wrote in `salesxl-returns.json` at the top of the folder: each
file's place in the folder and the SHA-256 of what was written (the rep file
it was made from, and the rep, for the report).  A run that sees the whole
inbox (`return_inbox`) then takes back the recorded files it did not write
again, and only those: a file salesxl did not write is never in the record,
so never touched.  A watch, which sees one file at a time, takes back only
what the files it was handed and the day's lists put out of date
(`out_of_date`).

- A recorded file unchanged since it was written is removed: it can be made
  again from the rep's file at any time.
- One changed since (someone saved notes into it) is moved into the
  `_过期 Outdated` folder, keeping its place, rather than deleted.
- A copy written again under the same name (a rerun on the same day, or a
  watch writing the day's copies again) never overwrites one changed since
  it was written: when what it would write is what it wrote before, the
  changed copy is left as it is; otherwise the changed copy is moved into
  `_过期 Outdated` first (`changed_since_written`, `take_back_file`).
- One that cannot be removed (open in Excel, WPS or LibreOffice: its lock
  file is there; or the system refuses) stays where it is and in the record, with a
  message: the next run tries again.

A folder written before the record existed has none: its files that look
like return copies or return lists are left as they are, and counted, so
the reader knows to clear them by hand.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import secrets
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from salesxl.intake.collect import open_by

__all__ = [
    "OUTDATED_FOLDER",
    "RECORD_NAME",
    "Recorded",
    "TakenBack",
    "Tidied",
    "changed_since_written",
    "digest",
    "looks_returned",
    "out_of_date",
    "read_record",
    "take_back",
    "take_back_file",
    "unrecorded",
    "write_record",
]

RECORD_NAME = "salesxl-returns.json"
OUTDATED_FOLDER = "_过期 Outdated"
_KIND = "salesxl return"  # what the record says it is: a JSON file of another tool is not one
_VERSION = 1
# What `salesxl return` has always named its files: `<原文件名>_退回_<日期>[ (n)].xlsx|xlsm`, and
# `退回清单_[<团队>_]<日期>.xlsx` (a folder of before the record: counted, never touched).
_RETURNED = re.compile(
    r"(?:_退回_\d{4}-\d{2}-\d{2}(?: \(\d+\))?\.xls[xm]|^退回清单_(?:.+_)?\d{4}-\d{2}-\d{2}\.xlsx)$"
)


@dataclass(frozen=True, slots=True)
class Recorded:
    """One file a run wrote: its SHA-256, and whose it was (for the report)."""

    sha256: str
    kind: str  # copy | list
    source: str | None = None  # the rep's file a copy was made from
    rep: str | None = None  # "S001 张伟"
    day: str | None = None  # the run's date, yyyy-mm-dd


@dataclass(frozen=True, slots=True)
class TakenBack:
    """A recorded file of an earlier run that this run did not write again."""

    path: Path  # where it was
    entry: Recorded
    # fixed (its rep file has no problem to return now, or is gone) | replaced (by a copy of
    # the same file written now) | list (a return list not written again) | rewritten (a copy
    # written again under the same name: the one there, changed since, was moved aside first)
    why: str
    moved_to: Path | None = None  # moved aside (changed since written) rather than removed
    error: str | None = None  # could not be removed: still there, still recorded


@dataclass(slots=True)
class Tidied:
    """What a run did with the files earlier runs wrote into the folder."""

    removed: list[TakenBack] = field(default_factory=list)
    moved: list[TakenBack] = field(default_factory=list)
    kept: list[TakenBack] = field(default_factory=list)  # could not be removed
    unrecorded: list[Path] = field(default_factory=list)  # no record: look returned, left alone
    unreadable_record: str | None = None  # the record could not be read: nothing taken back


def digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def looks_returned(name: str) -> bool:
    """Named like a return copy or a return list (of any salesxl version)."""
    return _RETURNED.search(name) is not None


def read_record(folder: Path) -> dict[str, Recorded] | None:
    """The files recorded in `folder` (by their path in it, with `/`); None when there is no
    record.  Raises ValueError when the record is there but cannot be read."""
    path = folder / RECORD_NAME
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ValueError(exc.strerror or str(exc)) from None
    try:
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict) or data.get("written_by") != _KIND:
            raise ValueError("not a record of salesxl return")
        files = data["files"]
        out = {}
        for name, entry in files.items():
            if _inside(name) and isinstance(entry, dict) and isinstance(entry.get("sha256"), str):
                out[name] = Recorded(
                    entry["sha256"],
                    str(entry.get("kind") or "copy"),
                    _text(entry.get("source")),
                    _text(entry.get("rep")),
                    _text(entry.get("day")),
                )
        return out
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, AttributeError, TypeError) as exc:
        raise ValueError(f"not a record of salesxl return ({type(exc).__name__})") from None


def write_record(folder: Path, files: Mapping[str, Recorded], today: dt.date) -> Path:
    """Write the record of `files` (path in the folder -> entry), replacing the old one whole."""
    path = folder / RECORD_NAME
    data: dict[str, Any] = {
        "written_by": _KIND,
        "version": _VERSION,
        "about": "The files salesxl return wrote into this folder: a rerun removes those no "
        "longer needed. 本文件夹中由 salesxl return 写入的文件：再次运行时删除不再需要的。",
        "updated": f"{today:%Y-%m-%d}",
        "files": {
            name: {k: v for k, v in _fields(entry).items() if v is not None}
            for name, entry in sorted(files.items())
        },
    }
    tmp = folder / f".{RECORD_NAME}.salesxl-{os.getpid()}-{secrets.token_hex(4)}.tmp"
    try:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return path


def _fields(entry: Recorded) -> dict[str, Any]:
    return {
        "sha256": entry.sha256,
        "kind": entry.kind,
        "source": entry.source,
        "rep": entry.rep,
        "day": entry.day,
    }


def take_back(
    folder: Path,
    before: Mapping[str, Recorded],
    written: Mapping[str, Recorded],
) -> tuple[Tidied, dict[str, Recorded]]:
    """Remove (or move aside) the files recorded `before` that this run did not write again
    (`written`); returns what was done and the entries to keep recording (those that could
    not be removed)."""
    tidied = Tidied()
    still: dict[str, Recorded] = {}
    sources_now = {e.source for e in written.values() if e.source}
    copies_now = {_copy_of(name) for name, e in written.items() if e.kind == "copy"}
    for name, entry in sorted(before.items()):
        if name in written:
            continue
        path = folder / name
        replaced = entry.source in sources_now or _copy_of(name) in copies_now
        why = "list" if entry.kind == "list" else ("replaced" if replaced else "fixed")
        if not path.is_file():
            continue  # removed by hand already
        taken = take_back_file(folder, name, entry, why)
        if taken.error is not None:
            tidied.kept.append(taken)
            still[name] = entry
            continue
        (tidied.moved if taken.moved_to is not None else tidied.removed).append(taken)
        _prune(path.parent, folder)
    return tidied, still


def changed_since_written(path: Path, entry: Recorded) -> bool:
    """The recorded file at `path` is there and is not what salesxl wrote (someone saved
    notes into it); one that cannot be read counts as changed, so it is never overwritten."""
    if not path.is_file():
        return False
    try:
        return digest(path) != entry.sha256
    except OSError:
        return True


def take_back_file(folder: Path, name: str, entry: Recorded, why: str) -> TakenBack:
    """Remove the recorded file `name` of `folder`, or move it into `_过期 Outdated` (keeping
    its place) when it changed since it was written; one open in a spreadsheet app or that
    the system refuses to move stays where it is, with the reason in `error`.  Emptied
    folders are left for the caller to prune."""
    path = folder / name
    owner = open_by(path)
    if owner is not None:
        return TakenBack(path, entry, why, error=f"open in Excel ({owner.name} is there)")
    try:
        if digest(path) != entry.sha256:
            target = _free(folder / OUTDATED_FOLDER / name)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
            return TakenBack(path, entry, why, moved_to=target)
        path.unlink()
    except OSError as exc:
        return TakenBack(path, entry, why, error=exc.strerror or type(exc).__name__)
    return TakenBack(path, entry, why)


def out_of_date(
    before: Mapping[str, Recorded],
    written: Mapping[str, Recorded],
    sources: Collection[str],
    day: dt.date,
) -> dict[str, Recorded]:
    """Of the files recorded `before`, those a run over some of the rep files only (a watch:
    the day's files so far) has put out of date: the copies made from `sources` that it did
    not write again (the file came in again without errors, or has a newer copy now) and
    the return lists of `day` it did not write again (a team with nothing left to fix).
    The copies of other rep files and the lists of other days are not its to take back."""
    return {
        name: entry
        for name, entry in before.items()
        if name not in written
        and (
            (entry.kind == "copy" and entry.source in sources)
            or (entry.kind == "list" and entry.day == f"{day:%Y-%m-%d}")
        )
    }


def unrecorded(folder: Path, written: Iterable[Path]) -> list[Path]:
    """Files in `folder` named like return copies or lists that this run did not write (a
    folder of before the record): they are left as they are."""
    mine = {Path(p) for p in written}
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != OUTDATED_FOLDER)
        for name in sorted(files):
            path = Path(root) / name
            if looks_returned(name) and not name.startswith("~$") and path not in mine:
                found.append(path)
    return found


def _copy_of(name: str) -> str:
    """A copy's place less its date: `华东/一组/张伟_日报` for `华东/一组/张伟_日报_退回_<日期>.xlsx`
    (a copy of the same file written on another day replaces it)."""
    return name.rsplit("_退回_", 1)[0]


def _free(path: Path) -> Path:
    candidate, n = path, 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem} ({n}){path.suffix}")
        n += 1
    return candidate


def _prune(folder: Path, top: Path) -> None:
    """Remove `folder` and its parents up to `top` (not included) while they are empty."""
    top = top.resolve()
    here = folder.resolve()
    while here != top and top in here.parents:
        try:
            here.rmdir()
        except OSError:
            return
        here = here.parent


def _inside(name: Any) -> bool:
    """A relative path that stays inside the folder (a record edited by hand may say more)."""
    if not isinstance(name, str) or not name or "\\" in name or name.startswith("/"):
        return False
    parts = name.split("/")
    return all(p not in ("", ".", "..") for p in parts) and ":" not in parts[0]


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
