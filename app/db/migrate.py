"""Alembic migrations, applied on start; a SQLite file is backed up before its schema changes."""
from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from app.db.engine import sqlite_path

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def pending(engine: Engine) -> bool:
    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    with engine.connect().execution_options(kedesk_readonly=True) as conn:
        return MigrationContext.configure(conn).get_current_revision() != head


def _has_tables(engine: Engine) -> bool:
    with engine.connect().execution_options(kedesk_readonly=True) as conn:
        return bool(inspect(conn).get_table_names())


def sqlite_backup(source: Path, target: Path) -> Path:
    """Consistent copy through SQLite's online backup API (safe while others write)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(str(source))
    try:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, readable read-only
        finally:
            dst.close()
    finally:
        src.close()
    return target


def upgrade(engine: Engine, url: str) -> Path | None:
    """Bring the schema to head. Returns the backup file made first, if one was needed."""
    if not pending(engine):
        return None
    backup = None
    path = sqlite_path(url)
    if path is not None and path.exists() and _has_tables(engine):  # a new empty file needs no copy
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        backup = sqlite_backup(path, path.with_name(f"{path.stem}.before-upgrade-{stamp}{path.suffix}"))
    command.upgrade(alembic_config(engine), "head")
    return backup
