"""Small shared widgets: a form field with its in-place error message, a date line edit."""
from __future__ import annotations

import uuid
from datetime import date

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from app.domain.validation import parse_date

ERROR_STYLE = "color: #b00020; font-size: 11px;"
INVALID_PROPERTY = "invalid"


class FieldBox(QWidget):
    """An input with a red message under it; the message shows only while there is an error."""

    def __init__(self, editor: QWidget, parent=None):
        super().__init__(parent)
        self.editor = editor
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(editor)
        layout.addWidget(self.error)

    def set_error(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))
        self.editor.setProperty(INVALID_PROPERTY, bool(message))
        self.editor.setStyleSheet("border: 1px solid #b00020;" if message else "")

    # uniform access to the value whatever the editor is
    def value(self):
        e = self.editor
        if isinstance(e, QComboBox):
            return e.currentData()
        if isinstance(e, QPlainTextEdit):
            return e.toPlainText()
        return e.text()

    def set_value(self, value) -> None:
        e = self.editor
        if isinstance(e, QComboBox):
            if isinstance(value, uuid.UUID):
                value = str(value)  # combos hold ids as text: QVariant compares strings reliably
            i = e.findData(value if value is not None else "")
            e.setCurrentIndex(max(i, 0))
        elif isinstance(e, QPlainTextEdit):
            e.setPlainText("" if value is None else str(value))
        else:
            e.setText(format_value(value))


def password_box() -> FieldBox:
    """A password field with room for its in-place message."""
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return FieldBox(edit)


def error_label() -> QLabel:
    """The red, wrapping line where a refusal is shown in place."""
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    return label


def format_value(value) -> str:
    from decimal import Decimal

    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def combo(items: list[tuple[object, str]], blank: str | None = None) -> QComboBox:
    box = QComboBox()
    if blank is not None:
        box.addItem(blank, "")
    for data, text in items:
        box.addItem(text, data)
    return box


def date_edit(placeholder: str = "2026-11-25") -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    edit.setMaxLength(10)
    return edit


def read_date(text: str) -> tuple[date | None, bool]:
    """(value, ok) for a typed date; ok False means the text is not a date."""
    try:
        return parse_date(text), True
    except ValueError:
        return None, False


def confirm_buttons(dialog, on_ok, *, save: bool = False):
    """The OK/Save + Cancel row every form dialog ends with; OK runs on_ok, which accepts when valid."""
    from PySide6.QtWidgets import QDialogButtonBox

    ok = QDialogButtonBox.StandardButton.Save if save else QDialogButtonBox.StandardButton.Ok
    buttons = QDialogButtonBox(ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(on_ok)
    buttons.rejected.connect(dialog.reject)
    return buttons


def side_by_side(owner: QWidget, left: QWidget, right: QWidget, stretch: tuple[int, int]) -> None:
    """Fill owner with a horizontal splitter of two panes in the given proportion."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QSplitter

    split = QSplitter(Qt.Orientation.Horizontal)
    split.addWidget(left)
    split.addWidget(right)
    split.setStretchFactor(0, stretch[0])
    split.setStretchFactor(1, stretch[1])
    QVBoxLayout(owner).addWidget(split)
