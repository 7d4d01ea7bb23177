"""Corrections by red-letter reversal (红字冲红): a new numbered document cancels the original, which stays
as it was. A swap within the contract's flats is a reversal and a new ticket in one transaction."""
from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from app.db import Database
from app.errors import ValidationFailed
from app.services.offline.guard import refuse_offline
from app.services.selection import documents, tickets
from app.services.selection.certificates import active_certificate
from app.services.selection.documents import IssuedDocument
from app.services.selection.errors import AlreadyReversed, RuleBroken
from app.services.selection.payments import HOUSE_PAYMENTS, moved_by_rename, paid_towards
from app.services.users import Principal
from models import Buyer, Commission, Flat, FlatHold, SelectionDocument
from models.base import utcnow


def _cancel(s: Session, *, user: Principal, doc: SelectionDocument, reason: str, now: datetime) -> IssuedDocument:
    if doc.reverses_id is not None:
        raise AlreadyReversed(f"{doc.display_number} 是红字冲销单据,不能再冲销")
    if documents.reversed_ids(s, [doc.id]):
        raise AlreadyReversed(f"{doc.display_number} 已经红字冲销过,不能重复冲销")
    if doc.kind == "ticket":
        if active_certificate(s, doc.id) is not None:
            raise RuleBroken("该票已开选房凭证,请先红字冲销选房凭证")
        s.execute(update(Flat).where(Flat.id == doc.flat_id, Flat.status.in_(("chosen", "paid")))
                  .values(status="released", version=Flat.version + 1, changed_at=now))
        s.execute(delete(FlatHold).where(FlatHold.ticket_id == doc.id))
    elif doc.kind == "receipt":
        if doc.purpose == "transfer" or moved_by_rename(s, doc):
            raise RuleBroken(f"{doc.display_number} 的款项已随更名结转给新购房人,不能单独冲销;"
                             "如需退款请在新购房人的票上办理")
        if doc.ticket_id and active_certificate(s, doc.ticket_id) is not None:
            raise RuleBroken("该票已开选房凭证,请先红字冲销选房凭证,再冲销收据")
        hold = s.scalar(select(FlatHold).where(FlatHold.buyer_id == doc.buyer_id))
        if doc.purpose in HOUSE_PAYMENTS and hold is not None:  # the flat the money now pays for (after swaps)
            due = Decimal(documents.load(s, hold.ticket_id).content["amount_now"])
            if paid_towards(s, doc.buyer_id) - doc.amount < due:
                s.execute(update(Flat).where(Flat.id == hold.flat_id, Flat.status == "paid")
                          .values(status="chosen", version=Flat.version + 1, changed_at=now))
    else:
        s.execute(update(Flat).where(Flat.id == doc.flat_id, Flat.status == "certified")
                  .values(status="paid", version=Flat.version + 1, changed_at=now))
    content = {**documents.content_of(doc), "reverses": doc.display_number, "reason": reason.strip()}
    for key in ("number", "issued_by", "issued_at", "amount", "reviewed_by"):  # the reversal has its own
        content.pop(key, None)
    return documents.issue(s, kind=doc.kind, project_id=doc.project_id, commission_id=doc.commission_id,
                           buyer_id=doc.buyer_id, flat_id=doc.flat_id, ticket_id=doc.ticket_id,
                           amount=-doc.amount, purpose=doc.purpose, content=content, user=user, now=now,
                           reverses_id=doc.id)


def reverse(db: Database, *, user: Principal, document_id: uuid.UUID, reason: str,
            now: datetime | None = None) -> IssuedDocument:
    """Cancel a ticket, receipt or certificate with a red-letter document; the original is never touched."""
    refuse_offline(db, "冲红选房单据")
    user.require("selection.reverse", "红字冲红")
    if not reason.strip():
        raise ValidationFailed({"reason": "请填写冲销原因,并收回原单据各联"})
    now = now or utcnow()

    def work(s: Session) -> IssuedDocument:
        doc = s.get(SelectionDocument, document_id)
        if doc is None:
            raise ValidationFailed({"document": "找不到该单据"})
        return _cancel(s, user=user, doc=doc, reason=reason, now=now)

    return db.transact(work)


def swap_flat(db: Database, *, user: Principal, ticket_id: uuid.UUID, new_flat_id: uuid.UUID, reason: str,
              now: datetime | None = None) -> tuple[IssuedDocument, IssuedDocument]:
    """换房: reverse the ticket and issue a new one for another flat released to the same unit; paid receipts
    stay with the buyer. Returns (red-letter ticket, new ticket)."""
    refuse_offline(db, "换房")
    user.require("selection.reverse", "换房")
    user.require("selection.ticket", "开选房工作票")
    if not reason.strip():
        raise ValidationFailed({"reason": "请填写换房原因"})
    now = now or utcnow()

    def work(s: Session):
        old = s.get(SelectionDocument, ticket_id)
        if old is None or old.kind != "ticket":
            raise ValidationFailed({"document": "找不到该选房工作票"})
        t = documents.content_of(old)
        red = _cancel(s, user=user, doc=old, reason=reason, now=now)
        commission = s.get(Commission, old.commission_id)
        buyer = s.scalar(select(Buyer).where(Buyer.id == old.buyer_id))
        new = tickets._open(s, user=user, commission=commission, buyer=buyer, flat_id=new_flat_id,
                            ratio=Decimal(t["payment_ratio"]), discounts=[tuple(d) for d in t["discounts"]],
                            ratio_approval=t.get("ratio_approval", ""), now=now)
        if paid_towards(s, buyer.id) >= Decimal(new.content["amount_now"]):  # the money paid moves with the buyer
            s.execute(update(Flat).where(Flat.id == new_flat_id, Flat.status == "chosen")
                      .values(status="paid", version=Flat.version + 1, changed_at=now))
        return red, new

    return db.transact(work)
