"""Logging in: the wrong password is refused in place, the user name stays; the first start creates the admin."""
from PySide6.QtCore import Qt

from app.services import users
from ui.login_dialog import FirstAdminDialog, LoginDialog


def test_first_start_creates_the_administrator_then_login_works(qtbot, sqlite_db):
    wizard = FirstAdminDialog(sqlite_db)
    qtbot.addWidget(wizard)
    wizard.display_name.editor.setText("张管理")
    wizard.password.editor.setText("Admin!2026")
    wizard.again.editor.setText("Admin!2027")
    wizard.create()
    assert wizard.again.error.text() == "The two passwords differ" and users.needs_first_admin(sqlite_db)
    wizard.again.editor.setText("Admin!2026")
    wizard.create()
    assert wizard.result() == FirstAdminDialog.DialogCode.Accepted and not users.needs_first_admin(sqlite_db)

    login = LoginDialog(sqlite_db)
    qtbot.addWidget(login)
    login.show()  # Enter reaches the default button only in a shown dialog
    qtbot.keyClicks(login.username.editor, "admin")
    qtbot.keyClicks(login.password.editor, "wrong-password")
    qtbot.keyClick(login.password.editor, Qt.Key.Key_Return)
    assert "用户名或密码错误" in login.message.text()
    assert login.username.editor.text() == "admin" and login.password.editor.text() == ""
    qtbot.keyClicks(login.password.editor, "Admin!2026")
    qtbot.keyClick(login.password.editor, Qt.Key.Key_Return)
    assert login.principal is not None and login.principal.display_name == "张管理"


def test_menus_offer_only_what_the_role_may_do(qtbot, ctx):
    from app.services import demo_users
    from ui.main_window import MainWindow

    demo_users.ensure_demo_users(ctx.db)
    ctx.user = users.authenticate(ctx.db, username="rep", password=demo_users.DEMO_PASSWORD)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    enabled = {a.text(): a.isEnabled() for m in window.menuBar().actions() for a in m.menu().actions()}
    assert enabled["New customer"] and enabled["Print customer card (PDF)…"]
    assert not enabled["Export current list to Excel…"] and not enabled["Business rules…"]
    assert "营销人员" in window.status.text()
