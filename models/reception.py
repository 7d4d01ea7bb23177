"""Reception (接待): customer tours (参观), hospitality meals (招待用餐) and complaints (投诉)."""
from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow, uuid_pk


class ReceptionCounter(Base):
    """编号计数 — one row per (kind, year): tour permits (permit) and complaints (complaint).

    Taken under a row lock in the transaction that uses the number: a rollback gives it back, nothing is reused."""

    __tablename__ = "reception_counter"
    kind: Mapped[str] = mapped_column(String(12), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last_number: Mapped[int] = mapped_column(default=0)


class Tour(Base):
    """客户参观申请书 — application, GM review, chairman approval, 许可编号."""

    __tablename__ = "tour"
    id: Mapped[uuid.UUID] = uuid_pk()
    kind: Mapped[str] = mapped_column(String(12))  # app.domain.tours.KINDS
    customer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("customer.id", ondelete="SET NULL"), index=True)
    visitor_unit: Mapped[str] = mapped_column(String(120))
    visitors: Mapped[str] = mapped_column(Text, default="")  # one name per line (a badge each)
    headcount: Mapped[int]
    visit_at: Mapped[datetime]
    purpose: Mapped[str] = mapped_column(Text, default="")
    route: Mapped[str] = mapped_column(Text, default="")  # 参观内容、范围与线路
    host: Mapped[str] = mapped_column(String(40), default="")  # 陪同人员
    by_phone: Mapped[bool] = mapped_column(default=False)
    photos_requested: Mapped[bool] = mapped_column(default=False)
    photos_allowed: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(12), default="applied")  # app.domain.tours.STATUS
    applied_by: Mapped[str] = mapped_column(String(40))
    applied_at: Mapped[datetime] = mapped_column(default=utcnow)
    reviewed_by: Mapped[str] = mapped_column(String(40), default="")
    # who reviewed, by login: the chairman who approves must be someone else (two 王伟 are two people);
    # NULL on rows written before 0018, which compare reviewed_by (the display name) instead
    reviewed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"))
    reviewed_at: Mapped[datetime | None]
    approved_by: Mapped[str] = mapped_column(String(40), default="")
    approved_at: Mapped[datetime | None]
    decision_note: Mapped[str] = mapped_column(Text, default="")
    permit_year: Mapped[int | None]
    permit_seq: Mapped[int | None]
    permit_no: Mapped[str | None] = mapped_column(String(20), unique=True)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}  # compare-and-set

    __table_args__ = (UniqueConstraint("permit_year", "permit_seq"), Index("ix_tour_visit_at", "visit_at"))


class Meal(Base):
    """招待用餐 — the request (unit, time, standard, headcount, restaurant), its approval and the actual bill."""

    __tablename__ = "meal"
    id: Mapped[uuid.UUID] = uuid_pk()
    customer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("customer.id", ondelete="SET NULL"), index=True)
    unit: Mapped[str] = mapped_column(String(120))  # 招待客户单位
    customer_kind: Mapped[str] = mapped_column(String(10))  # key / ordinary
    host_level: Mapped[str] = mapped_column(String(10))  # gm / staff
    meal_type: Mapped[str] = mapped_column(String(12))
    meal_at: Mapped[datetime]
    per_person: Mapped[Decimal]  # 标准(元/人)
    guests: Mapped[int]
    hosts: Mapped[int]
    restaurant: Mapped[str] = mapped_column(String(120))
    purpose: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default="requested")  # requested/verbal/approved/rejected
    requested_by: Mapped[str] = mapped_column(String(40))  # display name, as printed
    # who asked, by login: nobody approves his own request (two 王伟 are two people); NULL on rows written
    # before 0018, which compare requested_by (the display name) instead
    requested_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by: Mapped[str] = mapped_column(String(40), default="")
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str] = mapped_column(Text, default="")
    verbal_by: Mapped[str] = mapped_column(String(40), default="")  # 口头批准人
    paperwork_due: Mapped[datetime | None]  # 补办手续期限
    bill_total: Mapped[Decimal | None]
    bill_drinks: Mapped[Decimal | None]
    bill_issues: Mapped[str] = mapped_column(Text, default="")
    # 超标准审批: a bill over the standard is reimbursed only once the excess is approved (migration 0023)
    excess_approved_by: Mapped[str] = mapped_column(String(40), default="", server_default="")
    excess_approved_at: Mapped[datetime | None]
    excess_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    billed_by: Mapped[str] = mapped_column(String(40), default="")
    billed_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}  # compare-and-set

    __table_args__ = (Index("ix_meal_meal_at", "meal_at"),)


class Complaint(Base):
    """客户投诉 — received from any channel, answered within the clock, handled until the customer is satisfied."""

    __tablename__ = "complaint"
    id: Mapped[uuid.UUID] = uuid_pk()
    number: Mapped[str] = mapped_column(String(20), unique=True)
    customer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("customer.id", ondelete="SET NULL"), index=True)
    archive_entry_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("archive_entry.id", ondelete="SET NULL"))
    complainant: Mapped[str] = mapped_column(String(120))  # person or unit as given
    contact: Mapped[str] = mapped_column(String(80), default="")
    channel: Mapped[str] = mapped_column(String(10))
    cause: Mapped[str] = mapped_column(String(12))
    subject: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text, default="")
    received_by: Mapped[str] = mapped_column(String(40))
    received_at: Mapped[datetime]
    respond_by: Mapped[datetime]
    answered_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(14), default="received")
    closed_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}  # compare-and-set

    __table_args__ = (Index("ix_complaint_received_at", "received_at"),)


class ComplaintStep(Base):
    """One step of a complaint (受理, 答复, 调查, 处理, 反馈) with who and when."""

    __tablename__ = "complaint_step"
    id: Mapped[uuid.UUID] = uuid_pk()
    complaint_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("complaint.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(14))
    note: Mapped[str] = mapped_column(Text, default="")
    by: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class Inquiry(Base):
    """询价与函电 — a customer's inquiry (price, delivery, terms…) answered within `inquiries.response_hours` (24)
    working hours (客户分级管理制度: 对所有客户询价及其他函电,必须在24小时内予以答复)."""

    __tablename__ = "inquiry"
    id: Mapped[uuid.UUID] = uuid_pk()
    number: Mapped[str] = mapped_column(String(20), unique=True)  # XJ-2026-0001
    customer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("customer.id", ondelete="SET NULL"), index=True)
    inquirer: Mapped[str] = mapped_column(String(120))  # person or unit as given
    contact: Mapped[str] = mapped_column(String(80), default="")
    channel: Mapped[str] = mapped_column(String(10))
    subject: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text, default="")
    received_by: Mapped[str] = mapped_column(String(40))
    received_at: Mapped[datetime]
    respond_by: Mapped[datetime]
    answered_at: Mapped[datetime | None]
    answered_by: Mapped[str] = mapped_column(String(40), default="")
    answer: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)

    __table_args__ = (Index("ix_inquiry_received_at", "received_at"),)
