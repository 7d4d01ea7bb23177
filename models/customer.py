"""Organisation customer (客户关系卡 / 客户基本资料) — the root of the customer archive."""
from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow, uuid_pk


class Customer(Base):
    """客户 — an organisation customer with its card fields (DOMAIN.md §2)."""

    __tablename__ = "customer"
    id: Mapped[uuid.UUID] = uuid_pk()
    code: Mapped[str] = mapped_column(String(32), unique=True)  # 客户编号
    name: Mapped[str] = mapped_column(String(120), index=True)  # 客户名称
    name_pinyin: Mapped[str] = mapped_column(String(400), default="", index=True)  # sorts names as users expect
    legal_representative: Mapped[str] = mapped_column(String(40), default="")  # 法定代表人
    address: Mapped[str] = mapped_column(String(200), default="")
    postcode: Mapped[str] = mapped_column(String(6), default="")
    phone: Mapped[str] = mapped_column(String(40), default="", index=True)
    fax: Mapped[str] = mapped_column(String(40), default="")
    business_scope: Mapped[str] = mapped_column(Text, default="")  # 经营范围
    registered_capital: Mapped[Decimal | None]  # 注册资本 (元)
    uscc: Mapped[str | None] = mapped_column(String(18), unique=True)  # 统一社会信用代码
    industry: Mapped[str] = mapped_column(String(20), default="other")
    annual_revenue: Mapped[Decimal | None]  # 年营业收入 (元), for the size rule
    headcount: Mapped[int | None]  # 从业人员
    size: Mapped[str] = mapped_column(String(10), default="")  # 大型/中型/小型
    region: Mapped[str] = mapped_column(String(40), default="", index=True)  # 区域
    distance_km: Mapped[Decimal | None]  # 距公司距离
    unsuitable_visit_times: Mapped[str] = mapped_column(String(200), default="")  # 不宜拜访时间
    customer_type: Mapped[str] = mapped_column(String(24), default="end_user")
    source: Mapped[str] = mapped_column(String(24), default="sales_visit")
    channel_level: Mapped[int] = mapped_column(default=1)  # 信息渠道等级 1–4
    status: Mapped[str] = mapped_column(String(12), default="potential", index=True)
    grade: Mapped[str] = mapped_column(String(2), default="", index=True)  # current customer grade
    credit_limit: Mapped[Decimal | None]  # 信用额度
    lost_reason: Mapped[str] = mapped_column(String(200), default="")
    owner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"), index=True)
    department_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("department.id"))
    confidentiality: Mapped[str] = mapped_column(String(12), default="department")  # 保密级别
    important: Mapped[bool] = mapped_column(default=False, server_default=false())  # 重要客户, set by hand
    last_verified_on: Mapped[date | None] = mapped_column(index=True)  # 最近核定日期
    note: Mapped[str] = mapped_column(Text, default="")
    merged_into_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("customer.id"))
    # name, pinyin spellings, initials, phone, code and USCC, lower-cased, written with the row
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)  # bumped on every change (offline sync)
    # every UPDATE says WHERE version = the one read: the database refuses a save over another desk's (app.services.stale)
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}

    __table_args__ = (Index("ix_customer_owner_status", "owner_id", "status"),)


