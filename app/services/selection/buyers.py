"""The commissioning unit's buyer list (购房者名单) and the eligibility review (资格审查)."""
from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from app.db import Database
from app.domain.buyers import normalise_id
from app.services.selection.errors import NotOnList, RuleBroken
from app.services.users import Principal
from models import Buyer, Commission
from models.base import utcnow


@dataclass(frozen=True)
class BuyerRow:
    list_no: int
    name: str
    id_number: str
    phone: str = ""


@dataclass(frozen=True)
class BuyerInfo:
    id: uuid.UUID
    list_no: int
    name: str
    id_number: str
    eligible: bool | None
    draw_order: int | None
    audit_flag: str


def refuse_after_draw(s: Session, commission_ids: Iterable[uuid.UUID], what: str) -> None:
    """名单冻结: once the notary has drawn a unit's order, its list and eligibility stay as drawn, so the draw
    keeps verifying (verify-draw) and nobody is slipped in after it."""
    from models import Draw

    row = s.execute(select(Commission.name, Draw.performed_at).join(Draw, Draw.commission_id == Commission.id)
                    .where(Commission.id.in_(list(commission_ids))).limit(1)).first()
    if row is not None:
        raise RuleBroken(f"“{row.name}”已公证机选,购房者名单已冻结,不能{what};"
                         "如确需变更名单,须由公证处重新组织机选")


def add_buyers(db: Database, *, user: Principal, commission_id: uuid.UUID, rows: Iterable[BuyerRow],
               flags: dict[str, str] | None = None) -> int:
    """Add the published list; `flags` maps an ID number to why audit should look at it."""
    user.require("selection.buyers", "导入购房者名单")
    flags = flags or {}
    values = [{"id": uuid.uuid4(), "commission_id": commission_id, "list_no": r.list_no, "name": r.name.strip(),
               "id_number": normalise_id(r.id_number), "phone": r.phone, "reviewed_by": "", "called_desk": "",
               "audit_flag": flags.get(normalise_id(r.id_number), "")} for r in rows]
    def work(s: Session) -> None:
        refuse_after_draw(s, [commission_id], "再添加购房者")
        s.execute(insert(Buyer), values)

    if values:
        db.transact(work)
    return len(values)


def review(db: Database, *, user: Principal, buyer_ids: Iterable[uuid.UUID], eligible: bool) -> None:
    """Record the eligibility decision (who, when) — checked by audit and finance against speculators."""
    user.require("selection.eligibility", "资格审查")
    ids = list(buyer_ids)

    def work(s: Session) -> None:
        refuse_after_draw(s, s.scalars(select(Buyer.commission_id).where(Buyer.id.in_(ids)).distinct()),
                          "再改变资格审查结果")
        s.execute(update(Buyer).where(Buyer.id.in_(ids)).values(eligible=eligible, reviewed_by=user.display_name,
                                                                 reviewed_at=utcnow()))

    db.transact(work)


def listed(s: Session, commission_id: uuid.UUID, id_number: str) -> Buyer:
    """The buyer with this ID on the approved list, or NotOnList with the reason."""
    number = normalise_id(id_number)
    buyer = s.scalar(select(Buyer).where(Buyer.commission_id == commission_id, Buyer.id_number == number))
    if buyer is None:
        unit = s.scalar(select(Commission.name).where(Commission.id == commission_id)) or ""
        raise NotOnList(f"身份证号 {number} 不在“{unit}”的购房者名单中,不能选房")
    if buyer.eligible is None:
        raise NotOnList(f"{buyer.name}(序号 {buyer.list_no})尚未通过资格审查,请先由审计/财务审查")
    if not buyer.eligible:
        raise NotOnList(f"{buyer.name}(序号 {buyer.list_no})资格审查未通过,不能选房")
    return buyer


def listed_row(s: Session, commission_id: uuid.UUID, id_number: str):
    """`listed` for the hot path: one Core row (id, name, id_number, list_no, draw_order, held_flat)."""
    row = s.connection().execute(_LISTED, {"commission_id": commission_id,
                                           "id_number": normalise_id(id_number)}).first()
    if row is None or not row.eligible:
        listed(s, commission_id, id_number)  # raises NotOnList with the reason
    return row


def _listed_query():
    from models import FlatHold

    b, h = Buyer.__table__.c, FlatHold.__table__
    from models import Draw

    drawn = select(Draw.__table__.c.id).where(Draw.__table__.c.commission_id == b.commission_id).exists()
    same = Buyer.__table__.alias("same")  # the person's rows on every unit's list (一人一套 reads them only if > 1)
    lists = select(func.count()).select_from(same).where(same.c.id_number == b.id_number).scalar_subquery()
    return (select(b.id, b.name, b.id_number, b.list_no, b.eligible, b.draw_order, b.called_at, b.skipped_at,
                   drawn.label("drawn"), h.c.flat_id.label("held_flat"), lists.label("lists"))
            .outerjoin_from(Buyer.__table__, h, h.c.buyer_id == b.id)
            .where(b.commission_id == bindparam("commission_id"), b.id_number == bindparam("id_number")))


_LISTED = _listed_query()  # built once


def buyers_of(db: Database, *, commission_id: uuid.UUID) -> list[BuyerInfo]:
    with db.read() as s:
        rows = s.scalars(select(Buyer).where(Buyer.commission_id == commission_id)
                         .order_by(func.coalesce(Buyer.draw_order, 1_000_000 + Buyer.list_no)))
        return [BuyerInfo(b.id, b.list_no, b.name, b.id_number, b.eligible, b.draw_order, b.audit_flag)
                for b in rows]
