"""The 24-hour rule (DOMAIN §2: 客户资料变更须在24小时内录入): a visit report that tells of changed facts
(信用变化, 客户需求) is a task to update the card, due the setting archive.update_hours after the report was
filed, until the card is edited or re-verified (核定) after it. The list shows the open ones, overdue first.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, or_, select

from app import settings
from app.db import Database
from app.services import access
from app.services.users import Principal
from models import AuditRecord, Customer, Staff, VisitRecord
from models.base import utcnow

CARD_EDITS = ("update", "verify")  # what brings a card up to date (an edit or a re-verification)


@dataclass(frozen=True)
class CardUpdateDue:
    record_id: uuid.UUID
    customer_id: uuid.UUID
    code: str
    name: str
    owner: str
    visited_on: object
    reported: str  # what the report said changed
    due_at: datetime
    overdue: bool


def due_updates(db: Database, *, user: Principal | None, now: datetime | None = None,
                limit: int = 2000) -> list[CardUpdateDue]:
    """Cards waiting for the changes their visit reports told of; overdue first, then by due time."""
    if user is not None:
        user.require("customer.list", "查看待更新的客户卡片")
    now = now or utcnow()
    hours = settings.get(db, "archive.update_hours")
    updated_since = exists().where(AuditRecord.customer_id == VisitRecord.customer_id,
                                   AuditRecord.entity == "customer", AuditRecord.action.in_(CARD_EDITS),
                                   AuditRecord.at > VisitRecord.created_at)
    q = (select(VisitRecord, Customer.code, Customer.name, Staff.name)
         .join(Customer, Customer.id == VisitRecord.customer_id)
         .outerjoin(Staff, Staff.id == Customer.owner_id)
         .where(or_(VisitRecord.credit_changes != "", VisitRecord.needs != ""), ~updated_since,
                Customer.merged_into_id.is_(None))
         .order_by(VisitRecord.created_at).limit(limit))
    if user is not None:
        q = q.where(and_(access.readable(user)))
    out = []
    with db.read() as s:
        for r, code, name, owner in s.execute(q):
            due = r.created_at + timedelta(hours=hours)
            said = ";".join(x for x in (f"信用变化:{r.credit_changes}" if r.credit_changes else "",
                                        f"客户需求:{r.needs}" if r.needs else "") if x)
            out.append(CardUpdateDue(r.id, r.customer_id, code, name, owner or "", r.visited_on, said, due, due < now))
    return sorted(out, key=lambda d: (not d.overdue, d.due_at))
