"""Read log viewer (借阅记录): every reading, permitted or refused, newest first, filtered and exported."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from app.errors import UserError
from app.services import access, read_log_export
from app.services.access import ReadLogFilter
from ui.admin.rows_model import RED, RowsModel, table
from ui.context import DeskContext
from ui.widgets import ERROR_STYLE, FieldBox, combo, date_edit, read_date


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReadLogDialog", text)


class ReadLogDialog(QDialog):
    def __init__(self, ctx: DeskContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_tr("Read log"))
        self.resize(1100, 640)
        self.date_from, self.date_to = FieldBox(date_edit()), FieldBox(date_edit())
        for box in (self.date_from, self.date_to):
            box.editor.setMaximumWidth(140)
        self.user = QLineEdit()
        self.user.setPlaceholderText(_tr("User name or name"))
        self.customer = QLineEdit()
        self.customer.setPlaceholderText(_tr("Part of the customer name"))
        self.result = combo([(None, _tr("All")), (True, _tr("Permitted")), (False, _tr("Refused"))])
        self.action = combo([("", _tr("All")), ("open", _tr("Open")), ("print", _tr("Print")),
                             ("edit", _tr("Edit")), ("export", _tr("Export"))])
        search = QPushButton(_tr("Search"))
        search.setDefault(True)
        search.clicked.connect(self.reload)
        export = QPushButton(_tr("Export to Excel…"))
        export.clicked.connect(self.ask_export)
        for edit in (self.user, self.customer, self.date_from.editor, self.date_to.editor):
            edit.returnPressed.connect(self.reload)
        self.model = RowsModel(
            [_tr("Time"), _tr("User name"), _tr("Name"), _tr("Action"), _tr("Customer"), _tr("Level"),
             _tr("Result"), _tr("Note")], read_log_export.as_cells, lambda r: None if r.allowed else RED)
        self.view = table(self.model)
        self.count = QLabel()
        self.message = QLabel()
        self.message.setWordWrap(True)
        left, right = QFormLayout(), QFormLayout()
        left.addRow(_tr("From"), self.date_from)
        left.addRow(_tr("To"), self.date_to)
        left.addRow(_tr("User"), self.user)
        right.addRow(_tr("Customer"), self.customer)
        right.addRow(_tr("Result"), self.result)
        right.addRow(_tr("Action"), self.action)
        filters = QHBoxLayout()
        filters.addLayout(left)
        filters.addLayout(right)
        buttons = QVBoxLayout()
        buttons.addWidget(search)
        buttons.addWidget(export)
        buttons.addStretch()
        filters.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.message)
        self.reload()

    def current_filter(self) -> ReadLogFilter | None:
        """The typed filter, or None (with the message under the date) while a date is not a date."""
        days, ok = {}, True
        for key, box in (("date_from", self.date_from), ("date_to", self.date_to)):
            days[key], valid = read_date(box.value())
            box.set_error(None if valid else _tr("Type a date like 2026-11-25"))
            ok = ok and valid
        if not ok:
            return None
        return ReadLogFilter(date_from=days["date_from"], date_to=days["date_to"], user=self.user.text(),
                             customer=self.customer.text(), allowed=self.result.currentData(),
                             action=self.action.currentData() or "")

    def reload(self) -> None:
        flt = self.current_filter()
        if flt is None:
            return
        try:
            rows = access.read_log(self.ctx.db, user=self.ctx.user, flt=flt)
        except UserError as exc:
            self.say(exc.message, error=True)
            return
        self.model.set_items(rows)
        self.count.setText(_tr("{n} entries").format(n=len(rows)))

    def say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.setText(text)

    def ask_export(self) -> None:
        default = f"借阅记录-{date.today().isoformat()}.xlsx"
        path, _ = QFileDialog.getSaveFileName(self, _tr("Export read log"), default,
                                              _tr("Excel workbooks (*.xlsx)"))
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        flt = self.current_filter()
        if flt is None:
            return
        try:
            count = read_log_export.export_read_log(self.ctx.db, user=self.ctx.user, path=path, flt=flt)
        except UserError as exc:
            self.say(exc.message, error=True)
            return
        self.say(_tr("Exported {n} entries to {path}").format(n=count, path=path))
        self.reload()  # the export itself is now in the log
