"""Projects, flats, commissioning units, price approvals and release of flats (房源 / 定价 / 释放)."""
from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from app import settings
from app.db import Database
from app.errors import ValidationFailed
from app.services.selection.errors import FlatTaken, RuleBroken
from app.services.users import Principal
from models import Commission, Flat, PriceApproval, Project
from models.base import utcnow

# 价格审批链 (DOMAIN.md §5): every price is signed in this order, once per commissioning unit
APPROVAL_CHAIN = ("营销总监", "财务总监", "项目总", "总经理", "董事长")


@dataclass(frozen=True)
class FlatRow:
    building: str
    entrance: str
    floor: int
    room: str
    area: Decimal
    unit_type: str = ""
    orientation: str = ""


def create_project(db: Database, *, user: Principal, code: str, name: str, company: str = "") -> uuid.UUID:
    user.require("selection.stock", "建立项目")
    if not code.strip() or not code.strip().isascii():
        raise ValidationFailed({"code": "项目代码用于单据编号,请填写字母或数字,例如 JY"})
    pid = uuid.uuid4()
    db.transact(lambda s: s.execute(insert(Project).values(id=pid, code=code.strip().upper(), name=name.strip(),
                                                           company=company.strip())))
    return pid


def add_flats(db: Database, *, user: Principal, project_id: uuid.UUID, rows: Iterable[FlatRow]) -> int:
    user.require("selection.stock", "导入房源")
    now = utcnow()
    values = [{"id": uuid.uuid4(), "project_id": project_id, "building": r.building, "entrance": r.entrance,
               "floor": r.floor, "room": r.room, "area": r.area, "unit_type": r.unit_type,
               "orientation": r.orientation, "status": "available", "version": 1, "changed_at": now,
               "relationship_note": ""} for r in rows]
    if values:
        db.transact(lambda s: s.execute(insert(Flat), values))
    return len(values)


def create_commission(db: Database, *, user: Principal, project_id: uuid.UUID, name: str,
                      customer_id: uuid.UUID | None = None, min_payment_ratio: Decimal | None = None,
                      deposit_amount: Decimal = Decimal("20000")) -> uuid.UUID:
    """min_payment_ratio defaults to the business rule selection.min_payment_ratio (付款比例下限)."""
    user.require("selection.stock", "登记委建房单位")
    if min_payment_ratio is None:
        min_payment_ratio = Decimal(str(settings.get(db, "selection.min_payment_ratio")))
    cid = uuid.uuid4()
    db.transact(lambda s: s.execute(insert(Commission).values(
        id=cid, project_id=project_id, name=name.strip(), customer_id=customer_id,
        min_payment_ratio=min_payment_ratio, deposit_amount=deposit_amount, price_rules="{}", price_version=0,
        created_at=utcnow())))
    return cid


def release_flats(db: Database, *, user: Principal, commission_id: uuid.UUID, flat_ids: Iterable[uuid.UUID],
                  relationship_note: str = "") -> int:
    """Release available flats to a commissioning unit (mixing buildings and floors is allowed).

    A relationship unit (关系房) names its paper approval in `relationship_note`.
    """
    user.require("selection.stock", "释放房源")
    ids = list(flat_ids)

    def work(s: Session) -> int:
        done = s.execute(update(Flat).where(Flat.id.in_(ids), Flat.status == "available")
                         .values(status="released", commission_id=commission_id, version=Flat.version + 1,
                                 relationship_note=relationship_note, changed_at=utcnow()))
        if done.rowcount != len(ids):
            raise FlatTaken(f"有 {len(ids) - done.rowcount} 套房源已释放给其他单位或已售,未做任何释放")
        return done.rowcount

    return db.transact(work)


def set_prices(db: Database, *, user: Principal, commission_id: uuid.UUID, average_price: Decimal,
               prices: Mapping[uuid.UUID, Decimal]) -> None:
    """The meeting's average price and each released flat's price per m²; approvals start again."""
    user.require("selection.stock", "定价")
    if average_price <= 0:
        raise ValidationFailed({"average_price": "均价必须大于 0"})

    def work(s: Session) -> None:
        s.execute(update(Commission).where(Commission.id == commission_id)
                  .values(average_price=average_price, price_version=Commission.price_version + 1))
        for flat_id, price in prices.items():
            s.execute(update(Flat).where(Flat.id == flat_id, Flat.commission_id == commission_id,
                                         Flat.status == "released")
                      .values(price_per_m2=Decimal(price).quantize(Decimal("1"), ROUND_HALF_UP),
                              version=Flat.version + 1, changed_at=utcnow()))

    db.transact(work)


def record_approval(db: Database, *, user: Principal, commission_id: uuid.UUID, step: int, approver: str,
                    note: str = "", now: datetime | None = None) -> None:
    """One signature of the chain, in order, for the commission's current average price."""
    user.require("selection.price_approve", "登记价格审批")
    if not 1 <= step <= len(APPROVAL_CHAIN):
        raise ValidationFailed({"step": "审批环节不存在"})
    if not approver.strip():
        raise ValidationFailed({"approver": f"请填写{APPROVAL_CHAIN[step - 1]}的姓名"})

    def work(s: Session) -> None:
        average, version = s.execute(select(Commission.average_price, Commission.price_version)
                                     .where(Commission.id == commission_id)).one()
        if average is None:
            raise RuleBroken("尚未确定均价,不能审批")
        done = _signed_steps(s, commission_id, version)
        if step in done:
            raise RuleBroken(f"{APPROVAL_CHAIN[step - 1]}已签批该价格")
        if step > 1 and step - 1 not in done:
            raise RuleBroken(f"请先登记{APPROVAL_CHAIN[step - 2]}的审批(审批顺序:{' → '.join(APPROVAL_CHAIN)})")
        s.execute(insert(PriceApproval).values(id=uuid.uuid4(), commission_id=commission_id, step=step,
                                               approver=approver.strip(), average_price=average, note=note,
                                               price_version=version,
                                               recorded_by=user.display_name, approved_at=now or utcnow()))

    db.transact(work)


def _signed_steps(s: Session, commission_id: uuid.UUID, version: int) -> set[int]:
    return set(s.scalars(select(PriceApproval.step).where(PriceApproval.commission_id == commission_id,
                                                          PriceApproval.price_version == version)))


def missing_approvals(s: Session, commission_id: uuid.UUID) -> list[str]:
    """The chain's roles that have not yet signed the current price (empty when fully approved)."""
    average, version = s.execute(select(Commission.average_price, Commission.price_version)
                                 .where(Commission.id == commission_id)).one()
    if average is None:
        return list(APPROVAL_CHAIN)
    done = _signed_steps(s, commission_id, version)
    return [name for i, name in enumerate(APPROVAL_CHAIN, 1) if i not in done]


def missing_for(s: Session, commission_id: uuid.UUID, average: Decimal | None, version: int) -> list[str]:
    """missing_approvals when the commission's average price and pricing version are already at hand."""
    if average is None:
        return list(APPROVAL_CHAIN)
    done = _signed_steps(s, commission_id, version)
    return [name for i, name in enumerate(APPROVAL_CHAIN, 1) if i not in done]


def flat_label(building: str, entrance: str, room: str) -> str:
    return f"{building}{'-' + entrance + '单元' if entrance else ''}-{room}"


def count_flats(db: Database, *, project_id: uuid.UUID) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(Flat).where(Flat.project_id == project_id))


def price_by_rules(db: Database, *, user: Principal, commission_id: uuid.UUID, rules) -> Decimal:
    """Derive every released flat's price from 均价 with floor and unit-type differentials, calibrated so the
    area-weighted average is the approved 均价; returns that average. Approvals start again."""
    from app.domain import pricing

    with db.read() as s:
        flats = s.execute(select(Flat.id, Flat.floor, Flat.unit_type, Flat.area)
                          .where(Flat.commission_id == commission_id, Flat.status == "released")).all()
    units = [pricing.Unit(str(f.id), f.floor, f.unit_type, f.area) for f in flats]
    priced = pricing.price_list(pricing.calibrate(rules, units), units)
    set_prices(db, user=user, commission_id=commission_id, average_price=pricing.dec(rules.average),
               prices={uuid.UUID(p.key): p.price_per_m2 for p in priced})
    return pricing.list_average(priced)
