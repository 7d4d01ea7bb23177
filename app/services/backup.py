"""Backups (数据库备份): SQLite through its online backup API, PostgreSQL through pg_dump (custom format).

Verification and restore live in backup_check.py and restore.py; the monthly schedule in backup_schedule.py.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from app.db import Database
from app.db.engine import sqlite_path
from app.db.migrate import sqlite_backup
from app.errors import UserError
from app.services.users import Principal


def pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise UserError(f"找不到 {name}:请安装 PostgreSQL 客户端工具(与服务器同版本或更新)后再试")
    return found


def pg_args(url: str, database: str | None = None) -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump/pg_restore and the environment carrying the password."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = parsed.password
    args = [f"--host={parsed.host or 'localhost'}", f"--port={parsed.port or 5432}",
            f"--username={parsed.username or 'postgres'}", f"--dbname={database or parsed.database or 'postgres'}"]
    return args, env


def extension(db: Database) -> str:
    return ".sqlite3" if db.dialect == "sqlite" else ".dump"


def backup(db: Database, target: Path, *, user: Principal | None = None) -> Path:
    if user is not None:
        user.require("backup.run", "备份数据库")
    target = Path(target)
    path = sqlite_path(db.url)
    if db.dialect == "sqlite":
        if path is None:
            raise UserError("内存数据库无法备份")
        if target.exists() and target.resolve() == path.resolve():
            raise UserError("备份文件不能是数据库文件本身,请另选文件名")
        return sqlite_backup(path, target)
    target.parent.mkdir(parents=True, exist_ok=True)
    conn, env = pg_args(db.url)
    done = subprocess.run([pg_tool("pg_dump"), "--format=custom", f"--file={target}", *conn],
                          env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise UserError(f"pg_dump 备份失败:{done.stderr.strip()}")
    return target
