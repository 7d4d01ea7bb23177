"""Advancement applications (进阶申请表), relationship evaluations (客户关系评估表) and the key /
important / problem customer tables (重点客户管理表, 重要客户对策表, 问题客户对策表)."""
from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow, uuid_pk


class AdvancementApplication(Base):
    """进阶申请表 — one application to move a customer one step up; its steps are AdvancementEvent rows."""

    __tablename__ = "advancement_application"
    id: Mapped[uuid.UUID] = uuid_pk()
    number: Mapped[str] = mapped_column(String(20), unique=True)  # JJ2026-0001
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"), index=True)
    step: Mapped[str] = mapped_column(String(12))  # app.domain.advancement.STEPS
    from_value: Mapped[str] = mapped_column(String(12))
    to_value: Mapped[str] = mapped_column(String(12))
    reasons: Mapped[str] = mapped_column(Text, default="")  # 进阶理由
    criteria_met: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of the criteria texts ticked
    state: Mapped[str] = mapped_column(String(12), default="submitted", index=True)
    applicant_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"))
    applicant_key: Mapped[str] = mapped_column(String(40))  # username: who may resubmit, who may not review
    applicant_name: Mapped[str] = mapped_column(String(40))
    reviewer_key: Mapped[str] = mapped_column(String(40), default="")
    reviewer_name: Mapped[str] = mapped_column(String(40), default="")
    approver_name: Mapped[str] = mapped_column(String(40), default="")
    notified_on: Mapped[date | None] = mapped_column()  # 进阶通知日期
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}  # compare-and-set


class AdvancementEvent(Base):
    """One step of an application's history: who did what, when, with which comment."""

    __tablename__ = "advancement_event"
    id: Mapped[uuid.UUID] = uuid_pk()
    application_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("advancement_application.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_key: Mapped[str] = mapped_column(String(40))
    actor_name: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(12))
    from_state: Mapped[str] = mapped_column(String(12), default="")
    to_state: Mapped[str] = mapped_column(String(12))
    comment: Mapped[str] = mapped_column(Text, default="")


class RelationEvaluation(Base):
    """客户关系评估表 — a customer scored on a date; the indicators as they were then, kept as JSON."""

    __tablename__ = "relation_evaluation"
    id: Mapped[uuid.UUID] = uuid_pk()
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"), index=True)
    evaluated_on: Mapped[date] = mapped_column()
    items: Mapped[str] = mapped_column(Text)  # [{name, weight, score, grade, basis, note}]
    total: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    grade: Mapped[str] = mapped_column(String(2))
    result: Mapped[str] = mapped_column(String(12))  # develop / maintain / terminate
    suggestion: Mapped[str] = mapped_column(Text, default="")  # 评估结果及建议
    evaluator: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class KeyCustomerPlan(Base):
    """重点客户管理表, lower part: a key customer of a year with target, reasons, actions and opinions."""

    __tablename__ = "key_customer_plan"
    id: Mapped[uuid.UUID] = uuid_pk()
    year: Mapped[int] = mapped_column()
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"), index=True)
    sales_target: Mapped[Decimal | None]  # 销售额目标
    reason: Mapped[str] = mapped_column(Text, default="")  # 将其设为重点客户的原因
    actions: Mapped[str] = mapped_column(Text, default="")  # 实现目标的行动措施
    gm_suggestion: Mapped[str] = mapped_column(Text, default="")  # 营销中心总经理建议
    chairman_opinion: Mapped[str] = mapped_column(Text, default="")  # 董事长意见
    updated_by: Mapped[str] = mapped_column(String(40), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (UniqueConstraint("year", "customer_id", name="uq_key_customer_plan_year_customer"),)


class StrategyEntry(Base):
    """A row of 重要客户对策表 (kind important) or 问题客户对策表 (kind problem) for a period."""

    __tablename__ = "strategy_entry"
    id: Mapped[uuid.UUID] = uuid_pk()
    kind: Mapped[str] = mapped_column(String(10))  # important / problem
    period: Mapped[str] = mapped_column(String(10))  # 2026, 2026-Q3
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"), index=True)
    responsible: Mapped[str] = mapped_column(String(40), default="")  # 负责人
    sales: Mapped[str] = mapped_column(Text, default="")  # 销售情况 / 销售范围
    location: Mapped[str] = mapped_column(String(80), default="")  # 所在位置 (problem table)
    trend: Mapped[str] = mapped_column(Text, default="")  # 恶化趋势 (problem) / unused
    problem: Mapped[str] = mapped_column(Text, default="")  # 问题所在 / 问题表现
    strategy: Mapped[str] = mapped_column(Text, default="")  # 应对策略
    updated_by: Mapped[str] = mapped_column(String(40), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (UniqueConstraint("kind", "period", "customer_id", name="uq_strategy_entry_row"),)


class StrategyNote(Base):
    """The free text under a strategy table: 扩大重要客户数量的基本方针 and 备注."""

    __tablename__ = "strategy_note"
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    period: Mapped[str] = mapped_column(String(10), primary_key=True)
    policy: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    updated_by: Mapped[str] = mapped_column(String(40), default="")
