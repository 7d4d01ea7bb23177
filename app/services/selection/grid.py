"""销控表 — the sales-control grid: building × floor × flat with each flat's status, the same table for the
key-account department and the marketing centre. `stamp` is a cheap change detector a desk polls every
second, so another desk's sale shows within 2 seconds."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select

from app.db import Database
from app.services.users import Principal
from models import Buyer, Flat, FlatHold, RelationshipApproval, SelectionDocument


@dataclass(frozen=True)
class FlatCell:
    id: uuid.UUID
    building: str
    entrance: str
    floor: int
    room: str
    unit_type: str
    area: Decimal
    price_per_m2: Decimal | None
    status: str  # as seen from the viewing unit: available / released / reserved / relationship / chosen …
    buyer: str
    ticket_number: str

    @property
    def total(self) -> Decimal | None:
        return None if self.price_per_m2 is None else (self.price_per_m2 * self.area).quantize(Decimal("0.01"))

    @property
    def label(self) -> str:
        return f"{self.building}{self.entrance + '单元' if self.entrance else ''}{self.room}"


def view_status(status: str, flat_commission: uuid.UUID | None, viewer: uuid.UUID | None,
                relationship: bool) -> str:
    """The colour a desk of `viewer` sees: a flat released to another unit is reserved for this one."""
    if status != "released":
        return status
    if viewer is not None and flat_commission != viewer:
        return "reserved"
    return "relationship" if relationship else "released"


def sales_control(db: Database, *, user: Principal, project_id: uuid.UUID,
                  commission_id: uuid.UUID | None = None) -> list[FlatCell]:
    user.require("selection.view", "查看销控表")
    approved = (select(RelationshipApproval.average_price)  # 关系房: sold at the approved average price
                .where(RelationshipApproval.flat_id == Flat.id, RelationshipApproval.state == "active")
                .correlate(Flat).scalar_subquery())
    q = (select(Flat, Buyer.name, SelectionDocument.display_number, approved)
         .outerjoin(FlatHold, FlatHold.flat_id == Flat.id)
         .outerjoin(Buyer, Buyer.id == FlatHold.buyer_id)
         .outerjoin(SelectionDocument, SelectionDocument.id == FlatHold.ticket_id)
         .where(Flat.project_id == project_id)
         .order_by(Flat.building, Flat.entrance, Flat.floor.desc(), Flat.room))
    with db.read() as s:
        return [FlatCell(f.id, f.building, f.entrance, f.floor, f.room, f.unit_type, f.area,
                         f.price_per_m2 if price is None or not f.relationship_note else price,
                         view_status(f.status, f.commission_id, commission_id, bool(f.relationship_note)),
                         name or "", number or "")
                for f, name, number, price in s.execute(q)]


def stamp(db: Database, *, project_id: uuid.UUID) -> tuple[int, int]:
    """(flat count, sum of versions): changes whenever any flat of the project changes."""
    with db.read() as s:
        count, versions = s.execute(select(func.count(), func.coalesce(func.sum(Flat.version), 0))
                                    .where(Flat.project_id == project_id)).one()
    return int(count), int(versions)
