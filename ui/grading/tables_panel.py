"""重点客户管理表, 重要客户对策表, 问题客户对策表 sub-tab: a year's rankings, the tables edited in place,
the relationship evaluation, export to Excel and print."""
from __future__ import annotations

import uuid
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.services import grading_tables
from reports import grading_tables_excel, grading_tables_pdf
from ui.context import DeskContext
from ui.grading.advancement_dialog import CustomerPicker
from ui.tr import N_
from ui.widgets import error_label, format_value

ID_ROLE = Qt.ItemDataRole.UserRole
PLAN_COLUMNS = (("name", N_("Key customer")), ("sales", N_("Sales this year (yuan)")),
                ("sales_target", N_("Sales target (yuan)")), ("reason", N_("Why a key customer")),
                ("actions", N_("Actions to reach the target")), ("gm_suggestion", N_("Marketing GM's suggestion")),
                ("chairman_opinion", N_("Chairman's opinion")))
STRATEGY_COLUMNS = {
    "important": (("name", N_("Customer")), ("responsible", N_("Responsible")), ("sales", N_("Sales situation")),
                  ("problem", N_("Where the problem is")), ("strategy", N_("Countermeasures"))),
    "problem": (("name", N_("Customer")), ("responsible", N_("Responsible")), ("sales", N_("Sales scope")),
                ("location", N_("Location")), ("trend", N_("Trend of deterioration")),
                ("problem", N_("Symptoms")), ("strategy", N_("Countermeasures"))),
}
READ_ONLY = {"name", "sales"}


def _tr(text: str) -> str:
    return QCoreApplication.translate("GradingTablesPanel", text)


def _table(name: str, headers: list[str]) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setObjectName(name)
    t.setHorizontalHeaderLabels(headers)
    t.verticalHeader().hide()
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.setWordWrap(True)
    return t


def _item(text: str, key, editable: bool, align_right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setData(ID_ROLE, str(key) if key is not None else "")
    if not editable:
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if align_right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def _selected_id(table: QTableWidget) -> uuid.UUID | None:
    rows = table.selectionModel().selectedRows() if table.selectionModel() else []
    if not rows:
        return None
    data = table.item(rows[0].row(), 0).data(ID_ROLE) if table.item(rows[0].row(), 0) else ""
    return uuid.UUID(data) if data else None


class KeyCustomersPage(QWidget):
    """The three top-N lists side by side; the key customers' plans below, edited in place."""

    def __init__(self, panel: TablesPanel):
        super().__init__(panel)
        self.panel, self.ctx = panel, panel.ctx
        self.table = None
        self.lists = {}
        row = QHBoxLayout()
        self.boxes = {}
        for key, title, head in (("by_sales", N_("Top {n} by sales"), N_("Sales (yuan)")),
                                 ("by_growth", N_("Top {n} by sales growth"), N_("Growth")),
                                 ("by_margin", N_("Top {n} by profit margin"), N_("Margin"))):
            box = QGroupBox(_tr(title).format(n=10))
            self.boxes[key] = (box, title)
            t = _table(f"key_{key}", ["#", _tr("Customer"), _tr(head)])
            t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            t.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
            t.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
            t.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
            QVBoxLayout(box).addWidget(t)
            row.addWidget(box)
            self.lists[key] = t
        self.add_button = QPushButton(_tr("Add selected to key customers"))
        self.add_button.setObjectName("key_add")
        self.add_button.clicked.connect(self.add_selected)
        self.remove_button = QPushButton(_tr("Remove from key customers"))
        self.remove_button.setObjectName("key_remove")
        self.remove_button.clicked.connect(self.remove_selected)
        self.plans = _table("key_plans", [_tr(t) for _k, t in PLAN_COLUMNS])
        self.plans.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.plans.itemChanged.connect(self._edited)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row, 3)
        layout.addLayout(buttons)
        layout.addWidget(QLabel(_tr("Key customers of the year (double-click a cell to edit)")))
        layout.addWidget(self.plans, 2)

    def load(self, year: int) -> None:
        self.table = grading_tables.key_table(self.ctx.db, user=self.ctx.principal, year=year)
        r = self.table.rankings
        for box, title in self.boxes.values():
            box.setTitle(_tr(title).format(n=self.table.top_n))
        for key, t in self.lists.items():
            rows = getattr(r, key)
            t.setRowCount(len(rows))
            for i, x in enumerate(rows):
                value = format_value(x.value) if key == "by_sales" else f"{x.value * 100:.1f}%"
                t.setItem(i, 0, _item(str(x.rank), x.customer_id, False))
                t.setItem(i, 1, _item(x.name, x.customer_id, False))
                t.setItem(i, 2, _item(value, x.customer_id, False, True))
        with QSignalBlocker(self.plans):
            self.plans.setRowCount(len(self.table.plans))
            for i, p in enumerate(self.table.plans):
                for c, (k, _t) in enumerate(PLAN_COLUMNS):
                    v = getattr(p, k)
                    editable = k not in READ_ONLY and grading_tables.may_write(self.ctx.principal, k)
                    self.plans.setItem(i, c, _item(format_value(v), p.customer_id, editable,
                                                   k in ("sales", "sales_target")))
            self.plans.resizeRowsToContents()
        self.add_button.setEnabled(self.panel.can_edit)
        self.remove_button.setEnabled(self.panel.can_edit)

    def _edited(self, item: QTableWidgetItem) -> None:
        key = PLAN_COLUMNS[item.column()][0]
        cid = uuid.UUID(item.data(ID_ROLE))
        self.panel.save(lambda: grading_tables.save_key_plan(self.ctx.db, user=self.ctx.principal, year=self.panel.year(),
                                                             customer_id=cid, values={key: item.text()}))

    def add_selected(self) -> None:
        cid = next((c for t in self.lists.values() if (c := _selected_id(t)) is not None), None)
        if cid is None:
            self.panel.message.setText(_tr("Select a customer in one of the lists first."))
            return
        self.panel.save(lambda: grading_tables.save_key_plan(self.ctx.db, user=self.ctx.principal, year=self.panel.year(),
                                                             customer_id=cid, values={}))

    def remove_selected(self) -> None:
        cid = _selected_id(self.plans)
        if cid is not None:
            self.panel.save(lambda: grading_tables.remove_key_plan(self.ctx.db, user=self.ctx.principal,
                                                                   year=self.panel.year(), customer_id=cid))


class StrategyPage(QWidget):
    """重要客户对策表 or 问题客户对策表 of a period, edited in place, with its notes."""

    def __init__(self, panel: TablesPanel, kind: str):
        super().__init__(panel)
        self.panel, self.ctx, self.kind = panel, panel.ctx, kind
        self.columns = STRATEGY_COLUMNS[kind]
        self.data = None
        self.period = QLineEdit()
        self.period.setObjectName(f"{kind}_period")
        self.period.setPlaceholderText("2026 / 2026-Q3 / 2026-07")
        self.period.setMaximumWidth(140)
        self.period.editingFinished.connect(lambda: self.load(self.panel.year()))
        self.customer = CustomerPicker(self.ctx)
        self.customer.box.setObjectName(f"{kind}_customer")
        self.add_button = QPushButton(_tr("Add customer"))
        self.add_button.setObjectName(f"{kind}_add")
        self.add_button.clicked.connect(self.add)
        self.remove_button = QPushButton(_tr("Remove row"))
        self.remove_button.clicked.connect(self.remove)
        self.table = _table(f"{kind}_table", [_tr(t) for _k, t in self.columns])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.itemChanged.connect(self._edited)
        self.policy = QPlainTextEdit()
        self.policy.setPlaceholderText("1.\n2.\n3.")
        self.policy.setMaximumHeight(64)
        self.note = QPlainTextEdit()
        self.note.setMaximumHeight(48)
        self.save_notes = QPushButton(_tr("Save notes"))
        self.save_notes.clicked.connect(self._save_notes)

        top = QHBoxLayout()
        top.addWidget(QLabel(_tr("Period")))
        top.addWidget(self.period)
        top.addSpacing(16)
        top.addWidget(self.customer)
        top.addWidget(self.add_button)
        top.addWidget(self.remove_button)
        top.addStretch(1)
        notes = QFormLayout()
        if kind == "important":
            notes.addRow(_tr("Basic policy for more important customers"), self.policy)
        else:
            self.policy.hide()
        notes.addRow(_tr("Notes"), self.note)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(notes)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.save_notes)
        layout.addLayout(row)

    def period_text(self) -> str:
        return self.period.text().strip() or str(self.panel.year())

    def load(self, year: int) -> None:
        if not self.period.text().strip() or self.period.text().strip()[:4] != str(year):
            self.period.setText(str(year))
        self.data = grading_tables.strategy_table(self.ctx.db, user=self.ctx.principal, kind=self.kind,
                                                  period=self.period_text())
        with QSignalBlocker(self.table):
            self.table.setRowCount(len(self.data.rows))
            for i, r in enumerate(self.data.rows):
                for c, (k, _t) in enumerate(self.columns):
                    self.table.setItem(i, c, _item(getattr(r, k), r.customer_id,
                                                   k not in READ_ONLY and self.panel.can_edit))
            self.table.resizeRowsToContents()
        self.policy.setPlainText(self.data.policy)
        self.note.setPlainText(self.data.note)
        for w in (self.add_button, self.remove_button, self.save_notes, self.policy, self.note):
            w.setEnabled(self.panel.can_edit)

    def _edited(self, item: QTableWidgetItem) -> None:
        key = self.columns[item.column()][0]
        cid = uuid.UUID(item.data(ID_ROLE))
        self.panel.save(lambda: grading_tables.save_strategy_row(
            self.ctx.db, user=self.ctx.principal, kind=self.kind, period=self.period_text(), customer_id=cid,
            values={key: item.text()}))

    def add(self) -> None:
        cid = self.customer.customer_id()
        if cid is not None:
            self.panel.save(lambda: grading_tables.save_strategy_row(
                self.ctx.db, user=self.ctx.principal, kind=self.kind, period=self.period_text(),
                customer_id=cid, values={}))

    def remove(self) -> None:
        cid = _selected_id(self.table)
        if cid is not None:
            self.panel.save(lambda: grading_tables.remove_strategy_row(
                self.ctx.db, user=self.ctx.principal, kind=self.kind, period=self.period_text(), customer_id=cid))

    def _save_notes(self) -> None:
        self.panel.save(lambda: grading_tables.save_strategy_note(
            self.ctx.db, user=self.ctx.principal, kind=self.kind, period=self.period_text(),
            policy=self.policy.toPlainText(), note=self.note.toPlainText()))


class TablesPanel(QWidget):
    def __init__(self, ctx: DeskContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.can_edit = ctx.principal.can("grading.tables.edit")
        self.year_box = QSpinBox()
        self.year_box.setObjectName("tables_year")
        self.year_box.setRange(2000, 2100)
        self.year_box.setValue(date.today().year)
        self.year_box.valueChanged.connect(self.refresh)
        self.evaluate_button = QPushButton(_tr("Relationship evaluation…"))
        self.evaluate_button.setObjectName("tables_evaluate")
        self.evaluate_button.clicked.connect(self.evaluate)
        self.evaluate_button.setEnabled(ctx.principal.can("grading.evaluate"))
        self.excel_button = QPushButton(_tr("Export Excel…"))
        self.excel_button.clicked.connect(self.export_excel)
        self.print_button = QPushButton(_tr("Print…"))
        self.print_button.setObjectName("tables_print")
        self.print_button.clicked.connect(self.print_table)
        self.message = error_label()
        self.message.setObjectName("tables_message")

        self.tabs = QTabWidget()
        self.key_page = KeyCustomersPage(self)
        self.important_page = StrategyPage(self, "important")
        self.problem_page = StrategyPage(self, "problem")
        self.tabs.addTab(self.key_page, _tr("Key customers (重点客户管理表)"))
        self.tabs.addTab(self.important_page, _tr("Important customers (重要客户对策表)"))
        self.tabs.addTab(self.problem_page, _tr("Problem customers (问题客户对策表)"))

        top = QHBoxLayout()
        top.addWidget(QLabel(_tr("Year")))
        top.addWidget(self.year_box)
        top.addStretch(1)
        for b in (self.evaluate_button, self.excel_button, self.print_button):
            top.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        self.refresh()

    def year(self) -> int:
        return self.year_box.value()

    def refresh(self, *_args) -> None:
        self.message.setText("")
        try:
            for page in (self.key_page, self.important_page, self.problem_page):
                page.load(self.year())
        except UserError as exc:
            self.message.setText(exc.message)

    def save(self, work) -> None:
        """Run a change; on a refusal say why in place and show what is stored again."""
        try:
            work()
        except UserError as exc:
            self.refresh()
            self.message.setText(exc.message)
            return
        self.refresh()

    def evaluate(self) -> None:
        from ui.grading.evaluation_dialog import EvaluationDialog

        try:
            dialog = EvaluationDialog(self.ctx, self)
        except UserError as exc:
            self.message.setText(exc.message)
            return
        dialog.exec()

    def _current(self):
        page = self.tabs.currentWidget()
        return page, (page.table if page is self.key_page else page.data)

    def export_excel(self) -> None:
        page, data = self._current()
        if data is None:
            return
        name = self.tabs.tabText(self.tabs.currentIndex())
        path, _ = QFileDialog.getSaveFileName(self, _tr("Export Excel"), f"{name}-{self.year()}.xlsx",
                                              _tr("Excel workbooks (*.xlsx)"))
        if not path:
            return
        stamp = f"{datetime.now():%Y-%m-%d %H:%M}"
        if page is self.key_page:
            grading_tables_excel.write_key_customers(Path(path), data, printed_by=self.ctx.actor, printed_at=stamp,
                                                     top_n=data.top_n)
        else:
            grading_tables_excel.write_strategy(Path(path), data, printed_by=self.ctx.actor, printed_at=stamp)
        self.message.setText("")

    def pdf(self) -> bytes | None:
        page, data = self._current()
        if data is None:
            return None
        if page is self.key_page:
            return grading_tables_pdf.key_customer_pdf(data, printed_by=self.ctx.actor, printed_at=datetime.now(),
                                                       top_n=data.top_n)
        return grading_tables_pdf.strategy_pdf(data, printed_by=self.ctx.actor, printed_at=datetime.now())

    def print_table(self) -> None:
        pdf = self.pdf()
        if pdf is None:
            return
        from ui.selection.pdf_preview import PdfPreview

        PdfPreview(pdf, self.tabs.tabText(self.tabs.currentIndex()), self).exec()
