"""Opening the app on a field laptop: one login unlocks the encrypted replica and checks the user; the
window then says it works offline and how many changes wait for the next sync."""
from __future__ import annotations

from app.services import customers, users
from app.services.offline import checkout
from ui.context import DeskContext
from ui.main_window import MainWindow
from ui.sync.laptop_login import LaptopLoginDialog
from ui.tasks import TaskRunner

PASSWORD = "Field-pass-2026"


def _replica(db, tmp_path):
    users.create_user(db, username="admin", display_name="管理员", role="admin", password="Admin-pass-2026")
    admin = users.authenticate(db, username="admin", password="Admin-pass-2026")
    users.create_user(db, username="zhang", display_name="张经理", role="marketing_gm", password=PASSWORD, by=admin)
    customers.create_customer(db, actor="中心", values={"name": "杭州恒远纺织有限公司"})
    path = tmp_path / "laptop.kedesk"
    checkout.checkout(db, path=path, password=PASSWORD, device_name="张经理的笔记本",
                      user=users.authenticate(db, username="zhang", password=PASSWORD))
    return path


def test_a_wrong_password_opens_nothing_and_the_right_one_opens_the_offline_window(qtbot, sqlite_db, tmp_path):
    dialog = LaptopLoginDialog(_replica(sqlite_db, tmp_path))
    qtbot.addWidget(dialog)
    dialog.username.editor.setText("zhang")
    dialog.password.editor.setText("wrong-password")
    dialog.log_in()
    assert dialog.db is None and dialog.message.text()  # refused in place, the user name kept
    assert dialog.username.editor.text() == "zhang" and dialog.password.editor.text() == ""
    dialog.password.editor.setText(PASSWORD)
    dialog.log_in()
    assert dialog.result() == LaptopLoginDialog.DialogCode.Accepted
    laptop, who = dialog.db, dialog.principal
    try:
        assert laptop.offline and who.username == "zhang"
        window = MainWindow(DeskContext(db=laptop, actor=who.display_name, tasks=TaskRunner(), user=who))
        qtbot.addWidget(window)
        assert window.sync_status.text() == "Offline replica · 0 changes waiting · last sync never"
        customers.update_customer(laptop, actor="张经理", customer_id=customers_on(laptop)[0], values={"fax": "0571-1"},
                                  user=who)
        window.sync_status.refresh()
        assert window.sync_status.text() == "Offline replica · 1 changes waiting · last sync never"
    finally:
        laptop.dispose()


def customers_on(db) -> list:
    from app.services.customer_search import CustomerFilter, search_ids

    return search_ids(db, CustomerFilter())
