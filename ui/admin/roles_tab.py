"""Roles tab (角色): the roles with their Chinese names, their permissions ticked by group, new and delete."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.permissions import PERMISSION_GROUPS, PERMISSIONS
from app.errors import UserError, ValidationFailed
from app.services import roles
from app.services.roles import RoleInfo
from ui.admin.rows_model import RowsModel, table
from ui.context import DeskContext
from ui.widgets import ERROR_STYLE, FieldBox, side_by_side

CHECKED, UNCHECKED = Qt.CheckState.Checked, Qt.CheckState.Unchecked


def _tr(text: str) -> str:
    return QCoreApplication.translate("RolesTab", text)


class RolesTab(QWidget):
    def __init__(self, ctx: DeskContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.model = RowsModel([_tr("Role"), _tr("Code"), _tr("Users")], lambda r: (r.name, r.code, str(r.users)))
        self.view = table(self.model)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self.show_role())
        self.code = FieldBox(QLineEdit())
        self.code.editor.setPlaceholderText("site_manager")
        self.name = FieldBox(QLineEdit())
        self.name.editor.setPlaceholderText("案场经理")
        create = QPushButton(_tr("Create role"))
        create.clicked.connect(self.create)
        self.delete_button = QPushButton(_tr("Delete role"))
        self.delete_button.clicked.connect(self.delete)
        left = QWidget()
        form = QFormLayout()
        form.addRow(_tr("Code"), self.code)
        form.addRow(_tr("Chinese name"), self.name)
        form.addRow("", create)
        column = QVBoxLayout(left)
        column.addWidget(self.view, 1)
        column.addWidget(self.delete_button)
        column.addWidget(QLabel(_tr("New role")))
        column.addLayout(form)

        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([_tr("Permission"), _tr("Code")])
        self.items: dict[str, QTreeWidgetItem] = {}
        for group, codes in PERMISSION_GROUPS:
            top = QTreeWidgetItem(self.tree, [group])
            top.setFlags(top.flags() | Qt.ItemFlag.ItemIsAutoTristate | Qt.ItemFlag.ItemIsUserCheckable)
            for code in codes:
                item = QTreeWidgetItem(top, [PERMISSIONS[code], code])
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(0, UNCHECKED)
                self.items[code] = item
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        self.save_button = QPushButton(_tr("Save permissions"))
        self.save_button.clicked.connect(self.save)
        self.message = QLabel()
        self.message.setObjectName("roles_message")
        self.message.setWordWrap(True)
        right = QWidget()
        pane = QVBoxLayout(right)
        pane.addWidget(self.tree, 1)
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addStretch()
        pane.addLayout(row)
        pane.addWidget(self.message)
        side_by_side(self, left, right, (2, 3))
        self.reload()

    def reload(self, select: str | None = None) -> None:
        keep = select or (self.current().code if self.current() else None)
        self.model.set_items(roles.list_roles(self.ctx.db, by=self.ctx.user))
        rows = [i for i, r in enumerate(self.model.items) if r.code == keep] or [0]
        self.view.selectRow(rows[0])
        self.show_role()

    def current(self) -> RoleInfo | None:
        index = self.view.selectionModel().currentIndex() if self.view.selectionModel() else None
        return self.model.item(index.row()) if index is not None and index.isValid() else None

    def show_role(self) -> None:
        role = self.current()
        for code, item in self.items.items():
            item.setCheckState(0, CHECKED if role and code in role.permissions else UNCHECKED)

    def ticked(self) -> set[str]:
        return {code for code, item in self.items.items() if item.checkState(0) == CHECKED}

    def tick(self, code: str, on: bool) -> None:
        self.items[code].setCheckState(0, CHECKED if on else UNCHECKED)

    def say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.setText(text)

    def save(self) -> None:
        role = self.current()
        if role is None:
            return
        try:
            roles.set_permissions(self.ctx.db, code=role.code, permissions=self.ticked(), by=self.ctx.user)
        except UserError as exc:
            self.say(exc.message, error=True)  # the ticks stay as the user left them
            return
        self.reload(role.code)
        self.say(_tr("Permissions of {role} saved.").format(role=role.name))

    def create(self) -> None:
        self.code.set_error(None)
        self.name.set_error(None)
        try:
            roles.create_role(self.ctx.db, code=self.code.value(), name=self.name.value(), by=self.ctx.user)
        except ValidationFailed as exc:
            self.code.set_error(exc.errors.get("code"))
            self.name.set_error(exc.errors.get("name"))
            return
        except UserError as exc:
            self.say(exc.message, error=True)
            return
        code = self.code.value().strip()
        self.code.editor.clear()
        self.name.editor.clear()
        self.reload(code)
        self.say(_tr("Role created: tick its permissions and save."))

    def delete(self) -> None:
        role = self.current()
        if role is None:
            return
        try:
            roles.delete_role(self.ctx.db, code=role.code, by=self.ctx.user)
        except UserError as exc:
            self.say(exc.message, error=True)
            return
        self.reload()
        self.say(_tr("Role {role} deleted.").format(role=role.name))
