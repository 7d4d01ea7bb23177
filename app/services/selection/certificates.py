"""选房凭证 — the selection certificate, generated from the ticket once the receipts add up to the amount due;
issued by one person and reviewed by another."""
from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from app.db import Database
from app.errors import ValidationFailed
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


def _ticket_review(s: Session, ticket: SelectionDocument, reviewer: Principal | None, now: datetime
                   ) -> tuple[str, uuid.UUID | None]:
    """The ticket's independent review (复核): recorded at the review station, or by the reviewer named now."""
    row = s.get(DocumentReview, ticket.id)
    if row is not None:
        return row.reviewer, row.reviewer_id
    if reviewer is None:
        raise RuleBroken(f"选房工作票 {ticket.display_number} 尚未复核:请购房人先到复核区,由复核员扫描票号复核")
    if reviewer.is_actor(ticket.issued_by_id, ticket.issued_by):
        raise RuleBroken("复核人不能是开票人本人,请由另一位有复核权限的人员复核")
    s.execute(insert(DocumentReview).values(document_id=ticket.id, reviewer=reviewer.display_name,
                                            reviewer_id=reviewer.user_id, reviewed_at=now))
    return reviewer.display_name, reviewer.user_id


def issue_certificate(db: Database, *, user: Principal, ticket_id: uuid.UUID, reviewer: Principal | None = None,
                      now: datetime | None = None) -> IssuedDocument:
    """Checks before issue: name and ID on the list, price as approved, receipts net of refunds exactly the
    amount due, and the ticket reviewed by a person other than its issuer and other than this certificate's
    issuer. The ticket's reviewer is the certificate's 复核人 (no password per certificate); a `reviewer`
    given here reviews a ticket not yet reviewed."""
    refuse_offline(db, "出具选房凭证")
    user.require("selection.certificate", "开选房凭证")
    if reviewer is not None:
        check_reviewer(user, reviewer)
    now = now or utcnow()

    def work(s: Session) -> IssuedDocument:
        lock_buyer(s, s.scalar(select(SelectionDocument.buyer_id).where(SelectionDocument.id == ticket_id)))
        ticket = active_ticket(s, ticket_id)
        t = documents.content_of(ticket)
        if active_certificate(s, ticket.id) is not None:
            raise RuleBroken(f"选房工作票 {ticket.display_number} 已开具选房凭证")
        buyers.listed(s, ticket.commission_id, t["buyer_id_number"])
        review_name, review_id = _ticket_review(s, ticket, reviewer, now)
        if user.is_actor(review_id, review_name):
            raise RuleBroken("复核人不能是开具人本人:该票由您复核,凭证请由另一位选房员开具")
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
        content |= {"ticket": ticket.display_number, "paid_total": paid, "reviewed_by": review_name,
                    "receipts": [[n, a] for n, a in receipts], "reverses": None}
        doc = documents.issue(s, kind="certificate", project_id=ticket.project_id,
                              commission_id=ticket.commission_id, buyer_id=ticket.buyer_id, flat_id=flat.id,
                              ticket_id=ticket.id, amount=due, content=content, user=user, now=now)
        s.execute(insert(DocumentReview).values(document_id=doc.id, reviewer=review_name, reviewer_id=review_id,
                                                reviewed_at=now))
        return doc

    return db.transact(work)


def review_document(db: Database, *, issuer_name: str, reviewer: Principal, document_id: uuid.UUID) -> None:
    """The independent second person's 复核 of a ticket or receipt (a certificate is reviewed when issued)."""
    reviewer.require("selection.review", "复核选房单据")

    def work(s: Session) -> None:
        doc = s.get(SelectionDocument, document_id)
        if reviewer.is_actor(doc.issued_by_id, doc.issued_by):
            raise RuleBroken("复核人不能是开具人本人")
        if s.get(DocumentReview, document_id) is not None:
            raise RuleBroken(f"{doc.display_number} 已复核")
        s.execute(insert(DocumentReview).values(document_id=document_id, reviewer=reviewer.display_name,
                                                reviewer_id=reviewer.user_id, reviewed_at=utcnow()))

    db.transact(work)


def review_by_number(db: Database, *, reviewer: Principal, number: str) -> IssuedDocument:
    """复核区: the reviewer logged in at the station scans the ticket's QR code (its number) or types it; the
    review is recorded under the station's login — no password per document."""
    reviewer.require("selection.review", "复核选房单据")
    text = number.strip().upper()
    if not text:
        raise ValidationFailed({"number": "请扫描或输入选房工作票编号"})
    with db.read() as s:
        doc_id = s.scalar(select(SelectionDocument.id).where(SelectionDocument.display_number == text))
    if doc_id is None:
        raise ValidationFailed({"number": f"找不到单据 {text},请核对票号"})
    with db.read() as s:
        doc = documents.load(s, doc_id)
        cancelled = documents.reversed_ids(s, [doc_id])
    if doc.kind != "ticket" or doc.reverses_id is not None:
        raise RuleBroken(f"{text} 不是选房工作票,复核区只复核选房工作票")
    if cancelled:
        raise RuleBroken(f"选房工作票 {text} 已红字冲销,不能复核;请复核新开的票")
    review_document(db, issuer_name=doc.issued_by, reviewer=reviewer, document_id=doc_id)
    with db.read() as s:
        return documents.load(s, doc_id)
