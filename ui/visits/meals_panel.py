"""招待用餐 sub-tab: the month's meal requests with their approval and bill, flagged in colour when not
reimbursed (不予报销) or waiting for paperwork; request, approve, reject, record the bill, month-end list."""
from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QFileDialog,
    QInputDialog,
    QLabel,
    QWidget,
)

from app.domain import meals as rules
from app.errors import UserError
from app.services import meals
from ui.context import DeskContext
from ui.tr import N_
from ui.visits.meal_dialog import BillDialog, MealDialog
from ui.visits.reception_common import (
    DONE,
    OVERDUE,
    PENDING,
    fill_row,
    list_panel,
    local,
    selected_key,
    zone,
)

COLUMNS = (N_("Time"), N_("Customer unit"), N_("Type"), N_("Guests+hosts"), N_("Standard"), N_("Restaurant"),
           N_("Status"), N_("Bill"), N_("Reimbursement"))


def _tr(text: str) -> str:
    return QCoreApplication.translate("MealsPanel", text)


class MealsPanel(QWidget):
    def __init__(self, ctx: DeskContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[meals.MealRow] = []
        today = datetime.now(UTC).astimezone(zone(ctx))  # the business's month, not this computer's
        self.month = QDateEdit(QDate(today.year, today.month, today.day))
        self.month.setDisplayFormat("yyyy-MM")
        self.month.setObjectName("meals_month")
        self.month.dateChanged.connect(lambda _d: self.reload())
        list_panel(self, "meals", (("new", _tr("New request…"), self.new_request),
                                   ("approve", _tr("Approve"), lambda: self.decide(True)),
                                   ("reject", _tr("Reject…"), lambda: self.decide(False)),
                                   ("bill", _tr("Record bill…"), self.record_bill),
                                   ("excess", _tr("Approve excess…"), lambda: self.approve_excess()),
                                   ("excel", _tr("Settlement (Excel)…"), lambda: self.export("xlsx")),
                                   ("pdf", _tr("Settlement (PDF)…"), lambda: self.export("pdf"))),
                   [_tr(c) for c in COLUMNS], before=(QLabel(_tr("Month")), self.month))
        self._permissions()
        self.reload()

    def _permissions(self) -> None:
        user = self.ctx.principal
        can = (lambda p: True) if user is None else user.can
        self.buttons["new"].setEnabled(can("reception.request"))
        for k in ("approve", "reject", "excess"):
            self.buttons[k].setEnabled(can("reception.approve_gm"))
        self.buttons["bill"].setEnabled(can("reception.request") or can("reception.settle"))
        for k in ("excel", "pdf"):
            self.buttons[k].setEnabled(can("reception.settle"))

    def reload(self) -> None:
        d = self.month.date()
        tz = zone(self.ctx)
        try:
            self.rows = meals.list_meals(self.ctx.db, user=self.ctx.principal, year=d.year(), month=d.month())
        except UserError as exc:
            self.error.setText(exc.message)
            self.rows = []
        self.table.setRowCount(len(self.rows))
        refused = 0
        for i, r in enumerate(self.rows):
            bill = f"{r.bill_total:,.2f}" if r.bill_total is not None else ""
            verdict = r.flag or (_tr("Reimbursed") if r.reimbursable else "")
            colour = (DONE if r.reimbursable else
                      OVERDUE if "不予报销" in r.flag or r.bill_issues else
                      PENDING if r.status in ("requested", "verbal") else None)
            refused += "不予报销" in r.flag
            kind = "·".join(p for p in (rules.CUSTOMER_KINDS.get(r.customer_kind, ""),
                                        rules.HOST_LEVELS.get(r.host_level, "") if r.meal_type == "formal" else "",
                                        rules.MEAL_TYPES.get(r.meal_type, r.meal_type)) if p)
            fill_row(self.table, i, [local(r.meal_at, tz), r.unit, kind,
                                     f"{r.guests}+{r.hosts}", f"{r.per_person:,.2f}", r.restaurant, r.status_label,
                                     bill, verdict], r.id, colour)
        self.summary.setText(_tr("{n} meals this month, {k} not reimbursed").format(n=len(self.rows), k=refused))

    def new_request(self) -> None:
        dialog = MealDialog(self.ctx, self)
        if dialog.exec():
            self.reload()

    def _selected(self):
        key = selected_key(self.table)
        if key is None:
            self.error.setText(_tr("Choose a meal in the list first."))
        return key

    def decide(self, approve: bool) -> None:
        key = self._selected()
        if key is None:
            return
        note = ""
        if not approve:
            note, ok = QInputDialog.getText(self, _tr("Reject"), _tr("Reason"))
            if not ok:
                return
        try:
            meals.decide(self.ctx.db, user=self.ctx.principal, meal_id=key, approve=approve, note=note)
        except UserError as exc:
            self.error.setText(exc.message)
            return
        self.error.clear()
        self.reload()

    def approve_excess(self, note: str | None = None) -> None:
        """超标准审批: the GM approves a bill over the standard so it can be reimbursed (a reason is asked)."""
        key = self._selected()
        if key is None:
            return
        if note is None:
            note, ok = QInputDialog.getText(self, _tr("Approve excess"),
                                            _tr("Why the bill may exceed the standard (required)"))
            if not ok:
                return
        try:
            meals.approve_excess(self.ctx.db, user=self.ctx.principal, meal_id=key, note=note)
        except UserError as exc:
            self.error.setText(exc.message)
            return
        self.error.clear()
        self.reload()

    def record_bill(self) -> None:
        key = self._selected()
        if key is None:
            return
        dialog = BillDialog(self.ctx, key, self)
        if dialog.exec():
            self.error.setText(";".join(b.message for b in dialog.broken))
            self.reload()

    def export(self, kind: str) -> None:
        d = self.month.date()
        default = f"招待用餐结算-{d.year()}-{d.month():02d}.{kind}"
        pattern = _tr("Excel workbooks (*.xlsx)") if kind == "xlsx" else "PDF (*.pdf)"
        path, _ = QFileDialog.getSaveFileName(self, _tr("Month-end settlement"), default, pattern)
        if not path:
            return
        user, db, year, month = self.ctx.principal, self.ctx.db, d.year(), d.month()
        self.ctx.tasks.run(lambda: meals.export_settlement(db, user=user, year=year, month=month, path=path,
                                                           kind=kind),
                           lambda n: self.error.setText(_tr("{n} meals written to {path}").format(n=n, path=path)),
                           lambda exc: self.error.setText(getattr(exc, "message", str(exc))))


