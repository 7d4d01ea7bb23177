"""A small table that says what belongs in it while it is empty, instead of a blank white box."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QTableWidget

HINT_COLOR = QColor("#5f6b7a")


class HintTable(QTableWidget):
    def __init__(self, rows: int, columns: int, hint: str = "", parent=None):
        super().__init__(rows, columns, parent)
        self.hint = hint

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        if self.rowCount() or not self.hint:
            return
        painter = QPainter(self.viewport())
        painter.setPen(HINT_COLOR)
        rect = self.viewport().rect().adjusted(12, 12, -12, -12)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.hint)
        painter.end()
