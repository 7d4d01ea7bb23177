"""What the desk screen reads: the events to pick from, a buyer's state at the desk, and the ledger (台帐)."""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from app.db import Database
from app.services.selection import buyers, documents
from app.services.selection.payments import paid_towards
from app.services.users import Principal
from models import Commission, DocumentReview, FlatHold, Project, SelectionDocument


@dataclass(frozen=True)
class EventInfo:
    project_id: uuid.UUID
    project: str
    commission_id: uuid.UUID
    commission: str


@dataclass(frozen=True)
class BuyerAtDesk:
    """A verified buyer (核实身份) and where they stand: ticket, paid, due."""

    id: uuid.UUID
    name: str
    id_number: str
    list_no: int
    draw_order: int | None
    ticket_id: uuid.UUID | None
    ticket_number: str
    flat: str
    amount_now: Decimal
    paid: Decimal
    certificate_number: str
    deposit: Decimal | None = None  # 封户费 stated on the ticket (None for full payment)
    audit_flag: str = ""  # why audit looked at this name (two lists, same name other ID, outsider …)


@dataclass(frozen=True)
class LedgerRow:
    id: uuid.UUID
    kind: str
    number: str
    issued_at: datetime
    issued_by: str
    buyer: str
    flat: str
    purpose: str
    amount: Decimal
    reverses: str
    reversed_by: str
    reviewed_by: str


def events(db: Database, *, user: Principal) -> list[EventInfo]:
    user.require("selection.view", "查看选房")
    with db.read() as s:
        rows = s.execute(select(Project.id, Project.name, Commission.id, Commission.name)
                         .join(Commission, Commission.project_id == Project.id)
                         .order_by(Project.name, Commission.created_at, Commission.name))
        return [EventInfo(*r) for r in rows]


def verify_buyer(db: Database, *, user: Principal, commission_id: uuid.UUID, id_number: str) -> BuyerAtDesk:
    """核实身份: the ID scanned or typed at the desk, matched against the approved list (NotOnList otherwise)."""
    user.require("selection.view", "核实身份")
    with db.read() as s:
        b = buyers.listed(s, commission_id, id_number)
        hold = s.scalar(select(FlatHold).where(FlatHold.buyer_id == b.id))
        ticket = documents.load(s, hold.ticket_id) if hold else None
        cert = ""
        if ticket:
            from app.services.selection.certificates import active_certificate

            c = active_certificate(s, ticket.id)
            cert = c.display_number if c else ""
        t = ticket.content if ticket else {}
        flat = f"{t['building']}{t['entrance'] + '单元' if t.get('entrance') else ''}{t['room']}" if t else ""
        return BuyerAtDesk(b.id, b.name, b.id_number, b.list_no, b.draw_order, ticket.id if ticket else None,
                           ticket.number if ticket else "", flat, Decimal(t.get("amount_now", "0")),
                           paid_towards(s, b.id), cert,
                           Decimal(t["deposit"]) if t.get("deposit") is not None else None, b.audit_flag or "")


def looks_like_document_number(text: str) -> bool:
    """A scanned QR code of a ticket or receipt (JY-XP-2026-000123) rather than an ID number."""
    parts = text.strip().upper().split("-")
    return len(parts) == 4 and parts[1].isalpha() and parts[2].isdigit() and parts[3].isdigit()


def buyer_by_document(db: Database, *, user: Principal, commission_id: uuid.UUID, number: str) -> BuyerAtDesk:
    """The buyer a scanned document belongs to: stations pass a buyer on by the ticket's QR code, nobody
    re-types the ID number."""
    user.require("selection.view", "核实身份")
    text = number.strip().upper()
    with db.read() as s:
        row = s.execute(select(SelectionDocument.commission_id, SelectionDocument.buyer_id)
                        .where(SelectionDocument.display_number == text)).first()
        if row is None or row.commission_id != commission_id:
            from app.errors import ValidationFailed

            raise ValidationFailed({"number": f"找不到本单位的单据 {text},请核对票号或改为扫描身份证"})
        from models import Buyer

        id_number = s.scalar(select(Buyer.id_number).where(Buyer.id == row.buyer_id))
    return verify_buyer(db, user=user, commission_id=commission_id, id_number=id_number)


def ledger(db: Database, *, user: Principal, commission_id: uuid.UUID, kind: str | None = None,
           buyer_id: uuid.UUID | None = None) -> list[LedgerRow]:
    """台帐 of tickets, receipts and certificates in number order, with reversals and reviews."""
    user.require("selection.view", "查看选房台帐")
    q = (select(SelectionDocument, DocumentReview.reviewer)
         .outerjoin(DocumentReview, DocumentReview.document_id == SelectionDocument.id)
         .where(SelectionDocument.commission_id == commission_id)
         .order_by(SelectionDocument.issued_at, SelectionDocument.number))
    if kind:
        q = q.where(SelectionDocument.kind == kind)
    if buyer_id:
        q = q.where(SelectionDocument.buyer_id == buyer_id)
    with db.read() as s:
        rows = s.execute(q).all()
        numbers = {d.id: d.display_number for d, _ in rows}
        cancelled_by = {d.reverses_id: d.display_number for d, _ in rows if d.reverses_id}
        out = []
        for d, reviewer in rows:
            c = json.loads(d.content)
            flat = f"{c.get('building', '')}{c.get('entrance', '') and c['entrance'] + '单元'}{c.get('room', '')}"
            out.append(LedgerRow(d.id, d.kind, d.display_number, d.issued_at, d.issued_by,
                                 c.get("buyer") or c.get("payer", ""), flat or c.get("flat", ""),
                                 c.get("purpose_label", ""), d.amount, numbers.get(d.reverses_id, ""),
                                 cancelled_by.get(d.id, ""), reviewer or ""))
        return out
