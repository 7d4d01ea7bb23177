"""投诉受理 and 投诉处理 dialogs: take a complaint from any channel (optionally linked to a customer card), and
record one step of its handling."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
)

from app.domain import complaints as rules
from app.errors import UserError
from app.services import complaints
from ui.visits.reception_common import (
    aware,
    datetime_edit,
    find_customers,
    form_dialog,
    local,
    show_refusal,
    zone,
)
from ui.widgets import FieldBox, combo


def _tr(text: str) -> str:
    return QCoreApplication.translate("ComplaintDialog", text)


class ComplaintDialog(QDialog):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.complaint_id = None
        self.zone = zone(ctx)
        self.setWindowTitle(_tr("Receive a complaint"))
        self.setMinimumWidth(520)
        self.fields = {
            "customer_id": FieldBox(combo([], blank=_tr("(not a customer on file)"))),
            "complainant": FieldBox(QLineEdit()),
            "contact": FieldBox(QLineEdit()),
            "channel": FieldBox(combo(list(rules.CHANNELS.items()))),
            "cause": FieldBox(combo(list(rules.CAUSES.items()))),
            "received_at": FieldBox(datetime_edit(self.zone)),
            "subject": FieldBox(QLineEdit()),
            "content": FieldBox(QPlainTextEdit()),
        }
        self.find = QLineEdit()
        self.find.setPlaceholderText(_tr("Type a name, pinyin or phone to find the customer"))
        self.find.returnPressed.connect(self._search)
        self.fields["content"].editor.setFixedHeight(80)
        form = QFormLayout()
        form.addRow(_tr("Find customer"), self.find)
        form.addRow(_tr("Customer"), self.fields["customer_id"])
        form.addRow(_tr("Complainant"), self.fields["complainant"])
        form.addRow(_tr("Contact"), self.fields["contact"])
        form.addRow(_tr("Channel"), self.fields["channel"])
        form.addRow(_tr("Cause"), self.fields["cause"])
        form.addRow(_tr("Received at"), self.fields["received_at"])
        form.addRow(_tr("Subject"), self.fields["subject"])
        form.addRow(_tr("Details"), self.fields["content"])
        self.message = form_dialog(self, form, self.submit)

    def _search(self) -> None:
        find_customers(self, self.fields["customer_id"].editor, self.find.text(), _tr("(not a customer on file)"))

    def values(self) -> dict:
        import uuid

        f = self.fields
        out = {k: f[k].value() for k in ("complainant", "contact", "channel", "cause", "subject", "content")}
        cid = f["customer_id"].value()
        out["customer_id"] = uuid.UUID(cid) if cid else None
        out["received_at"] = aware(f["received_at"].editor, self.zone)
        return out

    def submit(self) -> None:
        try:
            self.complaint_id = complaints.receive(self.ctx.db, user=self.ctx.principal, values=self.values())
        except UserError as exc:
            show_refusal(exc, self.fields, self.message)
            return
        self.accept()


class ComplaintStepDialog(QDialog):
    """One step: the allowed actions for the complaint's state, a note, and the steps so far."""

    def __init__(self, ctx, row: complaints.ComplaintRow, parent=None):
        super().__init__(parent)
        self.ctx, self.row = ctx, row
        self.setWindowTitle(_tr("Complaint {number}").format(number=row.number))
        self.setMinimumWidth(520)
        actions = [(a, rules.STEP_LABELS[a]) for a, (starts, _to) in rules.STEPS.items() if row.status in starts]
        self.fields = {"action": FieldBox(combo(actions)), "note": FieldBox(QPlainTextEdit())}
        self.fields["note"].editor.setFixedHeight(80)
        history = QListWidget()
        tz = zone(ctx)
        for st in complaints.steps(ctx.db, user=ctx.principal, complaint_id=row.id):
            history.addItem(f"{local(st.at, tz)}  {st.action}({st.by}) {st.note}")
        form = QFormLayout()
        form.addRow(_tr("Subject"), QLabel(f"{row.subject}  [{row.status_label}]"))
        form.addRow(_tr("Steps so far"), history)
        form.addRow(_tr("Next step"), self.fields["action"])
        form.addRow(_tr("Note"), self.fields["note"])
        self.message = form_dialog(self, form, self.submit, save=True)
        if not actions:
            self.message.setText(_tr("This complaint is closed."))

    def submit(self) -> None:
        try:
            complaints.advance(self.ctx.db, user=self.ctx.principal, complaint_id=self.row.id,
                               action=self.fields["action"].value() or "", note=self.fields["note"].value(),
                               expected_version=self.row.version)
        except UserError as exc:
            show_refusal(exc, self.fields, self.message)
            return
        self.accept()
