"""The laptop's read log (借阅卡) reaches the central read_log on sync: every opening, printing or refusal
of a card offline, with the device named. Append-only and idempotent: a row keeps its own UUID, the
central database skips ids it already holds (a replay after a lost acknowledgement), and the laptop
remembers what the server has taken (`sync_read_sent`) in a transaction after the server's commit."""
from __future__ import annotations

import uuid

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.db import Database
from app.services.offline import journal
from app.services.offline.push import Refused
from app.services.users import Principal
from models import ReadLog, SyncDevice

BATCH = 500
sync_read_sent = journal.sync_read_sent
_FIELDS = ("id", "at", "user_id", "username", "display_name", "action", "customer_id", "level", "allowed",
           "approval_id", "note")


def device_note(device_name: str, note: str) -> str:
    return f"离线·{device_name}" + (f";{note}" if note else "")


def apply_reads(central: Database, *, device_id: uuid.UUID, rows: list[dict], user: Principal) -> int:
    """The server side: append these laptop readings to the central read log; returns how many were new."""
    user.require("offline.checkout", "离线同步")
    if any(r["user_id"] != user.user_id for r in rows):
        raise Refused("服务器拒绝上传:借阅记录不属于当前用户")

    def work(s: Session) -> int:
        device = s.get(SyncDevice, device_id)
        if device is None or not device.active or device.user_id != user.user_id:
            raise Refused("服务器拒绝上传:该设备未登记给当前用户,请重新检出")
        have = set(s.scalars(select(ReadLog.id).where(ReadLog.id.in_([r["id"] for r in rows]))))
        new = [r | {"note": device_note(device.name, r["note"] or "")} for r in rows if r["id"] not in have]
        if new:
            s.execute(insert(ReadLog), new)
        return len(new)

    return central.transact(work) if rows else 0


def unsent(laptop: Database, *, limit: int = BATCH) -> list[dict]:
    with laptop.read() as s:
        t = ReadLog.__table__
        q = (select(*(t.c[f] for f in _FIELDS)).where(t.c.id.not_in(select(sync_read_sent.c.id)))
             .order_by(t.c.at, t.c.id).limit(limit))
        return [dict(r) for r in s.execute(q).mappings()]


def upload(laptop: Database, central: Database, *, user: Principal, fail_after_commit=None) -> int:
    """Send every reading not yet taken, batch by batch; returns how many the central log gained."""
    with laptop.read() as s:
        device_id = uuid.UUID(journal.get_state(s, "device_id"))
    with laptop.write() as s:  # replicas checked out before it existed
        sync_read_sent.create(s.connection(), checkfirst=True)
    added = 0
    while rows := unsent(laptop):
        added += apply_reads(central, device_id=device_id, rows=rows, user=user)
        if fail_after_commit is not None:
            fail_after_commit()
        laptop.transact(lambda s, rows=rows: s.execute(insert(sync_read_sent), [{"id": r["id"].hex} for r in rows]))
    return added
