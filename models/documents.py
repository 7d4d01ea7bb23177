"""Numbered documents of the ticket desk: 选房工作票, 收据, 选房凭证 (DESIGN.md "Numbered documents").

Documents are insert-only: a correction is a new red-letter document (红字冲红) whose `reverses_id`
names the one it cancels (unique, so nothing is reversed twice). The number comes from a counter row
locked in the same transaction, so numbers are gapless; each document hashes its content with the
previous document's hash in its series (tamper evidence).
"""
from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow, uuid_pk


class DocumentSeries(Base):
    """编号序列 — one counter row per (document kind, project, year)."""

    __tablename__ = "document_series"
    kind: Mapped[str] = mapped_column(String(12), primary_key=True)  # ticket / receipt / certificate
    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("project.id"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last_number: Mapped[int] = mapped_column(default=0)
    last_hash: Mapped[str] = mapped_column(String(64), default="")


class SelectionDocument(Base):
    """单据 — a ticket, receipt or certificate as issued; `content` is the JSON it prints from."""

    __tablename__ = "selection_document"
    id: Mapped[uuid.UUID] = uuid_pk()
    kind: Mapped[str] = mapped_column(String(12))
    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("project.id"))
    year: Mapped[int]
    number: Mapped[int]
    display_number: Mapped[str] = mapped_column(String(32), unique=True)  # e.g. JY-XP-2026-000123
    commission_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("commission.id"))
    buyer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("buyer.id"))
    flat_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("flat.id"))
    ticket_id: Mapped[uuid.UUID | None] = mapped_column(Uuid())  # receipts and certificates: their ticket
    amount: Mapped[Decimal]  # ticket: total price; receipt: amount received; certificate: total paid
    purpose: Mapped[str] = mapped_column(String(24), default="")  # receipts: deposit / payment / fee …
    reverses_id: Mapped[uuid.UUID | None] = mapped_column(Uuid(), unique=True)  # 红字: the cancelled one
    content: Mapped[str] = mapped_column(Text)  # canonical JSON of what was issued
    content_hash: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64), default="")
    issued_by: Mapped[str] = mapped_column(String(40))
    issued_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid())
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    # 1: the hash covers the JSON only (before revision 0021); 2: every stored column (app.domain.selection_chain)
    hash_version: Mapped[int] = mapped_column(default=1, server_default="1")

    __table_args__ = (
        UniqueConstraint("kind", "project_id", "year", "number", name="uq_selection_document_number"),
        Index("ix_selection_document_ticket", "ticket_id"),
        Index("ix_selection_document_buyer", "buyer_id", "kind"),
    )


class BankBalance(Base):
    """共管账户余额 — the joint account's balance as the bank stated it for the end of a day (insert-only: a
    correction is a later entry for the same day)."""

    __tablename__ = "bank_balance"
    id: Mapped[uuid.UUID] = uuid_pk()
    commission_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("commission.id"), index=True)
    as_of: Mapped[date]
    balance: Mapped[Decimal]
    note: Mapped[str] = mapped_column(Text, default="")
    entered_by: Mapped[str] = mapped_column(String(40))
    entered_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid())
    entered_at: Mapped[datetime] = mapped_column(default=utcnow)


class DocumentReview(Base):
    """复核 — the independent second person's signature on a document (insert-only, one per document)."""

    __tablename__ = "document_review"
    document_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("selection_document.id"), primary_key=True)
    reviewer: Mapped[str] = mapped_column(String(40))
    reviewer_id: Mapped[uuid.UUID | None] = mapped_column(Uuid())
    reviewed_at: Mapped[datetime] = mapped_column(default=utcnow)


class FlatHold(Base):
    """占房 — the one active ticket holding a flat; the primary key forbids a second (避免一房多卖)."""

    __tablename__ = "flat_hold"
    flat_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("flat.id"), primary_key=True)
    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("selection_document.id"), unique=True)
    buyer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("buyer.id"), unique=True)  # one flat a buyer


class DocumentPrint(Base):
    """打印记录 — every print and reprint of a document; a reprint says 重打 n on the paper."""

    __tablename__ = "document_print"
    id: Mapped[uuid.UUID] = uuid_pk()
    document_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("selection_document.id"), index=True)
    copy_no: Mapped[int]  # 0 = first print, n = n-th reprint
    mode: Mapped[str] = mapped_column(String(8), default="plain")  # plain / overlay (套打)
    printed_by: Mapped[str] = mapped_column(String(40))
    printed_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("document_id", "copy_no", name="uq_document_print_copy"),)


