"""明细 Details: the rows wait on disk while reports are read and stream back in order."""

from __future__ import annotations

import datetime as dt
import gc
import tempfile

import openpyxl
import pytest

import salesxl.consolidate as consolidation
from salesxl.consolidate import consolidate_inbox
from salesxl.consolidate.details import SpooledTable
from salesxl.consolidate.workbook import write_summary
from salesxl.core.periods import Month
from tests.hostile.build import GOOD, build_good

NOV = Month(2026, 11)
AS_OF = dt.date(2026, 11, 24)


@pytest.fixture
def inbox(tmp_path):
    folder = tmp_path / "inbox"
    build_good(folder)
    return folder


@pytest.fixture
def spool_home(tmp_path, monkeypatch):
    """Temporary files of the test go here, where the test can see them."""
    home = tmp_path / "tmp"
    home.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(home))
    return home


@pytest.mark.parametrize("workers", [1, 2])  # read here, or in worker processes
def test_rows_wait_on_disk_and_go_with_the_summary(inbox, tmp_path, spool_home, workers):
    summary = consolidate_inbox([inbox], period=NOV, as_of=AS_OF, details=True, workers=workers)
    assert summary.results is not None
    tables = [table for _, table, _ in summary.results.tables]
    assert len(tables) == 3 and all(isinstance(t, SpooledTable) for t in tables)
    assert all(len(t) == 0 for t in tables)  # no row left in memory
    (spool,) = spool_home.glob("salesxl-details-*")
    assert len(list(spool.iterdir())) == 3  # a file per report
    out = write_summary(summary, tmp_path / "summary.xlsx", details=True)
    sheet = openpyxl.load_workbook(out, read_only=True)["明细 Details"]
    rows = list(sheet.iter_rows(values_only=True))
    amount = next(i for i, head in enumerate(rows[0]) if head.endswith("Amount"))
    by_rep: dict[str, list[float]] = {}
    for row in rows[1:]:
        by_rep.setdefault(row[0], []).append(row[amount])
    # every deal in its report's order: S001 3,000 + 4,500; S002 12,000; S003 1,200 + 800 + 2,000
    assert by_rep == {rep: list(amounts) for rep, (_, amounts) in GOOD.items()}
    del summary, tables
    gc.collect()
    assert not spool.exists()  # gone with the summary


def test_the_spool_goes_when_the_run_fails(inbox, spool_home, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("consolidation failed")

    monkeypatch.setattr(consolidation, "consolidate", fail)
    try:
        consolidate_inbox([inbox], period=NOV, as_of=AS_OF, details=True, workers=1)
    except RuntimeError as failure:  # the error, and the run's frame with it, still held
        assert str(failure) == "consolidation failed"
        assert list(spool_home.glob("salesxl-details-*")) == []  # removed already
    else:
        pytest.fail("the run did not fail")


def test_slices_are_views_in_the_same_order(inbox, spool_home):
    summary = consolidate_inbox([inbox], period=NOV, as_of=AS_OF, details=True, workers=1)
    rows = summary.sheet("details").rows
    every = list(rows)
    assert len(rows) == len(every) == 6  # 2 + 1 + 3 deals
    for start, stop in [(0, 2), (2, 4), (1, 6), (5, 6), (4, 100), (6, 9)]:
        piece = rows[start:stop]
        assert len(piece) == len(every[start:stop])
        assert list(piece) == every[start:stop]
    assert rows[3] == every[3] and rows[-1] == every[-1]
    assert list(rows[1:5][1:3]) == every[2:4]  # a view of a view
    with pytest.raises(IndexError):
        rows[6]
