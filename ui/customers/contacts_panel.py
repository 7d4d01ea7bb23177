"""The card's 联系人员 section: our staff in contact with the customer, the 重要客户 flag and the warning
when an important customer has fewer contact staff than the rule asks (两个以上人员联系)."""
from __future__ import annotations

import uuid

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain import vocab
from app.errors import UserError, ValidationFailed
from app.services import customer_contacts, staff
from ui import vocab as vlabels
from ui.context import DeskContext
from ui.tr import N_
from ui.widgets import FieldBox, combo

COLUMNS = (N_("Staff"), N_("Department"), N_("Role"), N_("Assigned by"), N_("Assigned on"))
REASONS = {"flag": N_("marked by hand"), "grade": N_("grade A"), "size": N_("large enterprise")}
WARNING_STYLE = "color:#8a3b00; background:#fff4e5; border:1px solid #f0b36b; padding:6px;"
ERROR_STYLE = "color:#b00020"


def _tr(text: str) -> str:
    return QCoreApplication.translate("ContactsPanel", text)


def warning_text(team: customer_contacts.ContactTeam | None) -> str:
    """The in-place warning (also the card's badge); empty when nothing is short."""
    if team is None or not team.short:
        return ""
    return _tr("Important customer: {n} of the required {m} contact staff. Assign {k} more.").format(
        n=team.counted, m=team.minimum, k=team.short)


class ContactsPanel(QWidget):
    changed = Signal()

    def __init__(self, ctx: DeskContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.customer_id: uuid.UUID | None = None
        self.team: customer_contacts.ContactTeam | None = None

        self.important = QCheckBox(_tr("Important customer (重要客户)"))
        self.important.setObjectName("contacts_important")
        self.important.clicked.connect(self._set_important)
        self.why = QLabel()
        self.why.setObjectName("contacts_why")
        self.warning = QLabel()
        self.warning.setObjectName("contacts_warning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(WARNING_STYLE)
        self.warning.hide()

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("contacts_table")
        self.table.setHorizontalHeaderLabels([_tr(c) for c in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()

        self.staff_box = FieldBox(combo([]))
        self.staff_box.editor.setObjectName("contacts_staff")
        self.staff_box.editor.setMinimumWidth(160)
        self.role = combo(vlabels.choices(vocab.CONTACT_ROLE))
        self.role.setCurrentIndex(self.role.findData("assist"))
        self.add_button = QPushButton(_tr("Assign"))
        self.remove_button = QPushButton(_tr("Remove selected"))
        self.add_button.clicked.connect(self.assign)
        self.remove_button.clicked.connect(self.remove)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(self.important)
        top.addWidget(self.why, 1)
        row = QHBoxLayout()
        row.addWidget(QLabel(_tr("Staff")))
        row.addWidget(self.staff_box, 2)
        row.addWidget(QLabel(_tr("Role")))
        row.addWidget(self.role, 1)
        row.addWidget(self.add_button)
        row.addStretch()
        row.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.warning)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.error)
        hint = QLabel(_tr("The owner counts as one contact; staff who have left are shown but not counted."))
        hint.setStyleSheet("color:#5f6b7a")
        hint.setWordWrap(True)
        layout.addWidget(hint)

    def load(self, customer_id: uuid.UUID | None) -> None:
        self.customer_id = customer_id
        self.error.clear()
        self.staff_box.set_error(None)
        self.team = (customer_contacts.team(self.ctx.db, customer_id=customer_id, user=self.ctx.user)
                     if customer_id else None)
        contacts = self.team.contacts if self.team else []
        self.table.setRowCount(len(contacts))
        for i, c in enumerate(contacts):
            role = _tr("Owner (负责人)") if c.role == "owner" else vlabels.label(vocab.CONTACT_ROLE, c.role)
            name = c.name if c.active else _tr("{name} (left, not counted)").format(name=c.name)
            on = c.assigned_at.astimezone().date().isoformat() if c.assigned_at else ""
            for j, text in enumerate((name, c.department, role, c.assigned_by, on)):
                self.table.setItem(i, j, QTableWidgetItem(text))
        self.important.setChecked(bool(self.team and self.team.flagged))
        if self.team and self.team.important:
            why = _tr(", ").join(_tr(REASONS[r]) for r in self.team.reasons)  # zh: 、
            self.why.setText(_tr("Important: {why}").format(why=why))
        else:
            self.why.setText("")
        text = warning_text(self.team)
        self.warning.setText("⚠ " + text if text else "")
        self.warning.setVisible(bool(text))
        self._fill_staff(contacts)
        self.setEnabled(customer_id is not None)

    def _fill_staff(self, contacts) -> None:
        """Staff still employed and not already in contact: the only ones the service accepts."""
        taken = {c.staff_id for c in contacts}
        box = self.staff_box.editor
        box.clear()
        box.addItem(_tr("Choose staff…"), "")
        for p in staff.list_staff(self.ctx.db, active_only=True):
            if p.id not in taken:
                box.addItem(f"{p.name}  {p.department}".strip(), str(p.id))

    def set_editable(self, editable: bool) -> None:
        """Without customer.edit the contact staff are shown, not changed (the service refuses anyway)."""
        for w in (self.important, self.staff_box, self.role, self.add_button, self.remove_button):
            w.setEnabled(editable)

    def _done(self) -> None:
        self.load(self.customer_id)
        self.changed.emit()

    def assign(self) -> None:
        if self.customer_id is None:
            return
        chosen = self.staff_box.value()
        if not chosen:
            self.staff_box.set_error(_tr("Choose a staff member to assign"))
            return
        try:
            customer_contacts.assign(self.ctx.db, actor=self.ctx.actor, customer_id=self.customer_id,
                                     staff_id=uuid.UUID(chosen), role=self.role.currentData(), user=self.ctx.user)
        except ValidationFailed as exc:
            self.staff_box.set_error(exc.errors.get("staff") or exc.message)
            return
        except UserError as exc:
            self.error.setText(exc.message)
            return
        self._done()

    def remove(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or self.team is None:
            self.error.setText(_tr("Select the staff member to remove"))
            return
        contact = self.team.contacts[rows[0].row()]
        if contact.id is None:
            self.error.setText(_tr("The owner is changed on the Basic data tab"))
            return
        answer = QMessageBox.question(self, _tr("Contact staff"),
                                      _tr("Take {name} off this customer's contact staff?").format(name=contact.name))
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            customer_contacts.unassign(self.ctx.db, actor=self.ctx.actor, contact_id=contact.id, user=self.ctx.user)
        except UserError as exc:
            self.error.setText(exc.message)
            return
        self._done()

    def _set_important(self, checked: bool) -> None:
        if self.customer_id is None:
            return
        try:
            customer_contacts.set_important(self.ctx.db, actor=self.ctx.actor, customer_id=self.customer_id,
                                            important=checked, user=self.ctx.user)
        except UserError as exc:
            self.important.setChecked(not checked)
            self.error.setText(exc.message)
            return
        self._done()
