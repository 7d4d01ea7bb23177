"""At a central desk a rep checks customers out to this computer from the window (own password again,
refusals in place, what was typed kept); on the laptop the status-bar text opens the list of changes
still waiting — record, customer, field, old → new — which is empty after 立即同步."""
from __future__ import annotations

import pytest

from app.services import customers, users
from app.services.offline import checkout
from ui.context import DeskContext
from ui.tasks import TaskRunner

PASSWORD = "Field-pass-2026"


@pytest.fixture
def central(sqlite_db, qapp):
    users.create_user(sqlite_db, username="admin", display_name="管理员", role="admin", password="Admin-pass-2026")
    admin = users.authenticate(sqlite_db, username="admin", password="Admin-pass-2026")
    users.create_user(sqlite_db, username="zhang", display_name="张经理", role="marketing_gm", password=PASSWORD,
                      by=admin)
    users.create_user(sqlite_db, username="desk", display_name="前台小李", role="front_desk", password=PASSWORD,
                      by=admin)
    cid = customers.create_customer(sqlite_db, actor="中心", values={"name": "外出检出测试有限公司", "region": "华北"})
    runner = TaskRunner()
    runner.synchronous = True
    return sqlite_db, cid, runner


def _ctx(db, username, runner):
    who = users.authenticate(db, username=username, password=PASSWORD)
    return DeskContext(db=db, actor=who.display_name, tasks=runner, user=who)


def _menu_texts(window):
    return [a.text() for m in window.menuBar().actions() for a in m.menu().actions()]


def test_checkout_from_the_window_refuses_a_wrong_password_in_place_then_copies(central, qtbot, tmp_path):
    from ui.main_window import MainWindow
    from ui.sync.checkout_dialog import CheckoutDialog

    db, cid, runner = central
    window = MainWindow(_ctx(db, "zhang", runner))
    qtbot.addWidget(window)
    assert "Check out to this computer (offline field work)…" in _menu_texts(window)
    desk = MainWindow(_ctx(db, "desk", runner))  # front desk staff do not take laptops out
    qtbot.addWidget(desk)
    assert not any(t.startswith("Check out to this computer") for t in _menu_texts(desk))

    dialog = CheckoutDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.device.value() == "张经理's laptop"
    target = tmp_path / "field" / "offline.kedesk"
    dialog.file.set_value(str(target))
    dialog.go.click()  # nothing typed in the password
    assert dialog.password.error.isVisible() and not target.exists()
    dialog.device.set_value("张经理的笔记本")
    dialog.password.editor.setText("not-my-password")
    dialog.go.click()
    assert "密码不正确" in dialog.password.error.text() and dialog.password.value() == ""
    assert dialog.device.value() == "张经理的笔记本" and dialog.file.value() == str(target)  # kept
    assert not target.exists()
    dialog.password.editor.setText(PASSWORD)
    dialog.grab().save("/tmp/wt9_checkout_before.png")
    dialog.go.click()
    assert dialog.result_info is not None and dialog.result_info.customers == 1
    assert "Checked out 1 customers" in dialog.done_text.text() and str(target) in dialog.done_text.text()
    assert dialog.progress.maximum() == 1 and dialog.progress.value() == 1
    assert not dialog.error.text() and not dialog.password.error.isVisible()
    dialog.grab().save("/tmp/wt9_checkout.png")
    laptop = checkout.open_replica(target, PASSWORD)
    try:
        assert customers.get_card(laptop, customer_id=cid).values["name"] == "外出检出测试有限公司"
    finally:
        laptop.dispose()
    dialog.password.editor.setText(PASSWORD)
    dialog.go.setEnabled(True)
    dialog.go.click()  # the same file again: refused at the file, nothing overwritten
    assert "已存在" in dialog.file.error.text()


def test_the_status_bar_opens_the_changes_waiting_and_a_sync_empties_them(central, qtbot, tmp_path, monkeypatch):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    from ui.main_window import MainWindow
    from ui.sync.pending_dialog import PendingDialog

    db, cid, runner = central
    zhang = users.authenticate(db, username="zhang", password=PASSWORD)
    path = tmp_path / "laptop.kedesk"
    checkout.checkout(db, path=path, password=PASSWORD, device_name="张经理的笔记本", user=zhang)
    laptop = checkout.open_replica(path, PASSWORD)
    try:
        customers.update_customer(laptop, actor="张经理", customer_id=cid, values={"region": "西南"}, user=zhang)
        customers.create_customer(laptop, actor="张经理", values={"name": "路上新认识的客户", "region": "西南"},
                                  user=zhang)
        window = MainWindow(DeskContext(db=laptop, actor=zhang.display_name, tasks=runner, user=zhang))
        qtbot.addWidget(window)
        window.show()
        assert "Changes waiting to be synced…" in _menu_texts(window)
        opened = []
        monkeypatch.setattr(PendingDialog, "exec", lambda self: opened.append(self))
        qtbot.mouseClick(window.sync_status, Qt.MouseButton.LeftButton)
        [dialog] = opened
        qtbot.addWidget(dialog)
        dialog.show()
        rows = [[dialog.model.text(r, c) for c in range(1, 7)] for r in range(dialog.model.rowCount())]
        assert rows[0] == ["客户", "KH000001 外出检出测试有限公司", "修改", "区域", "华北", "西南"]
        assert rows[1][0] == "客户" and rows[1][2] == "新建" and rows[1][5] == "路上新认识的客户"
        assert rows[1][1].startswith("TMP")  # a temporary code until the central database numbers it
        assert dialog.count.text() == "2 changes waiting for the next sync"
        dialog.grab().save("/tmp/wt9_pending.png")
        told = []
        monkeypatch.setattr(QMessageBox, "information", lambda *a: told.append(a[2]))
        dialog.sync_button.click()
        assert told and dialog.model.rowCount() == 0 and not dialog.sync_button.isEnabled()
        assert dialog.count.text().startswith("Nothing waiting")
        assert "0 changes waiting" in window.sync_status.text()
        assert customers.get_card(db, customer_id=cid).values["region"] == "西南"
    finally:
        laptop.dispose()
