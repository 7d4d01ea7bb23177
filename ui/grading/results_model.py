"""The grading rows of one run as a table model (rows already sorted and filtered by the service)."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.domain.grading import CHANGE_LABELS
from ui.widgets import format_value


def _tr(text: str) -> str:
    return QCoreApplication.translate("GradingResults", text)


def N_(text: str) -> str:
    return text


COLUMNS = (N_("Rank"), N_("Code"), N_("Customer"), N_("Industry"), N_("Grade"), N_("Computed"), N_("Score"),
           N_("Sales"), N_("Previous"), N_("Change"), N_("Override reason"))
_ROOT = QModelIndex()
CHANGE_COLOURS = {"up": "#d7f0d7", "down": "#f8d4d4", "new": "#d6e6fa"}


class ResultsModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list = []

    def set_rows(self, rows: list) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent=_ROOT):  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=_ROOT):  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _tr(COLUMNS[section])
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        r = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            values = (r.rank, r.code, r.name, r.industry, r.grade, r.computed_grade, r.score, r.sales,
                      r.previous_grade, CHANGE_LABELS.get(r.change, r.change), r.override_reason)
            return format_value(values[col])
        if role == Qt.ItemDataRole.BackgroundRole and col in (4, 9) and r.change in CHANGE_COLOURS:
            return QBrush(QColor(CHANGE_COLOURS[r.change]))
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (0, 6, 7):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and col == 4 and r.grade != r.computed_grade:
            from PySide6.QtGui import QFont

            font = QFont()
            font.setBold(True)
            return font
        return None

    def row(self, i: int):
        return self.rows[i]
