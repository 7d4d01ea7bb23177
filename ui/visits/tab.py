"""拜访日历 — the visit calendar tab: month / week / day views of plans, filters, side lists.

The tab is a set of sub-tabs: the calendar (this module), the routes panel (ui/visits/routes_panel.py),
and complaints, tours and meals (ui/visits/{complaints,tours,meals}_panel.py), each by permission.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.services import customer_search, staff, visit_forms, visit_ics, visits, workdays
from ui.context import DeskContext
from ui.tr import N_
from ui.visits.calendar_view import CalendarView, Entry
from ui.visits.dialogs import PlanDialog, ReportDialog, show_warnings, warning_label
from ui.visits.side_lists import DuePanel, FollowUpsPanel, GreetingsPanel
from ui.widgets import combo, error_label


def _tr(text: str) -> str:
    return QCoreApplication.translate("VisitsTab", text)


class CalendarPage(QWidget):
    """The calendar sub-tab: toolbar, the view, the side lists."""

    def __init__(self, ctx: DeskContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.plans: dict[uuid.UUID, visits.PlanRow] = {}
        self.may_edit = ctx.user is None or ctx.user.can("visits.edit")
        outer = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.mode_buttons = QButtonGroup(self)
        for mode, text in (("month", _tr("Month")), ("week", _tr("Week")), ("day", _tr("Day"))):
            b = QPushButton(text)
            b.setCheckable(True)
            b.setProperty("mode", mode)
            self.mode_buttons.addButton(b)
            bar.addWidget(b)
            if mode == "month":
                b.setChecked(True)
        self.mode_buttons.buttonClicked.connect(lambda b: self.set_mode(b.property("mode")))
        for text, step in (("◀", -1), (_tr("Today"), 0), ("▶", 1)):
            b = QPushButton(text)
            b.setMaximumWidth(64)
            b.clicked.connect(lambda _c=False, s=step: self.step(s))
            bar.addWidget(b)
        self.period = QLabel()
        self.period.setStyleSheet("font-weight: bold; padding: 0 8px;")
        bar.addWidget(self.period)
        bar.addStretch(1)
        every = _tr("(everyone)")
        self.rep_filter = combo([(str(p.id), p.name) for p in staff.list_staff(ctx.db, active_only=True)], blank=every)
        self.dept_filter = combo([(str(i), n) for i, n in staff.departments(ctx.db)], blank=_tr("(all departments)"))
        self.region_filter = combo([(r, r) for r in customer_search.distinct_regions(ctx.db)], blank=_tr("(all regions)"))
        if ctx.user is not None and ctx.user.staff_id is not None and not ctx.user.can("visits.view.all"):
            self.rep_filter.setCurrentIndex(max(0, self.rep_filter.findData(str(ctx.user.staff_id))))  # own first
        for label, box in ((_tr("Rep"), self.rep_filter), (_tr("Department"), self.dept_filter),
                           (_tr("Region"), self.region_filter)):
            bar.addWidget(QLabel(label))
            bar.addWidget(box)
            box.currentIndexChanged.connect(lambda _i: self.reload())
        outer.addLayout(bar)
        actions = QHBoxLayout()
        self.new_button = QPushButton(_tr("New plan…"))
        self.new_button.clicked.connect(lambda: self.new_plan())
        self.edit_button = QPushButton(_tr("Edit plan…"))
        self.edit_button.clicked.connect(lambda: self.edit_plan(self.view.selected_id))
        self.report_button = QPushButton(_tr("File visit report…"))
        self.report_button.clicked.connect(lambda: self.file_report(self.view.selected_id))
        self.cancel_button = QPushButton(_tr("Cancel plan"))
        self.cancel_button.clicked.connect(lambda: self.cancel_plan(self.view.selected_id))
        self.ics_button = QPushButton(_tr("Export .ics…"))
        self.ics_button.clicked.connect(self.export_ics)
        for b in (self.new_button, self.edit_button, self.report_button, self.cancel_button):
            b.setEnabled(self.may_edit)
            actions.addWidget(b)
        actions.addStretch(1)
        self.forms_button = QPushButton(_tr("Print forms"))  # 客户联络计划表 / 联系预定表 / 拜访记录表
        forms = QMenu(self)
        for kind, label in FORMS:
            for fmt, what in (("pdf", "PDF"), ("xlsx", "Excel")):
                forms.addAction(f"{_tr(label)} ({what})…", lambda k=kind, f=fmt: self.export_form(k, f))
        self.forms_button.setMenu(forms)
        actions.addWidget(self.forms_button)
        actions.addWidget(self.ics_button)
        outer.addLayout(actions)
        self.banner = warning_label()
        self.error = error_label()
        outer.addWidget(self.banner)
        outer.addWidget(self.error)
        self.error.hide()
        self.view = CalendarView()
        self.view.moved.connect(self.on_moved)
        self.view.activated.connect(self.edit_plan)
        self.view.empty_activated.connect(lambda at: self.new_plan(at))
        self.view.selected.connect(self._selection_changed)
        self.side = QTabWidget()
        self.follow_ups = FollowUpsPanel(ctx)
        self.overdue = DuePanel(ctx, "overdue")
        self.rotation = DuePanel(ctx, "rotation")
        self.greetings = GreetingsPanel(ctx)
        self.side.addTab(self.follow_ups, _tr("Follow-ups"))
        self.side.addTab(self.overdue, _tr("Overdue"))
        self.side.addTab(self.rotation, _tr("Rotation"))
        self.side.addTab(self.greetings, _tr("Birthdays and holidays"))
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.view)
        split.addWidget(self.side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([1000, 430])
        outer.addWidget(split, 1)
        self._selection_changed(None)
        self.reload()

    # ------------------------------------------------------------ filters and loading
    def _uuid(self, box) -> uuid.UUID | None:
        return uuid.UUID(box.currentData()) if box.currentData() else None

    def set_mode(self, mode: str) -> None:
        for b in self.mode_buttons.buttons():
            b.setChecked(b.property("mode") == mode)
        self.view.set_mode(mode)
        self.reload(lists=False)

    def step(self, direction: int) -> None:
        a = self.view.anchor
        if direction == 0:
            a = date.today()
        elif self.view.mode == "month":
            month = a.month - 1 + direction
            a = date(a.year + month // 12, month % 12 + 1, 1)
        else:
            a += timedelta(days=direction * (7 if self.view.mode == "week" else 1))
        self.view.set_anchor(a)
        self.reload(lists=False)

    def show_day(self, day: date) -> None:
        self.view.set_anchor(day)
        self.reload(lists=False)

    def reload(self, lists: bool = True) -> None:
        """The plans of the days shown; with lists, the side lists too (filters changed, a report filed)."""
        days = self.view.days()
        staff_id, region = self._uuid(self.rep_filter), self.region_filter.currentData() or ""
        try:
            rows = visits.list_plans(self.ctx.db, user=self.ctx.user, start=days[0], end=days[-1], staff_id=staff_id,
                                     department_id=self._uuid(self.dept_filter), region=region)
        except UserError as exc:
            self._fail(exc.message)
            return
        self.plans = {p.id: p for p in rows}
        self.view.set_entries([self._entry(p) for p in rows])
        self.view.set_day_marks(workdays.day_marks(self.ctx.db, days[0], days[-1]))
        a = self.view.anchor
        self.period.setText(f"{a:%Y-%m}" if self.view.mode == "month" else
                            f"{days[0]:%Y-%m-%d} – {days[-1]:%m-%d}" if self.view.mode == "week" else f"{a:%Y-%m-%d}")
        if lists:
            self.follow_ups.reload(staff_id)
            self.overdue.reload(staff_id, region)
            self.rotation.reload(staff_id, region)
            self.greetings.reload(staff_id)
        if self.view.selected_id not in self.plans:
            self.view.selected_id = None
        self._selection_changed(self.view.selected_id)

    def _entry(self, p: visits.PlanRow) -> Entry:
        detail = " · ".join(x for x in (p.staff_name, p.purpose) if x)
        return Entry(p.id, p.starts_at.replace(tzinfo=None), p.ends_at.replace(tzinfo=None), p.customer_name, detail,
                     p.status, self.may_edit and p.status == "planned")

    def _selection_changed(self, plan_id) -> None:
        plan = self.plans.get(plan_id) if plan_id else None
        planned = plan is not None and plan.status == "planned" and self.may_edit
        for b in (self.edit_button, self.report_button, self.cancel_button):
            b.setEnabled(planned)

    # ------------------------------------------------------------ actions
    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def _report(self, warnings: list[str], done: str) -> None:
        self._fail("")
        show_warnings(self.banner, warnings)
        if not warnings:
            self.banner.setText(done)
            self.banner.setVisible(bool(done))
            self.banner.setStyleSheet("background: #e6f4ea; color: #1e5e24; padding: 4px;")
        else:
            from ui.visits.dialogs import WARNING_STYLE

            self.banner.setStyleSheet(WARNING_STYLE)

    def on_moved(self, plan_id: uuid.UUID, start: datetime) -> None:
        plan = self.plans.get(plan_id)
        try:
            result = visits.move_plan(self.ctx.db, user=self.ctx.user, actor=self.ctx.actor, plan_id=plan_id,
                                      starts_at=start, expected_version=plan.version if plan else None)
        except UserError as exc:
            self._fail(exc.message)
            self.reload(lists=False)
            return
        self.reload(lists=False)
        self._report(result.warnings, _tr("Moved to {when}.").format(when=f"{start:%Y-%m-%d %H:%M}"))

    def new_plan(self, start: datetime | None = None) -> PlanDialog | None:
        if not self.may_edit:
            return None
        dialog = PlanDialog(self.ctx, start=start, parent=self)
        return self._run(dialog)

    def edit_plan(self, plan_id) -> PlanDialog | None:
        plan = self.plans.get(plan_id) if plan_id else None
        if plan is None or plan.status != "planned" or not self.may_edit:
            return None
        return self._run(PlanDialog(self.ctx, plan=plan, parent=self))

    def _run(self, dialog: PlanDialog) -> PlanDialog:
        self.open_dialog = dialog
        if dialog.exec() and dialog.result_info is not None:
            self.reload()
            self._report(dialog.result_info.warnings, _tr("Plan saved."))
        return dialog

    def file_report(self, plan_id) -> ReportDialog | None:
        plan = self.plans.get(plan_id) if plan_id else None
        if plan is None:
            self._fail(_tr("Choose a planned visit in the calendar first"))
            return None
        dialog = ReportDialog(self.ctx, plan, parent=self)
        self.open_dialog = dialog
        if dialog.exec():
            self.reload()
            self._report([], _tr("Visit report filed; it is in the customer's contact log."))
        return dialog

    def cancel_plan(self, plan_id) -> None:
        plan = self.plans.get(plan_id) if plan_id else None
        if plan is None:
            return
        if QMessageBox.question(self, _tr("Cancel plan"), _tr("Cancel the visit to {name} on {when}?").format(
                name=plan.customer_name, when=f"{plan.starts_at:%Y-%m-%d %H:%M}")) != QMessageBox.StandardButton.Yes:
            return
        try:
            visits.cancel_plan(self.ctx.db, user=self.ctx.user, actor=self.ctx.actor, plan_id=plan_id,
                               expected_version=plan.version)
        except UserError as exc:
            self._fail(exc.message)
            return
        self.reload()

    def export_ics(self, path: str | None = None) -> None:
        days = self.view.days()
        if path is None:
            path, _f = QFileDialog.getSaveFileName(self, _tr("Export .ics"), f"拜访日历-{days[0]:%Y%m%d}.ics",
                                                   "iCalendar (*.ics)")
            if not path:
                return
        try:
            data = visit_ics.export_ics(self.ctx.db, user=self.ctx.user, start=days[0], end=days[-1],
                                        staff_id=self._uuid(self.rep_filter))
            Path(path).write_bytes(data)
        except (UserError, OSError) as exc:
            self._fail(getattr(exc, "message", str(exc)))
            return
        self._report([], _tr("Exported to {path}.").format(path=path))


    def export_form(self, kind: str, fmt: str, path: str | None = None) -> None:
        """One of the regulation's visit forms for the days shown and the rep / department chosen."""
        days = self.view.days()
        title = dict(FORMS)[kind]
        if path is None:
            default = f"{FORM_FILES[kind]}-{days[0]:%Y%m%d}.{fmt}"
            path, _f = QFileDialog.getSaveFileName(self, _tr(title), default,
                                                   "PDF (*.pdf)" if fmt == "pdf" else "Excel (*.xlsx)")
            if not path:
                return
        try:
            n = visit_forms.export(self.ctx.db, user=self.ctx.user, kind=kind, fmt=fmt, path=Path(path),
                                   start=days[0], end=days[-1], staff_id=self._uuid(self.rep_filter),
                                   department_id=self._uuid(self.dept_filter), printed_by=self.ctx.actor)
        except (UserError, OSError) as exc:
            self._fail(getattr(exc, "message", str(exc)))
            return
        self._report([], _tr("{n} rows written to {path}.").format(n=n, path=path))


FORMS = (("plan", N_("Contact plan")), ("schedule", N_("Contact schedule")), ("record", N_("Visit records")))
FORM_FILES = {"plan": "客户联络计划表", "schedule": "客户联系预定表", "record": "客户拜访记录表"}


class VisitsTab(QTabWidget):
    """拜访日历. Sub-tabs, each shown to whoever holds its permission: the calendar, routes and areas,
    inquiries (询价与函电), complaints, tours, hospitality meals (the front desk sees only the reception ones)."""

    NEEDS = ("visits.view", "visits.routes", "reception.view")

    @classmethod
    def visible_for(cls, user) -> bool:
        return user is None or any(user.can(p) for p in cls.NEEDS)

    def __init__(self, ctx: DeskContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        may = (lambda p: True) if ctx.user is None else ctx.user.can
        self.calendar = self.routes = self.tours = self.meals = self.complaints = self.inquiries = None
        if may("visits.view"):
            self.calendar = CalendarPage(ctx)
            self.addTab(self.calendar, _tr("Calendar"))
        if may("visits.routes"):
            from ui.visits.routes_panel import RoutesPanel

            self.routes = RoutesPanel(ctx)
            self.addTab(self.routes, _tr("Areas and routes"))
        if may("reception.view"):
            from ui.visits.complaints_panel import ComplaintsPanel
            from ui.visits.inquiries_panel import InquiriesPanel
            from ui.visits.meals_panel import MealsPanel
            from ui.visits.tours_panel import ToursPanel

            self.complaints, self.tours, self.meals = ComplaintsPanel(ctx), ToursPanel(ctx), MealsPanel(ctx)
            self.inquiries = InquiriesPanel(ctx)
            self.addTab(self.inquiries, _tr("Inquiries"))
            self.addTab(self.complaints, _tr("Complaints"))
            self.addTab(self.tours, _tr("Tours"))
            self.addTab(self.meals, _tr("Hospitality meals"))

    def add_panel(self, widget: QWidget, title: str) -> None:
        self.addTab(widget, title)
