"""叫号 — desks call buyers in the drawn order; the big screen shows who is called and who is next."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from app.db import Database
from app.services.selection.errors import RuleBroken
from app.services.users import Principal
from models import Buyer
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
                           .order_by(Buyer.called_at.desc(), Buyer.draw_order.desc()).limit(shown)).all()
        waiting = s.scalars(base.where(Buyer.called_at.is_(None), Buyer.eligible.is_(True))
                            .order_by(Buyer.draw_order)).all()
        return QueueState([Called(b.id, b.draw_order, b.name, b.called_desk, b.called_at) for b in called],
                          [Called(b.id, b.draw_order, b.name, "", None) for b in waiting[:shown]], len(waiting))
