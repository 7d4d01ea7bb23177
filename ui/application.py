"""Start the desktop application: logging, crash dialog, language, database, main window."""
from __future__ import annotations

import getpass
import logging
import sys
import traceback

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app import logs
from app.config import LocalConfig
from ui import i18n, qt_log
from ui.context import DeskContext
from ui.tasks import TaskRunner

log = logging.getLogger("kedesk")
EXIT_DB = 3


def _ensure_cjk_ui_font() -> None:
    """A machine without any Chinese font (fresh Linux) shows the window with the font the package ships."""
    from PySide6.QtGui import QFontDatabase

    if QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese):
        return
    from reports.fonts import BUNDLED_FONT

    if QFontDatabase.addApplicationFont(str(BUNDLED_FONT)) < 0:
        log.warning("no Chinese font for the window, and %s could not be loaded", BUNDLED_FONT)


def _install_crash_dialog(*, interactive: bool = True) -> None:
    def hook(exc_type, exc, tb):
        text = "".join(traceback.format_exception(exc_type, exc, tb))
        log.error("unexpected error\n%s", text)
        if not interactive:  # the unattended self-test: no one to close a dialog, the exit code says it
            print(text, file=sys.stderr)
            return
        if QApplication.instance() is not None:
            from ui.crash_dialog import CrashDialog

            CrashDialog(exc, text, logs.log_path()).exec()

    sys.excepthook = hook


def _who(db, *, self_test: bool, demo: bool):
    """The logged-in user: the first-start wizard on an empty database, then the login dialog."""
    from app.services import users
    from ui.login_dialog import FirstAdminDialog, LoginDialog

    if self_test:  # unattended check of the build: no one to type a password
        return users.system_principal(LocalConfig.load().operator or getpass.getuser())
    if users.needs_first_admin(db) and FirstAdminDialog(db).exec() != FirstAdminDialog.DialogCode.Accepted:
        return None
    hint = ""
    if demo:
        from app.services.demo_users import DEMO_PASSWORD, DEMO_USERS

        hint = QCoreApplication.translate("Application", "Demo accounts: {names}; password {password}").format(
            names=", ".join(u[0] for u in DEMO_USERS), password=DEMO_PASSWORD)
    dialog = LoginDialog(db, hint=hint)
    return dialog.principal if dialog.exec() == LoginDialog.DialogCode.Accepted else None


def _open_laptop(path):
    """The field laptop's encrypted replica and its user, from one login; (None, None) when cancelled."""
    from ui.sync.laptop_login import LaptopLoginDialog

    dialog = LaptopLoginDialog(path)
    if dialog.exec() != LaptopLoginDialog.DialogCode.Accepted:
        return None, None
    return dialog.db, dialog.principal


def run(*, db_url: str | None = None, self_test: bool = False, demo: bool = False, lang: str | None = None,
        laptop=None) -> int:
    from app.bootstrap import open_database

    logs.setup(console=True, native_crashes=True)
    config = LocalConfig.load()
    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    qapp.setApplicationName("KeDesk")
    qapp.setOrganizationName("KeDesk")
    qt_log.install()
    _ensure_cjk_ui_font()
    _translators = i18n.install(qapp, lang or config.language)  # noqa: F841 (keep alive)
    _install_crash_dialog(interactive=not self_test)
    if laptop is not None and not self_test:
        db, principal = _open_laptop(laptop)
        if db is None:
            return 0
        return _window(qapp, db, principal, self_test=False)
    try:
        db = open_database(db_url)
    except Exception as exc:
        log.exception("cannot open database")
        if not self_test:
            QMessageBox.critical(None, QCoreApplication.translate("Application", "Cannot open the database"),
                                 str(exc))
        else:
            print(f"无法打开数据库:{exc}", file=sys.stderr)
        return EXIT_DB
    if demo:
        from app.services import demo as demo_data

        demo_data.ensure_demo(db)
    principal = _who(db, self_test=self_test, demo=demo)
    if principal is None:
        db.dispose()
        return 0
    return _window(qapp, db, principal, self_test=self_test)


def _window(qapp, db, principal, *, self_test: bool) -> int:
    from ui.main_window import MainWindow

    logs.set_desk_user(principal.username)

    ctx = DeskContext(db=db, actor=principal.display_name, tasks=TaskRunner(), user=principal)
    window = MainWindow(ctx)
    window.show()
    if self_test:
        return _self_test(qapp, window)
    if not db.offline:  # a laptop's replica is backed up by syncing, not by the monthly backup
        from ui import backup_timer

        backup_timer.start(window)
    code = qapp.exec()
    ctx.tasks.cancel_all()  # an export or import still running stops at its next check, writing nothing
    ctx.tasks.wait()
    db.dispose()
    return code


def _sample_receipt_pages(window) -> int:
    """A receipt rendered and loaded into the print preview: proves the CJK font, reportlab and QtPdf."""
    from datetime import UTC, datetime
    from decimal import Decimal

    from reports.receipt_pdf import receipt_pdf
    from reports.selection_docs import ReceiptDoc
    from ui.selection.pdf_preview import PdfPreview

    now = datetime.now(UTC)
    pdf = receipt_pdf(ReceiptDoc(number="SELFTEST-SJ-0001", payer="自检", buyer_id_number="11010519491231002X",
                                 ticket_number="SELFTEST-XP-0001", unit="1号楼101", purpose="封户费",
                                 amount=Decimal("20000"), method="转账", received_by="自检", issued_at=now,
                                 printed_by="自检", printed_at=now, company="KeDesk"))
    preview = PdfPreview(pdf, "self-test", window)
    try:
        return preview.document.pageCount()
    finally:
        preview.deleteLater()


def _self_test(qapp: QApplication, window) -> int:
    """Open every tab, run one search, then exit 0; anything wrong exits 1 with the reason."""
    problems: list[str] = []
    notes: list[str] = []

    def check():
        try:
            for i in range(window.tabs.count()):
                window.tabs.setCurrentIndex(i)
                if window.tabs.widget(i) is None:
                    problems.append(f"tab {i} missing")
            window.customers.run_search()
            window.ctx.tasks.wait()
            pages = _sample_receipt_pages(window)
            if pages != 3:
                problems.append(f"sample receipt preview has {pages} pages, expected 3")
            from ui import speech

            ok, note = speech.check()  # the queue's voice: loadable in the bundle, or said why not
            notes.append(note)
            if not ok:
                problems.append(note)
        except Exception as exc:
            problems.append(repr(exc))
        QTimer.singleShot(300, qapp.quit)

    QTimer.singleShot(0, check)
    qapp.exec()
    window.ctx.tasks.wait()
    tabs = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    if problems:
        print("self-test FAILED: " + "; ".join(problems), file=sys.stderr)
        return 1
    print(f"self-test ok: {len(tabs)} tab(s): {', '.join(tabs)}; {window.customers.count_label.text()}")
    for note in notes:
        print(note)
    return 0
