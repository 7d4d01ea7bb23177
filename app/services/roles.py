"""Roles and their permissions (角色与权限), edited by the administrator, and the administration log.

Roles are rows; a role's permissions are ticked from app/domain/permissions.PERMISSIONS. A role still
used by any user (active or not: history refers to them) cannot be deleted, and no change may leave
the office without an active user holding users.manage.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, insert, select

from app.db import Database
from app.domain.permissions import PERMISSIONS
from app.errors import NotFound, UserError, ValidationFailed
from app.services import admin_guard
from app.services.audit import ACTION_LABELS, ENTITY_LABELS
from app.services.users import Principal
from models import AppUser, AuditRecord, Role, RolePermission

_CODE = re.compile(r"^[a-z][a-z0-9_]{1,31}$")
FIELD_LABELS = {"display_name": "姓名", "role": "角色", "department": "部门", "staff": "关联员工",
                "permissions": "权限"}


@dataclass(frozen=True)
class RoleInfo:
    code: str
    name: str
    permissions: frozenset[str]
    users: int  # how many users (active or not) have this role


def list_roles(db: Database, *, by: Principal) -> list[RoleInfo]:
    by.require("users.manage", "管理角色")
    with db.read() as s:
        perms: dict[str, set[str]] = {}
        for code, p in s.execute(select(RolePermission.role_code, RolePermission.permission)):
            perms.setdefault(code, set()).add(p)
        counts = dict(s.execute(select(AppUser.role_code, func.count()).group_by(AppUser.role_code)).all())
        return [RoleInfo(code, name, frozenset(perms.get(code, ())), counts.get(code, 0))
                for code, name in s.execute(select(Role.code, Role.name).order_by(Role.name))]


def _names(permissions: Iterable[str]) -> str:
    return "、".join(PERMISSIONS[p] for p in sorted(permissions))


def create_role(db: Database, *, code: str, name: str, permissions: Iterable[str] = (), by: Principal) -> None:
    """A new role: code in lower-case letters (e.g. site_manager) and its Chinese name (e.g. 案场经理)."""
    by.require("users.manage", "管理角色")
    code, name, wanted = code.strip(), name.strip(), set(permissions)
    errors = {}
    if not _CODE.match(code):
        errors["code"] = "角色代码须以小写字母开头,只含小写字母、数字和下划线(2–32位),如 site_manager"
    if not name:
        errors["name"] = "请填写角色的中文名称"
    elif len(name) > 40:
        errors["name"] = "角色名称最多40个字"
    if errors:
        raise ValidationFailed(errors)
    _check_known(wanted)

    def work(s):
        if s.get(Role, code) is not None:
            raise ValidationFailed({"code": f"角色代码 {code} 已存在"})
        if s.scalar(select(Role.code).where(Role.name == name)):
            raise ValidationFailed({"name": f"角色名称“{name}”已存在"})
        s.add(Role(code=code, name=name))
        s.flush()
        if wanted:
            s.execute(insert(RolePermission), [{"role_code": code, "permission": p} for p in wanted])
        admin_guard.record(s, actor=by.display_name, action="create", entity="role",
                           entity_id=admin_guard.role_entity_id(code),
                           note=f"新建角色 {name}({code}):{_names(wanted) or '无权限'}")

    db.transact(work)


def _check_known(permissions: set[str]) -> None:
    unknown = permissions - set(PERMISSIONS)
    if unknown:
        raise ValidationFailed({"permissions": f"未知的权限:{'、'.join(sorted(unknown))}"})


def set_permissions(db: Database, *, code: str, permissions: Iterable[str], by: Principal) -> None:
    """Replace the role's permissions; the audit trail keeps what was added and removed."""
    by.require("users.manage", "修改角色权限")
    wanted = set(permissions)
    _check_known(wanted)

    def work(s):
        admin_guard.lock(s)
        role = s.get(Role, code)
        if role is None:
            raise NotFound("该角色不存在,请刷新列表")
        had = set(s.scalars(select(RolePermission.permission).where(RolePermission.role_code == code)))
        if had == wanted:
            return
        s.execute(delete(RolePermission).where(RolePermission.role_code == code,
                                               RolePermission.permission.in_(had - wanted)))
        if wanted - had:
            s.execute(insert(RolePermission), [{"role_code": code, "permission": p} for p in wanted - had])
        admin_guard.ensure_admin_remains(s, f"取消角色“{role.name}”的“{PERMISSIONS['users.manage']}”权限")
        admin_guard.record(s, actor=by.display_name, action="update", entity="role",
                           entity_id=admin_guard.role_entity_id(code),
                           diffs=[("permissions", _names(had - wanted) and f"取消:{_names(had - wanted)}",
                                   _names(wanted - had) and f"增加:{_names(wanted - had)}")])

    db.transact(work)


def delete_role(db: Database, *, code: str, by: Principal) -> None:
    """Only a role no user has ever been given can go: users (and their history) refer to it."""
    by.require("users.manage", "删除角色")

    def work(s):
        role = s.get(Role, code)
        if role is None:
            raise NotFound("该角色不存在,请刷新列表")
        used = s.scalar(select(func.count()).select_from(AppUser).where(AppUser.role_code == code))
        if used:
            raise UserError(f"角色“{role.name}”仍有 {used} 个用户在用(含已停用的用户),不能删除。"
                            "请先把这些用户改为其他角色。")
        admin_guard.record(s, actor=by.display_name, action="delete", entity="role",
                           entity_id=admin_guard.role_entity_id(code), note=f"删除角色 {role.name}({code})")
        s.delete(role)

    db.transact(work)


@dataclass(frozen=True)
class AdminLogRow:
    at: datetime
    actor: str
    action: str  # Chinese label
    entity: str  # 用户 / 角色
    target: str  # the user name or role name concerned
    field: str
    old_value: str
    new_value: str


def admin_log(db: Database, *, by: Principal, limit: int = 2000) -> list[AdminLogRow]:
    """Newest first: who changed which user or role, when, and what (用户与角色修改记录)."""
    by.require("users.manage", "查看用户管理记录")
    q = (select(AuditRecord).where(AuditRecord.entity.in_(("app_user", "role")))
         .order_by(AuditRecord.at.desc()).limit(limit))
    with db.read() as s:
        names = {admin_guard.role_entity_id(c): n for c, n in s.execute(select(Role.code, Role.name))}
        names.update(s.execute(select(AppUser.id, AppUser.username)).all())
        return [AdminLogRow(r.at, r.actor, ACTION_LABELS.get(r.action, r.action), ENTITY_LABELS[r.entity],
                            names.get(r.entity_id, ""), FIELD_LABELS.get(r.field, r.field), r.old_value,
                            r.new_value)
                for r in s.scalars(q)]
