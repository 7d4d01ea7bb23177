"""Audit trail (修改记录): who changed which field of which record, when, from what to what."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow, uuid_pk


class AuditRecord(Base):
    __tablename__ = "audit_record"
    id: Mapped[uuid.UUID] = uuid_pk()
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(16))  # create / update / delete / merge / handover
    entity: Mapped[str] = mapped_column(String(24))  # customer / key_person / archive_entry / ...
    entity_id: Mapped[uuid.UUID] = mapped_column(Uuid())
    customer_id: Mapped[uuid.UUID | None] = mapped_column(Uuid())  # the card whose history shows it
    field: Mapped[str] = mapped_column(String(40), default="")
    old_value: Mapped[str] = mapped_column(Text, default="")
    new_value: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (Index("ix_audit_customer_at", "customer_id", "at"),)
