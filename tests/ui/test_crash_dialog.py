"""The crash dialog (程序错误) a desk clerk sees: data safe, where the log is, one click to copy the trace."""
from __future__ import annotations

import sys

from PySide6.QtGui import QGuiApplication

from app import logs
from ui import application
from ui.crash_dialog import CrashDialog


def _boom():
    try:
        raise RuntimeError("打印队列没有响应")
    except RuntimeError as exc:
        return exc, sys.exc_info()


def test_the_dialog_names_the_log_file_and_copies_the_trace(qtbot):
    exc, _ = _boom()
    trace = "Traceback (most recent call last):\n  File \"ui/selection/print.py\", line 12\nRuntimeError: 打印队列没有响应"
    dialog = CrashDialog(exc, trace, logs.log_path())
    qtbot.addWidget(dialog)
    dialog.show()
    assert str(logs.log_path()) in dialog.message.text() and "打印队列没有响应" in dialog.message.text()
    assert dialog.details.toPlainText() == trace
    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert trace in copied and str(logs.log_path()) in copied
    assert dialog.isVisible()  # copying does not close it: the clerk can still read it


def test_an_unexpected_error_is_logged_and_shown(qtbot, monkeypatch, tmp_path):
    shown = []
    monkeypatch.setattr(CrashDialog, "exec", lambda self: shown.append(self) or 0)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    path = logs.setup()
    try:
        application._install_crash_dialog()
        exc, info = _boom()
        sys.excepthook(*info)
    finally:
        import logging

        root = logging.getLogger()
        for handler in [h for h in root.handlers if isinstance(h, logs._KeDeskHandler)]:
            root.removeHandler(handler)
            handler.close()
    assert len(shown) == 1 and "_boom" in shown[0].trace
    text = path.read_text(encoding="utf-8")
    assert "unexpected error" in text and "RuntimeError: 打印队列没有响应" in text


def test_the_unattended_self_test_prints_the_error_instead_of_waiting_on_a_dialog(qtbot, monkeypatch, capsys):
    shown = []
    monkeypatch.setattr(CrashDialog, "exec", lambda self: shown.append(self) or 0)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    application._install_crash_dialog(interactive=False)
    _, info = _boom()
    sys.excepthook(*info)
    assert shown == [] and "RuntimeError: 打印队列没有响应" in capsys.readouterr().err
