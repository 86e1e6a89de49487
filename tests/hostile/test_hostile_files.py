"""Every hostile or freak file costs little, says what is wrong with it, and costs no other file.

Each file of `tests.hostile.build` is read in a forked child of one probe
process, which reports the issue codes, the CPU seconds and how much its
memory grew (bounds: 5 s and 500 MB, far above what the guards need, so
only a missing guard can break them).  Then the whole set goes, beside good
reports, through the real commands: validate, consolidate and import must
each finish, give every hostile file its issue, and count the good reports
exactly.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from salesxl.core.display import displayable
from salesxl.intake.files import load_form
from tests.hostile.build import GOOD, HOSTILE, build_all, build_good, report

pytestmark = pytest.mark.skipif(
    not hasattr(os, "fork"), reason="the probe forks a child per file (POSIX only)"
)

ROOT = Path(__file__).resolve().parents[2]
CPU_SECONDS = 5.0
MEMORY_MB = 500.0


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build_all(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def probed(hostile: dict[str, Path]) -> dict[str, dict[str, object]]:
    """name -> what reading it in a child of the probe cost and said."""
    names = {os.fsencode(path): name for name, path in hostile.items()}
    run = subprocess.run(
        [sys.executable, "-m", "tests.hostile.probe", *names],
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    found = {}
    for line in run.stdout.splitlines():
        result = json.loads(line)
        found[names[os.fsencode(result.pop("file"))]] = result
    return found


@pytest.mark.parametrize("case", HOSTILE, ids=[h.name for h in HOSTILE])
def test_each_file_is_read_within_bounds_and_says_why(case, probed):
    got = probed[case.name]
    assert got["status"] == 0, f"{case.name}: the reading process died ({got['status']})"
    assert got["cpu_s"] < CPU_SECONDS, got
    assert got["grew_mb"] < MEMORY_MB, got
    if case.codes is not None:
        assert case.codes <= set(got["codes"]), got
    if case.reads:  # a freak that is fine: the one closed deal of the report, nothing wrong
        assert (got["form"], got["rows"], got["codes"]) == ("daily_report", 1, []), got


def test_a_dtd_reaches_no_network(tmp_path):
    """An external entity in any part: the file is refused before anything could fetch it."""
    from tests.hostile import build

    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        server.setblocking(False)
        port = build.DTD_PORT
        build.DTD_PORT = server.getsockname()[1]
        try:
            files = build_all(tmp_path, only=frozenset(h.name for h in HOSTILE if "xxe" in h.name))
        finally:
            build.DTD_PORT = port
        assert len(files) == 10
        for path in files.values():
            data = load_form(path)
            assert [i.code.value for i in data.issues] == ["unreadable"]
            assert "DTD" in data.issues[0].message_en
        with pytest.raises(BlockingIOError):
            server.accept()  # nobody called


def _salesxl(*args: str | bytes, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    exe = Path(sys.executable).with_name("salesxl")
    return subprocess.run([exe, *args], cwd=cwd, capture_output=True, timeout=600)


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory, hostile: dict[str, Path]) -> Path:
    """The hostile files beside the good reports, plus paths that must be passed over."""
    folder = tmp_path_factory.mktemp("inbox")
    for path in hostile.values():
        os.link(path, folder / path.name)
    build_good(folder)
    (folder / "~$S001_张伟_日报_2026-11.xlsx").write_bytes(b"\x05owner")
    report(folder / ".S001_copy.xlsx", "S001", "张伟")
    os.mkfifo(folder / "S160_pipe.xlsx")
    return folder


@pytest.fixture(scope="module")
def checked(inbox: Path) -> list[dict[str, object]]:
    run = _salesxl("validate", inbox, "--format", "json", "--as-of", "2026-11-24", cwd=inbox)
    assert run.returncode == 1, run.stderr.decode()
    return json.loads(run.stdout)["issues"]  # the report: {valid, stats, issues}


def test_validate_gives_every_file_its_issue(checked, hostile):
    codes: dict[str, set[str]] = {}
    for issue in checked:
        codes.setdefault(Path(str(issue["file"])).name, set()).add(str(issue["code"]))
    for case in HOSTILE:
        found = codes.get(displayable(hostile[case.name].name), set())
        if case.codes is not None:
            assert case.codes <= found, (case.name, found)
        if case.reads:
            assert not found, (case.name, found)
    for rep, (name, _) in GOOD.items():
        assert f"{rep}_{name}_日报_2026-11.xlsx" not in codes
    # every path passed over says why
    assert codes["~$S001_张伟_日报_2026-11.xlsx"] == {"skipped"}
    assert codes[".S001_copy.xlsx"] == {"skipped"}
    assert codes["S160_pipe.xlsx"] == {"skipped"}


def test_the_text_report_keeps_one_file_on_one_line(inbox):
    run = _salesxl("validate", inbox, "--as-of", "2026-11-24", cwd=inbox)
    text = run.stdout.decode("utf-8")
    assert "S151_forged\\nline.xlsx" in text  # escaped, not a forged line
    assert not any(line.startswith("line.xlsx") for line in text.splitlines())
    assert "S150_\ufffd\ufffd" in text  # a GBK name, shown with replacement characters


def test_consolidate_finishes_and_counts_the_good_reports_exactly(inbox, tmp_path):
    out = tmp_path / "summary.xlsx"
    run = _salesxl(
        "consolidate",
        inbox,
        "--period",
        "2026-11",
        "--as-of",
        "2026-11-24",
        "--workers",
        "2",
        "-o",
        out,
        cwd=inbox,
    )
    assert run.returncode == 0, run.stderr.decode()
    by_rep = openpyxl.load_workbook(out, read_only=True)["销售员 By rep"]
    rows = list(by_rep.iter_rows(values_only=True))
    head = [str(h).split("\n")[0] for h in rows[0]]
    amount = {row[0]: row[head.index("金额")] for row in rows[1:]}
    # by hand: S001 3,000 + 4,500; S002 12,000; S003 1,200 + 800 + 2,000
    assert (amount["S001"], amount["S002"], amount["S003"]) == (7500, 12000, 4000)
    # the freak files that are fine count like any report (one deal of 3,000 or 1,000 each)
    assert amount["S150"] == 1000 and amount["S151"] == 1000 and amount["S113"] == 3000
    # a file refused whole adds nothing; a cell of 9e307 or NaN is not counted
    assert amount.get("S101") in (None, 0) and amount.get("S132") in (None, 0)


def test_import_stores_the_good_reports_and_refuses_only_the_hostile(inbox, tmp_path):
    db = tmp_path / "sx.db"
    run = _salesxl("import", "reports", inbox, "--db", db, "--format", "json", cwd=inbox)
    assert run.returncode == 1, run.stderr.decode()  # some files were not imported
    result = json.loads(run.stdout)
    status = {Path(f["path"]).name: f["status"] for f in result["results"]}
    for rep, (name, _) in GOOD.items():
        assert status[f"{rep}_{name}_日报_2026-11.xlsx"] == "imported"
    assert status["S150_\ufffd\ufffd\u03b0_\ufffd\u0571\ufffd.xlsx"] == "imported"
    assert status["S101_hostile.xlsx"] == "blocked"
    with sqlite3.connect(db) as conn:
        stored = dict(conn.execute("select rep_id, sum(amount) from activities group by rep_id"))
        raw = [
            json.loads(details)["path_bytes"]
            for (details,) in conn.execute("select details from audit_log")
            if "path_bytes" in details
        ]
    assert (stored["S001"], stored["S002"], stored["S003"]) == (7500, 12000, 4000)
    # the GBK name is kept byte for byte in the audit log
    assert bytes.fromhex(raw[0]).endswith(b"S150_\xd5\xc5\xce\xb0_\xc8\xd5\xb1\xa8.xlsx")
