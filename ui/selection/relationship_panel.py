"""关系房 in the ledgers window: record an approval (paper, or the GM's phone call), the phone approvals whose
paperwork is due (补办书面手续), the late payers to move to the new price policy (转新价格政策), each list
exportable to Excel. Every action goes through app.services.selection.relationship; refusals show in place."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
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

from app.errors import UserError, ValidationFailed
from app.services.selection import relationship
from ui.admin.rows_model import RED, RowsModel, local_time
from ui.selection.setup.common import Message, decimal_of, money, show_refusal, table
from ui.widgets import FieldBox


def _tr(text: str) -> str:
    return QCoreApplication.translate("RelationshipPanel", text)


def _day(value) -> str:
    return value.isoformat() if value else ""


def _ratio(text: str) -> Decimal:
    """'70', '70%' or '0.7' → 0.7."""
    value = decimal_of(text.rstrip("%"), "payment_ratio", "交款比例")
    return value / 100 if value > 1 else value


class ApprovalDialog(QDialog):
    """登记关系房审批 for one of the unit's released flats."""

    def __init__(self, ctx, user, commission_id, parent=None):
        super().__init__(parent)
        self.ctx, self.user, self.commission_id = ctx, user, commission_id
        self.recorded = None
        self.setWindowTitle(_tr("Record a relationship-flat approval"))
        flat = QComboBox()
        for f in relationship.flats_for_approval(ctx.db, user=user, commission_id=commission_id):
            price = _tr("list price {price}").format(price=money(f.list_price)) if f.list_price else ""
            flat.addItem(f"{f.label}  {price}  {f.note}".strip(), f.id)
        kind = QComboBox()
        kind.addItem(_tr("Paper approval"), "paper")
        kind.addItem(_tr("General manager's phone approval"), "phone")
        deadline = QDateEdit(QDate.currentDate().addDays(14))
        deadline.setCalendarPopup(True)
        deadline.setDisplayFormat("yyyy-MM-dd")
        self.deadline = deadline
        self.fields = {"flat": FieldBox(flat), "beneficiary": FieldBox(QLineEdit()), "kind": FieldBox(kind),
                       "approval_no": FieldBox(QLineEdit()), "approver": FieldBox(QLineEdit()),
                       "handled_by": FieldBox(QLineEdit()), "average_price": FieldBox(QLineEdit()),
                       "payment_ratio": FieldBox(QLineEdit()), "pay_deadline": FieldBox(deadline),
                       "note": FieldBox(QLineEdit())}
        self.fields["average_price"].editor.setPlaceholderText(_tr("yuan per m², e.g. 5800"))
        self.fields["payment_ratio"].editor.setPlaceholderText(_tr("per cent, e.g. 70"))
        self.form = QFormLayout()
        for key, label in (("flat", _tr("Flat")), ("beneficiary", _tr("Buyer (beneficiary)")),
                           ("kind", _tr("Approved by")), ("approval_no", _tr("Approval number")),
                           ("approver", _tr("Approver")), ("handled_by", _tr("Handler who took the call")),
                           ("average_price", _tr("Approved average price")),
                           ("payment_ratio", _tr("Payment ratio")), ("pay_deadline", _tr("Pay by")),
                           ("note", _tr("Note"))):
            self.form.addRow(label, self.fields[key])
        kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.message = Message("approval_message")
        save, cancel = QPushButton(_tr("Record")), QPushButton(_tr("Cancel"))
        save.clicked.connect(self.record)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(save)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addLayout(buttons)
        self._kind_changed()

    def _kind_changed(self) -> None:
        phone = self.fields["kind"].value() == "phone"
        self.form.setRowVisible(self.fields["approval_no"], not phone)
        self.form.setRowVisible(self.fields["handled_by"], phone)
        self.form.labelForField(self.fields["approver"]).setText(
            _tr("General manager who phoned") if phone else _tr("Approver"))

    def record(self) -> None:
        v = {k: b.value() for k, b in self.fields.items()}
        try:
            if v["flat"] is None:
                raise ValidationFailed({"flat": "本单位没有可登记的已释放房源:请先在选房活动设置中释放房源"})
            price = decimal_of(v["average_price"], "average_price", "审批均价") if v["average_price"].strip() else 0
            ratio = _ratio(v["payment_ratio"]) if v["payment_ratio"].strip() else 0
            self.recorded = relationship.record_approval(
                self.ctx.db, user=self.user, flat_id=v["flat"], commission_id=self.commission_id,
                beneficiary=v["beneficiary"], kind=v["kind"], approval_no=v["approval_no"], approver=v["approver"],
                handled_by=v["handled_by"], average_price=price, payment_ratio=ratio,
                pay_deadline=self.deadline.date().toPython(), note=v["note"])
        except UserError as exc:
            show_refusal(exc, self.message, self.fields)
            return
        self.accept()


def _list_box(title: str, hint: str, buttons, view) -> QGroupBox:
    """A titled list: its explanation and buttons on one line, the list below."""
    row = QHBoxLayout()
    row.addWidget(QLabel(hint), 1)
    for button in buttons:
        row.addWidget(button)
    layout = QVBoxLayout()
    layout.addLayout(row)
    layout.addWidget(view)
    box = QGroupBox(title)
    box.setLayout(layout)
    return box


class RelationshipPage(QWidget):
    """The two lists of the ledgers window's 关系房 tab, with their actions."""

    def __init__(self, ctx, user, commission_id, parent=None):
        super().__init__(parent)
        self.ctx, self.user, self.commission_id = ctx, user, commission_id
        self.paperwork = RowsModel(
            [_tr("Flat"), _tr("Beneficiary"), _tr("GM who phoned"), _tr("Handler"), _tr("Phoned at"),
             _tr("Paperwork due"), _tr("Status"), _tr("Approved price"), _tr("Ratio"), _tr("Pay by")],
            lambda r: (r.flat, r.beneficiary, r.approver, r.handled_by, local_time(r.phoned_at),
                       _day(r.paperwork_due), r.paperwork_state, money(r.average_price), f"{r.payment_ratio:.0%}",
                       _day(r.pay_deadline)),
            lambda r: RED if r.paperwork_state.startswith("逾期") else None)
        self.late = RowsModel(
            [_tr("Flat"), _tr("Beneficiary"), _tr("Approval"), _tr("Approved price"), _tr("Ratio"), _tr("Pay by"),
             _tr("Ticket"), _tr("First payment due"), _tr("Paid"), _tr("Action")],
            lambda r: (r.flat, r.beneficiary, r.basis, money(r.average_price), f"{r.payment_ratio:.0%}",
                       _day(r.pay_deadline), r.ticket_number or _tr("no ticket"), money(r.required), money(r.paid),
                       r.state_label),
            lambda _r: RED)
        self.paperwork_view, self.late_view = table(self.paperwork), table(self.late)
        self.record_button = QPushButton(_tr("Record approval…"))
        self.record_button.clicked.connect(self.open_record)
        self.complete_button = QPushButton(_tr("Paperwork received…"))
        self.complete_button.clicked.connect(self.complete_selected)
        self.lapse_button = QPushButton(_tr("Move to the new price policy"))
        self.lapse_button.clicked.connect(self.lapse_selected)
        self.export_paperwork = QPushButton(_tr("Export to Excel…"))
        self.export_paperwork.clicked.connect(lambda: self.ask_export("paperwork"))
        self.export_late = QPushButton(_tr("Export to Excel…"))
        self.export_late.clicked.connect(lambda: self.ask_export("late"))
        self.message = Message("relationship_message")
        box1 = _list_box(_tr("Paperwork to complete"),
                         _tr("Phone approvals: the paper approval is due within the working days set in "
                             "the rules; a handler whose paperwork is overdue gets no further flats."),
                         (self.complete_button, self.export_paperwork), self.paperwork_view)
        box2 = _list_box(_tr("Late payers: new price policy"),
                         _tr("Past the approved deadline without the approved first payment: the approval "
                             "lapses and the flat is sold at the normal price list."),
                         (self.lapse_button, self.export_late), self.late_view)
        top = QHBoxLayout()
        top.addWidget(self.message, 1)
        top.addWidget(self.record_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(box1, 1)
        layout.addWidget(box2, 1)

    def reload(self) -> None:
        try:
            self.paperwork.set_items(relationship.paperwork_list(self.ctx.db, user=self.user,
                                                                 commission_id=self.commission_id))
            self.late.set_items(relationship.late_payers(self.ctx.db, user=self.user,
                                                         commission_id=self.commission_id))
        except UserError as exc:
            self.message.error(exc.message)
        may = self.user.can("selection.relationship")
        for b in (self.record_button, self.complete_button, self.lapse_button):
            b.setEnabled(may)

    def _selected(self, view, model):
        rows = view.selectionModel().selectedRows()
        return model.item(rows[0].row()) if rows else None

    def open_record(self) -> None:
        try:
            dialog = ApprovalDialog(self.ctx, self.user, self.commission_id, self)
        except UserError as exc:
            self.message.error(exc.message)
            return
        if dialog.exec():
            self.message.done(_tr("Approval recorded; the flat is sold at the approved price and ratio."))
            self.reload()

    def complete_selected(self) -> None:
        row = self._selected(self.paperwork_view, self.paperwork)
        if row is None:
            self.message.error(_tr("Choose a phone approval in the list first."))
            return
        number, ok = QInputDialog.getText(self, _tr("Paperwork received"), _tr("Paper approval number"))
        if not ok:
            return
        approver, ok = QInputDialog.getText(self, _tr("Paperwork received"), _tr("Approver"), text=row.approver)
        if ok:
            self.complete(row, number, approver)

    def complete(self, row, number: str, approver: str) -> None:
        try:
            relationship.complete_paperwork(self.ctx.db, user=self.user, approval_id=row.id, paper_no=number,
                                            paper_approver=approver)
        except UserError as exc:
            show_refusal(exc, self.message)
            return
        self.message.done(_tr("Paperwork of {flat} recorded.").format(flat=row.flat))
        self.reload()

    def lapse_selected(self) -> None:
        row = self._selected(self.late_view, self.late)
        if row is None:
            self.message.error(_tr("Choose a late payer in the list first."))
            return
        self.lapse(row)

    def lapse(self, row) -> None:
        try:
            new = relationship.apply_new_price_policy(self.ctx.db, user=self.user, approval_id=row.id)
        except UserError as exc:
            show_refusal(exc, self.message)
            return
        self.message.done(_tr("{flat} is back on the normal price list.").format(flat=row.flat)
                          + (" " + _tr("New ticket {number}.").format(number=new.number) if new else ""))
        self.reload()

    def ask_export(self, what: str) -> None:
        default = f"{relationship.EXPORTS[what]}-{date.today().isoformat()}.xlsx"
        path, _ = QFileDialog.getSaveFileName(self, _tr("Export"), default, _tr("Excel workbooks (*.xlsx)"))
        if path:
            self.export_to(what, Path(path))

    def export_to(self, what: str, path: Path) -> None:
        try:
            n = relationship.export(self.ctx.db, user=self.user, commission_id=self.commission_id, what=what,
                                    path=path)
        except UserError as exc:
            self.message.error(exc.message)
            return
        self.message.done(_tr("Exported {n} rows to {path}").format(n=n, path=path))
