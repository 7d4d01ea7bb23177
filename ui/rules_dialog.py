"""Business rules (业务规则): every number of the regulations, shown with its default and editable.

A hundred-odd rules, so they are grouped by subject into pages, each scrolling on its own; saving
refuses bad values in place and opens the page of the first one.
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import settings
from app.errors import UserError
from ui.context import DeskContext
from ui.tr import N_
from ui.widgets import FieldBox, confirm_buttons


def _tr(text: str) -> str:
    return QCoreApplication.translate("RulesDialog", text)


# pages by the first part of a rule's key; anything new and unlisted lands on "Other"
PAGES = (
    (N_("Customer archive"), ("reverify", "size", "important", "customer", "borrow")),
    (N_("Grading"), ("grading", "credit", "policy", "advance", "evaluation", "key_customers",
                                    "payment")),
    (N_("Visits and routes"), ("visits", "routes")),
    (N_("Reception"), ("meals", "tours", "complaints")),
    (N_("House selection"), ("selection",)),
    (N_("Security and backups"), ("security", "backup")),
)


def page_of(key: str) -> int:
    prefix = key.split(".", 1)[0]
    return next((i for i, (_t, prefixes) in enumerate(PAGES) if prefix in prefixes), len(PAGES))


class RulesDialog(QDialog):
    """Shared by all desks: the values live in the database, not on this computer."""

    def __init__(self, ctx: DeskContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_tr("Business rules"))
        self.resize(820, 640)
        self.boxes: dict[str, FieldBox] = {}
        values = settings.get_all(ctx.db)
        self.loaded = dict(values)  # what this window shows: saving compares against it (已被他人修改)
        outer = QVBoxLayout(self)
        outer.addWidget(QLabel(_tr("Defaults follow the regulations; changes apply to every desk.")))
        self.pages = QTabWidget()
        forms = []
        for title in [t for t, _p in PAGES] + [N_("Other")]:
            inner = QWidget()
            forms.append(QFormLayout(inner))
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setWidget(inner)
            self.pages.addTab(scroll, _tr(title))
        for key, option in settings.OPTIONS.items():
            box = FieldBox(QLineEdit(str(values[key])))
            box.editor.setObjectName(f"rule_{key}")
            box.editor.setToolTip(_tr("Default: {value}").format(value=option.default))
            self.boxes[key] = box
            forms[page_of(key)].addRow(option.label, box)
        for i in reversed(range(len(forms))):
            if forms[i].rowCount() == 0:
                self.pages.removeTab(i)  # no rules of that subject (yet)
        outer.addWidget(self.pages, 1)
        outer.addWidget(confirm_buttons(self, self.save, save=True))

    def save(self) -> None:
        parsed, first_bad = {}, None
        for key, box in self.boxes.items():
            try:
                parsed[key] = settings.parse(key, box.value())
                box.set_error(None)
            except ValueError as exc:
                box.set_error(str(exc))
                first_bad = first_bad or box
        if first_bad is not None:
            self._reveal(first_bad)
            return
        try:
            settings.put_many(self.ctx.db, parsed, expected=self.loaded)
        except UserError as exc:  # another desk changed a rule meanwhile: what was typed stays in the window
            QMessageBox.warning(self, self.windowTitle(), exc.message)
            return
        self.accept()

    def _reveal(self, box: FieldBox) -> None:
        for i in range(self.pages.count()):
            scroll = self.pages.widget(i)
            if scroll.widget().isAncestorOf(box):
                self.pages.setCurrentIndex(i)
                scroll.ensureWidgetVisible(box)
                box.editor.setFocus()
                return
