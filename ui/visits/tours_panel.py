"""客户参观 sub-tab: applications by visit time, waiting ones in orange; approve along the chain (GM, then the
chairman for key-customer and group tours), print the permit and the visitor badges."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QMessageBox,
    QWidget,
)

from app.errors import UserError
from app.services import tours
from ui.context import DeskContext
from ui.tr import N_
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
from ui.visits.tour_dialog import TourDialog

COLUMNS = (N_("Visit time"), N_("Type"), N_("Visiting unit"), N_("People"), N_("Applied by"), N_("Status"),
           N_("Permit no."), N_("Photos"))
NEXT = {"gm": N_("waiting for the GM"), "chairman": N_("waiting for the chairman")}


def _tr(text: str) -> str:
    return QCoreApplication.translate("ToursPanel", text)


class ToursPanel(QWidget):
    def __init__(self, ctx: DeskContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[tours.TourRow] = []
        list_panel(self, "tours", (("new", _tr("New application…"), self.new_application),
                                   ("approve", _tr("Approve"), lambda: self.decide(True)),
                                   ("reject", _tr("Reject…"), lambda: self.decide(False)),
                                   ("permit", _tr("Print permit…"), lambda: self.print_pdf("permit")),
                                   ("badges", _tr("Print badges…"), lambda: self.print_pdf("badges"))),
                   [_tr(c) for c in COLUMNS])
        user = ctx.principal
        self.buttons["new"].setEnabled(user is None or user.can("reception.request"))
        approver = user is None or user.can("reception.approve_gm") or user.can("reception.approve_chairman")
        self.buttons["approve"].setEnabled(approver)
        self.buttons["reject"].setEnabled(approver)
        self.reload()

    def reload(self) -> None:
        tz = zone(self.ctx)
        try:
            self.rows = tours.list_tours(self.ctx.db, user=self.ctx.principal)
        except UserError as exc:
            self.error.setText(exc.message)
            self.rows = []
        self.table.setRowCount(len(self.rows))
        waiting = 0
        for i, r in enumerate(self.rows):
            status = r.status_label + (f"({_tr(NEXT[r.next_step])})" if r.next_step else "")
            waiting += r.next_step is not None
            colour = PENDING if r.next_step else DONE if r.status == "approved" else OVERDUE if r.status == "rejected" else None
            photos = _tr("allowed") if r.photos_allowed else _tr("not allowed")
            fill_row(self.table, i, [local(r.visit_at, tz), r.kind_label, r.visitor_unit, str(r.headcount), r.applied_by,
                                     status, r.permit_no or "", photos], r.id, colour)
        self.summary.setText(_tr("{n} tours, {k} waiting for approval").format(n=len(self.rows), k=waiting))

    def new_application(self) -> None:
        if TourDialog(self.ctx, self).exec():
            self.reload()

    def _selected(self):
        key = selected_key(self.table)
        row = next((r for r in self.rows if r.id == key), None)
        if row is None:
            self.error.setText(_tr("Choose a tour in the list first."))
        return row

    def decide(self, approve: bool) -> None:
        row = self._selected()
        if row is None:
            return
        note, photos = "", False
        if not approve:
            note, ok = QInputDialog.getText(self, _tr("Reject"), _tr("Reason"))
            if not ok:
                return
        elif row.photos_requested and (row.next_step == "chairman" or not tours.rules.needs_chairman(row.kind)):
            answer = QMessageBox.question(self, _tr("Photos"), _tr("The customer asks to take photos. Allow it?"))
            photos = answer == QMessageBox.StandardButton.Yes
        try:
            tours.decide(self.ctx.db, user=self.ctx.principal, tour_id=row.id, approve=approve, note=note,
                         photos_allowed=photos)
        except UserError as exc:
            self.error.setText(exc.message)
            return
        self.error.clear()
        self.reload()

    def print_pdf(self, what: str) -> None:
        row = self._selected()
        if row is None:
            return
        name = "客户参观许可证" if what == "permit" else "客户参观胸卡"
        path, _ = QFileDialog.getSaveFileName(self, _tr("Save PDF"), f"{name}-{row.permit_no or ''}.pdf", "PDF (*.pdf)")
        if not path:
            return
        try:
            data = tours.print_documents(self.ctx.db, user=self.ctx.principal, tour_id=row.id, what=what)
        except UserError as exc:
            self.error.setText(exc.message)
            return
        with open(path, "wb") as fh:
            fh.write(data)
        self.error.setText(_tr("Saved to {path}").format(path=path))
