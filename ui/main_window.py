"""The main window only assembles tabs and menus; each tab owns its own behaviour."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFrame, QLabel, QMainWindow, QMessageBox, QScrollArea, QTabWidget

import app
from ui.context import DeskContext
from ui.customers.tab import CustomerTab
from ui.grading.tab import GradingTab
from ui.selection.tab import SelectionTab
from ui.visits.tab import VisitsTab


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class MainWindow(QMainWindow):
    def __init__(self, ctx: DeskContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_tr("KeDesk") + f" — {ctx.db.url.split('///')[-1] if ctx.db.dialect == 'sqlite' else ctx.db.url}")
        self.resize(1440, 860)
        self.tabs = QTabWidget()
        self.customers = CustomerTab(ctx)
        self.tabs.addTab(self.customers, _tr("Customer cards"))
        # 客户卡片, 客户分级, 拜访日历, 选房票务: each tab shown to whoever may use a part of it
        self.grading = self.visits = self.selection = None
        if GradingTab.visible_for(ctx.user):
            self.grading = GradingTab(ctx)
            self._add_tab(self.grading, _tr("Customer grading"))
        if VisitsTab.visible_for(ctx.user):
            self.visits = VisitsTab(ctx)
            self._add_tab(self.visits, _tr("Visit calendar"))
        if ctx.user is None or ctx.user.can("selection.view"):
            self.selection = SelectionTab(ctx)
            self._add_tab(self.selection, _tr("House selection"))
        self.setCentralWidget(self.tabs)
        self.status = QLabel()
        self.statusBar().addPermanentWidget(self.status)
        who = f"{ctx.actor}({ctx.user.role_name})" if ctx.user else ctx.actor
        self.status.setText(_tr("Operator: {name}   Database: {kind}").format(
            name=who, kind="SQLite" if ctx.db.dialect == "sqlite" else "PostgreSQL"))
        self._menus()

    def _add_tab(self, page, title: str) -> None:
        """A tab whose least size is wider than a 1366×768 front-desk screen scrolls inside the window
        instead of pushing the window (and its status bar) off the screen."""
        holder = QScrollArea()
        holder.setWidgetResizable(True)
        holder.setFrameShape(QFrame.Shape.NoFrame)
        holder.setWidget(page)
        self.tabs.addTab(holder, title)

    def _action(self, menu, text: str, slot, shortcut: str | None = None, needs: str | None = None) -> QAction:
        action = QAction(text, self)
        # a courtesy: the services refuse what the role may not do; the menu just does not offer it
        action.setEnabled(needs is None or self.ctx.user is None or self.ctx.user.can(needs))
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _menus(self) -> None:
        from ui.customers import actions

        file_menu = self.menuBar().addMenu(_tr("&File"))
        self._action(file_menu, _tr("New customer"), self.customers.new_customer, "Ctrl+N", "customer.create")
        self._action(file_menu, _tr("Save card"), self.customers.save, "Ctrl+S")
        file_menu.addSeparator()
        self._action(file_menu, _tr("Import customers from Excel…"), lambda: actions.import_customers(self),
                     needs="customer.import")
        self._action(file_menu, _tr("Export current list to Excel…"), lambda: actions.export_customers(self),
                     needs="customer.export")
        self._action(file_menu, _tr("Print customer card (PDF)…"), lambda: actions.print_card(self), "Ctrl+P",
                     "customer.print")
        file_menu.addSeparator()
        self._action(file_menu, _tr("Backup and restore…"), lambda: actions.backup(self), needs="backup.run")
        self._action(file_menu, _tr("Quit"), self.close, "Ctrl+Q")
        admin = self.menuBar().addMenu(_tr("&Administration"))
        self._action(admin, _tr("Borrow archives…"), lambda: actions.borrow(self), needs="customer.list")
        self._action(admin, _tr("Hand over a leaving rep's customers…"), lambda: actions.hand_over(self),
                     needs="customer.handover")
        self._action(admin, _tr("Find duplicate customers…"), lambda: actions.find_duplicates(self),
                     needs="customer.edit")
        self._action(admin, _tr("Card updates due (24 hours)…"), lambda: actions.card_updates(self),
                     needs="customer.list")
        self._action(admin, _tr("Business rules…"), lambda: actions.rules(self), needs="rules.edit")
        from ui.admin import actions as admin_actions

        self._action(admin, _tr("Users and roles…"), lambda: admin_actions.users(self), needs="users.manage")
        self._action(admin, _tr("Read log…"), lambda: admin_actions.read_log(self), needs="readlog.view")
        self._action(admin, _tr("Settings…"), lambda: actions.settings(self))
        from ui.sync import status as sync_ui

        sync_ui.install(self, admin)  # field laptops: 同步 and its status; central: the conflicts list
        help_menu = self.menuBar().addMenu(_tr("&Help"))
        self._action(help_menu, _tr("About KeDesk"), self.about)
        focus = QAction(self)
        focus.setShortcut(QKeySequence("Ctrl+F"))
        focus.triggered.connect(self.customers.search.setFocus)
        self.addAction(focus)

    def about(self) -> None:
        QMessageBox.about(self, _tr("About KeDesk"),
                          _tr("KeDesk {version}: customer archives, grading, visits and the house-selection desk.")
                          .format(version=app.__version__))

    def closeEvent(self, event) -> None:
        if self.customers.confirm_discard():
            event.accept()
        else:
            event.ignore()
