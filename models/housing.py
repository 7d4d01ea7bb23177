"""Housing stock of a project (楼盘房源): projects and their flats (楼号 / 单元 / 楼层 / 房号)."""
from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow, uuid_pk


class Project(Base):
    """项目 — a development whose flats are sold to commissioning units; documents are numbered per project."""

    __tablename__ = "project"
    id: Mapped[uuid.UUID] = uuid_pk()
    code: Mapped[str] = mapped_column(String(16), unique=True)  # prefix of document numbers, e.g. JY
    name: Mapped[str] = mapped_column(String(80), unique=True)
    company: Mapped[str] = mapped_column(String(80), default="")  # 开发公司, printed on documents
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Flat(Base):
    """房源 — one flat on the sales-control table (销控表).

    `status` is changed only by conditional updates (`… WHERE status = :expected`), so two desks racing
    for one flat cannot both win; `version` lets other desks see a change within a poll.
    """

    __tablename__ = "flat"
    id: Mapped[uuid.UUID] = uuid_pk()
    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("project.id"))
    building: Mapped[str] = mapped_column(String(16))  # 楼号
    entrance: Mapped[str] = mapped_column(String(8), default="")  # 单元
    floor: Mapped[int]  # 楼层
    room: Mapped[str] = mapped_column(String(16))  # 房号
    unit_type: Mapped[str] = mapped_column(String(24), default="")  # 户型
    area: Mapped[Decimal]  # 建筑面积 m²
    orientation: Mapped[str] = mapped_column(String(16), default="")  # 朝向
    price_per_m2: Mapped[Decimal | None]  # approved unit price (元/m²)
    status: Mapped[str] = mapped_column(String(16), default="available")  # app.domain.flat_status
    commission_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("commission.id"))  # released to
    relationship_note: Mapped[str] = mapped_column(Text, default="")  # 关系房: the paper approval
    version: Mapped[int] = mapped_column(default=1)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("project_id", "building", "entrance", "room", name="uq_flat_position"),
        Index("ix_flat_project_status", "project_id", "status"),
        Index("ix_flat_changed", "project_id", "changed_at"),
    )
