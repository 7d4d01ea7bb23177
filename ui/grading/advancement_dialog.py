"""进阶申请表 dialogs: file (or complete and resubmit) an application; review or approve one."""
from __future__ import annotations

import uuid

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError, ValidationFailed
from app.services import advancement, grading_tables
from app.services.advancement import ApplicationInfo
from ui.context import DeskContext
from ui.widgets import FieldBox, combo, confirm_buttons, error_label


def _tr(text: str) -> str:
    return QCoreApplication.translate("AdvancementDialog", text)


class CustomerPicker(QWidget):
    """A search line over a combo of the customers the user may read (name or code contains the text);
    the combo holds at most LIMIT matches, so it stays quick with 100k cards."""

    LIMIT = 200

    def __init__(self, ctx: DeskContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.search = QLineEdit()
        self.search.setPlaceholderText(_tr("Search name or code"))
        self.search.setClearButtonEnabled(True)
        self.search.setMaximumWidth(180)
        self.box = combo([])
        self.box.setMinimumWidth(280)
        self.search.textChanged.connect(self.fill)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.search)
        row.addWidget(self.box, 1)
        self.fill()

    def fill(self, text: str = "") -> None:
        current = self.box.currentData()
        self.box.blockSignals(True)
        self.box.clear()
        for c in grading_tables.customer_choices(self.ctx.db, user=self.ctx.principal, text=text, limit=self.LIMIT):
            self.box.addItem(f"{c.code}  {c.name}", str(c.id))
        i = self.box.findData(current) if current else -1
        self.box.setCurrentIndex(max(i, 0))
        self.box.blockSignals(False)
        self.box.currentIndexChanged.emit(self.box.currentIndex())

    def customer_id(self) -> uuid.UUID | None:
        data = self.box.currentData()
        return uuid.UUID(data) if data else None

    def select(self, customer_id: uuid.UUID) -> None:
        if self.box.findData(str(customer_id)) < 0:
            for c in grading_tables.customer_choices(self.ctx.db, user=self.ctx.principal, customer_id=customer_id):
                self.box.addItem(f"{c.code}  {c.name}", str(c.id))
        self.box.setCurrentIndex(max(self.box.findData(str(customer_id)), 0))


class ApplyDialog(QDialog):
    """The rep's application: customer, step, the criteria met (ticked) and the reasons.

    With `application` given, it completes a returned application and sends it again."""

    def __init__(self, ctx: DeskContext, parent=None, *, customer_id: uuid.UUID | None = None,
                 application: ApplicationInfo | None = None):
        super().__init__(parent)
        self.ctx, self.application = ctx, application
        self.setWindowTitle(_tr("Advancement application") if application is None
                            else _tr("Complete and resubmit {n}").format(n=application.number))
        self.resize(620, 520)
        self.created: uuid.UUID | None = None
        self.picker = CustomerPicker(ctx)
        self.picker.box.setObjectName("apply_customer")
        self.customer = FieldBox(self.picker)
        self.step = FieldBox(combo([]))
        self.step.editor.setObjectName("apply_step")
        self.criteria_box = QGroupBox(_tr("Criteria met (进阶标准)"))
        self.criteria_layout = QVBoxLayout(self.criteria_box)
        self.criteria_error = error_label()
        self.checks: list[QCheckBox] = []
        self.reasons = FieldBox(QPlainTextEdit())
        self.reasons.editor.setObjectName("apply_reasons")
        self.reasons.editor.setPlaceholderText(_tr("Why the customer qualifies: facts, dates, figures"))
        self.message = error_label()

        form = QFormLayout()
        form.addRow(_tr("Customer"), self.customer)
        form.addRow(_tr("Step"), self.step)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.criteria_box)
        layout.addWidget(self.criteria_error)
        layout.addWidget(QLabel(_tr("Reasons (进阶理由)")))
        layout.addWidget(self.reasons, 1)
        layout.addWidget(self.message)
        layout.addWidget(confirm_buttons(self, self._submit))

        if application is None:
            if customer_id is not None:
                self.picker.select(customer_id)
            self.picker.box.currentIndexChanged.connect(self._load_steps)
            self.step.editor.currentIndexChanged.connect(self._load_criteria)
            self._load_steps()
        else:
            self.picker.select(application.customer_id)
            self.step.editor.addItem(application.step_label, application.step)
            self.picker.setEnabled(False)
            self.step.editor.setEnabled(False)
            self.reasons.set_value(application.reasons)
            self._load_criteria(ticked=application.criteria_met)

    def _customer_id(self) -> uuid.UUID | None:
        return self.picker.customer_id()

    def _load_steps(self) -> None:
        self.step.editor.blockSignals(True)
        self.step.editor.clear()
        cid = self._customer_id()
        try:
            steps = advancement.steps_for(self.ctx.db, customer_id=cid, user=self.ctx.principal) if cid else []
        except UserError as exc:
            steps = []
            self.message.setText(exc.message)
        for s in steps:
            self.step.editor.addItem(s.label, s.code)
        self.step.editor.blockSignals(False)
        self.step.set_error(None if steps or cid is None else _tr("This customer has no step to apply for now."))
        self._load_criteria()

    def _load_criteria(self, *_args, ticked: list[str] | None = None) -> None:
        for box in self.checks:
            box.setParent(None)
        self.checks = []
        code = self.step.value()
        if not code:
            return
        for text in advancement.criteria_for(self.ctx.db, step=code, user=self.ctx.principal):
            box = QCheckBox(text)
            box.setChecked(bool(ticked) and text in ticked)
            self.criteria_layout.addWidget(box)
            self.checks.append(box)

    def _submit(self) -> None:
        for box in (self.customer, self.step, self.reasons):
            box.set_error(None)
        self.criteria_error.setText("")
        self.message.setText("")
        met = [b.text() for b in self.checks if b.isChecked()]
        try:
            if self.application is None:
                cid = self._customer_id()
                if cid is None:
                    self.customer.set_error(_tr("Choose a customer"))
                    return
                self.created = advancement.file_application(
                    self.ctx.db, user=self.ctx.principal, customer_id=cid, step=self.step.value() or "",
                    reasons=self.reasons.value(), criteria_met=met)
            else:
                advancement.resubmit(self.ctx.db, user=self.ctx.principal, application_id=self.application.id,
                                     reasons=self.reasons.value(), criteria_met=met)
        except ValidationFailed as exc:
            boxes = {"step": self.step, "reasons": self.reasons}
            for key, text in exc.errors.items():
                if key in boxes:
                    boxes[key].set_error(text)
                elif key == "criteria":
                    self.criteria_error.setText(text)
                else:
                    self.message.setText(text)
            return
        except UserError as exc:
            self.message.setText(exc.message)
            return
        self.accept()


class DecisionDialog(QDialog):
    """An application with its history; the supervisor agrees or returns it, the manager approves it or
    asks for more (a comment is needed to send it back)."""

    def __init__(self, ctx: DeskContext, info: ApplicationInfo, mode: str, parent=None):
        super().__init__(parent)
        self.ctx, self.info, self.mode = ctx, info, mode
        self.setWindowTitle(_tr("Application {n}").format(n=info.number))
        self.resize(680, 560)
        details = QFormLayout()
        details.addRow(_tr("Customer"), QLabel(f"{info.customer_code}  {info.customer_name}"))
        details.addRow(_tr("Step"), QLabel(info.step_label))
        details.addRow(_tr("Applicant"), QLabel(info.applicant))
        details.addRow(_tr("State"), QLabel(info.state_label))
        reasons = QLabel(info.reasons)
        reasons.setWordWrap(True)
        details.addRow(_tr("Reasons"), reasons)
        crit = QLabel("\n".join(f"■ {c}" for c in info.criteria_met))
        crit.setWordWrap(True)
        details.addRow(_tr("Criteria met"), crit)

        self.history = QTableWidget(len(info.events), 4)
        self.history.setObjectName("decision_history")
        self.history.setHorizontalHeaderLabels([_tr("Time"), _tr("By"), _tr("Step"), _tr("Comment")])
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.verticalHeader().hide()
        self.history.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for r, e in enumerate(info.events):
            for c, v in enumerate((f"{e.at.astimezone():%Y-%m-%d %H:%M}", e.actor, e.action, e.comment)):
                self.history.setItem(r, c, QTableWidgetItem(v))
        self.history.resizeColumnsToContents()

        self.comment = FieldBox(QPlainTextEdit())
        self.comment.editor.setObjectName("decision_comment")
        self.comment.editor.setPlaceholderText(_tr("Comment (required when returning)"))
        self.comment.editor.setMaximumHeight(80)
        self.message = error_label()

        buttons = QDialogButtonBox()
        labels = {"review": (_tr("Agree"), _tr("Return to the rep")),
                  "approve": (_tr("Approve"), _tr("Ask for more"))}
        yes_text, no_text = labels[mode]
        self.yes = buttons.addButton(yes_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.no = buttons.addButton(no_text, QDialogButtonBox.ButtonRole.ActionRole)
        self.yes.setObjectName("decision_yes")
        self.no.setObjectName("decision_no")
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.yes.clicked.connect(lambda: self._decide(True))
        self.no.clicked.connect(lambda: self._decide(False))
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(details)
        layout.addWidget(QLabel(_tr("History")))
        layout.addWidget(self.history, 1)
        layout.addWidget(self.comment)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def _decide(self, yes: bool) -> None:
        self.comment.set_error(None)
        self.message.setText("")
        kw = {"user": self.ctx.principal, "application_id": self.info.id, "comment": self.comment.value()}
        try:
            if self.mode == "review":
                advancement.review(self.ctx.db, agree=yes, **kw)
            else:
                advancement.decide(self.ctx.db, approve=yes, **kw)
        except ValidationFailed as exc:
            self.comment.set_error(exc.errors.get("comment") or exc.message)
            return
        except UserError as exc:
            self.message.setText(exc.message)
            return
        self.accept()


class LostDialog(QDialog):
    """流失客户: which customer, and why (kept on the card as 流失原因)."""

    def __init__(self, ctx: DeskContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_tr("Mark customer lost"))
        self.resize(560, 220)
        self.picker = CustomerPicker(ctx)
        self.picker.box.setObjectName("lost_customer")
        self.customer = FieldBox(self.picker)
        self.reason = FieldBox(QLineEdit())
        self.reason.editor.setObjectName("lost_reason")
        self.reason.editor.setMaxLength(200)
        self.reason.editor.setPlaceholderText(_tr("e.g. went to a competitor for price"))
        self.message = error_label()
        form = QFormLayout()
        form.addRow(_tr("Customer"), self.customer)
        form.addRow(_tr("Reason the customer was lost"), self.reason)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(confirm_buttons(self, self._save))

    def _save(self) -> None:
        self.customer.set_error(None)
        self.reason.set_error(None)
        self.message.setText("")
        cid = self.picker.customer_id()
        if cid is None:
            self.customer.set_error(_tr("Choose a customer"))
            return
        try:
            advancement.mark_lost(self.ctx.db, user=self.ctx.principal, customer_id=cid, reason=self.reason.value())
        except ValidationFailed as exc:
            self.reason.set_error(exc.errors.get("lost_reason") or exc.message)
            return
        except UserError as exc:
            self.message.setText(exc.message)
            return
        self.accept()
