"""付款条件降级: customers whose payment terms dropped a level for late payments in a quarter (listed, newest
first), with a button to look for new ones now."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import settings
from app.errors import UserError
from app.services import grade_policy
from ui.tr import N_
from ui.widgets import error_label


def _tr(text: str) -> str:
    return QCoreApplication.translate("TermDropsPanel", text)


COLUMNS = (N_("Quarter"), N_("Code"), N_("Customer"), N_("Grade"), N_("Late payments"), N_("Noticed by"),
           N_("Noticed at"))


class TermDropsPanel(QWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.check_button = QPushButton(_tr("Check late payments now"))
        self.check_button.clicked.connect(self.check)
        self.check_button.setEnabled(ctx.user is None or ctx.user.can("sales.edit"))
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([_tr(c) for c in COLUMNS])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.note = QLabel(_tr("{n} or more late payments in one quarter drop the customer's payment terms one "
                               "level at once (shown on the customer card).").format(
            n=settings.get(ctx.db, "policy.late_per_quarter")))
        self.note.setWordWrap(True)
        self.message = error_label()
        # an empty table says nothing: say what it means and what to do
        self.empty = QLabel(_tr("No customer's payment terms have been dropped: nobody has {n} or more late "
                                "payments due in one quarter. After entering or importing payments, "
                                "“Check late payments now” looks again.").format(
            n=settings.get(ctx.db, "policy.late_per_quarter")))
        self.empty.setWordWrap(True)
        self.empty.setObjectName("term_drops_empty")
        self.empty.setStyleSheet("color: #555; padding: 24px; font-size: 11pt;")
        bar = QHBoxLayout()
        bar.addWidget(self.note, 1)
        bar.addWidget(self.check_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.message)
        self.reload()

    def reload(self) -> None:
        try:
            drops = grade_policy.term_drops(self.ctx.db, user=self.ctx.user)
        except UserError as exc:
            self.message.setText(exc.message)
            return
        self.table.setRowCount(len(drops))
        self.table.setVisible(bool(drops))
        self.empty.setVisible(not drops)
        for i, d in enumerate(drops):
            values = (d.quarter, d.code, d.name, d.grade, str(d.late_count), d.noticed_by,
                      d.noticed_at.astimezone().strftime("%Y-%m-%d %H:%M"))
            for j, v in enumerate(values):
                self.table.setItem(i, j, QTableWidgetItem(v))
        self.table.resizeColumnsToContents()

    def check(self) -> None:
        self.message.clear()
        try:
            found = grade_policy.check_late_payments(self.ctx.db, user=self.ctx.user)
        except UserError as exc:
            self.message.setText(exc.message)
            return
        self.reload()
        self.message.setText(_tr("{n} new payment-term drops.").format(n=found))
