"""销售与回款: pick a customer and a year → the sales by month and product (with totals), the payments due
in the year (late in red) and the policy that follows the grade with the late-payment count; add records by
hand, import sales from Excel (with a template), edit the entered scoring items."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.services import grade_policy, sales
from ui.context import DeskContext
from ui.grading.advancement_dialog import CustomerPicker
from ui.widgets import error_label, read_date, side_by_side


def _tr(text: str) -> str:
    return QCoreApplication.translate("SalesPanel", text)


RED = QColor("#b00020")


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


def _cell(text: str, *, right: bool = False, color: QColor | None = None, bold: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if color is not None:
        item.setForeground(QBrush(color))
    if bold:
        font = QFont()
        font.setBold(True)
        item.setFont(font)
    return item


def _table(headers: list[str]) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.verticalHeader().setVisible(False)
    t.verticalHeader().setDefaultSectionSize(22)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    t.horizontalHeader().setStretchLastSection(True)
    return t


class SalesPanel(QWidget):
    def __init__(self, ctx: DeskContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        user = ctx.user
        self.may_edit = user is None or user.can("sales.edit")
        self.first_year: int | None = None
        self.total_sales = Decimal("0")

        self.picker = CustomerPicker(ctx)
        self.picker.box.setObjectName("sales_customer")
        self.year = QSpinBox()
        self.year.setRange(1990, 2100)
        self.year.setValue(date.today().year)
        self.add_sale_button = QPushButton(_tr("Add sales record…"))
        self.add_payment_button = QPushButton(_tr("Add payment…"))
        self.import_button = QPushButton(_tr("Import from Excel"))
        self.template_button = QPushButton(_tr("Template"))
        self.items_button = QPushButton(_tr("Scoring items…"))
        self.credit_button = QPushButton(_tr("Credit limit…"))  # 信用额度 and approval over the limit
        self.credit_button.setVisible(user is None or any(
            user.can(p) for p in ("credit.request", "credit.approve.minister", "credit.approve.gm")))
        self.credit_button.clicked.connect(lambda: self.open_credit())
        self.paid_button = QPushButton(_tr("Record as paid…"))  # 收款登记: an open receivable gets its paid date
        self.paid_button.clicked.connect(lambda: self.record_paid())
        self.payments: list = []
        for b in (self.add_sale_button, self.add_payment_button, self.import_button, self.template_button,
                  self.paid_button):
            b.setEnabled(self.may_edit)
        self.add_sale_button.clicked.connect(lambda: self.add_sale())
        self.add_payment_button.clicked.connect(lambda: self.add_payment())
        import_menu, template_menu = QMenu(self), QMenu(self)
        for kind, label in (("sales", _tr("Sales records")), ("payments", _tr("Payment records"))):
            import_menu.addAction(label, lambda k=kind: self.import_file(kind=k))
            template_menu.addAction(label, lambda k=kind: self.save_template(kind=k))
        self.import_button.setMenu(import_menu)
        self.template_button.setMenu(template_menu)
        self.items_button.clicked.connect(lambda: self.edit_items())

        bar = QHBoxLayout()
        bar.addWidget(QLabel(_tr("Customer")))
        bar.addWidget(self.picker, 1)
        bar.addWidget(QLabel(_tr("Year")))
        bar.addWidget(self.year)
        bar.addSpacing(12)
        for b in (self.add_sale_button, self.add_payment_button, self.import_button, self.template_button,
                  self.items_button, self.credit_button):
            bar.addWidget(b)

        self.sales_table = _table([_tr("Month"), _tr("Product"), _tr("Sales (yuan)"), _tr("Gross profit"),
                                   _tr("Orders"), _tr("Records")])
        self.sales_table.setObjectName("sales_table")
        self.sales_table.horizontalHeader().setStretchLastSection(False)
        self.sales_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.payments_table = _table([_tr("Due on"), _tr("Reference"), _tr("Amount"), _tr("Paid on"), _tr("Status")])
        self.payments_table.setObjectName("payments_table")
        left, right = QGroupBox(_tr("Sales by month and product")), QGroupBox(_tr("Payments due in the year"))
        QVBoxLayout(left).addWidget(self.sales_table)
        right_box = QVBoxLayout(right)
        right_box.addWidget(self.payments_table)
        right_box.addWidget(self.paid_button, 0, Qt.AlignmentFlag.AlignRight)
        middle = QWidget()
        side_by_side(middle, left, right, (3, 2))

        self.policy = QLabel()
        self.policy.setObjectName("sales_policy")
        self.policy.setWordWrap(True)
        self.policy.setTextFormat(Qt.TextFormat.RichText)
        policy_box = QGroupBox(_tr("Policy that follows the grade"))
        QVBoxLayout(policy_box).addWidget(self.policy)
        self.status = QLabel()
        self.message = error_label()

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(middle, 1)
        layout.addWidget(policy_box)
        layout.addWidget(self.status)
        layout.addWidget(self.message)
        self._open_on_a_customer()
        self.picker.box.currentIndexChanged.connect(lambda _i: self.reload())
        self.year.valueChanged.connect(lambda _v: self.reload())
        self.reload()

    def _open_on_a_customer(self) -> None:
        """Open on the latest year with sales and its biggest customer (the user may pick another)."""
        try:
            cid, year = sales.opening_choice(self.ctx.db, user=self.ctx.user)
        except UserError:
            return
        self.year.setValue(year)
        if cid is not None:
            self.picker.select(cid)

    # ---------------------------------------------------------------- showing

    def customer_label(self) -> str:
        return self.picker.box.currentText()

    def reload(self) -> None:
        cid = self.picker.customer_id()
        self.message.clear()
        has = cid is not None
        for b in (self.add_sale_button, self.add_payment_button):
            b.setEnabled(has and self.may_edit)
        self.items_button.setEnabled(has)
        self.credit_button.setEnabled(has)
        if cid is None:
            self.sales_table.setRowCount(0)
            self.payments_table.setRowCount(0)
            self.policy.setText(_tr("Choose a customer."))
            return
        db, user, year = self.ctx.db, self.ctx.user, self.year.value()

        def work():
            return (sales.sales_in_year(db, user=user, customer_id=cid, year=year),
                    sales.payments_in_year(db, user=user, customer_id=cid, year=year),
                    grade_policy.policy_for(db, user=user, customer_id=cid),
                    sales.sales_by_year(db, user=user, customer_id=cid))

        def done(result):
            if cid != self.picker.customer_id() or year != self.year.value():
                return  # the choice changed meanwhile
            lines, payments, policy, years = result
            self._show_sales(lines)
            self._show_payments(payments)
            self._show_policy(policy)
            positive = [y.year for y in years if y.amount > 0]
            self.first_year = min(positive) if positive else None

        self.ctx.tasks.run(work, done, self._error)

    def _show_sales(self, lines) -> None:
        t = self.sales_table
        t.setRowCount(len(lines) + 1)
        for i, x in enumerate(lines):
            month = _tr("Whole year") if x.month == 0 else _tr("Month {m}").format(m=x.month)
            t.setItem(i, 0, _cell(month))
            t.setItem(i, 1, _cell(x.product or "—"))
            t.setItem(i, 2, _cell(_money(x.amount), right=True, color=RED if x.amount < 0 else None))
            t.setItem(i, 3, _cell(_money(x.profit), right=True, color=RED if x.profit < 0 else None))
            t.setItem(i, 4, _cell(str(x.orders), right=True))
            t.setItem(i, 5, _cell(str(x.records), right=True))
        n = len(lines)
        self.total_sales = sum((x.amount for x in lines), Decimal("0"))
        t.setItem(n, 0, _cell(_tr("Total"), bold=True))
        t.setItem(n, 1, _cell(_tr("{n} products").format(n=len({x.product for x in lines})), bold=True))
        t.setItem(n, 2, _cell(_money(self.total_sales), right=True, bold=True))
        t.setItem(n, 3, _cell(_money(sum((x.profit for x in lines), Decimal("0"))), right=True, bold=True))
        t.setItem(n, 4, _cell(str(sum(x.orders for x in lines)), right=True, bold=True))
        t.setItem(n, 5, _cell(str(sum(x.records for x in lines)), right=True, bold=True))

    def _show_payments(self, payments) -> None:
        self.payments = list(payments)
        t = self.payments_table
        t.setRowCount(len(payments))
        for i, p in enumerate(payments):
            color = RED if p.late else None
            if p.paid_on is None:
                state = _tr("Unpaid, overdue") if p.late else _tr("Not yet due")
            else:
                state = _tr("Paid late") if p.late else _tr("Paid on time")
            t.setItem(i, 0, _cell(p.due_on.isoformat(), color=color))
            t.setItem(i, 1, _cell(p.reference, color=color))
            t.setItem(i, 2, _cell(_money(p.amount), right=True, color=color))
            t.setItem(i, 3, _cell(p.paid_on.isoformat() if p.paid_on else "—", color=color))
            t.setItem(i, 4, _cell(state, color=color))
        late = sum(1 for p in payments if p.late)
        self.status.setText(_tr("{n} payments due in {year}, {late} late.").format(
            n=len(payments), year=self.year.value(), late=late))

    def _show_policy(self, cp) -> None:
        p = cp.policy
        grade = p.grade or _tr("not graded (treated as C)")
        terms = p.payment_terms
        if p.dropped:
            terms = "<span style='color:#b00020'>" + _tr("{terms} (dropped one level: {n} late payments in {q})").format(
                terms=terms, n=cp.late_count, q=cp.late_quarter) + "</span>"
        late = _tr("Late payments in one quarter (this or the last): {n}").format(n=cp.late_count)
        if cp.late_count:
            late = f"<span style='color:#b00020'>{late}</span>"
        parts = [_tr("Grade {g}").format(g=grade), _tr("Price: {p}").format(p=p.price_text),
                 _tr("Payment: {t}").format(t=terms), _tr("Delivery within {d} days").format(d=p.delivery_days),
                 _tr("Rush orders allowed") if p.rush_orders else _tr("No rush orders"),
                 _tr("Reply within {h} hours").format(h=p.reply_hours), late]
        self.policy.setText(" · ".join(parts))

    def _error(self, exc: Exception) -> None:
        if isinstance(exc, UserError):
            self.message.setText(exc.message)
        else:
            raise exc

    # ---------------------------------------------------------------- actions

    def _exec(self, dialog) -> bool:  # tests replace this
        return dialog.exec() == QDialog.DialogCode.Accepted

    def sale_dialog(self):
        from ui.grading.sales_dialogs import SaleDialog

        return SaleDialog(self.ctx, customer_id=self.picker.customer_id(), customer_label=self.customer_label(),
                          year=self.year.value(), parent=self)

    def add_sale(self) -> None:
        if self.picker.customer_id() is not None and self._exec(self.sale_dialog()):
            self.reload()

    def _ask_paid_on(self) -> str | None:  # tests replace this
        text, ok = QInputDialog.getText(self, _tr("Record as paid"), _tr("Paid on (e.g. 2026-11-25)"),
                                        text=date.today().isoformat())
        return text if ok else None

    def record_paid(self) -> None:
        row = self.payments_table.currentRow()
        if not 0 <= row < len(self.payments) or self.payments[row].paid_on is not None:
            self.message.setText(_tr("Choose an unpaid payment in the list first."))
            return
        text = self._ask_paid_on()
        if text is None:
            return
        day, ok = read_date(text)
        if not ok or day is None:
            self.message.setText(_tr("Dates are written like 2026-11-25"))
            return
        try:
            sales.record_paid(self.ctx.db, user=self.ctx.principal, payment_id=self.payments[row].id, paid_on=day)
        except UserError as exc:
            self.message.setText(exc.message)
            return
        self.message.clear()
        self.reload()

    def payment_dialog(self):
        from ui.grading.sales_dialogs import PaymentDialog

        return PaymentDialog(self.ctx, customer_id=self.picker.customer_id(), customer_label=self.customer_label(),
                             parent=self)

    def add_payment(self) -> None:
        if self.picker.customer_id() is not None and self._exec(self.payment_dialog()):
            self.reload()

    def items_dialog(self):
        from ui.grading.attributes_dialog import AttributesDialog

        return AttributesDialog(self.ctx, customer_id=self.picker.customer_id(), customer_label=self.customer_label(),
                                first_year=self.first_year, parent=self)

    def edit_items(self) -> None:
        if self.picker.customer_id() is None:
            return
        try:
            dialog = self.items_dialog()
        except UserError as exc:
            self.message.setText(exc.message)
            return
        self._exec(dialog)

    def credit_dialog(self):
        from ui.grading.credit_dialog import CreditDialog

        return CreditDialog(self.ctx, self.picker.customer_id(), self)

    def open_credit(self) -> None:
        if self.picker.customer_id() is None:
            return
        try:
            dialog = self.credit_dialog()
        except UserError as exc:
            self.message.setText(exc.message)
            return
        self._exec(dialog)

    def import_dialog(self, path: Path, kind: str = "sales"):
        from ui.grading.sales_dialogs import SalesImportDialog

        return SalesImportDialog(self.ctx, Path(path), parent=self, kind=kind)

    def import_file(self, path: str | None = None, *, kind: str = "sales") -> None:
        if path is None:
            title = _tr("Import sales") if kind == "sales" else _tr("Import payments")
            path, _f = QFileDialog.getOpenFileName(self, title, "", "Excel (*.xlsx)")
            if not path:
                return
        self._exec(self.import_dialog(Path(path), kind))
        self.reload()

    def save_template(self, path: str | None = None, *, kind: str = "sales") -> None:
        if path is None:
            name = "销售记录导入模板.xlsx" if kind == "sales" else "回款记录导入模板.xlsx"
            path, _f = QFileDialog.getSaveFileName(self, _tr("Import template"), name, "Excel (*.xlsx)")
            if not path:
                return
        try:
            sales.write_sales_template(Path(path), kind=kind)
        except (UserError, OSError) as exc:
            self.message.setText(getattr(exc, "message", str(exc)))
            return
        self.status.setText(_tr("Template saved: {file}").format(file=Path(path).name))
