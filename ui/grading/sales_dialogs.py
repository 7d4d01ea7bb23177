"""Sales and payment records typed in by hand, and the Excel import of sales (销售与回款).

Records are facts and are never edited: a wrong figure is corrected by a new record with the difference
(a negative amount, 负数冲减); the dialogs say so. Refusals show under the field concerned and nothing typed
is lost."""
from __future__ import annotations

import shutil
import threading
import uuid
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from app.errors import UserError, ValidationFailed
from app.services import sales
from ui.context import DeskContext
from ui.widgets import FieldBox, combo, confirm_buttons, date_edit, error_label


def _tr(text: str) -> str:
    return QCoreApplication.translate("SalesDialogs", text)


def N_(text: str) -> str:
    return text


FACTS_NOTE = N_("Records are never edited or deleted. To correct a figure, enter a new record with the "
                "difference — a negative amount cancels what was entered too much.")


def _note() -> QLabel:
    label = QLabel(_tr(FACTS_NOTE))
    label.setWordWrap(True)
    label.setStyleSheet("color: #555; font-size: 11px;")
    return label


class _RecordDialog(QDialog):
    """A form of FieldBoxes keyed like the service's values; errors in place."""

    title = ""

    def __init__(self, ctx: DeskContext, *, customer_id: uuid.UUID, customer_label: str, parent=None):
        super().__init__(parent)
        self.ctx, self.customer_id = ctx, customer_id
        self.created: uuid.UUID | None = None
        self.setWindowTitle(_tr(self.title))
        self.fields: dict[str, FieldBox] = {}
        self.form = QFormLayout()
        self.form.addRow(_tr("Customer"), QLabel(customer_label))
        self.message = error_label()
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(_note())
        layout.addWidget(self.message)
        layout.addWidget(confirm_buttons(self, self.save))
        self.resize(440, 0)

    def add(self, key: str, label: str, editor) -> FieldBox:
        box = FieldBox(editor)
        editor.setObjectName(f"{key}")
        self.fields[key] = box
        self.form.addRow(label, box)
        return box

    def values(self) -> dict:
        return {k: box.value() for k, box in self.fields.items()}

    def call(self, values: dict) -> uuid.UUID:
        raise NotImplementedError

    def save(self) -> None:
        for box in self.fields.values():
            box.set_error(None)
        self.message.clear()
        try:
            self.created = self.call(self.values())
        except ValidationFailed as exc:
            for key, text in exc.errors.items():
                if key in self.fields:
                    self.fields[key].set_error(text)
                else:
                    self.message.setText(text)
            first = next((self.fields[k] for k in self.fields if k in exc.errors), None)
            if first is not None:
                first.editor.setFocus()
            return
        except UserError as exc:
            self.message.setText(exc.message)
            return
        self.accept()


class SaleDialog(_RecordDialog):
    title = N_("Add sales record")

    def __init__(self, ctx: DeskContext, *, customer_id: uuid.UUID, customer_label: str, year: int, parent=None):
        super().__init__(ctx, customer_id=customer_id, customer_label=customer_label, parent=parent)
        self.add("year", _tr("Year"), QLineEdit(str(year)))
        self.add("month", _tr("Month"), combo([(0, _tr("Whole year"))] +
                                              [(m, _tr("Month {m}").format(m=m)) for m in range(1, 13)]))
        self.add("product", _tr("Product"), QLineEdit())
        amount = self.add("amount", _tr("Sales (yuan)"), QLineEdit())
        amount.editor.setPlaceholderText(_tr("e.g. 12,500.00 or 50万; negative to correct"))
        self.add("profit", _tr("Gross profit (yuan)"), QLineEdit())
        self.add("orders", _tr("Orders"), QLineEdit())

    def call(self, values: dict) -> uuid.UUID:
        return sales.add_sale(self.ctx.db, user=self.ctx.user, customer_id=self.customer_id, values=values)


class PaymentDialog(_RecordDialog):
    title = N_("Add payment record")

    def __init__(self, ctx: DeskContext, *, customer_id: uuid.UUID, customer_label: str, parent=None):
        super().__init__(ctx, customer_id=customer_id, customer_label=customer_label, parent=parent)
        self.add("reference", _tr("Contract / invoice no."), QLineEdit())
        self.add("amount", _tr("Amount (yuan)"), QLineEdit())
        self.add("due_on", _tr("Due on"), date_edit())
        paid = self.add("paid_on", _tr("Paid on"), date_edit())
        paid.editor.setPlaceholderText(_tr("empty: not paid yet"))

    def call(self, values: dict) -> uuid.UUID:
        return sales.add_payment(self.ctx.db, user=self.ctx.user, customer_id=self.customer_id, values=values)


class SalesImportDialog(QDialog):
    """File → preview of the first rows → all-or-nothing or valid rows only → progress and cancel →
    outcome with the error report (open it, or save a copy)."""

    def __init__(self, ctx: DeskContext, path: Path, parent=None, *, kind: str = "sales"):
        super().__init__(parent)
        self.ctx, self.path, self.kind = ctx, Path(path), kind
        self.result = None
        self.total = 0
        self._cancel = threading.Event()
        title = _tr("Import sales — {name}") if kind == "sales" else _tr("Import payments — {name}")
        self.setWindowTitle(title.format(name=self.path.name))
        self.resize(900, 520)
        self.summary = QLabel(_tr("Reading the workbook…"))
        self.summary.setWordWrap(True)
        self.table = QTableWidget()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.all_or_nothing = QRadioButton(_tr("Import nothing if any row has an error (recommended)"))
        self.valid_only = QRadioButton(_tr("Import the valid rows; report the others"))
        self.all_or_nothing.setChecked(True)
        self.progress = QProgressBar()
        self.progress.hide()
        self.outcome = QLabel()
        self.outcome.setObjectName("sales_import_outcome")
        self.outcome.setWordWrap(True)
        self.errors = QLabel()
        self.errors.setWordWrap(True)
        self.errors.setStyleSheet("color: #b00020;")
        self.start_button = QPushButton(_tr("Start import"))
        self.start_button.setEnabled(False)
        self.cancel_button = QPushButton(_tr("Cancel"))
        self.report_button = QPushButton(_tr("Open error report"))
        self.save_report_button = QPushButton(_tr("Save error report as…"))
        for b in (self.report_button, self.save_report_button):
            b.hide()
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.report_button.clicked.connect(self.open_report)
        self.save_report_button.clicked.connect(lambda: self.save_report())
        buttons = QHBoxLayout()
        buttons.addWidget(self.report_button)
        buttons.addWidget(self.save_report_button)
        buttons.addStretch()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        for w in (self.summary, self.table, self.all_or_nothing, self.valid_only, self.progress, self.outcome,
                  self.errors):
            layout.addWidget(w)
        layout.addLayout(buttons)
        ctx.tasks.run(lambda: sales.preview_sales(self.path, kind=kind), self._show_preview, self._failed)

    def _show_preview(self, preview) -> None:
        headers = list(preview.headers)
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(
            [h if preview.mapped.get(h) else f"{h} ({_tr('ignored')})" for h in headers])
        self.table.setRowCount(len(preview.rows))
        self.table.setVerticalHeaderLabels([str(n) for n in preview.numbers])  # the sheet's row numbers
        for i, row in enumerate(preview.rows):
            for j, text in enumerate(row):
                self.table.setItem(i, j, QTableWidgetItem("" if text is None else str(text)))
        self.table.resizeColumnsToContents()
        self.total = preview.total_rows
        text = _tr("{n} data rows; the first {k} are shown.").format(n=f"{preview.total_rows:,}",
                                                                       k=len(preview.rows))
        if preview.missing_required:
            text += " " + _tr("Required columns missing: {cols}").format(cols="、".join(preview.missing_required))
        self.summary.setText(text)
        self.start_button.setEnabled(not preview.missing_required and preview.total_rows > 0)

    def _failed(self, exc) -> None:
        self.progress.hide()
        self.outcome.setText(f"<span style='color:#b00020'>{getattr(exc, 'message', str(exc))}</span>")
        self.cancel_button.setText(_tr("Close"))

    def report_path(self) -> Path:
        return self.path.with_name(f"{self.path.stem}.错误报告.xlsx")

    def start(self) -> None:
        mode = "all_or_nothing" if self.all_or_nothing.isChecked() else "valid_only"
        for w in (self.start_button, self.all_or_nothing, self.valid_only):
            w.setEnabled(False)
        self.progress.show()
        self.progress.setValue(0)
        db, user, path, cancel, total = self.ctx.db, self.ctx.user, self.path, self._cancel, self.total
        report_path = self.report_path()
        run = sales.import_sales if self.kind == "sales" else sales.import_payments

        def work(report):
            return run(db, user=user, path=path, mode=mode, cancelled=cancel.is_set,
                       progress=lambda n: report(n, total), error_report_path=report_path)

        self.ctx.tasks.run(work, self._finished, self._failed, self._step)

    def _step(self, done: int, total: int) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(min(done, total))

    def _finished(self, result) -> None:
        self.result = result
        self.progress.hide()
        bad = len({e.row for e in result.errors})
        if result.cancelled:
            self.outcome.setText(_tr("Import cancelled. Nothing was written."))
        elif result.errors and result.imported == 0:
            self.outcome.setText("<span style='color:#b00020'>" + _tr(
                "Nothing imported: {bad} rows have errors. Correct them (see the error report) and import the "
                "file again.").format(bad=bad) + "</span>")
        else:
            text = (_tr("Imported {ok} sales records; {bad} rows with errors were not imported.") if self.kind == "sales"
                    else _tr("Imported {ok} payment records; {bad} rows with errors were not imported."))
            self.outcome.setText(text.format(ok=result.imported, bad=bad))
        shown = [str(e) for e in result.errors[:8]]
        if len(result.errors) > 8:
            shown.append(_tr("… and {n} more").format(n=len(result.errors) - 8))
        self.errors.setText("\n".join(shown))
        has_report = bool(result.error_report)
        self.report_button.setVisible(has_report)
        self.save_report_button.setVisible(has_report)
        self.cancel_button.setText(_tr("Close"))

    def cancel(self) -> None:
        if self.progress.isVisible():
            self._cancel.set()  # the import stops between rows and writes nothing
            return
        if self.result is not None and self.result.imported:
            self.accept()
        else:
            self.reject()

    def open_report(self) -> None:
        if self.result and self.result.error_report:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.result.error_report)))

    def save_report(self, target: str | None = None) -> None:
        if not (self.result and self.result.error_report):
            return
        if target is None:
            target, _f = QFileDialog.getSaveFileName(self, _tr("Save error report"),
                                                     str(self.result.error_report), "Excel (*.xlsx)")
            if not target:
                return
        try:
            if Path(target).resolve() != self.result.error_report.resolve():
                shutil.copyfile(self.result.error_report, target)
        except OSError as exc:
            self.errors.setText(str(exc))
