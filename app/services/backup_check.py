"""Checking a backup file (备份校验) before restoring it and after writing it.

A KeDesk backup is a SQLite file or a pg_dump custom-format archive holding our alembic_version;
it must be intact and from a schema this program knows (older is fine: migrations run on next open).
"""
from __future__ import annotations

import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory

from app.db.migrate import MIGRATIONS
from app.errors import UserError
from app.services.backup import pg_tool

# what a user recognises in their data, in the order shown
MAIN_TABLES = {"customer": "客户", "key_person": "关键人", "archive_entry": "档案记录",
               "audit_record": "修改记录", "read_log": "借阅记录", "app_user": "用户"}
SQLITE_MAGIC, PG_MAGIC = b"SQLite format 3\x00", b"PGDMP"


class BadBackup(UserError):
    """The file cannot be restored: not ours, damaged, or from a newer program."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    kind: str  # "sqlite" | "postgresql"
    revision: str
    older: bool  # from an earlier schema: upgraded when the restored database is next opened
    counts: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        kind = "SQLite 数据库文件" if self.kind == "sqlite" else "PostgreSQL 备份(pg_dump)"
        rows = ",".join(f"{MAIN_TABLES[t]} {n} 条" for t, n in self.counts.items())
        note = ";来自较早版本,打开时将自动升级" if self.older else ""
        return f"{kind},数据库结构 {self.revision}{note}。{rows}"


def _revisions() -> tuple[set[str], str]:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    script = ScriptDirectory.from_config(cfg)
    return {r.revision for r in script.walk_revisions()}, script.get_current_head()


def _judge(path: Path, kind: str, revision: str | None, counts: dict[str, int]) -> BackupInfo:
    if not revision:
        raise BadBackup(f"{path.name} 不是客台的备份文件(没有数据库结构版本),不能恢复")
    known, head = _revisions()
    if revision not in known:
        raise BadBackup(f"{path.name} 来自更新版本的客台(数据库结构 {revision}),本程序无法恢复;请先升级客台")
    return BackupInfo(path=path, kind=kind, revision=revision, older=revision != head, counts=counts)


def sqlite_facts(path: Path) -> tuple[str | None, dict[str, int]]:
    """integrity_check, then the schema revision and row counts; BadBackup when damaged."""
    try:
        con = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BadBackup(f"无法打开 {Path(path).name}:{exc}") from None
    try:
        problems = [r[0] for r in con.execute("PRAGMA integrity_check(20)")]
        if problems != ["ok"]:
            raise BadBackup(f"{Path(path).name} 已损坏(完整性检查未通过:{problems[0]}),不能恢复")
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        revision = None
        if "alembic_version" in tables:
            revision = con.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = revision[0] if revision else None
        counts = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in MAIN_TABLES if t in tables}
        return revision, counts
    except sqlite3.DatabaseError as exc:  # "database disk image is malformed" and the like
        raise BadBackup(f"{Path(path).name} 已损坏({exc}),不能恢复") from None
    finally:
        con.close()


def _pg_facts(path: Path) -> tuple[str | None, dict[str, int]]:
    """pg_restore --list proves the archive's table of contents; reading the main tables' data proves the rest."""
    pg_restore = pg_tool("pg_restore")
    listing = subprocess.run([pg_restore, "--list", str(path)], capture_output=True, text=True)
    if listing.returncode != 0:
        raise BadBackup(f"{path.name} 已损坏或不是 pg_dump 备份:{listing.stderr.strip()}")
    present = {line.split()[-2] for line in listing.stdout.splitlines() if " TABLE DATA public " in line}
    if "alembic_version" not in present:
        return None, {}
    wanted = [t for t in ("alembic_version", *MAIN_TABLES) if t in present]
    cmd = [pg_restore, "--data-only", "--file=-", *(f"--table={t}" for t in wanted), str(path)]
    counts: dict[str, int] = {}
    revision, current = None, None
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          encoding="utf-8", errors="replace") as proc:
        for line in proc.stdout:
            if current is None:
                if line.startswith("COPY public."):
                    current = line[len("COPY public."):].split(" ", 1)[0].strip('"')
                    counts[current] = 0
            elif line.rstrip("\n") == "\\.":
                current = None
            elif current == "alembic_version":
                revision = line.strip()
            else:
                counts[current] += 1
        err = proc.stderr.read()
    if proc.returncode != 0:
        raise BadBackup(f"{path.name} 已损坏,数据无法读出:{err.strip()}")
    counts.pop("alembic_version", None)
    return revision, {t: counts.get(t, 0) for t in MAIN_TABLES if t in present}


def verify_backup(path: Path) -> BackupInfo:
    """Only checks; raises BadBackup with the reason in Chinese."""
    path = Path(path)
    if not path.is_file():
        raise BadBackup(f"找不到备份文件:{path}")
    with path.open("rb") as f:
        head = f.read(16)
    if head.startswith(SQLITE_MAGIC):
        return _judge(path, "sqlite", *sqlite_facts(path))
    if head.startswith(PG_MAGIC):
        return _judge(path, "postgresql", *_pg_facts(path))
    raise BadBackup(f"{path.name} 不是客台的备份文件(既不是 SQLite 数据库,也不是 pg_dump 备份)")
