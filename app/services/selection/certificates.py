"""选房凭证 — the selection certificate, generated from the ticket once the receipts add up to the amount due;
issued by one person and reviewed by another."""
from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from app.db import Database
from app.services.offline.guard import refuse_offline
from app.services.selection import buyers, documents, relationship, stock
from app.services.selection.documents import IssuedDocument
from app.services.selection.errors import AmountMismatch, RuleBroken
from app.services.selection.payments import HOUSE_PAYMENTS, active_ticket, due_of, lock_buyer, paid_towards
from app.services.users import Principal
from models import DocumentReview, Flat, SelectionDocument
from models.base import utcnow


def check_reviewer(issuer: Principal, reviewer: Principal) -> None:
    reviewer.require("selection.review", "复核选房单据")
    if reviewer.username.lower() == issuer.username.lower():
        raise RuleBroken("复核人不能是开具人本人,请由另一位有复核权限的人员复核")


def active_certificate(s: Session, ticket_id: uuid.UUID) -> SelectionDocument | None:
    certs = list(s.scalars(select(SelectionDocument).where(SelectionDocument.ticket_id == ticket_id,
                                                           SelectionDocument.kind == "certificate",
                                                           SelectionDocument.reverses_id.is_(None))))
    cancelled = documents.reversed_ids(s, [c.id for c in certs])
    return next((c for c in certs if c.id not in cancelled), None)


def issue_certificate(db: Database, *, user: Principal, reviewer: Principal, ticket_id: uuid.UUID,
                      now: datetime | None = None) -> IssuedDocument:
    """Checks before issue: name and ID on the list, price as approved, receipts cover the amount due."""
    refuse_offline(db, "出具选房凭证")
    user.require("selection.certificate", "开选房凭证")
    check_reviewer(user, reviewer)
    now = now or utcnow()

    def work(s: Session) -> IssuedDocument:
        lock_buyer(s, s.scalar(select(SelectionDocument.buyer_id).where(SelectionDocument.id == ticket_id)))
        ticket = active_ticket(s, ticket_id)
        t = documents.content_of(ticket)
        if active_certificate(s, ticket.id) is not None:
            raise RuleBroken(f"选房工作票 {ticket.display_number} 已开具选房凭证")
        buyers.listed(s, ticket.commission_id, t["buyer_id_number"])
        missing = stock.missing_approvals(s, ticket.commission_id)
        flat = s.get(Flat, ticket.flat_id)
        approved = relationship.approved_price(s, t) if t.get("relationship") else flat.price_per_m2
        if missing or approved is None or approved != Decimal(t["price_per_m2"]):
            raise RuleBroken("房价与审批价格不一致或审批未完成,不能开凭证,请核对价格审批")
        paid, due = paid_towards(s, ticket.buyer_id), due_of(t)
        if paid < due:
            raise AmountMismatch(f"已收 {paid:,.2f} 元,应收 {due:,.2f} 元,还差 {due - paid:,.2f} 元,不能开凭证")
        if paid > due:  # cannot arise through the services (they refund); refuse rather than certify it
            raise AmountMismatch(f"已收 {paid:,.2f} 元,多于应收 {due:,.2f} 元,请先开退款收据退还 "
                                 f"{paid - due:,.2f} 元,再开凭证")
        moved = s.execute(update(Flat).where(Flat.id == flat.id, Flat.status == "paid")
                          .values(status="certified", version=Flat.version + 1, changed_at=now))
        if moved.rowcount != 1:
            raise RuleBroken("销控表上该房源不是“已付款”状态,请刷新后再试")
        receipts = s.execute(select(SelectionDocument.display_number, SelectionDocument.amount)
                             .where(SelectionDocument.buyer_id == ticket.buyer_id,
                                    SelectionDocument.kind == "receipt",
                                    SelectionDocument.purpose.in_(HOUSE_PAYMENTS))
                             .order_by(SelectionDocument.issued_at)).all()
        content = {key: t[key] for key in ("commission", "buyer", "buyer_id_number", "building", "entrance",
                                           "floor", "room", "unit_type", "area", "price_per_m2", "total")}
        content |= {"ticket": ticket.display_number, "paid_total": paid, "reviewed_by": reviewer.display_name,
                    "receipts": [[n, a] for n, a in receipts], "reverses": None}
        doc = documents.issue(s, kind="certificate", project_id=ticket.project_id,
                              commission_id=ticket.commission_id, buyer_id=ticket.buyer_id, flat_id=flat.id,
                              ticket_id=ticket.id, amount=due, content=content, user=user, now=now)
        s.execute(insert(DocumentReview).values(document_id=doc.id, reviewer=reviewer.display_name,
                                                reviewer_id=reviewer.user_id, reviewed_at=now))
        return doc

    return db.transact(work)


def review_document(db: Database, *, issuer_name: str, reviewer: Principal, document_id: uuid.UUID) -> None:
    """The independent second person's 复核 of a ticket or receipt (a certificate is reviewed when issued)."""
    reviewer.require("selection.review", "复核选房单据")

    def work(s: Session) -> None:
        doc = s.get(SelectionDocument, document_id)
        if doc.issued_by_id is not None and doc.issued_by_id == reviewer.user_id:
            raise RuleBroken("复核人不能是开具人本人")
        if s.get(DocumentReview, document_id) is not None:
            raise RuleBroken(f"{doc.display_number} 已复核")
        s.execute(insert(DocumentReview).values(document_id=document_id, reviewer=reviewer.display_name,
                                                reviewer_id=reviewer.user_id, reviewed_at=utcnow()))

    db.transact(work)
