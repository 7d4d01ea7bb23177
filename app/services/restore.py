"""Restoring a backup (从备份恢复) with verification before and after.

SQLite: the file is checked, the current database copied aside (….before-restore-YYYYmmdd-HHMMSS…), the
backup copied in through the online backup API, and the result checked again. PostgreSQL: pg_restore
--clean --if-exists --no-owner in one transaction into the current database (after a safety pg_dump) or
into a new database. A backup from an older schema is upgraded when the database is next opened.
"""
from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import inspect, text

from app.db import Database
from app.db.engine import sqlite_path
from app.db.migrate import sqlite_backup
from app.errors import UserError, ValidationFailed
from app.services.backup import backup, pg_args, pg_tool
from app.services.backup_check import MAIN_TABLES, BackupInfo, BadBackup, sqlite_facts, verify_backup
from app.services.users import Principal


@dataclass(frozen=True)
class RestoreResult:
    info: BackupInfo  # what the backup held
    target: str  # the database file or PostgreSQL database restored into
    safety_copy: Path | None  # the current data as it was before, None when there was none
    counts: dict[str, int]  # rows found in the restored database


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S")


def restore(db: Database, source: Path, *, user: Principal | None = None, into: str | None = None,
            safety_dir: Path | None = None) -> RestoreResult:
    """Replace the database's content with the backup. The caller must reopen the database afterwards."""
    if user is not None:
        user.require("backup.run", "恢复数据库")
    info = verify_backup(Path(source))
    if info.kind != db.dialect:
        here = "SQLite" if db.dialect == "sqlite" else "PostgreSQL"
        raise BadBackup(f"这是 {'SQLite' if info.kind == 'sqlite' else 'PostgreSQL'} 的备份,"
                        f"不能恢复到当前的 {here} 数据库")
    if db.dialect == "sqlite":
        if into:
            raise UserError("SQLite 数据库只能原地恢复;恢复到新数据库只用于 PostgreSQL")
        return _restore_sqlite(db, info)
    return _restore_pg(db, info, into=into, safety_dir=safety_dir)


def _restore_sqlite(db: Database, info: BackupInfo) -> RestoreResult:
    path = sqlite_path(db.url)
    if path is None:
        raise UserError("内存数据库无法恢复")
    if path.exists() and path.resolve() == info.path.resolve():
        raise UserError("所选文件就是当前数据库本身,请选择备份文件")
    db.dispose()  # none of our pooled connections may hold the old pages
    safety = None
    if path.exists() and path.stat().st_size > 0:
        safety = path.with_name(f"{path.stem}.before-restore-{_stamp()}{path.suffix}")
        try:
            sqlite_backup(path, safety)
        except sqlite3.DatabaseError:  # the current file is damaged: keep its bytes as they are
            shutil.copy2(path, safety)
    path.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(info.path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(str(path), timeout=15)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=WAL")
            dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            dst.close()
    except sqlite3.Error as exc:
        raise UserError(f"恢复失败:{exc}。原数据库未改动或已备份在 {safety}") from None
    finally:
        src.close()
    try:
        _revision, counts = sqlite_facts(path)
    except BadBackup as exc:
        raise UserError(f"恢复后的数据库未通过检查:{exc.message}。原数据已保存在 {safety}") from None
    return RestoreResult(info=info, target=str(path), safety_copy=safety, counts=counts)


def _restore_pg(db: Database, info: BackupInfo, *, into: str | None, safety_dir: Path | None) -> RestoreResult:
    pg_restore = pg_tool("pg_restore")
    current = db.engine.url.database
    safety = None
    if into:
        if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", into):
            raise ValidationFailed({"into": "新数据库名只能用小写字母、数字和下划线,并以字母开头"})
        admin = db.engine.execution_options(isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            if conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": into}):
                raise ValidationFailed({"into": f"数据库 {into} 已存在,请换一个名字"})
            conn.execute(text(f'CREATE DATABASE "{into}"'))
        target, clean = into, []
    else:
        folder = safety_dir or info.path.parent
        safety = backup(db, folder / f"{current}.before-restore-{_stamp()}.dump")
        target, clean = current, ["--clean", "--if-exists"]
    db.dispose()
    dropped = [] if into else _drop_newer_tables(db, target, info.path, pg_restore)
    conn, env = pg_args(db.url, database=target)
    env["PGOPTIONS"] = "-c lock_timeout=30000"  # other desks holding tables: fail clearly, do not hang
    done = subprocess.run([pg_restore, *clean, "--no-owner", "--single-transaction", "--exit-on-error", *conn,
                           str(info.path)], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        kept = "当前数据未改动" if not dropped else f"已删除备份中没有的表 {'、'.join(dropped)}"
        kept += f",恢复前的数据副本:{safety}" if safety else ""
        raise UserError(f"pg_restore 恢复失败({kept}):{done.stderr.strip()[:800]}")
    return RestoreResult(info=info, target=target, safety_copy=safety, counts=_pg_check(db, target, info))


def _drop_newer_tables(db: Database, database: str, path: Path, pg_restore: str) -> list[str]:
    """Tables of a later schema than the backup's: --clean cannot drop what they reference, and the
    migrations run on next open would trip on them. Done before pg_restore (the safety copy holds them)."""
    from sqlalchemy import create_engine

    listing = subprocess.run([pg_restore, "--list", str(path)], capture_output=True, text=True, check=True)
    kept = {line.split()[-2] for line in listing.stdout.splitlines() if " TABLE public " in line}
    engine = create_engine(db.engine.url.set(database=database))
    try:
        with engine.begin() as conn:
            newer = sorted(set(inspect(conn).get_table_names()) - kept)
            for table in newer:
                conn.execute(text(f'DROP TABLE IF EXISTS "{table}" CASCADE'))
    finally:
        engine.dispose()
    return newer


def _pg_check(db: Database, database: str, info: BackupInfo) -> dict[str, int]:
    """The restored database holds the backup's schema revision and its rows."""
    from sqlalchemy import create_engine

    engine = create_engine(db.engine.url.set(database=database))
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            revision = conn.scalar(text("SELECT version_num FROM alembic_version"))
            counts = {t: conn.scalar(text(f'SELECT count(*) FROM "{t}"')) for t in MAIN_TABLES if t in tables}
    finally:
        engine.dispose()
    if revision != info.revision or counts != info.counts:
        raise UserError(f"恢复后的数据库与备份不一致(结构 {revision},行数 {counts}),请检查后重试")
    return counts
