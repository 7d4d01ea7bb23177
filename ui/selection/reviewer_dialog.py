"""复核人登录 — the independent second person signs with their own login (issuer and reviewer differ)."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from app.errors import UserError
from app.services import users
from ui.widgets import confirm_buttons, error_label


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReviewerDialog", text)


class ReviewerDialog(QDialog):
    def __init__(self, db, what: str, parent=None):
        super().__init__(parent)
        self.db, self.reviewer = db, None
        self.setWindowTitle(_tr("Reviewer sign-off"))
        self.username, self.password = QLineEdit(), QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = error_label()
        form = QFormLayout()
        form.addRow(_tr("Reviewer user name"), self.username)
        form.addRow(_tr("Password"), self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_tr("A second person reviews: {what}").format(what=what)))
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(confirm_buttons(self, self.check))

    def check(self) -> None:
        try:
            self.reviewer = users.authenticate(self.db, username=self.username.text(), password=self.password.text())
        except UserError as exc:
            self.message.setText(exc.message)  # in place; the user name stays typed
            self.password.clear()
            return
        self.accept()
