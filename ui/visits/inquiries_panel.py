"""询价与函电 sub-tab: customers' inquiries newest first with the working-hour answer clock (§3.2: answered within
24 hours), the unanswered-past-the-clock ones in red; receive, answer; a footer counted from the rows."""
from __future__ import annotations

import uuid

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QCheckBox, QDialog, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QWidget

from app.domain import inquiries as rules
from app.errors import UserError
from app.services import inquiries
from ui.context import DeskContext
from ui.tr import N_
from ui.visits.reception_common import (
    DONE,
    OVERDUE,
    PENDING,
    aware,
    datetime_edit,
    fill_row,
    find_customers,
    form_dialog,
    list_panel,
    local,
    selected_key,
    show_refusal,
    zone,
)
from ui.widgets import FieldBox, combo

COLUMNS = (N_("Number"), N_("Received"), N_("Customer / inquirer"), N_("Channel"), N_("Subject"), N_("Answer due"),
           N_("Answered"), N_("Overdue"))


def _tr(text: str) -> str:
    return QCoreApplication.translate("InquiriesPanel", text)


class InquiryDialog(QDialog):
    """登记询价: who asked (a customer on file or a name), how, when, what."""

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx, self.inquiry_id, self.zone = ctx, None, zone(ctx)
        self.setWindowTitle(_tr("Record an inquiry"))
        self.setMinimumWidth(520)
        self.fields = {
            "customer_id": FieldBox(combo([], blank=_tr("(not a customer on file)"))),
            "inquirer": FieldBox(QLineEdit()),
            "contact": FieldBox(QLineEdit()),
            "channel": FieldBox(combo(list(rules.CHANNELS.items()))),
            "received_at": FieldBox(datetime_edit(self.zone)),
            "subject": FieldBox(QLineEdit()),
            "content": FieldBox(QPlainTextEdit()),
        }
        self.fields["content"].editor.setFixedHeight(80)
        self.find = QLineEdit()
        self.find.setPlaceholderText(_tr("Type a name, pinyin or phone to find the customer"))
        self.find.returnPressed.connect(self.search)
        form = QFormLayout()
        form.addRow(_tr("Find customer"), self.find)
        for key, label in (("customer_id", N_("Customer")), ("inquirer", N_("Inquirer")), ("contact", N_("Contact")),
                           ("channel", N_("Channel")), ("received_at", N_("Received at")),
                           ("subject", N_("Subject")), ("content", N_("Details"))):
            form.addRow(_tr(label), self.fields[key])
        self.message = form_dialog(self, form, self.submit)

    def search(self) -> None:
        find_customers(self, self.fields["customer_id"].editor, self.find.text(), _tr("(not a customer on file)"))

    def submit(self) -> None:
        f = self.fields
        values = {k: f[k].value() for k in ("inquirer", "contact", "channel", "subject", "content")}
        cid = f["customer_id"].value()
        values["customer_id"] = uuid.UUID(cid) if cid else None
        values["received_at"] = aware(f["received_at"].editor, self.zone)
        try:
            self.inquiry_id = inquiries.receive(self.ctx.db, user=self.ctx.principal, values=values)
        except UserError as exc:
            show_refusal(exc, self.fields, self.message)
            return
        self.accept()


class AnswerDialog(QDialog):
    def __init__(self, ctx, row: inquiries.InquiryRow, parent=None):
        super().__init__(parent)
        self.ctx, self.row = ctx, row
        self.setWindowTitle(_tr("Answer {number}").format(number=row.number))
        self.setMinimumWidth(480)
        self.fields = {"answer": FieldBox(QPlainTextEdit())}
        self.fields["answer"].editor.setFixedHeight(100)
        form = QFormLayout()
        form.addRow(_tr("Subject"), QLabel(row.subject))
        form.addRow(_tr("Answer due"), QLabel(local(row.respond_by, zone(ctx))))
        form.addRow(_tr("Answer"), self.fields["answer"])
        self.message = form_dialog(self, form, self.submit, save=True)

    def submit(self) -> None:
        try:
            inquiries.answer(self.ctx.db, user=self.ctx.principal, inquiry_id=self.row.id,
                             text=self.fields["answer"].value(), expected_version=self.row.version)
        except UserError as exc:
            show_refusal(exc, self.fields, self.message)
            return
        self.accept()


class InquiriesPanel(QWidget):
    def __init__(self, ctx: DeskContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[inquiries.InquiryRow] = []
        self.open_only = QCheckBox(_tr("Unanswered only"))
        self.open_only.toggled.connect(lambda _on: self.reload())
        list_panel(self, "inquiries", (("new", _tr("Record…"), self.receive), ("answer", _tr("Answer…"), self.answer)),
                   [_tr(c) for c in COLUMNS], after=(self.open_only,))
        self.table.doubleClicked.connect(lambda _i: self.answer())
        user = ctx.principal
        for key in ("new", "answer"):
            self.buttons[key].setEnabled(user is None or user.can("complaints.receive"))
        self.reload()

    def reload(self) -> None:
        tz = zone(self.ctx)
        try:
            self.rows = inquiries.list_inquiries(self.ctx.db, user=self.ctx.principal,
                                                 open_only=self.open_only.isChecked())
        except UserError as exc:
            self.error.setText(exc.message)
            self.rows = []
        self.table.setRowCount(len(self.rows))
        for i, r in enumerate(self.rows):
            waiting_late = r.overdue and r.answered_at is None
            colour = OVERDUE if waiting_late else DONE if r.answered_at else PENDING
            answered = local(r.answered_at, tz) + (f"({r.answered_by})" if r.answered_by else "")
            fill_row(self.table, i, [r.number, local(r.received_at, tz), r.customer_name or r.inquirer,
                                     r.channel_label, r.subject, local(r.respond_by, tz), answered,
                                     _tr("Overdue") if r.overdue else ""], r.id, colour)
        f = inquiries.figures(self.rows)
        rate = "—" if f.on_time_rate is None else f"{f.on_time_rate * 100:.1f}%"
        hours = "—" if f.answer_hours is None else _tr("{h} h").format(h=f.answer_hours)
        self.summary.setText(_tr("{n} inquiries · {a} answered · {k} overdue ({w} still unanswered) · answered in "
                                 "time {rate} · mean answer {hours}").format(
            n=f.count, a=f.answered, k=f.overdue, w=f.waiting_overdue, rate=rate, hours=hours))

    def receive(self) -> None:
        if InquiryDialog(self.ctx, self).exec():
            self.reload()

    def answer(self) -> None:
        key = selected_key(self.table)
        row = next((r for r in self.rows if r.id == key), None)
        if row is None:
            self.error.setText(_tr("Choose an inquiry in the list first."))
            return
        if row.answered_at is not None:
            self.error.setText(_tr("This inquiry has been answered."))
            return
        if AnswerDialog(self.ctx, row, self).exec():
            self.error.clear()
            self.reload()
