"""Login (登录) and the first-start wizard that creates the administrator."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit

from app.errors import UserError, ValidationFailed
from app.services import users
from app.services.users import Principal
from ui.widgets import ERROR_STYLE, FieldBox, confirm_buttons, password_box


def _tr(text: str) -> str:
    return QCoreApplication.translate("LoginDialog", text)



class LoginDialog(QDialog):
    def __init__(self, db, *, hint: str = "", parent=None):
        super().__init__(parent)
        self.db = db
        self.principal: Principal | None = None
        self.setWindowTitle(_tr("KeDesk — log in"))
        self.username = FieldBox(QLineEdit())
        self.username.editor.setObjectName("login_username")
        self.password = password_box()
        self.password.editor.setObjectName("login_password")
        self.message = QLabel()
        self.message.setObjectName("login_message")
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(_tr("User name"), self.username)
        form.addRow(_tr("Password"), self.password)
        form.addRow(self.message)
        if hint:
            note = QLabel(hint)
            note.setWordWrap(True)
            note.setStyleSheet("color: #5f6b7a;")
            form.addRow(note)
        buttons = confirm_buttons(self, self.log_in)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_tr("Log in"))
        form.addRow(buttons)
        self.setMinimumWidth(380)

    def log_in(self) -> None:
        try:
            self.principal = users.authenticate(self.db, username=self.username.value(),
                                                password=self.password.value())
        except UserError as exc:
            self.message.setText(exc.message)
            self.password.editor.clear()  # the user name stays; only the wrong password goes
            self.password.editor.setFocus()
            return
        if self.principal.must_change_password and not self.ask_new_password():
            self.principal = None
            self.message.setText(_tr("The administrator reset your password: choose a new one to log in."))
            return
        self.accept()

    def ask_new_password(self) -> bool:
        from dataclasses import replace

        dialog = ChangePasswordDialog(self.db, self.principal, old=self.password.value(), parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        self.principal = replace(self.principal, must_change_password=False)
        return True


class ChangePasswordDialog(QDialog):
    """After the administrator reset the password (重置密码): the user chooses their own."""

    def __init__(self, db, principal: Principal, *, old: str, parent=None):
        super().__init__(parent)
        self.db, self.principal, self.old = db, principal, old
        self.setWindowTitle(_tr("Choose a new password"))
        self.password = password_box()
        self.again = password_box()
        form = QFormLayout(self)
        form.addRow(QLabel(_tr("The administrator set a temporary password. Choose your own.")))
        form.addRow(_tr("New password"), self.password)
        form.addRow(_tr("Password again"), self.again)
        form.addRow(confirm_buttons(self, self.save))

    def save(self) -> None:
        self.again.set_error(None)
        if self.password.value() != self.again.value():
            self.again.set_error(_tr("The two passwords differ"))
            return
        if self.password.value() == self.old:
            self.password.set_error(_tr("Choose a password different from the temporary one"))
            return
        try:
            users.change_password(self.db, user=self.principal, old=self.old, new=self.password.value())
        except ValidationFailed as exc:
            self.password.set_error(exc.errors.get("password"))
            return
        except UserError as exc:
            self.password.set_error(exc.message)
            return
        self.accept()


class FirstAdminDialog(QDialog):
    """First start on an empty database: create the administrator account."""

    def __init__(self, db, parent=None):
        super().__init__(parent)
        self.db = db
        self.setWindowTitle(_tr("Welcome to KeDesk"))
        self.username = FieldBox(QLineEdit("admin"))
        self.display_name = FieldBox(QLineEdit())
        self.password = password_box()
        self.again = password_box()
        form = QFormLayout(self)
        form.addRow(QLabel(_tr("This database has no users yet. Create the administrator account; "
                               "the administrator then creates the other users.")))
        form.addRow(_tr("User name"), self.username)
        form.addRow(_tr("Full name"), self.display_name)
        form.addRow(_tr("Password"), self.password)
        form.addRow(_tr("Password again"), self.again)
        buttons = confirm_buttons(self, self.create)
        form.addRow(buttons)

    def create(self) -> None:
        boxes = {"username": self.username, "display_name": self.display_name, "password": self.password}
        for box in (*boxes.values(), self.again):
            box.set_error(None)
        if self.password.value() != self.again.value():
            self.again.set_error(_tr("The two passwords differ"))
            return
        try:
            users.create_user(self.db, username=self.username.value(), display_name=self.display_name.value(),
                              role="admin", password=self.password.value())
        except ValidationFailed as exc:
            for key, box in boxes.items():
                box.set_error(exc.errors.get(key))
            return
        except UserError as exc:
            self.username.set_error(exc.message)
            return
        self.accept()
