"""客户参观申请书 — a tour application; one too late for its kind's notice period is refused under the visit
time, with everything typed kept."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QCheckBox, QDialog, QFormLayout, QLabel, QLineEdit, QPlainTextEdit

from app import settings
from app.domain import tours as rules
from app.errors import UserError
from app.services import tours
from ui.visits.reception_common import aware, datetime_edit, form_dialog, show_refusal, zone
from ui.widgets import FieldBox, combo


def _tr(text: str) -> str:
    return QCoreApplication.translate("TourDialog", text)


class TourDialog(QDialog):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.tour_id = None
        self.zone = zone(ctx)
        self.setWindowTitle(_tr("Customer tour application"))
        self.setMinimumWidth(520)
        self.fields = {
            "kind": FieldBox(combo(list(rules.KINDS.items()))),
            "visitor_unit": FieldBox(QLineEdit()),
            "visit_at": FieldBox(datetime_edit(self.zone)),
            "headcount": FieldBox(QLineEdit()),
            "visitors": FieldBox(QPlainTextEdit()),
            "purpose": FieldBox(QLineEdit()),
            "route": FieldBox(QPlainTextEdit()),
            "host": FieldBox(QLineEdit()),
        }
        for key, box in self.fields.items():
            box.editor.setObjectName(f"tour_{key}")
        f = self.fields
        f["visit_at"].editor.setDateTime(f["visit_at"].editor.dateTime().addDays(3))
        f["visitors"].editor.setPlaceholderText(_tr("One name per line: a badge is printed for each"))
        f["visitors"].editor.setFixedHeight(70)
        f["route"].editor.setFixedHeight(50)
        self.notice = QLabel()
        self.notice.setStyleSheet("color:#1a4d80")
        self.photos = QCheckBox(_tr("The customer asks to take photos (needs special approval)"))
        form = QFormLayout()
        form.addRow(_tr("Tour type"), f["kind"])
        form.addRow("", self.notice)
        form.addRow(_tr("Visiting unit"), f["visitor_unit"])
        form.addRow(_tr("Visit time"), f["visit_at"])
        form.addRow(_tr("Headcount"), f["headcount"])
        form.addRow(_tr("Visitors"), f["visitors"])
        form.addRow(_tr("Purpose"), f["purpose"])
        form.addRow(_tr("Content, scope and route"), f["route"])
        form.addRow(_tr("Accompanied by"), f["host"])
        form.addRow("", self.photos)
        self.message = form_dialog(self, form, self.submit)
        self._rules = settings.get_all(ctx.db)
        f["kind"].editor.currentIndexChanged.connect(self._show_notice)
        self._show_notice()

    def _show_notice(self) -> None:
        kind = self.fields["kind"].value()
        need = rules.notice_needed(self._rules, kind)
        chain = _tr("GM review, then chairman approval") if rules.needs_chairman(kind) else _tr("GM approval")
        hours = int(need.total_seconds() // 3600)
        ahead = (_tr("{n} days ahead").format(n=hours // 24) if hours >= 24
                 else _tr("{n} minutes ahead by phone").format(n=int(need.total_seconds() // 60)))
        self.notice.setText(f"{ahead} · {chain}")

    def values(self) -> dict:
        f = self.fields
        out = {k: f[k].value() for k in ("kind", "visitor_unit", "headcount", "visitors", "purpose", "route", "host")}
        out["visit_at"] = aware(f["visit_at"].editor, self.zone)
        out["photos_requested"] = self.photos.isChecked()
        return out

    def submit(self) -> None:
        try:
            self.tour_id = tours.apply(self.ctx.db, user=self.ctx.principal, values=self.values())
        except UserError as exc:
            show_refusal(exc, self.fields, self.message)
            return
        self.accept()
