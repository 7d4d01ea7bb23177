"""台帐 / 选房明细表 / 每日对账 / 逾期名单 / 关系房 of one commissioning unit, with Excel and PDF exports."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.services.selection import bank, deadlines, reports
from ui.admin.rows_model import RED, RowsModel, local_time, table
from ui.selection.relationship_panel import RelationshipPage
from ui.widgets import ERROR_STYLE


def _tr(text: str) -> str:
    return QCoreApplication.translate("LedgerDialog", text)


def _money(value) -> str:
    return f"{value:,.2f}"


PURPOSE_NAMES = reports.PURPOSES


class LedgerDialog(QDialog):
    """Read-only views built from the issued documents; exporting needs selection.view and is logged."""

    def __init__(self, ctx, user, commission_id, parent=None):
        super().__init__(parent)
        self.ctx, self.user, self.commission_id = ctx, user, commission_id
        self.setWindowTitle(_tr("Ledgers and reports"))
        self.resize(1100, 560)
        self.ledger = RowsModel([_tr("Issued"), _tr("Document"), _tr("Number"), _tr("Buyer"), _tr("Flat"),
                                 _tr("Summary"), _tr("Amount"), _tr("Issued by"), _tr("Cancels")],
                                lambda r: (local_time(r.issued_at), r.kind, r.number, r.buyer_name, r.unit,
                                           r.purpose, _money(r.amount), r.issued_by, r.reversal_of),
                                lambda r: RED if r.amount < 0 else None)
        self.selection = RowsModel([_tr("Order"), _tr("Buyer"), _tr("ID number"), _tr("Flat"), _tr("Area"),
                                    _tr("Price per m²"), _tr("Total"), _tr("Paid"), _tr("Certificate")],
                                   lambda r: ("" if r.order is None else str(r.order), r.buyer_name, r.id_masked,
                                              r.unit, f"{r.area:,.2f}", _money(r.price_per_m2), _money(r.total),
                                              _money(r.paid), r.certificate_number))
        self.differences = RowsModel([_tr("Ticket"), _tr("Buyer"), _tr("Due"), _tr("Received"), _tr("Gap"),
                                      _tr("Note")],
                                     lambda d: (d.ticket_number, d.buyer, _money(d.due), _money(d.received),
                                                _money(d.gap), d.note))
        self.late = RowsModel([_tr("Late for"), _tr("Name"), _tr("Reference"), _tr("Detail"), _tr("Short")],
                              lambda x: (x.what, x.name, x.reference, x.detail, _money(x.short) if x.short else ""))
        self.tabs = QTabWidget()
        self.tabs.addTab(table(self.ledger), _tr("Ledger"))
        self.tabs.addTab(table(self.selection), _tr("Selection list"))
        self.tabs.addTab(self._reconcile_page(), _tr("Daily reconciliation"))
        self.tabs.addTab(self._late_page(), _tr("Late list"))
        self.relationship = RelationshipPage(ctx, user, commission_id)
        self.tabs.addTab(self.relationship, _tr("Relationship flats"))
        self.tabs.currentChanged.connect(self._tab_changed)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.excel, self.pdf = QPushButton(_tr("Export to Excel…")), QPushButton(_tr("Export to PDF…"))
        self.excel.clicked.connect(lambda: self.ask_export(".xlsx"))
        self.pdf.clicked.connect(lambda: self.ask_export(".pdf"))
        close = QPushButton(_tr("Close"))
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        for b in (self.excel, self.pdf, close):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addLayout(buttons)
        self.reload()

    def _reconcile_page(self) -> QWidget:
        page = QWidget()
        self.day = QDateEdit(reports.business_today(self.ctx.db))  # the desk's day, in the business's zone
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.dateChanged.connect(lambda _d: self.load_reconciliation())
        self.totals = QLabel()
        self.totals.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(QLabel(_tr("Day")))
        row.addWidget(self.day)
        row.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addLayout(row)
        layout.addWidget(self.totals)
        layout.addWidget(QLabel(_tr("Differences")))
        layout.addWidget(table(self.differences))
        # 共管账户对账: the balance on the bank's statement for the day, against every receipt up to it
        self.balance = QLineEdit()
        self.balance.setPlaceholderText(_tr("Balance on the bank statement (yuan), Enter"))
        self.balance.returnPressed.connect(self.record_balance)
        self.balance.setEnabled(self.user.can("selection.receipt"))
        self.bank_text = QLabel()
        self.bank_text.setWordWrap(True)
        bank_row = QHBoxLayout()
        bank_row.addWidget(QLabel(_tr("Joint account balance at the end of the day")))
        bank_row.addWidget(self.balance, 1)
        layout.addLayout(bank_row)
        layout.addWidget(self.bank_text)
        self.bank_lines = RowsModel([_tr("Day"), _tr("Paid by"), _tr("Receipts"), _tr("Amount"), _tr("Running total")],
                                    lambda x: (x.day.isoformat(), x.method, str(x.count), _money(x.amount),
                                               _money(x.running)))
        layout.addWidget(table(self.bank_lines))
        return page

    def record_balance(self) -> None:
        try:
            bank.record_balance(self.ctx.db, user=self.user, commission_id=self.commission_id,
                                as_of=self.day.date().toPython(), balance=self.balance.text())
        except UserError as exc:
            self.say(exc.message, error=True)
            return
        self.balance.clear()
        self.load_reconciliation()

    def _late_page(self) -> QWidget:
        page = QWidget()
        self.deadline_text = QLabel()
        layout = QVBoxLayout(page)
        layout.addWidget(self.deadline_text)
        layout.addWidget(table(self.late))
        return page

    def say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.setText(text)

    def _tab_changed(self, index: int) -> None:
        for b in (self.excel, self.pdf):
            b.setEnabled(index in (0, 1, 2))  # the documents printed and stamped: ledgers and the reconciliation

    def reload(self) -> None:
        try:
            self.ledger.set_items(reports.ledger(self.ctx.db, user=self.user, commission_id=self.commission_id))
            self.selection.set_items(reports.selection_list(self.ctx.db, user=self.user,
                                                            commission_id=self.commission_id))
            due = deadlines.deadlines(self.ctx.db, user=self.user, commission_id=self.commission_id)
            self.late.set_items(deadlines.late_list(self.ctx.db, user=self.user, commission_id=self.commission_id))
        except UserError as exc:
            self.say(exc.message, error=True)
            return
        self.deadline_text.setText(_tr("Choose by {choose}; pay by {pay}").format(
            choose=local_time(due.choose_deadline) or _tr("not set"), pay=local_time(due.pay_deadline) or _tr("not set")))
        self.load_reconciliation()
        self.relationship.reload()

    def load_reconciliation(self) -> None:
        try:
            r = reports.daily_reconciliation(self.ctx.db, user=self.user, commission_id=self.commission_id,
                                             day=self.day.date().toPython())
        except UserError as exc:
            self.say(exc.message, error=True)
            return
        methods = "  ".join(f"{m} {_money(v)}" for m, v in r.by_method.items()) or "—"
        purposes = "  ".join(f"{PURPOSE_NAMES.get(p, p)} {_money(v)}" for p, v in r.by_purpose.items()) or "—"
        self.totals.setText(_tr("Received {received} (by method: {methods}; by purpose: {purposes}). "
                                "Due on the day's tickets {due}, house payments against them {house}.").format(
            received=_money(r.received), methods=methods, purposes=purposes, due=_money(r.due),
            house=_money(r.house_received)))
        self.differences.set_items(list(r.differences))
        b = bank.bank_reconciliation(self.ctx.db, user=self.user, commission_id=self.commission_id,
                                     as_of=self.day.date().toPython())
        self.bank_result = b
        self.bank_lines.set_items(list(b.lines) if b else [])
        self.bank_text.setText(_tr("No bank balance recorded for this day yet.") if b is None else _tr(
            "Bank balance {balance}; received up to this day {received} (cash {cash}); difference {diff}. {why}")
            .format(balance=_money(b.balance), received=_money(b.received), cash=_money(b.cash),
                    diff=_money(b.difference), why=b.explanation))

    def ask_export(self, suffix: str) -> None:
        if self.tabs.currentIndex() == 2:
            day = self.day.date().toPython()
            kinds = _tr("Excel workbooks (*.xlsx)") if suffix == ".xlsx" else _tr("PDF files (*.pdf)")
            path, _ = QFileDialog.getSaveFileName(self, _tr("Export"), f"共管账户对账表-{day.isoformat()}{suffix}",
                                                  kinds)
            if path:
                self.export_reconciliation(Path(path))
            return
        what = "ledger" if self.tabs.currentIndex() == 0 else "selection"
        default = f"{reports.EXPORTS[what]}-{reports.business_today(self.ctx.db).isoformat()}{suffix}"
        kinds = _tr("Excel workbooks (*.xlsx)") if suffix == ".xlsx" else _tr("PDF files (*.pdf)")
        path, _ = QFileDialog.getSaveFileName(self, _tr("Export"), default, kinds)
        if path:
            self.export_to(what, Path(path))

    def export_to(self, what: str, path: Path) -> None:
        try:
            n = reports.export(self.ctx.db, user=self.user, commission_id=self.commission_id, what=what, path=path)
        except UserError as exc:
            self.say(exc.message, error=True)
            return
        self.say(_tr("Exported {n} rows to {path}").format(n=n, path=path))


    def export_reconciliation(self, path: Path) -> None:
        try:
            bank.export_reconciliation(self.ctx.db, user=self.user, commission_id=self.commission_id,
                                       as_of=self.day.date().toPython(), path=path)
        except UserError as exc:
            self.say(exc.message, error=True)
            return
        self.say(_tr("Exported the reconciliation to {path}").format(path=path))


def open_ledger(parent, ctx, user, commission_id) -> LedgerDialog:
    """Open the unit's ledgers (non-modal); the selection tab wires this to its menu."""
    dialog = LedgerDialog(ctx, user, commission_id, parent)
    dialog.show()
    return dialog
