"""Backups: SQLite through its online backup API, PostgreSQL through pg_dump (custom format)."""
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


def backup(db: Database, target: Path) -> Path:
    target = Path(target)
    path = sqlite_path(db.url)
    if db.dialect == "sqlite":
        if path is None:
            raise UserError("内存数据库无法备份")
        return sqlite_backup(path, target)
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise UserError("找不到 pg_dump:请安装 PostgreSQL 客户端工具后再备份")
    url = make_url(db.url)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    cmd = [pg_dump, "--format=custom", f"--file={target}", f"--host={url.host or 'localhost'}",
           f"--port={url.port or 5432}", f"--username={url.username or 'postgres'}", url.database or "postgres"]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise UserError(f"pg_dump 备份失败:{done.stderr.strip()}")
    return target
