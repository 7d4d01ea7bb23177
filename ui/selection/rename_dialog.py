"""更名 — pass a ticket's flat to another person: the fee is shown before anything is done."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout

from app.errors import UserError, ValidationFailed
from app.services.selection import rename
from ui.widgets import ERROR_STYLE, FieldBox, confirm_buttons


def _tr(text: str) -> str:
    return QCoreApplication.translate("RenameDialog", text)


class RenameDialog(QDialog):
    def __init__(self, ctx, user, ticket_id, parent=None):
        super().__init__(parent)
        self.ctx, self.user, self.ticket_id = ctx, user, ticket_id
        self.result_docs = None
        self.setWindowTitle(_tr("Rename ticket"))
        self.setMinimumWidth(480)
        self.fields = {"new_id_number": FieldBox(QLineEdit()), "new_name": FieldBox(QLineEdit()),
                       "market_price_total": FieldBox(QLineEdit()), "reason": FieldBox(QLineEdit())}
        self.fields["market_price_total"].editor.setPlaceholderText(_tr("Only for a person outside the list"))
        form = QFormLayout()
        form.addRow(_tr("New buyer's ID number"), self.fields["new_id_number"])
        form.addRow(_tr("New buyer's name"), self.fields["new_name"])
        form.addRow(_tr("Market price of the flat (yuan)"), self.fields["market_price_total"])
        form.addRow(_tr("Reason"), self.fields["reason"])
        self.fee = QLabel()
        self.fee.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        check = QPushButton(_tr("Show the fee"))
        check.clicked.connect(self.show_fee)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(check)
        layout.addWidget(self.fee)
        layout.addWidget(self.message)
        layout.addWidget(confirm_buttons(self, self.do_rename))

    def _market(self):
        text = self.fields["market_price_total"].value().replace(",", "").strip()
        if not text:
            return None
        try:
            return Decimal(text)
        except InvalidOperation:
            raise ValidationFailed({"market_price_total": _tr("Type the amount in yuan, e.g. 650000")}) from None

    def _show_error(self, exc: UserError) -> None:
        for box in self.fields.values():
            box.set_error(None)
        if isinstance(exc, ValidationFailed) and set(exc.errors) <= set(self.fields):
            for key, text in exc.errors.items():
                self.fields[key].set_error(text)
            self.message.clear()
        else:
            self.message.setText(exc.message)  # in place; everything typed stays

    def show_fee(self) -> None:
        try:
            q = rename.quote_rename(self.ctx.db, user=self.user, ticket_id=self.ticket_id,
                                    new_id_number=self.fields["new_id_number"].value(),
                                    new_name=self.fields["new_name"].value(), market_price_total=self._market())
        except UserError as exc:
            self._show_error(exc)
            return
        self._show_error(UserError(""))
        kind = _tr("between names on the list, free") if q.on_list else _tr("outside the list")
        self.fee.setText(_tr("{old} → {new} ({kind}). Rename fee {fee} yuan, received {got}; "
                             "paid money moving with the flat {moving} yuan.").format(
            old=q.old_buyer, new=q.new_buyer, kind=kind, fee=f"{q.fee:,.2f}", got=f"{q.fee_received:,.2f}",
            moving=f"{q.money_moving:,.2f}"))

    def do_rename(self) -> None:
        try:
            self.result_docs = rename.rename(
                self.ctx.db, user=self.user, ticket_id=self.ticket_id,
                new_id_number=self.fields["new_id_number"].value(), new_name=self.fields["new_name"].value(),
                market_price_total=self._market(), reason=self.fields["reason"].value())
        except UserError as exc:
            self._show_error(exc)
            return
        self.accept()


def open_rename(parent, ctx, user, ticket_id):
    """Ask for the new buyer and rename; returns (red ticket, new ticket), or None when cancelled."""
    dialog = RenameDialog(ctx, user, ticket_id, parent)
    dialog.exec()
    return dialog.result_docs
