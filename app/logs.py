"""The log a support person reads (运行日志): one rotating file in the per-user data folder.

- `kedesk.log` (rotated at 2 MB, five old files kept) in `<data dir>/logs`: every write transaction and every
  refusal at INFO with the acting user's login name: table names and counts, never customer data (names,
  phone numbers, amounts only at DEBUG: set KEDESK_LOG_LEVEL=DEBUG for that).
- `native-crash.log` beside it: Python's faulthandler writes the stack of every thread there when the
  process dies in native code (a Qt or driver crash that no Python handler sees). The next start copies
  that trace into kedesk.log, so the one file tells the whole story.
"""
from __future__ import annotations

import faulthandler
import logging
import os
import sys
import threading
from logging.handlers import RotatingFileHandler
from pathlib import Path

from app.config import data_dir

LOG_FILE = "kedesk.log"
NATIVE_CRASH_FILE = "native-crash.log"
MAX_BYTES = 2 * 1024 * 1024
BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)s [%(threadName)s] %(name)s: %(message)s"

log = logging.getLogger("kedesk")
_acting = threading.local()
_desk_user = ""  # who logged in at this desk: the fallback when a thread has checked no permission yet
_crash_file = None  # kept open: faulthandler writes to its descriptor when the process dies


def log_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_path() -> Path:
    return log_dir() / LOG_FILE


def set_desk_user(username: str) -> None:
    """The login at this desk (the window's user, or the command line's --user)."""
    global _desk_user
    _desk_user = username
    log.info("user %s logged in", username or "?")


def acting(username: str) -> None:
    """Mark the user a service is working for on this thread (called when a permission is checked)."""
    _acting.username = username


def current_user() -> str:
    return getattr(_acting, "username", "") or _desk_user or "?"


class _KeDeskHandler(RotatingFileHandler):
    """Marks the handler setup() installed, so a second setup() replaces it instead of adding another."""


def setup(*, console: bool = False, native_crashes: bool = False) -> Path:
    """Log to the rotating file (and stderr from WARNING when console); returns the log file's path."""
    path = log_path()
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _KeDeskHandler)]:
        root.removeHandler(handler)
        handler.close()
    handler = _KeDeskHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    if console and not any(type(h) is logging.StreamHandler for h in root.handlers):
        stream = logging.StreamHandler()
        stream.setLevel(logging.WARNING)
        stream.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(stream)
    root.setLevel(os.environ.get("KEDESK_LOG_LEVEL", "INFO").upper())
    logging.captureWarnings(True)
    threading.excepthook = _thread_exception
    if native_crashes:
        _adopt_previous_native_crash()
        _enable_faulthandler()
    return path


def _thread_exception(args) -> None:
    log.error("unhandled error in thread %s", getattr(args.thread, "name", "?"),
              exc_info=(args.exc_type, args.exc_value, args.exc_traceback))


def _enable_faulthandler() -> None:
    global _crash_file
    if _crash_file is not None:
        _crash_file.close()
    _crash_file = open(log_dir() / NATIVE_CRASH_FILE, "a", encoding="utf-8")  # noqa: SIM115 (kept open)
    faulthandler.enable(file=_crash_file, all_threads=True)


def _adopt_previous_native_crash() -> None:
    """A trace the last run left in native-crash.log goes into kedesk.log; the file starts empty again."""
    crash = log_dir() / NATIVE_CRASH_FILE
    try:
        trace = crash.read_text(encoding="utf-8", errors="replace").strip()
    except FileNotFoundError:
        return
    if trace:
        log.error("the previous run ended in a native crash (native-crash.log):\n%s", trace)
        crash.with_suffix(".previous.log").write_text(trace + "\n", encoding="utf-8")
        crash.write_text("", encoding="utf-8")


def refused(exc: BaseException) -> None:
    """A refusal (UserError, PermissionDenied) at INFO: its kind, where and for whom; its text at DEBUG
    because it may name a customer."""
    chain = []  # the app's own frames, innermost first: where it was refused, and the service asked
    frame = sys._getframe(1)
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if module.startswith(("app.", "ui.")) and module not in ("app.errors", __name__) \
                and frame.f_code.co_name != "__init__":
            chain.append(f"{module}.{frame.f_code.co_name}")
        frame = frame.f_back
    services = [c for c in chain if c.startswith("app.services.")]
    where = chain[0] if chain else "?"
    if services and services[-1] != where:
        where += f" (from {services[-1]})"
    log.info("refused %s in %s for %s", type(exc).__name__, where, current_user())
    log.debug("refusal text: %s", exc)
