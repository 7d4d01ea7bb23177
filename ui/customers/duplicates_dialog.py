"""查重: the pairs of cards over the whole database that look like one company; merge the chosen pair."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
)

from app.errors import UserError
from app.services import customer_merge, customers
from ui.context import DeskContext
from ui.customers.hint_table import HintTable
from ui.tr import N_

COLUMNS = (N_("Keep (older card)"), N_("Merge into it"), N_("Why"))


def _tr(text: str) -> str:
    return QCoreApplication.translate("DuplicatesDialog", text)


class DuplicatesDialog(QDialog):
    def __init__(self, ctx: DeskContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.merged = 0
        self.setWindowTitle(_tr("Find duplicate customers"))
        self.resize(900, 520)
        self.table = HintTable(0, len(COLUMNS), _tr("No duplicates found: no two cards share a name, "
                                                    "credit code or phone number."))
        self.table.setHorizontalHeaderLabels([_tr(c) for c in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.message = QLabel()
        self.message.setWordWrap(True)
        merge = QPushButton(_tr("Merge the selected pair"))
        merge.clicked.connect(self.merge_selected)
        close = QPushButton(_tr("Close"))
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addWidget(self.message, 1)
        row.addWidget(merge)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_tr("Cards with the same name (simplified or traditional), unified social credit "
                                    "code or phone number. Merging moves everything of the second card to the "
                                    "first: key persons, archive, sales, payments, visits, complaints.")))
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        self.reload()

    def reload(self) -> None:
        self.pairs = customer_merge.duplicate_pairs(self.ctx.db, user=self.ctx.user)
        self.table.setRowCount(len(self.pairs))
        for i, p in enumerate(self.pairs):
            for j, text in enumerate((f"{p.first_code}  {p.first_name}", f"{p.second_code}  {p.second_name}",
                                      p.reason)):
                self.table.setItem(i, j, QTableWidgetItem(text))
        if self.pairs:
            self.table.selectRow(0)

    def merge_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        pair = self.pairs[rows[0].row()]
        answer = QMessageBox.question(self, self.windowTitle(), _tr("Merge {second} into {first}?").format(
            second=f"{pair.second_code} {pair.second_name}", first=f"{pair.first_code} {pair.first_name}"))
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            customers.merge_customers(self.ctx.db, actor=self.ctx.actor, keep_id=pair.first_id,
                                      merge_id=pair.second_id, user=self.ctx.user)
        except UserError as exc:
            self.message.setText(exc.message)
            return
        self.merged += 1
        self.message.setText(_tr("Merged {second} into {first}.").format(second=pair.second_code,
                                                                          first=pair.first_code))
        self.reload()
