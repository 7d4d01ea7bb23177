"""A field laptop's window shows what waits to be synced and syncs on 同步; the conflicts dialog shows
both values side by side and takes the one chosen."""
from __future__ import annotations

import pytest

from app.services import customers, users
from app.services.offline import checkout, sync
from ui.context import DeskContext
from ui.tasks import TaskRunner

PASSWORD = "Field-pass-2026"


@pytest.fixture
def field_setup(sqlite_db, qapp, tmp_path):
    users.create_user(sqlite_db, username="admin", display_name="管理员", role="admin", password="Admin-pass-2026")
    admin = users.authenticate(sqlite_db, username="admin", password="Admin-pass-2026")
    users.create_user(sqlite_db, username="zhang", display_name="张经理", role="marketing_gm", password=PASSWORD,
                      by=admin)
    user = users.authenticate(sqlite_db, username="zhang", password=PASSWORD)
    cid = customers.create_customer(sqlite_db, actor="中心", values={"name": "界面同步测试有限公司", "region": "华北"})
    path = tmp_path / "ui.kedesk"
    checkout.checkout(sqlite_db, path=path, password=PASSWORD, device_name="张经理的笔记本", user=user)
    laptop = checkout.open_replica(path, PASSWORD)
    runner = TaskRunner()
    runner.synchronous = True
    yield sqlite_db, laptop, user, cid, runner
    laptop.dispose()


def test_the_laptop_window_shows_pending_changes_and_syncs(field_setup, qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from ui.main_window import MainWindow

    central, laptop, user, cid, runner = field_setup
    customers.update_customer(laptop, actor="张", customer_id=cid, values={"region": "西南"}, user=user)
    window = MainWindow(DeskContext(db=laptop, actor=user.display_name, tasks=runner, user=user))
    qtbot.addWidget(window)
    window.show()
    assert "1" in window.sync_status.text()
    qtbot.wait(400)  # the list searches after a short pause
    window.grab().save("/tmp/wt4_sync_window.png")
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: told.append(a[2]))
    [action] = [a for m in window.menuBar().actions() for a in m.menu().actions() if a.shortcut().toString() == "F9"]
    action.trigger()
    assert customers.get_card(central, customer_id=cid).values["region"] == "西南"
    assert sync.status(laptop, user=user).pending == 0
    assert "0" in window.sync_status.text() and told


def test_the_conflicts_dialog_shows_both_values_and_takes_mine(field_setup, qtbot):
    from ui.sync.conflicts_dialog import ConflictsDialog

    central, laptop, user, cid, runner = field_setup
    customers.update_customer(laptop, actor="张", customer_id=cid, values={"region": "离线的区域"}, user=user)
    customers.update_customer(central, actor="中心", customer_id=cid, values={"region": "中心的区域"})
    sync.sync(laptop, central, user=user)
    dialog = ConflictsDialog(DeskContext(db=central, actor=user.display_name, tasks=runner, user=user), central)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.model.rowCount() == 1
    assert "界面同步测试有限公司" in dialog.model.text(0, 1)
    assert (dialog.central_text.toPlainText(), dialog.mine_text.toPlainText()) == ("中心的区域", "离线的区域")
    dialog.grab().save("/tmp/wt4_conflicts.png")
    dialog.take.click()
    assert customers.get_card(central, customer_id=cid).values["region"] == "离线的区域"
    assert dialog.model.rowCount() == 0
