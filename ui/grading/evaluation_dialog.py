"""客户关系评估表 dialog: score each indicator, see total, grade and result as you type, save, print."""
from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from app.domain.evaluation import RESULTS, grade_of
from app.errors import UserError, ValidationFailed
from app.services import grading_tables_eval
from reports import grading_tables_pdf
from ui.context import DeskContext
from ui.grading.advancement_dialog import CustomerPicker
from ui.widgets import FieldBox, date_edit, error_label, read_date

SCORE, GRADE, BASIS, NOTE = 2, 3, 4, 5
RESULT_STYLE = {"develop": "color:#1b5e20;", "maintain": "color:#8a5a00;", "terminate": "color:#b00020;"}


def _tr(text: str) -> str:
    return QCoreApplication.translate("EvaluationDialog", text)


class EvaluationDialog(QDialog):
    def __init__(self, ctx: DeskContext, parent=None, *, customer_id: uuid.UUID | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.saved: grading_tables_eval.EvaluationInfo | None = None
        self.setWindowTitle(_tr("Customer relationship evaluation (客户关系评估表)"))
        self.resize(780, 640)
        self.rules = grading_tables_eval.evaluation_rules(ctx.db, user=ctx.principal)
        self.picker = CustomerPicker(ctx)
        self.picker.box.setObjectName("evaluation_customer")
        self.customer = FieldBox(self.picker)
        if customer_id is not None:
            self.picker.select(customer_id)
        self.on = FieldBox(date_edit())
        self.on.set_value(date.today())

        inds = self.rules.indicators
        self.table = QTableWidget(len(inds), 6)
        self.table.setObjectName("evaluation_table")
        self.table.setHorizontalHeaderLabels([_tr("Indicator"), _tr("Weight"), _tr("Score (0–100)"), _tr("Grade"),
                                              _tr("Basis of the score"), _tr("Note")])
        self.table.verticalHeader().hide()
        for r, ind in enumerate(inds):
            for c, v in ((0, ind.name), (1, f"{ind.weight:g}"), (GRADE, "")):
                item = QTableWidgetItem(v)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(r, c, item)
            for c in (SCORE, BASIS, NOTE):
                self.table.setItem(r, c, QTableWidgetItem(""))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(BASIS, QHeaderView.ResizeMode.Stretch)
        self.table.itemChanged.connect(self._recompute)

        self.total = QLabel()
        self.total.setObjectName("evaluation_total")
        self.result = QLabel()
        self.result.setObjectName("evaluation_result")
        self.result.setStyleSheet("font-size:15px; font-weight:bold;")
        self.earlier = QTableWidget(0, 4)
        self.earlier.setObjectName("evaluation_earlier")
        self.earlier.setHorizontalHeaderLabels([_tr("Evaluated on"), _tr("Total"), _tr("Result"), _tr("Evaluator")])
        self.earlier.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.earlier.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.earlier.verticalHeader().hide()
        self.earlier.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.earlier.setMaximumHeight(110)
        self.earlier.itemSelectionChanged.connect(self._pick_earlier)
        self.history: list[grading_tables_eval.EvaluationInfo] = []
        self.picker.box.currentIndexChanged.connect(self._load_earlier)
        self.picker.box.currentIndexChanged.connect(self._offer_facts)
        self.suggested: dict[str, tuple] = {}
        self.fill_button = QPushButton(_tr("Fill suggested scores"))
        self.fill_button.setObjectName("evaluation_fill")
        self.fill_button.setToolTip(_tr("Scores read from the sales and payment records, the way the 100-point "
                                        "grading reads them; only empty scores are filled, change any of them"))
        self.fill_button.clicked.connect(self.fill_suggested)
        self.suggestion = QPlainTextEdit()
        self.suggestion.setPlaceholderText(_tr("Result and suggestions (评估结果及建议)"))
        self.suggestion.setMaximumHeight(70)
        self.message = error_label()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        self.print_button = buttons.addButton(_tr("Print…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.setEnabled(False)
        self.print_button.clicked.connect(self.print_form)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("evaluation_save")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(_tr("Customer"), self.customer)
        form.addRow(_tr("Evaluated on"), self.on)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        offer = QHBoxLayout()
        self.facts_note = QLabel()
        self.facts_note.setWordWrap(True)
        offer.addWidget(self.facts_note, 1)
        offer.addWidget(self.fill_button)
        layout.addLayout(offer)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.total)
        layout.addWidget(self.result)
        layout.addWidget(self.suggestion)
        layout.addWidget(QLabel(_tr("Earlier evaluations of this customer (select one to print it)")))
        layout.addWidget(self.earlier)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self._recompute()
        self._load_earlier()
        self._offer_facts()

    def _offer_facts(self, *_args) -> None:
        """The records behind the indicators in the basis column (where still empty), scores suggested."""
        cid = self.picker.customer_id()
        self.suggested = {}
        if cid is not None:
            try:
                self.suggested = grading_tables_eval.evaluation_facts(self.ctx.db, user=self.ctx.principal,
                                                                      customer_id=cid)
            except UserError as exc:
                self.message.setText(exc.message)
        known = 0
        self.table.blockSignals(True)
        for r in range(self.table.rowCount()):
            score, basis = self.suggested.get(self.table.item(r, 0).text(), (None, ""))
            cell = self.table.item(r, BASIS)
            if basis and (not cell.text().strip() or cell.data(Qt.ItemDataRole.UserRole)):
                cell.setText(basis + (_tr(" → suggested {n}").format(n=score) if score is not None else ""))
                cell.setData(Qt.ItemDataRole.UserRole, True)  # ours: replaced when another customer is chosen
            known += score is not None
        self.table.blockSignals(False)
        self.fill_button.setEnabled(known > 0)
        self.facts_note.setText(_tr("From the records: {n} of {m} indicators have a suggested score (see the basis "
                                    "column).").format(n=known, m=self.table.rowCount()) if cid else "")

    def fill_suggested(self) -> None:
        """Put the suggested scores into the empty score cells (typed scores stay)."""
        for r in range(self.table.rowCount()):
            score, _basis = self.suggested.get(self.table.item(r, 0).text(), (None, ""))
            if score is not None and not self.table.item(r, SCORE).text().strip():
                self.set_score(r, f"{score}")

    def _load_earlier(self, *_args) -> None:
        cid = self.picker.customer_id()
        try:
            self.history = grading_tables_eval.evaluations_of(self.ctx.db, user=self.ctx.principal,
                                                               customer_id=cid) if cid else []
        except UserError as exc:
            self.history = []
            self.message.setText(exc.message)
        self.earlier.setRowCount(len(self.history))
        for r, e in enumerate(self.history):
            for c, v in enumerate((e.evaluated_on.isoformat(), f"{e.total}", e.result_label, e.evaluator)):
                self.earlier.setItem(r, c, QTableWidgetItem(v))

    def _pick_earlier(self) -> None:
        rows = self.earlier.selectionModel().selectedRows()
        if rows:
            self.saved = self.history[rows[0].row()]
            self.print_button.setEnabled(True)

    def _column(self, col: int) -> dict[str, str]:
        return {self.table.item(r, 0).text(): self.table.item(r, col).text().strip()
                for r in range(self.table.rowCount())}

    def _scores(self) -> tuple[dict[str, Decimal], list[str]]:
        scores, bad = {}, []
        for name, text in self._column(SCORE).items():
            if not text:
                continue
            try:
                scores[name] = Decimal(text)
            except InvalidOperation:
                bad.append(name)
        return scores, bad

    def set_score(self, row: int, value: str) -> None:
        self.table.item(row, SCORE).setText(value)

    def _recompute(self, *_args) -> None:
        scores, bad = self._scores()
        self.table.blockSignals(True)
        for r in range(self.table.rowCount()):
            name = self.table.item(r, 0).text()
            s = scores.get(name)
            grade = ""
            if s is not None and 0 <= s <= 100:
                grade = grade_of(s, self.rules.bands)
            self.table.item(r, GRADE).setText(grade)
        self.table.blockSignals(False)
        if bad:
            self.message.setText(_tr("The score of {name} is not a number.").format(name="、".join(bad)))
        try:
            outcome = self.rules.evaluate(scores)
        except ValueError:
            done = len(scores)
            self.total.setText(_tr("Scored {n} of {m} indicators").format(n=done, m=self.table.rowCount()))
            self.result.setText("")
            return
        if not bad:
            self.message.setText("")
        self.total.setText(_tr("Total {total} of 100, grade {grade}").format(total=outcome.total,
                                                                            grade=outcome.grade))
        self.result.setText(RESULTS[outcome.result])
        self.result.setStyleSheet("font-size:15px; font-weight:bold;" + RESULT_STYLE[outcome.result])

    def save(self) -> None:
        self.message.setText("")
        self.on.set_error(None)
        day, ok = read_date(self.on.value())
        if not ok or day is None:
            self.on.set_error(_tr("Type a date like 2026-11-25"))
            return
        cid = self.picker.customer_id()
        if cid is None:
            self.customer.set_error(_tr("Choose a customer"))
            return
        scores, bad = self._scores()
        if bad:
            self.message.setText(_tr("The score of {name} is not a number.").format(name="、".join(bad)))
            return
        try:
            self.saved = grading_tables_eval.save_evaluation(
                self.ctx.db, user=self.ctx.principal, customer_id=cid, on=day, scores=scores,
                basis=self._column(BASIS), notes=self._column(NOTE), suggestion=self.suggestion.toPlainText())
        except ValidationFailed as exc:
            self.message.setText(exc.message)
            return
        except UserError as exc:
            self.message.setText(exc.message)
            return
        self.message.setStyleSheet("color:#1b5e20;")
        self.message.setText(_tr("Saved: {result}, total {total}.").format(result=self.saved.result_label,
                                                                          total=self.saved.total))
        self.print_button.setEnabled(True)
        self._load_earlier()

    def print_form(self) -> None:
        if self.saved is None:
            return
        from ui.selection.pdf_preview import PdfPreview

        pdf = grading_tables_pdf.evaluation_pdf(self.saved, printed_by=self.ctx.actor, printed_at=datetime.now(),
                                                results=RESULTS)
        PdfPreview(pdf, f"客户关系评估表-{self.saved.customer_code}", self).exec()
