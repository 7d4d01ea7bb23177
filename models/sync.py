"""Offline field laptops, the central side (docs/offline.md): registered devices, the operations already
applied (idempotence), the conflicts a person resolves, and the change feed laptops pull from."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Identity, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow, uuid_pk


class SyncDevice(Base):
    """离线设备 — a field laptop checked out to one user."""

    __tablename__ = "sync_device"
    id: Mapped[uuid.UUID] = uuid_pk()
    name: Mapped[str] = mapped_column(String(60))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id"), index=True)
    username: Mapped[str] = mapped_column(String(40))
    checked_out_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_sync_at: Mapped[datetime | None]
    active: Mapped[bool] = mapped_column(default=True)


class SyncApplied(Base):
    """One row per operation the server has taken (applied, partly conflicting, or refused): a replay
    finds it here and changes nothing. `outcome` is JSON: fields applied, fields in conflict."""

    __tablename__ = "sync_applied"
    op_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sync_device.id"), index=True)
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[uuid.UUID]
    kind: Mapped[str] = mapped_column(String(8))  # insert / update / delete
    outcome: Mapped[str] = mapped_column(Text, default="{}")
    applied_at: Mapped[datetime] = mapped_column(default=utcnow)


class SyncConflict(Base):
    """同步冲突 — a laptop's value that did not win, kept with the central value for a person to decide."""

    __tablename__ = "sync_conflict"
    id: Mapped[uuid.UUID] = uuid_pk()
    op_id: Mapped[uuid.UUID] = mapped_column(index=True)
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sync_device.id"))
    username: Mapped[str] = mapped_column(String(40))
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[uuid.UUID] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(10))  # field / deleted / insert / delete / refused
    field: Mapped[str] = mapped_column(String(60), default="")
    expected: Mapped[str] = mapped_column(Text, default="null")  # JSON, portable encoding
    central: Mapped[str] = mapped_column(Text, default="null")
    mine: Mapped[str] = mapped_column(Text, default="null")
    reason: Mapped[str] = mapped_column(String(200), default="")
    edited_at: Mapped[datetime | None]  # when the laptop made the edit
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[str] = mapped_column(String(40), default="")
    resolution: Mapped[str] = mapped_column(String(10), default="")  # central / mine


class SyncChange(Base):
    """The change feed: one row per central change of a syncable row, written by a trigger in the
    same transaction as the change; `seq` grows in commit order (see docs/offline.md)."""

    __tablename__ = "sync_change"
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), Identity(), primary_key=True)
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[uuid.UUID]
