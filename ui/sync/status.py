"""The status-bar text of a field laptop (pending changes, last sync; a click lists them), the 同步 action,
and at a central desk the check-out (检出到本机) and conflicts actions."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QLabel, QMessageBox

from app.errors import UserError
from app.services.offline import sync
from ui.admin.rows_model import local_time


def _tr(text: str) -> str:
    return QCoreApplication.translate("SyncStatus", text)


class SyncStatusLabel(QLabel):
    clicked = Signal()

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(_tr("Click to see the changes waiting to be synced"))
        self.refresh()

    def mouseReleaseEvent(self, ev) -> None:
        if ev.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mouseReleaseEvent(ev)

    def refresh(self) -> None:
        if not self.ctx.db.offline:
            self.setText("")
            return
        st = sync.status(self.ctx.db, user=self.ctx.user)
        last = local_time(st.last_sync) if st.last_sync else _tr("never")
        self.setText(_tr("Offline replica · {n} changes waiting · last sync {last}").format(n=st.pending, last=last))
        self.setStyleSheet("color: #b05a00;" if st.pending else "")


def run_sync(window, label: SyncStatusLabel, after=None) -> None:
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
        if after is not None:
            after()
        QMessageBox.information(window, _tr("Sync"), _tr(
            "Sent {sent} changes ({conflicts} with conflicts), took {pulled} central changes.").format(
            sent=result.sent, conflicts=result.conflicts, pulled=result.pulled))

    def failed(exc: Exception) -> None:
        label.refresh()
        if after is not None:
            after()
        text = exc.message if isinstance(exc, UserError) else _tr(
            "The central database cannot be reached; your changes stay on this laptop. ({error})").format(error=exc)
        QMessageBox.warning(window, _tr("Sync"), text)

    ctx.tasks.run(work, done, failed)


def show_pending(window) -> None:
    """The list of changes waiting; its 立即同步 syncs and the list empties."""
    from ui.sync.pending_dialog import PendingDialog

    label = window.sync_status
    dialog = PendingDialog(window.ctx, window, sync_now=lambda: run_sync(window, label, after=dialog.reload))
    window.pending_dialog = dialog
    dialog.exec()
    window.pending_dialog = None


def install(window, menu) -> None:
    """On a laptop: 同步, its status text and the list of what waits. At a central desk: 检出到本机 for
    those who take laptops out, the conflicts list for those who resolve them."""
    from PySide6.QtGui import QAction

    ctx = window.ctx
    if ctx.db.offline:
        label = SyncStatusLabel(ctx)
        window.statusBar().addPermanentWidget(label)
        window.sync_status = label
        action = QAction(_tr("Sync with the central database"), window)
        action.setShortcut("F9")
        action.triggered.connect(lambda: run_sync(window, label))
        menu.addAction(action)
        waiting = QAction(_tr("Changes waiting to be synced…"), window)
        waiting.triggered.connect(lambda: show_pending(window))
        label.clicked.connect(waiting.trigger)
        menu.addAction(waiting)
        window.pending_action = waiting
        return
    if ctx.user is not None and ctx.user.can("offline.checkout"):
        action = QAction(_tr("Check out to this computer (offline field work)…"), window)

        def open_checkout():
            from ui.sync.checkout_dialog import CheckoutDialog

            CheckoutDialog(ctx, window).exec()

        action.triggered.connect(open_checkout)
        menu.addAction(action)
        window.checkout_action = action
    if ctx.user is None or ctx.user.can("offline.resolve"):
        action = QAction(_tr("Sync conflicts…"), window)

        def open_dialog():
            from ui.sync.conflicts_dialog import ConflictsDialog

            ConflictsDialog(ctx, ctx.db, window).exec()

        action.triggered.connect(open_dialog)
        menu.addAction(action)
