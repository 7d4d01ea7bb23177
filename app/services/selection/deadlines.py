"""选房截止 / 交款截止 — the commissioning unit's deadlines and the list of who is late (逾期名单)."""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select, update

from app.db import Database
from app.domain.selection_checks import BuyerState, Late, TicketState, deadline_problem, late
from app.errors import ValidationFailed
from app.services.selection import documents
from app.services.selection.payments import paid_towards
from app.services.users import Principal
from models import Buyer, Commission, FlatHold, SelectionDocument
from models.base import utcnow


@dataclass(frozen=True)
class Deadlines:
    choose_deadline: datetime | None
    pay_deadline: datetime | None


def _aware(value: datetime | None, field: str) -> datetime | None:
    if value is not None and value.tzinfo is None:
        raise ValidationFailed({field: "截止时间须带时区(按本机时间填写)"})
    return value


def set_deadlines(db: Database, *, user: Principal, commission_id: uuid.UUID, choose_deadline: datetime | None,
                  pay_deadline: datetime | None) -> None:
    """Set (or clear with None) the unit's 选房截止 and 交款截止."""
    user.require("selection.stock", "设置选房与交款截止时间")
    choose, pay = _aware(choose_deadline, "choose_deadline"), _aware(pay_deadline, "pay_deadline")
    problem = deadline_problem(choose, pay)
    if problem:
        raise ValidationFailed({"pay_deadline": problem})
    db.transact(lambda s: s.execute(update(Commission).where(Commission.id == commission_id)
                                    .values(choose_deadline=choose, pay_deadline=pay)))


def deadlines(db: Database, *, user: Principal, commission_id: uuid.UUID) -> Deadlines:
    user.require("selection.view", "查看截止时间")
    with db.read() as s:
        c = s.get(Commission, commission_id)
        return Deadlines(c.choose_deadline, c.pay_deadline)


def late_list(db: Database, *, user: Principal, commission_id: uuid.UUID, now: datetime | None = None) -> list[Late]:
    """逾期名单: eligible buyers without a flat after the choose deadline, tickets not covered after the pay
    deadline (what the tickets ask now against the house payments received)."""
    user.require("selection.view", "查看逾期名单")
    now = now or utcnow()
    with db.read() as s:
        c = s.get(Commission, commission_id)
        holders = set(s.scalars(select(FlatHold.buyer_id)))
        listed = s.scalars(select(Buyer).where(Buyer.commission_id == commission_id, Buyer.eligible.is_(True)))
        buyers = [BuyerState(b.list_no, b.name, b.draw_order, b.called_at is not None, b.id in holders)
                  for b in listed]
        tickets = list(s.scalars(select(SelectionDocument).where(
            SelectionDocument.commission_id == commission_id, SelectionDocument.kind == "ticket",
            SelectionDocument.reverses_id.is_(None)).order_by(SelectionDocument.number)))
        cancelled = documents.reversed_ids(s, [t.id for t in tickets])
        states = []
        for t in (t for t in tickets if t.id not in cancelled):
            content = json.loads(t.content)
            states.append(TicketState(t.display_number, content["buyer"], Decimal(content["amount_now"]),
                                      paid_towards(s, t.buyer_id)))
        return late(now=now, choose_deadline=c.choose_deadline, pay_deadline=c.pay_deadline, buyers=buyers,
                    tickets=states)
