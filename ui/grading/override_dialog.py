"""Override one customer's grade in a draft run: the grade and a required reason (调整等级)."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QPlainTextEdit, QVBoxLayout

from app.errors import UserError, ValidationFailed
from app.services import grading_runs
from app.services.grading_output import grade_text
from ui.widgets import FieldBox, combo, confirm_buttons, error_label


def _tr(text: str) -> str:
    return QCoreApplication.translate("OverrideDialog", text)


class OverrideDialog(QDialog):
    def __init__(self, ctx, *, run_id, row, grades: tuple[str, ...], kind: str = "", parent=None):
        super().__init__(parent)
        self.ctx, self.run_id, self.row = ctx, run_id, row
        self.setWindowTitle(_tr("Override grade"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_tr("{name} ({code}): computed grade {grade}").format(
            name=row.name, code=row.code, grade=grade_text(kind, row.computed_grade))))
        form = QFormLayout()
        self.grade = FieldBox(combo([(g, grade_text(kind, g)) for g in grades]))
        self.grade.set_value(row.grade)
        self.reason = FieldBox(QPlainTextEdit())
        self.reason.editor.setPlaceholderText(_tr("Why the computed grade does not fit (required)"))
        self.reason.editor.setFixedHeight(80)
        form.addRow(_tr("New grade"), self.grade)
        form.addRow(_tr("Reason"), self.reason)
        layout.addLayout(form)
        self.message = error_label()
        layout.addWidget(self.message)
        layout.addWidget(confirm_buttons(self, self.save))
        self.resize(460, 260)

    def save(self) -> None:
        for box in (self.grade, self.reason):
            box.set_error(None)
        self.message.clear()
        try:
            grading_runs.override(self.ctx.db, user=self.ctx.user, run_id=self.run_id,
                                  customer_id=self.row.customer_id, grade=self.grade.value(),
                                  reason=self.reason.value())
        except ValidationFailed as exc:
            for key, box in (("grade", self.grade), ("reason", self.reason)):
                box.set_error(exc.errors.get(key))
            return
        except UserError as exc:
            self.message.setText(exc.message)
            return
        self.accept()
