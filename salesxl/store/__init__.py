"""The store (README.md "The store"): the history a folder of files cannot keep.

When each report first arrived, customers across months, what a file said
before it was resubmitted, sales records, targets and an audit log, in an
embedded SQLite database (`salesxl.db`, or `--db URL` / `SALESXL_DB`) or a
shared PostgreSQL server.

- `import_files(kind, paths, db=...)`: roster, sales, reports or targets files,
  each all or nothing, idempotent by content hash (`salesxl import`).
- `load_period(db, period)`: the inputs of `salesxl.consolidate.consolidate`
  for one month, read back from the store.
- `sales_history(db, ...)`, `stored_roster(db)`: sales per rep × product × month
  and the roster, for `targets split --db`.
"""

from __future__ import annotations

from salesxl.store.customers import CustomerRecord, customer_key, normalise_name
from salesxl.store.engine import (
    DEFAULT_DB,
    ENV_VAR,
    StoreError,
    create_store_engine,
    display_url,
    resolve_url,
)
from salesxl.store.imports import (
    FileResult,
    ImportResult,
    Progress,
    default_actor,
    import_files,
    import_form,
)
from salesxl.store.kinds import KINDS
from salesxl.store.migrations import SCHEMA_VERSION, migrate, open_store
from salesxl.store.snapshot import (
    HISTORY_MONTHS,
    StoreInputs,
    load_history,
    load_period,
    load_submission,
    read_customers,
    sales_history,
    stored_roster,
    submission_versions,
)
from salesxl.store.versions import TargetVersion, target_version_list

__all__ = [
    "DEFAULT_DB",
    "ENV_VAR",
    "HISTORY_MONTHS",
    "KINDS",
    "SCHEMA_VERSION",
    "CustomerRecord",
    "FileResult",
    "ImportResult",
    "Progress",
    "StoreError",
    "StoreInputs",
    "TargetVersion",
    "create_store_engine",
    "customer_key",
    "default_actor",
    "display_url",
    "import_files",
    "import_form",
    "load_history",
    "load_period",
    "load_submission",
    "migrate",
    "normalise_name",
    "open_store",
    "read_customers",
    "resolve_url",
    "sales_history",
    "stored_roster",
    "submission_versions",
    "target_version_list",
]
