"""`salesxl import`: files into the store, each all or nothing (README.md "The store").

For every file: its bytes are hashed first, so a file the store already has
is reported `unchanged` without being read again (importing the same folder
twice changes nothing).  New files go through the one reader
(`salesxl.intake.files.stream_forms`, in parallel when there are many).  A
file with errors is blocked whole; with `skip_bad_rows` the rows with errors
are left out and recorded as issues, but a file-level error (unreadable,
wrong form, missing header) still blocks it.  The files read together (up
to 64) are then written in one transaction: for each, its submission, what
it replaces and an audit entry; the rows, days and issues of the batch's
reports as one insert per table (`PendingRows`; a rep's second file in a
batch sees the first's); then the customers they mention, recomputed once.
A database failure leaves none of that batch written (importing again
writes it: unchanged files are skipped).  The next batches are read while
one is written, by reading processes that last the whole import
(`_ReadAhead`).  Files are written oldest first (by modification time).

Which of two versions of a rep-period is current goes by when each was saved,
as a folder's consolidation chooses (`consolidate.inputs.collect`): two in one
import are judged as the folder judges them (`FormData.file_time`, then the
order of the files; a `duplicate_file` warning names both), and a file saved
(by the time recorded inside it) before the store's current version is kept
as an older version, with an `older_than_stored` warning, unless
`allow_older`.  Files without a save time inside (CSV) go by arrival order.
A rep's ID is folded first as a folder folds it (`RepIndex.canonical`: `s020`,
`S020` and `Ｓ020` are one rep), so its spellings are versions of one rep-period.
"""

from __future__ import annotations

import datetime as dt
import functools
import getpass
import hashlib
import os
import queue
import socket
import threading
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, func, select, text

from salesxl.core.display import displayable, is_displayable, raw_bytes
from salesxl.core.issues import Code, Issue, make_issue, message
from salesxl.core.people import names_to_ids
from salesxl.core.perf import paused_gc
from salesxl.core.periods import Month, Week
from salesxl.core.rep_ids import RepIndex
from salesxl.core.text import plural
from salesxl.forms import FORMS, REP_FORMS, FormId, Role, TableKey
from salesxl.intake.collect import real_paths
from salesxl.intake.files import collect_files, default_workers, saved_early, stream_forms
from salesxl.store import codec
from salesxl.store.bulk import PendingRows, insert_or_hold
from salesxl.store.customers import refresh_customers
from salesxl.store.engine import read_transaction, write_transaction
from salesxl.store.exports import forget_map as drop_map
from salesxl.store.exports import not_fed, remember_map, remembered_maps
from salesxl.store.kinds import (
    KINDS,
    BatchLookups,
    Kind,
    customer_keys_of,
    insert_form_rows,
    kept_sales_rows,
    look_up_batch,
    previous_versions,
    record_days,
    report_dates,
    restore_version,
    supersede,
)
from salesxl.store.migrations import open_store
from salesxl.store.prepared import prepare_for_store, prepared
from salesxl.store.refusals import REFUSAL_ISSUES, refused_content
from salesxl.store.results import FileResult, ImportResult
from salesxl.store.rows import (
    DIGEST_PREFIX,
    V2_PREFIX,
    TableRows,
    data_digest,
    digest_v2,
    future_days,
    layout_of,
    legacy_digest,
)
from salesxl.store.schema import HEADER_CELLS, audit_log, issues, reps, submissions
from salesxl.store.sources import named_hash, sales_overlaps, source_name
from salesxl.store.statistics import keep_statistics
from salesxl.store.versions import record_target_version
from salesxl.validate import FormData, ValidationContext

__all__ = ["FileResult", "ImportResult", "Progress", "default_actor", "import_files", "import_form"]

# Called with a total and a label; yields a callback advanced as work is done.
Progress = Callable[[int, str], AbstractContextManager[Callable[[int], None]]]
READ_CHUNK = 64  # files read (in parallel) and written in one transaction
FIRST_CHUNK = 16  # … but the first, read while nothing else can be done
# … and no more bytes on disk than this in one chunk (a file larger goes alone): an ERP
# export of 12 MB is some 150 MB once read, and a year of them read at once took 1.9 GB.
CHUNK_BYTES = 8 * 2**20
ROWS_BAR = 20_000  # files with at least this many rows get a progress bar of their own

Good = dict[str, TableRows]


def default_actor() -> str:
    """`user@host` for the audit log."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"{user}@{socket.gethostname()}"


def _file_hash(path: Path) -> tuple[str, int, float]:
    """sha256 of the bytes, the size and the modification time."""
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as f:
        mtime = os.fstat(f.fileno()).st_mtime
        while chunk := f.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size, mtime


def read_chunks(paths: Sequence[Path], sizes: Sequence[int]) -> list[list[Path]]:
    """`paths` (of `sizes` bytes) in the chunks an import reads and writes, in order: at most
    READ_CHUNK files, and at most CHUNK_BYTES unless one file alone is larger.  The first
    is smaller (FIRST_CHUNK files): nothing is written while it is read."""
    chunks: list[list[Path]] = []
    chunk: list[Path] = []
    total = 0
    for path, size in zip(paths, sizes, strict=True):
        most = FIRST_CHUNK if not chunks else READ_CHUNK
        if chunk and (len(chunk) >= most or total + size > CHUNK_BYTES):
            chunks.append(chunk)
            chunk, total = [], 0
        chunk.append(path)
        total += size
    if chunk:
        chunks.append(chunk)
    return chunks


def _unreadable(path: Path, exc: OSError) -> Issue:
    return make_issue(
        Code.UNREADABLE, str(path), *message(Code.UNREADABLE, "locked", error=exc.strerror or exc)
    )


@contextmanager
def _silent(total: int, label: str) -> Iterator[Callable[[int], None]]:
    yield lambda n: None


def import_files(
    kind: str,
    paths: Sequence[Path | str],
    *,
    db: str | Engine | None = None,
    skip_bad_rows: bool = False,
    backfill: bool = False,
    now: dt.datetime | None = None,
    actor: str | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    column_map: Mapping[str, str] | None = None,
    forget_map: bool = False,
    date_order: str | None = None,
    encoding: str | None = None,
    saved_times: bool = True,
    source: str | None = None,
    allow_older: bool = False,
) -> ImportResult:
    """Import every file under `paths` (files or folders) as `kind` into the store at `db`.

    `kind` is roster, sales, reports or targets.  `now` fixes the import time
    (default: the clock at each file's transaction).  A file reaches the store
    when it is imported; with `backfill` (files that came in before the store
    was used) the time it was last saved (`FormData.file_time`) stands in for
    that, marked as estimated.
    `column_map` (field key -> header) names columns no synonym knows; a map that
    imported a file is remembered for its headers and used next time without
    asking, unless `forget_map` (which drops it).  `date_order` (dmy, mdy, ymd)
    and `encoding` settle dates and CSV text that cannot be told from the file.
    `source` names the shop or system sales exports come from, for two with the same
    headers: an export replaces only the rows of its own headers and name (none: the
    unnamed source); a file imported before under another name or none moves to the
    name (the same file imported without a name after it has one is `unchanged`).
    A rep file saved before the store's current version of its rep-period is kept as an
    older version (not current) with a warning; `allow_older` makes it current all the
    same (as importing the bytes of an earlier version again does).
    Raises FileNotFoundError for a missing path, ValueError for a bad `kind` or
    `source`, and StoreError when the database cannot be used; everything wrong
    inside the files is in the result.
    """
    spec = _kind(kind)
    source = source_name(source, spec)
    progress = progress or _silent
    actor = actor or default_actor()  # asked once: the same for every file
    files, notes = collect_files([Path(p) for p in paths])
    files = list(dict.fromkeys(real_paths(files)))  # a file named twice counts once
    results: dict[Path, FileResult] = {}
    with open_store(db) as engine:
        hashes: dict[Path, tuple[str, int, float]] = {}
        for f in files:
            try:
                hashes[f] = _file_hash(f)
            except OSError as exc:  # gone or locked since it was listed: this file only
                results[f] = FileResult(
                    str(f),
                    "blocked",
                    note="not imported: cannot be read",
                    issues=[_unreadable(f, exc)],
                )
        raw = {f: h for f, (h, _, _) in hashes.items()}
        if source is not None:  # the same bytes under another name are another import
            hashes = {f: (named_hash(h, source), n, t) for f, (h, n, t) in hashes.items()}
        with read_transaction(engine) as conn:
            known = _known_hashes(conn, [h for h, _, _ in hashes.values()])
            elsewhere = _under_other_names(conn, spec, raw, source)
        sources = {f: _Source(source, tuple(s.id for s in elsewhere.get(f, []))) for f in raw}
        order = {f: i for i, f in enumerate(files)}  # the order a folder reads them in
        newest = _newest_versions(spec, hashes, known, order)
        todo = []
        for f in hashes:
            hit = known.get(hashes[f][0])
            if hit is None and source is None and elsewhere.get(f):
                # imported under a name: without one, it is still that file
                row = elsewhere[f][-1]
                results[f] = _unchanged(str(f), row, f"the same file (source {row.source_name})")
            elif hit is None:
                todo.append(f)
            elif hit.kind != spec.name:
                # the same bytes imported as another kind: this import names the wrong kind,
                # and "unchanged" would say the file is in the store as this one
                results[f] = _imported_as_other_kind(str(f), hit.form_id, spec)
            elif hit.status == "replaced" and newest.get(f, f) != f:
                # an old copy left beside the newer file: the newer one counts, as in a folder
                results[f] = _unchanged(
                    str(f), hit, f"the same file (older than {displayable(str(newest[f]))})"
                )
            elif hit.status == "replaced" and spec.per_file:
                # the same bytes as an earlier version: importing them again means "this one"
                results[f] = _restore(engine, str(f), hit, now, actor, allow_older)
            else:
                results[f] = _unchanged(str(f), hit, "the same file")
        todo.sort(key=lambda f: (hashes[f][2], str(f)))
        today = (now or dt.datetime.now()).date()
        roster_ids, roster_names, rep_names, employment = _roster(engine)
        with read_transaction(engine) as conn:
            remembered = remembered_maps(conn)
            # `s020`, `S020` and `Ｓ020` are one rep, as in a folder
            rep_ids = _rep_index(conn, roster_ids) if spec.per_file else None
        ctx = ValidationContext(
            today=today,
            roster_ids=roster_ids if spec.name == "reports" else None,
            rep_names=rep_names,  # "did you mean S020 (张三)?" for an unknown ID
            employment=employment if spec.name == "reports" else None,
            roster_names=roster_names if spec.name == "sales" else None,
            column_map=dict(column_map) if column_map else None,
            remembered_maps=remembered or None,
            forget_maps=forget_map,
            date_order=date_order,
            encoding=encoding,
            expect=spec.forms,
            saved_times=saved_times,
        )
        # two files of one rep-period in this import: the newer is current, as in a folder
        batch = _ImportBatch({str(f): i for f, i in order.items()}, allow_older=allow_older)
        chunks = read_chunks(todo, [hashes[f][1] for f in todo])
        sizes = [sum(hashes[f][1] for f in chunk) for chunk in chunks]
        # Several chunks: the next are read while this one is written, and a file's own
        # "Writing" bar would only tangle with the reading bar.
        writing = progress if len(chunks) == 1 else _silent
        # The bar counts bytes: one big ERP export moves it as much as many small reports.
        with progress(sum(sizes), "Reading") as step:
            todo_sizes = [hashes[f][1] for f in todo]
            file_sizes = iter(todo_sizes)
            forms_read = stream_forms(
                todo,
                ctx,
                # a few large exports are read side by side too, not only many reports
                workers=default_workers(len(todo), sum(todo_sizes)) if workers is None else workers,
                progress=lambda n: step(next(file_sizes, 0) * n),
                # the fingerprint and customer identities, worked out by the readers
                prepare=prepare_for_store if spec.per_file else None,
                nice=READ_NICE,
            )
            written: dict[str, int] = {}  # rows added per table, for PostgreSQL's statistics
            with _ReadAhead(chunks, sizes, forms_read) as ahead:
                for chunk, size in zip(chunks, sizes, strict=True):
                    forms = ahead.next_chunk()
                    if rep_ids is not None:
                        _fold_rep_ids(forms, rep_ids)
                    # One transaction for the chunk: a file's rows, versions, days and
                    # issues, then the customers all its files mention, recomputed once.
                    with paused_gc(), write_transaction(engine) as conn:
                        keys: set[str] = set()
                        # a batch of reports: their rows go in as one insert per table
                        held = PendingRows() if spec.name == "reports" else None
                        # their submissions go in with them: numbered here, not by the database
                        ids = SubmissionIds(conn) if held is not None else None
                        # imported since the hashes were looked up (one query for the chunk)
                        stored = set(_known_hashes(conn, [hashes[p][0] for p in chunk]))
                        # each file's versions and days known: asked once for the chunk
                        lookups = look_up_batch(conn, forms) if spec.per_file else None
                        for path, data in zip(chunk, forms, strict=True):
                            content_hash, size_on_disk, _ = hashes[path]
                            results[path] = _import(
                                conn,
                                spec,
                                data,
                                content_hash,
                                size_on_disk,
                                skip_bad_rows,
                                backfill,
                                now,
                                actor,
                                writing,
                                _Written(keys, written, stored, held, lookups, ids, batch),
                                sources[path],
                            )
                        if held is not None:
                            held.flush(conn)
                        if ids is not None:
                            ids.close()
                        written[submissions.name] = written.get(submissions.name, 0) + len(chunk)
                        if keys:
                            keep_statistics(conn, written)
                        refresh_customers(conn, keys, now or dt.datetime.now())
                    del forms
                    ahead.written(size)
    return ImportResult(spec.name, [results[f] for f in files], notes)


# How far reading runs ahead of writing: chunks read (or being read) and not yet written.
# More than one ahead keeps every reading process busy while a slow chunk is written; the
# bytes bound keeps large ERP exports (150 MB each once read) to one taken beside the one
# being written (each reading process holds at most one more, waiting to be taken: the
# year's twelve exports peak at 610 MB, against 550 MB read one by one in this process).
AHEAD_CHUNKS = 3
AHEAD_BYTES = 2 * CHUNK_BYTES
# The reading processes' priority, so many steps below the writer's.  The writing (and a
# PostgreSQL server on the same machine) is the slower half: given the cores first, it waits
# less, and the readers, ahead of it, take the time it leaves (500 reps x 2 months of
# reports: 4.1-4.5 s against 4.5-5.7 s into PostgreSQL, 4.0 s against 4.6-4.7 s into SQLite).
READ_NICE = 10


class _ReadAhead:
    """The import's forms, chunk by chunk, read by a thread ahead of the writing.

    One `stream_forms` reads every file, so the reading processes start once
    and never wait for a batch to be written unless the reading is
    AHEAD_CHUNKS chunks (or AHEAD_BYTES of files) ahead; one chunk is always
    read while another is written, however large.
    The writer takes each chunk with `next_chunk` and says when it is
    `written`; leaving the `with` block stops the reading (after the file
    in hand) and its processes.  A failure while reading is raised by
    `next_chunk`.
    """

    def __init__(
        self,
        chunks: Sequence[Sequence[Path]],
        sizes: Sequence[int],
        forms: Generator[FormData, None, None],
    ) -> None:
        self._ready: queue.SimpleQueue[tuple[bool, Any]] = queue.SimpleQueue()
        self._turn = threading.Condition()
        self._held = [0, 0]  # chunks, bytes
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._read, args=(chunks, sizes, forms), name="salesxl-read", daemon=True
        )

    def __enter__(self) -> _ReadAhead:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with self._turn:
            self._stop.set()
            self._turn.notify_all()
        self._thread.join()

    def _may_read(self, size: int) -> bool:
        chunks, held = self._held
        # always one chunk beside the one being written (as it is read while that is written)
        stop = self._stop.is_set()
        return stop or chunks <= 1 or (chunks < AHEAD_CHUNKS and held + size <= AHEAD_BYTES)

    def _read(
        self,
        chunks: Sequence[Sequence[Path]],
        sizes: Sequence[int],
        forms: Generator[FormData, None, None],
    ) -> None:
        try:
            with paused_gc():
                for chunk, size in zip(chunks, sizes, strict=True):
                    with self._turn:
                        self._turn.wait_for(functools.partial(self._may_read, size))
                        if self._stop.is_set():
                            return
                        self._held[0] += 1
                        self._held[1] += size
                    batch = []
                    for _ in chunk:
                        if self._stop.is_set():
                            return
                        batch.append(next(forms))
                    self._ready.put((True, batch))
        except BaseException as exc:  # raised again in the writer
            self._ready.put((False, exc))
        finally:
            forms.close()  # the reading processes end with it

    def next_chunk(self) -> list[FormData]:
        ok, value = self._ready.get()
        if not ok:
            raise value
        batch: list[FormData] = value
        return batch

    def written(self, size: int) -> None:
        with self._turn:
            self._held[0] -= 1
            self._held[1] -= size
            self._turn.notify_all()


def import_form(
    kind: str,
    data: FormData,
    *,
    db: str | Engine | None = None,
    content_hash: str | None = None,
    skip_bad_rows: bool = False,
    backfill: bool = False,
    now: dt.datetime | None = None,
    actor: str | None = None,
) -> FileResult:
    """Import one form already read (or built) elsewhere; the content hash defaults to its data's."""
    spec = _kind(kind)
    with open_store(db) as engine:
        if spec.per_file:
            roster_ids = _roster(engine)[0]
            with read_transaction(engine) as conn:
                _fold_rep_ids([data], _rep_index(conn, roster_ids))
        with paused_gc(), write_transaction(engine) as conn:
            digest = content_hash or data_digest(
                data, {k: TableRows.of(t) for k, t in data.tables.items()}
            )
            keys: set[str] = set()
            result = _import(
                conn,
                spec,
                data,
                digest,
                0,
                skip_bad_rows,
                backfill,
                now,
                actor,
                _silent,
                _Written(keys),
            )
            refresh_customers(conn, keys, now or dt.datetime.now())
            return result


def _kind(kind: str) -> Kind:
    try:
        return KINDS[kind]
    except KeyError:
        raise ValueError(f"unknown import kind {kind!r}; use one of {', '.join(KINDS)}") from None


_STORED = select(submissions).where(
    submissions.c.content_hash.in_(bindparam("hashes", expanding=True))
)


def _under_other_names(
    conn: Connection, spec: Kind, raw: Mapping[Path, str], name: str | None
) -> dict[Path, list[Any]]:
    """File -> the sales imports of its bytes under another source name (or none), oldest
    first: with a name its rows move to it; without one it is the file already imported."""
    if spec.name != "sales" or not raw:
        return {}
    s = submissions.c
    names = conn.execute(
        select(s.source_name).distinct().where(s.kind == spec.name, s.source_name.is_not(None))
    ).scalars()
    others = [n for n in names if n != name]
    wanted: dict[str, Path] = {}
    for f, content_hash in raw.items():
        if name is not None:
            wanted[content_hash] = f  # imported without a name
        for other in others:
            wanted[named_hash(content_hash, other)] = f
    found: dict[Path, list[Any]] = {}
    for content_hash, row in _known_hashes(conn, list(wanted)).items():
        if row.kind == spec.name:
            found.setdefault(wanted[content_hash], []).append(row)
    return {f: sorted(rows, key=lambda row: row.id) for f, rows in found.items()}


@dataclass(frozen=True, slots=True)
class _Source:
    """A sales export's `--source` name (None: the unnamed source), and the earlier imports
    of the same bytes under another name or none (their rows move to this name)."""

    name: str | None = None
    same_file: tuple[int, ...] = ()


def _known_hashes(conn: Connection, hashes: list[str]) -> dict[str, Any]:
    """Content hash -> the submission of it, for those of `hashes` the store has."""
    found: dict[str, Any] = {}
    for start in range(0, len(hashes), 500):
        chunk = hashes[start : start + 500]
        for row in conn.execute(_STORED, {"hashes": chunk}):
            found[row.content_hash] = row
    return found


@dataclass(slots=True)
class _Written:
    """What the files written in one transaction add up to."""

    customers: set[str]  # customer keys to recompute before it commits
    rows: dict[str, int] = field(default_factory=dict)  # table name -> rows added
    # content hashes that may be in the store: looked up once for the chunk, then each file
    # written (None: look each file up)
    stored: set[str] | None = None
    # rows held back for one insert per table, flushed by the caller before it commits
    # (None: each file's rows are inserted at once)
    pending: PendingRows | None = None
    # each file's versions and days, looked up once for the chunk (None: each file asks)
    lookups: BatchLookups | None = None
    # the ids of its submissions (None: numbered by the database as each is inserted)
    ids: SubmissionIds | None = None
    # the rep files of the whole import, to judge two of one rep-period as a folder does
    batch: _ImportBatch | None = None


@dataclass(slots=True)
class _Newest:
    """The newest file of a rep-period written so far in one import."""

    rank: tuple[float, int]  # its file time, then its place in the import's order
    path: str
    submission_id: int
    result: FileResult


@dataclass(slots=True)
class _ImportBatch:
    """What one import knows across its transactions of the rep files it wrote: the newest
    of each rep-period (`consolidate.inputs.collect` keeps the same file of two), and the
    order the files were named or found in (a folder's order, which breaks a tie)."""

    order: dict[str, int] = field(default_factory=dict)  # path -> place
    allow_older: bool = False  # a file saved before the current version becomes current
    newest: dict[tuple[str, str, str], _Newest] = field(default_factory=dict)
    written: set[int] = field(default_factory=set)  # submission ids this import wrote

    def rank(self, data: FormData) -> tuple[float, int]:
        return (data.file_time() or 0.0, self.order.get(data.path, len(self.order)))


class SubmissionIds:
    """The ids of the submissions one write transaction adds, numbered here so that a
    batch's submissions go in with its rows (one insert, not a round trip per file).

    Writes take turns (`write_transaction`), so the next id is known: on
    SQLite one past the largest, as SQLite itself numbers rows; on PostgreSQL
    the id sequence's next value, and `close` moves the sequence to the last id
    taken before the transaction commits.  Every submission of the transaction
    then takes its id here, so none is numbered twice.
    """

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._next: int | None = None
        self._taken = 0

    def take(self) -> int | None:
        """The next id (None: the database numbers this store's submissions itself)."""
        if self._next is None:
            if self._conn.dialect.name == "postgresql":
                first = self._conn.execute(_NEXT_ID).scalar()
            else:
                first = (self._conn.execute(select(func.max(submissions.c.id))).scalar() or 0) + 1
            if first is None:  # no id sequence: a store laid out by hand
                return None
            self._next = first
        taken = self._next + self._taken
        self._taken += 1
        return taken

    def close(self) -> None:
        """Before the transaction commits: the sequence goes past the ids taken."""
        if self._next is not None and self._taken and self._conn.dialect.name == "postgresql":
            self._conn.execute(_SET_ID, {"last": self._next + self._taken - 1})


_SEQUENCE = "pg_get_serial_sequence('submissions', 'id')"
_NEXT_ID = text(f"SELECT nextval({_SEQUENCE})")
# never backwards (were anything else to number a submission meanwhile, it would be past it)
_SET_ID = text(
    f"SELECT setval({_SEQUENCE}, "
    f"greatest(:last, coalesce(pg_sequence_last_value({_SEQUENCE}::regclass), 0)))"
)


def _roster(
    engine: Engine,
) -> tuple[
    frozenset[str] | None,
    dict[str, str] | None,
    dict[str, str] | None,
    dict[str, tuple[dt.date | None, dt.date | None]] | None,
]:
    """The current roster's rep IDs, name key -> rep ID, rep ID -> name, and rep ID -> hire
    and leave dates (Nones: no roster)."""
    with read_transaction(engine) as conn:
        current = conn.execute(
            select(submissions.c.id).where(
                submissions.c.form_id == FormId.ROSTER, submissions.c.status == "current"
            )
        ).scalar()
        if current is None:
            return None, None, None, None
        found = list(
            conn.execute(
                select(reps.c.rep_id, reps.c.name, reps.c.hire_date, reps.c.leave_date).where(
                    reps.c.submission_id == current
                )
            )
        )
    pairs = [(rep, name) for rep, name, _, _ in found]
    ids = frozenset(rep for rep, _ in pairs)
    employment = {rep: (hired, left) for rep, _, hired, left in found if hired or left}
    return ids, names_to_ids(pairs), dict(pairs), employment


def _rep_index(conn: Connection, roster_ids: frozenset[str] | None) -> RepIndex:
    """How this import spells each rep's ID: the roster's spelling, else the spelling the
    store has had longest (so that a rep's later files are versions of the same rep-period),
    else the first of the import: `RepIndex.canonical`, as a folder groups its files."""
    ids = RepIndex(roster_ids or ())
    s = submissions.c
    stored = conn.execute(
        select(s.rep_id)
        .where(s.kind == "reports", s.rep_id.is_not(None))
        .group_by(s.rep_id)
        .order_by(func.min(s.id))
    ).scalars()
    for rep_id in stored:  # seen in the order the store first had them
        ids.canonical(rep_id)
    return ids


def _fold_rep_ids(forms: Sequence[FormData], ids: RepIndex) -> None:
    """Each rep form's ID as `ids` spells it (`s020` or `Ｓ020` typed, the store's `S020`):
    its versions, the later-saved rule (`duplicate_file`, `older_than_stored`), its days and
    rows then go by one rep, as a folder's consolidation groups the files."""
    for data in forms:
        form, rep_id = data.form, data.rep_id
        if form is not None and form.rep_field and isinstance(rep_id, str) and rep_id:
            data.header[form.rep_field] = ids.canonical(rep_id)


def _newest_versions(
    spec: Kind,
    hashes: Mapping[Path, tuple[str, int, float]],
    known: Mapping[str, Any],
    order: Mapping[Path, int],
) -> dict[Path, Path]:
    """File -> the newest file of this import holding a stored version of the same
    rep-period, for the files whose bytes the store has: by file time (the save recorded
    inside it, kept by the store, or its modification time if earlier), then by `order`, as
    a folder's consolidation chooses.  An inbox keeps the old copy of a corrected report
    beside it: importing the folder again must not make the old one current again
    (`_restore`), just as a folder's consolidation counts the newer file."""
    if not spec.per_file:
        return {}
    by_key: dict[tuple[Any, ...], list[Path]] = {}
    for f, (content_hash, _, _) in hashes.items():
        hit = known.get(content_hash)
        if hit is not None and hit.kind == spec.name:
            by_key.setdefault((hit.form_id, hit.rep_id, hit.period), []).append(f)

    def rank(f: Path) -> tuple[float, int]:
        saved, mtime = known[hashes[f][0]].saved, hashes[f][2]
        return (mtime if saved is None else min(saved, mtime), order.get(f, 0))

    return {f: max(files, key=rank) for files in by_key.values() for f in files}


def _unchanged(path: str, hit: Any, what: str) -> FileResult:
    later = ", since replaced by a newer version" if hit.status == "replaced" else ""
    return FileResult(
        path,
        "unchanged",
        hit.form_id,
        hit.rep_id,
        hit.period,
        version=hit.version,
        submission_id=hit.id,
        note=f"{what} was imported on {hit.imported_at:%Y-%m-%d %H:%M} as "
        f"version {hit.version}{later}; nothing changed",
    )


def _restore(
    engine: Engine,
    path: str,
    hit: Any,
    now: dt.datetime | None,
    actor: str | None,
    allow_older: bool = False,
) -> FileResult:
    """An earlier version imported again becomes current again (the newer one is kept,
    replaced); logged as `restore`.  Not a rep file saved before the current version,
    unless `allow_older`: that stays as it is, with the warning a new file would get."""
    when = now or dt.datetime.now()
    with write_transaction(engine) as conn:
        row = conn.execute(select(submissions).where(submissions.c.id == hit.id)).one()
        if row.status == "current":  # another process restored it meanwhile
            return _unchanged(path, row, "the same file")
        current = _current_of(conn, row)
        if (
            not allow_older
            and current is not None
            and row.kind == "reports"
            and _saved_before(_stored_time(row), row.saved, current)
        ):
            result = _unchanged(path, row, "the same file")
            result.stays_current = current.id
            result.issues.append(
                _older_than_stored(path, row, _stored_time(row), row.version, current)
            )
            return result
        replaced = restore_version(conn, row, when)
        conn.execute(
            audit_log.insert().values(
                at=when,
                actor=actor or default_actor(),
                action="restore",
                kind=row.kind,
                path=displayable(path),
                content_hash=row.content_hash,
                submission_id=row.id,
                details=codec.dumps(
                    {
                        **_raw_path(path),
                        "form": row.form_id,
                        "rep_id": row.rep_id,
                        "period": row.period,
                        "version": row.version,
                        "replaced": replaced,
                    }
                ),
            )
        )
    return FileResult(
        path,
        "replaced",
        row.form_id,
        row.rep_id,
        row.period,
        version=row.version,
        submission_id=row.id,
        replaced=replaced,
        note=f"the same file as version {row.version} (imported on "
        f"{row.imported_at:%Y-%m-%d %H:%M}): it is the current version again",
    )


@dataclass(slots=True)
class _Plan:
    """A read file split into what can be stored and what blocks it."""

    good: Good
    file_errors: list[Issue]
    row_errors: list[Issue]
    skipped: int
    # a daily report's rows with errors: (sheet, row, its date; None: the date did not parse)
    skipped_days: list[tuple[str, int, dt.date | None]] = field(default_factory=list)

    @property
    def skipped_dates(self) -> set[dt.date]:
        """The days of the rows left out: reported, though in no figure."""
        return {day for _, _, day in self.skipped_days if day is not None}


def _plan(data: FormData, spec: Kind) -> _Plan:
    if data.form_id is not None and data.form_id not in spec.forms:
        return _Plan({}, [_wrong_kind(data.path, data.form_id, spec)], [], 0)
    rows_of: dict[tuple[str | None, int], str] = {}
    if any(issue.is_error and issue.row is not None for issue in data.issues):
        for key, table in data.tables.items():
            for row in TableRows.of(table).sheet_rows:
                rows_of[(table.sheet, row)] = key
    file_errors, row_errors = [], []
    bad: dict[str, set[int]] = {}
    for issue in data.issues:
        if not issue.is_error:
            continue
        table_key = rows_of.get((issue.sheet, issue.row)) if issue.row is not None else None
        if table_key is None or issue.row is None:
            file_errors.append(issue)
        else:
            bad.setdefault(table_key, set()).add(issue.row)
            row_errors.append(issue)
    good = {key: TableRows.of(t, bad.get(key, ())) for key, t in data.tables.items()}
    if data.form_id is None and not file_errors:  # pragma: no cover - the reader always says why
        file_errors.append(
            make_issue(Code.UNKNOWN_FORM, data.path, *message(Code.UNKNOWN_FORM, "unrecognised"))
        )
    skipped = sum(len(rows) for rows in bad.values())
    return _Plan(good, file_errors, row_errors, skipped, _days_of_rows(data, bad))


def _days_of_rows(data: FormData, bad: Mapping[str, set[int]]) -> list[tuple[str, int, Any]]:
    """The date of each row with errors of a daily report's contacts and 日清 Day close (the
    day it reports: a row left out by `--skip-bad-rows` still says the rep reported that day),
    None where the date cell did not parse.  Only the rows with errors are looked at."""
    if data.form_id != FormId.DAILY_REPORT:
        return []
    found = []
    for key in (TableKey.DAILY, TableKey.DAY_CLOSE):
        rows, table = bad.get(key), data.tables.get(key)
        if not rows or table is None:
            continue
        for record in table.records:
            if record["_row"] in rows:
                day = record.get(Role.DATE)
                found.append((table.sheet, record["_row"], day if type(day) is dt.date else None))
    return found


def _skipped_days(data: FormData, plan: _Plan) -> str | None:
    """`submissions.skipped_days`: the rows left out and their days (None: none left out)."""
    return codec.dumps([list(row) for row in plan.skipped_days]) if plan.skipped_days else None


def _empty_roster(path: str) -> Issue:
    """A roster without reps (the blank template) would make every report unknown."""
    return make_issue(Code.REQUIRED, path, *message(Code.REQUIRED, "empty_roster"))


def _imported_as_other_kind(path: str, form_id: str | None, spec: Kind) -> FileResult:
    """A file the store holds as another kind (a roster given to `import sales`): refused
    as the file it is, without being read again."""
    return FileResult(
        path,
        "blocked",
        form_id,
        note="not imported: 1 error",
        issues=[_wrong_kind(path, form_id, spec)],
    )


def _wrong_kind(path: str, form_id: str | None, spec: Kind) -> Issue:
    form = FORMS.get(form_id or "")
    name_zh, name_en = (form.zh, form.en) if form else (form_id, form_id)
    right = next((k.name for k in KINDS.values() if form_id in k.forms), None)
    hint_zh = f"请用 salesxl import {right} 导入。" if right else "这种文件不能导入数据库。"
    hint_en = f"Import it with: salesxl import {right}." if right else "It cannot be imported."
    return make_issue(
        Code.UNKNOWN_FORM,
        path,
        *message(
            Code.UNKNOWN_FORM,
            "wrong_kind",
            form_zh=name_zh,
            form_en=name_en,
            kind_zh=spec.zh,
            kind_en=spec.en,
            hint_zh=hint_zh,
            hint_en=hint_en,
        ),
    )


def _same_data(earlier: str, digest: str, data: FormData, good: Good) -> bool:
    """Whether a version fingerprinted `earlier` held the data fingerprinted `digest`
    (a version imported before `data_digest` has an older fingerprint: compared by that)."""
    if earlier.startswith(DIGEST_PREFIX):
        return earlier == digest
    if earlier.startswith(V2_PREFIX):
        return earlier == digest_v2(data, good)
    return earlier == legacy_digest(data, good)


def _span(data: FormData, good: Good) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day a file covers."""
    period = data.period
    if isinstance(period, Month):
        return period.first_day, period.last_day
    if isinstance(period, Week):
        return period.monday, period.sunday
    if data.form_id == FormId.SALES_RECORDS:
        sales = good.get(TableKey.SALES)
        days = set(sales.column(Role.DATE)) if sales is not None else set()
        return (min(days), max(days)) if days else (None, None)
    if data.form_id == FormId.TARGETS:
        long = good.get(TableKey.LONG)
        months = [m for m in long.column(Role.MONTH) if isinstance(m, Month)] if long else []
        return (min(months).first_day, max(months).last_day) if months else (None, None)
    return None, None


_REP_FORM_IDS = frozenset(f.id for f in REP_FORMS)


def _record_refusal(
    conn: Connection,
    spec: Kind,
    data: FormData,
    errors: list[Issue],
    content_hash: str,
    now: dt.datetime,
    actor: str,
) -> None:
    """A rep's file that was not imported is logged (action `refuse`) with its errors and its
    rows as read, so a summary from the store says why that rep's month is missing instead of
    staying silent, and shows the file's figures as provisional.  The same refused bytes are
    logged once."""
    if spec.name != "reports" or (data.form_id is not None and data.form_id not in _REP_FORM_IDS):
        return
    first, last = _span(data, {})
    if first is None:  # no period to file it under: the day the file was saved (or came in)
        saved = data.file_time()
        first = last = dt.datetime.fromtimestamp(saved).date() if saved else now.date()
    if conn.execute(
        select(audit_log.c.id).where(
            audit_log.c.action == "refuse", audit_log.c.content_hash == content_hash
        )
    ).first():
        return
    conn.execute(
        audit_log.insert().values(
            at=now,
            actor=actor,
            action="refuse",
            kind=spec.name,
            path=displayable(data.path),
            content_hash=content_hash,
            details=codec.dumps(
                {
                    **_raw_path(data.path),
                    "form": data.form_id,
                    "rep_id": data.rep_id,
                    "period": None if data.period is None else str(data.period),
                    "first": first,
                    "last": last,
                    "errors": len(errors),
                    "issues": [i.to_dict() for i in errors[:REFUSAL_ISSUES]],
                    **refused_content(data, layout_of(data)),
                }
            ),
        )
    )


def _import(
    conn: Connection,
    spec: Kind,
    data: FormData,
    content_hash: str,
    size: int,
    skip_bad_rows: bool,
    backfill: bool,
    now: dt.datetime | None,
    actor: str | None,
    progress: Progress,
    written: _Written,
    source: _Source = _Source(),
) -> FileResult:
    """Write one read file in the caller's write transaction; the customer keys it touches
    are added to `written.customers` (the caller recomputes them before it commits)."""
    plan = _plan(data, spec)
    if spec.name == "roster" and not plan.file_errors and not any(plan.good.values()):
        plan.file_errors.append(_empty_roster(data.path))
    period = str(data.period) if data.period is not None else None
    result = FileResult(
        data.path, "blocked", data.form_id, data.rep_id, period, issues=list(data.issues)
    )
    if data.forgotten is not None:  # --forget-map: dropped whether or not the file imports
        drop_map(conn, data.forgotten)
    if plan.file_errors or (plan.row_errors and not skip_bad_rows):
        if plan.file_errors and plan.file_errors[0] not in data.issues:
            result.issues.insert(0, plan.file_errors[0])
        n = len(plan.file_errors) + len(plan.row_errors)
        hint = "" if plan.file_errors else "; --skip-bad-rows imports the other rows"
        result.note = f"not imported: {n} error{'s' if n != 1 else ''}{hint}"
        if data.forgotten is not None:
            result.note += "; the column mapping remembered for its headers was dropped"
        if written.pending is not None:  # the batch's audit entries come before this one
            written.pending.flush(conn)
        _record_refusal(
            conn,
            spec,
            data,
            [*plan.file_errors, *plan.row_errors],
            content_hash,
            now or dt.datetime.now(),
            actor or default_actor(),
        )
        return result
    rows = sum(len(records) for records in plan.good.values())
    if rows == 0 and plan.row_errors:  # --skip-bad-rows left nothing: nothing is imported
        n = len(plan.row_errors)
        result.note = (
            f"not imported: every row has errors ({n} error{'s' if n != 1 else ''}); "
            "nothing was imported"
        )
        if written.pending is not None:  # the batch's audit entries come before this one
            written.pending.flush(conn)
        _record_refusal(
            conn,
            spec,
            data,
            plan.row_errors,
            content_hash,
            now or dt.datetime.now(),
            actor or default_actor(),
        )
        return result
    fed = not_fed(data)
    data.issues[:0] = fed
    result.issues[:0] = fed
    ready = prepared(data) if plan.skipped == 0 else None  # worked out from every row
    if ready is not None:
        for key, keys in ready.customer_keys.items():
            plan.good[key].customer_keys = keys
    if not spec.per_file:
        data_hash = content_hash
    else:
        data_hash = ready.fingerprint if ready is not None else data_digest(data, plan.good)
    with progress(rows if rows >= ROWS_BAR else 0, f"Writing {Path(data.path).name}") as step:
        return _write(
            conn,
            spec,
            data,
            plan,
            result,
            content_hash,
            data_hash,
            size,
            now or dt.datetime.now(),
            backfill,
            actor or default_actor(),
            step,
            written,
            source,
        )


def _write(
    conn: Connection,
    spec: Kind,
    data: FormData,
    plan: _Plan,
    result: FileResult,
    content_hash: str,
    data_hash: str,
    size: int,
    now: dt.datetime,
    backfill: bool,
    actor: str,
    step: Callable[[int], None],
    written: _Written,
    source: _Source,
) -> FileResult:
    if written.stored is None or content_hash in written.stored:
        if written.pending is not None:  # the same bytes may be a submission held back
            written.pending.flush(conn)
        hit = conn.execute(
            select(submissions).where(submissions.c.content_hash == content_hash)
        ).first()
        if hit is not None:  # another process imported it meanwhile, or another path of it did
            return _unchanged(data.path, hit, "the same file")
    pending = written.pending
    if pending is not None and data.rep_id in pending.owners:
        pending.flush(conn)  # its earlier versions' rows and days are looked up below
    rows = sum(len(records) for records in plan.good.values())
    if pending is not None and rows >= ROWS_BAR:
        pending = None  # a file big enough for its own bar: its rows go in (and count) now
    previous = previous_versions(
        conn,
        spec,
        data,
        plan.good,
        written.lookups,
        source_name=source.name,
        same_file=source.same_file,
    )
    latest = previous.rows[-1] if previous.rows else None
    if spec.per_file and latest and _same_data(latest.data_hash, data_hash, data, plan.good):
        return _unchanged(data.path, latest, "the same data")
    # a rep file older than the version that stays current: kept, not made current
    order = _judge_order(conn, data, result, previous, written) if spec.name == "reports" else None
    stays = order.stays if order is not None else None
    versions = previous.slice_versions if spec.per_file else previous.rows
    with_content = [s.first_seen for s in previous.slice_versions if s.rows > 0]
    # Reaching the store is arriving; a backfill has only the file's time to go by.
    saved = data.file_time(max(report_dates(plan.good), default=None))
    estimated = backfill and saved is not None
    arrived = min(now, dt.datetime.fromtimestamp(saved or 0)) if estimated else now
    first, last = _span(data, plan.good)
    version = 1 + max((s.version for s in versions), default=0)
    submission = dict(
        kind=spec.name,
        form_id=data.form_id,
        rep_id=data.rep_id,
        period=result.period,
        period_first=first,
        period_last=last,
        path=displayable(data.path),
        content_hash=content_hash,
        data_hash=data_hash,
        size=size,
        mtime=data.mtime,
        first_seen=min(with_content) if with_content else arrived,
        imported_at=now,
        received="file_time" if estimated else "store",
        imported_by=actor,
        version=version,
        status="current" if stays is None else "replaced",
        replaced_by=None if stays is None else stays.id,
        rows=rows,
        skipped_rows=plan.skipped,
        # the header cells ride along, so checks from the store point at the cell too
        header=codec.dumps({**data.header, HEADER_CELLS: data.header_cells}),
        layout=codec.dumps(layout_of(data)),
        source_name=source.name,
        saved=data.saved,
        skipped_days=_skipped_days(data, plan),
    )
    new_id = written.ids.take() if written.ids is not None else None
    if new_id is None:  # numbered by the database
        inserted = conn.execute(submissions.insert(), submission).inserted_primary_key
        new_id = inserted[0]  # type: ignore[index]  # an INSERT of one row has its key
    elif pending is not None and not previous.rows:  # with the batch's rows
        pending.add_row(submissions, {"id": new_id, **submission})
    else:  # now: the versions it replaces point at it (`supersede`)
        conn.execute(submissions.insert(), {"id": new_id, **submission})
    if written.stored is not None:
        written.stored.add(content_hash)
    if written.lookups is not None:
        written.lookups.wrote_slice(data)
    # said before `supersede` marks the rows they are about
    overlaps = sales_overlaps(conn, data, previous, source.name) if spec.name == "sales" else []
    if order is not None:
        order.wrote(conn, new_id, data, pending)
    if stays is not None:  # the current version stays: this one replaces nothing
        previous.rows = []
    supersede(conn, spec, new_id, previous)
    kept = kept_sales_rows(conn, data, previous, source.name) if spec.name == "sales" else None
    insert_form_rows(
        conn,
        new_id,
        data,
        plan.good,
        step=step,
        written=written.rows,
        customers=written.customers,
        pending=pending,
        source_name=source.name,
    )
    if data.form_id == FormId.TARGETS:
        long = plan.good.get(TableKey.LONG)
        records = long.records if long is not None else []
        record_target_version(conn, new_id, data.header, records, data.path, now)
    replaced = [s.id for s in previous.rows]
    remembered = remember_map(conn, data, now, actor)
    if data.form_id == FormId.DAILY_REPORT:
        record_days(
            conn,
            new_id,
            data,
            plan.good,
            arrived,
            estimated=estimated,
            pending=pending,
            batch=written.lookups,
            also=plan.skipped_dates,
        )
        written.customers |= customer_keys_of(conn, data, replaced)
    early = saved_early(data, max(report_dates(plan.good), default=None)) if estimated else None
    if early is not None:  # a backfill judged by a save time far earlier than the file's own
        data.issues.append(early)
        result.issues.append(early)
    data.issues.extend(overlaps)
    result.issues.extend(overlaps)
    _store_issues(
        conn,
        new_id,
        data.issues,
        set(map(id, plan.row_errors)),
        future_days(data, plan.good, data.issues),
        pending,
    )
    entry = dict(
        at=now,
        actor=actor,
        action="replace" if replaced else "import",
        kind=spec.name,
        path=displayable(data.path),
        content_hash=content_hash,
        submission_id=new_id,
        details=codec.dumps(
            {
                **_raw_path(data.path),
                "form": data.form_id,
                "rep_id": data.rep_id,
                "period": result.period,
                "version": version,
                "rows": rows,
                "skipped_rows": plan.skipped,
                "received": "file_time" if estimated else "store",
                **({"stays_current": stays.id} if stays is not None else {}),
                **({"source": source.name} if source.name is not None else {}),
                **({"moved": previous.moved} if previous.moved else {}),
                "replaced": [
                    {
                        "submission_id": s.id,
                        "version": s.version,
                        "path": s.path,
                        "content_hash": s.content_hash,
                        "rows": previous.replaced_rows.get(s.id, s.rows),
                    }
                    for s in previous.rows
                ],
            }
        ),
    )
    if pending is not None:  # held back with the batch's rows (a refusal flushes them first)
        pending.add_row(audit_log, entry)
        pending.owners.add(data.rep_id)
    else:
        conn.execute(audit_log.insert(), entry)
    result.status = "replaced" if replaced else "imported"
    result.rows, result.skipped_rows = rows, plan.skipped
    result.version, result.submission_id, result.replaced = version, new_id, replaced
    skipped = f", {plural(plan.skipped, 'row')} with errors left out" if plan.skipped else ""
    what = (
        f"replaced version {', '.join(str(s.version) for s in previous.rows)}"
        if replaced
        else "new"
    )
    result.note = f"{plural(rows, 'row')}, version {version} ({what}){skipped}"
    if stays is not None:
        result.stays_current = stays.id
        result.note = (
            f"{plural(rows, 'row')}, kept as version {version}, not current: version "
            f"{stays.version} ({stays.path}) was saved later and stays current{skipped}"
        )
    if kept is not None:
        gone = sum(previous.replaced_rows.values())
        result.added, result.replaced_rows, result.kept = rows, gone, kept
        result.note = (
            f"{plural(rows, 'row')} added, {plural(gone, 'earlier row')} replaced, {kept} kept "
            f"(version {version}){skipped}"
        )
    if spec.name == "sales":
        result.source = source.name
    if source.name is not None:
        result.note += f"; source {source.name}"
        if previous.moved:
            result.note += " (this file's rows imported before without a name moved to it)"
    if data.mapping_remembered:
        result.note += "; columns mapped as remembered for these headers"
    elif remembered:
        result.note += "; column mapping remembered for these headers"
    if data.forgotten is not None:
        result.note += "; the column mapping remembered for its headers was dropped"
    return result


@dataclass(slots=True)
class _Order:
    """How a rep file stands against the other versions of its rep-period (`_judge_order`)."""

    stays: Any  # the current version that stays current (None: this file becomes current)
    key: tuple[str, str, str] | None
    rank: tuple[float, int]
    batch: _ImportBatch
    result: FileResult
    # warnings stored with the version current after this file (this one, or `stays`)
    said: list[Issue] = field(default_factory=list)

    def wrote(
        self, conn: Connection, new_id: int, data: FormData, pending: PendingRows | None
    ) -> None:
        """This file is written as `new_id`: the warnings go with the current version, and
        it is the import's newest of its rep-period unless an earlier file of it is newer."""
        batch = self.batch
        batch.written.add(new_id)
        newest = batch.newest.get(self.key) if self.key is not None else None
        if self.key is not None and (newest is None or self.rank >= newest.rank):
            batch.newest[self.key] = _Newest(self.rank, data.path, new_id, self.result)
        if self.stays is None:
            data.issues.extend(self.said)
        elif self.said:  # with the version that stays, so a summary from the store says it
            _store_issues(conn, self.stays.id, self.said, set(), [None] * len(self.said), pending)


def _judge_order(
    conn: Connection, data: FormData, result: FileResult, previous: Any, written: _Written
) -> _Order:
    """Whether a rep file becomes current, as a folder's consolidation would choose between
    it and the file already current (`consolidate.inputs.collect`).

    Two files of one rep-period in this import: the newer by `FormData.file_time`, the
    later in the import's order on a tie, with a `duplicate_file` warning on the older.
    Against a version imported before: this file stays out only when both record a save
    time inside and this one's is earlier (`older_than_stored`), unless the import allows
    older files; without save times (CSV) the later import is current, as before."""
    batch = written.batch if written.batch is not None else _ImportBatch()
    period = result.period
    key = (data.form_id, data.rep_id, period) if data.form_id and data.rep_id and period else None
    rank = batch.rank(data)
    order = _Order(None, key, rank, batch, result)
    current = previous.rows[-1] if previous.rows else None
    newest = batch.newest.get(key) if key is not None else None
    if newest is not None:
        older_than_newest = rank < newest.rank
        older, newer = (data.path, newest.path) if older_than_newest else (newest.path, data.path)
        duplicate = make_issue(
            Code.DUPLICATE_FILE,
            older,
            *message(
                Code.DUPLICATE_FILE,
                rep=data.rep_id,
                period=period,
                older=displayable(older),
                newer=displayable(newer),
            ),
            value=displayable(newer),
        )
        (result if older_than_newest else newest.result).issues.append(duplicate)
        order.said.append(duplicate)
        if older_than_newest:
            order.stays = current
            return order
    if (
        current is not None
        and not batch.allow_older
        and current.id not in batch.written  # one of this import's: judged above
        and _saved_before(data.file_time(), data.saved, current)
    ):
        version = 1 + max((s.version for s in previous.slice_versions), default=0)
        late = _older_than_stored(data.path, current, data.file_time(), version, current)
        result.issues.append(late)
        order.said.append(late)
        order.stays = current
    return order


def _stored_time(row: Any) -> float | None:
    """A stored version's file time, as `FormData.file_time` gave it when it was read."""
    known = [t for t in (row.saved, row.mtime) if t is not None]
    return min(known) if known else None


def _saved_before(file_time: float | None, saved: float | None, current: Any) -> bool:
    """Whether a file (its file time, its save time inside) was saved before the stored
    version `current`: only when both record a save time inside (arrival order else)."""
    if saved is None or current.saved is None or file_time is None:
        return False
    theirs = _stored_time(current)
    return theirs is not None and file_time < theirs


def _older_than_stored(
    path: str, slice_row: Any, file_time: float | None, version: int, current: Any
) -> Issue:
    """The warning for a rep file kept as version `version` because `current` was saved
    later; `slice_row` gives its form, rep and period."""
    form = FORMS[slice_row.form_id]
    return make_issue(
        Code.OLDER_THAN_STORED,
        path,
        *message(
            Code.OLDER_THAN_STORED,
            rep=slice_row.rep_id,
            form_zh=form.zh,
            form_en=form.en,
            period=slice_row.period,
            saved=_at(file_time),
            current=displayable(current.path),
            current_saved=_at(_stored_time(current)),
            imported=f"{current.imported_at:%Y-%m-%d %H:%M}",
            version=version,
            file=displayable(path),
        ),
        value=displayable(current.path),
    )


def _at(when: float | None) -> str:
    return "?" if when is None else f"{dt.datetime.fromtimestamp(when):%Y-%m-%d %H:%M}"


def _current_of(conn: Connection, row: Any) -> Any:
    """The current version of `row`'s slice (form, rep, period), other than it; or None."""
    s = submissions.c
    return conn.execute(
        select(submissions).where(
            s.form_id == row.form_id,
            s.rep_id.is_(None) if row.rep_id is None else s.rep_id == row.rep_id,
            s.period.is_(None) if row.period is None else s.period == row.period,
            s.status == "current",
            s.id != row.id,
        )
    ).first()


def _raw_path(path: str) -> dict[str, str]:
    """A file name in no valid encoding is stored shown with U+FFFD (a database takes only
    valid text) and, in the audit log, as its bytes (hex): nothing of it is lost."""
    return {} if is_displayable(path) else {"path_bytes": raw_bytes(path).hex()}


def _store_issues(
    conn: Connection,
    submission_id: int,
    found: Sequence[Issue],
    skipped: set[int],
    future: list[dt.date | None],
    pending: PendingRows | None = None,
) -> None:
    columns: dict[str, list[Any]] = {
        "submission_id": [submission_id] * len(found),
        "file": [displayable(i.file) for i in found],
        "sheet": [i.sheet for i in found],
        "cell": [i.cell for i in found],
        "row": [i.row for i in found],
        "column": [i.column for i in found],
        "code": [i.code.value for i in found],
        "severity": [i.severity.value for i in found],
        "message_zh": [i.message_zh for i in found],
        "message_en": [i.message_en for i in found],
        "value": [None if i.value is None else codec.dumps(i.value) for i in found],
        "skipped": [id(i) in skipped for i in found],
        "future_day": future,
    }
    insert_or_hold(conn, issues, columns, pending)
