"""A small drawing of the key-person relation table (关键人物关系表): people on a circle, labelled lines."""
from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget

from app.services.key_persons import KeyPersonInfo, RelationInfo


class RelationView(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.persons: list[KeyPersonInfo] = []
        self.relations: list[RelationInfo] = []
        self.setMinimumSize(260, 200)

    def show_graph(self, persons: list[KeyPersonInfo], relations: list[RelationInfo]) -> None:
        self.persons, self.relations = persons, relations
        self.update()

    def _positions(self) -> dict:
        n = max(len(self.persons), 1)
        cx, cy = self.width() / 2, self.height() / 2
        radius = max(min(cx, cy) - 40, 20)
        return {p.id: QPointF(cx + radius * math.cos(2 * math.pi * i / n - math.pi / 2),
                              cy + radius * math.sin(2 * math.pi * i / n - math.pi / 2))
                for i, p in enumerate(self.persons)}

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#fbfbfd"))
        pos = self._positions()
        painter.setPen(QPen(QColor("#7a869a"), 1.5))
        for r in self.relations:
            a, b = pos.get(r.from_id), pos.get(r.to_id)
            if a is None or b is None:
                continue
            painter.drawLine(a, b)
            mid = (a + b) / 2
            painter.drawText(QRectF(mid.x() - 40, mid.y() - 18, 80, 16), Qt.AlignmentFlag.AlignCenter, r.relation)
        for p in self.persons:
            point = pos[p.id]
            box = QRectF(point.x() - 38, point.y() - 14, 76, 28)
            painter.setPen(QPen(QColor("#1f4e79"), 1.5))
            painter.setBrush(QColor("#fff3c4") if p.values.get("is_key") else QColor("#e8f0fb"))
            painter.drawRoundedRect(box, 8, 8)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, p.name)
        painter.end()
