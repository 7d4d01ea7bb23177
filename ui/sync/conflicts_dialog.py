"""同步冲突: each laptop value that lost to a central one, shown side by side; keep central's or take mine."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from app.errors import UserError
from app.services.offline import conflicts
from ui.admin.rows_model import RowsModel, local_time, table
from ui.context import DeskContext
from ui.widgets import error_label


def _tr(text: str) -> str:
    return QCoreApplication.translate("ConflictsDialog", text)


def _cells(c: conflicts.ConflictInfo) -> list[str]:
    return [local_time(c.edited_at), c.customer, c.table_label, c.field_label or c.kind_label, c.central, c.mine,
            f"{c.username} · {c.device}", c.reason]


class ConflictsDialog(QDialog):
    def __init__(self, ctx: DeskContext, central, parent=None):
        super().__init__(parent)
        self.ctx, self.central = ctx, central
        self.setWindowTitle(_tr("Sync conflicts"))
        self.resize(1000, 620)
        self.model = RowsModel([_tr("Edited at"), _tr("Customer"), _tr("Record"), _tr("Field"), _tr("Central value"),
                                _tr("Laptop value"), _tr("By"), _tr("Why")], _cells)
        self.view = table(self.model)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self.show_current())
        self.count = QLabel()
        boxes = QGridLayout()
        self.central_text, self.mine_text = QPlainTextEdit(), QPlainTextEdit()
        for column, (title, edit) in enumerate(((_tr("Central value (kept now)"), self.central_text),
                                                (_tr("Laptop value (mine)"), self.mine_text))):
            edit.setReadOnly(True)
            box = QGroupBox(title)
            inner = QVBoxLayout(box)
            inner.addWidget(edit)
            boxes.addWidget(box, 0, column)
        self.keep = QPushButton(_tr("Keep central"))
        self.take = QPushButton(_tr("Take mine"))
        self.keep.clicked.connect(lambda: self.resolve("central"))
        self.take.clicked.connect(lambda: self.resolve("mine"))
        self.error = error_label()
        row = QHBoxLayout()
        row.addWidget(self.count, 1)
        row.addWidget(self.keep)
        row.addWidget(self.take)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 3)
        layout.addLayout(boxes, 2)
        layout.addWidget(self.error)
        layout.addLayout(row)
        layout.addWidget(close)
        self.reload()

    def reload(self) -> None:
        try:
            items = conflicts.list_conflicts(self.central, user=self.ctx.user)
        except UserError as exc:
            items = []
            self.error.setText(exc.message)
        self.model.set_items(items)
        self.count.setText(_tr("{n} open conflicts").format(n=len(items)))
        if items:
            self.view.selectRow(0)
        self.show_current()

    def current(self):
        return self.model.item(self.view.currentIndex().row())

    def show_current(self) -> None:
        c = self.current()
        self.central_text.setPlainText(c.central if c else "")
        self.mine_text.setPlainText(c.mine if c else "")
        allowed = self.ctx.user is None or self.ctx.user.can("offline.resolve")
        self.keep.setEnabled(c is not None and allowed)
        self.take.setEnabled(c is not None and allowed)

    def resolve(self, take: str) -> None:
        c = self.current()
        if c is None:
            return
        try:
            conflicts.resolve(self.central, conflict_id=c.id, take=take, user=self.ctx.user)
        except UserError as exc:
            self.error.setText(exc.message)
            return
        self.error.clear()
        self.reload()
