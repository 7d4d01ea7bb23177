"""One helper for work off the GUI thread: results and errors come back on the GUI thread.

A long job takes a CancelToken: the GUI thread sets it (a Cancel button, closing the window), the worker
reads it between chunks. The worker never touches a widget (a QProgressDialog's wasCanceled read from a
pool thread is a data race Qt does not allow). Tests switch the runner to synchronous mode (run inline).
"""
from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


class CancelToken:
    """Cancel a long job: set on the GUI thread, read by the worker (thread-safe, no widget involved).

    Calling the token answers "cancelled?", so it can be passed where services take `cancelled=`.
    """

    def __init__(self):
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def __call__(self) -> bool:
        return self._event.is_set()


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
    def __init__(self, work: Callable[..., Any], relay: _Relay, with_progress: bool, token: CancelToken | None):
        super().__init__()
        self.work, self.relay, self.with_progress, self.token = work, relay, with_progress, token

    def run(self) -> None:
        args = (self.relay.progress.emit,) if self.with_progress else ()
        kwargs = {"cancelled": self.token} if self.token is not None else {}
        try:
            result = self.work(*args, **kwargs)
        except Exception as exc:  # delivered to the GUI thread; nothing is swallowed
            exc.kedesk_traceback = traceback.format_exc()
            self.relay.failed.emit(exc)
        else:
            self.relay.done.emit(result)


class TaskRunner(QObject):
    """run(work, on_done, on_error, on_progress, cancel=token): work runs in the pool; callbacks on the GUI thread.

    With on_progress, work is called with one argument: report(done, total). With a cancel token, work is
    also called with cancelled=token and should stop soon after the token is set. cancel_all() sets every
    running job's token (the window closes).
    """

    synchronous = False  # tests set True

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.pool = QThreadPool.globalInstance()
        self._live: set[_Relay] = set()
        self._tokens: dict[_Relay, CancelToken] = {}

    def run(self, work: Callable[..., Any], on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[Exception], None] | None = None,
            on_progress: Callable[[int, int], None] | None = None, *,
            cancel: CancelToken | None = None) -> CancelToken | None:
        relay = _Relay(on_done, on_error, on_progress, self._forget)
        self._live.add(relay)
        if cancel is not None:
            self._tokens[relay] = cancel
        job = _Job(work, relay, on_progress is not None, cancel)
        if self.synchronous:
            job.run()
        else:
            self.pool.start(job)
        return cancel

    def _forget(self, relay: _Relay) -> None:
        self._live.discard(relay)
        self._tokens.pop(relay, None)

    def cancel_all(self) -> None:
        for token in list(self._tokens.values()):
            token.cancel()

    def wait(self, msecs: int = 30000) -> bool:
        return self.pool.waitForDone(msecs)
