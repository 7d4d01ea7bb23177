"""The cards waiting for what a visit report said changed (24小时内录入): overdue first; a row opens its card."""
from __future__ import annotations

from datetime import UTC

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QDialog, QHeaderView, QLabel, QTableWidgetItem, QVBoxLayout

from app.services import card_updates, visits
from ui.context import DeskContext
from ui.customers.hint_table import HintTable
from ui.tr import N_

COLUMNS = (N_("Code"), N_("Customer"), N_("Owner"), N_("Visited"), N_("Reported change"), N_("Due by"))
LATE = QColor("#b00020")


def _tr(text: str) -> str:
    return QCoreApplication.translate("CardUpdatesDialog", text)


class CardUpdatesDialog(QDialog):
    def __init__(self, ctx: DeskContext, open_card=None, parent=None):
        super().__init__(parent)
        self.ctx, self.open_card = ctx, open_card
        self.setWindowTitle(_tr("Card updates due"))
        self.resize(960, 480)
        self.rows = card_updates.due_updates(ctx.db, user=ctx.user)
        zone = visits.calendar_zone(ctx.db)
        self.table = HintTable(len(self.rows), len(COLUMNS), _tr("No card waits for a reported change."))
        self.table.setHorizontalHeaderLabels([_tr(c) for c in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        for i, r in enumerate(self.rows):
            due = (r.due_at if r.due_at.tzinfo else r.due_at.replace(tzinfo=UTC)).astimezone(zone)
            texts = (r.code, r.name, r.owner, str(r.visited_on), r.reported,
                     due.strftime("%Y-%m-%d %H:%M") + ("  " + _tr("overdue") if r.overdue else ""))
            for j, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if r.overdue:
                    item.setForeground(LATE)
                self.table.setItem(i, j, item)
        self.table.cellDoubleClicked.connect(self._open)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_tr("What a visit report says changed goes on the card within the hours the "
                                    "business rules set (24 by default). Double-click a row to open the card.")))
        layout.addWidget(self.table, 1)

    def _open(self, row: int, _column: int) -> None:
        if self.open_card is not None and 0 <= row < len(self.rows):
            self.open_card(self.rows[row].customer_id)
            self.accept()
