"""One helper for work off the GUI thread: results and errors come back on the GUI thread.

Tests switch it to synchronous mode (run inline) so they need no waiting.
"""
from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives in the GUI thread; the worker emits, Qt queues the call here."""

    done = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int)

    def __init__(self, on_done, on_error, on_progress, forget):
        super().__init__()
        self._on_done, self._on_error, self._on_progress, self._forget = on_done, on_error, on_progress, forget
        self.done.connect(self._deliver_done)
        self.failed.connect(self._deliver_error)
        self.progress.connect(self._deliver_progress)

    @Slot(object)
    def _deliver_done(self, result):
        self._forget(self)
        if self._on_done:
            self._on_done(result)

    @Slot(object)
    def _deliver_error(self, exc):
        self._forget(self)
        if self._on_error:
            self._on_error(exc)
        else:
            log.error("background task failed: %s", getattr(exc, "kedesk_traceback", exc))

    @Slot(int, int)
    def _deliver_progress(self, done, total):
        if self._on_progress:
            self._on_progress(done, total)


class _Job(QRunnable):
    def __init__(self, work: Callable[..., Any], relay: _Relay, with_progress: bool):
        super().__init__()
        self.work, self.relay, self.with_progress = work, relay, with_progress

    def run(self) -> None:
        try:
            result = self.work(self.relay.progress.emit) if self.with_progress else self.work()
        except Exception as exc:  # delivered to the GUI thread; nothing is swallowed
            exc.kedesk_traceback = traceback.format_exc()
            self.relay.failed.emit(exc)
        else:
            self.relay.done.emit(result)


class TaskRunner(QObject):
    """run(work, on_done, on_error, on_progress): work runs in the pool; callbacks on the GUI thread.

    With on_progress, work is called with one argument: report(done, total).
    """

    synchronous = False  # tests set True

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.pool = QThreadPool.globalInstance()
        self._live: set[_Relay] = set()

    def run(self, work: Callable[..., Any], on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[Exception], None] | None = None,
            on_progress: Callable[[int, int], None] | None = None) -> None:
        relay = _Relay(on_done, on_error, on_progress, self._live.discard)
        self._live.add(relay)
        job = _Job(work, relay, on_progress is not None)
        if self.synchronous:
            job.run()
        else:
            self.pool.start(job)

    def wait(self, msecs: int = 30000) -> bool:
        return self.pool.waitForDone(msecs)
