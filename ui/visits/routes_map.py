"""A map-like plot of a day's route (路线图): customers as dots, the office marked, the route as a numbered
polyline. No map tiles (the desk may be offline): longitude/latitude drawn to scale on a plain grid."""
from __future__ import annotations

import math

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
)

ROUTE = QColor("#1565c0")
OFFICE = QColor("#c62828")
IDLE = QColor("#9e9e9e")
SCALE = 1000.0  # scene units per degree


def _tr(text: str) -> str:
    return QCoreApplication.translate("RouteMap", text)


class RouteMap(QGraphicsView):
    """show(office, others, route): points are (lat, lon); `route` is the visiting order; `back` closes it."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setBackgroundBrush(QColor("#f7f9fb"))
        self.setMinimumSize(360, 260)
        self._cos = 1.0
        self.stops = 0  # how many numbered stops are drawn (tests read it)

    def _xy(self, lat: float, lon: float) -> QPointF:
        return QPointF(lon * SCALE * self._cos, -lat * SCALE)

    def _dot(self, p: QPointF, color: QColor, size: float, tip: str) -> None:
        dot = QGraphicsEllipseItem(-size / 2, -size / 2, size, size)
        dot.setPos(p)
        dot.setBrush(QBrush(color))
        dot.setPen(QPen(Qt.GlobalColor.white, 1))
        dot.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        dot.setToolTip(tip)
        dot.setZValue(2)
        self.scene().addItem(dot)

    def _label(self, p: QPointF, text: str, color: QColor, dx: float = 6, dy: float = -18) -> None:
        label = QGraphicsSimpleTextItem(text)
        font = QFont()
        font.setBold(True)
        label.setFont(font)
        label.setBrush(QBrush(color))
        label.setPos(p)
        label.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        label.setTransform(label.transform().translate(dx, dy))
        label.setZValue(3)
        self.scene().addItem(label)

    def show_route(self, office: tuple[float, float], others: list[tuple[float, float, str]],
                   route: list[tuple[float, float, str]], back: bool, office_km: float | None = None) -> None:
        """Draw the office, the other customers (grey) and the route (numbered). When the office is far from
        the customers (another city), the view frames the customers and the office is an arrow at the edge."""
        scene = self.scene()
        scene.clear()
        places = [(a, b) for a, b, _ in others] + [(a, b) for a, b, _ in route]
        self._cos = math.cos(math.radians(sum(a for a, _ in [office, *places]) / (len(places) + 1)))
        home = self._xy(*office)
        pts = [self._xy(a, b) for a, b in places] or [home]
        left, right = min(p.x() for p in pts), max(p.x() for p in pts)
        top, bottom = min(p.y() for p in pts), max(p.y() for p in pts)
        extent = max(right - left, bottom - top, 20.0)  # at least ~2 km across
        centre = QPointF((left + right) / 2, (top + bottom) / 2)
        far = math.hypot(home.x() - centre.x(), home.y() - centre.y()) > 3 * extent
        if not far:
            left, right = min(left, home.x()), max(right, home.x())
            top, bottom = min(top, home.y()), max(bottom, home.y())
            extent = max(right - left, bottom - top, 20.0)
        pad = extent * 0.12
        box = QRectF(left - pad, top - pad, right - left + 2 * pad, bottom - top + 2 * pad)
        frame = QGraphicsRectItem(box)
        frame.setPen(QPen(QColor("#cfd8dc"), 0))
        scene.addItem(frame)
        for lat, lon, tip in others:
            self._dot(self._xy(lat, lon), IDLE, 7, tip)
        # where the office is drawn: itself, or the point of the frame's edge in its direction
        if far:
            dx, dy = home.x() - centre.x(), home.y() - centre.y()
            t = min(abs((box.width() / 2) / dx) if dx else math.inf, abs((box.height() / 2) / dy) if dy else math.inf)
            anchor = QPointF(centre.x() + dx * t * 0.97, centre.y() + dy * t * 0.97)
        else:
            anchor = home
        if route:
            path = QPainterPath(anchor)
            for lat, lon, _ in route:
                path.lineTo(self._xy(lat, lon))
            pen = QPen(ROUTE, 2.2)
            pen.setCosmetic(True)
            scene.addPath(path, pen).setZValue(1)
            if back:
                dashed = QPen(ROUTE, 1.4, Qt.PenStyle.DashLine)
                dashed.setCosmetic(True)
                end = self._xy(*route[-1][:2])
                scene.addLine(end.x(), end.y(), anchor.x(), anchor.y(), dashed).setZValue(1)
        numbers: dict[tuple[float, float], list[str]] = {}
        for n, (lat, lon, tip) in enumerate(route, start=1):
            self._dot(self._xy(lat, lon), ROUTE, 11, f"{n}. {tip}")
            numbers.setdefault((lat, lon), []).append(str(n))
        for (lat, lon), ns in numbers.items():  # stops at one place (a district centre) share one label
            self._label(self._xy(lat, lon), "·".join(ns), ROUTE)
        self.stops = len(route)
        marker = QGraphicsRectItem(-7, -7, 14, 14)
        marker.setPos(anchor)
        marker.setBrush(QBrush(OFFICE))
        marker.setPen(QPen(Qt.GlobalColor.white, 1))
        marker.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        marker.setZValue(4)
        marker.setToolTip(_tr("Office"))
        scene.addItem(marker)
        text = _tr("Office") if not far else (_tr("Office, {km:.0f} km away").format(km=office_km) if office_km
                                              else _tr("Office (off the map)"))
        self._label(anchor, text, OFFICE, 9, 4)
        scene.setSceneRect(box)
        self.fitInView(box, Qt.AspectRatioMode.KeepAspectRatio)

    def resizeEvent(self, ev) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(ev)
        if not self.scene().sceneRect().isEmpty():
            self.fitInView(self.scene().sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)


__all__ = ["RouteMap"]
