"""What the event set-up window (选房活动设置) lists: projects, commissioning units, flats per building, and the
price list of a unit with its weighted average; plus project / unit creation with the clashes checked first."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import case, func, select

from app.db import Database
from app.domain import pricing
from app.errors import ValidationFailed
from app.services.selection import stock
from app.services.users import Principal
from models import Commission, Flat, Project


@dataclass(frozen=True)
class ProjectInfo:
    id: uuid.UUID
    code: str
    name: str
    company: str


@dataclass(frozen=True)
class CommissionInfo:
    id: uuid.UUID
    name: str
    min_payment_ratio: Decimal
    deposit_amount: Decimal
    average_price: Decimal | None
    released: int  # flats released to it (still released, i.e. not yet chosen)


@dataclass(frozen=True)
class FlatInfo:
    id: uuid.UUID
    building: str
    entrance: str
    floor: int
    room: str
    unit_type: str
    area: Decimal
    status: str
    commission: str  # the unit it is released to ("" when none)
    relationship_note: str
    price_per_m2: Decimal | None

    @property
    def label(self) -> str:
        return stock.flat_label(self.building, self.entrance, self.room)


def projects(db: Database) -> list[ProjectInfo]:
    with db.read() as s:
        return [ProjectInfo(p.id, p.code, p.name, p.company)
                for p in s.scalars(select(Project).order_by(Project.created_at, Project.code))]


def commissions(db: Database, *, project_id: uuid.UUID) -> list[CommissionInfo]:
    released = (select(func.count()).where(Flat.commission_id == Commission.id).correlate(Commission)
                .scalar_subquery())
    with db.read() as s:
        rows = s.execute(select(Commission, released).where(Commission.project_id == project_id)
                         .order_by(Commission.created_at, Commission.name)).all()
        return [CommissionInfo(c.id, c.name, c.min_payment_ratio, c.deposit_amount, c.average_price, int(n))
                for c, n in rows]


def flats(db: Database, *, project_id: uuid.UUID, commission_id: uuid.UUID | None = None,
          status: str | None = None) -> list[FlatInfo]:
    q = (select(Flat, Commission.name).outerjoin(Commission, Commission.id == Flat.commission_id)
         .where(Flat.project_id == project_id)
         .order_by(Flat.building, Flat.entrance, Flat.floor, Flat.room))
    if commission_id is not None:
        q = q.where(Flat.commission_id == commission_id)
    if status is not None:
        q = q.where(Flat.status == status)
    with db.read() as s:
        return [FlatInfo(f.id, f.building, f.entrance, f.floor, f.room, f.unit_type, f.area, f.status,
                         name or "", f.relationship_note, f.price_per_m2) for f, name in s.execute(q)]


def building_counts(db: Database, *, project_id: uuid.UUID) -> list[tuple[str, int, int]]:
    """(楼号, flats, of which still available) per building."""
    available = func.sum(case((Flat.status == "available", 1), else_=0))
    with db.read() as s:
        rows = s.execute(select(Flat.building, func.count(), available).where(Flat.project_id == project_id)
                         .group_by(Flat.building).order_by(Flat.building)).all()
    return [(b, int(n), int(a or 0)) for b, n, a in rows]


def list_average(items: list[FlatInfo]) -> Decimal | None:
    """The area-weighted average of the priced flats (shown next to 均价), None before pricing."""
    priced = [f for f in items if f.price_per_m2 is not None]
    if not priced:
        return None
    return pricing.weighted_average([f.price_per_m2 for f in priced], [f.area for f in priced])


def new_project(db: Database, *, user: Principal, code: str, name: str, company: str = "") -> uuid.UUID:
    """建立项目, with a clear message when the code or the name is taken (both are unique)."""
    user.require("selection.stock", "建立项目")
    errors = {}
    if not name.strip():
        errors["name"] = "请填写项目名称"
    with db.read() as s:
        if s.scalar(select(Project.id).where(Project.code == code.strip().upper())):
            errors["code"] = f"项目代码 {code.strip().upper()} 已被使用,请换一个"
        if name.strip() and s.scalar(select(Project.id).where(Project.name == name.strip())):
            errors["name"] = f"已有名为“{name.strip()}”的项目"
    if errors:
        raise ValidationFailed(errors)
    return stock.create_project(db, user=user, code=code, name=name, company=company)


def new_commission(db: Database, *, user: Principal, project_id: uuid.UUID, name: str,
                   customer_id: uuid.UUID | None, min_payment_ratio: Decimal,
                   deposit_amount: Decimal) -> uuid.UUID:
    """登记委建房单位: a name unique in the project, a ratio in (0, 1], a deposit ≥ 0."""
    user.require("selection.stock", "登记委建房单位")
    errors = {}
    if not name.strip():
        errors["name"] = "请填写委建房单位名称"
    if not Decimal("0") < min_payment_ratio <= Decimal("1"):
        errors["ratio"] = "最低首付比例应在 0 与 100% 之间,例如 50"
    if deposit_amount < 0:
        errors["deposit"] = "封户费不能为负数"
    with db.read() as s:
        if name.strip() and s.scalar(select(Commission.id).where(Commission.project_id == project_id,
                                                                 Commission.name == name.strip())):
            errors["name"] = f"本项目已有委建房单位“{name.strip()}”"
    if errors:
        raise ValidationFailed(errors)
    return stock.create_commission(db, user=user, project_id=project_id, name=name, customer_id=customer_id,
                                   min_payment_ratio=min_payment_ratio, deposit_amount=deposit_amount)


def find_commission(db: Database, *, name: str) -> list[uuid.UUID]:
    """Units with this name in any project (the CLI looks a unit up by name)."""
    with db.read() as s:
        return list(s.scalars(select(Commission.id).where(Commission.name == name.strip())))
