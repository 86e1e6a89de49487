"""What the store works out from every row of a rep's file, worked out where it was read.

`salesxl import reports` reads files in several processes while the parent
writes the previous batch into the store; the parent is the one that cannot
be parallelised, so the per-row work that needs no database — the file's
data fingerprint and each contact's customer identity — is done by the
reading process (`load_forms(prepare=prepare_for_store)`) and travels back
with the file (`FormData.digest`).  The parent uses it only when every row
is stored (a row left out by `--skip-bad-rows` changes both: it works them
out again).
"""

from __future__ import annotations

from dataclasses import dataclass

from salesxl.store.kinds import customer_keys
from salesxl.store.rows import TableRows, data_digest
from salesxl.store.schema import ROW_TABLES, activities
from salesxl.validate import FormData

__all__ = ["StoreDigest", "prepare_for_store", "prepared"]


@dataclass(frozen=True, slots=True)
class StoreDigest:
    fingerprint: str  # `data_digest` of all the file's rows
    customer_keys: dict[str, list[str | None]]  # table key -> each row's customer identity


def prepare_for_store(data: FormData) -> FormData:
    """The `prepare` step of `load_forms` for files imported one slice each (rep forms,
    rosters): sets `data.digest` to their `StoreDigest`."""
    if data.form_id is None:
        return data
    good = {key: TableRows.of(t) for key, t in data.tables.items()}
    keys = {
        key: customer_keys(rows)
        for key, rows in good.items()
        if ROW_TABLES.get((data.form_id, key)) is activities
    }
    data.digest = StoreDigest(data_digest(data, good), keys)
    return data


def prepared(data: FormData) -> StoreDigest | None:
    """The file's `StoreDigest`, if its reading process made one."""
    return data.digest if isinstance(data.digest, StoreDigest) else None
