"""Users, roles and their permissions (用户 / 角色 / 权限)."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow, uuid_pk


class Role(Base):
    """角色 — e.g. 前台, 营销人员, 销售分公司经理; permissions are rows, so roles are configurable."""

    __tablename__ = "role"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)


class RolePermission(Base):
    __tablename__ = "role_permission"
    role_code: Mapped[str] = mapped_column(ForeignKey("role.code", ondelete="CASCADE"), primary_key=True)
    permission: Mapped[str] = mapped_column(String(48), primary_key=True)


class AppUser(Base):
    """登录用户 — linked to the staff member whose customers they own, and to a department."""

    __tablename__ = "app_user"
    id: Mapped[uuid.UUID] = uuid_pk()
    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(40))
    role_code: Mapped[str] = mapped_column(ForeignKey("role.code"))
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    department_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("department.id"))
    password_hash: Mapped[str] = mapped_column(String(200))
    failed_attempts: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # set when the administrator resets the password: the user chooses a new one at the next login
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())
