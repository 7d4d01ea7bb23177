"""Archive sections of a customer (客户档案) and the blacklist (客户黑名单)."""
from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow, uuid_pk


class ArchiveEntry(Base):
    """档案记录 (section codes: app.domain.vocab.ARCHIVE_SECTION) — one contract, debt, repayment, complaint, concession or contact, in date order."""

    __tablename__ = "archive_entry"
    id: Mapped[uuid.UUID] = uuid_pk()
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"))
    section: Mapped[str] = mapped_column(String(12))
    kind: Mapped[str] = mapped_column(String(20))
    entry_date: Mapped[date]
    subject: Mapped[str] = mapped_column(String(200))
    amount: Mapped[Decimal | None]
    due_date: Mapped[date | None]
    reference: Mapped[str] = mapped_column(String(60), default="")  # contract no. etc.
    content: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    # compare-and-set enforced by the database (app.services.stale)
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}

    __table_args__ = (Index("ix_archive_customer_section_date", "customer_id", "section", "entry_date"),)


class BlacklistEntry(Base):
    """黑名单记录 — admission with criteria and reason; elimination closes it, never deletes it."""

    __tablename__ = "blacklist_entry"
    id: Mapped[uuid.UUID] = uuid_pk()
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"), index=True)
    criterion: Mapped[str] = mapped_column(String(80))  # 列入标准
    reason: Mapped[str] = mapped_column(Text)
    listed_on: Mapped[date]
    listed_by: Mapped[str] = mapped_column(String(40))
    removed_on: Mapped[date | None]
    removed_by: Mapped[str] = mapped_column(String(40), default="")
    removal_criterion: Mapped[str] = mapped_column(String(80), default="", server_default="")  # 移出标准
    removal_reason: Mapped[str] = mapped_column(Text, default="")
