"""Users and roles (用户与角色管理): the user list with its actions, the roles tab, the change log."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.services import roles, users
from app.services.users import UserInfo
from ui.admin.roles_tab import RolesTab
from ui.admin.rows_model import GREY, RowsModel, local_time, table
from ui.admin.user_form import ResetPasswordDialog, UserForm
from ui.context import DeskContext
from ui.widgets import ERROR_STYLE


def _tr(text: str) -> str:
    return QCoreApplication.translate("UsersDialog", text)


class UsersTab(QWidget):
    def __init__(self, ctx: DeskContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        yes, no = _tr("Yes"), _tr("No")
        self.model = RowsModel(
            [_tr("User name"), _tr("Name"), _tr("Role"), _tr("Department"), _tr("Staff member"), _tr("Active"),
             _tr("Locked until"), _tr("Last login")],
            lambda u: (u.username, u.display_name, u.role_name, u.department, u.staff_name,
                       yes if u.active else no, local_time(u.locked_until, future_only=True),
                       local_time(u.last_login_at)),
            lambda u: None if u.active else GREY)
        self.view = table(self.model)
        self.view.doubleClicked.connect(lambda _i: self.edit())
        self.message = QLabel()
        self.message.setObjectName("users_message")
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        self.buttons = {}
        for key, text, slot in (("new", _tr("New user…"), self.new), ("edit", _tr("Edit…"), self.edit),
                                ("active", _tr("Deactivate / reactivate"), self.toggle_active),
                                ("unlock", _tr("Unlock"), self.unlock),
                                ("password", _tr("Reset password…"), self.reset_password)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
            self.buttons[key] = button
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message)
        self.reload()

    def reload(self) -> None:
        self.model.set_items(users.list_users(self.ctx.db, by=self.ctx.user))

    def select(self, username: str) -> None:
        for row, u in enumerate(self.model.items):
            if u.username == username:
                self.view.selectRow(row)

    def selected(self) -> UserInfo | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            self.show_message(_tr("Select a user first."), error=True)
            return None
        return self.model.item(rows[0].row())

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.setText(text)

    def _run(self, work, done: str) -> None:
        """Run a service call; a refusal shows in place, the list is re-read either way."""
        try:
            work()
        except UserError as exc:
            self.show_message(exc.message, error=True)
            return
        current = self.selected_name()
        self.reload()
        if current:
            self.select(current)
        self.show_message(done)

    def selected_name(self) -> str | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.item(rows[0].row()).username if rows else None

    def new(self) -> None:
        form = UserForm(self.ctx, None, self)
        if form.exec():
            self.reload()
            self.select(form.username.value().strip())
            self.show_message(_tr("User created."))

    def edit(self) -> None:
        user = self.selected()
        if user and UserForm(self.ctx, user, self).exec():
            self._run(lambda: None, _tr("User changed."))

    def toggle_active(self) -> None:
        user = self.selected()
        if user:
            self._run(lambda: users.set_active(self.ctx.db, user_id=user.id, active=not user.active, by=self.ctx.user),
                      _tr("User reactivated.") if not user.active else _tr("User deactivated."))

    def unlock(self) -> None:
        user = self.selected()
        if user:
            self._run(lambda: users.unlock(self.ctx.db, user_id=user.id, by=self.ctx.user), _tr("User unlocked."))

    def reset_password(self) -> None:
        user = self.selected()
        if user and ResetPasswordDialog(self.ctx, user, self).exec():
            self.show_message(_tr("Password reset."))


class AdminLogTab(QWidget):
    def __init__(self, ctx: DeskContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.model = RowsModel([_tr("Time"), _tr("By"), _tr("Action"), _tr("What"), _tr("Whom"), _tr("Field"),
                                _tr("Before"), _tr("After")],
                               lambda r: (local_time(r.at), r.actor, r.action, r.entity, r.target, r.field,
                                          r.old_value, r.new_value))
        QVBoxLayout(self).addWidget(table(self.model))

    def reload(self) -> None:
        self.model.set_items(roles.admin_log(self.ctx.db, by=self.ctx.user))


class UsersDialog(QDialog):
    def __init__(self, ctx: DeskContext, parent=None):
        super().__init__(parent)
        self.setWindowTitle(_tr("Users and roles"))
        self.resize(1000, 600)
        self.tabs = QTabWidget()
        self.users = UsersTab(ctx)
        self.roles = RolesTab(ctx)
        self.log = AdminLogTab(ctx)
        self.tabs.addTab(self.users, _tr("Users"))
        self.tabs.addTab(self.roles, _tr("Roles"))
        self.tabs.addTab(self.log, _tr("Change log"))
        self.tabs.currentChanged.connect(self._refresh)
        QVBoxLayout(self).addWidget(self.tabs)

    def _refresh(self, index: int) -> None:
        # other tabs' changes (a new role, a role change) show when the user comes back
        self.tabs.widget(index).reload()
