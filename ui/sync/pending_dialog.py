"""待同步的修改: on a field laptop, every change still waiting for the central database — the record, the
customer, the field, old → new, when — opened from the status-bar text or the menu; empty after a sync."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from app.errors import UserError
from app.services.offline import pending
from ui.admin.rows_model import RowsModel, local_time, table
from ui.widgets import error_label


def _tr(text: str) -> str:
    return QCoreApplication.translate("PendingDialog", text)


def _cells(p: pending.PendingChange) -> list[str]:
    return [local_time(p.at), p.table_label, p.customer, p.kind_label, p.field_label, p.old, p.new]


class PendingDialog(QDialog):
    def __init__(self, ctx, parent=None, *, sync_now=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_tr("Changes waiting to be synced"))
        self.resize(980, 520)
        self.model = RowsModel([_tr("Changed at"), _tr("Record"), _tr("Customer"), _tr("Change"), _tr("Field"),
                                _tr("Old value"), _tr("New value")], _cells)
        self.view = table(self.model)
        self.count = QLabel()
        self.error = error_label()
        row = QHBoxLayout()
        row.addWidget(self.count, 1)
        self.sync_button = QPushButton(_tr("Sync now"))
        self.sync_button.setVisible(sync_now is not None)
        if sync_now is not None:
            self.sync_button.clicked.connect(sync_now)
        row.addWidget(self.sync_button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.error)
        layout.addLayout(row)
        layout.addWidget(close)
        self.reload()

    def reload(self) -> None:
        try:
            items = pending.waiting(self.ctx.db, user=self.ctx.user)
            self.error.clear()
        except UserError as exc:
            items = []
            self.error.setText(exc.message)
        self.model.set_items(items)
        self.view.resizeColumnsToContents()
        changes = len({p.op_id for p in items})
        self.count.setText(_tr("{n} changes waiting for the next sync").format(n=changes) if items else
                           _tr("Nothing waiting: every change made on this laptop has reached the central database."))
        self.sync_button.setEnabled(bool(items))
