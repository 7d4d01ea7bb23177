"""Archive sections (客户档案): contracts, receivables, complaints/concessions, contact log, in date order."""
from __future__ import annotations

import uuid
from datetime import date

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain import vocab
from app.errors import UserError, ValidationFailed
from app.services import archive
from ui import vocab as vlabels
from ui.context import DeskContext
from ui.customers.hint_table import HintTable
from ui.tr import N_
from ui.widgets import FieldBox, combo, confirm_buttons, date_edit, format_value, read_date

COLUMNS = (N_("Date"), N_("Section"), N_("Kind"), N_("Subject"), N_("Amount"), N_("Due"), N_("Reference"),
           N_("Recorded by"))


def _tr(text: str) -> str:
    return QCoreApplication.translate("ArchivePanel", text)


class ArchiveEntryDialog(QDialog):
    """Add an archive entry; errors show under each field and nothing typed is lost."""

    def __init__(self, ctx: DeskContext, customer_id: uuid.UUID, section: str | None, parent=None):
        super().__init__(parent)
        self.ctx, self.customer_id = ctx, customer_id
        self.setWindowTitle(_tr("New archive entry"))
        self.section = FieldBox(combo(vlabels.choices(vocab.ARCHIVE_SECTION)))
        self.kind = FieldBox(combo([]))
        self.entry_date = FieldBox(date_edit())
        self.entry_date.editor.setText(date.today().isoformat())
        self.subject = FieldBox(QLineEdit())
        self.amount = FieldBox(QLineEdit())
        self.amount.editor.setPlaceholderText(_tr("e.g. 500万 or 5000000"))
        self.due_date = FieldBox(date_edit())
        self.reference = FieldBox(QLineEdit())
        self.content = FieldBox(QPlainTextEdit())
        self.boxes = {"section": self.section, "kind": self.kind, "entry_date": self.entry_date,
                      "subject": self.subject, "amount": self.amount, "due_date": self.due_date,
                      "reference": self.reference, "content": self.content}
        form = QFormLayout(self)
        for key, text in (("section", N_("Section")), ("kind", N_("Kind")), ("entry_date", N_("Date")),
                          ("subject", N_("Subject")), ("amount", N_("Amount (yuan)")), ("due_date", N_("Due date")),
                          ("reference", N_("Reference no.")), ("content", N_("Details"))):
            form.addRow(_tr(text), self.boxes[key])
        buttons = confirm_buttons(self, self.save, save=True)
        form.addRow(buttons)
        self.section.editor.currentIndexChanged.connect(self._kinds)
        if section:
            self.section.set_value(section)
        self._kinds()

    def _kinds(self) -> None:
        box = self.kind.editor
        box.clear()
        for code, text in vlabels.choices(vocab.ARCHIVE_KIND[self.section.value()]):
            box.addItem(text, code)

    def save(self) -> None:
        values = {k: b.value() for k, b in self.boxes.items()}
        errors = {}
        for key in ("entry_date", "due_date"):
            values[key], ok = read_date(values[key])
            if not ok:
                errors[key] = _tr("Dates are written like 2026-11-25")
        if not values["amount"]:
            values["amount"] = None
        try:
            if errors:
                raise ValidationFailed(errors)
            archive.add_entry(self.ctx.db, actor=self.ctx.actor, customer_id=self.customer_id, values=values,
                              user=self.ctx.user)
        except ValidationFailed as exc:
            for key, box in self.boxes.items():
                box.set_error(exc.errors.get(key))
            return
        except UserError as exc:
            QMessageBox.warning(self, self.windowTitle(), exc.message)
            return
        self.accept()


class ArchivePanel(QWidget):
    changed = Signal()

    def __init__(self, ctx: DeskContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.customer_id: uuid.UUID | None = None
        self.section = combo(vlabels.choices(vocab.ARCHIVE_SECTION), blank=_tr("All sections"))
        self.section.currentIndexChanged.connect(self.reload)
        self.add_button = QPushButton(_tr("Add entry…"))
        self.add_button.clicked.connect(self.add_entry)
        bar = QHBoxLayout()
        bar.addWidget(self.section)
        bar.addStretch()
        bar.addWidget(self.add_button)
        self.table = HintTable(0, len(COLUMNS), _tr("No entries in this section yet: record contracts, "
                                                   "receivables, complaints and contacts with “Add entry…”."))
        self.table.setHorizontalHeaderLabels([_tr(c) for c in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)  # the subject takes the room
        self.table.verticalHeader().hide()
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table)

    def set_editable(self, editable: bool) -> None:
        self.add_button.setEnabled(editable)  # without customer.edit the archive is read, not added to

    def load(self, customer_id: uuid.UUID | None) -> None:
        self.customer_id = customer_id
        self.setEnabled(customer_id is not None)
        self.reload()

    def reload(self) -> None:
        rows = archive.entries(self.ctx.db, customer_id=self.customer_id, user=self.ctx.user,
                               section=self.section.currentData() or None) if self.customer_id else []
        self.table.setRowCount(len(rows))
        for i, e in enumerate(rows):
            texts = (format_value(e.entry_date), vlabels.label(vocab.ARCHIVE_SECTION, e.section),
                     vlabels.label(vocab.ARCHIVE_KIND[e.section], e.kind), e.subject, format_value(e.amount),
                     format_value(e.due_date), e.reference, e.recorded_by)
            for j, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if j == 3 and e.content:
                    item.setToolTip(e.content)
                self.table.setItem(i, j, item)

    def add_entry(self) -> None:
        if self.customer_id is None:
            return
        dialog = ArchiveEntryDialog(self.ctx, self.customer_id, self.section.currentData() or None, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.reload()
            self.changed.emit()
