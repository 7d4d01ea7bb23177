"""The visit calendar (拜访日历): contact plans, visit records and the promises made (跟进事项)."""
from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow, uuid_pk


class VisitPlan(Base):
    """客户联络计划表 / 客户联系预定表 — who contacts which customer when, how, why and where."""

    __tablename__ = "visit_plan"
    id: Mapped[uuid.UUID] = uuid_pk()
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"), index=True)
    staff_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff.id"))
    department_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("department.id"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    contact_way: Mapped[str] = mapped_column(String(12), default="visit")  # app.domain.visit_rules.CONTACT_WAY
    purpose: Mapped[str] = mapped_column(String(200), default="")
    place: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(10), default="planned")  # planned / done / cancelled
    cancel_reason: Mapped[str] = mapped_column(String(200), default="")
    created_by: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}  # compare-and-set

    __table_args__ = (Index("ix_visit_plan_staff_starts", "staff_id", "starts_at"),
                      Index("ix_visit_plan_department_starts", "department_id", "starts_at"),
                      Index("ix_visit_plan_starts", "starts_at"))


class VisitRecord(Base):
    """客户拜访记录表 / 拜访报告 — what happened, from a plan or ad hoc."""

    __tablename__ = "visit_record"
    id: Mapped[uuid.UUID] = uuid_pk()
    plan_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("visit_plan.id"), unique=True)
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"), index=True)
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    visited_on: Mapped[date] = mapped_column(index=True)
    contact_way: Mapped[str] = mapped_column(String(12), default="visit")
    address: Mapped[str] = mapped_column(String(200), default="")
    key_person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("key_person.id", ondelete="SET NULL"))
    person_met: Mapped[str] = mapped_column(String(80), default="")  # free text when not a key person
    needs: Mapped[str] = mapped_column(Text, default="")  # 客户需求
    competitors: Mapped[str] = mapped_column(Text, default="")  # 竞争对手信息
    credit_changes: Mapped[str] = mapped_column(Text, default="")  # 信用变化
    growth_rate: Mapped[Decimal | None] = mapped_column(Numeric(7, 2))  # 增长率 %
    profit_margin: Mapped[Decimal | None] = mapped_column(Numeric(7, 2))  # 利润率 %
    notes: Mapped[str] = mapped_column(Text, default="")
    archive_entry_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("archive_entry.id", ondelete="SET NULL"))
    recorded_by: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}  # compare-and-set


class FollowUp(Base):
    """跟进事项 — a promise made on a visit, open until someone marks it fulfilled."""

    __tablename__ = "visit_follow_up"
    id: Mapped[uuid.UUID] = uuid_pk()
    record_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("visit_record.id", ondelete="CASCADE"))
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"), index=True)
    owner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"), index=True)
    text: Mapped[str] = mapped_column(String(300))
    due_on: Mapped[date]
    done_at: Mapped[datetime | None]
    done_by: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}  # compare-and-set
