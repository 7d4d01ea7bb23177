"""Users and login: argon2 hashes, lock-out, roles' permissions, the first administrator."""
from datetime import timedelta

import pytest

from app.errors import ValidationFailed
from app.services import users
from app.services.users import LoginFailed, PermissionDenied
from models.base import utcnow


def _admin(db):
    users.create_user(db, username="admin", display_name="系统管理员", role="admin", password="Admin!2026")
    return users.authenticate(db, username="admin", password="Admin!2026")


def test_the_first_administrator_is_created_once(db):
    assert users.needs_first_admin(db)
    admin = _admin(db)
    assert not users.needs_first_admin(db)
    assert admin.can("users.manage") and not admin.can("archive.read.company")
    with pytest.raises(PermissionDenied):
        users.create_user(db, username="x", display_name="某人", role="admin", password="12345678")


def test_passwords_are_argon2_hashes_never_plain(db):
    _admin(db)
    from sqlalchemy import select

    from models import AppUser

    with db.read() as s:
        digest = s.scalar(select(AppUser.password_hash))
    assert digest.startswith("$argon2") and "Admin!2026" not in digest


def test_users_get_their_roles_permissions(db):
    admin = _admin(db)
    users.create_user(db, username="wangli", display_name="王丽", role="sales_rep", password="wangli-2026", by=admin)
    rep = users.authenticate(db, username="WangLi", password="wangli-2026")  # user names ignore case
    assert (rep.display_name, rep.role_name) == ("王丽", "营销人员")
    assert rep.can("customer.edit") and not rep.can("customer.export")
    with pytest.raises(PermissionDenied) as exc:
        rep.require("customer.export", "导出客户资料")
    assert "营销人员" in exc.value.message and "导出客户资料" in exc.value.message
    with pytest.raises(PermissionDenied):
        users.create_user(db, username="b", display_name="乙", role="admin", password="12345678", by=rep)


def test_bad_new_user_fields_get_field_messages(db):
    admin = _admin(db)
    with pytest.raises(ValidationFailed) as exc:
        users.create_user(db, username="王 丽", display_name="", role="sales_rep", password="123", by=admin)
    assert set(exc.value.errors) == {"username", "display_name", "password"}
    assert exc.value.errors["password"] == "密码至少8位"


def test_lock_out_after_repeated_failures_and_unlock(db):
    admin = _admin(db)
    users.create_user(db, username="rep", display_name="李强", role="sales_rep", password="right-pass", by=admin)
    now = utcnow()
    for attempt in range(1, 5):
        with pytest.raises(LoginFailed) as exc:
            users.authenticate(db, username="rep", password="wrong", now=now)
        assert f"再错{5 - attempt}次" in exc.value.message
    with pytest.raises(LoginFailed) as exc:
        users.authenticate(db, username="rep", password="wrong", now=now)
    assert "锁定15分钟" in exc.value.message
    with pytest.raises(LoginFailed) as exc:  # even the right password is refused while locked
        users.authenticate(db, username="rep", password="right-pass", now=now + timedelta(minutes=5))
    assert "已锁定" in exc.value.message
    assert users.authenticate(db, username="rep", password="right-pass", now=now + timedelta(minutes=16)).username == "rep"
    for _ in range(5):
        with pytest.raises(LoginFailed):
            users.authenticate(db, username="rep", password="wrong", now=now + timedelta(minutes=20))
    target = next(u for u in users.list_users(db) if u.username == "rep")
    users.unlock(db, user_id=target.id, by=admin)
    assert users.authenticate(db, username="rep", password="right-pass", now=now + timedelta(minutes=21))


def test_unknown_user_and_wrong_password_look_the_same(db):
    _admin(db)
    with pytest.raises(LoginFailed) as unknown:
        users.authenticate(db, username="nobody", password="x")
    assert unknown.value.message == "用户名或密码错误"
