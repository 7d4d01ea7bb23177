"""检出到本机(离线外出): copy the customers this user may read into an encrypted replica on this computer,
keyed by the user's own password typed again. The copy runs off the GUI thread with a progress bar; the
result and any refusal are shown in place, and what was typed stays."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.services.offline import checkout
from ui.tasks import CancelToken
from ui.widgets import FieldBox, error_label, password_box


def _tr(text: str) -> str:
    return QCoreApplication.translate("CheckoutDialog", text)


def default_path() -> Path:
    from app.config import data_dir

    return data_dir() / "offline.kedesk"


class CheckoutDialog(QDialog):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.result_info = None
        self.setWindowTitle(_tr("Check out to this computer (offline field work)"))
        self.setMinimumWidth(560)
        intro = QLabel(_tr("Copies the customers you may read into an encrypted file on this computer, so you "
                           "can open and edit them away from the office. Your password locks the file; log in "
                           "with it on this computer (KeDesk --laptop) and sync when you are back."))
        intro.setWordWrap(True)
        user = ctx.user
        self.device = FieldBox(QLineEdit(_tr("{name}'s laptop").format(name=user.display_name if user else "")))
        self.file = FieldBox(QLineEdit(str(default_path())))
        browse = QPushButton(_tr("Browse…"))
        browse.clicked.connect(self.browse)
        file_row = QWidget()
        row = QHBoxLayout(file_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.file, 1)
        row.addWidget(browse, 0)
        self.password = password_box()
        self.password.editor.setPlaceholderText(_tr("your own login password"))
        form = QFormLayout()
        form.addRow(_tr("Device name"), self.device)
        form.addRow(_tr("File"), file_row)
        form.addRow(_tr("Password (again)"), self.password)
        self.progress = QProgressBar()
        self.progress.hide()
        self.done_text = QLabel()
        self.done_text.setWordWrap(True)
        self.done_text.setStyleSheet("color: #1b5e20;")
        self.error = error_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.go = self.buttons.addButton(_tr("Check out"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.go.setDefault(True)
        self.go.clicked.disconnect()
        self.go.clicked.connect(self.start)
        self.stop = self.buttons.addButton(_tr("Cancel check-out"), QDialogButtonBox.ButtonRole.ActionRole)
        self.stop.hide()
        self.token: CancelToken | None = None
        self.stop.clicked.connect(self.cancel_checkout)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.done_text)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.password.editor.setFocus()

    def browse(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(self, _tr("Offline replica file"), self.file.value(),
                                                _tr("KeDesk offline replica (*.kedesk)"))
        if chosen:
            self.file.set_value(chosen)

    def _check(self) -> bool:
        ok = True
        for box, message in ((self.device, _tr("Name this computer, e.g. “Zhang's laptop”.")),
                             (self.file, _tr("Choose where the encrypted file goes.")),
                             (self.password, _tr("Type your own login password again: it locks the file."))):
            empty = not str(box.value()).strip()
            box.set_error(message if empty else None)
            ok = ok and not empty
        return ok

    def start(self) -> None:
        self.error.clear()
        self.done_text.clear()
        if not self._check():
            return
        name, path, password = self.device.value().strip(), Path(self.file.value().strip()), self.password.value()
        ctx = self.ctx
        self.go.setEnabled(False)
        self.progress.setRange(0, 0)  # busy until the first count arrives
        self.progress.show()

        def work(report, cancelled):
            return checkout.checkout(ctx.db, path=path, password=password, device_name=name, user=ctx.user,
                                     progress=report, cancelled=cancelled)

        self.token = CancelToken()
        self.stop.show()
        ctx.tasks.run(work, self.finished_ok, self.failed, self.advance, cancel=self.token)

    def cancel_checkout(self) -> None:
        if self.token is not None:
            self.token.cancel()  # the copy stops at its next chunk and removes what it began
            self.stop.setEnabled(False)

    def reject(self) -> None:
        self.cancel_checkout()  # closing the dialog while it copies cancels the copy
        super().reject()

    def advance(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _stopped(self) -> None:
        self.token = None
        self.stop.hide()
        self.stop.setEnabled(True)

    def finished_ok(self, made) -> None:
        self._stopped()
        self.result_info = made
        self.progress.hide()
        self.password.editor.clear()
        self.done_text.setText(_tr("Checked out {n} customers ({rows} records) to the encrypted file {path}. "
                                   "Open it away from the office with KeDesk --laptop and your password; sync "
                                   "when you are back.").format(n=made.customers, rows=made.rows, path=made.path))
        self.go.setEnabled(False)
        self.adjustSize()

    def failed(self, exc: Exception) -> None:
        self._stopped()
        self.progress.hide()
        self.go.setEnabled(True)
        text = exc.message if isinstance(exc, UserError) else _tr("Check-out failed: {error}").format(error=exc)
        if isinstance(exc, checkout.CheckoutPassword):
            self.password.set_error(text)
            self.password.editor.clear()
            self.password.editor.setFocus()
        elif isinstance(exc, checkout.ReplicaExists):
            self.file.set_error(text)
        else:
            self.error.setText(text)
        self.adjustSize()
