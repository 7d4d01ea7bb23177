"""The Excel import dialog every import shares: the workbook's first rows (with their sheet row numbers when the
reader gives them), all-or-nothing or valid rows only, progress and cancel off the GUI thread, the outcome,
the first errors, and the error report to open or save. A subclass says what to read and what to run."""
from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ui.context import DeskContext
from ui.tasks import CancelToken


def _tr(text: str) -> str:
    return QCoreApplication.translate("ImportDialog", text)


class WorkbookImportDialog(QDialog):
    outcome_name = "import_outcome"  # objectName of the outcome label (tests find it)

    def __init__(self, ctx: DeskContext, path: Path, title: str, parent=None):
        super().__init__(parent)
        self.ctx, self.path = ctx, Path(path)
        self.result = None
        self.total = 0
        self._cancel = CancelToken()
        self.setWindowTitle(title)
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
        self.outcome.setObjectName(self.outcome_name)
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
        ctx.tasks.run(self.read_preview, self._show_preview, self._failed)

    # ---------------------------------------------------------------- what a subclass says

    def read_preview(self):
        """The reader's preview of the workbook (headers, mapped, rows, total_rows, missing_required)."""
        raise NotImplementedError

    def run_import(self, *, mode: str, cancelled, report):
        """Run the import off the GUI thread; report(done, total) as it goes; return its result."""
        raise NotImplementedError

    def describe(self, result) -> tuple[str, list[str]]:
        """The outcome line (may be rich text) and the errors to list."""
        raise NotImplementedError

    # ---------------------------------------------------------------- shared behaviour

    def _show_preview(self, preview) -> None:
        headers = list(preview.headers)
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(
            [h if preview.mapped.get(h) else f"{h} ({_tr('ignored')})" for h in headers])
        self.table.setRowCount(len(preview.rows))
        numbers = getattr(preview, "numbers", None)
        if numbers:
            self.table.setVerticalHeaderLabels([str(n) for n in numbers])  # the sheet's own row numbers
        for i, row in enumerate(preview.rows):
            for j, text in enumerate(row):
                self.table.setItem(i, j, QTableWidgetItem("" if text is None else str(text)))
        self.total = preview.total_rows
        text = _tr("{n} data rows; the first {k} are shown.").format(n=f"{preview.total_rows:,}", k=len(preview.rows))
        if getattr(preview, "sheet", ""):  # a workbook of several sheets: say which one was read
            text = _tr("Sheet “{sheet}”: ").format(sheet=preview.sheet) + text
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
        for w in (self.start_button, self.all_or_nothing, self.valid_only):
            w.setEnabled(False)
        self.progress.show()
        self.progress.setValue(0)
        self.ctx.tasks.run(lambda report, cancelled: self.run_import(mode=mode, cancelled=cancelled, report=report),
                           self._finished, self._failed, self._step, cancel=self._cancel)

    def _step(self, done: int, total: int) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(min(done, total))

    def _finished(self, result) -> None:
        self.result = result
        self.progress.hide()
        if result.cancelled:
            self.outcome.setText(_tr("Import cancelled. Nothing was written."))
            errors = []
        else:
            text, errors = self.describe(result)
            self.outcome.setText(text)
        shown = errors[:8] + ([_tr("… and {n} more").format(n=len(errors) - 8)] if len(errors) > 8 else [])
        self.errors.setText("\n".join(shown))
        for b in (self.report_button, self.save_report_button):
            b.setVisible(bool(result.error_report))
        self.cancel_button.setText(_tr("Close"))

    def cancel(self) -> None:
        if self.progress.isVisible():
            self._cancel.cancel()  # the import stops at its next check and writes nothing
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
            if Path(target).resolve() != Path(self.result.error_report).resolve():
                shutil.copyfile(self.result.error_report, target)
        except OSError as exc:
            self.errors.setText(str(exc))
