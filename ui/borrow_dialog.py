"""Borrowing archives (借阅): ask for an archive above one's level; approvers decide pending requests."""
from __future__ import annotations

import uuid
from datetime import UTC

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from app.domain.vocab import CONFIDENTIALITY
from app.errors import UserError, ValidationFailed
from app.services import borrowing, visits
from ui.context import DeskContext
from ui.tr import N_
from ui.widgets import ERROR_STYLE, FieldBox


def _tr(text: str) -> str:
    return QCoreApplication.translate("BorrowDialog", text)


# what the approver needs to decide (level, department, dates) and the requester to plan (expiry)
COLUMNS = (N_("Customer"), N_("Level"), N_("Department"), N_("Requested by"), N_("Reason"), N_("Access"),
           N_("Days"), N_("Requested"), N_("Status"), N_("Approved by"), N_("Expires"))


def _when(at, zone) -> str:
    """A stored UTC time in the business zone (setting visits.timezone), as users read dates."""
    if at is None:
        return ""
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(zone).strftime("%Y-%m-%d %H:%M")


class BorrowDialog(QDialog):
    def __init__(self, ctx: DeskContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.stub = None
        self.setWindowTitle(_tr("Borrow an archive"))
        self.resize(960, 560)
        self.customer = FieldBox(QLineEdit())
        self.customer.editor.setPlaceholderText(_tr("Exact customer code or full name"))
        self.customer.editor.editingFinished.connect(self.find)
        self.found = QLabel()
        self.reason = FieldBox(QLineEdit())
        self.days = QSpinBox()
        self.days.setRange(1, 30)
        self.days.setValue(3)
        self.days_box = FieldBox(self.days)
        self.mode = QComboBox()  # a loan grants exactly this: read only, or edit too
        self.mode.addItem(_tr("Read only"), "read")
        self.mode.addItem(_tr("Read and edit"), "edit")
        send = QPushButton(_tr("Submit request"))
        send.clicked.connect(self.submit)
        self.message = QLabel()
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_tr("Customer"), self.customer)
        form.addRow("", self.found)
        form.addRow(_tr("Reason"), self.reason)
        form.addRow(_tr("Days"), self.days_box)
        form.addRow(_tr("Access"), self.mode)
        form.addRow("", send)
        form.addRow(self.message)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([_tr(c) for c in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COLUMNS.index("Reason"), QHeaderView.ResizeMode.Stretch)  # what the approver reads
        self.approve_button = QPushButton(_tr("Approve"))
        self.reject_button = QPushButton(_tr("Reject"))
        self.approve_button.clicked.connect(lambda: self.decide(True))
        self.reject_button.clicked.connect(lambda: self.decide(False))
        approver = ctx.user is not None and ctx.user.can("archive.approve")
        for b in (self.approve_button, self.reject_button):
            b.setVisible(approver)
        row = QHBoxLayout()
        row.addStretch()
        row.addWidget(self.approve_button)
        row.addWidget(self.reject_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(_tr("Requests to decide") if approver else _tr("My requests")))
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        self.reload()

    def reload(self) -> None:
        approver = self.ctx.user.can("archive.approve")
        self.rows = borrowing.requests(self.ctx.db, user=self.ctx.user, pending_only=approver)
        status = {"pending": _tr("Pending"), "approved": _tr("Approved"), "rejected": _tr("Rejected")}
        mode = {"read": _tr("Read only"), "edit": _tr("Read and edit")}
        zone = visits.calendar_zone(self.ctx.db)
        self.table.setRowCount(len(self.rows))
        for i, r in enumerate(self.rows):
            texts = (r.customer_name, CONFIDENTIALITY.label(r.level), r.department, r.requester, r.reason,
                     mode.get(r.mode, r.mode), str(r.days), _when(r.requested_at, zone), status[r.status],
                     r.decided_by, _when(r.expires_at, zone))
            for j, text in enumerate(texts):
                self.table.setItem(i, j, QTableWidgetItem(text))

    def find(self) -> None:
        stubs = borrowing.find_for_request(self.ctx.db, user=self.ctx.user, text=self.customer.value())
        self.stub = stubs[0] if len(stubs) == 1 else None
        if self.stub:
            self.found.setText(f"{self.stub.code}  {self.stub.name}  ({CONFIDENTIALITY.label(self.stub.level)})")
            self.customer.set_error(None)
        else:
            self.found.clear()
            self.customer.set_error(_tr("No single customer has this exact code or name"))

    def submit(self) -> None:
        if self.stub is None:
            self.find()
            if self.stub is None:
                return
        try:
            borrowing.request_access(self.ctx.db, user=self.ctx.user, customer_id=self.stub.id,
                                     reason=self.reason.value(), days=self.days.value(),
                                     mode=self.mode.currentData())
        except ValidationFailed as exc:
            self.reason.set_error(exc.errors.get("reason"))
            self.days_box.set_error(exc.errors.get("days"))
            return
        self.reason.set_error(None)
        self.days_box.set_error(None)
        self.message.setText(_tr("Request submitted; it waits for approval."))
        self.reload()

    def decide(self, approve: bool) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        request: uuid.UUID = self.rows[rows[0].row()].id
        try:
            borrowing.decide(self.ctx.db, user=self.ctx.user, request_id=request, approve=approve)
        except UserError as exc:
            self.message.setStyleSheet(ERROR_STYLE)
            self.message.setText(exc.message)
            return
        self.message.setStyleSheet("")
        self.message.setText(_tr("Approved.") if approve else _tr("Rejected."))
        self.reload()
