"""The store's tables (README.md "The store"), in SQLAlchemy Core.

Every imported file is a `submissions` row: its path, content hash, kind,
form, rep and period, when the store first saw that rep-period, when it was
imported, by whom, its version and status.  The rows of a file live in the
table of their form table (`activities` for the daily report's rows,
`day_closes`, `weekly_plans`, …), linked to their submission.  A resubmitted
file's rows stay in place under the old submission (status `replaced`), so
the store can show what a file said before; reading picks the `current`
submission.  Sales records and targets arrive in files that span many
rep-months, so they are replaced slice by slice: each row has `replaced_by`.

The tables the import fills row by row in bulk (the form tables, `report_days`
and `issues`) point at their submission by id without a FOREIGN KEY constraint
(schema 6): PostgreSQL checks such a constraint with a look-up and a row lock
for every row written, which took about as much of its time as the rows' three
indexes together.  Only the import writes these ids, in the transaction that
inserts the submission, and nothing deletes a submission; `orphan_rows` counts
any row whose submission is missing (the tests run it after every kind of
import).

The data columns carry the form descriptions' field keys, so a record from
the reader maps onto a row one to one (tests check that every field of a
stored form table has its column).  Changing a table means adding a
migration in `salesxl.store.migrations`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    select,
)

from salesxl.forms import FormId, TableKey

__all__ = [
    "ACTIVITIES_BY_DAY",
    "HEADER_CELLS",
    "LINKED",
    "ROW_TABLES",
    "activities",
    "audit_log",
    "column_maps",
    "customers",
    "data_columns",
    "day_closes",
    "issues",
    "metadata",
    "monthly_plans",
    "orphan_rows",
    "report_days",
    "reps",
    "sales_records",
    "schema_versions",
    "submissions",
    "target_notes",
    "target_versions",
    "targets",
    "weekly_plans",
    "weekly_reviews",
]

metadata = MetaData()

HEADER_CELLS = "_cells"  # submissions.header: header key -> (sheet, A1 cell) of its value

# Column.info marks columns that are not a form field: bookkeeping, or derived from fields.
_BOOK = {"role": "bookkeeping"}
_DERIVED = {"role": "derived"}

ID = String(64)  # rep IDs, units
CODE = String(32)  # choice codes
MONTH = String(7)  # YYYY-MM
PERIOD = String(16)  # YYYY-MM or YYYY-Www

schema_versions = Table(
    "salesxl_schema",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("description", Text, nullable=False),
    Column("applied_at", DateTime, nullable=False),
)

submissions = Table(
    "submissions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),  # roster | sales | reports | targets
    Column("form_id", String(32), nullable=False),
    Column("rep_id", ID),  # rep forms only
    Column("period", PERIOD),  # rep forms: 2026-11 / 2026-W48
    Column("period_first", Date),  # the first and last day the file covers
    Column("period_last", Date),
    Column("path", Text, nullable=False),
    Column("content_hash", String(64), nullable=False, unique=True),  # sha256 of the bytes
    Column("data_hash", String(64), nullable=False),  # sha256 of what was read
    Column("size", Integer, nullable=False),
    Column("mtime", Float),  # the file's modification time (POSIX seconds)
    Column("first_seen", DateTime, nullable=False),  # first content for this rep-period
    Column("received", String(16), nullable=False),  # store | file_time (a backfill's estimate)
    Column("imported_at", DateTime, nullable=False),
    Column("imported_by", String(200), nullable=False),
    Column("version", Integer, nullable=False),
    Column("status", String(16), nullable=False),  # current | replaced
    Column("replaced_by", ForeignKey("submissions.id")),
    Column("rows", Integer, nullable=False),
    Column("skipped_rows", Integer, nullable=False),
    # codec JSON of the header block, with where each value was under HEADER_CELLS
    Column("header", Text, nullable=False),
    Column("layout", Text, nullable=False),  # codec JSON: table -> sheet, column letters, extras
    Column("source_name", Text),  # a sales export's `import --source` name (schema 7)
    # The last save recorded inside the file (POSIX seconds; None: none, as in a CSV): which
    # of two versions of a rep-period is newer, as a folder judges it (schema 8).
    Column("saved", Float),
    # A daily report's rows left out by `import --skip-bad-rows`: codec JSON of
    # [sheet, row, day] each, the day None where the date cell did not parse (schema 8).
    Column("skipped_days", Text),
    Index("ix_submissions_slice", "form_id", "rep_id", "period", "status"),
)


def _rows(
    name: str,
    *columns: Column[Any],
    rep: bool = False,
    replaceable: bool = False,
    indexes: tuple[Index, ...] = (),
    by_day: bool = False,
) -> Table:
    """A table of form rows: which submission, which sheet row, the fields, extra columns.

    `by_day`: the rows are indexed by submission and date (schema 4), not by submission
    alone: reading a month's reports by day then reads the index only.
    """
    common: list[Column[Any]] = [
        Column("id", Integer, primary_key=True, info=_BOOK),
        Column("submission_id", Integer, nullable=False, index=not by_day, info=_BOOK),
        Column("sheet_row", Integer, nullable=False, info=_BOOK),  # the record's `_row`
    ]
    if rep:  # copied from the submission, for queries across files
        common += [
            Column("rep_id", ID, nullable=False, info=_BOOK),
            Column("period", PERIOD, nullable=False, info=_BOOK),
        ]
    if replaceable:
        common.append(Column("replaced_by", Integer, info=_BOOK))
    extra = Column("extra", Text, info=_BOOK)  # codec JSON of the record's `_extra`
    return Table(name, metadata, *common, *columns, extra, *indexes)


def data_columns(table: Table) -> list[str]:
    """The columns holding a record's fields (not bookkeeping, not derived), in table order."""
    return [c.name for c in table.columns if not c.info]


# 日报 Daily: one row per customer contact.
ACTIVITIES_BY_DAY = "ix_activities_submission_date"  # schema 4; before: ix_activities_submission_id
activities = _rows(
    "activities",
    Column("date", Date),
    Column("customer", Text),
    Column("customer_key", Text, info=_DERIVED),  # identity: tel:<digits> or name:<name>
    Column("contact", Text),
    Column("phone", Text),
    Column("source", CODE),
    Column("grade", CODE),
    Column("stage", CODE),
    Column("product", Text),
    Column("qty", Float),
    Column("price", Float),
    Column("amount", Float),
    Column("deposit", Float),
    Column("objection", CODE),
    Column("next_followup", Date),
    Column("notes", Text),
    rep=True,
    indexes=(
        Index("ix_activities_customer", "customer_key"),
        Index(ACTIVITIES_BY_DAY, "submission_id", "date"),
    ),
    by_day=True,
)

# 日清 Day close: one row per workday.
day_closes = _rows(
    "day_closes",
    Column("date", Date),
    Column("sales", Float),
    Column("forecast", Float),
    Column("analysis", Text),
    rep=True,
)

# 周计划 Plan and 上周总结 Last week.
weekly_plans = _rows(
    "weekly_plans",
    Column("date", Date),
    Column("customer", Text),
    Column("grade", CODE),
    Column("purpose", CODE),
    Column("outcome", Text),
    Column("expected_amount", Float),
    rep=True,
)
weekly_reviews = _rows(
    "weekly_reviews",
    Column("summary", Text),
    Column("analysis", Text),
    rep=True,
)

# 月计划 Key accounts.
monthly_plans = _rows(
    "monthly_plans",
    Column("customer", Text),
    Column("grade", CODE),
    Column("expected_amount", Float),
    Column("action", Text),
    Column("reason", Text),
    Column("steps", Text),
    Column("owner", Text),
    Column("start", Date),
    Column("end", Date),
    rep=True,
)

# 花名册 Roster: hire and leave dates decide who is expected to report on a day.
reps = _rows(
    "reps",
    Column("rep_id", ID, nullable=False),
    Column("name", Text),
    Column("region", Text),
    Column("team", Text),
    Column("manager", Text),
    Column("level", CODE),
    Column("hire_date", Date),
    Column("leave_date", Date),
    Column("status", CODE),
    Column("email", Text),
)

# 销售记录 Sales records from ERPs and shops: an export replaces the rows of the same
# source (header signature and `import --source` name) and rep whose dates it covers.
# A row without a rep counts toward the company and its products only.
sales_records = _rows(
    "sales_records",
    Column("date", Date, nullable=False),
    Column("month", MONTH, nullable=False, info=_DERIVED),  # of `date`, for per-month history
    Column("source", String(32), info=_BOOK),  # header signature of the export (schema v3)
    # `salesxl import sales --source NAME`: two shops with the same headers (schema 7);
    # NULL: imported without a name (every row from before schema 7)
    Column("source_name", Text, info=_BOOK),
    Column("rep_id", ID),
    Column("rep_name", Text),
    Column("customer", Text),
    Column("product", Text),
    Column("spec", Text),
    Column("batch", Text),
    Column("expiry", Date),
    Column("maker", Text),
    Column("qty", Float),
    Column("price", Float),
    Column("amount", Float),
    replaceable=True,
    indexes=(Index("ix_sales_rep_month", "rep_id", "month"),),
)

# 目标 Targets (the long sheet of targets.xlsx), replaced per month.
targets = _rows(
    "targets",
    Column("level", CODE),
    Column("unit", ID),
    Column("parent", ID),
    Column("product", Text),
    Column("month", MONTH, nullable=False),
    Column("target", Float),
    Column("stretch", Float),  # since schema 2: the tiers and the plan's version
    Column("challenge", Float),
    Column("version", Integer),
    Column("version_date", Date),
    replaceable=True,
    indexes=(Index("ix_targets_month", "month"),),
)

# The 说明 Method sheet of targets.xlsx: how each unit's figures came about (schema 2).
target_notes = _rows(
    "target_notes",
    Column("unit", ID),
    Column("product", Text),
    Column("method_used", Text),
    Column("annual_from", Text),
    Column("proposed", Float),
    Column("top_down", Float),
    Column("basis", Text),
    Column("spring", Text),
    Column("backtest", Text),
    Column("how", Text),
    Column("exact", Text),
)

# Every version of a year's targets (schema 2): the plan in force for a month is the
# latest version whose first changed month is not after it.
target_versions = Table(
    "target_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("year", Integer, nullable=False),
    Column("version", Integer, nullable=False),
    Column("version_date", Date),
    Column("effective_from", MONTH, nullable=False),  # the first month this version changed
    Column("submission_id", ForeignKey("submissions.id"), nullable=False),
    Column("path", Text, nullable=False),
    Column("imported_at", DateTime, nullable=False),
    Index("ix_target_versions_year", "year", "version"),
)

# When each day of a rep's daily report first reached the store (09:00 rule).
report_days = Table(
    "report_days",
    metadata,
    Column("rep_id", ID, primary_key=True),
    Column("day", Date, primary_key=True),
    Column("first_seen", DateTime, nullable=False),
    Column("estimated", Boolean, nullable=False),  # from a backfill's file time, not seen live
    Column("submission_id", Integer, nullable=False),
)

# Customers across reps and months: first registration wins the customer,
# first deposit wins the deal (README.md "For managers").
customers = Table(
    "customers",
    metadata,
    Column("key", Text, primary_key=True),  # tel:<digits> or name:<normalised name>
    Column("name", Text, nullable=False),  # as the first registrant wrote it
    Column("phone", Text),
    Column("first_date", Date, nullable=False),
    Column("owner_rep", ID, nullable=False),
    Column("reps", Integer, nullable=False),  # how many reps reported the customer
    Column("deposit_date", Date),
    Column("deal_rep", ID),
    Column("updated_at", DateTime, nullable=False),
)

# Issues of imported files: warnings, and the error rows --skip-bad-rows left out.
issues = Table(
    "issues",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("submission_id", Integer, nullable=False, index=True),
    Column("file", Text, nullable=False),
    Column("sheet", Text),
    Column("cell", String(16)),
    Column("row", Integer),
    Column("column", Text),
    Column("code", String(40), nullable=False),
    Column("severity", String(8), nullable=False),
    Column("message_zh", Text, nullable=False),
    Column("message_en", Text, nullable=False),
    Column("value", Text),  # codec JSON
    Column("skipped", Boolean, nullable=False),  # the row was left out of the import
    # since schema 5: a `future_date` warning's date, as its stored row holds it (the warning
    # is no longer true once that day has come); NULL for any other issue, or no stored row
    Column("future_day", Date),
)

# Who did what, when: every import and replacement.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(16), nullable=False),  # import | replace | migrate
    Column("kind", String(16)),
    Column("path", Text),
    Column("content_hash", String(64)),
    Column("submission_id", ForeignKey("submissions.id")),
    Column("details", Text),  # codec JSON
)

# Column mappings that worked (`--map`), remembered per header signature so that next
# month's export from the same system imports with no options (schema v3).
column_maps = Table(
    "column_maps",
    metadata,
    Column("signature", String(32), primary_key=True),
    Column("form_id", String(32), nullable=False),
    Column("mapping", Text, nullable=False),  # codec JSON: field key -> header
    Column("created_at", DateTime, nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("path", Text),  # the file it was first used on
)

# (form id, table key) -> the table its rows are stored in.
ROW_TABLES: dict[tuple[str, str], Table] = {
    (FormId.DAILY_REPORT, TableKey.DAILY): activities,
    (FormId.DAILY_REPORT, TableKey.DAY_CLOSE): day_closes,
    (FormId.WEEKLY_PLAN, TableKey.PLAN): weekly_plans,
    (FormId.WEEKLY_PLAN, TableKey.LAST_WEEK): weekly_reviews,
    (FormId.MONTHLY_PLAN, TableKey.ACCOUNTS): monthly_plans,
    (FormId.ROSTER, TableKey.REPS): reps,
    (FormId.SALES_RECORDS, TableKey.SALES): sales_records,
    (FormId.TARGETS, TableKey.LONG): targets,
    (FormId.TARGETS, TableKey.METHOD): target_notes,
}

# The tables that point at their submission by id alone, without a FOREIGN KEY (schema 6):
# the import fills them in bulk.  Table -> its columns holding a submission id.
LINKED: dict[Table, tuple[str, ...]] = {
    **{
        table: ("submission_id", "replaced_by") if "replaced_by" in table.c else ("submission_id",)
        for table in ROW_TABLES.values()
    },
    report_days: ("submission_id",),
    issues: ("submission_id",),
}


def orphan_rows(conn: Connection) -> dict[str, int]:
    """`table.column` -> how many rows of a LINKED table name a submission the store does
    not have (none ever should: the check that a FOREIGN KEY would make)."""
    found = {}
    for table, names in LINKED.items():
        for name in names:
            column = table.c[name]
            known = select(submissions.c.id).where(submissions.c.id == column).exists()
            n = conn.execute(
                select(func.count()).select_from(table).where(column.is_not(None), ~known)
            ).scalar_one()
            if n:
                found[f"{table.name}.{name}"] = n
    return found
