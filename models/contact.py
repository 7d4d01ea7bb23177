"""Contact staff of a customer (联系人员): our people assigned to keep in touch besides the owner.

The regulation: important new customers get two or more of our staff in contact (两个以上人员联系).
"""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow, uuid_pk


class CustomerContact(Base):
    """客户联系人员 — one staff member assigned to a customer, with a role (主联系人 / 协助联系人)."""

    __tablename__ = "customer_contact"
    id: Mapped[uuid.UUID] = uuid_pk()
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"), index=True)
    staff_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff.id"), index=True)
    role: Mapped[str] = mapped_column(String(12), default="assist")  # vocab.CONTACT_ROLE
    assigned_by: Mapped[str] = mapped_column(String(40), default="")  # who assigned (操作人)
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("customer_id", "staff_id"),)
