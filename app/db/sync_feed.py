"""The central change feed (sync_change): a trigger on each syncable table writes one feed row in the
same transaction as every insert, update and delete — ORM, Core, bulk import or a desk's edit alike.

On PostgreSQL the trigger first takes a transaction-scoped advisory lock, so feed sequence numbers
become visible in commit order and a laptop's pull watermark never skips a row committed late.
On SQLite writers are already serialised (BEGIN IMMEDIATE). Migrations call install_feed for each
table they make syncable (app.services.offline.registry lists them; a test checks both agree).
"""
from __future__ import annotations

FEED_LOCK_KEY = 0x53594E43  # 'SYNC'

PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION kedesk_sync_feed() RETURNS trigger AS $$
BEGIN
    PERFORM pg_advisory_xact_lock({FEED_LOCK_KEY});
    IF TG_OP = 'DELETE' THEN
        INSERT INTO sync_change (table_name, row_id) VALUES (TG_TABLE_NAME, OLD.id);
    ELSE
        INSERT INTO sync_change (table_name, row_id) VALUES (TG_TABLE_NAME, NEW.id);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
"""


def sqlite_insert_trigger(table: str) -> str:
    """The name of a table's insert trigger on SQLite (app.db.bulk_load pauses it while loading)."""
    return f"sync_feed_{table}_ins"


def feed_statements(dialect: str, table: str) -> list[str]:
    if dialect == "postgresql":
        return [f'DROP TRIGGER IF EXISTS "sync_feed_{table}" ON "{table}"',
                f'CREATE TRIGGER "sync_feed_{table}" AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
                "FOR EACH ROW EXECUTE FUNCTION kedesk_sync_feed()"]
    out = []
    for event, ref in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
        name = f"sync_feed_{table}_{event[:3].lower()}"
        out.append(f'CREATE TRIGGER IF NOT EXISTS "{name}" AFTER {event} ON "{table}" BEGIN '
                   f"INSERT INTO sync_change (table_name, row_id) VALUES ('{table}', {ref}.id); END")
    return out


def drop_statements(dialect: str, table: str) -> list[str]:
    if dialect == "postgresql":
        return [f'DROP TRIGGER IF EXISTS "sync_feed_{table}" ON "{table}"']
    return [f'DROP TRIGGER IF EXISTS "sync_feed_{table}_{e}"' for e in ("ins", "upd", "del")]


def install_feed(bind, table: str) -> None:
    """Run inside a migration (op.get_bind()) or any connection owned by the schema owner."""
    dialect = bind.dialect.name
    if dialect == "postgresql":
        bind.exec_driver_sql(PG_FUNCTION)
    for sql in feed_statements(dialect, table):
        bind.exec_driver_sql(sql)
