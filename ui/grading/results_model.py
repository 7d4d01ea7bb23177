"""The grading rows of one run as a table model (rows already sorted and filtered by the service)."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.domain.grading import CHANGE_LABELS
from app.services.grading_output import extra_header, extra_values, grade_text
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
    """Grades as people read them (普通/伙伴式/战略性, 钻石…VIP, not codes), then the columns behind the grade:
    the eight item scores of a 100-point total, a credit limit, a city's coefficient."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list = []
        self.kind = ""
        self.extra: tuple[str, ...] = ()

    def set_rows(self, rows: list, kind: str = "") -> None:
        self.beginResetModel()
        self.rows, self.kind, self.extra = rows, kind, extra_header(kind)
        self.endResetModel()

    def rowCount(self, parent=_ROOT):  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=_ROOT):  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS) + len(self.extra)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _tr(COLUMNS[section]) if section < len(COLUMNS) else self.extra[section - len(COLUMNS)]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        r = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col >= len(COLUMNS):
                return format_value(extra_values(self.kind, r.items)[col - len(COLUMNS)])
            k = self.kind
            values = (r.rank, r.code, r.name, r.industry, grade_text(k, r.grade), grade_text(k, r.computed_grade),
                      r.score, r.sales, grade_text(k, r.previous_grade) if r.previous_grade else "",
                      CHANGE_LABELS.get(r.change, r.change), r.override_reason)
            return format_value(values[col])
        if role == Qt.ItemDataRole.ToolTipRole and col == 6 and r.score is not None and self.kind == "scoring":
            parts = extra_values(self.kind, r.items)
            return "\n".join(f"{h}: {v}" for h, v in zip(self.extra, parts, strict=True)) + f"\n= {r.score}"
        if role == Qt.ItemDataRole.BackgroundRole and col in (4, 9) and r.change in CHANGE_COLOURS:
            return QBrush(QColor(CHANGE_COLOURS[r.change]))
        if role == Qt.ItemDataRole.TextAlignmentRole and (col in (0, 6, 7) or col >= len(COLUMNS)):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and col == 4 and r.grade != r.computed_grade:
            from PySide6.QtGui import QFont

            font = QFont()
            font.setBold(True)
            return font
        return None

    def row(self, i: int):
        return self.rows[i]
