"""A small drawing of the key-person relation table (关键人物关系表): people on a circle, labelled lines."""
from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QWidget

from app.services.key_persons import KeyPersonInfo, RelationInfo

LABEL_AT = 0.38  # where along its line a relation's label sits, from the source
LABEL_STEP = 16  # px between the labels of several relations of the same two people
NODE_HALF = QPointF(38, 14)  # half the size of a person's box: arrows end at its edge


def label_slots(relations: list[RelationInfo]) -> list[int]:
    """For each relation, its place among the relations of the same two people (0, 1, 2 …), so their labels
    stack instead of printing over each other."""
    seen: dict[frozenset, int] = {}
    out = []
    for r in relations:
        key = frozenset((r.from_id, r.to_id))
        out.append(seen.get(key, 0))
        seen[key] = out[-1] + 1
    return out


def edge_point(centre: QPointF, towards: QPointF) -> QPointF:
    """Where the line from a box's centre towards another point leaves the box."""
    d = towards - centre
    if d.x() == 0 and d.y() == 0:
        return centre
    scale = min(NODE_HALF.x() / abs(d.x()) if d.x() else math.inf, NODE_HALF.y() / abs(d.y()) if d.y() else math.inf)
    return centre + d * scale


def arrow_head(tip: QPointF, start: QPointF, size: float = 9) -> QPolygonF:
    """A filled triangle at `tip` pointing away from `start` (the relation's direction: from → to)."""
    angle = math.atan2(tip.y() - start.y(), tip.x() - start.x())
    left = QPointF(tip.x() - size * math.cos(angle - 0.4), tip.y() - size * math.sin(angle - 0.4))
    right = QPointF(tip.x() - size * math.cos(angle + 0.4), tip.y() - size * math.sin(angle + 0.4))
    return QPolygonF([tip, left, right])


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
        line = QColor("#7a869a")
        painter.setPen(QPen(line, 1.5))
        for r, slot in zip(self.relations, label_slots(self.relations), strict=True):
            a, b = pos.get(r.from_id), pos.get(r.to_id)
            if a is None or b is None:
                continue
            start, tip = edge_point(a, b), edge_point(b, a)
            painter.drawLine(start, tip)
            painter.setBrush(line)
            painter.drawPolygon(arrow_head(tip, start))  # from → to: 上级 → 下级 reads one way
            # a third of the way from the source: crossing lines (a square's diagonals) keep their labels apart
            at = start + (tip - start) * LABEL_AT
            width = painter.fontMetrics().horizontalAdvance(r.relation) + 8
            label = QRectF(at.x() - width / 2, at.y() - 8 + slot * LABEL_STEP, width, 16)
            painter.setBrush(QColor("#fbfbfd"))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawRect(label)
            painter.setPen(QPen(line, 1.5))
            painter.drawText(label, Qt.AlignmentFlag.AlignCenter, r.relation)
        for p in self.persons:
            point = pos[p.id]
            box = QRectF(point.x() - 38, point.y() - 14, 76, 28)
            painter.setPen(QPen(QColor("#1f4e79"), 1.5))
            painter.setBrush(QColor("#fff3c4") if p.values.get("is_key") else QColor("#e8f0fb"))
            painter.drawRoundedRect(box, 8, 8)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, p.name)
        painter.end()
