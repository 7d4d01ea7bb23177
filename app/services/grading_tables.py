"""重点客户管理表, 重要客户对策表, 问题客户对策表: the rankings of a year and the editable rows.

The three top-N lists come from one SQL aggregate over sales_record (this year and last) and the pure
ranking in app/domain/key_customers.py. Only customers the user may read are ranked (the same rule as
every customer list, access.readable), so a rep sees their own customers, the GM the company's.
Every change to a stored row is audited on the customer in the same transaction.
"""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from app import settings
from app.db import Database
from app.domain.key_customers import Rankings, YearFigures, rank
from app.domain.validation import parse_amount
from app.errors import NotFound, ValidationFailed
from app.services import access, audit
from app.services.users import Principal
from models import Customer, KeyCustomerPlan, SalesRecord, Staff, StrategyEntry, StrategyNote

KINDS = {"important": "重要客户对策表", "problem": "问题客户对策表"}
PLAN_FIELDS = ("sales_target", "reason", "actions", "gm_suggestion", "chairman_opinion")
STRATEGY_FIELDS = ("responsible", "sales", "location", "trend", "problem", "strategy")
_PERIOD = re.compile(r"^(19|20)\d\d(-(Q[1-4]|0[1-9]|1[0-2]))?$")


@dataclass(frozen=True)
class CustomerChoice:
    id: uuid.UUID
    code: str
    name: str


@dataclass(frozen=True)
class KeyPlanRow:
    customer_id: uuid.UUID
    code: str
    name: str
    sales: Decimal  # this year's sales, for comparison with the target
    sales_target: Decimal | None
    reason: str
    actions: str
    gm_suggestion: str
    chairman_opinion: str


@dataclass(frozen=True)
class KeyTable:
    year: int
    rankings: Rankings
    plans: list[KeyPlanRow] = field(default_factory=list)
    top_n: int = 10  # key_customers.top_n when the table was made


@dataclass(frozen=True)
class StrategyRow:
    customer_id: uuid.UUID
    code: str
    name: str
    responsible: str
    sales: str
    location: str
    trend: str
    problem: str
    strategy: str


@dataclass(frozen=True)
class StrategyTable:
    kind: str
    period: str
    rows: list[StrategyRow]
    policy: str  # 扩大重要客户数量的基本方针
    note: str  # 备注


def _year_sales(s: Session, user: Principal, year: int) -> list[YearFigures]:
    this = SalesRecord.year == year
    q = (select(Customer.id, Customer.code, Customer.name,
                func.sum(case((this, SalesRecord.amount), else_=0)),
                func.sum(case((this, SalesRecord.profit), else_=0)),
                func.sum(case((SalesRecord.year == year - 1, SalesRecord.amount))))  # NULL: no record
         .join(SalesRecord, SalesRecord.customer_id == Customer.id)
         .where(SalesRecord.year.in_((year, year - 1)), Customer.merged_into_id.is_(None), access.readable(user))
         .group_by(Customer.id, Customer.code, Customer.name))
    cents = Decimal("0.01")

    def money(v):
        return None if v is None else Decimal(str(v)).quantize(cents)

    return [YearFigures(cid, code, name, money(sales), money(profit), money(prev))
            for cid, code, name, sales, profit, prev in s.execute(q)]


def key_table(db: Database, *, user: Principal, year: int) -> KeyTable:
    """The three top-N lists of the year and the key customers' plans stored for it."""
    user.require("grading.tables.view", "查看重点客户管理表")
    n = settings.get(db, "key_customers.top_n")
    with db.read() as s:
        figures = _year_sales(s, user, year)
        sales = {f.customer_id: f.sales for f in figures}
        rows = s.execute(select(KeyCustomerPlan, Customer).join(Customer, Customer.id == KeyCustomerPlan.customer_id)
                         .where(KeyCustomerPlan.year == year, access.readable(user))
                         .order_by(Customer.code)).all()
        plans = [KeyPlanRow(c.id, c.code, c.name, sales.get(c.id, Decimal("0.00")), p.sales_target, p.reason,
                            p.actions, p.gm_suggestion, p.chairman_opinion) for p, c in rows]
    plans.sort(key=lambda r: (-r.sales, r.code))
    return KeyTable(year, rank(figures, n), plans, n)


def _clean(values: dict, fields: tuple[str, ...]) -> dict:
    out = {}
    for key in fields:
        if key not in values:
            continue
        v = values[key]
        if key == "sales_target":
            try:
                v = parse_amount(v)
            except ValueError:
                raise ValidationFailed({key: "销售额目标应为金额,例如 500万 或 5000000"}) from None
            if v is not None and v < 0:
                raise ValidationFailed({key: "销售额目标不能为负数"})
        else:
            v = str(v or "").strip()
            if key in ("responsible", "location") and len(v) > (40 if key == "responsible" else 80):
                raise ValidationFailed({key: "内容过长"})
        out[key] = v
    return out


# the opinions are their authors' own: the table's editors may not write them
OPINION_PERMISSION = {"gm_suggestion": ("grading.tables.gm", "填写营销总经理建议"),
                      "chairman_opinion": ("grading.tables.chairman", "填写董事长意见")}


def may_write(user: Principal, field: str) -> bool:
    """Whether this user may write this column of the key-customer table."""
    return user.can(OPINION_PERMISSION.get(field, ("grading.tables.edit",))[0])


def save_key_plan(db: Database, *, user: Principal, year: int, customer_id: uuid.UUID, values: dict) -> None:
    """Add the customer to the year's key customers, or change its row (only the fields given). The GM's
    suggestion and the chairman's opinion take their own permissions; every other field grading.tables.edit."""
    clean = _clean(values, PLAN_FIELDS)
    for key in clean or ("reason",):
        user.require(*OPINION_PERMISSION.get(key, ("grading.tables.edit", "编辑重点客户管理表")))

    def work(s: Session) -> None:
        access.ensure_may(s, user, customer_id, action="open")
        if s.get(Customer, customer_id) is None:
            raise NotFound("客户不存在")
        row = s.scalar(select(KeyCustomerPlan).where(KeyCustomerPlan.year == year,
                                                     KeyCustomerPlan.customer_id == customer_id))
        if row is None:
            user.require("grading.tables.edit", "列入重点客户管理表")
            row = KeyCustomerPlan(id=uuid.uuid4(), year=year, customer_id=customer_id, reason="", actions="",
                                  gm_suggestion="", chairman_opinion="")
            s.add(row)
            audit.record(s, actor=user.display_name, action="create", entity="key_plan", entity_id=row.id,
                         customer_id=customer_id, note=f"列入{year}年重点客户管理表")
        diffs = audit.changes({k: getattr(row, k) for k in clean}, clean)
        for key, _o, _n in diffs:
            setattr(row, key, clean[key])
        row.updated_by = user.display_name
        if diffs:
            audit.record(s, actor=user.display_name, action="update", entity="key_plan", entity_id=row.id,
                         customer_id=customer_id, diffs=diffs)

    db.transact(work)


def remove_key_plan(db: Database, *, user: Principal, year: int, customer_id: uuid.UUID) -> None:
    user.require("grading.tables.edit", "编辑重点客户管理表")

    def work(s: Session) -> None:
        row = s.scalar(select(KeyCustomerPlan).where(KeyCustomerPlan.year == year,
                                                     KeyCustomerPlan.customer_id == customer_id))
        if row is None:
            return
        access.ensure_may(s, user, customer_id, action="open")
        audit.record(s, actor=user.display_name, action="delete", entity="key_plan", entity_id=row.id,
                     customer_id=customer_id, note=f"移出{year}年重点客户管理表")
        s.delete(row)

    db.transact(work)


def check_period(period: str) -> str:
    period = (period or "").strip().upper()
    if not _PERIOD.match(period):
        raise ValidationFailed({"period": "期间应写成 2026、2026-Q3 或 2026-07"})
    return period


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise ValidationFailed({"kind": "未知的对策表"})
    return kind


def strategy_table(db: Database, *, user: Principal, kind: str, period: str) -> StrategyTable:
    user.require("grading.tables.view", f"查看{KINDS.get(kind, '客户对策表')}")
    kind, period = _kind(kind), check_period(period)
    with db.read() as s:
        rows = s.execute(select(StrategyEntry, Customer).join(Customer, Customer.id == StrategyEntry.customer_id)
                         .where(StrategyEntry.kind == kind, StrategyEntry.period == period, access.readable(user))
                         .order_by(Customer.code)).all()
        note = s.get(StrategyNote, (kind, period))
        return StrategyTable(kind, period, [StrategyRow(c.id, c.code, c.name, e.responsible, e.sales, e.location,
                                                        e.trend, e.problem, e.strategy) for e, c in rows],
                             note.policy if note else "", note.note if note else "")


def save_strategy_row(db: Database, *, user: Principal, kind: str, period: str, customer_id: uuid.UUID,
                      values: dict) -> None:
    """Add the customer to the table of the period, or change its row (only the fields given)."""
    user.require("grading.tables.edit", f"编辑{KINDS.get(kind, '客户对策表')}")
    kind, period = _kind(kind), check_period(period)
    clean = _clean(values, STRATEGY_FIELDS)

    def work(s: Session) -> None:
        access.ensure_may(s, user, customer_id, action="open")
        c = s.get(Customer, customer_id)
        if c is None:
            raise NotFound("客户不存在")
        row = s.scalar(select(StrategyEntry).where(StrategyEntry.kind == kind, StrategyEntry.period == period,
                                                   StrategyEntry.customer_id == customer_id))
        if row is None:
            owner = s.get(Staff, c.owner_id) if c.owner_id else None
            row = StrategyEntry(id=uuid.uuid4(), kind=kind, period=period, customer_id=customer_id,
                                responsible=owner.name if owner else "", sales="", location=c.region or "",
                                trend="", problem="", strategy="")
            s.add(row)
            audit.record(s, actor=user.display_name, action="create", entity="strategy", entity_id=row.id,
                         customer_id=customer_id, note=f"列入{period}{KINDS[kind]}")
        diffs = audit.changes({k: getattr(row, k) for k in clean}, clean)
        for key, _o, _n in diffs:
            setattr(row, key, clean[key])
        row.updated_by = user.display_name
        if diffs:
            audit.record(s, actor=user.display_name, action="update", entity="strategy", entity_id=row.id,
                         customer_id=customer_id, diffs=diffs)

    db.transact(work)


def remove_strategy_row(db: Database, *, user: Principal, kind: str, period: str, customer_id: uuid.UUID) -> None:
    user.require("grading.tables.edit", f"编辑{KINDS.get(kind, '客户对策表')}")
    kind, period = _kind(kind), check_period(period)

    def work(s: Session) -> None:
        row = s.scalar(select(StrategyEntry).where(StrategyEntry.kind == kind, StrategyEntry.period == period,
                                                   StrategyEntry.customer_id == customer_id))
        if row is None:
            return
        access.ensure_may(s, user, customer_id, action="open")
        audit.record(s, actor=user.display_name, action="delete", entity="strategy", entity_id=row.id,
                     customer_id=customer_id, note=f"移出{period}{KINDS[kind]}")
        s.delete(row)

    db.transact(work)


def save_strategy_note(db: Database, *, user: Principal, kind: str, period: str, policy: str, note: str) -> None:
    """The free text under the table (基本方针, 备注); names no customer."""
    user.require("grading.tables.edit", f"编辑{KINDS.get(kind, '客户对策表')}")
    kind, period = _kind(kind), check_period(period)

    def work(s: Session) -> None:
        row = s.get(StrategyNote, (kind, period))
        if row is None:
            row = StrategyNote(kind=kind, period=period)
            s.add(row)
        row.policy, row.note, row.updated_by = policy.strip(), note.strip(), user.display_name

    db.transact(work)


def customer_choices(db: Database, *, user: Principal, text: str = "", limit: int = 50,
                     customer_id: uuid.UUID | None = None) -> list[CustomerChoice]:
    """Customers the user may read whose name or code contains the text (to add a row), or the one given."""
    q = select(Customer.id, Customer.code, Customer.name).where(Customer.merged_into_id.is_(None),
                                                                access.readable(user))
    if customer_id is not None:
        q = q.where(Customer.id == customer_id)
    text = text.strip()
    if text:
        like = f"%{text.replace('%', '').replace('_', '')}%"
        q = q.where(or_(Customer.name.like(like), Customer.code.like(like)))
    with db.read() as s:
        return [CustomerChoice(*r) for r in s.execute(q.order_by(Customer.code).limit(limit))]
