"""The user form (新建/修改用户) and the administrator's password reset (重置密码)."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QCheckBox, QDialog, QFormLayout, QLabel, QLineEdit

from app.errors import UserError, ValidationFailed
from app.services import staff, users
from app.services.users import UserInfo
from ui.context import DeskContext
from ui.widgets import ERROR_STYLE, FieldBox, combo, confirm_buttons, password_box


def _tr(text: str) -> str:
    return QCoreApplication.translate("UserForm", text)



def _uuid(value):
    import uuid

    return uuid.UUID(value) if value else None


class UserForm(QDialog):
    """New user when `user` is None; otherwise edit name, role, department and linked staff member."""

    def __init__(self, ctx: DeskContext, user: UserInfo | None = None, parent=None):
        super().__init__(parent)
        self.ctx, self.user = ctx, user
        self.setWindowTitle(_tr("New user") if user is None else _tr("Edit user"))
        self.username = FieldBox(QLineEdit(user.username if user else ""))
        self.username.editor.setEnabled(user is None)  # the login name is history's key: never renamed
        self.display_name = FieldBox(QLineEdit(user.display_name if user else ""))
        self.role = FieldBox(combo(users.roles(ctx.db)))
        self.department = FieldBox(combo([(str(i), n) for i, n in staff.departments(ctx.db)],
                                         blank=_tr("(none)")))
        people = staff.list_staff(ctx.db, active_only=True)
        self.staff = FieldBox(combo([(str(p.id), f"{p.name}  {p.department}") for p in people],
                                    blank=_tr("(not a staff member)")))
        self._staff_dept = {str(p.id): str(p.department_id) if p.department_id else "" for p in people}
        self.staff.editor.currentIndexChanged.connect(self._follow_staff)
        self.password = password_box()
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(_tr("User name"), self.username)
        form.addRow(_tr("Full name"), self.display_name)
        form.addRow(_tr("Role"), self.role)
        form.addRow(_tr("Linked staff member"), self.staff)
        form.addRow(_tr("Department"), self.department)
        if user is None:
            form.addRow(_tr("Initial password"), self.password)
        else:
            self.role.set_value(user.role)
            self.department.set_value(user.department_id)
            self.staff.set_value(user.staff_id)
        form.addRow(self.message)
        form.addRow(confirm_buttons(self, self.save, save=True))
        self.setMinimumWidth(420)

    def _follow_staff(self) -> None:
        dept = self._staff_dept.get(self.staff.value() or "")
        if dept:  # a rep's login belongs to the rep's department
            self.department.set_value(dept)

    def save(self) -> None:
        boxes = {"username": self.username, "display_name": self.display_name, "role": self.role,
                 "password": self.password, "staff_id": self.staff}
        for box in boxes.values():
            box.set_error(None)
        self.message.clear()
        common = dict(display_name=self.display_name.value(), role=self.role.value(),
                      department_id=_uuid(self.department.value()), staff_id=_uuid(self.staff.value()),
                      by=self.ctx.user)
        try:
            if self.user is None:
                users.create_user(self.ctx.db, username=self.username.value(), password=self.password.value(),
                                  **common)
            else:
                users.update_user(self.ctx.db, user_id=self.user.id, **common)
        except ValidationFailed as exc:
            for key, box in boxes.items():
                box.set_error(exc.errors.get(key))
            return
        except UserError as exc:
            self.message.setText(exc.message)
            return
        self.accept()


class ResetPasswordDialog(QDialog):
    def __init__(self, ctx: DeskContext, user: UserInfo, parent=None):
        super().__init__(parent)
        self.ctx, self.user = ctx, user
        self.setWindowTitle(_tr("Reset password of {name}").format(name=user.username))
        self.password = password_box()
        self.must_change = QCheckBox(_tr("The user must choose a new password at the next login"))
        self.must_change.setChecked(True)
        form = QFormLayout(self)
        form.addRow(_tr("New password"), self.password)
        form.addRow(self.must_change)
        form.addRow(confirm_buttons(self, self.save))

    def save(self) -> None:
        try:
            users.reset_password(self.ctx.db, user_id=self.user.id, password=self.password.value(),
                                 must_change=self.must_change.isChecked(), by=self.ctx.user)
        except ValidationFailed as exc:
            self.password.set_error(exc.errors.get("password"))
            return
        except UserError as exc:
            self.password.set_error(exc.message)
            return
        self.accept()
