"""叫号大屏 — a second window for a big screen: the numbers being called and the next ones, read out loud
when offline speech is available (QtTextToSpeech)."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.services.selection import queue

REFRESH_MS = 1000


def _tr(text: str) -> str:
    return QCoreApplication.translate("CallScreen", text)


def masked_name(name: str) -> str:
    """张* / 欧阳** — enough for the buyer to recognise, not for the room to read the list."""
    return name[:1] + "*" * (len(name) - 1) if len(name) > 1 else name


def _speaker():
    from ui import speech  # the engine that speaks without extra Qt modules; None shows the numbers only

    return speech.speaker()


class CallScreen(QWidget):
    def __init__(self, ctx, commission_id, title: str, *, speak: bool = True, parent=None):
        super().__init__(parent, Qt.WindowType.Window)
        self.ctx, self.commission_id = ctx, commission_id
        self.setWindowTitle(_tr("Queue — {title}").format(title=title))
        self.setStyleSheet("background: #0b2545; color: white;")
        self.heading = QLabel(title)
        self.now = QLabel()
        self.recent = QLabel()
        self.next = QLabel()
        for label, size in ((self.heading, 28), (self.now, 64), (self.recent, 26), (self.next, 30)):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
            label.setStyleSheet(f"font-size: {size}px; font-weight: {'bold' if size > 40 else 'normal'};")
        self.now.setStyleSheet(self.now.styleSheet() + "color: #ffd166;")
        layout = QVBoxLayout(self)
        for w in (self.heading, self.now, self.recent, self.next):
            layout.addWidget(w)
        self.speaker = _speaker() if speak else None
        self.last_spoken = None
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.refresh)
        self.timer.start(REFRESH_MS)
        self.resize(1280, 720)
        self.refresh()

    def refresh(self) -> None:
        """Read the queue off the GUI thread; the screen updates when the answer arrives."""
        self.ctx.tasks.run(lambda: queue.queue_state(self.ctx.db, commission_id=self.commission_id), self._show)

    def _show(self, state) -> None:
        if state.called:
            c = state.called[0]
            self.now.setText(_tr("Number {order} {name}, please go to {desk}").format(
                order=c.order, name=masked_name(c.name), desk=c.desk))
            self._say(c)
        else:
            self.now.setText(_tr("Waiting for the first call"))
        self.recent.setText(_tr("Called: {list}").format(
            list="  ".join(f"{c.order}号→{c.desk}" for c in state.called[1:]) or "—"))
        self.next.setText(_tr("Next: {list}   ({n} waiting)").format(
            list="  ".join(str(c.order) for c in state.upcoming) or "—", n=state.remaining))

    def _say(self, c) -> None:
        if self.speaker is None or c.buyer_id == self.last_spoken:
            return
        self.last_spoken = c.buyer_id
        self.speaker.say(f"请 {c.order} 号 到 {c.desk} 选房")
