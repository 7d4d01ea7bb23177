"""选房工作票 — issuing the selection work ticket: the flat is taken on the sales-control table the moment it
is chosen, in the same transaction that takes the ticket's number."""
from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from app import settings
from app.db import Database
from app.domain.buyers import mask_id
from app.domain.selection_order import order_problem
from app.errors import ValidationFailed
from app.services.offline.guard import refuse_offline
from app.services.selection import buyers, documents, relationship, stock
from app.services.selection.documents import IssuedDocument
from app.services.selection.errors import FlatTaken, OutOfOrder, RuleBroken
from app.services.users import Principal
from models import Buyer, Commission, Flat, FlatHold, PriceApproval, Project, SelectionDocument, Setting
from models.base import utcnow

CENT = Decimal("0.01")


def money(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, ROUND_HALF_UP)


def check_ratio(ratio: Decimal, minimum: Decimal, approval: str) -> None:
    if not Decimal("0") < ratio <= Decimal("1"):
        raise ValidationFailed({"payment_ratio": "付款比例应在 0 到 100% 之间"})
    if ratio < minimum and not approval.strip():
        raise RuleBroken(f"付款比例 {ratio:.0%} 低于规定的 {minimum:.0%},须填写特批文号后才能开票")


_F = Flat.__table__.c
# the conditional status change, and the flat's facts back in the same round trip (built once)
_TAKE_FLAT = (update(Flat.__table__)
              .where(_F.id == bindparam("b_flat"), _F.status == "released",
                     _F.commission_id == bindparam("b_commission"))
              .values(status="chosen", version=_F.version + 1, changed_at=bindparam("b_now"))
              .returning(_F.id, _F.building, _F.entrance, _F.floor, _F.room, _F.unit_type, _F.area,
                         _F.price_per_m2, _F.relationship_note))
_HOLD = insert(FlatHold.__table__)
_C, _A = Commission.__table__.c, PriceApproval.__table__.c
_FACTS = (select(_C.id, _C.project_id, _C.name, _C.min_payment_ratio, _C.deposit_amount, _C.average_price,
                 _C.price_version, Project.__table__.c.code.label("project_code"),
                 select(func.count()).where(_A.commission_id == _C.id, _A.price_version == _C.price_version)
                 .scalar_subquery().label("signed"))
          .join_from(Commission.__table__, Project.__table__, Project.__table__.c.id == _C.project_id)
          .where(_C.id == bindparam("commission_id")))


def _take_flat(s: Session, flat_id: uuid.UUID, commission_id: uuid.UUID, now: datetime) -> Flat:
    """The atomic conditional status change: exactly one desk moves a released flat to chosen."""
    taken = s.connection().execute(_TAKE_FLAT, {"b_flat": flat_id, "b_commission": commission_id,
                                                "b_now": now}).one_or_none()
    if taken is None:
        flat = s.get(Flat, flat_id)
        if flat is None:
            raise FlatTaken("房源不存在")
        label = stock.flat_label(flat.building, flat.entrance, flat.room)
        if flat.commission_id != commission_id:
            raise FlatTaken(f"{label} 未释放给本单位,不能选")
        raise FlatTaken(f"{label} 已被选,请选择其他房源")
    return taken


_LIMIT = select(Setting.value).where(Setting.key == "selection.flats_per_person")


def _one_flat_per_person(s: Session, buyer) -> None:
    """一人一套: the same ID number on several units' lists buys at most `selection.flats_per_person` flats in
    all. The person's buyer rows are locked first, so two desks of two units cannot both sell to them. A person
    on one list only (the hot path's `lists` says so) needs nothing more: flat_hold's unique buyer does the rest."""
    if getattr(buyer, "lists", 2) < 2:
        return
    rows = s.execute(select(Buyer.id).where(Buyer.id_number == buyer.id_number).with_for_update()).all()
    if len(rows) < 2:  # on one list only (the usual case): nothing more to read
        return
    others = s.execute(select(Commission.name, SelectionDocument.display_number)
                       .select_from(FlatHold).join(Buyer, Buyer.id == FlatHold.buyer_id)
                       .join(Commission, Commission.id == Buyer.commission_id)
                       .join(SelectionDocument, SelectionDocument.id == FlatHold.ticket_id)
                       .where(Buyer.id_number == buyer.id_number, Buyer.id != buyer.id)).all()
    if not others:
        return
    stored = s.scalar(_LIMIT)
    limit = int(json.loads(stored)) if stored is not None else int(settings.OPTIONS["selection.flats_per_person"].default)
    if len(others) >= limit:
        unit, number = others[0]
        raise RuleBroken(f"{buyer.name}(身份证号 {mask_id(buyer.id_number)})已在“{unit}”选房(票号 {number}),"
                         f"每人限选 {limit} 套;如政策允许多套,请由管理员调整设置“每人(身份证号)在所有委建房单位中最多可选套数”")


def _open(s: Session, *, user: Principal, commission: Commission, buyer: Buyer, flat_id: uuid.UUID,
          ratio: Decimal, discounts: Sequence[tuple[str, bool]], ratio_approval: str, now: datetime,
          reverses: IssuedDocument | None = None, extra: dict | None = None) -> IssuedDocument:
    signed = getattr(commission, "signed", None)  # the hot path counted the signatures with the commission
    complete = commission.average_price is not None and signed == len(stock.APPROVAL_CHAIN)
    missing = [] if complete else stock.missing_for(s, commission.id, commission.average_price,
                                                    commission.price_version)
    if missing:
        raise RuleBroken(f"价格尚未审批完成(缺少:{'、'.join(missing)}),不能开票")
    try:
        check_ratio(ratio, commission.min_payment_ratio, ratio_approval)
    except RuleBroken:  # a relationship flat is sold at its approval's ratio instead (checked once taken)
        if not s.scalar(select(Flat.relationship_note).where(Flat.id == flat_id)):
            raise
    if hasattr(buyer, "held_flat"):  # the hot path read it with the buyer
        held = buyer.held_flat
    else:
        held = s.scalar(select(FlatHold.flat_id).where(FlatHold.buyer_id == buyer.id))
    if held is not None:
        raise RuleBroken(f"{buyer.name} 已选房,如需换房请办理红字冲红换房")
    _one_flat_per_person(s, buyer)
    flat = _take_flat(s, flat_id, commission.id, now)
    price, sold_on = flat.price_per_m2, {}
    if flat.relationship_note:  # 关系房: the approval's average price and ratio, for its beneficiary only
        approval = relationship.for_sale(s, flat_id=flat.id, buyer_name=buyer.name, ratio=ratio, now=now,
                                         label=stock.flat_label(flat.building, flat.entrance, flat.room))
        price = approval.average_price
        sold_on = {"relationship": {"approval_id": str(approval.id), "basis": flat.relationship_note,
                                    "approved_ratio": approval.payment_ratio,
                                    "pay_deadline": approval.pay_deadline.isoformat(),
                                    "list_price_per_m2": flat.price_per_m2}}
    else:
        check_ratio(ratio, commission.min_payment_ratio, ratio_approval)  # pure: the mark may have just gone
        if price is None:
            raise RuleBroken("该房源没有审批价格,不能开票")
    total = money(price * flat.area)
    full = ratio == Decimal("1")
    content = {
        "commission": commission.name, "buyer": buyer.name, "buyer_id_number": buyer.id_number,
        "queue_no": buyer.draw_order, "building": flat.building, "entrance": flat.entrance, "floor": flat.floor,
        "room": flat.room, "unit_type": flat.unit_type, "area": flat.area, "price_per_m2": price,
        "total": total, "payment_ratio": ratio, "amount_now": money(total * ratio),
        "deposit": None if full else commission.deposit_amount, "discounts": [list(d) for d in discounts],
        "ratio_approval": ratio_approval.strip(), "reverses": reverses.number if reverses else None,
        **sold_on, **(extra or {}),  # e.g. a rename's 更名 details on the new ticket
    }
    doc = documents.issue(s, kind="ticket", project_id=commission.project_id, commission_id=commission.id,
                          buyer_id=buyer.id, flat_id=flat.id, amount=total, content=content, user=user, now=now,
                          project_code=getattr(commission, "project_code", None))
    s.connection().execute(_HOLD, {"flat_id": flat.id, "ticket_id": doc.id, "buyer_id": buyer.id})
    return doc


def issue_ticket(db: Database, *, user: Principal, commission_id: uuid.UUID, id_number: str,
                 flat_id: uuid.UUID, payment_ratio: Decimal, discounts: Sequence[tuple[str, bool]] = (),
                 ratio_approval: str = "", now: datetime | None = None) -> IssuedDocument:
    """Open a 选房工作票 for the listed buyer with this ID number and take the flat.

    Raises NotOnList, FlatTaken ("已被选"), RuleBroken (price not approved, ratio too low, buyer already
    holds a flat) or NotPermitted.
    """
    refuse_offline(db, "开选房工作票(售房)")
    user.require("selection.ticket", "开选房工作票")
    now = now or utcnow()

    def work(s: Session) -> IssuedDocument:  # Core rows on the hot path: 7 statements a ticket
        commission = s.connection().execute(_FACTS, {"commission_id": commission_id}).one()
        buyer = buyers.listed_row(s, commission_id, id_number)
        if buyer.drawn and buyer.held_flat is None:  # 按序选房: the drawn order holds once there is a draw
            problem = order_problem(name=buyer.name, draw_order=buyer.draw_order, called_at=buyer.called_at,
                                    skipped_at=buyer.skipped_at, current=None if buyer.called_at else
                                    s.scalar(select(func.max(Buyer.draw_order)).where(
                                        Buyer.commission_id == commission_id, Buyer.called_at.is_not(None))))
            if problem:
                raise OutOfOrder(problem)
        return _open(s, user=user, commission=commission, buyer=buyer, flat_id=flat_id,
                     ratio=Decimal(payment_ratio), discounts=discounts, ratio_approval=ratio_approval, now=now)

    return db.transact(work)
