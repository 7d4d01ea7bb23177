"""Qt's own messages (warnings about fonts, plugins, printers) go into the log file, not a lost console."""
from __future__ import annotations

import logging

from PySide6.QtCore import QtMsgType, qInstallMessageHandler

log = logging.getLogger("kedesk.qt")
_LEVELS = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
           QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
           QtMsgType.QtFatalMsg: logging.CRITICAL}


def _handle(kind, context, message) -> None:
    try:
        where = f" ({context.category})" if context.category and context.category != "default" else ""
        log.log(_LEVELS.get(kind, logging.WARNING), "%s%s", message, where)
    except Exception:  # noqa: BLE001 — a message handler must never raise into Qt
        pass


def install() -> None:
    qInstallMessageHandler(_handle)
