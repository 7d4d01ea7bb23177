"""Menu actions of the customer tab: Excel import/export, printing the card, backup, hand-over."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog

from app.errors import UserError
from ui.tasks import CancelToken


def _tr(text: str) -> str:
    return QCoreApplication.translate("CustomerActions", text)


def import_customers(window) -> None:
    from ui.customers.import_dialog import ImportDialog

    path, _ = QFileDialog.getOpenFileName(window, _tr("Import customers"), "", _tr("Excel workbooks (*.xlsx)"))
    if path:
        dialog = ImportDialog(window.ctx, Path(path), window)
        if dialog.exec():
            window.customers.run_search()


def export_customers(window) -> None:
    from app.services import customer_export

    default = f"客户清单-{date.today().isoformat()}.xlsx"
    path, _ = QFileDialog.getSaveFileName(window, _tr("Export customers"), default, _tr("Excel workbooks (*.xlsx)"))
    if not path:
        return
    flt = window.customers.current_filter()
    progress = QProgressDialog(_tr("Exporting…"), _tr("Cancel"), 0, 100, window)
    progress.setMinimumDuration(300)
    db, user = window.ctx.db, window.ctx.user
    token = CancelToken()
    progress.canceled.connect(token.cancel)  # the worker reads the token, never the dialog

    def work(report, cancelled):
        return customer_export.export_customers(db, path=Path(path), flt=flt, progress=report,
                                                cancelled=cancelled, user=user)

    def done(count):
        progress.close()
        window.statusBar().showMessage(_tr("Exported {n} customers to {path}").format(n=count, path=path), 8000)

    def failed(exc):
        progress.close()
        QMessageBox.warning(window, _tr("Export customers"), getattr(exc, "message", str(exc)))

    def step(done_rows, total):
        progress.setMaximum(max(total, 1))
        progress.setValue(done_rows)

    window.ctx.tasks.run(work, done, failed, step, cancel=token)


def print_card(window) -> None:
    from app.services import card_print

    cid = window.customers.editor.customer_id()
    if cid is None:
        QMessageBox.information(window, _tr("Print customer card"), _tr("Select a customer first."))
        return
    code = window.customers.editor.text_of("code")
    path, _ = QFileDialog.getSaveFileName(window, _tr("Print customer card"), f"客户档案-{code}.pdf", "PDF (*.pdf)")
    if not path:
        return
    try:
        card_print.save_card_pdf(window.ctx.db, customer_id=cid, path=Path(path), printed_by=window.ctx.actor,
                                 user=window.ctx.user)
    except UserError as exc:
        QMessageBox.warning(window, _tr("Print customer card"), exc.message)
        return
    QDesktopServices.openUrl(QUrl.fromLocalFile(path))


def backup(window) -> None:
    from ui.backup_dialog import BackupDialog

    dialog = BackupDialog(window.ctx, window)
    dialog.exec()
    if dialog.restored:  # the window's lists and cards show the replaced data: reopen from scratch
        window.close()


def hand_over(window) -> None:
    from ui.customers.dialogs import HandOverDialog

    dialog = HandOverDialog(window.ctx, window)
    if dialog.exec():
        QMessageBox.information(window, dialog.windowTitle(),
                                _tr("{n} customers handed over.").format(n=dialog.moved))
        window.customers.run_search()


def find_duplicates(window) -> None:
    from ui.customers.duplicates_dialog import DuplicatesDialog

    dialog = DuplicatesDialog(window.ctx, window)
    dialog.exec()
    if dialog.merged:
        window.customers.run_search()


def card_updates(window) -> None:
    from ui.customers.card_updates_dialog import CardUpdatesDialog

    CardUpdatesDialog(window.ctx, open_card=window.customers.open_customer, parent=window).exec()


def settings(window) -> None:
    from ui.settings_dialog import SettingsDialog

    SettingsDialog(window).exec()


def rules(window) -> None:
    from ui.rules_dialog import RulesDialog

    if RulesDialog(window.ctx, window).exec():
        window.customers.run_search()  # re-verification windows may have changed


def borrow(window) -> None:
    from ui.borrow_dialog import BorrowDialog

    if window.ctx.user is not None:
        BorrowDialog(window.ctx, window).exec()
        window.customers.run_search()  # an approval adds the lent archive to the list
