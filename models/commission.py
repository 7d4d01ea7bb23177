"""A commissioning unit's house-selection event (委建房单位选房): price approvals, buyers, draw, queue."""
from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow, uuid_pk


class Commission(Base):
    """委建房单位 — the employer whose staff buy flats as a group, with the approved pricing policy."""

    __tablename__ = "commission"
    id: Mapped[uuid.UUID] = uuid_pk()
    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("project.id"))
    name: Mapped[str] = mapped_column(String(80))
    customer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("customer.id"))  # its customer card
    average_price: Mapped[Decimal | None]  # 均价 (元/m²) set by the pricing meeting
    min_payment_ratio: Mapped[Decimal] = mapped_column(Numeric(4, 3), default=Decimal("0.5"))
    deposit_amount: Mapped[Decimal] = mapped_column(default=Decimal("20000"))  # 封户费
    price_rules: Mapped[str] = mapped_column(Text, default="{}")  # floor / type differentials (JSON)
    price_version: Mapped[int] = mapped_column(default=0)  # bumped by every pricing: signatures start again
    choose_deadline: Mapped[datetime | None]  # 选房截止
    pay_deadline: Mapped[datetime | None]  # 交款截止
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("project_id", "name", name="uq_commission_name"),)


class PriceApproval(Base):
    """价格审批 — one signature of the chain 营销总监 → 财务总监 → 项目总 → 总经理 → 董事长 (insert-only)."""

    __tablename__ = "price_approval"
    id: Mapped[uuid.UUID] = uuid_pk()
    commission_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("commission.id"))
    step: Mapped[int]  # 1..5 in chain order
    approver: Mapped[str] = mapped_column(String(40))
    average_price: Mapped[Decimal]  # the price this signature approved
    price_version: Mapped[int] = mapped_column(default=0)  # which pricing of the unit it signed
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(40))
    approved_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("commission_id", "step", "price_version", name="uq_price_approval_step"),)


class Buyer(Base):
    """购房者 — a name on the commissioning unit's approved list, with the eligibility review (资格审查)."""

    __tablename__ = "buyer"
    id: Mapped[uuid.UUID] = uuid_pk()
    commission_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("commission.id"))
    list_no: Mapped[int]  # 序号 on the published list
    name: Mapped[str] = mapped_column(String(40))
    id_number: Mapped[str] = mapped_column(String(18))
    phone: Mapped[str] = mapped_column(String(40), default="")
    audit_flag: Mapped[str] = mapped_column(Text, default="")  # why audit should look (twice, two lists…)
    eligible: Mapped[bool | None]  # None until reviewed
    reviewed_by: Mapped[str] = mapped_column(String(40), default="")
    reviewed_at: Mapped[datetime | None]
    draw_order: Mapped[int | None]  # 选房顺序号 from the draw
    called_at: Mapped[datetime | None]  # 叫号
    called_desk: Mapped[str] = mapped_column(String(24), default="")
    skipped_at: Mapped[datetime | None]  # 过号: called but absent, until re-called

    __table_args__ = (
        UniqueConstraint("commission_id", "id_number", name="uq_buyer_id_number"),
        UniqueConstraint("commission_id", "list_no", name="uq_buyer_list_no"),
        Index("ix_buyer_id_number", "id_number"),
    )


class Draw(Base):
    """公证处机选 — the seed read out at the event, the hash of the published list, and the algorithm."""

    __tablename__ = "selection_draw"
    id: Mapped[uuid.UUID] = uuid_pk()
    commission_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("commission.id"), unique=True)
    seed: Mapped[str] = mapped_column(String(200))
    list_hash: Mapped[str] = mapped_column(String(64))
    algorithm: Mapped[str] = mapped_column(String(40))
    performed_by: Mapped[str] = mapped_column(String(40))
    notary: Mapped[str] = mapped_column(String(40), default="")
    performed_at: Mapped[datetime] = mapped_column(default=utcnow)


class RelationshipApproval(Base):
    """关系房审批 — the approval a relationship flat is sold on: a paper approval (书面审批, its number and
    approver) or, in urgency, the general manager's phone approval (总经理电话审批) whose paperwork is due
    within selection.relationship_paperwork_days working days. It names the approved average price, payment
    ratio and payment deadline.

    Written once: later only a phone approval's paperwork is completed (paper_no …) and the record ends
    (state withdrawn — a correction is a withdrawal and a new record — or lapsed: paid late, the flat goes
    back to the normal price list, 转新价格政策). Every change is audited.
    """

    __tablename__ = "relationship_approval"
    id: Mapped[uuid.UUID] = uuid_pk()
    flat_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("flat.id"), index=True)
    commission_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("commission.id"), index=True)
    beneficiary: Mapped[str] = mapped_column(String(40))  # 关系户 / 购房人
    kind: Mapped[str] = mapped_column(String(8))  # paper 书面审批 / phone 总经理电话审批
    approval_no: Mapped[str] = mapped_column(String(40), default="")  # 书面审批文号 (paper)
    approver: Mapped[str] = mapped_column(String(40))  # paper: who signed; phone: the GM who phoned
    handled_by: Mapped[str] = mapped_column(String(40), default="")  # phone: 经办人 who took the call
    phoned_at: Mapped[datetime | None]
    paperwork_due: Mapped[date | None]  # phone: last working day for the paper approval
    paper_no: Mapped[str] = mapped_column(String(40), default="")  # phone: the paper approval's number, later
    paper_approver: Mapped[str] = mapped_column(String(40), default="")
    paperwork_at: Mapped[datetime | None]
    paperwork_by: Mapped[str] = mapped_column(String(40), default="")
    average_price: Mapped[Decimal]  # 审批均价 元/m²
    payment_ratio: Mapped[Decimal] = mapped_column(Numeric(4, 3))  # 交款比例 0–1
    pay_deadline: Mapped[date]  # 交款时间
    note: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(10), default="active")  # active / withdrawn / lapsed
    ended_at: Mapped[datetime | None]
    ended_by: Mapped[str] = mapped_column(String(40), default="")
    end_reason: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(40))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
