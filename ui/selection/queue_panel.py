"""叫号台 — what the caller sees beside the grid: who was just called where, who is next, and the 过号 list."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout

from app.services.selection import queue


def _tr(text: str) -> str:
    return QCoreApplication.translate("QueuePanel", text)


def _names(rows, with_desk: bool) -> str:
    if not rows:
        return _tr("none")
    return "\n".join(f"{c.order}  {c.name}" + (f"  → {c.desk}" if with_desk and c.desk else "") for c in rows)


class QueuePanel(QGroupBox):
    def __init__(self, ctx, parent=None):
        super().__init__(_tr("Queue"), parent)
        self.ctx = ctx
        self.called, self.upcoming, self.passed = QLabel(), QLabel(), QLabel()
        self.remaining = QLabel()
        layout = QVBoxLayout(self)
        for title, label in ((_tr("Just called"), self.called), (_tr("Next"), self.upcoming),
                             (_tr("Passed list (absent)"), self.passed)):
            head = QLabel(title)
            head.setStyleSheet("font-weight: bold")
            layout.addWidget(head)
            layout.addWidget(label)
        layout.addWidget(self.remaining)
        layout.addStretch(1)

    def refresh(self, commission_id) -> None:
        if commission_id is None:
            return
        self.show_state(queue.queue_state(self.ctx.db, commission_id=commission_id, shown=10))

    def show_state(self, state) -> None:
        self.called.setText(_names(state.called, True))
        self.upcoming.setText(_names(state.upcoming, False))
        self.passed.setText(_names(state.passed, True))
        self.remaining.setText(_tr("{n} still waiting to be called").format(n=state.remaining))
