"""客户投诉 sub-tab: complaints newest first, the unanswered-past-the-clock ones in red; receive, handle,
cause statistics (Excel)."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QCheckBox, QFileDialog, QWidget

from app.errors import UserError
from app.services import complaints
from ui.context import DeskContext
from ui.tr import N_
from ui.visits.complaint_dialog import ComplaintDialog, ComplaintStepDialog
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

COLUMNS = (N_("Number"), N_("Received"), N_("Customer / complainant"), N_("Channel"), N_("Cause"), N_("Subject"),
           N_("Status"), N_("Answer due"), N_("Answered"), N_("Overdue"))


def _tr(text: str) -> str:
    return QCoreApplication.translate("ComplaintsPanel", text)


class ComplaintsPanel(QWidget):
    def __init__(self, ctx: DeskContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[complaints.ComplaintRow] = []
        self.open_only = QCheckBox(_tr("Open only"))
        self.open_only.toggled.connect(lambda _on: self.reload())
        list_panel(self, "complaints", (("new", _tr("Receive…"), self.receive), ("step", _tr("Handle…"), self.handle),
                                        ("stats", _tr("Cause statistics (Excel)…"), self.export)),
                   [_tr(c) for c in COLUMNS], after=(self.open_only,))
        self.table.doubleClicked.connect(lambda _i: self.handle())
        user = ctx.principal
        self.buttons["new"].setEnabled(user is None or user.can("complaints.receive"))
        self.buttons["step"].setEnabled(user is None or user.can("complaints.receive") or user.can("complaints.handle"))
        self.reload()

    def reload(self) -> None:
        tz = zone(self.ctx)
        try:
            self.rows = complaints.list_complaints(self.ctx.db, user=self.ctx.principal, open_only=self.open_only.isChecked())
        except UserError as exc:
            self.error.setText(exc.message)
            self.rows = []
        self.table.setRowCount(len(self.rows))
        for i, r in enumerate(self.rows):
            late_now = r.overdue and r.answered_at is None
            colour = OVERDUE if late_now else DONE if r.status == "closed" else PENDING if r.status == "received" else None
            answered = local(r.answered_at, tz) + (_tr(" (late)") if r.overdue and r.answered_at else "")
            fill_row(self.table, i, [r.number, local(r.received_at, tz), r.customer_name or r.complainant, r.channel_label,
                                     r.cause_label, r.subject, r.status_label, local(r.respond_by, tz), answered,
                                     _tr("Overdue") if r.overdue else ""],
                     r.id, colour)
        self.summary.setText(self.figures_text())

    def figures_text(self) -> str:
        """The footer: counted from the rows listed, so it agrees with them (超时 = the Overdue column)."""
        try:
            f = complaints.service_figures(self.ctx.db, user=self.ctx.principal, rows=self.rows)
        except UserError as exc:
            return exc.message
        pct = (lambda r: "—" if r is None else f"{r * 100:.1f}%")  # noqa: E731
        hours = (lambda h: "—" if h is None else _tr("{h} h").format(h=h))  # noqa: E731
        return _tr("{n} complaints · {k} overdue ({w} still unanswered) · resolved {c} ({rate}) · satisfaction "
                   "{sat} · mean answer {answer} · mean resolution {resolve}").format(
            n=f.count, k=f.overdue, w=f.waiting_overdue, c=f.closed, rate=pct(f.resolution_rate),
            sat=pct(f.satisfaction), answer=hours(f.response_hours), resolve=hours(f.resolution_hours))

    def receive(self) -> None:
        if ComplaintDialog(self.ctx, self).exec():
            self.reload()

    def handle(self) -> None:
        key = selected_key(self.table)
        row = next((r for r in self.rows if r.id == key), None)
        if row is None:
            self.error.setText(_tr("Choose a complaint in the list first."))
            return
        if ComplaintStepDialog(self.ctx, row, self).exec():
            self.reload()

    def export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, _tr("Complaint statistics"), "投诉原因统计.xlsx",
                                              _tr("Excel workbooks (*.xlsx)"))
        if not path:
            return
        user, db = self.ctx.principal, self.ctx.db
        self.ctx.tasks.run(lambda: complaints.export_statistics(db, user=user, path=path),
                           lambda n: self.error.setText(_tr("{n} complaints written to {path}").format(n=n, path=path)),
                           lambda exc: self.error.setText(getattr(exc, "message", str(exc))))
