"""A read-only table model over plain rows (tuples of text), for the administration windows."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

_ROOT = QModelIndex()
GREY = QBrush(QColor("#8a8f98"))
RED = QBrush(QColor("#b00020"))


class RowsModel(QAbstractTableModel):
    """headers are shown as given (already translated); `colour(item)` may return a brush for a whole row."""

    def __init__(self, headers: Sequence[str], cells: Callable[[object], Sequence[str]],
                 colour: Callable[[object], QBrush | None] | None = None, parent=None):
        super().__init__(parent)
        self.headers = list(headers)
        self._cells, self._colour = cells, colour
        self.items: list = []
        self._rows: list[Sequence[str]] = []

    def set_items(self, items: list) -> None:
        self.beginResetModel()
        self.items = items
        self._rows = [self._cells(i) for i in items]
        self.endResetModel()

    def item(self, row: int):
        return self.items[row] if 0 <= row < len(self.items) else None

    def rowCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and self._colour is not None:
            return self._colour(self.items[index.row()])
        return None

    def text(self, row: int, column: int) -> str:
        return self._rows[row][column]


def local_time(at: datetime | None, *, future_only: bool = False) -> str:
    """A stored UTC time as the desk's local time; future_only hides a lock that has already run out."""
    if at is None:
        return ""
    if at.tzinfo is None:  # SQLite hands back naive UTC
        at = at.replace(tzinfo=UTC)
    if future_only and at <= datetime.now(UTC):
        return ""
    return at.astimezone().strftime("%Y-%m-%d %H:%M")


def table(model) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    view.verticalHeader().hide()
    return view
