"""信用额度…: a customer's credit grade, limit, unpaid receivables and headroom; an order amount checked in
place (within the limit, or who must approve: 部长 / 部长 then 总经理); a request filed with a reason; the
requests waiting for me with approve / refuse (a refusal says why), or this customer's requests; and the
selected request printed as 信用额度超限审批单 (preview, print or save as PDF)."""
from __future__ import annotations

import uuid
from decimal import Decimal

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError, ValidationFailed
from app.services import credit
from ui.context import DeskContext
from ui.widgets import FieldBox, error_label


def _tr(text: str) -> str:
    return QCoreApplication.translate("CreditDialog", text)


GREEN, RED = "color: #1b5e20;", "color: #b00020;"


def _money(value: Decimal) -> str:
    return _tr("{amount} yuan").format(amount=f"{value:,.2f}")


def who_label(approvers: tuple[str, ...]) -> str:
    if len(approvers) == 1:
        return approvers[0]
    return _tr("{first}, then {second}").format(first=approvers[0], second=approvers[1])


class CreditDialog(QDialog):
    def __init__(self, ctx: DeskContext, customer_id: uuid.UUID, parent=None):
        super().__init__(parent)
        self.ctx, self.customer_id = ctx, customer_id
        self.user = ctx.principal
        self.setWindowTitle(_tr("Credit limit"))
        self.position = credit.credit_position(ctx.db, user=self.user, customer_id=customer_id)
        self.filed: uuid.UUID | None = None
        self.needed: tuple[str, ...] = ()

        # -- the position
        box = QGroupBox(_tr("Credit position of {name}").format(name=self.position.customer_name))
        form = QFormLayout(box)
        self.grade = QLabel()
        self.limit = QLabel()
        self.exposure = QLabel()
        self.headroom = QLabel()
        self.headroom.setObjectName("credit_headroom")
        form.addRow(_tr("Credit grade"), self.grade)
        form.addRow(_tr("Credit limit"), self.limit)
        form.addRow(_tr("Unpaid receivables"), self.exposure)
        form.addRow(_tr("Headroom"), self.headroom)

        # -- an order
        order = QGroupBox(_tr("Check an order"))
        self.amount = FieldBox(QLineEdit())
        self.amount.editor.setPlaceholderText("50000")
        self.amount.editor.setObjectName("credit_amount")
        self.check_button = QPushButton(_tr("Check"))
        self.check_button.clicked.connect(lambda: self.check())
        self.amount.editor.returnPressed.connect(lambda: self.check())
        self.verdict = QLabel()
        self.verdict.setObjectName("credit_verdict")
        self.verdict.setWordWrap(True)
        self.reason = FieldBox(QPlainTextEdit())
        self.reason.editor.setPlaceholderText(_tr("Why credit over the limit should be given"))
        self.reason.editor.setFixedHeight(54)
        self.file_button = QPushButton(_tr("File request for approval"))
        self.file_button.clicked.connect(lambda: self.file_request())
        self.order_message = error_label()
        row = QHBoxLayout()
        row.addWidget(QLabel(_tr("Order amount (yuan)")))
        row.addWidget(self.amount, 1)
        row.addWidget(self.check_button, 0, Qt.AlignmentFlag.AlignTop)
        order_layout = QVBoxLayout(order)
        order_layout.addLayout(row)
        order_layout.addWidget(self.verdict)
        self.reason_label = QLabel(_tr("Reason"))
        order_layout.addWidget(self.reason_label)
        order_layout.addWidget(self.reason)
        order_layout.addWidget(self.file_button, 0, Qt.AlignmentFlag.AlignRight)
        order_layout.addWidget(self.order_message)
        self._show_file(False)

        # -- the requests: waiting for me (approvers), or this customer's
        self.may_approve = self.user.can("credit.approve.minister") or self.user.can("credit.approve.gm")
        todo = QGroupBox(_tr("Approval requests"))
        self.scope = QComboBox()
        self.scope.setObjectName("credit_scope")
        if self.may_approve:
            self.scope.addItem(_tr("Waiting for my approval"), "todo")
        self.scope.addItem(_tr("This customer's requests"), "customer")
        self.scope.currentIndexChanged.connect(lambda _i: self.reload_requests())
        self.print_button = QPushButton(_tr("Print approval form…"))
        self.print_button.setObjectName("credit_print")
        self.print_button.clicked.connect(lambda: self.print_request())
        top = QHBoxLayout()
        top.addWidget(QLabel(_tr("Show")))
        top.addWidget(self.scope)
        top.addStretch(1)
        top.addWidget(self.print_button)
        self.table = QTableWidget(0, 7)
        self.table.setObjectName("credit_todo")
        self.table.setHorizontalHeaderLabels([_tr("Customer"), _tr("Order amount"), _tr("Unpaid"), _tr("Limit"),
                                              _tr("Approval by"), _tr("State"), _tr("Filed by / reason")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(110)
        self.comment = FieldBox(QLineEdit())
        self.comment.editor.setPlaceholderText(_tr("Comment (required when refusing)"))
        self.approve_button = QPushButton(_tr("Approve"))
        self.refuse_button = QPushButton(_tr("Refuse"))
        self.approve_button.clicked.connect(lambda: self.decide(True))
        self.refuse_button.clicked.connect(lambda: self.decide(False))
        self.todo_message = error_label()
        self.todo_done = QLabel()
        self.todo_done.setStyleSheet(GREEN)
        self.actions = QWidget()
        actions = QHBoxLayout(self.actions)
        actions.setContentsMargins(0, 0, 0, 0)
        actions.addWidget(self.comment, 1)
        actions.addWidget(self.approve_button, 0, Qt.AlignmentFlag.AlignTop)
        actions.addWidget(self.refuse_button, 0, Qt.AlignmentFlag.AlignTop)
        todo_layout = QVBoxLayout(todo)
        todo_layout.addLayout(top)
        todo_layout.addWidget(self.table)
        todo_layout.addWidget(self.actions)
        todo_layout.addWidget(self.todo_message)
        todo_layout.addWidget(self.todo_done)
        self.requests: list = []

        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addWidget(order)
        layout.addWidget(todo, 1)
        layout.addWidget(close)
        self._show_position()
        self.reload_requests()
        self.resize(760, 700)

    # ---------------------------------------------------------------- showing

    def _show_position(self) -> None:
        p = self.position
        grade = _tr("Grade {grade}").format(grade=p.grade) if p.grade else _tr("not graded")
        self.grade.setText(f"{grade}({p.source})")
        self.limit.setText(_money(p.limit) if p.grade != "D" else _tr("none — payment first"))
        self.exposure.setText(_money(p.exposure))
        self.headroom.setText(_money(p.headroom))
        self.headroom.setStyleSheet(GREEN if p.headroom > 0 else RED)

    def _show_file(self, visible: bool) -> None:
        self.reason.setVisible(visible)
        self.file_button.setVisible(visible)
        self.reason_label.setVisible(visible)

    def reload_requests(self) -> None:
        todo = self.scope.currentData() == "todo"
        if todo:
            self.requests = credit.list_requests(self.ctx.db, user=self.user, scope="todo")
        else:
            self.requests = credit.list_requests(self.ctx.db, user=self.user, scope="all",
                                                 customer_id=self.customer_id)
        self.actions.setVisible(todo)
        t = self.table
        t.setRowCount(len(self.requests))
        for i, r in enumerate(self.requests):
            cells = (f"{r.customer_code} {r.customer_name}", f"{r.amount:,.2f}", f"{r.exposure:,.2f}",
                     f"{r.limit:,.2f}", who_label(r.approvers), r.state_label, f"{r.applicant}:{r.reason}")
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if j in (1, 2, 3):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                t.setItem(i, j, item)
        if self.requests:
            t.selectRow(0)
        for b in (self.approve_button, self.refuse_button, self.print_button):
            b.setEnabled(bool(self.requests))

    # ---------------------------------------------------------------- actions

    def check(self) -> bool:
        """Show in place whether the order fits; True when it needs approval (the request form shows)."""
        self.amount.set_error(None)
        self.order_message.clear()
        try:
            result = credit.check_order(self.ctx.db, user=self.user, customer_id=self.customer_id,
                                        amount=self.amount.value())
        except ValidationFailed as exc:
            self.amount.set_error(exc.errors.get("amount", exc.message))
            self.verdict.clear()
            self._show_file(False)
            return False
        except UserError as exc:
            self.order_message.setText(exc.message)
            return False
        left = result.limit - result.total
        self.needed = result.approvers
        if result.within:
            self.verdict.setStyleSheet(GREEN)
            self.verdict.setText(_tr("Within the limit: {left} left after this order.").format(left=_money(left)))
        else:
            self.verdict.setStyleSheet(RED)
            self.verdict.setText(_tr("Over the limit by {over}: needs approval by {who}.").format(
                over=_money(-left), who=who_label(result.approvers)))
        self._show_file(not result.within)
        return not result.within

    def file_request(self) -> None:
        self.reason.set_error(None)
        self.order_message.clear()
        try:
            self.filed = credit.request_approval(self.ctx.db, user=self.user, customer_id=self.customer_id,
                                                 amount=self.amount.value(), reason=self.reason.value())
        except ValidationFailed as exc:
            if "amount" in exc.errors:
                self.amount.set_error(exc.errors["amount"])
            if "reason" in exc.errors:
                self.reason.set_error(exc.errors["reason"])
            return
        except UserError as exc:
            self.order_message.setText(exc.message)
            return
        self.verdict.setStyleSheet(GREEN)
        self.verdict.setText(_tr("Request filed: waiting for the approval of {who}.").format(
            who=who_label(self.needed)))
        self.reason.editor.clear()
        self._show_file(False)
        self.reload_requests()

    def _chosen_request(self):
        """The request selected in the list, or None with the message asking to choose one."""
        row = self.table.currentRow()
        if not (0 <= row < len(self.requests)):
            self.todo_message.setText(_tr("Choose a request first."))
            return None
        return self.requests[row]

    def print_request(self) -> None:
        """The selected request as 信用额度超限审批单, in the print preview (print or save as PDF there)."""
        self.todo_message.clear()
        request = self._chosen_request()
        if request is None:
            return
        try:
            pdf = credit.request_pdf(self.ctx.db, user=self.user, request_id=request.id)
        except UserError as exc:
            self.todo_message.setText(exc.message)
            return
        from ui.selection.pdf_preview import PdfPreview

        PdfPreview(pdf, f"信用额度超限审批单-{request.customer_code}", self).exec()

    def decide(self, approve: bool) -> None:
        self.comment.set_error(None)
        self.todo_message.clear()
        self.todo_done.clear()
        request = self._chosen_request()
        if request is None:
            return
        try:
            state = credit.decide(self.ctx.db, user=self.user, request_id=request.id, approve=approve,
                                  comment=self.comment.value())
        except ValidationFailed as exc:
            self.comment.set_error(exc.errors.get("comment", exc.message))
            return
        except UserError as exc:
            self.todo_message.setText(exc.message)
            self.reload_requests()
            return
        self.comment.editor.clear()
        self.reload_requests()
        self.todo_done.setText(_tr("{customer}: {state}.").format(customer=request.customer_name, state=state))
