"""Dialogs of 路线规划: visit areas (拜访区域: a name, an owner rep, districts or whole cities) and a customer's
coordinates typed in by hand (客户坐标). Errors show in place; nothing typed is lost on a refusal."""
from __future__ import annotations

import uuid

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from app.domain import geo
from app.errors import UserError, ValidationFailed
from app.services import areas, staff
from ui.context import DeskContext
from ui.widgets import FieldBox, combo, confirm_buttons, error_label

CODE_ROLE = Qt.ItemDataRole.UserRole


def _tr(text: str) -> str:
    return QCoreApplication.translate("RoutesDialogs", text)


class AreasDialog(QDialog):
    """List of areas on the left; the chosen (or a new) area's name, owner and places on the right."""

    def __init__(self, ctx: DeskContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_tr("Visit areas"))
        self.resize(760, 560)
        self.current: uuid.UUID | None = None
        self.areas_list = QListWidget()
        new, self.delete_button = QPushButton(_tr("New area")), QPushButton(_tr("Delete area"))
        self.name = FieldBox(QLineEdit())
        self.owner = FieldBox(combo([(str(p.id), p.name) for p in staff.list_staff(ctx.db, active_only=True)],
                                    blank=_tr("(no owner)")))
        self.note = QLineEdit()
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.places = FieldBox(self.tree)
        self._fill_tree()
        self.error = error_label()
        self.save_button = QPushButton(_tr("Save area"))
        self.save_button.setDefault(True)

        form = QFormLayout()
        form.addRow(_tr("Name"), self.name)
        form.addRow(_tr("Owner rep"), self.owner)
        form.addRow(_tr("Note"), self.note)
        form.addRow(_tr("Districts"), self.places)
        hint = QLabel(_tr("Tick a city to take all its districts. A district can belong to one area only."))
        hint.setWordWrap(True)
        left = QVBoxLayout()
        left.addWidget(self.areas_list, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(new)
        buttons.addWidget(self.delete_button)
        left.addLayout(buttons)
        right = QVBoxLayout()
        right.addLayout(form, 1)
        right.addWidget(hint)
        right.addWidget(self.error)
        right.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignRight)
        body = QHBoxLayout()
        body.addLayout(left, 2)
        body.addLayout(right, 5)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        close = QPushButton(_tr("Close"))
        close.clicked.connect(self.accept)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)

        new.clicked.connect(self.new_area)
        self.delete_button.clicked.connect(self.delete_area)
        self.save_button.clicked.connect(self.save)
        self.areas_list.currentItemChanged.connect(lambda item, _prev: self._open(item))
        self.reload()

    def _fill_tree(self) -> None:
        cities: dict[str, QTreeWidgetItem] = {}
        for p in geo.builtin_table():
            if not p.district:
                item = QTreeWidgetItem([_tr("{city} (whole city)").format(city=p.city)])
                cities[p.city] = item
                self.tree.addTopLevelItem(item)
            else:
                item = QTreeWidgetItem([p.district])
                cities[p.city].addChild(item)
            item.setData(0, CODE_ROLE, p.code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Unchecked)

    def _items(self):
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            yield top
            for k in range(top.childCount()):
                yield top.child(k)

    def ticked(self) -> list[str]:
        return [it.data(0, CODE_ROLE) for it in self._items() if it.checkState(0) == Qt.CheckState.Checked]

    def tick(self, codes) -> None:
        wanted = set(codes)
        for it in self._items():
            it.setCheckState(0, Qt.CheckState.Checked if it.data(0, CODE_ROLE) in wanted else Qt.CheckState.Unchecked)
            if it.data(0, CODE_ROLE) in wanted and it.parent():
                it.parent().setExpanded(True)

    def reload(self, select: uuid.UUID | None = None) -> None:
        self.found = {a.id: a for a in areas.list_areas(self.ctx.db, user=self.ctx.principal)}
        self.areas_list.blockSignals(True)
        self.areas_list.clear()
        for a in self.found.values():
            item = QListWidgetItem(a.name + (f"({a.owner_name})" if a.owner_name else ""))
            item.setData(CODE_ROLE, str(a.id))
            item.setToolTip(a.places_text)
            self.areas_list.addItem(item)
            if a.id == select:
                self.areas_list.setCurrentItem(item)
        self.areas_list.blockSignals(False)
        if select is None or self.areas_list.currentItem() is None:
            self.new_area()
        else:
            self._open(self.areas_list.currentItem())

    def _clear_errors(self) -> None:
        for box in (self.name, self.owner, self.places):
            box.set_error(None)
        self.error.clear()

    def new_area(self) -> None:
        self.current = None
        self.areas_list.clearSelection()
        self._clear_errors()
        self.name.set_value("")
        self.owner.set_value("")
        self.note.clear()
        self.tick([])
        self.delete_button.setEnabled(False)

    def _open(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        a = self.found[uuid.UUID(item.data(CODE_ROLE))]
        self.current = a.id
        self._clear_errors()
        self.name.set_value(a.name)
        self.owner.set_value(a.owner_id)
        self.note.setText(a.note)
        self.tick(a.place_codes)
        self.delete_button.setEnabled(True)

    def save(self) -> None:
        self._clear_errors()
        owner = self.owner.value()
        try:
            saved = areas.save_area(self.ctx.db, user=self.ctx.principal, area_id=self.current, name=self.name.value(),
                                    owner_id=uuid.UUID(owner) if owner else None, place_codes=self.ticked(),
                                    note=self.note.text())
        except ValidationFailed as exc:
            for key, box in (("name", self.name), ("places", self.places)):
                box.set_error(exc.errors.get(key))
            return
        except UserError as exc:
            self.error.setText(str(exc))
            return
        self.reload(select=saved)

    def delete_area(self) -> None:
        if self.current is None:
            return
        name = self.found[self.current].name
        if QMessageBox.question(self, _tr("Delete area"), _tr("Delete the visit area “{name}”? Its customers "
                                                               "stay as they are.").format(name=name)) \
                != QMessageBox.StandardButton.Yes:
            return
        try:
            areas.delete_area(self.ctx.db, area_id=self.current, user=self.ctx.principal)
        except UserError as exc:
            self.error.setText(str(exc))
            return
        self.reload()


class LocationDialog(QDialog):
    """Type a customer's latitude and longitude (e.g. read off a map); checked in place."""

    def __init__(self, ctx: DeskContext, customer: areas.VisitCustomer, parent=None):
        super().__init__(parent)
        self.ctx, self.customer = ctx, customer
        self.setWindowTitle(_tr("Coordinates of {name}").format(name=customer.name))
        self.lat, self.lon = FieldBox(QLineEdit()), FieldBox(QLineEdit())
        self.lat.editor.setPlaceholderText("30.593")
        self.lon.editor.setPlaceholderText("114.305")
        if customer.lat is not None:
            self.lat.set_value(f"{customer.lat:.6f}")
            self.lon.set_value(f"{customer.lon:.6f}")
        self.error = error_label()
        form = QFormLayout()
        form.addRow(_tr("Address"), QLabel(customer.address or _tr("(no address)")))
        form.addRow(_tr("Now"), QLabel(areas.SOURCE_LABELS.get(customer.source, _tr("no coordinates"))))
        form.addRow(_tr("Latitude"), self.lat)
        form.addRow(_tr("Longitude"), self.lon)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(confirm_buttons(self, self.save, save=True))

    def save(self) -> None:
        self.lat.set_error(None)
        self.lon.set_error(None)
        self.error.clear()
        try:
            areas.set_location(self.ctx.db, customer_id=self.customer.id, lat=self.lat.value(), lon=self.lon.value(),
                               user=self.ctx.principal)
        except ValidationFailed as exc:
            self.lat.set_error(exc.errors.get("lat"))
            self.lon.set_error(exc.errors.get("lon"))
            return
        except UserError as exc:
            self.error.setText(str(exc))
            return
        self.accept()
