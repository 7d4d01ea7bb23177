"""过号名单 — buyers called but absent, in drawn order; a re-call sends one to this desk."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from app.errors import UserError
from app.services.selection import queue
from ui.widgets import error_label


def _tr(text: str) -> str:
    return QCoreApplication.translate("PassedDialog", text)


class PassedDialog(QDialog):
    def __init__(self, ctx, user, commission_id, desk: str, parent=None):
        super().__init__(parent)
        self.ctx, self.user, self.commission_id, self.desk = ctx, user, commission_id, desk
        self.setWindowTitle(_tr("Passed list (called but absent)"))
        self.list = QListWidget()
        self.list.itemActivated.connect(lambda _item: self.recall())
        self.message = error_label()
        self.recalled = None
        recall, close = QPushButton(_tr("Re-call to this desk (Enter)")), QPushButton(_tr("Close"))
        recall.clicked.connect(self.recall)
        close.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(recall)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_tr("Select a buyer who has come back and re-call them:")))
        layout.addWidget(self.list, 1)
        layout.addWidget(self.message)
        layout.addLayout(row)
        self.resize(420, 360)
        self.load()

    def load(self) -> None:
        self.list.clear()
        for c in queue.queue_state(self.ctx.db, commission_id=self.commission_id).passed:
            item = QListWidgetItem(_tr("No. {order}  {name}  (called at {desk})").format(
                order=c.order, name=c.name, desk=c.desk))
            item.setData(256, c.buyer_id)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)

    def recall(self) -> None:
        item = self.list.currentItem()
        if item is None:
            self.message.setText(_tr("Nobody is on the passed list"))
            return
        try:
            self.recalled = queue.recall(self.ctx.db, user=self.user, buyer_id=item.data(256), desk=self.desk)
        except UserError as exc:
            self.message.setText(exc.message)
            return
        self.accept()
