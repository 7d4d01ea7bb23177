"""Logging in on a field laptop (离线登录): the password both unlocks the encrypted replica and checks the
user — the replica's key is wrapped under the password of the user who checked it out."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication

from app.errors import UserError
from app.services.offline import checkout
from ui.login_dialog import LoginDialog


def _tr(text: str) -> str:
    return QCoreApplication.translate("LaptopLogin", text)


class LaptopLoginDialog(LoginDialog):
    def __init__(self, path: Path, parent=None):
        super().__init__(None, hint=_tr("Offline replica: {path}").format(path=path), parent=parent)
        self.path = Path(path)
        self.setWindowTitle(_tr("KeDesk — log in on this laptop"))

    def log_in(self) -> None:
        if self.db is None:
            try:
                self.db = checkout.open_replica(self.path, self.password.value())
            except UserError as exc:  # wrong password, or no replica here: nothing opened
                self.message.setText(exc.message)
                self.password.editor.clear()
                self.password.editor.setFocus()
                return
        super().log_in()

    def reject(self) -> None:
        if self.db is not None:
            self.db.dispose()
            self.db = None
        super().reject()
