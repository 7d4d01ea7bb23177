"""Issuing a numbered document inside the caller's transaction, and reading documents back as plain values."""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app import settings
from app.domain import selection_chain as chain
from app.services.selection import numbering
from app.services.users import Principal
from models import DocumentReview, Project, SelectionDocument, Setting


@dataclass(frozen=True)
class IssuedDocument:
    """A ticket, receipt or certificate as it was issued (never changed afterwards)."""

    id: uuid.UUID
    kind: str
    number: str
    amount: Decimal
    purpose: str
    buyer_id: uuid.UUID
    flat_id: uuid.UUID
    ticket_id: uuid.UUID | None
    reverses_id: uuid.UUID | None
    content: dict
    issued_by: str
    issued_at: datetime
    content_hash: str
    prev_hash: str
    reviewed_by: str = ""


_INSERT = insert(SelectionDocument.__table__)
_ZONE = select(Setting.value).where(Setting.key == "visits.timezone")


def business_zone(s: Session) -> ZoneInfo:
    """The business's time zone (setting visits.timezone): numbering years and desk days follow it."""
    stored = s.connection().execute(_ZONE).scalar()
    return ZoneInfo(settings.OPTIONS["visits.timezone"].default if stored is None else json.loads(stored))


def issue(s: Session, *, kind: str, project_id: uuid.UUID, commission_id: uuid.UUID, buyer_id: uuid.UUID,
          flat_id: uuid.UUID, amount: Decimal, content: dict, user: Principal, now: datetime,
          ticket_id: uuid.UUID | None = None, purpose: str = "", reverses_id: uuid.UUID | None = None,
          project_code: str | None = None) -> IssuedDocument:
    """Take the next number of the series, hash the content onto the chain and insert the document."""
    code = project_code or s.scalar(select(Project.code).where(Project.id == project_id))
    year = now.astimezone(business_zone(s)).year  # the business's year, whatever the desk PC's zone
    taken = numbering.take(s, kind=kind, project_id=project_id, project_code=code, year=year)
    content = {**content, "kind": kind, "number": taken.display, "issued_by": user.display_name,
               "issued_at": now, "amount": amount, "purpose": purpose}
    body = numbering.canonical(content)
    doc_id = uuid.uuid4()
    row = {"id": doc_id, "kind": kind, "project_id": project_id, "year": year, "number": taken.number,
           "display_number": taken.display, "commission_id": commission_id, "buyer_id": buyer_id,
           "flat_id": flat_id, "ticket_id": ticket_id, "amount": amount, "purpose": purpose,
           "reverses_id": reverses_id, "content": body, "prev_hash": taken.prev_hash,
           "issued_by": user.display_name, "issued_by_id": user.user_id, "issued_at": now,
           "hash_version": chain.HASH_VERSION}
    digest = chain.row_hash(row)  # every stored column, the amount included
    s.connection().execute(_INSERT, {**row, "content_hash": digest})  # Core, built once: no ORM on the hot path
    numbering.advance(s, kind=kind, project_id=project_id, year=year, number=taken.number, new_hash=digest)
    return IssuedDocument(doc_id, kind, taken.display, amount, purpose, buyer_id, flat_id, ticket_id,
                          reverses_id, json.loads(body), user.display_name, now, digest, taken.prev_hash)


def content_of(row: SelectionDocument) -> dict:
    """What a stored document printed, as issued (its canonical JSON)."""
    return json.loads(row.content)


def as_issued(row: SelectionDocument, reviewer: str | None = None) -> IssuedDocument:
    """A stored document row (ORM or Core) as the plain value the services hand out."""
    return IssuedDocument(row.id, row.kind, row.display_number, row.amount, row.purpose, row.buyer_id, row.flat_id,
                          row.ticket_id, row.reverses_id, json.loads(row.content), row.issued_by, row.issued_at,
                          row.content_hash, row.prev_hash, reviewer or "")


def load(s: Session, document_id: uuid.UUID) -> IssuedDocument | None:
    row = s.execute(select(SelectionDocument, DocumentReview.reviewer)
                    .outerjoin(DocumentReview, DocumentReview.document_id == SelectionDocument.id)
                    .where(SelectionDocument.id == document_id)).first()
    return as_issued(*row) if row else None


def reversed_ids(s: Session, ids) -> set[uuid.UUID]:
    """Of these documents, the ones a red-letter document has cancelled."""
    ids = list(ids)
    if not ids:
        return set()
    return set(s.scalars(select(SelectionDocument.reverses_id).where(SelectionDocument.reverses_id.in_(ids))))


def verify_chain(s: Session, *, kind: str, project_id: uuid.UUID, year: int) -> list[str]:
    """Re-hash a series from its first document; returns the numbers whose stored columns or link were altered."""
    bad, prev = [], ""
    t = SelectionDocument.__table__
    rows = s.connection().execute(select(t).where(t.c.kind == kind, t.c.project_id == project_id,
                                                  t.c.year == year).order_by(t.c.number))
    expected_number = 1
    for row in rows.mappings():
        if row["number"] != expected_number or row["prev_hash"] != prev or chain.expected_hash(row) != row["content_hash"]:
            bad.append(row["display_number"])
        prev, expected_number = row["content_hash"], row["number"] + 1
    return bad
