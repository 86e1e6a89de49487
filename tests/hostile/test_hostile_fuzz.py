"""Property: whatever a report's bytes or XML are mutated into, `salesxl validate` ends, with
exit code 0 or 1, and never a traceback.

A fixed budget keeps CI short (`SALESXL_FUZZ_EXAMPLES`, default 60 per kind, the same
examples every run); set it higher, with `SALESXL_FUZZ_RANDOM=1`, for a longer hunt.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import re
import signal
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salesxl.cli import main
from tests.hostile.build import report

EXAMPLES = int(os.environ.get("SALESXL_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not os.environ.get("SALESXL_FUZZ_RANDOM"),
    suppress_health_check=[HealthCheck.too_slow],
)
HANG_SECONDS = 60  # one example; far beyond what reading a mutated 10 KB report takes


@functools.cache
def _report() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        return report(Path(folder) / "S001.xlsx", "S001", "张伟", (3000.0, 4500.0)).read_bytes()


@functools.cache
def _parts() -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(_report())) as z:
        return {info.filename: z.read(info) for info in z.infolist()}


@contextlib.contextmanager
def _no_hang() -> Iterator[None]:
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def hung(signum: int, frame: object) -> None:
        raise TimeoutError(f"validate did not end within {HANG_SECONDS} s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(HANG_SECONDS)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _validate(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "S001_日报.xlsx"
        path.write_bytes(data)
        with _no_hang():
            result = CliRunner().invoke(main, ["validate", str(path), "--as-of", "2026-11-24"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code in (0, 1), result.output


_BYTE_EDIT = st.tuples(
    st.sampled_from(["flip", "insert", "delete", "truncate"]),
    st.floats(0, 1, exclude_max=True),
    st.binary(min_size=1, max_size=8),
)


@FUZZ
@given(st.lists(_BYTE_EDIT, min_size=1, max_size=6))
def test_byte_mutations_end_in_0_or_1(edits):
    data = bytearray(_report())
    for op, where, payload in edits:
        at = int(where * len(data))
        if op == "flip":
            data[at : at + len(payload)] = bytes(
                b ^ p for b, p in zip(data[at:], payload, strict=False)
            )
        elif op == "insert":
            data[at:at] = payload
        elif op == "delete":
            del data[at : at + len(payload)]
        else:
            del data[at:]
        if not data:
            data = bytearray(b"PK")
    _validate(bytes(data))


_TAG = re.compile(rb"<[^<>]+>")
_NUMBER = re.compile(rb"\d+")
_HOSTILE = [
    b"-1",
    b"0",
    b"1048577",
    b"99999999999999999999",
    b"1e400",
    b"NaN",
    b"1.5",
    b"XFD1048576",
    b"A0",
    b"&lol;",
    b"]]>",
    b"<!--",
    b"\xff\xfe",
    b'<c r="ZZZZ9"><v>1</v></c>',
]
_XML_EDIT = st.tuples(
    st.sampled_from(["drop_tag", "double_tag", "number", "insert", "truncate"]),
    st.floats(0, 1, exclude_max=True),
    st.sampled_from(_HOSTILE),
)


def _edit_xml(xml: bytes, op: str, where: float, payload: bytes) -> bytes:
    if op in ("drop_tag", "double_tag"):
        tags = list(_TAG.finditer(xml))
        if not tags:
            return xml
        tag = tags[int(where * len(tags))]
        copy = b"" if op == "drop_tag" else tag.group() * 2
        return xml[: tag.start()] + copy + xml[tag.end() :]
    if op == "number":
        numbers = list(_NUMBER.finditer(xml))
        if not numbers:
            return xml
        number = numbers[int(where * len(numbers))]
        return xml[: number.start()] + payload + xml[number.end() :]
    at = int(where * len(xml))
    return xml[:at] + payload + xml[at:] if op == "insert" else xml[:at]


@FUZZ
@given(
    st.sampled_from(sorted(n for n in _parts() if n.endswith((".xml", ".rels")))),
    st.lists(_XML_EDIT, min_size=1, max_size=4),
)
def test_xml_mutations_end_in_0_or_1(part, edits):
    parts = dict(_parts())
    for op, where, payload in edits:
        parts[part] = _edit_xml(parts[part], op, where, payload)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:  # sizes and CRCs honest
        for name, data in parts.items():
            z.writestr(name, data)
    _validate(out.getvalue())


def test_the_unmutated_report_is_valid():
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "S001.xlsx"
        path.write_bytes(_report())
        result = CliRunner().invoke(main, ["validate", str(path), "--as-of", "2026-11-24"])
    assert result.exit_code == 0, result.output
