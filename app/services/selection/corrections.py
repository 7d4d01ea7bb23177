"""Corrections by red-letter reversal (红字冲红): a new numbered document cancels the original, which stays
as it was. A swap within the contract's flats is a reversal and a new ticket in one transaction."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
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
from app.services.selection.payments import (
    HOUSE_PAYMENTS,
    due_of,
    issue_receipt,
    lock_buyer,
    moved_by_rename,
    paid_towards,
    refund_excess,
)
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
        if doc.purpose == "refund":
            raise RuleBroken(f"{doc.display_number} 是退款收据,款项已退还购房人,不能冲销;如需再收款请另开收据")
        if doc.purpose == "transfer" or moved_by_rename(s, doc):
            raise RuleBroken(f"{doc.display_number} 的款项已随更名结转给新购房人,不能单独冲销;"
                             "如需退款请在新购房人的票上办理")
        if doc.ticket_id and active_certificate(s, doc.ticket_id) is not None:
            raise RuleBroken("该票已开选房凭证,请先红字冲销选房凭证,再冲销收据")
        hold = s.scalar(select(FlatHold).where(FlatHold.buyer_id == doc.buyer_id))
        if doc.purpose in HOUSE_PAYMENTS and paid_towards(s, doc.buyer_id) - doc.amount < 0:
            raise RuleBroken(f"{doc.display_number} 的款项已退还购房人,不能再冲销")
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


@dataclass(frozen=True)
class Changed:
    """What a swap or a cancellation issued in its one transaction, in the order the desk prints them."""

    red: IssuedDocument  # the red-letter ticket, filed with the returned copies
    new: IssuedDocument | None  # the new ticket (a swap); None for a cancellation (退房)
    certificate_red: IssuedDocument | None = None  # the certificate's red-letter copy, when one stood
    refund: IssuedDocument | None = None  # 退款收据: money back to the buyer
    documents: tuple[IssuedDocument, ...] = field(default=())

    def __iter__(self):  # `red, new = swap_flat(...)`
        return iter((self.red, self.new))


def reverse(db: Database, *, user: Principal, document_id: uuid.UUID, reason: str, refund_method: str = "转账",
            now: datetime | None = None) -> IssuedDocument:
    """Cancel a ticket, receipt or certificate with a red-letter document; the original is never touched.

    Cancelling a ticket (退房) refunds what the buyer paid with a 退款收据 in the same transaction
    (`cancel_ticket` returns both)."""
    return _reverse(db, user=user, document_id=document_id, reason=reason, refund_method=refund_method,
                    now=now).red


def cancel_ticket(db: Database, *, user: Principal, ticket_id: uuid.UUID, reason: str, refund_method: str = "转账",
                  now: datetime | None = None) -> Changed:
    """退房: the ticket's red-letter copy and the refund of everything paid for the flat, in one transaction."""
    return _reverse(db, user=user, document_id=ticket_id, reason=reason, refund_method=refund_method, now=now)


def _reverse(db: Database, *, user: Principal, document_id: uuid.UUID, reason: str, refund_method: str,
             now: datetime | None) -> Changed:
    refuse_offline(db, "冲红选房单据")
    user.require("selection.reverse", "红字冲红")
    if not reason.strip():
        raise ValidationFailed({"reason": "请填写冲销原因,并收回原单据各联"})
    now = now or utcnow()

    def work(s: Session) -> Changed:
        buyer_id = s.scalar(select(SelectionDocument.buyer_id).where(SelectionDocument.id == document_id))
        if buyer_id is None:
            raise ValidationFailed({"document": "找不到该单据"})
        lock_buyer(s, buyer_id)
        doc = s.get(SelectionDocument, document_id)
        red = _cancel(s, user=user, doc=doc, reason=reason, now=now)
        refund = None
        if doc.kind == "ticket" and doc.reverses_id is None:  # 退房: nothing paid stays with a buyer without a flat
            paid = paid_towards(s, doc.buyer_id)
            if paid > 0:
                refund = issue_receipt(s, user=user, ticket=doc, amount=-paid, purpose="refund",
                                       label="退款(退房)", method=refund_method, now=now)
        return Changed(red, None, refund=refund, documents=tuple(d for d in (red, refund) if d))

    return db.transact(work)


def swap_flat(db: Database, *, user: Principal, ticket_id: uuid.UUID, new_flat_id: uuid.UUID, reason: str,
              refund_method: str = "转账", now: datetime | None = None) -> Changed:
    """换房: the red-letter ticket and a new ticket for another flat released to the same unit, in one
    transaction. The money paid stays with the buyer; a certificate that stood is reversed first (红字冲红 of
    the certificate, issued anew once the money matches the new flat); paid beyond the new flat's amount due
    goes back on a 退款收据, a shortfall is received as 补交房款. Unpacks as (red-letter ticket, new ticket)."""
    refuse_offline(db, "换房")
    user.require("selection.reverse", "换房")
    user.require("selection.ticket", "开选房工作票")
    if not reason.strip():
        raise ValidationFailed({"reason": "请填写换房原因"})
    now = now or utcnow()

    def work(s: Session) -> Changed:
        buyer_id = s.scalar(select(SelectionDocument.buyer_id).where(SelectionDocument.id == ticket_id,
                                                                     SelectionDocument.kind == "ticket"))
        if buyer_id is None:
            raise ValidationFailed({"document": "找不到该选房工作票"})
        lock_buyer(s, buyer_id)
        old = s.get(SelectionDocument, ticket_id)
        t = documents.content_of(old)
        standing = active_certificate(s, old.id) if old.reverses_id is None else None
        cert_red = _cancel(s, user=user, doc=standing, reason=f"换房:{reason.strip()}", now=now) if standing else None
        red = _cancel(s, user=user, doc=old, reason=reason, now=now)
        commission = s.get(Commission, old.commission_id)
        buyer = s.scalar(select(Buyer).where(Buyer.id == old.buyer_id))
        new = tickets._open(s, user=user, commission=commission, buyer=buyer, flat_id=new_flat_id,
                            ratio=Decimal(t["payment_ratio"]), discounts=[tuple(d) for d in t["discounts"]],
                            ratio_approval=t.get("ratio_approval", ""), now=now,
                            extra={"swapped_from": old.display_number})
        refund = refund_excess(s, user=user, ticket=new, why=f"换房差价,原票 {old.display_number}",
                               method=refund_method, now=now)
        if paid_towards(s, buyer.id) == due_of(new.content):  # the money paid moves with the buyer
            s.execute(update(Flat).where(Flat.id == new_flat_id, Flat.status == "chosen")
                      .values(status="paid", version=Flat.version + 1, changed_at=now))
        made = tuple(d for d in (cert_red, red, new, refund) if d)
        return Changed(red, new, certificate_red=cert_red, refund=refund, documents=made)

    return db.transact(work)
