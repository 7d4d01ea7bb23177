"""Key persons (关键人) of a customer and the relations between them (关键人物关系表)."""
from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow, uuid_pk


class KeyPerson(Base):
    """关键人 — a person in the customer's buying decision; key ones get a 重点客户卡片."""

    __tablename__ = "key_person"
    id: Mapped[uuid.UUID] = uuid_pk()
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    work_unit: Mapped[str] = mapped_column(String(120), default="")  # 工作单位
    position: Mapped[str] = mapped_column(String(40), default="")  # 职位
    address: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    mobile: Mapped[str] = mapped_column(String(20), default="")
    email: Mapped[str] = mapped_column(String(80), default="")
    wechat: Mapped[str] = mapped_column(String(40), default="")
    decision_role: Mapped[str] = mapped_column(String(16), default="influencer")
    personality: Mapped[str] = mapped_column(String(200), default="")  # 性格
    hobbies: Mapped[str] = mapped_column(String(200), default="")  # 爱好
    family: Mapped[str] = mapped_column(String(200), default="")  # 家庭
    education: Mapped[str] = mapped_column(String(40), default="")  # 学历
    birthday: Mapped[date | None]  # for greetings; age derives from it
    id_number: Mapped[str] = mapped_column(String(18), default="")  # 身份证号 (optional)
    is_key: Mapped[bool] = mapped_column(default=False)  # 重点客户卡片
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    # compare-and-set enforced by the database (app.services.stale)
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}


class KeyPersonRelation(Base):
    """关键人物关系 — e.g. 上下级, 同学, 亲属, 竞争 between two key persons."""

    __tablename__ = "key_person_relation"
    id: Mapped[uuid.UUID] = uuid_pk()
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"), index=True)
    from_person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("key_person.id", ondelete="CASCADE"))
    to_person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("key_person.id", ondelete="CASCADE"))
    relation: Mapped[str] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(String(200), default="")

    __table_args__ = (UniqueConstraint("from_person_id", "to_person_id", "relation"),)
