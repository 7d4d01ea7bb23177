"""客户进阶 sub-tab: applications waiting for me, my applications, all; file, process, notify, print."""
from __future__ import annotations

import uuid
from datetime import datetime

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.services import advancement
from app.services.advancement import ApplicationInfo
from reports import grading_tables_pdf
from ui.context import DeskContext
from ui.grading.advancement_dialog import ApplyDialog, DecisionDialog, LostDialog
from ui.tr import N_
from ui.widgets import combo, error_label

SCOPES = (("todo", N_("Waiting for me")), ("mine", N_("My applications")), ("all", N_("All applications")))
COLUMNS = (N_("No."), N_("Customer"), N_("Step"), N_("State"), N_("Applicant"), N_("Filed on"))


def _tr(text: str) -> str:
    return QCoreApplication.translate("AdvancementPanel", text)


class AdvancementPanel(QWidget):
    def __init__(self, ctx: DeskContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[ApplicationInfo] = []
        self.scope = combo([(code, _tr(label)) for code, label in SCOPES])
        self.scope.setObjectName("advance_scope")
        self.scope.currentIndexChanged.connect(self.refresh)
        self.count = QLabel()

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("advance_table")
        self.table.setHorizontalHeaderLabels([_tr(c) for c in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self.process)
        self.table.itemSelectionChanged.connect(self._update_buttons)

        self.new_button = QPushButton(_tr("New application…"))
        self.process_button = QPushButton(_tr("Review / approve…"))
        self.resubmit_button = QPushButton(_tr("Complete and resubmit…"))
        self.notify_button = QPushButton(_tr("Customer notified"))
        self.withdraw_button = QPushButton(_tr("Withdraw"))
        self.lost_button = QPushButton(_tr("Mark customer lost…"))
        self.print_button = QPushButton(_tr("Print form…"))
        for name, button, slot in (("advance_new", self.new_button, self.new_application),
                                   ("advance_process", self.process_button, self.process),
                                   ("advance_resubmit", self.resubmit_button, self.resubmit),
                                   ("advance_notify", self.notify_button, self.notify),
                                   ("advance_withdraw", self.withdraw_button, self.withdraw),
                                   ("advance_lost", self.lost_button, self.mark_lost),
                                   ("advance_print", self.print_button, self.print_form)):
            button.setObjectName(name)
            button.clicked.connect(slot)
        self.new_button.setEnabled(self._can("grading.advance.apply"))
        self.message = error_label()

        top = QHBoxLayout()
        form = QFormLayout()
        form.addRow(_tr("Show"), self.scope)
        top.addLayout(form)
        top.addWidget(self.count)
        top.addStretch(1)
        top.addWidget(self.new_button)
        buttons = QHBoxLayout()
        for b in (self.process_button, self.resubmit_button, self.notify_button, self.withdraw_button,
                  self.print_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.lost_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.refresh()

    def _can(self, permission: str) -> bool:
        return self.ctx.principal.can(permission)

    def refresh(self) -> None:
        self.message.setText("")
        try:
            self.rows = advancement.list_applications(self.ctx.db, user=self.ctx.principal, scope=self.scope.currentData())
        except UserError as exc:
            self.rows = []
            self.message.setText(exc.message)
        self.table.setRowCount(len(self.rows))
        for r, a in enumerate(self.rows):
            values = (a.number, f"{a.customer_code}  {a.customer_name}", a.step_label, a.state_label, a.applicant,
                      f"{a.created_at.astimezone():%Y-%m-%d}")
            for c, v in enumerate(values):
                item = QTableWidgetItem(v)
                item.setData(Qt.ItemDataRole.UserRole, str(a.id))
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.count.setText(_tr("{n} applications").format(n=len(self.rows)))
        self._update_buttons()

    def selected(self) -> ApplicationInfo | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.rows[rows[0].row()] if rows else None

    def _mode(self, a: ApplicationInfo) -> str | None:
        me = self.ctx.principal.username
        if a.applicant_key == me:
            return None
        if a.state == "submitted" and self._can("grading.advance.review"):
            return "review"
        if a.state == "reviewed" and self._can("grading.advance.approve"):
            return "approve"
        return None

    def _update_buttons(self) -> None:
        a = self.selected()
        mine = a is not None and a.applicant_key == self.ctx.principal.username
        self.process_button.setEnabled(a is not None and self._mode(a) is not None)
        self.resubmit_button.setEnabled(mine and a.state == "returned")
        self.withdraw_button.setEnabled(mine and a.state in ("submitted", "reviewed", "returned"))
        self.notify_button.setEnabled(a is not None and a.state == "approved"
                                      and (mine or self._can("grading.advance.approve")))
        self.print_button.setEnabled(a is not None)

    def _details(self, a: ApplicationInfo) -> ApplicationInfo | None:
        try:
            return advancement.get_application(self.ctx.db, user=self.ctx.principal, application_id=a.id)
        except UserError as exc:
            self.message.setText(exc.message)
            return None

    def new_application(self, customer_id: uuid.UUID | None = None) -> None:
        dialog = ApplyDialog(self.ctx, self, customer_id=customer_id if isinstance(customer_id, uuid.UUID) else None)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.scope.setCurrentIndex(1)
            self.refresh()

    def process(self, *_args) -> None:
        a = self.selected()
        mode = self._mode(a) if a else None
        info = self._details(a) if mode else None
        if info is None:
            return
        if DecisionDialog(self.ctx, info, mode, self).exec() == QDialog.DialogCode.Accepted:
            self.refresh()

    def resubmit(self) -> None:
        a = self.selected()
        info = self._details(a) if a else None
        if info and ApplyDialog(self.ctx, self, application=info).exec() == QDialog.DialogCode.Accepted:
            self.refresh()

    def _act(self, work) -> None:
        try:
            work()
        except UserError as exc:
            self.message.setText(exc.message)
            return
        self.refresh()

    def notify(self) -> None:
        a = self.selected()
        if a is None:
            return
        how, ok = QInputDialog.getText(self, _tr("Customer notified"),
                                       _tr("How was the customer told (phone, letter, visit)?"))
        if ok:
            self._act(lambda: advancement.record_notified(self.ctx.db, user=self.ctx.principal, application_id=a.id,
                                                          comment=how.strip()))

    def withdraw(self) -> None:
        a = self.selected()
        if a and QMessageBox.question(self, _tr("Withdraw"), _tr("Withdraw application {n}?").format(
                n=a.number)) == QMessageBox.StandardButton.Yes:
            self._act(lambda: advancement.withdraw(self.ctx.db, user=self.ctx.principal, application_id=a.id))

    def mark_lost(self) -> None:
        if LostDialog(self.ctx, self).exec() == QDialog.DialogCode.Accepted:
            self.refresh()

    def print_form(self) -> None:
        a = self.selected()
        info = self._details(a) if a else None
        if info is None:
            return
        from ui.selection.pdf_preview import PdfPreview

        crit = advancement.criteria_for(self.ctx.db, step=info.step, user=self.ctx.principal)
        pdf = grading_tables_pdf.application_pdf(info, printed_by=self.ctx.actor, printed_at=datetime.now(),
                                                 criteria=crit)
        PdfPreview(pdf, f"进阶申请表-{info.number}", self).exec()
