"""Dialogs of the customer tab: duplicates found, blacklist, hand-over of a leaving rep's customers."""
from __future__ import annotations

import uuid

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from app.errors import UserError, ValidationFailed
from app.services import blacklist, staff
from app.services.customers import DuplicateCandidate
from ui.context import DeskContext
from ui.widgets import FieldBox, combo, confirm_buttons


def _tr(text: str) -> str:
    return QCoreApplication.translate("CustomerDialogs", text)


class DuplicateDialog(QDialog):
    """Same name, credit code or phone already on file: open it, merge into it, or create anyway."""

    OPEN, MERGE, CREATE = 10, 11, 12

    def __init__(self, candidates: list[DuplicateCandidate], parent=None):
        super().__init__(parent)
        self.setWindowTitle(_tr("Possible duplicate"))
        self.candidates = candidates
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_tr("These customers look like the one you are creating:")))
        self.list = QListWidget()
        for c in candidates:
            flag = "  [" + _tr("Blacklisted") + "]" if c.blacklisted else ""
            self.list.addItem(f"{c.code}  {c.name}  —  {c.reason}{flag}")
        self.list.setCurrentRow(0)
        layout.addWidget(self.list)
        buttons = QDialogButtonBox()
        for text, code in ((_tr("Open existing"), self.OPEN), (_tr("Merge into existing"), self.MERGE),
                           (_tr("Create anyway"), self.CREATE)):
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, c=code: self.done(c))
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel).clicked.connect(self.reject)
        layout.addWidget(buttons)

    def chosen(self) -> DuplicateCandidate:
        return self.candidates[max(self.list.currentRow(), 0)]


class BlacklistDialog(QDialog):
    """List a customer on the blacklist, or take them off it — both with a reason."""

    def __init__(self, ctx: DeskContext, customer_id: uuid.UUID, listed: bool, parent=None):
        super().__init__(parent)
        self.ctx, self.customer_id, self.listed = ctx, customer_id, listed
        self.setWindowTitle(_tr("Remove from blacklist") if listed else _tr("Add to blacklist"))
        form = QFormLayout(self)
        # the admission or elimination criteria, as the business rules (settings) list them
        choices = blacklist.criteria(ctx.db, removal=listed)
        self.criterion = FieldBox(combo([(c, c) for c in choices]))
        self.reason = FieldBox(QPlainTextEdit())
        form.addRow(_tr("Criterion for removal") if listed else _tr("Criterion"), self.criterion)
        form.addRow(_tr("Reason"), self.reason)
        buttons = confirm_buttons(self, self.save)
        form.addRow(buttons)

    def save(self) -> None:
        try:
            if self.listed:
                blacklist.remove(self.ctx.db, actor=self.ctx.actor, customer_id=self.customer_id,
                                 criterion=self.criterion.value(), reason=self.reason.value(), user=self.ctx.user)
            else:
                blacklist.add(self.ctx.db, actor=self.ctx.actor, customer_id=self.customer_id,
                              criterion=self.criterion.value(), reason=self.reason.value(), user=self.ctx.user)
        except ValidationFailed as exc:
            self.criterion.set_error(exc.errors.get("criterion") or exc.errors.get("removal_criterion"))
            self.reason.set_error(exc.errors.get("reason") or exc.errors.get("removal_reason"))
            return
        except UserError as exc:
            QMessageBox.warning(self, self.windowTitle(), exc.message)
            return
        self.accept()


class HandOverDialog(QDialog):
    """员工调离: every customer of the leaver goes to one named successor in one step."""

    def __init__(self, ctx: DeskContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.moved = 0
        self.setWindowTitle(_tr("Hand over a leaving rep's customers"))
        self.setMinimumWidth(480)
        people = [(str(s.id), f"{s.name}({s.department})") for s in staff.list_staff(ctx.db, active_only=True)]
        self.leaver, self.successor = QComboBox(), FieldBox(combo(people))
        for data, text in people:
            self.leaver.addItem(text, data)
        form = QFormLayout(self)
        form.addRow(_tr("Leaving rep"), self.leaver)
        form.addRow(_tr("Successor"), self.successor)
        self.disable_login = QCheckBox(_tr("Disable the leaver's login in the same step"))
        self.disable_login.setChecked(True)  # 员工调离不得带走客户资料: a login that still works takes them along
        form.addRow("", self.disable_login)
        note = QLabel(_tr("All customers with their archives, the visit plans not yet made and the open "
                          "follow-ups move to the successor; the leaver is marked inactive."))
        note.setWordWrap(True)
        form.addRow(note)
        buttons = confirm_buttons(self, self.save)
        form.addRow(buttons)

    def save(self) -> None:
        try:
            self.moved = staff.hand_over(self.ctx.db, actor=self.ctx.actor,
                                         leaver_id=uuid.UUID(self.leaver.currentData()),
                                         successor_id=uuid.UUID(self.successor.value()),
                                         disable_login=self.disable_login.isChecked(), user=self.ctx.user)
        except ValidationFailed as exc:
            self.successor.set_error(exc.errors.get("successor"))
            return
        except UserError as exc:
            QMessageBox.warning(self, self.windowTitle(), exc.message)
            return
        self.accept()
