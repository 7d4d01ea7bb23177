"""Scheduled monthly backup (每月定期备份): made on the first start or hourly check after the scheduled day.

The record of the last run is a row of the setting table (key backup.last_run, not a business rule):
{"done": ISO time of the last good backup, "file": …, "claimed": ISO time a desk started, "error": …}.
A desk claims the run in a transaction first, so two desks starting together make one backup.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import make_url

from app import settings
from app.config import data_dir
from app.db import Database
from app.db.engine import sqlite_path
from app.domain.backup_schedule import due
from app.errors import UserError
from app.services.backup import backup, extension
from app.services.backup_check import BackupInfo, verify_backup
from models import Setting

LAST_RUN = "backup.last_run"
CLAIM_EXPIRES = timedelta(hours=1)  # a desk that died mid-backup does not block the schedule for a month


@dataclass(frozen=True)
class LastRun:
    done: datetime | None
    file: str
    error: str


@dataclass(frozen=True)
class ScheduledBackup:
    file: Path
    info: BackupInfo
    pruned: list[Path]


def directory(db: Database) -> Path:
    chosen = settings.get(db, "backup.directory")
    return Path(chosen) if chosen else data_dir() / "backups"


def _label(db: Database) -> str:
    path = sqlite_path(db.url)
    return path.stem if path is not None else (make_url(db.url).database or "kedesk")


def _load(s) -> dict:
    row = s.get(Setting, LAST_RUN, with_for_update=True)
    return json.loads(row.value) if row is not None else {}


def _store(s, record: dict) -> None:
    row = s.get(Setting, LAST_RUN)
    value = json.dumps(record, ensure_ascii=False)
    if row is None:
        s.add(Setting(key=LAST_RUN, value=value))
    else:
        row.value = value


def last_run(db: Database) -> LastRun:
    with db.read() as s:
        raw = s.scalar(select(Setting.value).where(Setting.key == LAST_RUN))
    record = json.loads(raw) if raw is not None else {}
    done = datetime.fromisoformat(record["done"]) if record.get("done") else None
    return LastRun(done=done, file=record.get("file", ""), error=record.get("error", ""))


def prune(folder: Path, label: str, suffix: str, keep: int) -> list[Path]:
    """Delete the oldest automatic backups beyond keep; files the user made by hand are never touched."""
    ours = sorted(folder.glob(f"{label}-auto-*{suffix}"))  # the timestamp in the name sorts by age
    doomed = ours[:-keep] if keep > 0 else []
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


def run_scheduled(db: Database, *, now: datetime | None = None) -> ScheduledBackup | None:
    """Make, verify and record the monthly backup when due; None when not due (or another desk is on it)."""
    now = now or datetime.now()
    rules = settings.get_all(db)

    def claim(s) -> bool:
        record = _load(s)
        done = datetime.fromisoformat(record["done"]) if record.get("done") else None
        claimed = datetime.fromisoformat(record["claimed"]) if record.get("claimed") else None
        if not due(done, now, rules["backup.day_of_month"]) or (claimed and now - claimed < CLAIM_EXPIRES):
            return False
        _store(s, {**record, "claimed": now.isoformat(timespec="seconds")})
        return True

    if not db.transact(claim):
        return None
    folder = directory(db)
    target = folder / f"{_label(db)}-auto-{now:%Y%m%d-%H%M%S}{extension(db)}"
    try:
        backup(db, target)
        info = verify_backup(target)
    except (UserError, OSError) as exc:
        message = getattr(exc, "message", str(exc))
        db.transact(lambda s: _store(s, {**_load(s), "claimed": None, "error": message}))
        raise UserError(f"每月自动备份失败:{message}") from None
    db.transact(lambda s: _store(s, {"done": now.isoformat(timespec="seconds"), "file": str(target),
                                     "claimed": None, "error": ""}))
    pruned = prune(folder, _label(db), extension(db), rules["backup.keep"])
    return ScheduledBackup(file=target, info=info, pruned=pruned)
