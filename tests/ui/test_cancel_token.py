"""One cancel token through the task helper: the Cancel button sets it on the GUI thread, the worker reads
the token (never the widget) and a cancelled export leaves no file."""
from __future__ import annotations

import threading

from PySide6.QtWidgets import QMainWindow, QProgressDialog, QPushButton

from app.services import customer_export, customers, staff, users
from app.services.customer_search import CustomerFilter
from ui.context import DeskContext
from ui.customers import actions
from ui.tasks import CancelToken, TaskRunner


def test_a_running_job_stops_when_the_gui_thread_cancels_its_token(qtbot):
    runner = TaskRunner()
    started, results, seen = threading.Event(), [], []

    def work(report, cancelled):
        seen.append(type(cancelled))
        started.set()
        for step in range(2000):
            if cancelled():
                return f"stopped at {step}"
            report(step, 2000)
            threading.Event().wait(0.005)
        return "ran to the end"

    token = runner.run(work, results.append, on_progress=lambda *_: None, cancel=CancelToken())
    assert started.wait(5)
    token.cancel()
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    assert results[0].startswith("stopped at") and seen == [CancelToken]


def test_closing_the_window_cancels_every_running_job(qtbot):
    runner = TaskRunner()
    results = []

    def work(cancelled):
        while not cancelled():
            threading.Event().wait(0.005)
        return "stopped"

    runner.run(work, results.append, cancel=CancelToken())
    runner.cancel_all()
    qtbot.waitUntil(lambda: results == ["stopped"], timeout=5000)


class _ClickCancelOnFirstProgress(QProgressDialog):
    """The user clicks Cancel as soon as the first rows are written."""

    def setValue(self, value):  # noqa: N802 (Qt's name)
        super().setValue(value)
        if value:
            self.findChild(QPushButton).click()


def test_cancelling_the_customer_export_leaves_no_file(qtbot, sqlite_db, tmp_path, monkeypatch):
    db = sqlite_db
    dept = staff.add_department(db, name="市场部")
    for i in range(12):
        customers.create_customer(db, actor="建档", values={"name": f"取消导出测试{i:02d}有限公司", "department_id": dept,
                                                             "confidentiality": "company"})
    users.create_user(db, username="admin", display_name="管理员", role="admin", password="Admin!2026")
    admin = users.authenticate(db, username="admin", password="Admin!2026")
    # the marketing GM (demo "gm") takes the company's customer list out to Excel
    users.create_user(db, username="gm", display_name="孙总", role="marketing_gm", password="pass-2026",
                      department_id=dept, by=admin)
    gm = users.authenticate(db, username="gm", password="pass-2026")
    target = tmp_path / "客户清单.xlsx"
    monkeypatch.setattr(actions.QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    monkeypatch.setattr(actions, "QProgressDialog", _ClickCancelOnFirstProgress)
    monkeypatch.setattr(customer_export, "CHUNK", 3)  # several chunks, a cancel check between each
    tokens = []
    real = customer_export.export_customers

    def spy(*args, **kwargs):
        tokens.append(kwargs["cancelled"])
        return real(*args, **kwargs)

    monkeypatch.setattr(customer_export, "export_customers", spy)
    window = QMainWindow()
    qtbot.addWidget(window)
    runner = TaskRunner()
    runner.synchronous = True
    window.ctx = DeskContext(db=db, actor=gm.display_name, tasks=runner, user=gm)
    window.customers = type("Tab", (), {"current_filter": staticmethod(CustomerFilter)})()
    actions.export_customers(window)
    assert len(tokens) == 1 and isinstance(tokens[0], CancelToken) and tokens[0].cancelled
    assert not target.exists() and list(tmp_path.glob("*.part")) == []

    monkeypatch.setattr(actions, "QProgressDialog", QProgressDialog)  # not cancelled: the whole list
    actions.export_customers(window)
    assert target.exists()
    assert "12" in window.statusBar().currentMessage()  # the company-level list


def test_cancelling_a_check_out_leaves_no_replica_and_a_new_one_can_start(qtbot, sqlite_db, tmp_path, monkeypatch):
    from app.services.offline import checkout
    from app.services.offline.crypto import key_file
    from ui.sync.checkout_dialog import CheckoutDialog

    db = sqlite_db
    users.create_user(db, username="admin", display_name="管理员", role="admin", password="Admin!2026")
    admin = users.authenticate(db, username="admin", password="Admin!2026")
    users.create_user(db, username="gm", display_name="孙总", role="marketing_gm", password="pass-2026", by=admin)
    gm = users.authenticate(db, username="gm", password="pass-2026")
    for i in range(4):
        customers.create_customer(db, actor="中心", values={"name": f"外出取消测试{i}有限公司"})
    monkeypatch.setattr(checkout, "CHUNK", 1)
    runner = TaskRunner()
    runner.synchronous = True
    dialog = CheckoutDialog(DeskContext(db=db, actor=gm.display_name, tasks=runner, user=gm))
    qtbot.addWidget(dialog)
    dialog.show()
    target = tmp_path / "field" / "offline.kedesk"
    dialog.file.set_value(str(target))
    real_advance = dialog.advance

    def advance_then_cancel(done, total):
        real_advance(done, total)
        if done:
            assert dialog.stop.isVisible()
            dialog.stop.click()  # the rep changes their mind after the first customers

    monkeypatch.setattr(dialog, "advance", advance_then_cancel)
    dialog.password.editor.setText("pass-2026")
    dialog.go.click()
    assert "已取消检出" in dialog.error.text() and dialog.result_info is None
    assert not target.exists() and not key_file(target).exists() and not dialog.stop.isVisible()

    monkeypatch.setattr(dialog, "advance", real_advance)
    dialog.password.editor.setText("pass-2026")
    dialog.go.click()  # the same file again: not refused as "already exists"
    assert dialog.result_info is not None and dialog.result_info.customers == 4 and target.exists()
