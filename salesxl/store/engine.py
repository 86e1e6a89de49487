"""Which database, and how to talk to it safely from several processes at once.

The URL comes from `--db`, else the `SALESXL_DB` environment variable, else
`salesxl.db` in the working folder (README.md "The store").  A plain file path means an
SQLite file; `postgresql://…` (or `postgres://…`) uses psycopg 3.

Concurrent imports (README.md "The store"): SQLite runs in WAL mode, so readers never wait
for a writer, with a busy timeout so a writer waits for another instead of
failing; every write transaction starts with `BEGIN IMMEDIATE`, taking the
write lock up front (a deferred transaction that reads and then writes can
fail at once when another process wrote in between).  PostgreSQL write
transactions take one transaction-level advisory lock, so imports into one
database run one file at a time while reads carry on.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import chain
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Executable, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from salesxl.core.errors import SalesxlError

__all__ = [
    "BUSY_TIMEOUT_S",
    "DEFAULT_DB",
    "ENV_VAR",
    "StoreError",
    "create_store_engine",
    "display_url",
    "fetched",
    "read_transaction",
    "resolve_url",
    "write_transaction",
]

ENV_VAR = "SALESXL_DB"
_FETCH = 10_000  # rows fetched at once by `fetched`
DEFAULT_DB = "salesxl.db"
BUSY_TIMEOUT_S = 60.0
# pg_advisory_xact_lock key for "one import transaction at a time" ('sxl' in ASCII).
_PG_IMPORT_LOCK = 0x73786C
_WRITE = "salesxl_write"
# SQLite's page cache while a write transaction runs (KiB).  With the default 2 MB the
# dirty pages of a large import spill into the WAL before it commits and are read back
# for every index entry: 200,000 sales rows took 2.7 s of CPU to write, 1.9 s with 64 MB.
# Pages are taken only as used, and the default comes back when the connection is returned.
WRITE_CACHE_KIB = 64 * 1024
_BIG_CACHE = "salesxl_big_cache"  # in a pooled connection's info: its cache to shrink back


class StoreError(SalesxlError):
    """The database cannot be used: a bad URL, a server that does not answer, a newer schema."""

    def __init__(
        self,
        message_zh: str,
        message_en: str,
        *,
        hint_zh: str = "",
        hint_en: str = "",
        setting: str = "database",
    ) -> None:
        super().__init__(message_zh, message_en, hint_zh=hint_zh, hint_en=hint_en, setting=setting)


def resolve_url(db: str | None = None, *, env: dict[str, str] | None = None) -> str:
    """`db` (the database setting) > `$SALESXL_DB` > `sqlite:///salesxl.db`, as a SQLAlchemy URL.

    A value without `://` is an SQLite file path; `postgres://` and
    `postgresql://` select the psycopg 3 driver.
    """
    environ = os.environ if env is None else env
    value = (db or "").strip() or (environ.get(ENV_VAR) or "").strip() or DEFAULT_DB
    if "://" not in value:
        return f"sqlite:///{Path(value)}"
    scheme, rest = value.split("://", 1)
    scheme = scheme.lower()
    if scheme in ("postgres", "postgresql"):
        return f"postgresql+psycopg://{rest}"
    if scheme in ("postgresql+psycopg", "sqlite", "sqlite+pysqlite"):
        return f"{scheme}://{rest}"
    raise StoreError(
        f"{value!r} 不是 salesxl 能使用的数据库",
        f"{value!r} is not a database salesxl can use",
        hint_zh="请给出 SQLite 文件（salesxl.db 或 sqlite:///path/to/salesxl.db）"
        "或 PostgreSQL 地址（postgresql://user@host/dbname）",
        hint_en="give an SQLite file (salesxl.db or sqlite:///path/to/salesxl.db) or a "
        "PostgreSQL URL (postgresql://user@host/dbname)",
    )


def display_url(url: str) -> str:
    """The URL with its password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def create_store_engine(db: str | None = None) -> Engine:
    """An engine for the resolved URL, with the concurrency settings of this module."""
    url = resolve_url(db)
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(
            f"{url!r} 不是数据库地址（{exc}）", f"{url!r} is not a database URL ({exc})"
        ) from None
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, parsed.database)
    try:
        return create_engine(url, pool_pre_ping=True)
    except (ModuleNotFoundError, NoSuchModuleError):
        raise StoreError(
            "使用 PostgreSQL 需要安装 psycopg 3",
            "PostgreSQL needs psycopg 3",
            hint_zh="pip install 'salesxl[postgres]'",
            hint_en="pip install 'salesxl[postgres]'",
        ) from None


def _sqlite_engine(url: str, database: str | None) -> Engine:
    if database and database != ":memory:":
        folder = Path(database).expanduser().resolve().parent
        if folder.exists() and not folder.is_dir():
            raise StoreError(
                f"无法创建数据库 {database}：{folder} 是一个文件，不是文件夹",
                f"cannot create the database {database}: {folder} is a file, not a folder",
                hint_zh="请给出一个文件夹中的数据库文件名，或另选数据库",
                hint_en="give a database file name inside a folder, or choose another database",
            )
        if not folder.is_dir():
            raise StoreError(
                f"无法创建数据库 {database}：文件夹 {folder} 不存在",
                f"cannot create the database {database}: the folder {folder} does not exist",
                hint_zh="请创建该文件夹，或另选数据库",
                hint_en="create it or choose another database",
            )
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, record: Any) -> None:
        # Transactions are begun explicitly below, not by the driver.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        record.info[_BIG_CACHE] = cursor.execute("PRAGMA cache_size").fetchone()[0]
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get(_WRITE, False)
        if write:
            conn.exec_driver_sql(f"PRAGMA cache_size=-{WRITE_CACHE_KIB}")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    @event.listens_for(engine, "checkin")
    def _on_checkin(dbapi_connection: Any, record: Any) -> None:
        if dbapi_connection is not None and _BIG_CACHE in record.info:
            dbapi_connection.execute(f"PRAGMA cache_size={int(record.info[_BIG_CACHE])}")

    return engine


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One write transaction: all of it is committed, or (on any exception) none of it."""
    try:
        with engine.connect() as conn:
            conn.execution_options(**{_WRITE: True})
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_IMPORT_LOCK}
                    )
                yield conn
    except DBAPIError as exc:
        raise _store_error(engine, exc) from exc


@contextmanager
def read_transaction(engine: Engine) -> Iterator[Connection]:
    """A read-only snapshot (SQLite WAL readers never block writers, nor wait for them).

    On PostgreSQL the transaction is REPEATABLE READ, so every query of one
    read sees the same imports even while others commit.
    """
    try:
        with engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn
    except DBAPIError as exc:
        raise _store_error(engine, exc) from exc


def _store_error(engine: Engine, exc: DBAPIError) -> StoreError:
    where = display_url(engine.url.render_as_string(hide_password=False))
    reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
    lowered = reason.lower()
    if exc.connection_invalidated or any(w in lowered for w in ("connect", "resolve host")):
        return StoreError(
            f"无法连接数据库 {where}：{reason}。",
            f"cannot connect to the database {where}: {reason}.",
            hint_zh="请检查服务器是否在运行，以及地址（主机、端口、用户、数据库）是否正确",
            hint_en="Check that the server runs and the URL (host, port, user, database) is right.",
        )
    if "locked" in lowered:
        return StoreError(
            f"数据库 {where} 被另一个进程锁定了 {BUSY_TIMEOUT_S:g} 秒",
            f"the database {where} stayed locked for {BUSY_TIMEOUT_S:g} s by another process",
            hint_zh="请等另一个导入完成后再试",
            hint_en="try again when the other import has finished.",
        )
    unwritable = _unwritable_folder(engine) if "unable to open" in lowered else None
    if unwritable is not None or "readonly database" in lowered:
        # SQLite says "unable to open" when it cannot create the file (or its -wal journal)
        folder, why = unwritable or (None, reason)
        place = f"文件夹 {folder}" if folder else "该文件"
        place_en = f"the folder {folder}" if folder else "the file"
        return StoreError(
            f"无法写入数据库 {where}：{place} 不可写（{why}）",
            f"cannot write the database {where}: {place_en} cannot be written ({why})",
            hint_zh="请检查文件夹和文件的权限，或另选一个可写文件夹中的数据库",
            hint_en="check the permissions of the folder and the file, or give a database "
            "in a folder you can write to",
        )
    if "unable to open database file" in lowered or "file is not a database" in lowered:
        return StoreError(
            f"{where} 不是可用的 SQLite 数据库文件：{reason}",
            f"{where} is not an SQLite database file salesxl can use: {reason}",
            hint_zh="请给出 salesxl 的 .db 文件，或一个已有文件夹中的新文件名",
            hint_en="give the store's .db file, or a new file name in a folder that exists",
        )
    return StoreError(f"数据库 {where} 出错：{reason}", f"database error in {where}: {reason}")


def _unwritable_folder(engine: Engine) -> tuple[Path, str] | None:
    """The SQLite file's folder and why, when it takes no new file (SQLite creates the
    database and its -wal journal there); None when it does, or the store is no file."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        return None
    path = Path(database).expanduser()
    if path.is_dir():  # a folder given as the store: not a database file
        return None
    folder = path.resolve().parent
    probe = folder / f".salesxl-probe-{os.getpid()}.tmp"
    try:
        os.close(os.open(probe, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except OSError as exc:
        return folder, exc.strerror or type(exc).__name__
    probe.unlink()
    return None


def fetched(conn: Connection, query: Executable) -> Iterator[Any]:
    """The rows of `query`, fetched from the driver many at a time: iterating a result
    fetches one row per call, a microsecond a row more, and a month of 5,000 reps with the
    two before reads about two million rows of figures and trails."""
    return chain.from_iterable(conn.execute(query).partitions(_FETCH))
