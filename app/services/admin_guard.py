"""Guard rails of user administration (用户管理): one administrator always remains; every change is audited.

Used by users.py and roles.py inside their write transactions. The check runs after the change is
flushed, so whatever the change was (deactivate, demote, a role losing users.manage) the rule is the
same: if no active user holds users.manage any more, the transaction rolls back with a Chinese message.
"""
from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.permissions import ADMIN_PERMISSION, PERMISSIONS
from app.errors import UserError
from app.services import audit
from models import AppUser, Role, RolePermission

_ROLE_NS = uuid.UUID("6f1c2b1e-7a43-4d8e-9a55-0c2f4b8e1d10")


def lock(s: Session) -> None:
    """Serialize administrative changes (PostgreSQL row locks; SQLite's BEGIN IMMEDIATE already does)."""
    s.execute(select(Role.code).with_for_update()).all()


def active_admins(s: Session) -> int:
    return s.scalar(select(func.count()).select_from(AppUser)
                    .join(RolePermission, RolePermission.role_code == AppUser.role_code)
                    .where(AppUser.active.is_(True), RolePermission.permission == ADMIN_PERMISSION))


def ensure_admin_remains(s: Session, what: str) -> None:
    """Call after the change, before commit: refuse it if it leaves no active administrator."""
    s.flush()
    if active_admins(s) == 0:
        raise UserError(f"不能{what}:这是最后一位在用的管理员(拥有“{PERMISSIONS[ADMIN_PERMISSION]}”权限)。"
                        "请先让另一位在用的用户拥有该权限。")


def role_entity_id(code: str) -> uuid.UUID:
    """Roles are keyed by code; the audit trail keys by UUID, so derive a stable one."""
    return uuid.uuid5(_ROLE_NS, code)


def record(s: Session, *, actor: str, action: str, entity: str, entity_id: uuid.UUID,
           diffs: list[tuple[str, str, str]] | None = None, note: str = "") -> None:
    """One audit row per change; not bound to a customer card (customer_id is empty)."""
    audit.record(s, actor=actor, action=action, entity=entity, entity_id=entity_id, customer_id=None,
                 diffs=diffs, note=note)
