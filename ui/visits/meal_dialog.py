"""招待用餐申请 — a meal request; the standard that applies is shown while choosing, a request that breaks a rule
is refused with the reason under the field, and nothing typed is lost."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
)

from app import settings
from app.domain import meals as rules
from app.errors import UserError
from app.services import meals
from ui.visits.reception_common import aware, datetime_edit, form_dialog, show_refusal, zone
from ui.widgets import FieldBox, combo


def _tr(text: str) -> str:
    return QCoreApplication.translate("MealDialog", text)


class MealDialog(QDialog):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.meal_id = None
        self.zone = zone(ctx)
        self.setWindowTitle(_tr("Hospitality meal request"))
        self.setMinimumWidth(520)
        self.fields = {
            "unit": FieldBox(QLineEdit()),
            "customer_kind": FieldBox(combo(list(rules.CUSTOMER_KINDS.items()))),
            "host_level": FieldBox(combo(list(rules.HOST_LEVELS.items()))),
            "meal_type": FieldBox(combo(list(rules.MEAL_TYPES.items()))),
            "meal_at": FieldBox(datetime_edit(self.zone)),
            "per_person": FieldBox(QLineEdit()),
            "guests": FieldBox(QLineEdit()),
            "hosts": FieldBox(QLineEdit()),
            "restaurant": FieldBox(QLineEdit()),
            "purpose": FieldBox(QPlainTextEdit()),
            "verbal_by": FieldBox(QLineEdit()),
        }
        for key, box in self.fields.items():
            box.editor.setObjectName(f"meal_{key}")
        f = self.fields
        f["meal_at"].editor.setDateTime(f["meal_at"].editor.dateTime().addDays(1))
        f["per_person"].editor.setPlaceholderText(_tr("yuan per person per meal"))
        f["purpose"].editor.setFixedHeight(54)
        self.standard = QLabel()
        self.standard.setObjectName("meal_standard")
        self.standard.setStyleSheet("color:#1a4d80")
        self.urgent = QCheckBox(_tr("Urgent: approved verbally, paperwork follows"))
        self.urgent.setObjectName("meal_urgent")
        self.urgent.toggled.connect(lambda on: f["verbal_by"].setEnabled(on))
        f["verbal_by"].setEnabled(False)
        f["verbal_by"].editor.setPlaceholderText(_tr("Who agreed by word of mouth"))

        form = QFormLayout()
        form.addRow(_tr("Customer unit"), f["unit"])
        form.addRow(_tr("Customer kind"), f["customer_kind"])
        form.addRow(_tr("Hosted by"), f["host_level"])
        form.addRow(_tr("Meal type"), f["meal_type"])
        form.addRow("", self.standard)
        form.addRow(_tr("Time"), f["meal_at"])
        form.addRow(_tr("Standard (yuan/person)"), f["per_person"])
        form.addRow(_tr("Guests"), f["guests"])
        form.addRow(_tr("Hosts (ours)"), f["hosts"])
        form.addRow(_tr("Restaurant"), f["restaurant"])
        form.addRow(_tr("Purpose"), f["purpose"])
        form.addRow("", self.urgent)
        form.addRow(_tr("Verbally approved by"), f["verbal_by"])
        self.message = form_dialog(self, form, self.submit)
        self.message.setObjectName("meal_message")
        self._rules = settings.get_all(ctx.db)
        for key in ("customer_kind", "host_level", "meal_type"):
            f[key].editor.currentIndexChanged.connect(self._show_standard)
        self._show_standard()

    def _show_standard(self) -> None:
        f = self.fields
        std = rules.standard(self._rules, customer_kind=f["customer_kind"].value(), host_level=f["host_level"].value(),
                             meal_type=f["meal_type"].value())
        self.standard.setText(_tr("Standard: {std}").format(std=std.text()))

    def values(self) -> dict:
        f = self.fields
        out = {k: f[k].value() for k in ("unit", "customer_kind", "host_level", "meal_type", "per_person", "guests",
                                         "hosts", "restaurant", "purpose")}
        out["meal_at"] = aware(f["meal_at"].editor, self.zone)
        return out

    def submit(self) -> None:
        try:
            self.meal_id = meals.request_meal(self.ctx.db, user=self.ctx.principal, values=self.values(),
                                              urgent=self.urgent.isChecked(),
                                              verbal_by=self.fields["verbal_by"].value())
        except UserError as exc:
            show_refusal(exc, self.fields, self.message)
            return
        self.accept()


class BillDialog(QDialog):
    """实际账单 — the bill the restaurant reported; what it breaks is shown after saving."""

    def __init__(self, ctx, meal_id, parent=None):
        super().__init__(parent)
        self.ctx, self.meal_id = ctx, meal_id
        self.broken: list = []
        self.setWindowTitle(_tr("Record the bill"))
        self.fields = {"total": FieldBox(QLineEdit()), "drinks": FieldBox(QLineEdit())}
        self.fields["drinks"].editor.setPlaceholderText(_tr("drinks, beverages and fruit"))
        form = QFormLayout()
        form.addRow(_tr("Bill total (yuan)"), self.fields["total"])
        form.addRow(_tr("Of which drinks and fruit (yuan)"), self.fields["drinks"])
        self.message = form_dialog(self, form, self.submit, save=True)

    def submit(self) -> None:
        try:
            self.broken = meals.record_bill(self.ctx.db, user=self.ctx.principal, meal_id=self.meal_id,
                                            total=self.fields["total"].value(), drinks=self.fields["drinks"].value())
        except UserError as exc:
            show_refusal(exc, self.fields, self.message)
            return
        self.accept()


