"""A file that kills its reading process, or never ends, costs only that file.

The reading functions below stand in for what no guard foresaw (python-calamine
aborting on a failed allocation, the kernel's OOM killer, an endless loop): they
run in the reading process of one file and end it.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import time

import pytest

from salesxl.intake.files import load_forms
from salesxl.read.guards import Limits
from salesxl.validate import FormData, ValidationContext
from tests.hostile.build import report

CTX = ValidationContext(today=dt.date(2026, 11, 24))


def _abort_on_s007(data: FormData) -> FormData:
    if "S007" in data.path:
        os.abort()  # what a failed Rust allocation does
    return data


def _killed_on_s007(data: FormData) -> FormData:
    if "S007" in data.path:
        os.kill(os.getpid(), signal.SIGKILL)  # what the OOM killer does
    return data


def _endless_on_s007(data: FormData) -> FormData:
    if "S007" in data.path:
        time.sleep(3600)
    return data


@pytest.fixture
def reports(tmp_path):
    # rep S00i closed one deal of 100 × i
    return [
        report(tmp_path / f"S{i:03d}.xlsx", f"S{i:03d}", f"rep {i}", (100.0 * i,))
        for i in range(1, 21)
    ]


def _amount(data: FormData) -> float:
    return sum(r["amount"] or 0 for r in data.records("daily"))


@pytest.mark.parametrize("prepare", [_abort_on_s007, _killed_on_s007])
def test_a_worker_that_dies_costs_only_its_file(reports, prepare):
    forms = load_forms(reports, CTX, workers=2, prepare=prepare)
    assert [d.path for d in forms] == [str(p) for p in reports]  # input order kept
    dead = forms[6]
    assert [i.code.value for i in dead.issues] == ["too_large"]  # SIGABRT/SIGKILL: memory
    assert dead.form_id is None and "the other files were" in dead.issues[0].message_en
    others = forms[:6] + forms[7:]
    assert all(d.form_id == "daily_report" and not d.issues for d in others)
    # by hand: 100 × (1 + 2 + … + 20) less S007's 700 = 21,000 - 700
    assert sum(_amount(d) for d in others) == 20_300


def test_a_file_that_never_ends_is_stopped_at_the_time_limit(reports):
    ctx = ValidationContext(today=CTX.today, limits=Limits(max_read_seconds=2))
    forms = load_forms(reports, ctx, workers=2, prepare=_endless_on_s007)
    stopped = forms[6]
    assert [i.code.value for i in stopped.issues] == ["too_large"]
    assert "time limit" in stopped.issues[0].message_en
    assert sum(_amount(d) for d in forms) == 20_300
