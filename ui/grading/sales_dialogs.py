"""Sales and payment records typed in by hand, and the Excel import of sales (销售与回款).

Records are facts and are never edited: a wrong figure is corrected by a new record with the difference
(a negative amount, 负数冲减); the dialogs say so. Refusals show under the field concerned and nothing typed
is lost."""
from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from app.errors import UserError, ValidationFailed
from app.services import sales
from ui.context import DeskContext
from ui.widgets import FieldBox, combo, confirm_buttons, date_edit, error_label
from ui.workbook_import import WorkbookImportDialog


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


class SalesImportDialog(WorkbookImportDialog):
    """Sales or payment records from a workbook (the shared import dialog, ui.workbook_import)."""

    outcome_name = "sales_import_outcome"

    def __init__(self, ctx: DeskContext, path: Path, parent=None, *, kind: str = "sales"):
        self.kind = kind
        title = _tr("Import sales — {name}") if kind == "sales" else _tr("Import payments — {name}")
        super().__init__(ctx, path, title.format(name=Path(path).name), parent)
        self.resize(900, 520)

    def report_path(self) -> Path:
        return self.path.with_name(f"{self.path.stem}.错误报告.xlsx")

    def read_preview(self):
        return sales.preview_sales(self.path, kind=self.kind)

    def run_import(self, *, mode: str, cancelled, report):
        run = sales.import_sales if self.kind == "sales" else sales.import_payments
        total = self.total
        return run(self.ctx.db, user=self.ctx.user, path=self.path, mode=mode, cancelled=cancelled,
                   progress=lambda n: report(n, total), error_report_path=self.report_path())

    def describe(self, result) -> tuple[str, list[str]]:
        bad = len({e.row for e in result.errors})
        errors = [str(e) for e in result.errors]
        if result.errors and result.imported == 0:
            return "<span style='color:#b00020'>" + _tr(
                "Nothing imported: {bad} rows have errors. Correct them (see the error report) and import the "
                "file again.").format(bad=bad) + "</span>", errors
        text = (_tr("Imported {ok} sales records; {bad} rows with errors were not imported.") if self.kind == "sales"
                else _tr("Imported {ok} payment records; {bad} rows with errors were not imported."))
        return text.format(ok=result.imported, bad=bad), errors
