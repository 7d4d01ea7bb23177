"""The calendar's side lists: follow-ups (overdue in red), overdue by frequency, rotation, greetings.

Small lists (at most a few hundred rows, the services cap them), so plain QTableWidgets.
"""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.services import visit_lists, visit_records
from ui.context import DeskContext
from ui.widgets import error_label

OVERDUE = QColor("#b00020")


def _tr(text: str) -> str:
    return QCoreApplication.translate("VisitSideLists", text)


def _table(headers: list[str]) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.verticalHeader().setVisible(False)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    t.horizontalHeader().setStretchLastSection(True)
    return t


def _fill(table: QTableWidget, rows: list[list[str]], red: list[bool] | None = None, data: list | None = None) -> None:
    table.setRowCount(len(rows))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if red and red[r]:
                item.setForeground(OVERDUE)
            if data is not None and c == 0:
                item.setData(Qt.ItemDataRole.UserRole, data[r])
            table.setItem(r, c, item)


def _day(d: date | None) -> str:
    return d.isoformat() if d else ""


class FollowUpsPanel(QWidget):
    def __init__(self, ctx: DeskContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[visit_records.FollowUpRow] = []
        layout = QVBoxLayout(self)
        self.table = _table([_tr("Due"), _tr("Customer"), _tr("Promise"), _tr("Owner")])
        self.done_button = QPushButton(_tr("Mark done"))
        self.done_button.clicked.connect(self.mark_done)
        self.error = error_label()
        layout.addWidget(self.table)
        layout.addWidget(self.done_button)
        layout.addWidget(self.error)

    def reload(self, staff_id=None) -> None:
        self.rows = visit_records.follow_ups(self.ctx.db, user=self.ctx.user, owner_id=staff_id)
        _fill(self.table, [[_day(f.due_on), f.customer_name, f.text, f.owner_name] for f in self.rows],
              [f.overdue for f in self.rows], [f.id for f in self.rows])

    def mark_done(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            self.error.setText(_tr("Choose a follow-up first"))
            return
        try:
            visit_records.complete_follow_up(self.ctx.db, user=self.ctx.user, actor=self.ctx.actor,
                                             follow_up_id=self.rows[row].id)
        except UserError as exc:
            self.error.setText(exc.message)
            return
        self.error.setText("")
        self.reload()


class DuePanel(QWidget):
    """Overdue by frequency (kind="overdue") or rotation (kind="rotation")."""

    def __init__(self, ctx: DeskContext, kind: str, parent=None):
        super().__init__(parent)
        self.ctx, self.kind = ctx, kind
        self.rows: list[visit_lists.DueRow] = []
        layout = QVBoxLayout(self)
        hint = (_tr("Customers past the longest gap between contacts for their grade (A: once a quarter).")
                if kind == "overdue" else _tr("Customers nobody contacted this quarter (巡回访问)."))
        label = QLabel(hint)
        label.setWordWrap(True)
        layout.addWidget(label)
        last = _tr("Last contact")
        headers = ([_tr("Customer"), _tr("Grade"), last, _tr("Days overdue"), _tr("Owner")] if kind == "overdue"
                   else [_tr("Customer"), _tr("Grade"), last, _tr("Owner")])
        self.table = _table(headers)
        layout.addWidget(self.table)

    def reload(self, staff_id=None, region: str = "") -> None:
        """Reads every readable customer's last contact: off the GUI thread (ctx.tasks)."""
        db, user, kind = self.ctx.db, self.ctx.user, self.kind
        fetch = visit_lists.overdue_list if kind == "overdue" else visit_lists.rotation_list
        self.ctx.tasks.run(lambda: fetch(db, user=user, staff_id=staff_id, region=region), self._show,
                           lambda exc: self._show([]))

    def _show(self, rows: list[visit_lists.DueRow]) -> None:
        self.rows = rows
        never = _tr("never")
        if self.kind == "overdue":
            cells = [[r.name, r.grade, _day(r.last_contact) or never,
                      str(r.days_overdue) if r.days_overdue is not None else never, r.owner_name] for r in rows]
            _fill(self.table, cells, [True] * len(cells), [r.customer_id for r in rows])
        else:
            _fill(self.table, [[r.name, r.grade, _day(r.last_contact) or never, r.owner_name] for r in rows],
                  None, [r.customer_id for r in rows])


class GreetingsPanel(QWidget):
    """Birthdays, holidays and the report day ahead; a birthday greeting is recorded on the customer's contact log
    (生日祝福, 联络记录) and the row then says so."""

    def __init__(self, ctx: DeskContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[visit_lists.GreetingRow] = []
        self.staff_id = None
        layout = QVBoxLayout(self)
        self.table = _table([_tr("Date"), _tr("Kind"), _tr("What"), _tr("Greeted")])
        layout.addWidget(self.table)
        self.greet_button = QPushButton(_tr("Record greeting…"))
        self.greet_button.setEnabled(ctx.user is None or ctx.user.can("visits.edit"))
        self.greet_button.clicked.connect(lambda: self.record_greeting())
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout.addWidget(self.greet_button)
        layout.addWidget(self.message)

    def reload(self, staff_id=None) -> None:
        self.staff_id = staff_id
        self.rows = visit_lists.greetings(self.ctx.db, user=self.ctx.user, staff_id=staff_id)
        labels = {"birthday": _tr("Birthday"), "holiday": _tr("Holiday"), "report": _tr("Report due")}
        _fill(self.table, [[_day(g.when), labels[g.kind], g.title, "✓" if g.done else ""] for g in self.rows],
              [g.kind == "report" for g in self.rows])

    def record_greeting(self, note: str | None = None) -> None:
        rows = self.table.selectionModel().selectedRows()
        row = self.rows[rows[0].row()] if rows else None
        if row is None or row.customer_id is None:
            self.message.setText(_tr("Choose a birthday in the list: the greeting goes on that customer's log."))
            return
        if note is None:
            note, ok = QInputDialog.getText(self, _tr("Record greeting"), _tr("How (call, card, gift) and what was said"))
            if not ok:
                return
        try:
            visit_lists.record_greeting(self.ctx.db, user=self.ctx.user, actor=self.ctx.actor, row=row,
                                        note=note.strip() or row.occasion)
        except UserError as exc:
            self.message.setText(exc.message)
            return
        self.message.setText(_tr("Recorded on the customer's contact log."))
        self.reload(self.staff_id)
