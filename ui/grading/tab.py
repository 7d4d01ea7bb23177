"""The 客户分级 tab: grading runs (pick a scheme and year, run, review changes, override, commit, history,
export, print the 客户分级表), with room for further panels as sub-tabs."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.grading import schemes as scheme_rules
from app.errors import UserError
from app.services import credit, grading_holds, grading_output, grading_runs, grading_schemes
from ui.grading.override_dialog import OverrideDialog
from ui.grading.results_model import ResultsModel
from ui.grading.term_drops_panel import TermDropsPanel
from ui.widgets import combo, error_label, side_by_side


def _tr(text: str) -> str:
    return QCoreApplication.translate("GradingTab", text)


def N_(text: str) -> str:
    return text


CHANGE_FILTERS = (("", N_("All changes")), ("up", N_("Up")), ("down", N_("Down")), ("new", N_("New")),
                  ("same", N_("Unchanged")))


class GradingTab(QTabWidget):
    """客户分级. Sub-tabs by permission: grading runs and payment-term drops (grading.view), advancement
    applications (a rep files them, supervisors review, managers approve), and the key / important / problem
    customer tables with the relationship evaluation."""

    NEEDS = ("grading.view", "grading.advance.apply", "grading.advance.review", "grading.tables.view", "sales.edit")

    @classmethod
    def visible_for(cls, user) -> bool:
        return user is None or any(user.can(p) for p in cls.NEEDS)

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        may = (lambda p: True) if ctx.user is None else ctx.user.can
        self.runs = self.term_drops = self.advancement = self.tables = self.sales = None
        if may("grading.view"):
            self.runs = RunsPanel(ctx)
            self.addTab(self.runs, _tr("Grading runs"))
        if may("grading.advance.apply") or may("grading.advance.review") or may("grading.advance.approve"):
            from ui.grading.advancement_panel import AdvancementPanel

            self.advancement = AdvancementPanel(ctx)
            self.addTab(self.advancement, _tr("Advancement"))
        if may("grading.tables.view"):
            from ui.grading.tables_panel import TablesPanel

            self.tables = TablesPanel(ctx)
            self.addTab(self.tables, _tr("Key customers and evaluation"))
        if may("sales.edit") or may("grading.view"):
            from ui.grading.sales_panel import SalesPanel

            self.sales = SalesPanel(ctx)
            self.addTab(self.sales, _tr("Sales and payments"))
        if may("grading.view"):
            self.term_drops = TermDropsPanel(ctx)
            self.addTab(self.term_drops, _tr("Payment-term drops"))

    def add_panel(self, widget: QWidget, title: str) -> None:
        self.addTab(widget, title)


class RunsPanel(QWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.run_id = None
        self.info = None
        user = ctx.user
        self.may_run = user is None or user.can("grading.run")
        self.may_override = user is None or user.can("grading.override")
        self.may_credit = user is not None and user.can("credit.grade")  # finance re-checks the credit grades
        self.kinds: dict[str, str] = {}  # scheme id → kind

        self.scheme = combo([])
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(date.today().year - 1)
        self.run_button = QPushButton(_tr("Run grading"))
        self.run_button.clicked.connect(self.run)
        self.run_button.setEnabled(self.may_run or self.may_credit)
        self.change_filter = combo([(k, _tr(v)) for k, v in CHANGE_FILTERS])
        self.change_filter.currentIndexChanged.connect(self.reload)
        self.override_button = QPushButton(_tr("Override…"))
        self.override_button.clicked.connect(self.override)
        self.commit_button = QPushButton(_tr("Commit"))
        self.commit_button.clicked.connect(self.commit)
        self.export_button = QPushButton(_tr("Export to Excel…"))
        self.export_button.clicked.connect(lambda: self.export())
        self.print_button = QPushButton(_tr("Print grading table…"))
        self.print_button.clicked.connect(lambda: self.print_table())
        self.schemes_button = QPushButton(_tr("Schemes…"))
        self.schemes_button.clicked.connect(lambda: self.edit_schemes())
        self.schemes_button.setEnabled(self.may_run)
        self.scheme.currentIndexChanged.connect(lambda _i: self._update_buttons())

        bar = QHBoxLayout()
        for w in (QLabel(_tr("Scheme")), self.scheme, self.schemes_button, QLabel(_tr("Year")), self.year,
                  self.run_button,
                  QLabel(_tr("Show")), self.change_filter):
            bar.addWidget(w)
        bar.addStretch(1)
        for w in (self.override_button, self.commit_button, self.export_button, self.print_button):
            bar.addWidget(w)

        self.model = ResultsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self.override())

        history = QWidget()
        hl = QVBoxLayout(history)
        hl.setContentsMargins(0, 0, 0, 0)
        hl.addWidget(QLabel(_tr("Snapshots (newest first)")))
        self.history = QListWidget()
        self.history.itemActivated.connect(self._open_history)
        self.history.itemClicked.connect(self._open_history)
        hl.addWidget(self.history)
        middle = QWidget()
        side_by_side(middle, self.table, history, (3, 1))

        self.status = QLabel(_tr("Choose a scheme and a year, then run the grading."))
        self.recheck = QLabel()  # 财务定期复核信用等级: when the credit grades are next due
        self.recheck.setObjectName("credit_recheck")
        self.message = error_label()
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(middle, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.recheck)
        layout.addWidget(self.message)
        self._load_schemes()
        self.show_recheck()
        self._update_buttons()

    # ---------------------------------------------------------------- loading

    def _load_schemes(self) -> None:
        try:
            found = grading_schemes.ensure_default_schemes(self.ctx.db, user=self.ctx.user)
        except UserError as exc:
            self.message.setText(exc.message)
            return
        self.scheme.clear()
        self.kinds = {str(s.id): s.kind for s in found}
        for s in found:
            mark = _tr(" (customer grade)") if s.is_customer_grade else ""
            self.scheme.addItem(f"{s.name}{mark}", str(s.id))
        self.refresh_history()

    def schemes_dialog(self):
        from ui.grading.schemes_dialog import SchemesDialog

        return SchemesDialog(self.ctx, self)

    def edit_schemes(self) -> None:
        dialog = self.schemes_dialog()
        dialog.exec()
        if dialog.changed:
            chosen = self.scheme.currentData()
            self._load_schemes()
            self.scheme.setCurrentIndex(max(0, self.scheme.findData(chosen)))

    def refresh_history(self) -> None:
        self.history.clear()
        for r in grading_runs.list_runs(self.ctx.db, user=self.ctx.user):
            state = _tr("committed") if r.status == "committed" else _tr("draft")
            when = (r.committed_at or r.created_at).astimezone().strftime("%Y-%m-%d %H:%M")
            item = QListWidgetItem(f"{r.year} {r.scheme_name} · {state}\n    {when}  {r.committed_by or r.created_by}")
            item.setData(Qt.ItemDataRole.UserRole, str(r.id))
            self.history.addItem(item)

    def _open_history(self, item: QListWidgetItem) -> None:
        import uuid

        self.show_run(uuid.UUID(item.data(Qt.ItemDataRole.UserRole)))

    def show_run(self, run_id) -> None:
        self.run_id = run_id
        self.message.clear()
        self.reload()
        self.refresh_history()

    def reload(self) -> None:
        """Fetch the run's rows off the GUI thread (a 100,000-customer run is ~100,000 rows)."""
        if self.run_id is None:
            return
        run_id, change = self.run_id, self.change_filter.currentData() or None
        db, user = self.ctx.db, self.ctx.user

        def work():
            info = grading_runs.get_run(db, user=user, run_id=run_id)
            return info, grading_runs.run_rows(db, user=user, run_id=run_id, change_filter=change)

        def done(result):
            if run_id != self.run_id:
                return  # another run was opened meanwhile
            self.info, rows = result
            self.model.set_rows(rows, self.info.kind)
            self.table.resizeColumnsToContents()  # Qt samples 1,000 rows (resizeContentsPrecision)
            self._update_status()
            self._update_buttons()

        self.ctx.tasks.run(work, done, self._error)

    def _update_status(self) -> None:
        i = self.info
        order = scheme_rules.ORDERS.get(i.kind, ())
        grades = "  ".join(f"{grading_output.grade_text(i.kind, g)} {i.counts.get(g, 0)}" for g in order)
        if i.counts.get(""):
            grades += "  " + _tr("ungraded (no sales) {n}").format(n=i.counts[""])
        if i.status == "draft":
            try:
                kept = grading_holds.preview(self.ctx.db, user=self.ctx.user, run_id=i.id)
            except UserError:
                kept = None
            if kept is not None and kept.no_sales:
                grades += "  " + _tr("({n} without sales keep their grade on commit)").format(n=kept.no_sales)
        changes = "  ".join(f"{_tr(label)} {i.changes.get(key, 0)}" for key, label in CHANGE_FILTERS[1:])
        state = _tr("committed") if i.status == "committed" else _tr("draft — not yet committed")
        self.status.setText(_tr("{year} · {scheme} · {state} · {count} customers · {grades} · {changes}").format(
            year=i.year, scheme=i.scheme_name, state=state, count=i.customer_count, grades=grades, changes=changes))

    def show_recheck(self) -> None:
        """Finance (and the GM) see when the credit grades are next due for their periodic re-check."""
        if not (self.may_credit or self.may_run):
            self.recheck.hide()
            return
        try:
            r = credit.recheck(self.ctx.db, user=self.ctx.user)
        except UserError:
            self.recheck.hide()
            return
        if r.last is None:
            text = _tr("Credit grades: never committed — run and commit the credit scheme.")
        else:
            text = _tr("Credit grades: last committed {last}, next re-check due {due}.").format(
                last=r.last.astimezone().strftime("%Y-%m-%d"), due=r.due.isoformat())
        self.recheck.setText(text)
        self.recheck.setStyleSheet("color: #b00020;" if r.overdue else "color: #1e5e24;")

    def _may(self, kind: str | None, permission_held: bool) -> bool:
        return permission_held or (self.may_credit and kind == "credit")

    def _update_buttons(self) -> None:
        draft = self.info is not None and self.info.status == "draft"
        kind = self.info.kind if self.info is not None else None
        self.run_button.setEnabled(self._may(self.kinds.get(self.scheme.currentData() or ""), self.may_run))
        self.override_button.setEnabled(draft and self._may(kind, self.may_override))
        self.commit_button.setEnabled(draft and self._may(kind, self.may_run))
        self.export_button.setEnabled(self.info is not None)
        self.print_button.setEnabled(self.info is not None)

    def _error(self, exc: Exception) -> None:
        if isinstance(exc, UserError):
            self.message.setText(exc.message)
        else:
            raise exc

    # ---------------------------------------------------------------- actions

    def run(self) -> None:
        import uuid

        sid = self.scheme.currentData()
        if not sid:
            return
        self.message.clear()
        self.status.setText(_tr("Grading…"))
        self.run_button.setEnabled(False)
        year = self.year.value()

        def work():
            return grading_runs.compute_run(self.ctx.db, user=self.ctx.user, scheme_id=uuid.UUID(sid), year=year)

        def done(run_id):
            self.run_button.setEnabled(self.may_run or self.may_credit)
            self.show_run(run_id)

        def failed(exc):
            self.run_button.setEnabled(self.may_run or self.may_credit)
            self._error(exc)

        self.ctx.tasks.run(work, done, failed)

    def selected_row(self):
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def override(self) -> None:
        row = self.selected_row()
        if row is None or self.info is None or self.info.status != "draft" \
                or not self._may(self.info.kind, self.may_override):
            if row is None:
                self.message.setText(_tr("Select a customer in the table first."))
            return
        dialog = OverrideDialog(self.ctx, run_id=self.run_id, row=row,
                                grades=scheme_rules.ORDERS[self.info.kind], kind=self.info.kind, parent=self)
        if self._exec(dialog):
            self.reload()

    def _exec(self, dialog) -> bool:  # tests replace this
        return dialog.exec() == OverrideDialog.DialogCode.Accepted

    def _confirm(self, text: str) -> bool:  # tests replace this
        answer = QMessageBox.question(self, _tr("Commit grading"), text)
        return answer == QMessageBox.StandardButton.Yes

    def commit(self) -> None:
        if self.info is None or self.info.status != "draft":
            return
        text = _tr("Commit the {year} grading by {scheme}? A committed grading is kept as it is "
                   "and cannot be changed.").format(year=self.info.year, scheme=self.info.scheme_name)
        if not self._confirm(text + self._holds_text()):
            return
        try:
            changed = grading_runs.commit_run(self.ctx.db, user=self.ctx.user, run_id=self.run_id)
        except UserError as exc:
            self.message.setText(exc.message)
            return
        self.show_run(self.run_id)
        self.show_recheck()
        self.message.clear()
        self.status.setText(self.status.text() + "  " + _tr("Committed; {n} customer cards changed grade.").format(
            n=changed))

    def _holds_text(self) -> str:
        """What the commit keeps instead of the computed grade (approved advancements, no sales)."""
        try:
            kept = grading_holds.preview(self.ctx.db, user=self.ctx.user, run_id=self.run_id)
        except UserError:
            return ""
        lines = [_tr("{customer}: advancement {number} approved on {day} — keeps grade {grade} this year "
                     "(computed {computed}).").format(customer=k.name, number=k.number, day=k.approved_on.isoformat(),
                                                     grade=k.grade, computed=k.computed)
                 for k in kept.advancements[:10]]
        if len(kept.advancements) > 10:
            lines.append(_tr("… and {n} more advancements.").format(n=len(kept.advancements) - 10))
        if kept.no_sales:
            lines.append(_tr("{n} customers without sales in the year keep the grade on their card (marked "
                             "\"no sales\"); override a row first to grade it.").format(n=kept.no_sales))
        return ("\n\n" + "\n".join(lines)) if lines else ""

    def export(self, path: str | None = None) -> None:
        if self.run_id is None:
            return
        if path is None:
            path, _f = QFileDialog.getSaveFileName(self, _tr("Export grading"),
                                                   f"客户分级-{self.info.year}.xlsx", "Excel (*.xlsx)")
            if not path:
                return
        try:
            count = grading_output.export_rows(self.ctx.db, user=self.ctx.user, path=path, run_id=self.run_id,
                                             change_filter=self.change_filter.currentData() or None)
        except (UserError, OSError) as exc:
            self.message.setText(getattr(exc, "message", str(exc)))
            return
        self.message.clear()
        self.status.setText(_tr("Exported {n} rows to {file}.").format(n=count, file=Path(path).name))

    def print_table(self, path: str | None = None, open_after: bool = True) -> None:
        if self.run_id is None:
            return
        if path is None:
            path, _f = QFileDialog.getSaveFileName(self, _tr("Grading table PDF"),
                                                   f"客户分级表-{self.info.year}.pdf", "PDF (*.pdf)")
            if not path:
                return
        try:
            Path(path).write_bytes(grading_output.grading_table_pdf(self.ctx.db, user=self.ctx.user, run_id=self.run_id))
        except (UserError, OSError) as exc:
            self.message.setText(getattr(exc, "message", str(exc)))
            return
        if open_after:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
