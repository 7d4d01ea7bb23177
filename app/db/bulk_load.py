"""Loading many rows in one SQLite write transaction (demo data): a bigger page cache, the customer
full-text index built once at the end, and each batch's sync-feed rows written by one statement.

Per-row triggers cost more than the rows they follow: the full-text trigger several times one rebuild at
the end, the feed triggers (app.db.sync_feed) about a quarter of loading 100,000 demo customers. They are
dropped and re-created from their own stored SQL inside the write transaction (BEGIN IMMEDIATE), so no
other desk ever writes while they are missing and a failure rolls the drop back; what they would have
written is written all the same, and the feed reads exactly as the triggers would have left it (each
batch's rows, table after table, in insertion order). Elsewhere (PostgreSQL) the triggers stay and rows
go in through bulk_insert as they are.
"""
from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import contextmanager, suppress

from sqlalchemy import Table, bindparam, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app.db.bulk import bulk_insert
from app.db.sync_feed import sqlite_insert_trigger

FTS_TABLE, FTS_TRIGGER, FTS_CONTENT = "customer_fts", "customer_fts_ai", "customer"  # trigram index (0001)
CACHE_KIB = -65536  # 64 MB page cache while loading: the random-keyed indexes of 100k cards fit


class BulkLoad:
    """Inserts batches, writing the sync feed of the tables whose feed trigger is paused."""

    def __init__(self, s: Session, fed: Collection[str] = ()):
        self.s, self.fed = s, frozenset(fed)

    def insert(self, table: Table, rows: list[dict], *, ready: Collection[str] = ()) -> None:
        if table.name not in self.fed or not rows:
            bulk_insert(self.s, table, rows, ready=ready)
            return
        name = self.s.connection().dialect.identifier_preparer.quote(table.name)
        last = self.s.scalar(text(f"SELECT coalesce(max(rowid), 0) FROM {name}"))
        bulk_insert(self.s, table, rows, ready=ready)
        # new rows take rowids above the old maximum, in insertion order: the order the trigger would have fed
        self.s.execute(text(f"INSERT INTO sync_change (table_name, row_id) "
                            f"SELECT :table, id FROM {name} WHERE rowid > :last ORDER BY rowid"),
                       {"table": table.name, "last": last})


@contextmanager
def bulk_load(s: Session, tables: Collection[Table]) -> Iterator[BulkLoad]:
    """Load `tables` in this write transaction; on SQLite with the triggers above paused until the end."""
    if s.connection().dialect.name != "sqlite":
        yield BulkLoad(s)
        return
    paused = [sqlite_insert_trigger(t.name) for t in tables]
    if any(t.name == FTS_CONTENT for t in tables):
        paused.append(FTS_TRIGGER)
    stored = dict(s.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN :names")
                            .bindparams(bindparam("names", expanding=True)), {"names": paused}).all())
    fed = [t.name for t in tables if sqlite_insert_trigger(t.name) in stored]
    cache = s.scalar(text("PRAGMA cache_size"))
    s.execute(text(f"PRAGMA cache_size = {CACHE_KIB}"))
    try:
        conn = s.connection()
        for name in stored:
            conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
        yield BulkLoad(s, fed)
        if FTS_TRIGGER in stored:
            s.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"))
        for sql in stored.values():
            conn.exec_driver_sql(sql)
    finally:
        with suppress(DBAPIError):
            s.execute(text(f"PRAGMA cache_size = {int(cache)}"))
