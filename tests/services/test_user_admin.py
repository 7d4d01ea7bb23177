"""User and role administration: guard rails, permission refusals and the audit trail of every change."""
import pytest

from app.errors import UserError, ValidationFailed
from app.services import roles, staff, users
from app.services.users import LoginFailed, PermissionDenied


@pytest.fixture
def office(db):
    users.create_user(db, username="admin", display_name="系统管理员", role="admin", password="Admin!2026")
    admin = users.authenticate(db, username="admin", password="Admin!2026")
    dept = staff.add_department(db, name="销售一部")
    rep_staff = staff.add_staff(db, name="王丽", department_id=dept)
    rep_id = users.create_user(db, username="wangli", display_name="王丽", role="sales_rep", password="wangli-2026",
                               staff_id=rep_staff, by=admin)
    rep = users.authenticate(db, username="wangli", password="wangli-2026")
    return db, admin, rep, rep_id, dept


def _id(db, username):
    return next(u.id for u in users.list_users(db) if u.username == username)


def test_a_linked_staff_member_gives_the_login_its_department(office):
    db, _admin, rep, _rid, dept = office
    info = next(u for u in users.list_users(db) if u.username == "wangli")
    assert (info.staff_name, info.department, rep.department_id) == ("王丽", "销售一部", dept)


def test_the_last_administrator_cannot_be_deactivated_demoted_or_lose_users_manage(office):
    db, admin, _rep, _rid, _dept = office
    me = _id(db, "admin")
    with pytest.raises(UserError) as exc:
        users.set_active(db, user_id=me, active=False, by=admin)
    assert "最后一位在用的管理员" in exc.value.message and "停用" in exc.value.message
    with pytest.raises(UserError) as exc:
        users.update_user(db, user_id=me, display_name="系统管理员", role="sales_rep", department_id=None,
                          staff_id=None, by=admin)
    assert "最后一位在用的管理员" in exc.value.message
    admin_perms = next(r.permissions for r in roles.list_roles(db, by=admin) if r.code == "admin")
    with pytest.raises(UserError) as exc:
        roles.set_permissions(db, code="admin", permissions=admin_perms - {"users.manage"}, by=admin)
    assert "用户与角色管理" in exc.value.message
    # nothing changed: the administrator still logs in and still manages users
    again = users.authenticate(db, username="admin", password="Admin!2026")
    assert again.can("users.manage") and again.role == "admin"


def test_with_a_second_administrator_the_first_may_step_down(office):
    db, admin, _rep, _rid, _dept = office
    second = users.create_user(db, username="admin2", display_name="副管理员", role="admin", password="Admin2!2026",
                               by=admin)
    users.set_active(db, user_id=_id(db, "admin"), active=False, by=admin)
    with pytest.raises(LoginFailed):
        users.authenticate(db, username="admin", password="Admin!2026")
    admin2 = users.authenticate(db, username="admin2", password="Admin2!2026")
    with pytest.raises(UserError):  # now admin2 is the last one
        users.set_active(db, user_id=second, active=False, by=admin2)
    users.set_active(db, user_id=_id(db, "admin"), active=True, by=admin2)
    assert users.authenticate(db, username="admin", password="Admin!2026").can("users.manage")


def test_a_role_in_use_cannot_be_deleted_an_unused_one_can(office):
    db, admin, _rep, rep_id, _dept = office
    with pytest.raises(UserError) as exc:
        roles.delete_role(db, code="sales_rep", by=admin)
    assert exc.value.message.startswith("角色“营销人员”仍有 1 个用户在用")
    roles.create_role(db, code="site_manager", name="案场经理", permissions={"customer.list", "customer.open"},
                      by=admin)
    users.update_user(db, user_id=rep_id, display_name="王丽", role="site_manager", department_id=None,
                      staff_id=None, by=admin)
    users.set_active(db, user_id=rep_id, active=False, by=admin)
    with pytest.raises(UserError):  # an inactive user still refers to the role
        roles.delete_role(db, code="site_manager", by=admin)
    roles.create_role(db, code="temp_role", name="临时角色", by=admin)
    roles.delete_role(db, code="temp_role", by=admin)
    assert "temp_role" not in {r.code for r in roles.list_roles(db, by=admin)}


def test_new_roles_are_checked_and_their_permissions_reach_the_users(office):
    db, admin, _rep, rep_id, _dept = office
    with pytest.raises(ValidationFailed) as exc:
        roles.create_role(db, code="案场", name="", by=admin)
    assert set(exc.value.errors) == {"code", "name"}
    with pytest.raises(ValidationFailed) as exc:
        roles.create_role(db, code="other", name="营销人员", by=admin)
    assert exc.value.errors == {"name": "角色名称“营销人员”已存在"}
    roles.create_role(db, code="site_manager", name="案场经理", permissions={"customer.list"}, by=admin)
    roles.set_permissions(db, code="site_manager", permissions={"customer.list", "customer.export"}, by=admin)
    users.update_user(db, user_id=rep_id, display_name="王丽", role="site_manager", department_id=None,
                      staff_id=None, by=admin)
    rep = users.authenticate(db, username="wangli", password="wangli-2026")
    assert rep.role_name == "案场经理" and rep.can("customer.export") and not rep.can("customer.edit")


def test_reset_password_unlocks_and_asks_for_a_new_one(office):
    db, admin, _rep, rep_id, _dept = office
    for _ in range(5):
        with pytest.raises(LoginFailed):
            users.authenticate(db, username="wangli", password="wrong")
    with pytest.raises(ValidationFailed):
        users.reset_password(db, user_id=rep_id, password="short", by=admin)
    users.reset_password(db, user_id=rep_id, password="temp-2026!", by=admin)
    rep = users.authenticate(db, username="wangli", password="temp-2026!")
    assert rep.must_change_password
    users.change_password(db, user=rep, old="temp-2026!", new="mine-2026!")
    assert not users.authenticate(db, username="wangli", password="mine-2026!").must_change_password


def test_only_users_manage_may_administer(office):
    db, _admin, rep, rep_id, _dept = office
    for call in (lambda: users.list_users(db, by=rep),
                 lambda: users.set_active(db, user_id=rep_id, active=False, by=rep),
                 lambda: users.update_user(db, user_id=rep_id, display_name="王丽", role="admin", department_id=None,
                                           staff_id=None, by=rep),
                 lambda: users.reset_password(db, user_id=rep_id, password="whatever-2026", by=rep),
                 lambda: users.unlock(db, user_id=rep_id, by=rep),
                 lambda: roles.list_roles(db, by=rep),
                 lambda: roles.create_role(db, code="x_role", name="某角色", by=rep),
                 lambda: roles.set_permissions(db, code="sales_rep", permissions={"users.manage"}, by=rep),
                 lambda: roles.delete_role(db, code="finance", by=rep),
                 lambda: roles.admin_log(db, by=rep)):
        with pytest.raises(PermissionDenied) as exc:
            call()
        assert "营销人员" in exc.value.message
    assert users.authenticate(db, username="wangli", password="wangli-2026").role == "sales_rep"


def test_every_change_is_in_the_administration_log(office):
    db, admin, _rep, rep_id, _dept = office
    users.update_user(db, user_id=rep_id, display_name="王丽", role="branch_manager", department_id=None,
                      staff_id=None, by=admin)
    users.set_active(db, user_id=rep_id, active=False, by=admin)
    roles.create_role(db, code="site_manager", name="案场经理", by=admin)
    roles.set_permissions(db, code="site_manager", permissions={"customer.list"}, by=admin)
    log = roles.admin_log(db, by=admin)
    seen = {(r.actor, r.action, r.entity, r.target, r.field) for r in log}
    assert ("系统管理员", "新建", "用户", "wangli", "") in seen
    assert ("系统管理员", "修改", "用户", "wangli", "角色") in seen
    assert ("系统管理员", "停用", "用户", "wangli", "") in seen
    assert ("系统管理员", "新建", "角色", "案场经理", "") in seen
    change = next(r for r in log if r.field == "权限")
    assert change.new_value == "增加:查看客户列表" and change.target == "案场经理"
    role_change = next(r for r in log if r.field == "角色")
    assert (role_change.old_value, role_change.new_value) == ("营销人员", "销售分公司经理")
