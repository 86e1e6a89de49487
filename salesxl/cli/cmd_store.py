"""`salesxl store`: looking after the store itself (moving it to another database)."""

from __future__ import annotations

import click

from salesxl.cli.params import DB_URL

__all__ = ["command"]


@click.group()
def command() -> None:
    """The store itself: move it to another database.

    \b
    Example:
      salesxl store migrate --db salesxl.db --to postgresql://sales@db.example/sales
    """


@command.command("migrate")
@click.option(
    "--db",
    type=DB_URL,
    help="The store to copy: an SQLite file or postgresql://… "
    "[default: $SALESXL_DB, else salesxl.db in this folder].",
)
@click.option(
    "--to",
    "target",
    type=DB_URL,
    required=True,
    help="The empty database to copy it into: an SQLite file, or postgresql://user@host/dbname "
    "(the database named).",
)
def migrate(db: str | None, target: str) -> None:
    """Copy every table of the store into an empty database, then prove the copy.

    Ids are kept, so every file, version, issue and audit entry stays linked;
    each table's row count and a checksum of all its values are compared
    between the two databases before the copy is committed, and the command
    fails (exit 1), keeping nothing in the target, unless every one matches.
    The source is only read.  Point SALESXL_DB (or --db) at the new database
    once it has succeeded.

    \b
    Example:
      salesxl store migrate --db salesxl.db --to postgresql://sales@db.example/sales
    """
    # Imported here: the store (SQLAlchemy) loads only when a store command runs.
    from salesxl.store import display_url, resolve_url
    from salesxl.store.transfer import copy_store

    report = copy_store(db, target)
    click.echo(f"{display_url(resolve_url(db))} -> {display_url(resolve_url(target))}")
    for t in report.tables:
        click.echo(f"  {t.table:<16} {t.rows:>12,} rows  checksum {t.checksum[:12]}  verified")
    click.echo(f"copied {report.rows:,} rows; every table's count and checksum match")
