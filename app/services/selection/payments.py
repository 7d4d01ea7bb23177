"""收据 — receipts for the deposit (封户费), payments and fees against a ticket; what a buyer has paid."""
from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.db import Database
from app.errors import ValidationFailed
from app.services.selection import documents
from app.services.selection.documents import IssuedDocument
from app.services.selection.errors import AlreadyReversed, AmountMismatch
from app.services.selection.tickets import money
from app.services.users import Principal
from models import Flat, SelectionDocument
from models.base import utcnow

# purposes that pay for the flat; fees are received on their own and never count towards the price
HOUSE_PAYMENTS = {"deposit": "封户费", "payment": "房款", "extra": "补交房款"}
FEES = {"rename_fee": "更名费", "loan_fee": "转按揭手续费"}
METHODS = ("现金", "转账", "刷卡")


def paid_towards(s: Session, buyer_id: uuid.UUID) -> Decimal:
    """Everything the buyer has paid for the flat, net of red-letter reversals."""
    total = s.scalar(select(func.coalesce(func.sum(SelectionDocument.amount), 0))
                     .where(SelectionDocument.buyer_id == buyer_id, SelectionDocument.kind == "receipt",
                            SelectionDocument.purpose.in_(HOUSE_PAYMENTS)))
    return money(Decimal(total))


def active_ticket(s: Session, ticket_id: uuid.UUID) -> SelectionDocument:
    ticket = s.get(SelectionDocument, ticket_id)
    if ticket is None or ticket.kind != "ticket" or ticket.reverses_id is not None:
        raise ValidationFailed({"ticket": "找不到该选房工作票"})
    if documents.reversed_ids(s, [ticket.id]):
        raise AlreadyReversed(f"选房工作票 {ticket.display_number} 已红字冲销,不能再收款")
    return ticket


def record_receipt(db: Database, *, user: Principal, ticket_id: uuid.UUID, amount: Decimal, purpose: str,
                   method: str = "转账", now: datetime | None = None) -> IssuedDocument:
    """Receive money against a ticket and issue a numbered 收据; a payment over the price is refused."""
    user.require("selection.receipt", "收款开收据")
    amount = money(Decimal(amount))
    if amount <= 0:
        raise ValidationFailed({"amount": "收款金额必须大于 0"})
    if purpose not in HOUSE_PAYMENTS and purpose not in FEES:
        raise ValidationFailed({"purpose": "请选择收款事由"})
    if method not in METHODS:
        raise ValidationFailed({"method": f"付款方式只能是{'、'.join(METHODS)}"})
    now = now or utcnow()

    def work(s: Session) -> IssuedDocument:
        ticket = active_ticket(s, ticket_id)
        t = documents._value(ticket, None).content
        paid = paid_towards(s, ticket.buyer_id)
        if purpose in HOUSE_PAYMENTS and paid + amount > ticket.amount:
            raise AmountMismatch(f"收款后累计 {paid + amount:,.2f} 元将超过房款总额 {ticket.amount:,.2f} 元,"
                                 f"本次最多可收 {ticket.amount - paid:,.2f} 元")
        covered = purpose in HOUSE_PAYMENTS and paid + amount >= Decimal(t["amount_now"])
        if covered:  # flat row first (same lock order as ticketing), then the counter
            s.execute(update(Flat).where(Flat.id == ticket.flat_id, Flat.status == "chosen")
                      .values(status="paid", version=Flat.version + 1, changed_at=now))
        label = HOUSE_PAYMENTS.get(purpose) or FEES[purpose]
        content = {"payer": t["buyer"], "buyer_id_number": t["buyer_id_number"], "ticket": ticket.display_number,
                   "flat": _flat_text(t), "purpose_label": label, "method": method, "reverses": None}
        return documents.issue(s, kind="receipt", project_id=ticket.project_id, commission_id=ticket.commission_id,
                               buyer_id=ticket.buyer_id, flat_id=ticket.flat_id, ticket_id=ticket.id,
                               amount=amount, purpose=purpose, content=content, user=user, now=now)

    return db.transact(work)


def _flat_text(t: dict) -> str:
    entrance = f"{t['entrance']}单元" if t.get("entrance") else ""
    return f"{t['building']}{entrance}{t['room']}"
