"""The installed Qt binding keeps Python's reference counts: PySide6 6.12.0 on Python 3.11 dropped a
reference to None on every QLabel.setText / QPainter call, and a desk open all day died with
"Fatal Python error: none_dealloc" (found by the visit calendar). pyproject.toml keeps PySide6 below 6.12;
this fails if an upgrade brings such a release back."""
import sys

from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QLabel


def test_void_calls_do_not_drop_references_to_none(qapp):
    label, pixmap = QLabel(), QPixmap(20, 20)
    painter = QPainter(pixmap)
    before = sys.getrefcount(None)
    for _ in range(200):
        label.setText("客台")
        painter.fillRect(0, 0, 5, 5, QColor("red"))
        painter.drawLine(0, 0, 5, 5)
    after = sys.getrefcount(None)
    painter.end()
    assert after >= before, f"{before - after} references to None lost in 600 calls"
