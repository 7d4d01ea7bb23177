"""Excel import of customers: preview, all-or-nothing or valid rows only, progress, cancel, error report
(the shared dialog in ui.workbook_import; the customer import service behind it)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication

from app.services import customer_import
from ui.context import DeskContext
from ui.workbook_import import WorkbookImportDialog


def _tr(text: str) -> str:
    return QCoreApplication.translate("ImportDialog", text)


class ImportDialog(WorkbookImportDialog):
    def __init__(self, ctx: DeskContext, path: Path, parent=None):
        super().__init__(ctx, path, _tr("Import customers — {name}").format(name=Path(path).name), parent)

    def read_preview(self):
        return customer_import.preview(self.path)

    def run_import(self, *, mode: str, cancelled, report):
        return customer_import.import_customers(self.ctx.db, actor=self.ctx.actor, path=self.path, mode=mode,
                                                progress=report, cancelled=cancelled, user=self.ctx.user)

    def describe(self, result) -> tuple[str, list[str]]:
        # the errors as the sheet numbers its rows (the preview shows the same numbers)
        errors = [_tr("Row {row}: {message}").format(row=row, message=message)
                  for row, message in sorted(result.messages.items())]
        if result.rejected and result.imported == 0:
            return "<span style='color:#b00020'>" + _tr(
                "Nothing imported: {bad} of {total} rows have errors. Open the error report, correct the rows "
                "and import the file again.").format(bad=result.rejected, total=result.total) + "</span>", errors
        return _tr("Imported {ok} customers; {bad} rows with errors were not imported.").format(
            ok=result.imported, bad=result.rejected), errors
