"""Archive sections (客户档案): contracts, receivables, complaints/concessions, contact log — date order.

Reading needs the right to open the owning card, adding or changing an entry customer.edit and the
right to edit it (access.ensure_may: the same rule as the card, without a read-log row of its own).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import Database
from app.domain import normalise as nz
from app.domain.fields import ARCHIVE_FIELDS
from app.domain.validation import parse_amount, validate_archive_entry
from app.errors import NotFound, ValidationFailed
from app.services import access, audit, stale
from app.services.users import Principal
from models import ArchiveEntry, Customer

EDITABLE = tuple(f.key for f in ARCHIVE_FIELDS)


@dataclass(frozen=True)
class ArchiveInfo:
    id: uuid.UUID
    version: int
    section: str
    kind: str
    entry_date: date
    subject: str
    amount: Decimal | None
    due_date: date | None
    reference: str
    content: str
    recorded_by: str


def _clean(values: dict) -> dict:
    out = {k: (nz.text(v) if isinstance(v, str) else v) for k, v in values.items() if k in EDITABLE}
    if isinstance(out.get("amount"), str):
        try:
            out["amount"] = parse_amount(out["amount"])
        except ValueError:
            pass  # the validator reports it
    return out


def entries(db: Database, *, customer_id: uuid.UUID, user: Principal | None,
            section: str | None = None) -> list[ArchiveInfo]:
    """In date order (oldest first), as the regulation files contracts."""
    q = select(ArchiveEntry).where(ArchiveEntry.customer_id == customer_id)
    if section:
        q = q.where(ArchiveEntry.section == section)
    with db.read() as s:
        access.ensure_may(s, user, customer_id, action="open")
        return [ArchiveInfo(e.id, e.version, e.section, e.kind, e.entry_date, e.subject, e.amount, e.due_date,
                            e.reference, e.content, e.recorded_by)
                for e in s.scalars(q.order_by(ArchiveEntry.entry_date, ArchiveEntry.created_at))]


def add_entry(db: Database, *, actor: str, customer_id: uuid.UUID, values: dict,
              user: Principal | None) -> uuid.UUID:
    values = _clean(values)
    if errors := validate_archive_entry(values):
        raise ValidationFailed(errors)

    return db.transact(lambda s: add_entry_in(s, actor=actor, customer_id=customer_id, values=values, user=user))


def add_entry_in(s: Session, *, actor: str, customer_id: uuid.UUID, values: dict, user: Principal | None) -> uuid.UUID:
    """add_entry inside the caller's transaction (a visit record files its contact here with itself)."""
    values = _clean(values)
    if errors := validate_archive_entry(values):
        raise ValidationFailed(errors)
    if s.get(Customer, customer_id) is None:
        raise NotFound("客户不存在")
    access.ensure_may(s, user, customer_id, action="edit")
    entry = ArchiveEntry(id=uuid.uuid4(), customer_id=customer_id, recorded_by=actor,
                         **{k: v for k, v in values.items() if v is not None})
    s.add(entry)
    s.flush()
    audit.record(s, actor=actor, action="create", entity="archive_entry", entity_id=entry.id,
                 customer_id=customer_id, diffs=audit.changes({}, values))
    return entry.id


def update_entry(db: Database, *, actor: str, entry_id: uuid.UUID, values: dict, user: Principal | None,
                 expected_version: int | None = None) -> int:
    values = _clean(values)

    def work(s):
        e = s.get(ArchiveEntry, entry_id)
        if e is None:
            raise NotFound("档案记录不存在")
        access.ensure_may(s, user, e.customer_id, action="edit")
        before = {k: getattr(e, k) for k in EDITABLE}
        stale.check(what=f"档案记录“{e.subject}”", expected=expected_version, found=e.version, stored=before,
                    typed=values, labels=ARCHIVE_FIELDS)
        if errors := validate_archive_entry(before | values):
            raise ValidationFailed(errors)
        diffs = audit.changes(before, values)
        if not diffs:
            return e.version
        for key, _o, _n in diffs:
            setattr(e, key, values[key])
        e.version += 1
        audit.record(s, actor=actor, action="update", entity="archive_entry", entity_id=e.id,
                     customer_id=e.customer_id, diffs=diffs)
        return e.version

    return db.transact(work)
