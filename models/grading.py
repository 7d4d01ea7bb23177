"""Grading schemes, runs and their snapshots (客户分级, DOMAIN.md §3); payment-term drops (付款条件降级).

A scheme is a kind plus a snapshot of its parameters. A run grades every customer for a year by one
scheme; it is a draft until committed, then never changed again (its rows are the snapshot: computed
grade, final grade with any override and its reason, score, rank, the inputs, the previous grade).
"""
from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow, uuid_pk


class GradingScheme(Base):
    """分级方案 — kind (sales_share / scoring / credit / key_account / membership) and its parameters."""

    __tablename__ = "grading_scheme"
    id: Mapped[uuid.UUID] = uuid_pk()
    name: Mapped[str] = mapped_column(String(60), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    params: Mapped[str] = mapped_column(Text, default="{}")  # JSON snapshot of the settings it uses
    is_customer_grade: Mapped[bool] = mapped_column(default=False, server_default=false())  # sets customer.grade
    created_by: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class GradingRun(Base):
    """分级计算 — one scheme over one year; draft until committed, immutable after."""

    __tablename__ = "grading_run"
    id: Mapped[uuid.UUID] = uuid_pk()
    scheme_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("grading_scheme.id"), index=True)
    year: Mapped[int] = mapped_column()
    kind: Mapped[str] = mapped_column(String(20))
    params: Mapped[str] = mapped_column(Text, default="{}")  # the parameters this run used
    status: Mapped[str] = mapped_column(String(10), default="draft")  # draft / committed
    previous_run_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("grading_run.id"))
    customer_count: Mapped[int] = mapped_column(default=0)
    created_by: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    committed_by: Mapped[str] = mapped_column(String(40), default="")
    committed_at: Mapped[datetime | None] = mapped_column()


class GradingResult(Base):
    """One customer's row of a run: the snapshot that stays readable."""

    __tablename__ = "grading_result"
    run_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("grading_run.id", ondelete="CASCADE"), primary_key=True)
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"), primary_key=True)
    computed_grade: Mapped[str] = mapped_column(String(4))
    grade: Mapped[str] = mapped_column(String(4))  # the computed grade, or the override
    score: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    rank: Mapped[int] = mapped_column()
    previous_grade: Mapped[str] = mapped_column(String(4), default="")
    change: Mapped[str] = mapped_column(String(6), default="new")  # new / up / down / same
    sales: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    profit: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    orders: Mapped[int] = mapped_column(default=0)
    payments: Mapped[int] = mapped_column(default=0)
    late: Mapped[int] = mapped_column(default=0)
    first_year: Mapped[int | None] = mapped_column()
    items: Mapped[str] = mapped_column(Text, default="")  # JSON: item scores, share position, credit limit
    override_reason: Mapped[str] = mapped_column(Text, default="")
    overridden_by: Mapped[str] = mapped_column(String(40), default="")
    overridden_at: Mapped[datetime | None] = mapped_column()

    __table_args__ = (Index("ix_grading_result_run_rank", "run_id", "rank"),)


class GradingAttribute(Base):
    """Entered items of the 100-point scoring (0–100 each; empty: the setting's default)."""

    __tablename__ = "grading_attribute"
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"), primary_key=True)
    sales_model: Mapped[int | None] = mapped_column()  # 销售模式
    their_share: Mapped[int | None] = mapped_column()  # 我司产品占其销售比例 %
    reputation: Mapped[int | None] = mapped_column()  # 行业信誉
    note: Mapped[str] = mapped_column(Text, default="", server_default="")  # 评分依据、备注
    updated_by: Mapped[str] = mapped_column(String(40), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class PaymentTermDrop(Base):
    """付款条件降级 — a customer had too many late payments in one quarter; noticed once per quarter."""

    __tablename__ = "payment_term_drop"
    id: Mapped[uuid.UUID] = uuid_pk()
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"), index=True)
    quarter: Mapped[str] = mapped_column(String(7))  # 2026Q3
    late_count: Mapped[int] = mapped_column()
    noticed_by: Mapped[str] = mapped_column(String(40), default="")
    noticed_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("customer_id", "quarter"),)
