"""Check-out (检出): register the laptop as a device and copy the customers its user may read into a new
encrypted replica; open a replica again later with the user's password."""
from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from app.db import Database
from app.db.migrate import alembic_config, pending
from app.db.sync_feed import drop_statements
from app.errors import UserError
from app.services import access
from app.services.offline import crypto, journal
from app.services.offline.registry import REFERENCE, SYNCABLE
from app.services.users import Principal
from models import AccessRequest, AppUser, Base, Customer, SyncChange, SyncDevice

CHUNK = 500


class ReplicaExists(UserError):
    """The file chosen for a new replica is already there."""


class CheckoutCancelled(UserError):
    def __init__(self):
        super().__init__("已取消检出:本机没有留下离线副本,可随时重新检出。")


class CheckoutPassword(UserError):
    """The password typed for the check-out is not the user's own."""


@dataclass(frozen=True)
class CheckoutResult:
    device_id: uuid.UUID
    path: Path
    customers: int
    rows: int


def open_replica(path: Path, password: str, *, migrate: bool = True) -> Database:
    """The laptop's database: decrypt with the password (WrongPassword otherwise), bring its schema up."""
    path = Path(path)
    if not path.exists():
        raise UserError(f"找不到离线副本:{path}")
    engine = crypto.encrypted_engine(path, crypto.unlock(path, password))
    if migrate and pending(engine):
        command.upgrade(alembic_config(engine), "head")
    return Database(f"sqlcipher:///{path.as_posix()}", engine=engine, offline=True)


def copy_loans(src: Session, dst: Session, user: Principal) -> int:
    """The user's approved loans (借阅) of cards on this laptop, so a lent card opens offline until the loan
    runs out (then the next pull takes the card off). The approver is not on the laptop: not named."""
    t = AccessRequest.__table__
    dst.execute(t.delete().where(t.c.requester_id == user.user_id))
    rows = [dict(r) | {"decided_by_id": None} for r in src.execute(
        select(t).where(t.c.requester_id == user.user_id, t.c.status == "approved")).mappings()]
    local = set(dst.scalars(select(Customer.id).where(Customer.id.in_({r["customer_id"] for r in rows})))) \
        if rows else set()
    rows = [r for r in rows if r["customer_id"] in local]
    if rows:
        dst.execute(insert(t), rows)
    return len(rows)


def _copy(src: Session, dst: Session, table, where=None) -> int:
    q = select(table)
    if where is not None:
        q = q.where(where)
    rows = [dict(r) for r in src.execute(q).mappings()]
    for i in range(0, len(rows), CHUNK):
        dst.execute(insert(table), rows[i:i + CHUNK])
    return len(rows)


def _confirm_password(central: Database, user: Principal, password: str) -> None:
    """The replica's key is wrapped under this password and the laptop logs in with it: it must be the
    user's own (a wrong one counts as a failed login, like any other)."""
    from app.services.users import LoginFailed, authenticate

    try:
        authenticate(central, username=user.username, password=password)
    except LoginFailed as exc:
        plain = "用户名或密码错误"
        more = exc.message[len(plain):] if exc.message.startswith(plain) else exc.message  # tries left, lock
        raise CheckoutPassword(f"密码不正确,未检出:请输入您本人的登录密码(离线副本用它加密){more}") from exc


def _discard(path: Path) -> None:
    for leftover in (path, crypto.key_file(path), *(path.with_name(path.name + s) for s in ("-journal", "-wal", "-shm"))):
        leftover.unlink(missing_ok=True)


def checkout(central: Database, *, path: Path, password: str, device_name: str, user: Principal,
             progress: Callable[[int, int], None] | None = None,
             cancelled: Callable[[], bool] | None = None) -> CheckoutResult:
    """Make the encrypted replica at `path` (must not exist) for this user; returns what was copied.
    `progress(done, total)` is told the customers copied so far; `cancelled()` is asked between chunks,
    and a cancelled check-out leaves no replica or key file behind (CheckoutCancelled)."""
    user.require("offline.checkout", "离线外出检出客户")
    if central.offline:
        raise UserError("这已是离线副本,请连接中心数据库后再检出")
    if user.user_id is None:
        raise UserError("请以自己的用户登录后再检出(离线副本属于一个用户)")
    path = Path(path)
    if path.exists():
        raise ReplicaExists(f"离线副本已存在:{path}。请先同步,再删除旧副本后重新检出。")
    _confirm_password(central, user, password)
    report = progress or (lambda done, total: None)
    path.parent.mkdir(parents=True, exist_ok=True)
    name = device_name.strip()[:60] or "笔记本"
    device_id = uuid.uuid4()
    central.transact(lambda s: s.add(SyncDevice(id=device_id, name=name, user_id=user.user_id,
                                                username=user.username)))
    engine = crypto.encrypted_engine(path, crypto.create_key(path, password))
    command.upgrade(alembic_config(engine), "head")
    laptop = Database(f"sqlcipher:///{path.as_posix()}", engine=engine, offline=True)
    counts = {"customers": 0, "rows": 0}

    def work(dst: Session) -> None:
        conn = dst.connection()
        for name_ in SYNCABLE:  # the laptop journals instead of feeding
            for sql in drop_statements("sqlite", name_):
                conn.exec_driver_sql(sql)
        for table in ("role_permission", "role", "setting"):  # seeded by the migrations: take central's
            conn.exec_driver_sql(f'DELETE FROM "{table}"')
        with central.read() as src:
            if central.dialect == "postgresql":  # one snapshot: the watermark and the rows agree
                src.connection().exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            watermark = src.scalar(select(func.coalesce(func.max(SyncChange.seq), 0)))
            for table in REFERENCE:
                counts["rows"] += _copy(src, dst, Base.metadata.tables[table])
            _copy(src, dst, AppUser.__table__, AppUser.id == user.user_id)
            mine = select(Customer.id).where(access.readable(user), Customer.merged_into_id.is_(None))
            ids = list(src.scalars(mine))
            counts["customers"] = len(ids)
            report(0, len(ids))
            for i in range(0, len(ids), CHUNK):
                if cancelled and cancelled():
                    raise CheckoutCancelled()
                part = ids[i:i + CHUNK]
                for spec in SYNCABLE.values():
                    counts["rows"] += _copy(src, dst, spec.t, spec.t.c[spec.customer_key].in_(part))
                report(i + len(part), len(ids))
            copy_loans(src, dst, user)
        journal.install(dst)
        for key, value in (("device_id", device_id.hex), ("device_name", name), ("user_id", user.user_id.hex),
                           ("username", user.username), ("watermark", str(watermark)),
                           ("central_url", central.engine.url.render_as_string(hide_password=False))):
            journal.set_state(dst, key, value)

    try:
        with laptop.write() as dst:
            dst.execute(text("PRAGMA defer_foreign_keys=ON"))
            work(dst)
    except CheckoutCancelled:
        laptop.dispose()
        _discard(path)  # nothing half-made stays on the laptop; the device row never syncs and harms nothing
        raise
    finally:
        laptop.dispose()
    return CheckoutResult(device_id, path, counts["customers"], counts["rows"])
