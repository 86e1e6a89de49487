"""A throwaway PostgreSQL server for a benchmark, started as the tests start theirs.

initdb + pg_ctl in a temporary folder on a free port, durability off (a
benchmark's data is regenerated at will); as root the server runs as the
`postgres` user, else `nobody`.  `server()` yields the base URL
`postgresql://postgres@127.0.0.1:PORT`.  `server(keep=folder)` keeps its
data in `folder` and stops without removing it: started again on the same
folder, it serves what it had (a large store imported once, timed many times).
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

__all__ = ["create_database", "server", "server_cpu"]

_DATA: dict[str, Path] = {}  # base URL -> the data folder of its server


def _bindir() -> Path:
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).parent
    candidates = sorted(
        (p.parent for p in Path("/usr/lib/postgresql").glob("*/bin/initdb")),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    if not candidates:
        raise SystemExit("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    return candidates[-1]


def _user() -> pwd.struct_passwd | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise SystemExit("running as root without a postgres or nobody user to run PostgreSQL as")


def _run(args: Sequence[str | Path], user: pwd.struct_passwd | None) -> None:
    extra: dict[str, Any] = {}
    if user is not None:
        extra = {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    done = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, env=env, check=False, **extra
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, args))} failed:\n{done.stdout}\n{done.stderr}")


@contextmanager
def server(
    memory_mb: int = 256, settings: Sequence[str] = (), keep: Path | None = None
) -> Iterator[str]:
    """Start a server for the length of the `with` block; yields its base URL.

    `settings`: more `name=value` server settings (`shared_preload_libraries=...`).
    `keep`: the folder of its data, made on first use and kept afterwards.
    """
    bindir, user = _bindir(), _user()
    shared = "/tmp" if user is not None else None
    if keep is not None:
        root = keep.resolve()
        root.mkdir(parents=True, exist_ok=True)
    else:
        root = Path(tempfile.mkdtemp(prefix="salesxl-bench-pg-", dir=shared))
    if user is not None:
        os.chown(root, user.pw_uid, user.pw_gid)
    data = root / "data"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    if not (data / "PG_VERSION").exists():
        init = [bindir / "initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8"]
        _run([*init, "--locale=C", "--no-sync"], user)
    options = (
        f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=20 "
        f"-c shared_buffers={memory_mb}MB -c work_mem=64MB -c maintenance_work_mem=256MB "
        "-c max_wal_size=4GB"
    ) + "".join(f" -c {setting}" for setting in settings)
    log = root / "server.log"
    _run([bindir / "pg_ctl", "-D", data, "-l", log, "-w", "-t", "60", "-o", options, "start"], user)
    url = f"postgresql://postgres@127.0.0.1:{port}"
    _DATA[url] = data
    try:
        yield url
    finally:
        _DATA.pop(url, None)
        if keep is not None:  # a clean stop: the data is used again
            _run([bindir / "pg_ctl", "-D", data, "-m", "fast", "-w", "stop"], user)
        else:
            try:
                _run([bindir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"], user)
            finally:
                shutil.rmtree(root, ignore_errors=True)


def server_cpu(url: str) -> float:
    """CPU seconds the server at `url` (a database URL on it) has used so far: the
    postmaster, its live processes and the ended ones it reaped."""
    base = url.rsplit("/", 1)[0] if url.count("/") > 2 else url
    pid = int((_DATA[base] / "postmaster.pid").read_text().split()[0])
    tick = os.sysconf("SC_CLK_TCK")

    def stat(p: int, reaped: bool) -> float:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        used = int(fields[11]) + int(fields[12])  # utime, stime
        if reaped:
            used += int(fields[13]) + int(fields[14])  # cutime, cstime
        return used / tick

    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return stat(pid, True) + sum(stat(int(c), False) for c in children)


def create_database(base: str, name: str) -> str:
    """A new empty database on the server at `base`; returns its URL."""
    import psycopg

    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"
