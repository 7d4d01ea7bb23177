"""Open a database ready for use: engine, migrations (SQLite backed up first)."""
from __future__ import annotations

from app.config import resolve_db_url
from app.db import Database
from app.db.migrate import upgrade


def open_database(url: str | None = None, *, migrate: bool = True) -> Database:
    db = Database(resolve_db_url(url))
    if migrate:
        upgrade(db.engine, db.url)
    return db
