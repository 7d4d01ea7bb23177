"""Archive borrowing request (查阅档案审批表): who asks to read which archive, why, for how long."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow, uuid_pk


class AccessRequest(Base):
    __tablename__ = "access_request"
    id: Mapped[uuid.UUID] = uuid_pk()
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"))
    requester_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id"))
    reason: Mapped[str] = mapped_column(Text)
    days: Mapped[int]  # asked for; on approval, the days granted (at most those asked)
    mode: Mapped[str] = mapped_column(String(8), default="read", server_default="read")  # read (查阅) / edit (修改)
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending / approved / rejected
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str] = mapped_column(Text, default="")
    expires_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_access_request_requester", "requester_id", "customer_id", "status"),)
