"""The card's history (修改记录): who changed which field when, from what to what."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidgetItem

from app.services.audit import HistoryRow
from ui.customers.hint_table import HintTable
from ui.tr import N_

HEADERS = (N_("Time"), N_("By"), N_("Action"), N_("Record"), N_("Field"), N_("Old value"), N_("New value"))


def _tr(text: str) -> str:
    return QCoreApplication.translate("HistoryView", text)


class HistoryView(HintTable):
    """A small list per card (hundreds of rows at most), so a QTableWidget is enough."""

    def __init__(self, parent=None):
        super().__init__(0, len(HEADERS), _tr("No changes recorded yet: every change to the card, its key persons "
                                             "and its archive will be listed here."), parent)
        self.setHorizontalHeaderLabels([_tr(h) for h in HEADERS])
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)
        self.verticalHeader().hide()

    def show_history(self, rows: list[HistoryRow]) -> None:
        self.setRowCount(len(rows))
        for i, r in enumerate(rows):
            local = r.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")  # stored UTC, shown local
            for j, text in enumerate((local, r.actor, r.action, r.entity, r.field, r.old_value, r.new_value)):
                self.setItem(i, j, QTableWidgetItem(text))
