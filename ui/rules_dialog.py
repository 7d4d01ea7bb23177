"""Business rules (业务规则): every number of the regulations, shown with its default and editable."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit

from app import settings
from ui.context import DeskContext
from ui.widgets import FieldBox, confirm_buttons


def _tr(text: str) -> str:
    return QCoreApplication.translate("RulesDialog", text)


class RulesDialog(QDialog):
    """Shared by all desks: the values live in the database, not on this computer."""

    def __init__(self, ctx: DeskContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_tr("Business rules"))
        self.boxes: dict[str, FieldBox] = {}
        values = settings.get_all(ctx.db)
        form = QFormLayout(self)
        form.addRow(QLabel(_tr("Defaults follow the regulations; changes apply to every desk.")))
        for key, option in settings.OPTIONS.items():
            box = FieldBox(QLineEdit(str(values[key])))
            box.editor.setObjectName(f"rule_{key}")
            box.editor.setToolTip(_tr("Default: {value}").format(value=option.default))
            self.boxes[key] = box
            form.addRow(option.label, box)
        buttons = confirm_buttons(self, self.save, save=True)
        form.addRow(buttons)

    def save(self) -> None:
        parsed, bad = {}, False
        for key, box in self.boxes.items():
            try:
                parsed[key] = settings.parse(key, box.value())
                box.set_error(None)
            except ValueError as exc:
                box.set_error(str(exc))
                bad = True
        if bad:
            return
        for key, value in parsed.items():
            settings.put(self.ctx.db, key, value)
        self.accept()


