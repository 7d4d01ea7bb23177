"""Users and login (用户与登录): argon2 password hashes, lock-out after repeated failures, roles.

A logged-in user is a `Principal`: a plain value the services check permissions against.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from app import settings
from app.db import Database
from app.errors import NotFound, UserError, ValidationFailed
from app.logs import acting
from app.services import admin_guard
from app.services.audit import changes
from models import AppUser, Department, Role, RolePermission, Staff
from models.base import utcnow

_hasher = PasswordHasher()


class LoginFailed(UserError):
    pass


class PermissionDenied(UserError):
    pass


@dataclass(frozen=True)
class Principal:
    """Who is working at this desk, and what their role allows."""

    user_id: uuid.UUID | None
    username: str
    display_name: str
    role: str
    role_name: str
    permissions: frozenset[str] = field(default_factory=frozenset)
    staff_id: uuid.UUID | None = None
    department_id: uuid.UUID | None = None
    must_change_password: bool = False  # the administrator reset it: choose a new one now

    def can(self, permission: str) -> bool:
        acting(self.username)  # the log names who this thread works for (app/logs.py)
        return permission in self.permissions

    def require(self, permission: str, what: str) -> None:
        if not self.can(permission):
            raise PermissionDenied(f"您的角色“{self.role_name}”没有{what}的权限,请联系管理员。")

    def is_actor(self, user_id: uuid.UUID | None, display_name: str) -> bool:
        """Whether a recorded actor (login id, display name at the time) is this user: by id when both are
        known — two people may share a name (王伟), and a renamed user is still himself — else by name (rows
        written before the id was kept, principals without a login)."""
        if user_id is not None and self.user_id is not None:
            return user_id == self.user_id
        return display_name == self.display_name


@dataclass(frozen=True)
class UserInfo:
    id: uuid.UUID
    username: str
    display_name: str
    role: str
    role_name: str
    active: bool
    locked_until: datetime | None
    department_id: uuid.UUID | None = None
    department: str = ""
    staff_id: uuid.UUID | None = None
    staff_name: str = ""
    last_login_at: datetime | None = None
    must_change_password: bool = False


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def needs_first_admin(db: Database) -> bool:
    """True on a new database: the first start must create the administrator."""
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(AppUser)) == 0


def _check_new(db: Database, username: str, display_name: str, password: str) -> None:
    errors = {}
    if not username.strip():
        errors["username"] = "请填写用户名"
    elif not username.strip().isascii() or " " in username.strip():
        errors["username"] = "用户名只能使用字母、数字和符号,不含空格"
    if not display_name.strip():
        errors["display_name"] = "请填写姓名"
    minimum = settings.get(db, "security.min_password_length")
    if len(password) < minimum:
        errors["password"] = f"密码至少{minimum}位"
    if errors:
        raise ValidationFailed(errors)


def create_user(db: Database, *, username: str, display_name: str, role: str, password: str,
                staff_id: uuid.UUID | None = None, department_id: uuid.UUID | None = None,
                by: Principal | None = None) -> uuid.UUID:
    """A new login. Needs users.manage, except for the very first administrator (by=None, no users yet)."""
    if by is not None:
        by.require("users.manage", "管理用户")
    elif not needs_first_admin(db):
        raise PermissionDenied("已有用户,请由管理员创建新用户")
    _check_new(db, username, display_name, password)
    digest = hash_password(password)  # slow on purpose; outside the transaction

    def work(s):
        if s.get(Role, role) is None:
            raise ValidationFailed({"role": f"角色“{role}”不存在"})
        if s.scalar(select(AppUser.id).where(func.lower(AppUser.username) == username.strip().lower())):
            raise ValidationFailed({"username": f"用户名 {username} 已被使用"})
        dept = department_id
        if staff_id is not None:
            person = s.get(Staff, staff_id)
            if person is None:
                raise ValidationFailed({"staff_id": "所选员工不存在,请重新选择"})
            dept = dept or person.department_id  # a rep's login belongs to the rep's department
        user = AppUser(id=uuid.uuid4(), username=username.strip(), display_name=display_name.strip(),
                       role_code=role, staff_id=staff_id, department_id=dept, password_hash=digest)
        s.add(user)
        admin_guard.record(s, actor=by.display_name if by else user.display_name, action="create",
                           entity="app_user", entity_id=user.id,
                           note=f"新建用户 {user.username}({user.display_name}),角色 {s.get(Role, role).name}")
        return user.id

    return db.transact(work)


def _principal(s, user: AppUser) -> Principal:
    role = s.get(Role, user.role_code)
    perms = frozenset(s.scalars(select(RolePermission.permission).where(RolePermission.role_code == user.role_code)))
    return Principal(user.id, user.username, user.display_name, user.role_code, role.name if role else "",
                     perms, user.staff_id, user.department_id, user.must_change_password)


def authenticate(db: Database, *, username: str, password: str, now: datetime | None = None) -> Principal:
    """Check the password; count failures and lock the account after too many (Chinese messages)."""
    now = now or utcnow()
    rules = settings.get_all(db)
    limit, minutes = rules["security.max_failures"], rules["security.lock_minutes"]

    def work(s) -> Principal | str:
        user = s.scalar(select(AppUser).where(func.lower(AppUser.username) == username.strip().lower()))
        if user is None or not user.active:
            return "用户名或密码错误"
        if user.locked_until and user.locked_until > now:
            local = user.locked_until.astimezone().strftime("%H:%M")
            return f"连续输错密码次数过多,账户已锁定至 {local},请稍后再试或联系管理员解锁"
        try:
            _hasher.verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            user.failed_attempts += 1
            if user.failed_attempts >= limit:
                user.locked_until, user.failed_attempts = now + timedelta(minutes=minutes), 0
                return f"连续输错密码{limit}次,账户已锁定{minutes}分钟"
            return f"用户名或密码错误(再错{limit - user.failed_attempts}次将锁定账户)"
        user.failed_attempts, user.locked_until, user.last_login_at = 0, None, now
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        return _principal(s, user)

    outcome = db.transact(work)  # failures are counted even though the login is refused
    if isinstance(outcome, str):
        raise LoginFailed(outcome)
    return outcome


def change_password(db: Database, *, user: Principal, old: str, new: str) -> None:
    authenticate(db, username=user.username, password=old)
    minimum = settings.get(db, "security.min_password_length")
    if len(new) < minimum:
        raise ValidationFailed({"password": f"密码至少{minimum}位"})
    digest = hash_password(new)

    def work(s):
        u = s.get(AppUser, user.user_id)
        u.password_hash, u.must_change_password = digest, False

    db.transact(work)


def _target(s, user_id: uuid.UUID) -> AppUser:
    u = s.get(AppUser, user_id)
    if u is None:
        raise NotFound("该用户不存在,请刷新列表")
    return u


def unlock(db: Database, *, user_id: uuid.UUID, by: Principal) -> None:
    by.require("users.manage", "解锁用户")

    def work(s):
        u = _target(s, user_id)
        u.locked_until, u.failed_attempts = None, 0
        admin_guard.record(s, actor=by.display_name, action="unlock", entity="app_user", entity_id=u.id,
                           note=f"解锁用户 {u.username}")

    db.transact(work)


def update_user(db: Database, *, user_id: uuid.UUID, display_name: str, role: str,
                department_id: uuid.UUID | None, staff_id: uuid.UUID | None, by: Principal) -> None:
    """Change name, role, department or linked staff member (修改用户); the last administrator stays one."""
    by.require("users.manage", "修改用户")
    if not display_name.strip():
        raise ValidationFailed({"display_name": "请填写姓名"})

    def names(s, u: AppUser) -> dict:
        dept = s.get(Department, u.department_id) if u.department_id else None
        person = s.get(Staff, u.staff_id) if u.staff_id else None
        return {"display_name": u.display_name, "role": s.get(Role, u.role_code).name,
                "department": dept.name if dept else "", "staff": person.name if person else ""}

    def work(s):
        admin_guard.lock(s)
        if s.get(Role, role) is None:
            raise ValidationFailed({"role": f"角色“{role}”不存在"})
        u = _target(s, user_id)
        before = names(s, u)
        u.display_name, u.role_code, u.department_id, u.staff_id = display_name.strip(), role, department_id, staff_id
        admin_guard.ensure_admin_remains(s, "更改该用户的角色")
        admin_guard.record(s, actor=by.display_name, action="update", entity="app_user", entity_id=u.id,
                           diffs=changes(before, names(s, u)) or None, note=f"修改用户 {u.username}")

    db.transact(work)


def set_active(db: Database, *, user_id: uuid.UUID, active: bool, by: Principal) -> None:
    """Deactivate (停用) or reactivate a login; users are never deleted, history refers to them."""
    by.require("users.manage", "停用或启用用户")

    def work(s):
        admin_guard.lock(s)
        u = _target(s, user_id)
        u.active = active
        if not active:
            admin_guard.ensure_admin_remains(s, "停用该用户")
        admin_guard.record(s, actor=by.display_name, action="reactivate" if active else "deactivate",
                           entity="app_user", entity_id=u.id, note=f"{'启用' if active else '停用'}用户 {u.username}")

    db.transact(work)


def reset_password(db: Database, *, user_id: uuid.UUID, password: str, by: Principal,
                   must_change: bool = True) -> None:
    """The administrator sets a new password (重置密码); the user changes it at the next login."""
    by.require("users.manage", "重置密码")
    minimum = settings.get(db, "security.min_password_length")
    if len(password) < minimum:
        raise ValidationFailed({"password": f"密码至少{minimum}位"})
    digest = hash_password(password)

    def work(s):
        u = _target(s, user_id)
        u.password_hash, u.must_change_password = digest, must_change
        u.locked_until, u.failed_attempts = None, 0
        admin_guard.record(s, actor=by.display_name, action="password", entity="app_user", entity_id=u.id,
                           note=f"重置用户 {u.username} 的密码")

    db.transact(work)


def list_users(db: Database, *, by: Principal | None = None) -> list[UserInfo]:
    if by is not None:
        by.require("users.manage", "查看用户")
    q = (select(AppUser, Role.name, Department.name, Staff.name).join(Role, Role.code == AppUser.role_code)
         .outerjoin(Department, Department.id == AppUser.department_id)
         .outerjoin(Staff, Staff.id == AppUser.staff_id).order_by(AppUser.username))
    with db.read() as s:
        return [UserInfo(u.id, u.username, u.display_name, u.role_code, role, u.active, u.locked_until,
                         u.department_id, dept or "", u.staff_id, person or "", u.last_login_at,
                         u.must_change_password)
                for u, role, dept, person in s.execute(q)]


def roles(db: Database) -> list[tuple[str, str]]:
    with db.read() as s:
        return [(c, n) for c, n in s.execute(select(Role.code, Role.name).order_by(Role.name))]


def system_principal(name: str = "系统") -> Principal:
    """For the command line and self-test on a machine the administrator controls: every permission."""
    from app.domain.permissions import PERMISSIONS

    return Principal(None, "system", name, "admin", "系统", frozenset(PERMISSIONS))
