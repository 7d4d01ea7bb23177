"""Read log (借阅卡): every reading of an archive, permitted or refused — who, when, what, under which approval."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow, uuid_pk


class ReadLog(Base):
    __tablename__ = "read_log"
    id: Mapped[uuid.UUID] = uuid_pk()
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid())
    username: Mapped[str] = mapped_column(String(40))
    display_name: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(16))  # open / print / export / edit
    customer_id: Mapped[uuid.UUID | None] = mapped_column(Uuid())
    level: Mapped[str] = mapped_column(String(12), default="")
    allowed: Mapped[bool]
    approval_id: Mapped[uuid.UUID | None] = mapped_column(Uuid())
    note: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (Index("ix_read_log_at", "at"), Index("ix_read_log_customer", "customer_id"))
