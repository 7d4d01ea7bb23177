"""The monthly backup (每月定期备份) checked on start and every hour, off the GUI thread."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QMessageBox

from app.services import backup_schedule

HOUR_MS = 60 * 60 * 1000


def _tr(text: str) -> str:
    return QCoreApplication.translate("BackupTimer", text)


def start(window) -> QTimer:
    """Quiet when all is well (a status-bar note); a message box on the first failure of the session."""
    state = {"busy": False, "warned": False}

    def done(made):
        state["busy"] = False
        if made is not None:
            window.statusBar().showMessage(
                _tr("Monthly backup written and verified: {path}").format(path=made.file), 15000)

    def failed(exc):
        state["busy"] = False
        message = getattr(exc, "message", str(exc))
        window.statusBar().showMessage(message)
        if not state["warned"]:
            state["warned"] = True
            QMessageBox.warning(window, _tr("Monthly backup"), message)

    def check():
        if not state["busy"]:  # a slow pg_dump must not be started twice
            state["busy"] = True
            window.ctx.tasks.run(lambda: backup_schedule.run_scheduled(window.ctx.db), done, failed)

    timer = QTimer(window)
    timer.setInterval(HOUR_MS)
    timer.timeout.connect(check)
    timer.start()
    QTimer.singleShot(0, check)
    return timer
