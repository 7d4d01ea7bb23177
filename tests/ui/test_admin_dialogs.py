"""Users and roles administration and the read-log viewer, driven as the administrator and an auditor would."""
from openpyxl import load_workbook

from app.services import access, customers, staff, users
from app.services.users import PermissionDenied
from ui.admin.read_log_dialog import ReadLogDialog
from ui.admin.user_form import UserForm
from ui.admin.users_dialog import UsersDialog
from ui.context import DeskContext
from ui.tasks import TaskRunner


def _admin_ctx(db):
    users.create_user(db, username="admin", display_name="系统管理员", role="admin", password="Admin!2026")
    admin = users.authenticate(db, username="admin", password="Admin!2026")
    return DeskContext(db=db, actor=admin.display_name, tasks=TaskRunner(), user=admin)


def test_admin_creates_a_user_who_can_then_log_in(qtbot, sqlite_db):
    ctx = _admin_ctx(sqlite_db)
    dept = staff.add_department(sqlite_db, name="销售一部")
    staff.add_staff(sqlite_db, name="王丽", department_id=dept)
    dialog = UsersDialog(ctx)
    qtbot.addWidget(dialog)
    form = UserForm(ctx, None, dialog)
    qtbot.addWidget(form)
    form.username.editor.setText("wangli")
    form.display_name.editor.setText("王丽")
    form.role.editor.setCurrentIndex(form.role.editor.findText("营销人员"))
    form.staff.editor.setCurrentIndex(form.staff.editor.findText("王丽  销售一部"))
    assert form.department.editor.currentText() == "销售一部"  # follows the linked staff member
    form.password.editor.setText("short")
    form.save()
    assert form.password.error.text() == "密码至少8位" and form.username.value() == "wangli"  # kept as typed
    form.password.editor.setText("wangli-2026")
    form.save()
    assert form.result() == form.DialogCode.Accepted
    dialog.users.reload()
    texts = [dialog.users.model.text(r, 0) for r in range(dialog.users.model.rowCount())]
    row = texts.index("wangli")
    assert [dialog.users.model.text(row, c) for c in (1, 2, 3, 4)] == ["王丽", "营销人员", "销售一部", "王丽"]
    rep = users.authenticate(sqlite_db, username="wangli", password="wangli-2026")
    assert rep.role_name == "营销人员" and rep.department_id == dept


def test_refusals_show_in_place_and_change_nothing(qtbot, sqlite_db):
    ctx = _admin_ctx(sqlite_db)
    dialog = UsersDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.users.select("admin")
    dialog.users.toggle_active()
    assert "不能停用该用户:这是最后一位在用的管理员" in dialog.users.message.text()
    assert next(u for u in dialog.users.model.items if u.username == "admin").active

    tab = dialog.roles
    tab.reload("admin")
    assert tab.items["users.manage"].checkState(0) == tab.items["users.manage"].checkState(0).Checked
    tab.tick("users.manage", False)
    tab.save()
    assert "用户与角色管理" in tab.message.text() and "最后一位" in tab.message.text()
    assert "users.manage" not in tab.ticked()  # the ticks stay as the user left them
    assert users.authenticate(sqlite_db, username="admin", password="Admin!2026").can("users.manage")

    tab.reload("sales_rep")
    tab.delete()
    assert "营销人员" in tab.message.text()  # no one uses it in this office yet: deleted
    assert "sales_rep" not in {r.code for r in tab.model.items}
    tab.reload("admin")
    tab.delete()
    assert tab.message.text().startswith("角色“管理员”仍有 1 个用户在用")


def test_a_new_role_gets_ticked_permissions(qtbot, sqlite_db):
    ctx = _admin_ctx(sqlite_db)
    dialog = UsersDialog(ctx)
    qtbot.addWidget(dialog)
    tab = dialog.roles
    tab.code.editor.setText("案场")
    tab.create()
    assert "小写字母" in tab.code.error.text() and "中文名称" in tab.name.error.text()
    tab.code.editor.setText("site_manager")
    tab.name.editor.setText("案场经理")
    tab.create()
    assert tab.current().name == "案场经理" and tab.ticked() == set()
    tab.tick("customer.list", True)
    tab.tick("customer.open", True)
    tab.save()
    assert next(r for r in tab.model.items if r.code == "site_manager").permissions == {
        "customer.list", "customer.open"}
    dialog.tabs.setCurrentWidget(dialog.log)
    whats = {(dialog.log.model.text(r, 2), dialog.log.model.text(r, 4)) for r in range(dialog.log.model.rowCount())}
    assert ("新建", "案场经理") in whats and ("修改", "案场经理") in whats


def test_read_log_viewer_filters_and_exports(qtbot, sqlite_db, tmp_path):
    db = sqlite_db
    admin = _admin_ctx(db).user
    dept = staff.add_department(db, name="销售一部")
    owner = staff.add_staff(db, name="王丽", department_id=dept)
    cid = customers.create_customer(db, actor="建档", values={"name": "长江贸易有限公司", "owner_id": owner,
                                                             "department_id": dept, "confidentiality": "department"})
    for name, role in (("auditor", "auditor"), ("front", "front_desk"), ("manager", "branch_manager")):
        users.create_user(db, username=name, display_name=f"{name}-员工", role=role, password="pass-2026",
                          department_id=dept, by=admin)
    manager = users.authenticate(db, username="manager", password="pass-2026")
    access.check_read(db, manager, cid, action="open")
    try:
        access.check_read(db, users.authenticate(db, username="front", password="pass-2026"), cid, action="edit")
    except PermissionDenied:
        pass
    auditor = users.authenticate(db, username="auditor", password="pass-2026")
    dialog = ReadLogDialog(DeskContext(db=db, actor="auditor", tasks=TaskRunner(), user=auditor))
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 2
    dialog.result.setCurrentIndex(2)  # refused only
    dialog.reload()
    assert dialog.model.rowCount() == 1 and dialog.model.text(0, 1) == "front" and dialog.model.text(0, 6) == "拒绝"
    dialog.date_from.editor.setText("昨天")
    dialog.reload()
    assert dialog.date_from.error.text() and dialog.model.rowCount() == 1
    dialog.date_from.editor.clear()
    dialog.result.setCurrentIndex(0)
    dialog.customer.setText("长江")
    dialog.user.setText("manager")
    dialog.reload()
    assert dialog.model.rowCount() == 1 and dialog.model.text(0, 4) == "长江贸易有限公司"
    path = tmp_path / "借阅记录.xlsx"
    dialog.export_to(path)
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert [(r[1], r[4], r[6]) for r in rows[1:]] == [("manager", "长江贸易有限公司", "允许")]
    dialog.user.setText("auditor")
    dialog.customer.clear()
    dialog.reload()
    assert dialog.model.rowCount() == 1 and dialog.model.text(0, 3) == "导出"  # the export is logged too


def test_after_a_reset_the_user_chooses_a_new_password_at_login(qtbot, sqlite_db, monkeypatch):
    from ui.login_dialog import ChangePasswordDialog, LoginDialog

    admin = _admin_ctx(sqlite_db).user
    uid = users.create_user(sqlite_db, username="rep", display_name="李强", role="sales_rep",
                            password="first-2026", by=admin)
    users.reset_password(sqlite_db, user_id=uid, password="temp-2026!", by=admin)
    login = LoginDialog(sqlite_db)
    qtbot.addWidget(login)
    login.username.editor.setText("rep")
    login.password.editor.setText("temp-2026!")
    monkeypatch.setattr(LoginDialog, "ask_new_password", lambda self: False)  # the user cancels
    login.log_in()
    assert login.principal is None and "choose a new one" in login.message.text()
    rep = users.authenticate(sqlite_db, username="rep", password="temp-2026!")
    change = ChangePasswordDialog(sqlite_db, rep, old="temp-2026!")
    qtbot.addWidget(change)
    change.password.editor.setText("mine-2026!")
    change.again.editor.setText("mine-2026")
    change.save()
    assert change.again.error.text()
    change.again.editor.setText("mine-2026!")
    change.save()
    assert not users.authenticate(sqlite_db, username="rep", password="mine-2026!").must_change_password
