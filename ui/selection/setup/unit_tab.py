"""委建房单位 — register a commissioning unit (with its customer card) and release flats to it, including
relationship flats (关系房) that name their paper approval."""
from __future__ import annotations

import uuid
from datetime import datetime

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError, ValidationFailed
from app.services import customer_search
from app.services.selection import catalog, deadlines, stock
from ui.selection.setup.common import (
    BLUE,
    Message,
    RowsModel,
    decimal_of,
    multi_table,
    selected_items,
    show_refusal,
    table,
)
from ui.widgets import FieldBox


def _tr(text: str) -> str:
    return QCoreApplication.translate("EventSetup", text)


def _flat_cells(f) -> tuple:
    return (f.label, str(f.floor), f.unit_type, f"{f.area:.2f}", f.relationship_note)


class UnitTab(QWidget):
    def __init__(self, owner):
        super().__init__()
        self.owner = owner
        self.boxes = {"name": FieldBox(QLineEdit()), "ratio": FieldBox(QLineEdit("50")),
                      "deposit": FieldBox(QLineEdit("20000"))}
        self.customer_query, self.customer_box = QLineEdit(), QComboBox()
        self.customer_query.setPlaceholderText(_tr("Part of the customer name"))
        self.customer_box.addItem(_tr("(no customer card)"), "")
        find = QPushButton(_tr("Find"))
        find.clicked.connect(self.find_customers)
        self.customer_query.returnPressed.connect(self.find_customers)
        search = QHBoxLayout()
        search.addWidget(self.customer_query, 1)
        search.addWidget(find)
        self.create_button = QPushButton(_tr("Register unit"))
        self.create_button.clicked.connect(self.create_unit)
        self.unit_message = Message("unit_message")
        form = QFormLayout()
        form.addRow(_tr("Unit name"), self.boxes["name"])
        form.addRow(_tr("Customer card"), search)
        form.addRow("", self.customer_box)
        form.addRow(_tr("Minimum payment ratio (%)"), self.boxes["ratio"])
        form.addRow(_tr("Deposit (yuan)"), self.boxes["deposit"])
        form.addRow("", self.create_button)
        form.addRow(self.unit_message)
        new = QGroupBox(_tr("New commissioning unit"))
        new.setLayout(form)
        self.released = RowsModel([_tr("Flat"), _tr("Floor"), _tr("Type"), _tr("Area m²"), _tr("Paper approval")],
                                  _flat_cells, lambda f: BLUE if f.relationship_note else None)
        self.released_title = QLabel()
        left = QVBoxLayout()
        left.addWidget(new)
        left.addWidget(self.released_title)
        left.addWidget(table(self.released), 1)
        left.addWidget(self._deadlines_box())

        self.building_filter, self.floor_filter = QComboBox(), QComboBox()
        for box in (self.building_filter, self.floor_filter):
            box.currentIndexChanged.connect(lambda _i: self._show_available())
        select_all = QPushButton(_tr("Select all shown"))
        self.available = RowsModel([_tr("Flat"), _tr("Floor"), _tr("Type"), _tr("Area m²"), ""], _flat_cells)
        self.available_view = multi_table(self.available)
        select_all.clicked.connect(self.available_view.selectAll)
        filters = QHBoxLayout()
        filters.addWidget(QLabel(_tr("Building")))
        filters.addWidget(self.building_filter)
        filters.addWidget(QLabel(_tr("Floor")))
        filters.addWidget(self.floor_filter)
        filters.addStretch(1)
        filters.addWidget(select_all)
        self.relationship = QCheckBox(_tr("Relationship flats, approved on paper:"))
        self.approval_note = QLineEdit()
        self.approval_note.setPlaceholderText(_tr("e.g. 总经理办公会纪要 2026-11 第3号"))
        self.release_button = QPushButton(_tr("Release the selected flats to this unit"))
        self.release_button.clicked.connect(self.release)
        self.release_message = Message("release_message")
        note = QHBoxLayout()
        note.addWidget(self.relationship)
        note.addWidget(self.approval_note, 1)
        right = QVBoxLayout()
        right.addLayout(filters)
        right.addWidget(self.available_view, 1)
        right.addLayout(note)
        right.addWidget(self.release_button)
        right.addWidget(self.release_message)
        release = QGroupBox(_tr("Available flats (Ctrl/Shift to choose several)"))
        release.setLayout(right)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 2)
        layout.addWidget(release, 3)
        self._all_available: list = []

    def _deadlines_box(self) -> QGroupBox:
        """选房截止 / 交款截止: who is late after them shows in the ledgers window (逾期名单)."""
        self.deadline_boxes = {"choose_deadline": FieldBox(QLineEdit()), "pay_deadline": FieldBox(QLineEdit())}
        for box in self.deadline_boxes.values():
            box.editor.setPlaceholderText(_tr("e.g. 2026-12-05 18:00, empty for none"))
        self.deadline_button = QPushButton(_tr("Save deadlines"))
        self.deadline_button.clicked.connect(self.save_deadlines)
        self.deadline_message = Message("deadline_message")
        form = QFormLayout()
        form.addRow(_tr("Choose by"), self.deadline_boxes["choose_deadline"])
        form.addRow(_tr("Pay by"), self.deadline_boxes["pay_deadline"])
        form.addRow("", self.deadline_button)
        form.addRow(self.deadline_message)
        box = QGroupBox(_tr("Deadlines for this unit"))
        box.setLayout(form)
        return box

    def save_deadlines(self) -> None:
        values, errors = {}, {}
        for key, box in self.deadline_boxes.items():
            text = box.editor.text().strip()
            box.set_error(None)
            try:  # typed in the desk's local time
                values[key] = datetime.strptime(text, "%Y-%m-%d %H:%M").astimezone() if text else None
            except ValueError:
                errors[key] = _tr("Write the time as 2026-12-05 18:00")
        for key, text in errors.items():
            self.deadline_boxes[key].set_error(text)
        if errors:
            return
        try:
            deadlines.set_deadlines(self.owner.ctx.db, user=self.owner.user,
                                    commission_id=self.owner.commission_id, **values)
        except UserError as exc:
            show_refusal(exc, self.deadline_message, self.deadline_boxes)
            return
        self.deadline_message.done(_tr("Deadlines saved"))

    def _show_deadlines(self) -> None:
        cid = self.owner.commission_id
        self.deadline_button.setEnabled(cid is not None)
        current = deadlines.deadlines(self.owner.ctx.db, user=self.owner.user, commission_id=cid) if cid else None
        for key, box in self.deadline_boxes.items():
            value = getattr(current, key) if current else None
            box.editor.setText(value.astimezone().strftime("%Y-%m-%d %H:%M") if value else "")

    def refresh(self) -> None:
        pid, cid, db = self.owner.project_id, self.owner.commission_id, self.owner.ctx.db
        self.create_button.setEnabled(pid is not None)
        self._all_available = catalog.flats(db, project_id=pid, status="available") if pid else []
        for box, values in ((self.building_filter, sorted({f.building for f in self._all_available})),
                            (self.floor_filter, sorted({f.floor for f in self._all_available}))):
            keep = box.currentData()
            box.blockSignals(True)
            box.clear()
            box.addItem(_tr("All"), None)
            for v in values:
                box.addItem(str(v), v)
            box.setCurrentIndex(max(box.findData(keep), 0) if keep is not None else 0)
            box.blockSignals(False)
        self._show_available()
        mine = catalog.flats(db, project_id=pid, commission_id=cid) if cid else []
        self.released.set_items(mine)
        self.released_title.setText(_tr("Released to {unit}: {n} flats").format(unit=self.owner.commission_name, n=len(mine))
                                    if cid else _tr("Register a unit, then release flats to it."))
        self.release_button.setEnabled(cid is not None)
        self._show_deadlines()

    def _show_available(self) -> None:
        building, floor = self.building_filter.currentData(), self.floor_filter.currentData()
        self.available.set_items([f for f in self._all_available if (building is None or f.building == building)
                                  and (floor is None or f.floor == floor)])

    def find_customers(self) -> None:
        self.customer_box.clear()
        self.customer_box.addItem(_tr("(no customer card)"), "")
        query = self.customer_query.text().strip()
        if not query:
            return
        try:
            ids = customer_search.search_ids(self.owner.ctx.db, customer_search.CustomerFilter(text=query),
                                             user=self.owner.user)[:30]
        except UserError as exc:
            self.unit_message.error(exc.message)
            return
        for row in customer_search.fetch_rows(self.owner.ctx.db, ids, user=self.owner.user):
            self.customer_box.addItem(f"{row.name}({row.code})", str(row.id))
        if ids:
            self.customer_box.setCurrentIndex(1)
        else:
            self.unit_message.error(_tr("No customer matches “{q}”.").format(q=query))

    def create_unit(self) -> None:
        try:
            ratio = decimal_of(self.boxes["ratio"].value(), "ratio", "最低首付比例") / 100
            deposit = decimal_of(self.boxes["deposit"].value(), "deposit", "封户费")
            customer = self.customer_box.currentData()
            cid = catalog.new_commission(self.owner.ctx.db, user=self.owner.user, project_id=self.owner.project_id,
                                         name=self.boxes["name"].value(), min_payment_ratio=ratio,
                                         deposit_amount=deposit, customer_id=uuid.UUID(customer) if customer else None)
        except Exception as exc:  # noqa: BLE001 - show_refusal re-raises what is not a user error
            show_refusal(exc, self.unit_message, self.boxes)
            return
        name = self.boxes["name"].value().strip()
        for box in self.boxes.values():
            box.set_error(None)
        self.boxes["name"].editor.clear()
        self.unit_message.done(_tr("Unit {name} registered.").format(name=name))
        self.owner.reload_units(select=cid)

    def release(self) -> None:
        chosen = selected_items(self.available_view, self.available)
        note = self.approval_note.text().strip() if self.relationship.isChecked() else ""
        try:
            if not chosen:
                raise UserError("请先在右侧列表中选择要释放的房源(可按住 Ctrl 或 Shift 多选)")
            if self.relationship.isChecked() and not note:
                raise ValidationFailed({"note": "关系房须填写纸面审批(文号或会议纪要)"})
            count = stock.release_flats(self.owner.ctx.db, user=self.owner.user,
                                        commission_id=self.owner.commission_id,
                                        flat_ids=[f.id for f in chosen], relationship_note=note)
        except UserError as exc:
            show_refusal(exc, self.release_message)
            return
        self.release_message.done(_tr("{n} flats released to {unit}.").format(n=count, unit=self.owner.commission_name))
        self.owner.refresh_unit_pages()
        self.owner.stock.refresh()
