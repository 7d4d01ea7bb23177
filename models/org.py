"""Departments and staff: every customer has an owner (负责人) and a department."""
from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, uuid_pk


class Department(Base):
    """部门 — e.g. 销售一部, 大客户部, 市场部."""

    __tablename__ = "department"
    id: Mapped[uuid.UUID] = uuid_pk()
    name: Mapped[str] = mapped_column(String(80), unique=True)


class Staff(Base):
    """员工 — a rep, manager or clerk who can own customers. Login data arrives with roles."""

    __tablename__ = "staff"
    id: Mapped[uuid.UUID] = uuid_pk()
    name: Mapped[str] = mapped_column(String(40), index=True)
    department_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("department.id"))
    position: Mapped[str] = mapped_column(String(40), default="")
    active: Mapped[bool] = mapped_column(default=True)
