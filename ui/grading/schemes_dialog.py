"""分级方案 — the grading schemes side by side: which one is the card's 客户等级, their parameters taken again
from the business rules after those changed, and a new scheme of a kind.

A scheme keeps a snapshot of the rules it was made with (committed runs keep their own copy), so changing a
weight or a band in 业务规则 reaches the runs only through "take the current rules" here."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from app import settings
from app.domain.grading import schemes as kinds
from app.errors import UserError, ValidationFailed
from app.services import grading_schemes
from ui.context import DeskContext
from ui.widgets import FieldBox, combo, error_label


def _tr(text: str) -> str:
    return QCoreApplication.translate("SchemesDialog", text)


class SchemesDialog(QDialog):
    def __init__(self, ctx: DeskContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.changed = False
        self.setWindowTitle(_tr("Grading schemes"))
        self.resize(760, 420)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([_tr("Scheme"), _tr("Kind"), _tr("Customer grade"), _tr("Parameters")])
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.main_button = QPushButton(_tr("Make it the customer grade"))
        self.refresh_button = QPushButton(_tr("Take the current business rules"))
        self.main_button.clicked.connect(self.make_main)
        self.refresh_button.clicked.connect(self.refresh)
        self.name = FieldBox(QLineEdit())
        self.name.editor.setPlaceholderText(_tr("Name of a new scheme"))
        self.kind = combo(list(kinds.KINDS.items()))
        self.add_button = QPushButton(_tr("New scheme"))
        self.add_button.clicked.connect(self.add)
        self.message = error_label()
        actions = QHBoxLayout()
        for w in (self.main_button, self.refresh_button):
            actions.addWidget(w)
        actions.addStretch(1)
        new = QHBoxLayout()
        new.addWidget(self.name, 2)
        new.addWidget(self.kind, 2)
        new.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addLayout(new)
        layout.addWidget(self.message)
        self.reload()

    def reload(self) -> None:
        self.rows = grading_schemes.list_schemes(self.ctx.db, user=self.ctx.principal)
        self.table.setRowCount(len(self.rows))
        for i, s in enumerate(self.rows):
            params = [f"{settings.OPTIONS[k].label if k in settings.OPTIONS else k} {v}" for k, v in s.params.items()]
            for col, text in enumerate((s.name, s.kind_label, "✓" if s.is_customer_grade else "", ";".join(params))):
                item = QTableWidgetItem(text)
                if col == 3:
                    item.setToolTip("\n".join(params))
                self.table.setItem(i, col, item)
        self.table.resizeColumnsToContents()

    def _chosen(self):
        row = self.table.currentRow()
        if not 0 <= row < len(self.rows):
            self.message.setText(_tr("Choose a scheme in the list first."))
            return None
        return self.rows[row]

    def _do(self, work) -> None:
        try:
            work()
        except UserError as exc:
            self.message.setText("; ".join(exc.errors.values()) if isinstance(exc, ValidationFailed) else exc.message)
            return
        self.message.clear()
        self.changed = True
        row = self.table.currentRow()
        self.reload()
        self.table.selectRow(row)

    def make_main(self) -> None:
        if (s := self._chosen()) is not None:
            self._do(lambda: grading_schemes.set_customer_grade_scheme(self.ctx.db, user=self.ctx.principal,
                                                                       scheme_id=s.id))

    def refresh(self) -> None:
        if (s := self._chosen()) is not None:
            self._do(lambda: grading_schemes.refresh_parameters(self.ctx.db, user=self.ctx.principal,
                                                                scheme_id=s.id))

    def add(self) -> None:
        self._do(lambda: grading_schemes.create_scheme(self.ctx.db, user=self.ctx.principal, name=self.name.value(),
                                                       kind=self.kind.currentData()))
        if not self.message.text():
            self.name.editor.clear()
