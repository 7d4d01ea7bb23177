"""The plan dialog (new / edit a visit plan) and the visit report dialog (拜访报告, from a plan).

Both check in place (red message under the field, nothing typed is lost) and leave the rules to the
services. The plan dialog shows the warnings the plan would get before it is saved; saving is never
refused for a warning.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import settings
from app.domain import visit_rules as R
from app.errors import UserError, ValidationFailed
from app.services import customer_search, visit_records, visits
from app.services.customer_search import CustomerFilter
from ui import vocab
from ui.context import DeskContext
from ui.widgets import FieldBox, combo, confirm_buttons, date_edit, error_label

WARNING_STYLE = "background: #fff4ce; color: #6b4e00; padding: 4px; border: 1px solid #e0c060;"


def _tr(text: str) -> str:
    return QCoreApplication.translate("VisitDialogs", text)


def warning_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet(WARNING_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


def show_warnings(label: QLabel, warnings: list[str]) -> None:
    label.setText("⚠ " + "\n⚠ ".join(warnings) if warnings else "")
    label.setVisible(bool(warnings))


def _way_items() -> list[tuple[str, str]]:
    return vocab.choices(R.CONTACT_WAY)


class PlanDialog(QDialog):
    """New plan (plan=None, optionally at a start time) or edit a planned one."""

    def __init__(self, ctx: DeskContext, plan: visits.PlanRow | None = None, start: datetime | None = None,
                 parent=None):
        super().__init__(parent)
        self.ctx, self.plan, self.result_info = ctx, plan, None
        self.setWindowTitle(_tr("Edit visit plan") if plan else _tr("New visit plan"))
        self.setMinimumWidth(460)
        form = QFormLayout(self)
        self.find = QLineEdit()
        self.find.setPlaceholderText(_tr("Type a name, pinyin initials, code or phone, then Enter"))
        self.find.returnPressed.connect(self.search)
        self.customer = FieldBox(QComboBox())
        self.staff = FieldBox(combo([(str(i), n) for i, n, _d in visits.staff_choices(ctx.db, user=ctx.user)],
                                    blank=_tr("(choose)")))
        self.starts = FieldBox(QLineEdit())
        self.ends = FieldBox(QLineEdit())
        for box in (self.starts, self.ends):
            box.editor.setPlaceholderText("2026-11-25 09:30")
            box.editor.editingFinished.connect(self.preview)
        self.way = FieldBox(combo(_way_items()))
        self.purpose = FieldBox(QLineEdit())
        self.place = FieldBox(QLineEdit())
        form.addRow(_tr("Find customer"), self.find)
        form.addRow(_tr("Customer"), self.customer)
        form.addRow(_tr("Staff"), self.staff)
        form.addRow(_tr("Starts"), self.starts)
        form.addRow(_tr("Ends"), self.ends)
        form.addRow(_tr("Contact way"), self.way)
        form.addRow(_tr("Purpose"), self.purpose)
        form.addRow(_tr("Place"), self.place)
        self.warnings = warning_label()
        self.error = error_label()
        form.addRow(self.warnings)
        form.addRow(self.error)
        form.addRow(confirm_buttons(self, self.save, save=True))
        self.customer.editor.currentIndexChanged.connect(self.preview)
        self.staff.editor.currentIndexChanged.connect(self.preview)
        minutes = settings.get(ctx.db, "visits.default_minutes")
        if plan is not None:
            self.customer.editor.addItem(plan.customer_name, str(plan.customer_id))
            self.staff.set_value(plan.staff_id)
            begin, end = plan.starts_at.replace(tzinfo=None), plan.ends_at.replace(tzinfo=None)
            self.way.set_value(plan.contact_way)
            self.purpose.set_value(plan.purpose)
            self.place.set_value(plan.place)
        else:
            begin = start or datetime.now().replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
            end = begin + timedelta(minutes=minutes)
            self.way.set_value("visit")
            if ctx.user is not None and ctx.user.staff_id is not None:
                self.staff.set_value(ctx.user.staff_id)
        self.starts.set_value(f"{begin:%Y-%m-%d %H:%M}")
        self.ends.set_value(f"{end:%Y-%m-%d %H:%M}")

    def search(self) -> None:
        page = customer_search.search_page(self.ctx.db, CustomerFilter(text=self.find.text().strip()), page=50,
                                           user=self.ctx.user)
        box = self.customer.editor
        box.clear()
        for row in page.rows:
            box.addItem(f"{row.name}  {row.code}", str(row.id))
        self.customer.set_error(None if page.rows else _tr("No customer found; try another spelling"))

    def _values(self) -> tuple[dict, dict]:
        errors, values = {}, {}
        for key, box in (("starts_at", self.starts), ("ends_at", self.ends)):
            try:
                values[key] = R.parse_local_datetime(box.value())
            except ValueError:
                errors[key] = _tr("Write the time like 2026-11-25 09:30")
        values["customer_id"] = self.customer.value() or None
        values["staff_id"] = self.staff.value() or None
        values.update(contact_way=self.way.value(), purpose=self.purpose.value(), place=self.place.value())
        return values, errors

    def preview(self) -> None:
        values, errors = self._values()
        if errors or not (values["customer_id"] and values["staff_id"] and values["starts_at"] and values["ends_at"]):
            return
        try:
            warnings = visits.preview_warnings(self.ctx.db, user=self.ctx.user,
                                               customer_id=uuid.UUID(values["customer_id"]),
                                               staff_id=uuid.UUID(values["staff_id"]), starts_at=values["starts_at"],
                                               ends_at=values["ends_at"], plan_id=self.plan.id if self.plan else None)
        except UserError:
            return  # saving reports it in place
        show_warnings(self.warnings, warnings)

    def _show(self, errors: dict[str, str]) -> None:
        boxes = {"customer_id": self.customer, "staff_id": self.staff, "starts_at": self.starts,
                 "ends_at": self.ends, "contact_way": self.way, "purpose": self.purpose, "place": self.place}
        for key, box in boxes.items():
            box.set_error(errors.get(key))
        rest = [m for k, m in errors.items() if k not in boxes]
        self.error.setText(";".join(rest))

    def save(self) -> None:
        values, errors = self._values()
        if errors:
            self._show(errors)
            return
        try:
            if self.plan is None:
                self.result_info = visits.create_plan(self.ctx.db, user=self.ctx.user, actor=self.ctx.actor,
                                                      values=values)
            else:
                self.result_info = visits.update_plan(self.ctx.db, user=self.ctx.user, actor=self.ctx.actor,
                                                      plan_id=self.plan.id, values=values,
                                                      expected_version=self.plan.version)
        except ValidationFailed as exc:
            self._show(exc.errors)
            return
        except UserError as exc:
            self._show({})
            self.error.setText(exc.message)
            return
        self.accept()


class ReportDialog(QDialog):
    """拜访报告 for a planned visit: what happened, and the promises made (each becomes a follow-up)."""

    PROMISE_ROWS = 4

    def __init__(self, ctx: DeskContext, plan: visits.PlanRow, parent=None):
        super().__init__(parent)
        self.ctx, self.plan, self.record_id = ctx, plan, None
        self.setWindowTitle(_tr("File visit report"))
        self.setMinimumWidth(560)
        outer = QVBoxLayout(self)
        head = QLabel(f"<b>{plan.customer_name}</b>  {plan.starts_at:%Y-%m-%d %H:%M}  {plan.staff_name}"
                      + (f"<br>{plan.purpose}" if plan.purpose else ""))
        outer.addWidget(head)
        form_host = QWidget()
        form = QFormLayout(form_host)
        form.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(form_host)
        self.visited_on = FieldBox(date_edit())
        self.visited_on.set_value(plan.starts_at.date())
        self.way = FieldBox(combo(_way_items()))
        self.way.set_value(plan.contact_way)
        people = visit_records.key_person_choices(ctx.db, user=ctx.user, customer_id=plan.customer_id)
        self.key_person = combo([(str(i), n) for i, n in people], blank=_tr("(not a key person)"))
        self.person_met = FieldBox(QLineEdit())
        self.person_met.editor.setPlaceholderText(_tr("Name and position, when not a key person"))
        met = QWidget()
        row = QHBoxLayout(met)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.key_person)
        row.addWidget(self.person_met, 1)
        self.address = FieldBox(QLineEdit(plan.place))
        self.needs = FieldBox(QPlainTextEdit())
        self.competitors = FieldBox(QPlainTextEdit())
        self.credit = FieldBox(QLineEdit())
        self.growth = FieldBox(QLineEdit())
        self.margin = FieldBox(QLineEdit())
        for box in (self.growth, self.margin):
            box.editor.setPlaceholderText("12.5 (%)")
        self.notes = FieldBox(QPlainTextEdit())
        for box in (self.needs, self.competitors, self.notes):
            box.editor.setFixedHeight(54)
        form.addRow(_tr("Visited on"), self.visited_on)
        form.addRow(_tr("Contact way"), self.way)
        form.addRow(_tr("Person met"), met)
        form.addRow(_tr("Address"), self.address)
        form.addRow(_tr("Customer needs"), self.needs)
        form.addRow(_tr("Competitors"), self.competitors)
        form.addRow(_tr("Credit changes"), self.credit)
        figures = QWidget()
        row = QHBoxLayout(figures)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(_tr("Growth rate %")))
        row.addWidget(self.growth)
        row.addWidget(QLabel(_tr("Profit margin %")))
        row.addWidget(self.margin)
        form.addRow(_tr("Figures"), figures)
        form.addRow(_tr("Notes"), self.notes)
        outer.addWidget(QLabel(_tr("Promises made (each becomes a follow-up until done):")))
        self.promises = QTableWidget(self.PROMISE_ROWS, 2)
        self.promises.setHorizontalHeaderLabels([_tr("Promise"), _tr("Due date")])
        self.promises.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.promises.setColumnWidth(1, 110)
        self.promises.setFixedHeight(30 + 26 * self.PROMISE_ROWS)
        outer.addWidget(self.promises)
        add = QPushButton(_tr("Add a promise row"))
        add.clicked.connect(lambda: self.promises.insertRow(self.promises.rowCount()))
        outer.addWidget(add)
        self.error = error_label()
        outer.addWidget(self.error)
        outer.addWidget(confirm_buttons(self, self.save, save=True))

    def set_promise(self, row: int, text: str, due: str) -> None:
        self.promises.setItem(row, 0, QTableWidgetItem(text))
        self.promises.setItem(row, 1, QTableWidgetItem(due))

    def _promises(self) -> list[visit_records.Promise]:
        out = []
        for r in range(self.promises.rowCount()):
            text, due = (self.promises.item(r, c).text() if self.promises.item(r, c) else "" for c in (0, 1))
            out.append(visit_records.Promise(text, due))
        return out

    def save(self) -> None:
        values = {"visited_on": self.visited_on.value(), "contact_way": self.way.value(),
                  "key_person_id": uuid.UUID(self.key_person.currentData()) if self.key_person.currentData() else None,
                  "person_met": self.person_met.value(), "address": self.address.value(),
                  "needs": self.needs.value(), "competitors": self.competitors.value(),
                  "credit_changes": self.credit.value(), "growth_rate": self.growth.value(),
                  "profit_margin": self.margin.value(), "notes": self.notes.value()}
        try:
            self.record_id = visit_records.file_record(self.ctx.db, user=self.ctx.user, actor=self.ctx.actor,
                                                       values=values, promises=self._promises(), plan_id=self.plan.id)
        except ValidationFailed as exc:
            boxes = {"visited_on": self.visited_on, "contact_way": self.way, "person_met": self.person_met,
                     "needs": self.needs, "growth_rate": self.growth, "profit_margin": self.margin,
                     "notes": self.notes, "credit_changes": self.credit}
            for key, box in boxes.items():
                box.set_error(exc.errors.get(key))
            self.error.setText(";".join(m for k, m in exc.errors.items() if k not in boxes))
            return
        except UserError as exc:
            self.error.setText(exc.message)
            return
        self.accept()
