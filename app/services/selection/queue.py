"""叫号 — desks call buyers in the drawn order; the big screen shows who is called and who is next."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.db import Database
from app.errors import ValidationFailed
from app.services import audit
from app.services.selection import buyers
from app.services.selection.errors import RuleBroken
from app.services.users import Principal
from models import Buyer, FlatHold
from models.base import utcnow


@dataclass(frozen=True)
class Called:
    buyer_id: uuid.UUID
    order: int
    name: str
    desk: str
    called_at: datetime | None


@dataclass(frozen=True)
class QueueState:
    called: list[Called]  # most recent first
    upcoming: list[Called]
    remaining: int
    passed: list[Called] = field(default_factory=list)  # 过号: called but absent, in drawn order


def call_next(db: Database, *, user: Principal, commission_id: uuid.UUID, desk: str) -> Called | None:
    """The lowest drawn number not yet called goes to this desk; two desks never get the same buyer."""
    user.require("selection.call", "叫号")
    for _ in range(20):  # another desk may call the same number between our read and our update
        with db.read() as s:
            row = s.execute(select(Buyer.id, Buyer.draw_order, Buyer.name)
                            .where(Buyer.commission_id == commission_id, Buyer.draw_order.is_not(None),
                                   Buyer.called_at.is_(None), Buyer.eligible.is_(True))
                            .order_by(Buyer.draw_order).limit(1)).first()
        if row is None:
            with db.read() as s:
                drawn = s.scalar(select(Buyer.id).where(Buyer.commission_id == commission_id,
                                                        Buyer.draw_order.is_not(None)).limit(1))
            if drawn is None:
                raise RuleBroken("尚未机选选房顺序,不能叫号")
            return None
        now = utcnow()
        won = db.transact(lambda s, r=row, t=now: s.execute(
            update(Buyer).where(Buyer.id == r.id, Buyer.called_at.is_(None))
            .values(called_at=t, called_desk=desk)).rowcount)
        if won:
            return Called(row.id, row.draw_order, row.name, desk, now)
    raise RuleBroken("叫号冲突过多,请重试")


def queue_state(db: Database, *, commission_id: uuid.UUID, shown: int = 5) -> QueueState:
    with db.read() as s:
        base = select(Buyer).where(Buyer.commission_id == commission_id, Buyer.draw_order.is_not(None))
        called = s.scalars(base.where(Buyer.called_at.is_not(None))
                           .where(Buyer.skipped_at.is_(None))
                           .order_by(Buyer.called_at.desc(), Buyer.draw_order.desc()).limit(shown)).all()
        waiting = s.scalars(base.where(Buyer.called_at.is_(None), Buyer.eligible.is_(True))
                            .order_by(Buyer.draw_order)).all()
        passed = s.scalars(base.where(Buyer.skipped_at.is_not(None)).order_by(Buyer.draw_order)).all()

        def shown_as(b: Buyer, was_called: bool = True) -> Called:
            return Called(b.id, b.draw_order, b.name, b.called_desk if was_called else "",
                          b.called_at if was_called else None)

        return QueueState([shown_as(b) for b in called], [shown_as(b, False) for b in waiting[:shown]],
                          len(waiting), [shown_as(b) for b in passed])


def call_group(db: Database, *, user: Principal, commission_id: uuid.UUID, desk: str, size: int) -> list[Called]:
    """叫号 by group (5–10 buyers at a time at real openings): the next `size` numbers in drawn order."""
    if not 1 <= size <= 50:
        raise ValidationFailed({"size": "每组叫号人数应在 1 到 50 之间"})
    out = []
    for _ in range(size):
        called = call_next(db, user=user, commission_id=commission_id, desk=desk)
        if called is None:
            break
        out.append(called)
    return out


def _buyer(s: Session, buyer_id: uuid.UUID) -> Buyer:
    buyer = s.get(Buyer, buyer_id)
    if buyer is None:
        raise ValidationFailed({"buyer": "找不到该购房者"})
    return buyer


def mark_absent(db: Database, *, user: Principal, buyer_id: uuid.UUID) -> None:
    """过号: a called buyer who is not there goes on the 过号 list; the queue moves on."""
    user.require("selection.call", "过号")

    def work(s: Session) -> None:
        b = _buyer(s, buyer_id)
        if b.called_at is None:
            raise RuleBroken(f"{b.name}(顺序号 {b.draw_order})尚未叫号,不能过号")
        if s.scalar(select(FlatHold.flat_id).where(FlatHold.buyer_id == b.id)) is not None:
            raise RuleBroken(f"{b.name} 已开选房工作票,不能过号")
        if b.skipped_at is not None:
            raise RuleBroken(f"{b.name} 已在过号名单中")
        b.skipped_at = utcnow()
        audit.record(s, actor=user.display_name, action="过号", entity="buyer", entity_id=b.id, customer_id=None,
                     note=f"{b.name}(顺序号 {b.draw_order})叫号未到,列入过号名单")

    db.transact(work)


def recall(db: Database, *, user: Principal, buyer_id: uuid.UUID, desk: str) -> Called:
    """重新叫号: a buyer from the 过号 list, back at a desk."""
    user.require("selection.call", "重新叫号")

    def work(s: Session) -> Called:
        b = _buyer(s, buyer_id)
        if b.skipped_at is None:
            raise RuleBroken(f"{b.name} 不在过号名单中,无需重新叫号")
        now = utcnow()
        b.skipped_at, b.called_at, b.called_desk = None, now, desk
        audit.record(s, actor=user.display_name, action="重新叫号", entity="buyer", entity_id=b.id,
                     customer_id=None, note=f"{b.name}(顺序号 {b.draw_order})从过号名单重新叫到 {desk}")
        return Called(b.id, b.draw_order, b.name, desk, now)

    return db.transact(work)


def authorise_out_of_order(db: Database, *, user: Principal, commission_id: uuid.UUID, id_number: str,
                           desk: str, reason: str) -> Called:
    """越序选房: the 现场主管 calls one buyer ahead of the drawn order (or a re-listed person without a
    number); logged in the audit trail with the reason."""
    user.require("selection.out_of_order", "授权越序选房")
    if not reason.strip():
        raise ValidationFailed({"reason": "请填写越序选房的原因(如:老弱病残优先、现场主管批准)"})

    def work(s: Session) -> Called:
        b = buyers.listed(s, commission_id, id_number)
        if b.called_at is not None and b.skipped_at is None:
            raise RuleBroken(f"{b.name} 已叫号,无需授权")
        current = s.scalar(select(func.max(Buyer.draw_order)).where(Buyer.commission_id == commission_id,
                                                                     Buyer.called_at.is_not(None)))
        now = utcnow()
        b.skipped_at, b.called_at, b.called_desk = None, now, desk
        audit.record(s, actor=user.display_name, action="越序授权", entity="buyer", entity_id=b.id, customer_id=None,
                     note=f"{b.name}(顺序号 {b.draw_order or '无'},当时叫到 {current or 0} 号)越序到 {desk}:"
                          f"{reason.strip()}")
        return Called(b.id, b.draw_order, b.name, desk, now)

    return db.transact(work)
