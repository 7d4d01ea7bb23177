"""路线规划: pick an area or a rep, tick the day's customers, order the route; see it on a map with its
distance and time; print or export 客户地址分类表 and 客户区域分析表 (DOMAIN.md §4).

Invalid customers (流失 / 黑名单 / 已合并, or without coordinates) are listed greyed with the reason and
cannot be ticked. The work runs through ctx.tasks; the services check visits.routes and confidentiality.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.domain import route_times
from app.domain.routes import format_minutes, unsuitable_on
from app.errors import UserError
from app.services import areas, staff, visits
from reports import visit_tables
from ui.context import DeskContext
from ui.visits.routes_map import RouteMap
from ui.widgets import date_edit, error_label, read_date

ID_ROLE = Qt.ItemDataRole.UserRole
WARN = QColor("#b35c00")


def _tr(text: str) -> str:
    return QCoreApplication.translate("RoutesPanel", text)


class RoutesPanel(QWidget):
    def __init__(self, ctx: DeskContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.customers: list[areas.VisitCustomer] = []
        self.route: areas.RouteResult | None = None

        self.area_box, self.rep_box = QComboBox(), QComboBox()
        self.day = date_edit()
        self.day.setText(date.today().isoformat())
        self.day.setMaximumWidth(110)
        top = QHBoxLayout()
        for label, widget in ((_tr("Area"), self.area_box), (_tr("or rep"), self.rep_box), (_tr("Day"), self.day)):
            top.addWidget(QLabel(label))
            top.addWidget(widget, 1 if widget is not self.day else 0)
        self.fill_button = QPushButton(_tr("Fill coordinates from addresses"))
        self.areas_button = QPushButton(_tr("Areas…"))
        for b in (self.fill_button, self.areas_button):
            b.setVisible(self._can("visits.areas.manage"))
            top.addWidget(b)

        self.list = QListWidget()
        self.count = QLabel()
        self.all_button, self.none_button = QPushButton(_tr("Tick all")), QPushButton(_tr("Tick none"))
        self.order_button = QPushButton(_tr("Order route"))
        self.order_button.setDefault(True)
        # the calendar's plans of the chosen rep on the chosen day become the day's route
        self.plans_button = QPushButton(_tr("The rep's plans that day"))
        self.plans_button.setVisible(self._can("visits.view"))
        picks = QHBoxLayout()
        for b in (self.all_button, self.none_button, self.plans_button):
            picks.addWidget(b)
        picks.addStretch(1)
        picks.addWidget(self.order_button)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(QLabel(_tr("Customers (tick the day's visits; double-click to enter coordinates)")))
        lv.addWidget(self.list, 1)
        lv.addWidget(self.count)
        lv.addLayout(picks)

        self.map = RouteMap()
        self.summary = QLabel(_tr("Tick customers and press “Order route”."))
        self.summary.setWordWrap(True)
        self.order_list = QListWidget()
        self.order_list.setMaximumHeight(170)
        self.address_button = QPushButton(_tr("Address classification table…"))
        self.region_button = QPushButton(_tr("Region analysis table…"))
        self.sales_button = QPushButton(_tr("Sales analysis table…"))  # 客户销售分析表
        self.excel_check = QComboBox()
        self.excel_check.addItem(_tr("PDF"), "pdf")
        self.excel_check.addItem(_tr("Excel"), "xlsx")
        tables = QHBoxLayout()
        tables.addWidget(self.address_button)
        tables.addWidget(self.region_button)
        tables.addWidget(self.sales_button)
        tables.addWidget(self.excel_check)
        tables.addStretch(1)
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addWidget(self.map, 1)
        rv.addWidget(self.summary)
        rv.addWidget(self.order_list)
        rv.addLayout(tables)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        self.error = error_label()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.error)
        layout.addWidget(split, 1)

        self.area_box.activated.connect(lambda _i: self._scope_changed(self.area_box))
        self.rep_box.activated.connect(lambda _i: self._scope_changed(self.rep_box))
        self.all_button.clicked.connect(lambda: self._tick(True))
        self.none_button.clicked.connect(lambda: self._tick(False))
        self.list.itemChanged.connect(lambda _item: self._count())
        self.order_button.clicked.connect(self.order_route)
        self.plans_button.clicked.connect(self.load_day_plans)
        self.fill_button.clicked.connect(self.fill_coordinates)
        self.areas_button.clicked.connect(self.edit_areas)
        self.list.itemDoubleClicked.connect(self.edit_location)
        self.day.editingFinished.connect(lambda: self._show_customers(self.customers))
        self.address_button.clicked.connect(self.address_table)
        self.region_button.clicked.connect(self.region_table)
        self.sales_button.clicked.connect(lambda: self.sales_table())
        self.reload_scopes()

    # ------------------------------------------------------------ helpers

    def _can(self, permission: str) -> bool:
        return self.ctx.principal.can(permission)

    def _fail(self, exc: Exception) -> None:
        if isinstance(exc, UserError):
            self.error.setText(str(exc))
        else:
            raise exc

    def reload_scopes(self) -> None:
        """Fill the area and rep boxes, keeping what was chosen."""
        self.error.clear()
        was_area, was_rep = self.area_box.currentData(), self.rep_box.currentData()
        try:
            found = areas.list_areas(self.ctx.db, user=self.ctx.principal)
        except UserError as exc:
            self._fail(exc)
            found = []
        self.area_box.clear()
        self.area_box.addItem(_tr("(choose an area)"), "")
        for a in found:
            owner = _tr(" — {owner}").format(owner=a.owner_name) if a.owner_name else ""
            self.area_box.addItem(f"{a.name}{owner}", str(a.id))
            self.area_box.setItemData(self.area_box.count() - 1, a.places_text, Qt.ItemDataRole.ToolTipRole)
        self.rep_box.clear()
        self.rep_box.addItem(_tr("(choose a rep)"), "")
        for p in staff.list_staff(self.ctx.db, active_only=True):
            self.rep_box.addItem(p.name, str(p.id))
        self.area_box.setCurrentIndex(max(0, self.area_box.findData(was_area or "")))
        self.rep_box.setCurrentIndex(max(0, self.rep_box.findData(was_rep or "")))

    def the_day(self) -> date:
        day, ok = read_date(self.day.text())
        return day if ok and day else date.today()

    def _scope_changed(self, source: QComboBox) -> None:
        (self.rep_box if source is self.area_box else self.area_box).setCurrentIndex(0)
        self.load_customers()

    def _scope(self) -> tuple[uuid.UUID | None, uuid.UUID | None, str]:
        area, rep = self.area_box.currentData(), self.rep_box.currentData()
        if area:
            return uuid.UUID(area), None, _tr("Area: {name}").format(name=self.area_box.currentText())
        if rep:
            return None, uuid.UUID(rep), _tr("Rep: {name}").format(name=self.rep_box.currentText())
        return None, None, ""

    # ------------------------------------------------------------ customers

    def load_customers(self) -> None:
        area_id, owner_id, _ = self._scope()
        self.error.clear()
        if area_id is None and owner_id is None:
            self._show_customers([])
            return
        db, user = self.ctx.db, self.ctx.principal
        self.ctx.tasks.run(lambda: areas.visit_customers(db, user=user, area_id=area_id, owner_id=owner_id),
                           self._show_customers, self._fail)

    def load_day_plans(self) -> None:
        """List exactly the customers the rep plans to see that day (拜访日历), all ticked."""
        self.error.clear()
        rep = self.rep_box.currentData()
        if not rep:
            self.error.setText(_tr("Choose the rep whose plans to route."))
            return
        day, db, user = self.the_day(), self.ctx.db, self.ctx.principal

        def work():
            plans = visits.list_plans(db, user=user, start=day, end=day, staff_id=uuid.UUID(rep))
            wanted = list(dict.fromkeys(p.customer_id for p in plans if p.status == "planned"))
            return areas.visit_customers(db, user=user, customer_ids=wanted) if wanted else []

        def show(rows: list[areas.VisitCustomer]) -> None:
            self.area_box.setCurrentIndex(0)
            self.list.blockSignals(True)
            self.list.clear()  # drop old ticks: the plans decide
            self.list.blockSignals(False)
            self._show_customers(rows)
            self._tick(True)
            if not rows:
                self.error.setText(_tr("{rep} has no planned visits on {day}.").format(
                    rep=self.rep_box.currentText(), day=day.isoformat()))

        self.ctx.tasks.run(work, show, self._fail)

    def _show_customers(self, rows: list[areas.VisitCustomer]) -> None:
        keep = {str(i) for i in self.ticked()}  # a changed day redraws the list without losing the ticks
        self.customers = rows
        self.list.blockSignals(True)
        self.list.clear()
        for c in rows:
            item = QListWidgetItem(f"{c.code}  {c.name}")
            item.setData(ID_ROLE, str(c.id))
            tip = c.address or _tr("(no address)")
            if c.unsuitable_times:
                tip += "\n" + _tr("Not to be visited: {times}").format(times=c.unsuitable_times)
            clash = unsuitable_on(c.unsuitable_times, self.the_day())
            if clash and not c.excluded:
                item.setText(f"{c.code}  {c.name}  " + _tr("[not on this day: {times}]").format(times="、".join(clash)))
                item.setForeground(QBrush(WARN))
            if c.excluded:
                item.setText(f"{c.code}  {c.name}  [{c.excluded}]")
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsUserCheckable)
                item.setForeground(QBrush(QColor("#9e9e9e")))
                tip += "\n" + _tr("Left out of routes: {why}").format(why=c.excluded)
            else:
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if str(c.id) in keep else Qt.CheckState.Unchecked)
            item.setToolTip(tip)
            self.list.addItem(item)
        self.list.blockSignals(False)
        self._count()

    def _tick(self, on: bool) -> None:
        self.list.blockSignals(True)
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self.list.blockSignals(False)
        self._count()

    def ticked(self) -> list[uuid.UUID]:
        return [uuid.UUID(self.list.item(i).data(ID_ROLE)) for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.CheckState.Checked]

    def _count(self) -> None:
        invalid = sum(1 for c in self.customers if c.excluded)
        self.count.setText(_tr("{n} customers, {ticked} ticked, {invalid} cannot be visited").format(
            n=len(self.customers), ticked=len(self.ticked()), invalid=invalid))

    # ------------------------------------------------------------ the route

    def order_route(self) -> None:
        chosen = self.ticked()
        self.error.clear()
        if not chosen:
            self.error.setText(_tr("Tick at least one customer to visit."))
            return
        db, user, day = self.ctx.db, self.ctx.principal, self.the_day()
        self.ctx.tasks.run(lambda: areas.plan_route(db, customer_ids=chosen, user=user, day=day), self._show_route,
                           self._fail)

    def _show_route(self, route: areas.RouteResult) -> None:
        self.route = route
        self.order_list.clear()
        day, clashes = self.the_day(), 0
        for n, stop in enumerate(route.stops, start=1):
            c = stop.customer
            line = _tr("{n}. {name}  (+{km:.1f} km)").format(n=n, name=c.name, km=stop.leg_km)
            if stop.arrival is not None:
                line = route_times.clock_text(stop.arrival) + "  " + line
            whole = route_times.whole_days_on(c.unsuitable_times, day)
            if whole:
                line += "  " + _tr("[not on this day: {times}]").format(times="、".join(whole))
            elif stop.clash:
                line += "  " + _tr("[arrives in an unsuitable time: {times}]").format(times=c.unsuitable_times)
            elif c.unsuitable_times:
                line += "  " + _tr("[not: {times}]").format(times=c.unsuitable_times)
            item = QListWidgetItem(line)
            if whole or stop.clash:
                clashes += 1
                item.setForeground(QBrush(WARN))
            self.order_list.addItem(item)
        if route.return_to_office and route.stops:
            self.order_list.addItem(_tr("Back to the office  (+{km:.1f} km)").format(km=route.back_km))
        text = _tr("{n} stops, about {km:.1f} km, {time}").format(
            n=len(route.stops), km=route.distance_km, time=format_minutes(route.minutes))
        if route.input_distance_km - route.distance_km > 0.05:
            text += _tr("; {saved:.1f} km shorter than the order ticked").format(
                saved=route.input_distance_km - route.distance_km)
        if route.moved_for_times:
            text += _tr(" (reordered to keep out of the customers' unsuitable times)")
        elif not route.exact:
            text += _tr(" (best order found, not proven shortest)")
        if clashes:
            text += "\n" + _tr("{n} of them should not be visited on {day} (see their unsuitable times).").format(
                n=clashes, day=day.isoformat())
        if route.excluded:
            text += "\n" + _tr("Left out: {names}").format(
                names="、".join(f"{c.name}({c.excluded})" for c in route.excluded))
        self.summary.setText(text)
        ticked = {s.customer.id for s in route.stops}
        others = [(c.lat, c.lon, c.name) for c in self.customers
                  if c.lat is not None and c.id not in ticked and not c.excluded]
        self.map.show_route((route.office.lat, route.office.lon), others,
                            [(s.customer.lat, s.customer.lon, s.customer.name) for s in route.stops],
                            route.return_to_office, route.stops[0].leg_km if route.stops else None)

    def fill_coordinates(self) -> None:
        db, user = self.ctx.db, self.ctx.principal

        def done(result: areas.FillResult) -> None:
            QMessageBox.information(self, _tr("Coordinates"), _tr(
                "{filled} customers got coordinates from their address; {unmatched} addresses name no known "
                "district (enter those by hand); {kept} already had coordinates.").format(
                filled=result.filled, unmatched=result.unmatched, kept=result.kept))
            self.load_customers()

        self.ctx.tasks.run(lambda: areas.fill_locations(db, user=user), done, self._fail)

    def edit_areas(self) -> None:
        from ui.visits.routes_dialogs import AreasDialog

        AreasDialog(self.ctx, self).exec()
        self.reload_scopes()
        self.load_customers()

    def edit_location(self, item: QListWidgetItem) -> None:
        from ui.visits.routes_dialogs import LocationDialog

        customer = next((c for c in self.customers if str(c.id) == item.data(ID_ROLE)), None)
        if customer is None or not self._can("customer.edit"):
            return
        if LocationDialog(self.ctx, customer, self).exec():
            self.load_customers()

    # ------------------------------------------------------------ the two tables

    def _deliver(self, title: str, make_pdf, make_xlsx) -> None:
        from ui.selection.pdf_preview import PdfPreview

        if self.excel_check.currentData() == "xlsx":
            path, _ = QFileDialog.getSaveFileName(self, title, f"{title}.xlsx", _tr("Excel workbooks (*.xlsx)"))
            if path:
                make_xlsx(path)
            return
        PdfPreview(make_pdf(), title, self).exec()

    def address_table(self) -> None:
        area_id, owner_id, scope = self._scope()
        if area_id is None and owner_id is None:
            self.error.setText(_tr("Choose an area or a rep first."))
            return
        ticked = self.ticked() or None
        try:
            rows = areas.address_table(self.ctx.db, user=self.ctx.principal, area_id=area_id, owner_id=owner_id,
                                       customer_ids=ticked)
        except UserError as exc:
            self._fail(exc)
            return
        title = "客户地址分类表"
        self._deliver(title, lambda: visit_tables.address_table_pdf(
            rows, scope=scope, company="客台 KeDesk", printed_by=self.ctx.actor, printed_at=datetime.now()),
            lambda path: visit_tables.address_table_xlsx(path, rows, scope=scope))

    def region_table(self) -> None:
        year = self.the_day().year
        try:
            rows = areas.region_table(self.ctx.db, user=self.ctx.principal, year=year)
        except UserError as exc:
            self._fail(exc)
            return
        self._deliver("客户区域分析表", lambda: visit_tables.region_table_pdf(
            rows, year=year, company="客台 KeDesk", printed_by=self.ctx.actor, printed_at=datetime.now()),
            lambda path: visit_tables.region_table_xlsx(path, rows, year=year))

    def sales_table(self) -> None:
        """客户销售分析表 of the day's year: the customers of the chosen area or rep, or every readable one."""
        from app.services import sales_analysis

        year = self.the_day().year
        area_id, owner_id, _scope = self._scope()
        ids = [c.id for c in self.customers] if (area_id is not None or owner_id is not None) else None
        try:
            products, rows, totals = sales_analysis.sales_table(self.ctx.db, user=self.ctx.principal, year=year,
                                                                customer_ids=ids)
        except UserError as exc:
            self._fail(exc)
            return
        self.last_sales_table = (products, rows, totals)
        self._deliver("客户销售分析表", lambda: visit_tables.sales_table_pdf(
            products, rows, totals, year=year, company="客台 KeDesk", printed_by=self.ctx.actor,
            printed_at=datetime.now()),
            lambda path: visit_tables.sales_table_xlsx(path, products, rows, totals, year=year))
