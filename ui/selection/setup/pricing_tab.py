"""定价与审批 — 均价 with the floor rule and unit-type differentials priced onto the released flats, the
resulting price list with its weighted average, and the signatures of the approval chain."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.pricing import FloorRule, PriceRules
from app.errors import UserError
from app.services.selection import approvals, catalog, stock
from ui.selection.setup.common import (
    GREEN,
    Message,
    RowsModel,
    decimal_of,
    local_time,
    money,
    show_refusal,
    table,
)
from ui.widgets import FieldBox

_ROOT = QModelIndex()


def _tr(text: str) -> str:
    return QCoreApplication.translate("EventSetup", text)


class TypeDifferentials(QAbstractTableModel):
    """户型差价: one editable row per unit type found among the released flats (元/m², may be negative)."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []

    def set_types(self, types: list[str]) -> None:
        old = dict(self.rows)
        self.beginResetModel()
        self.rows = [[t, old.get(t, "0")] for t in types]
        self.endResetModel()

    def rowCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else 2

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return (_tr("Unit type"), _tr("Differential (yuan/m²)"))[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if index.isValid() and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self.rows[index.row()][index.column()] or (_tr("(none)") if index.column() == 0 else "")
        return None

    def flags(self, index):
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.column() == 1 else base

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):
        if index.column() != 1 or role != Qt.ItemDataRole.EditRole:
            return False
        self.rows[index.row()][1] = str(value).strip()
        self.dataChanged.emit(index, index)
        return True


class PricingTab(QWidget):
    def __init__(self, owner):
        super().__init__()
        self.owner = owner
        self.boxes = {"average_price": FieldBox(QLineEdit()), "step": FieldBox(QLineEdit("30")),
                      "top_discount": FieldBox(QLineEdit("0")), "ground_discount": FieldBox(QLineEdit("0"))}
        self.base_floor, self.top_floor = QSpinBox(), QSpinBox()
        self.base_floor.setRange(1, 99)
        self.base_floor.setValue(2)
        self.top_floor.setRange(0, 99)
        self.top_floor.setSpecialValueText(_tr("none"))
        self.types = TypeDifferentials()
        type_view = table(self.types)
        type_view.setMaximumHeight(130)
        self.price_button = QPushButton(_tr("Price the released flats"))
        self.price_button.clicked.connect(self.price)
        self.price_message = Message("price_message")
        form = QFormLayout()
        form.addRow(_tr("Average price 均价 (yuan/m²)"), self.boxes["average_price"])
        form.addRow(_tr("Base floor"), self.base_floor)
        form.addRow(_tr("Step per floor above it (yuan/m²)"), self.boxes["step"])
        form.addRow(_tr("Top floor"), self.top_floor)
        form.addRow(_tr("Top-floor discount (yuan/m²)"), self.boxes["top_discount"])
        form.addRow(_tr("Ground-floor discount (yuan/m²)"), self.boxes["ground_discount"])
        form.addRow(type_view)
        form.addRow(self.price_button)
        form.addRow(self.price_message)
        rules = QGroupBox(_tr("Price rules"))
        rules.setLayout(form)
        self.prices = RowsModel([_tr("Flat"), _tr("Floor"), _tr("Type"), _tr("Area m²"), _tr("Yuan/m²"), _tr("Total")],
                                lambda f: (f.label, str(f.floor), f.unit_type, f"{f.area:.2f}", money(f.price_per_m2),
                                           money(None if f.price_per_m2 is None else f.price_per_m2 * f.area)))
        self.averages = QLabel()
        self.averages.setObjectName("price_averages")
        prices = QVBoxLayout()
        prices.addWidget(self.averages)
        prices.addWidget(table(self.prices), 1)
        price_box = QGroupBox(_tr("Price list"))
        price_box.setLayout(prices)
        top = QHBoxLayout()
        top.addWidget(rules, 2)
        top.addWidget(price_box, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 3)
        layout.addWidget(self._approval_box(), 2)

    def _approval_box(self) -> QGroupBox:
        self.chain = RowsModel([_tr("Step"), _tr("Role"), _tr("Signed by"), _tr("Signed at"), _tr("Recorded by"),
                                _tr("Note")],
                               lambda s: (str(s.step), s.role, s.approver, local_time(s.signed_at), s.recorded_by,
                                          s.note), lambda s: GREEN if s.approver else None)
        self.next_label = QLabel()
        self.next_label.setObjectName("next_signature")
        self.approver, self.note = FieldBox(QLineEdit()), QLineEdit()
        self.approver.editor.setPlaceholderText(_tr("Name of the signer"))
        self.note.setPlaceholderText(_tr("Note (optional)"))
        self.sign_button = QPushButton(_tr("Record signature"))
        self.sign_button.clicked.connect(self.sign)
        self.sign_message = Message("sign_message")
        row = QHBoxLayout()
        row.addWidget(self.next_label)
        row.addWidget(self.approver, 1)
        row.addWidget(self.note, 1)
        row.addWidget(self.sign_button)
        box = QVBoxLayout()
        chain_view = table(self.chain)
        chain_view.setMinimumHeight(chain_view.verticalHeader().defaultSectionSize() * 6 + 6)
        box.addWidget(chain_view, 1)
        box.addLayout(row)
        box.addWidget(self.sign_message)
        group = QGroupBox(_tr("Approval chain"))
        group.setLayout(box)
        return group

    def refresh(self) -> None:
        cid, db = self.owner.commission_id, self.owner.ctx.db
        items = catalog.flats(db, project_id=self.owner.project_id, commission_id=cid) if cid else []
        self.prices.set_items(items)
        self.types.set_types(sorted({f.unit_type for f in items}))
        if items and not self.top_floor.value():
            self.top_floor.setValue(max(f.floor for f in items))
        state = approvals.state(db, commission_id=cid) if cid else None
        if state and state.average_price is not None and not self.boxes["average_price"].value():
            self.boxes["average_price"].editor.setText(f"{state.average_price:.0f}")
        average = catalog.list_average(items)
        self.averages.setText(_tr("均价 approved: {approved}    weighted average of the list: {average}").format(
            approved=money(state.average_price) if state else "—", average=money(average) if average else "—"))
        off = state is not None and average is not None and state.average_price is not None and \
            abs(average - state.average_price) > 1
        self.averages.setStyleSheet("color: #b00020;" if off else "")  # the list does not average to 均价
        self.chain.set_items(state.signatures if state else [])
        self.price_button.setEnabled(bool(items))
        step = state.next_step if state else None
        for w in (self.sign_button, self.approver, self.note):
            w.setEnabled(step is not None)
        if state is None or state.average_price is None:
            self.next_label.setText(_tr("Price the flats first."))
        elif step is None:
            self.next_label.setText(_tr("Fully approved."))
        else:
            self.next_label.setText(_tr("Next: {role}").format(role=stock.APPROVAL_CHAIN[step - 1]))

    def rules(self) -> PriceRules:
        number = {k: decimal_of(b.value(), k, w) for k, b, w in (
            ("average_price", self.boxes["average_price"], "均价"), ("step", self.boxes["step"], "每层差价"),
            ("top_discount", self.boxes["top_discount"], "顶层优惠"),
            ("ground_discount", self.boxes["ground_discount"], "首层优惠"))}
        types = {t: decimal_of(v or "0", "types", f"户型“{t}”的差价") for t, v in self.types.rows}
        floors = FloorRule(base_floor=self.base_floor.value(), step=number["step"],
                           top_floor=self.top_floor.value() or None, top_discount=number["top_discount"],
                           ground_discount=number["ground_discount"])
        return PriceRules(average=number["average_price"], floors=floors, unit_types=types)

    def price(self) -> None:
        try:
            average = stock.price_by_rules(self.owner.ctx.db, user=self.owner.user,
                                           commission_id=self.owner.commission_id, rules=self.rules())
        except UserError as exc:
            show_refusal(exc, self.price_message, self.boxes)
            return
        for box in self.boxes.values():
            box.set_error(None)
        self.price_message.done(_tr("Priced; weighted average {average}. The approval chain starts again.")
                                .format(average=money(average)))
        self.refresh()

    def sign(self) -> None:
        state = approvals.state(self.owner.ctx.db, commission_id=self.owner.commission_id)
        try:
            stock.record_approval(self.owner.ctx.db, user=self.owner.user, commission_id=self.owner.commission_id,
                                  step=state.next_step or 0, approver=self.approver.value(), note=self.note.text())
        except UserError as exc:
            show_refusal(exc, self.sign_message, {"approver": self.approver})
            return
        self.sign_message.done(_tr("{name} signed as {role}.").format(
            name=self.approver.value().strip(), role=stock.APPROVAL_CHAIN[state.next_step - 1]))
        self.approver.set_error(None)
        self.approver.editor.clear()
        self.note.clear()
        self.refresh()
