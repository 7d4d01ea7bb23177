"""The desk flow, keyboard first: scan or type the ID (or a ticket's QR code) → Enter → choose a flat on the
grid → Enter → Enter issues the ticket and the focus is back in the scan field for the next buyer; then
receipts, and the certificate once the receipts equal the amount due and the review station has reviewed
the ticket. Each station sees the boxes its role may use (选房员: ticket and certificate; 收银员: receipts)."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.services import selection as sel
from app.services.selection import desk
from app.services.selection.payments import METHODS, RECEIVABLE
from ui.widgets import error_label

DISCOUNTS = ("一次性付款优惠", "团购优惠")  # offered at the desk; the buyer takes or waives each


def _tr(text: str) -> str:
    return QCoreApplication.translate("DeskPanel", text)


class EnterButton(QPushButton):
    """A button that Return and the keypad's Enter press, as Space does (a plain QPushButton outside a dialog
    ignores Enter)."""

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.isEnabled():
            self.click()  # at once: the next key may already be on its way
            return
        super().keyPressEvent(event)


class DeskPanel(QWidget):
    issued = Signal(object)  # IssuedDocument: the tab previews it and refreshes the grid
    choose_flat = Signal()  # the buyer is verified: the grid takes the focus
    buyer_changed = Signal(object)  # BuyerAtDesk or None

    def __init__(self, ctx, user, parent=None):
        super().__init__(parent)
        self.ctx, self.user = ctx, user
        self.commission_id = None
        self.buyer: desk.BuyerAtDesk | None = None
        self.flat = None
        self.id_edit = QLineEdit()
        self.id_edit.setPlaceholderText(_tr("Scan the ID card or the ticket's QR code, or type the number; Enter"))
        self.id_edit.returnPressed.connect(self.verify)
        self.buyer_label = QLabel(_tr("No buyer yet"))
        self.buyer_label.setWordWrap(True)
        self.message = error_label()
        top = QVBoxLayout()
        top.addWidget(self.id_edit)
        top.addWidget(self.buyer_label)
        top.addWidget(self.message)
        self.authorise_button = QPushButton(_tr("Authorise out of order…"))  # 现场主管 only
        self.authorise_button.setVisible(user.can("selection.out_of_order"))
        self.authorise_button.clicked.connect(self.authorise)
        top.addWidget(self.authorise_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        self.boxes = {"selection.ticket": self._ticket_box(), "selection.receipt": self._receipt_box(),
                      "selection.certificate": self._certificate_box()}
        for permission, box in self.boxes.items():  # the station's screen mode follows the login's role
            layout.addWidget(box)
            box.setVisible(user.can(permission))
        layout.addStretch(1)
        self._update()

    def _ticket_box(self) -> QGroupBox:
        box = QGroupBox(_tr("Selection ticket"))
        self.flat_label = QLabel(_tr("Choose a flat on the grid (arrow keys, Enter)"))
        self.flat_label.setWordWrap(True)
        self.flat_label.setMinimumHeight(self.flat_label.fontMetrics().lineSpacing() * 2 + 10)  # two lines, never cut
        self.ratio = QComboBox()
        for pct in (50, 60, 70, 80, 90, 100, 40, 30):
            self.ratio.addItem(f"{pct}%", Decimal(pct) / 100)
        self.ratio_approval = QLineEdit()
        self.ratio_approval.setPlaceholderText(_tr("Approval number, only below the minimum ratio"))
        self.discounts = [QCheckBox(name) for name in DISCOUNTS]
        self.ticket_button = EnterButton(_tr("Issue ticket (Enter)"))
        self.ticket_button.clicked.connect(self.issue_ticket)
        self.ticket_message = error_label()
        form = QFormLayout(box)
        form.addRow(_tr("Flat"), self.flat_label)
        form.addRow(_tr("Payment ratio"), self.ratio)
        form.addRow(_tr("Ratio approval"), self.ratio_approval)
        row = QHBoxLayout()
        for d in self.discounts:
            row.addWidget(d)
        form.addRow(_tr("Discounts taken"), row)
        form.addRow(self.ticket_button)
        form.addRow(self.ticket_message)
        return box

    def _receipt_box(self) -> QGroupBox:
        box = QGroupBox(_tr("Receipt"))
        self.amount = QLineEdit()
        self.purpose = QComboBox()
        for code, label in RECEIVABLE.items():
            self.purpose.addItem(label, code)
        self.method = QComboBox()
        self.method.addItems(list(METHODS))
        self.method.setCurrentText("转账")
        self.receipt_button = EnterButton(_tr("Receive and issue receipt"))
        self.receipt_button.clicked.connect(self.receive)
        self.amount.returnPressed.connect(self.receive)
        self.receipt_message = error_label()
        form = QFormLayout(box)
        form.addRow(_tr("Amount (yuan)"), self.amount)
        form.addRow(_tr("For"), self.purpose)
        form.addRow(_tr("Paid by"), self.method)
        form.addRow(self.receipt_button)
        form.addRow(self.receipt_message)
        return box

    def _certificate_box(self) -> QGroupBox:
        box = QGroupBox(_tr("Selection certificate"))
        self.paid_label = QLabel()
        self.certificate_button = EnterButton(_tr("Issue certificate (Enter; the ticket's reviewer signs)"))
        self.certificate_button.clicked.connect(self.certify)
        self.certificate_message = error_label()
        form = QFormLayout(box)
        form.addRow(self.paid_label)
        form.addRow(self.certificate_button)
        form.addRow(self.certificate_message)
        return box

    # --- state ---------------------------------------------------------------------------------
    def set_commission(self, commission_id) -> None:
        self.commission_id, self.buyer, self.flat = commission_id, None, None
        self.buyer_label.setText(_tr("No buyer yet"))
        self._update()
        self.buyer_changed.emit(None)

    def set_flat(self, cell) -> None:
        """A flat chosen on the grid; only a released flat of this unit can be ticketed."""
        self.flat = cell
        total = f"{cell.total:,.2f}" if cell.total is not None else "—"
        self.flat_label.setText(_tr("{flat}, {area} m², {price}/m²\ntotal {total}").format(
            flat=cell.label, area=cell.area, price=f"{cell.price_per_m2 or 0:,.0f}", total=total))
        self.ticket_message.clear()
        self._update()
        if self.ticket_button.isEnabled():
            self.ticket_button.setFocus()

    def _update(self) -> None:
        b = self.buyer
        has_ticket = bool(b and b.ticket_id)
        self.ticket_button.setEnabled(bool(b and not has_ticket and self.flat is not None))
        self.receipt_button.setEnabled(has_ticket)
        self.certificate_button.setEnabled(bool(has_ticket and not b.certificate_number and b.paid >= b.amount_now))
        if has_ticket:
            self.paid_label.setText(_tr("Paid {paid} of {due} due now; certificate: {cert}").format(
                paid=f"{b.paid:,.2f}", due=f"{b.amount_now:,.2f}", cert=b.certificate_number or "—"))
            if not self.amount.text() and b.paid < b.amount_now:  # offer what is due next: deposit first
                deposit_first = b.paid == 0 and b.deposit is not None and b.deposit < b.amount_now
                self.amount.setText(f"{b.deposit if deposit_first else b.amount_now - b.paid:.2f}")
                self.purpose.setCurrentIndex(self.purpose.findData("deposit" if deposit_first else "payment"))
        else:
            self.paid_label.clear()

    def _show_buyer(self, b: desk.BuyerAtDesk) -> None:
        self.buyer = b
        order = b.draw_order if b.draw_order is not None else "—"
        text = _tr("{name}  list no. {no}  selection order {order}").format(name=b.name, no=b.list_no, order=order)
        if b.ticket_number:
            text += "\n" + _tr("Ticket {number}: {flat}").format(number=b.ticket_number, flat=b.flat)
        if b.audit_flag:  # the eligibility review's note travels with the buyer to every station
            text += "\n" + _tr("Audit note: {flag}").format(flag=b.audit_flag)
        self.buyer_label.setText(text)
        self._update()
        self.buyer_changed.emit(b)

    def refresh_buyer(self) -> None:
        if self.buyer is not None:
            self._show_buyer(desk.verify_buyer(self.ctx.db, user=self.user, commission_id=self.commission_id,
                                               id_number=self.buyer.id_number))

    # --- actions -------------------------------------------------------------------------------
    def verify(self) -> None:
        """核实身份: refused with the reason in place, the typed ID stays for correction."""
        self.message.clear()
        self.amount.clear()
        text = self.id_edit.text()
        try:
            if desk.looks_like_document_number(text):  # a ticket passed on from another station
                b = desk.buyer_by_document(self.ctx.db, user=self.user, commission_id=self.commission_id,
                                           number=text)
            else:
                b = desk.verify_buyer(self.ctx.db, user=self.user, commission_id=self.commission_id,
                                      id_number=text)
        except UserError as exc:
            self.buyer = None
            self.buyer_label.setText(_tr("No buyer yet"))
            self.message.setText(exc.message)
            self._update()
            self.buyer_changed.emit(None)
            return
        self._show_buyer(b)
        self._next_step()

    def _next_step(self) -> None:
        """Where the keyboard goes next for this buyer at this station."""
        b, can = self.buyer, self.user.can
        if b is None:
            return self.back_to_scan()
        if not b.ticket_id and can("selection.ticket"):
            return self.choose_flat.emit()
        if b.ticket_id and b.paid < b.amount_now and can("selection.receipt"):
            self.amount.setFocus()
            return self.amount.selectAll()
        if self.certificate_button.isEnabled() and can("selection.certificate"):
            return self.certificate_button.setFocus()
        self.back_to_scan()

    def back_to_scan(self) -> None:
        """The scan field takes the focus with its text selected: the next scan replaces it."""
        self.id_edit.setFocus()
        self.id_edit.selectAll()

    def issue_ticket(self) -> None:
        if not (self.buyer and self.flat):
            return
        discounts = [(box.text(), box.isChecked()) for box in self.discounts]
        if self._run(self.ticket_message, lambda: sel.issue_ticket(
                self.ctx.db, user=self.user, commission_id=self.commission_id, id_number=self.buyer.id_number,
                flat_id=self.flat.id, payment_ratio=self.ratio.currentData(), discounts=discounts,
                ratio_approval=self.ratio_approval.text())):
            self.back_to_scan()

    def receive(self) -> None:
        if not (self.buyer and self.buyer.ticket_id):
            return
        try:
            amount = Decimal(self.amount.text().replace(",", "").strip())
        except InvalidOperation:
            self.receipt_message.setText(_tr("Enter the amount in yuan, e.g. 20000 or 20000.50"))
            return
        if self._run(self.receipt_message, lambda: sel.record_receipt(
                self.ctx.db, user=self.user, ticket_id=self.buyer.ticket_id, amount=amount,
                purpose=self.purpose.currentData(), method=self.method.currentText())):
            self.amount.clear()
            self._update()
            self._next_step()

    def certify(self) -> None:
        """No password here: the certificate's 复核人 is whoever reviewed the ticket at the review station."""
        if not (self.buyer and self.buyer.ticket_id):
            return
        if self._run(self.certificate_message, lambda: sel.issue_certificate(
                self.ctx.db, user=self.user, ticket_id=self.buyer.ticket_id)):
            self.back_to_scan()

    def authorise(self) -> None:
        """越序选房: the lead calls this buyer ahead of the drawn order, with the reason (logged)."""
        if not self.buyer or self.buyer.ticket_id:
            self.message.setText(_tr("Verify a buyer without a ticket first"))
            return
        reason, ok = QInputDialog.getText(self, _tr("Out of order"), _tr(
            "Why may {name} choose before their number is called?").format(name=self.buyer.name))
        if not ok:
            return
        from app.services.selection import queue

        try:
            queue.authorise_out_of_order(self.ctx.db, user=self.user, commission_id=self.commission_id,
                                         id_number=self.buyer.id_number, desk=self.desk_name(), reason=reason)
        except UserError as exc:
            self.message.setText(exc.message)
            return
        self.message.setText(_tr("Authorised: {name} may choose now").format(name=self.buyer.name))
        self.ticket_message.clear()
        self.choose_flat.emit()

    def desk_name(self) -> str:
        from app.config import LocalConfig

        return LocalConfig.load().desk_name or _tr("Desk 1")

    def _run(self, where: QLabel, action) -> bool:
        """Run a desk action; a refusal shows in place and keeps what was entered."""
        where.clear()
        try:
            doc = action()
        except UserError as exc:
            where.setText(exc.message)
            return False
        self.refresh_buyer()
        self.issued.emit(doc)
        return True
