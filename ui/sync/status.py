"""The status-bar text of a field laptop (pending changes, last sync) and the 同步 action."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QMessageBox

from app.errors import UserError
from app.services.offline import sync
from ui.admin.rows_model import local_time


def _tr(text: str) -> str:
    return QCoreApplication.translate("SyncStatus", text)


class SyncStatusLabel(QLabel):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.refresh()

    def refresh(self) -> None:
        if not self.ctx.db.offline:
            self.setText("")
            return
        st = sync.status(self.ctx.db, user=self.ctx.user)
        last = local_time(st.last_sync) if st.last_sync else _tr("never")
        self.setText(_tr("Offline replica · {n} changes waiting · last sync {last}").format(n=st.pending, last=last))
        self.setStyleSheet("color: #b05a00;" if st.pending else "")


def run_sync(window, label: SyncStatusLabel) -> None:
    """Push and pull off the GUI thread; the edits stay queued when the central database is away."""
    ctx = window.ctx

    def work():
        central = sync.open_central(ctx.db, user=ctx.user)
        try:
            return sync.sync(ctx.db, central, user=ctx.user)
        finally:
            central.dispose()

    def done(result) -> None:
        label.refresh()
        QMessageBox.information(window, _tr("Sync"), _tr(
            "Sent {sent} changes ({conflicts} with conflicts), took {pulled} central changes.").format(
            sent=result.sent, conflicts=result.conflicts, pulled=result.pulled))

    def failed(exc: Exception) -> None:
        label.refresh()
        text = exc.message if isinstance(exc, UserError) else _tr(
            "The central database cannot be reached; your changes stay on this laptop. ({error})").format(error=exc)
        QMessageBox.warning(window, _tr("Sync"), text)

    ctx.tasks.run(work, done, failed)


def install(window, menu) -> None:
    """The 同步 action and status text on a laptop; the conflicts list for those who resolve them."""
    from PySide6.QtGui import QAction

    ctx = window.ctx
    if ctx.db.offline:
        label = SyncStatusLabel(ctx)
        window.statusBar().addPermanentWidget(label)
        action = QAction(_tr("Sync with the central database"), window)
        action.setShortcut("F9")
        action.triggered.connect(lambda: run_sync(window, label))
        menu.addAction(action)
        window.sync_status = label
    elif ctx.user is None or ctx.user.can("offline.resolve"):
        action = QAction(_tr("Sync conflicts…"), window)

        def open_dialog():
            from ui.sync.conflicts_dialog import ConflictsDialog

            ConflictsDialog(ctx, ctx.db, window).exec()

        action.triggered.connect(open_dialog)
        menu.addAction(action)
