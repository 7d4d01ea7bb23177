"""Key persons editor (关键人) with the relation table and its drawing."""
from __future__ import annotations

import uuid
from datetime import date

from PySide6.QtCore import QCoreApplication, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain import vocab
from app.errors import UserError, ValidationFailed
from app.services import key_persons
from ui import vocab as vlabels
from ui.context import DeskContext
from ui.customers.hint_table import HintTable
from ui.customers.relation_view import RelationView
from ui.tr import N_
from ui.widgets import FieldBox, combo, date_edit, format_value, read_date

FORM = (  # key, English label, kind
    ("name", N_("Name"), "line"), ("position", N_("Position"), "line"), ("work_unit", N_("Work unit"), "line"),
    ("mobile", N_("Mobile"), "line"), ("phone", N_("Phone"), "line"), ("email", N_("E-mail"), "line"),
    ("wechat", N_("WeChat"), "line"), ("decision_role", N_("Role in the decision"), "role"),
    ("birthday", N_("Birthday"), "date"), ("education", N_("Education"), "line"), ("address", N_("Address"), "line"),
    ("personality", N_("Personality"), "line"), ("hobbies", N_("Hobbies"), "line"), ("family", N_("Family"), "line"),
    ("id_number", N_("ID number"), "line"), ("note", N_("Notes"), "line"),
)
LIST_COLUMNS = (N_("Name"), N_("Position"), N_("Mobile"), N_("Role"), N_("Birthday"), N_("Age"), N_("Key person"))


def _tr(text: str) -> str:
    return QCoreApplication.translate("KeyPersonsPanel", text)


class KeyPersonsPanel(QWidget):
    changed = Signal()

    def __init__(self, ctx: DeskContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.customer_id: uuid.UUID | None = None
        self.persons: list[key_persons.KeyPersonInfo] = []
        self.editing: key_persons.KeyPersonInfo | None = None

        self.table = HintTable(0, len(LIST_COLUMNS), _tr("No key persons yet: fill in the form below and click "
                                                        "“Save person”."))
        self.table.setHorizontalHeaderLabels([_tr(c) for c in LIST_COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # names whole
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.itemSelectionChanged.connect(self._select)

        self.boxes: dict[str, FieldBox] = {}
        form = QGridLayout()
        for i, (key, text, kind) in enumerate(FORM):
            if kind == "role":
                editor = combo(vlabels.choices(vocab.DECISION_ROLE))
            elif kind == "date":
                editor = date_edit()
            else:
                editor = QLineEdit()
            editor.setObjectName(f"person_{key}")
            self.boxes[key] = FieldBox(editor)
            form.addWidget(QLabel(_tr(text)), i // 2, (i % 2) * 2)
            form.addWidget(self.boxes[key], i // 2, (i % 2) * 2 + 1)
        form.setColumnStretch(1, 1)  # both field columns share the width
        form.setColumnStretch(3, 1)
        self.is_key = QCheckBox(_tr("Key person card (重点客户卡片)"))
        form.addWidget(self.is_key, len(FORM) // 2 + 1, 1)
        self.new_button = QPushButton(_tr("New person"))
        self.save_button = QPushButton(_tr("Save person"))
        self.remove_button = QPushButton(_tr("Remove person"))
        self.new_button.clicked.connect(self.start_new)
        self.save_button.clicked.connect(self.save)
        self.remove_button.clicked.connect(self.remove)
        # 重点客户卡片: the printable card of a key person, for reps who may print the archive
        self.card_button = QPushButton(_tr("Key-customer card (PDF)…"))
        self.card_button.setEnabled(False)
        self.card_button.clicked.connect(self.print_card)
        buttons = QHBoxLayout()
        for b in (self.new_button, self.save_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch()
        buttons.addWidget(self.card_button)

        # relations: from, relation, to, add
        self.rel_from, self.rel_to = combo([]), combo([])
        for box in (self.rel_from, self.rel_to):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(4)
        self.rel_text = QLineEdit()
        self.rel_text.setPlaceholderText(_tr("e.g. 上下级, 同学, 亲属"))
        self.rel_text.setMinimumWidth(110)
        self.rel_error = QLabel()
        self.rel_error.setStyleSheet("color:#b00020")
        self.add_rel_button = add_rel = QPushButton(_tr("Add relation"))
        add_rel.clicked.connect(self.add_relation)
        rel_row = QHBoxLayout()
        for w in (self.rel_from, self.rel_text, self.rel_to, add_rel):
            rel_row.addWidget(w, 2 if w is self.rel_text else 0)
        self.graph = RelationView()

        # the list and the relation drawing side by side on top, the form across the full width below: a
        # phone number or an address shows whole at 1366×768
        relations = QWidget()
        rv = QVBoxLayout(relations)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addWidget(QLabel(_tr("Relations between key persons")))
        rv.addWidget(self.graph, 1)
        rv.addLayout(rel_row)
        rv.addWidget(self.rel_error)
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(self.table)
        top.addWidget(relations)
        top.setStretchFactor(0, 3)
        top.setStretchFactor(1, 2)
        top.setSizes([600, 400])
        layout = QVBoxLayout(self)
        layout.addWidget(top, 2)
        layout.addLayout(form)
        layout.addLayout(buttons)

    def load(self, customer_id: uuid.UUID | None) -> None:
        self.customer_id = customer_id
        user = self.ctx.user
        self.persons = key_persons.list_persons(self.ctx.db, customer_id=customer_id, user=user) if customer_id else []
        relations = key_persons.list_relations(self.ctx.db, customer_id=customer_id, user=user) if customer_id else []
        self.table.setRowCount(len(self.persons))
        for i, p in enumerate(self.persons):
            v = p.values
            texts = (v["name"], v["position"], v["mobile"] or v["phone"],
                     vlabels.label(vocab.DECISION_ROLE, v["decision_role"]), format_value(v["birthday"]),
                     format_value(key_persons.age_on(v["birthday"], date.today())), "★" if v["is_key"] else "")
            for j, text in enumerate(texts):
                self.table.setItem(i, j, QTableWidgetItem(text))
        for box in (self.rel_from, self.rel_to):
            box.clear()
            for p in self.persons:
                box.addItem(p.name, str(p.id))
        self.graph.show_graph(self.persons, relations)
        self.setEnabled(customer_id is not None)
        self.start_new()

    def set_editable(self, editable: bool) -> None:
        """Without customer.edit the persons are shown, not changed (the service refuses anyway)."""
        for w in (self.new_button, self.save_button, self.remove_button, self.add_rel_button, self.rel_text,
                  self.is_key, *self.boxes.values()):
            w.setEnabled(editable)

    def start_new(self) -> None:
        self.editing = None
        self.card_button.setEnabled(False)
        self.table.clearSelection()
        for box in self.boxes.values():
            box.set_value("")
            box.set_error(None)
        self.boxes["decision_role"].set_value("influencer")
        self.is_key.setChecked(False)

    def _select(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        self.editing = self.persons[rows[0].row()]
        for key, box in self.boxes.items():
            box.set_value(self.editing.values.get(key))
            box.set_error(None)
        self.is_key.setChecked(bool(self.editing.values.get("is_key")))
        self.card_button.setEnabled(bool(self.editing.values.get("is_key")))

    def print_card(self, path: str | None = None) -> str | None:
        """Save the selected key person's 重点客户卡片 as PDF and open it; returns the path written."""
        from app.services import key_person_card

        if self.editing is None:
            return None
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, _tr("Key-customer card"),
                                                  f"重点客户卡片-{self.editing.name}.pdf", "PDF (*.pdf)")
            if not path:
                return None
        try:
            pdf = key_person_card.card_pdf(self.ctx.db, person_id=self.editing.id, printed_by=self.ctx.actor,
                                           user=self.ctx.user)
        except UserError as exc:
            QMessageBox.warning(self, _tr("Key-customer card"), exc.message)
            return None
        try:
            with open(path, "wb") as out:
                out.write(pdf)
        except OSError as exc:
            QMessageBox.warning(self, _tr("Key-customer card"), str(exc))
            return None
        QDesktopServices.openUrl(QUrl.fromLocalFile(path))
        return path

    def _values(self) -> tuple[dict, dict]:
        values, errors = {}, {}
        for key, box in self.boxes.items():
            values[key] = box.value()
        values["birthday"], ok = read_date(values["birthday"])
        if not ok:
            errors["birthday"] = _tr("Dates are written like 2026-11-25")
        values["is_key"] = self.is_key.isChecked()
        return values, errors

    def save(self) -> None:
        if self.customer_id is None:
            return
        values, errors = self._values()
        try:
            if errors:
                raise ValidationFailed(errors)
            if self.editing is None:
                key_persons.add_person(self.ctx.db, actor=self.ctx.actor, customer_id=self.customer_id,
                                       values=values, user=self.ctx.user)
            else:
                key_persons.update_person(self.ctx.db, actor=self.ctx.actor, person_id=self.editing.id,
                                          values=values, expected_version=self.editing.version,
                                          user=self.ctx.user)
        except ValidationFailed as exc:
            for key, box in self.boxes.items():
                box.set_error(exc.errors.get(key))
            return
        except UserError as exc:
            QMessageBox.warning(self, _tr("Key persons"), exc.message)
            return
        self.load(self.customer_id)
        self.changed.emit()

    def remove(self) -> None:
        if self.editing is None:
            return
        answer = QMessageBox.question(self, _tr("Key persons"),
                                      _tr("Remove {name} from this customer's key persons?").format(
                                          name=self.editing.name))
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            key_persons.remove_person(self.ctx.db, actor=self.ctx.actor, person_id=self.editing.id,
                                      user=self.ctx.user)
        except UserError as exc:
            QMessageBox.warning(self, _tr("Key persons"), exc.message)
            return
        self.load(self.customer_id)
        self.changed.emit()

    def add_relation(self) -> None:
        a, b = self.rel_from.currentData(), self.rel_to.currentData()
        if not a or not b:
            self.rel_error.setText(_tr("Add at least two key persons first"))
            return
        try:
            key_persons.add_relation(self.ctx.db, actor=self.ctx.actor, from_id=uuid.UUID(a), to_id=uuid.UUID(b),
                                     relation=self.rel_text.text(), user=self.ctx.user)
        except UserError as exc:
            self.rel_error.setText(exc.message)
            return
        self.rel_error.clear()
        self.rel_text.clear()
        self.load(self.customer_id)
        self.changed.emit()


