"""One sync: push the journal, then pull central changes; and the status the window shows."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update

from app.db import Database
from app.services.offline import journal, pull, push, readlog
from app.services.users import Principal
from models import SyncDevice
from models.base import utcnow


@dataclass(frozen=True)
class SyncResult:
    sent: int
    conflicts: int
    pulled: int
    at: datetime
    reads: int = 0  # offline readings added to the central read log


@dataclass(frozen=True)
class SyncStatus:
    device_name: str
    username: str
    pending: int
    last_sync: datetime | None


def sync(laptop: Database, central: Database, *, user: Principal) -> SyncResult:
    user.require("offline.checkout", "离线同步")
    results = push.push(laptop, central, user=user)
    reads = readlog.upload(laptop, central, user=user)  # the 借阅卡 of offline readings
    pulled = pull.pull(laptop, central, user=user)
    now = utcnow()
    laptop.transact(lambda s: journal.set_state(s, "last_sync", now.isoformat()))
    with laptop.read() as s:
        device_id = journal.get_state(s, "device_id")
    import uuid

    central.transact(lambda s: s.execute(update(SyncDevice).where(SyncDevice.id == uuid.UUID(device_id))
                                         .values(last_sync_at=now)))
    return SyncResult(sent=len(results), conflicts=sum(1 for r in results if r.conflicts and not r.replay),
                      pulled=pulled, at=now, reads=reads)


def open_central(laptop: Database, *, user: Principal) -> Database:
    """The central database this replica was checked out from (raises when it cannot be reached)."""
    from app.bootstrap import open_database

    user.require("offline.checkout", "离线同步")
    with laptop.read() as s:
        url = journal.get_state(s, "central_url")
    return open_database(url)


def status(laptop: Database, *, user: Principal) -> SyncStatus:
    with laptop.read() as s:
        last = journal.get_state(s, "last_sync")
        name, username = journal.get_state(s, "device_name", ""), journal.get_state(s, "username", "")
    return SyncStatus(name, username, journal.pending_count(laptop, user=user),
                      datetime.fromisoformat(last) if last else None)
