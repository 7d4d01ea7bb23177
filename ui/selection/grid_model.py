"""销控表 model: one row per building/entrance/floor (top floor first), one column per flat position."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate

from app.domain.unit_status import COLOURS, TEXT_COLOURS, UNIT_STATUS
from ui import vocab as vlabels

CellRole = Qt.ItemDataRole.UserRole + 1
_ROOT = QModelIndex()


def _tr(text: str) -> str:
    return QCoreApplication.translate("SalesControlModel", text)


def position(room: str) -> str:
    """The flat's place on its floor: the last two digits of 1502 → 02 (the column of the grid)."""
    return room[-2:] if len(room) >= 3 else room


class SalesControlModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[tuple[str, str, int]] = []
        self.columns: list[str] = []
        self.cells: dict[tuple[int, int], object] = {}

    def set_cells(self, cells: list) -> None:
        self.beginResetModel()
        self.rows = sorted({(c.building, c.entrance, c.floor) for c in cells},
                           key=lambda r: (r[0], r[1], -r[2]))
        self.columns = sorted({position(c.room) for c in cells})
        row_of = {r: i for i, r in enumerate(self.rows)}
        col_of = {p: i for i, p in enumerate(self.columns)}
        self.cells = {(row_of[(c.building, c.entrance, c.floor)], col_of[position(c.room)]): c for c in cells}
        self.endResetModel()

    def rowCount(self, parent=_ROOT) -> int:  # noqa: N802 (Qt name)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=_ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def cell(self, index: QModelIndex):
        return self.cells.get((index.row(), index.column()))

    def find(self, flat_id) -> QModelIndex:
        for (r, c), cell in self.cells.items():
            if cell.id == flat_id:
                return self.index(r, c)
        return QModelIndex()

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        cell = self.cell(index)
        if cell is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            second = cell.buyer or vlabels.label(UNIT_STATUS, cell.status)
            price = f"{cell.price_per_m2:,.0f}" if cell.price_per_m2 is not None else "—"
            return f"{cell.room}  {cell.area}㎡\n{price}\n{second}"
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor(COLOURS.get(cell.status, "#FFFFFF")))
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor(TEXT_COLOURS.get(cell.status, "#000000")))
        if role == Qt.ItemDataRole.ToolTipRole:
            total = f"{cell.total:,.2f}" if cell.total is not None else "—"
            return _tr("{flat} · {type} · total {total} · {status} {ticket}").format(
                flat=cell.label, type=cell.unit_type, total=total, status=vlabels.label(UNIT_STATUS, cell.status),
                ticket=cell.ticket_number)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter
        if role == CellRole:
            return cell
        return None

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return _tr("Flat {n}").format(n=self.columns[section])
        building, entrance, floor = self.rows[section]
        unit = _tr(" unit {e}").format(e=entrance) if entrance else ""
        return _tr("{building}{unit} floor {floor}").format(building=building, unit=unit, floor=floor)

    def flags(self, index: QModelIndex):
        if self.cell(index) is None:
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class FramedSelection(QStyledItemDelegate):
    """The current flat keeps its status colour; a red frame marks it instead of the selection highlight."""

    def paint(self, painter, option, index) -> None:
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        option.state &= ~QStyle.StateFlag.State_Selected
        super().paint(painter, option, index)
        if selected:
            painter.save()
            painter.setPen(QPen(QColor("#c00000"), 3))
            painter.drawRect(option.rect.adjusted(1, 1, -2, -2))
            painter.restore()
