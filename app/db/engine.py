"""Engines for SQLite (the embedded default) and PostgreSQL (shared desks), with their pragmas."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

NETWORK_FS = {"nfs", "nfs4", "cifs", "smb", "smbfs", "smb3", "fuse.sshfs", "afs", "9p", "davfs", "ncpfs"}


class DatabaseError(Exception):
    """A database problem the user can act on; the message is in Chinese."""


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def is_network_path(path: Path, mounts: list[tuple[str, str]] | None = None) -> bool:
    """True when the file would sit on a network share (UNC path, mapped remote drive, NFS/SMB mount)."""
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return True
    if sys.platform == "win32":  # mapped drive letters: ask Windows for the drive type
        import ctypes

        drive = os.path.splitdrive(os.path.abspath(text))[0] + "\\"
        return ctypes.windll.kernel32.GetDriveTypeW(drive) == 4  # DRIVE_REMOTE
    if mounts is None:
        mounts = _linux_mounts()
    resolved = os.path.abspath(text)
    best, best_fs = "", ""
    for mount_point, fstype in mounts:
        if (resolved == mount_point or resolved.startswith(mount_point.rstrip("/") + "/")) and len(
            mount_point
        ) > len(best):
            best, best_fs = mount_point, fstype
    return best_fs in NETWORK_FS


def _linux_mounts() -> list[tuple[str, str]]:
    try:
        lines = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return []
    return [(parts[1], parts[2]) for parts in (line.split() for line in lines) if len(parts) >= 3]


def make_engine(url: str, *, echo: bool = False) -> Engine:
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(url, echo=echo)
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
        return create_engine(
            url,
            echo=echo,
            pool_pre_ping=True,
            # a desk that dies mid-transaction must not hold locks forever
            connect_args={"options": "-c idle_in_transaction_session_timeout=60000 -c timezone=UTC"},
        )
    raise DatabaseError(f"不支持的数据库类型:{backend}(请使用 SQLite 文件或 PostgreSQL 服务器)")


def _sqlite_engine(url: str, *, echo: bool) -> Engine:
    path = sqlite_path(url)
    if path is not None:
        if is_network_path(path):
            raise DatabaseError(
                f"数据库文件位于网络共享位置:{path}\n"
                "SQLite 在网络文件系统上无法可靠加锁,可能损坏数据。"
                "多台电脑共用请改用 PostgreSQL 服务器(--db postgresql://…),或把文件放到本机磁盘。"
            )
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, echo=echo, connect_args={"timeout": 15})
    sqlite_events(engine, file_backed=path is not None)
    return engine


def sqlite_events(engine: Engine, *, file_backed: bool) -> None:
    """The pragmas and locking every SQLite engine of the app uses (also the encrypted laptop replica)."""

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):
        # let SQLAlchemy, not pysqlite, emit BEGIN (SQLAlchemy's pysqlite recipe)
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        if file_backed:
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=15000")
        cur.execute("PRAGMA synchronous=FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        # writers take the lock up front: no deadlock between two readers upgrading to writers
        readonly = conn.get_execution_options().get("kedesk_readonly", False)
        conn.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")
