"""Excel import: preview, choice of all-or-nothing or valid rows only, progress, cancel, error report."""
from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from app.services import customer_import
from ui.context import DeskContext


def _tr(text: str) -> str:
    return QCoreApplication.translate("ImportDialog", text)


class ImportDialog(QDialog):
    def __init__(self, ctx: DeskContext, path: Path, parent=None):
        super().__init__(parent)
        self.ctx, self.path = ctx, path
        self.result = None
        self._cancel = threading.Event()
        self.setWindowTitle(_tr("Import customers — {name}").format(name=path.name))
        self.resize(980, 560)
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
        self.outcome.setObjectName("import_outcome")
        self.outcome.setWordWrap(True)
        self.start_button = QPushButton(_tr("Start import"))
        self.start_button.setEnabled(False)
        self.cancel_button = QPushButton(_tr("Cancel"))
        self.report_button = QPushButton(_tr("Open error report"))
        self.report_button.hide()
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.report_button.clicked.connect(self.open_report)
        buttons = QHBoxLayout()
        buttons.addWidget(self.report_button)
        buttons.addStretch()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        for w in (self.summary, self.table, self.all_or_nothing, self.valid_only, self.progress, self.outcome):
            layout.addWidget(w)
        layout.addLayout(buttons)
        ctx.tasks.run(lambda: customer_import.preview(path), self._show_preview, self._failed)

    def _show_preview(self, preview) -> None:
        headers = list(preview.headers)
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(
            [h if preview.mapped.get(h) else f"{h} ({_tr('ignored')})" for h in headers])
        self.table.setRowCount(len(preview.rows))
        for i, row in enumerate(preview.rows):
            for j, text in enumerate(row):
                self.table.setItem(i, j, QTableWidgetItem("" if text is None else str(text)))
        text = _tr("{n} data rows; the first {k} are shown.").format(n=f"{preview.total_rows:,}", k=len(preview.rows))
        if preview.missing_required:
            text += " " + _tr("Required columns missing: {cols}").format(cols="、".join(preview.missing_required))
        self.summary.setText(text)
        self.start_button.setEnabled(not preview.missing_required and preview.total_rows > 0)

    def _failed(self, exc) -> None:
        self.progress.hide()
        self.outcome.setText(f"<span style='color:#b00020'>{getattr(exc, 'message', str(exc))}</span>")
        self.cancel_button.setText(_tr("Close"))

    def start(self) -> None:
        mode = "all_or_nothing" if self.all_or_nothing.isChecked() else "valid_only"
        self.start_button.setEnabled(False)
        self.all_or_nothing.setEnabled(False)
        self.valid_only.setEnabled(False)
        self.progress.show()
        self.progress.setValue(0)
        db, actor, path, cancel, user = self.ctx.db, self.ctx.actor, self.path, self._cancel, self.ctx.user

        def work(report):
            return customer_import.import_customers(db, actor=actor, path=path, mode=mode, progress=report,
                                                    cancelled=cancel.is_set, user=user)

        self.ctx.tasks.run(work, self._finished, self._failed, self._step)

    def _step(self, done: int, total: int) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)

    def _finished(self, result) -> None:
        self.result = result
        self.progress.hide()
        if result.cancelled:
            self.outcome.setText(_tr("Import cancelled. Nothing was written."))
        elif result.rejected and result.imported == 0:
            self.outcome.setText("<span style='color:#b00020'>" + _tr(
                "Nothing imported: {bad} of {total} rows have errors. Open the error report, correct the rows "
                "and import the file again.").format(bad=result.rejected, total=result.total) + "</span>")
        else:
            self.outcome.setText(_tr("Imported {ok} customers; {bad} rows with errors were not imported.").format(
                ok=result.imported, bad=result.rejected))
        self.report_button.setVisible(bool(result.error_report))
        self.cancel_button.setText(_tr("Close"))

    def cancel(self) -> None:
        if self.progress.isVisible():
            self._cancel.set()  # the import stops between chunks and writes nothing
            return
        if self.result is not None and self.result.imported:
            self.accept()
        else:
            self.reject()

    def open_report(self) -> None:
        if self.result and self.result.error_report:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.result.error_report)))
