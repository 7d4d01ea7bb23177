"""Shared pieces of the event set-up window: the in-place message line, number parsing, table views."""
from __future__ import annotations

import logging
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QLabel

from app.errors import UserError, ValidationFailed
from ui.admin.rows_model import RowsModel, local_time  # noqa: F401 (re-exported for the tabs)
from ui.admin.rows_model import table as _table
from ui.widgets import ERROR_STYLE, FieldBox

log = logging.getLogger(__name__)
GREEN = QBrush(QColor("#1b7a2f"))
ORANGE = QBrush(QColor("#c25e00"))
BLUE = QBrush(QColor("#1f5fbf"))


def _tr(text: str) -> str:
    return QCoreApplication.translate("EventSetup", text)


class Message(QLabel):
    """One line under a form: red for a refusal (the typed values stay), plain for what was done."""

    def __init__(self, name: str):
        super().__init__()
        self.setObjectName(name)
        self.setWordWrap(True)

    def error(self, text: str) -> None:
        self.setStyleSheet(ERROR_STYLE.replace("font-size: 11px;", ""))
        self.setText(text)

    def done(self, text: str) -> None:
        self.setStyleSheet("color: #1b7a2f;")
        self.setText(text)


def show_refusal(exc: Exception, message: Message, boxes: dict[str, FieldBox] | None = None) -> None:
    """A service refusal in place: field errors under their fields, the rest on the message line."""
    boxes = boxes or {}
    for box in boxes.values():
        box.set_error(None)
    if isinstance(exc, ValidationFailed):
        rest = [text for field, text in exc.errors.items() if field not in boxes]
        for field, text in exc.errors.items():
            if field in boxes:
                boxes[field].set_error(text)
        message.error(";".join(rest) if rest else _tr("Please correct the marked fields."))
    elif isinstance(exc, UserError):
        message.error(exc.message)
    else:
        raise exc


def show_failure(exc: Exception, message: Message) -> None:
    """A background task's error: a refusal as it is; anything else logged and said plainly, not swallowed."""
    if isinstance(exc, UserError):
        show_refusal(exc, message)
        return
    log.error("event set-up task failed: %s", getattr(exc, "kedesk_traceback", exc))
    message.error(_tr("The import failed and nothing was imported: {error}").format(error=exc))


def decimal_of(text: str, field: str, what: str) -> Decimal:
    """A typed amount as Decimal (commas and spaces allowed); ValidationFailed names the field."""
    cleaned = text.replace(",", "").replace(",", "").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationFailed({field: f"{what}应为数字,例如 6000"}) from None
    if not value.is_finite():
        raise ValidationFailed({field: f"{what}应为数字,例如 6000"})
    return value


def money(value) -> str:
    return "" if value is None else f"{value:,.2f}"


def table(model):
    """A read-only list with compact rows, so a whole approval chain or a floor fits without scrolling."""
    view = _table(model)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    return view


def multi_table(model):
    """A table where several rows can be chosen with Ctrl/Shift (release, eligibility review)."""
    view = table(model)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    return view


def selected_items(view, model) -> list:
    return [model.item(i.row()) for i in view.selectionModel().selectedRows()]
