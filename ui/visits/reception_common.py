"""Pieces the reception panels share: a date-time editor, UTC conversion, list colours, showing refusals.

Times are typed and shown in the business's zone (setting visits.timezone, `zone(ctx)`), not the desk
computer's: a PC left on UTC still shows and takes Beijing times."""
from __future__ import annotations

from datetime import UTC, datetime, tzinfo

from PySide6.QtCore import QDateTime
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateTimeEdit,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from app.errors import UserError, ValidationFailed
from app.services import customer_search
from app.services.visits import calendar_zone
from ui.widgets import ERROR_STYLE, confirm_buttons

OVERDUE = QColor("#fde2e2")  # red: overdue, not reimbursed, refused
PENDING = QColor("#fff4e5")  # orange: waiting for someone
DONE = QColor("#e8f5e9")  # green: approved / closed


def zone(ctx) -> tzinfo:
    """The business's time zone (setting visits.timezone)."""
    return calendar_zone(ctx.db)


def datetime_edit(tz: tzinfo, value: datetime | None = None) -> QDateTimeEdit:
    """An editor showing `value` (default: now) as wall time in `tz`."""
    edit = QDateTimeEdit()
    edit.setDisplayFormat("yyyy-MM-dd HH:mm")
    edit.setCalendarPopup(True)
    shown = (value or datetime.now(UTC)).astimezone(tz).replace(tzinfo=None)
    edit.setDateTime(QDateTime(shown))
    return edit


def aware(edit: QDateTimeEdit, tz: tzinfo) -> datetime:
    """The typed wall time in `tz` as a UTC-aware datetime."""
    return edit.dateTime().toPython().replace(tzinfo=tz).astimezone(UTC)


def local(dt: datetime | None, tz: tzinfo) -> str:
    return dt.astimezone(tz).strftime("%Y-%m-%d %H:%M") if dt else ""


def table(headers: list[str]) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    t.horizontalHeader().setStretchLastSection(True)
    t.verticalHeader().hide()
    t.setAlternatingRowColors(False)
    return t


def list_panel(panel, prefix: str, actions, columns: list[str], *, before=(), after=()) -> None:
    """The reception panels' shape: a bar of buttons (key, text, slot) between optional widgets, the list, a
    summary line and an error line. Sets panel.buttons, panel.table, panel.summary and panel.error."""
    from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout

    from ui.widgets import error_label

    panel.buttons = {}
    bar = QHBoxLayout()
    for w in before:
        bar.addWidget(w)
    for key, text, slot in actions:
        b = QPushButton(text)
        b.setObjectName(f"{prefix}_{key}")
        b.clicked.connect(slot)
        panel.buttons[key] = b
        bar.addWidget(b)
    for w in after:
        bar.addWidget(w)
    bar.addStretch()
    panel.table = table(columns)
    panel.table.setObjectName(f"{prefix}_table")
    panel.summary = QLabel()
    panel.error = error_label()
    layout = QVBoxLayout(panel)
    layout.addLayout(bar)
    layout.addWidget(panel.table, 1)
    layout.addWidget(panel.summary)
    layout.addWidget(panel.error)


def fill_row(t: QTableWidget, i: int, values: list[str], key, colour: QColor | None) -> None:
    for j, text in enumerate(values):
        item = QTableWidgetItem(text)
        if j == 0:
            item.setData(256, key)  # Qt.UserRole: the row's id
        if colour is not None:
            item.setBackground(colour)
        t.setItem(i, j, item)


def selected_key(t: QTableWidget):
    rows = t.selectionModel().selectedRows()
    if not rows:
        return None
    item = t.item(rows[0].row(), 0)
    return item.data(256) if item else None


def show_refusal(exc: UserError, fields: dict, message) -> None:
    """Field errors under their fields, anything else in the message label; nothing typed is touched."""
    for box in fields.values():
        box.set_error(None)
    if isinstance(exc, ValidationFailed):
        rest = []
        for key, text in exc.errors.items():
            if key in fields:
                fields[key].set_error(text)
            else:
                rest.append(text)
        message.setText(";".join(rest))
    else:
        message.setText(exc.message)


def form_dialog(dialog, form, submit, *, save: bool = False) -> QLabel:
    """Lay a reception dialog out: its form, then the red line where a refusal is explained, then OK/Cancel
    (Save/Cancel) calling `submit`. Returns that line."""
    message = QLabel()
    message.setWordWrap(True)
    message.setStyleSheet(ERROR_STYLE)
    layout = QVBoxLayout(dialog)
    layout.addLayout(form)
    layout.addStretch()
    layout.addWidget(message)
    layout.addWidget(confirm_buttons(dialog, submit, save=save))
    return message


def find_customers(dialog, box, text: str, none_label: str) -> None:
    """Fill a dialog's customer box with the first page of customers the user may read that match `text`
    (the first one chosen), after a "not a customer on file" entry; a refusal shows in the dialog's message."""
    box.clear()
    box.addItem(none_label, "")
    try:
        page = customer_search.search_page(dialog.ctx.db, customer_search.CustomerFilter(text=text),
                                           page=20, user=dialog.ctx.principal)
    except UserError as exc:
        dialog.message.setText(exc.message)
        return
    for row in page.rows:
        box.addItem(f"{row.name}  {row.code}", str(row.id))
    if box.count() > 1:
        box.setCurrentIndex(1)
