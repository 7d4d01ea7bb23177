"""The entered items of the 100-point scoring (评分项) for one customer: sales model, our share of their
sales, industry reputation, each 0–100 (empty: the default score counts), and a note on how they were judged.
Years dealing in our products is counted from the sales records and is shown, not typed."""
from __future__ import annotations

import uuid

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
)

from app.errors import UserError, ValidationFailed
from app.services import grading_attributes
from ui.context import DeskContext
from ui.widgets import FieldBox, confirm_buttons, error_label


def _tr(text: str) -> str:
    return QCoreApplication.translate("AttributesDialog", text)


def N_(text: str) -> str:
    return text


ITEMS = (("sales_model", N_("Sales model (销售模式)"), N_("e.g. direct sales and own outlets score high")),
         ("their_share", N_("Our share of their sales (占其销售比例)"), N_("our products' share of what they sell")),
         ("reputation", N_("Industry reputation (行业信誉)"), N_("standing in the trade, disputes, references")))


class AttributesDialog(QDialog):
    def __init__(self, ctx: DeskContext, *, customer_id: uuid.UUID, customer_label: str, first_year: int | None = None,
                 parent=None):
        super().__init__(parent)
        self.ctx, self.customer_id = ctx, customer_id
        user = ctx.user
        self.editable = user is None or user.can("grading.run")
        self.setWindowTitle(_tr("Scoring items — {customer}").format(customer=customer_label))
        current = grading_attributes.get_attributes(ctx.db, user=ctx.user, customer_id=customer_id)
        self.fields: dict[str, FieldBox] = {}
        form = QFormLayout()
        form.addRow(_tr("Customer"), QLabel(customer_label))
        for key, label, hint in ITEMS:
            edit = QLineEdit("" if getattr(current, key) is None else str(getattr(current, key)))
            edit.setObjectName(key)
            edit.setPlaceholderText(_tr("0–100; empty: {d} counts").format(d=current.default))
            edit.setToolTip(_tr(hint))
            edit.setReadOnly(not self.editable)
            box = FieldBox(edit)
            self.fields[key] = box
            form.addRow(_tr(label), box)
        years = (_tr("since {year} (from the sales records)").format(year=first_year) if first_year
                 else _tr("no sales recorded yet"))
        form.addRow(_tr("Years dealing in our products"), QLabel(years))
        self.note = FieldBox(QPlainTextEdit(current.note))
        self.note.editor.setObjectName("note")
        self.note.editor.setPlaceholderText(_tr("How the scores were judged (who, what evidence)"))
        self.note.editor.setFixedHeight(80)
        self.note.editor.setReadOnly(not self.editable)
        form.addRow(_tr("Note"), self.note)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        if current.updated_by:
            when = current.updated_at.astimezone().strftime("%Y-%m-%d %H:%M") if current.updated_at else ""
            layout.addWidget(QLabel(_tr("Last changed by {who} {when}").format(who=current.updated_by, when=when)))
        if not self.editable:
            layout.addWidget(QLabel(_tr("Only those who may run the grading change these scores.")))
        self.message = error_label()
        layout.addWidget(self.message)
        buttons = confirm_buttons(self, self.save, save=True)
        buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(self.editable)
        layout.addWidget(buttons)
        self.resize(520, 0)

    def save(self) -> None:
        self.message.clear()
        values, bad = {}, False
        for key, box in self.fields.items():
            box.set_error(None)
            text = box.value().strip()
            if not text:
                values[key] = None
            elif text.isdigit():
                values[key] = int(text)
            else:
                box.set_error("应为0–100之间的整数")
                bad = True
        if bad:
            return
        try:
            grading_attributes.set_attributes(self.ctx.db, user=self.ctx.user, customer_id=self.customer_id,
                                        note=self.note.value(), **values)
        except ValidationFailed as exc:
            for key, text in exc.errors.items():
                (self.fields.get(key) or self.note).set_error(text)
            return
        except UserError as exc:
            self.message.setText(exc.message)
            return
        self.accept()
