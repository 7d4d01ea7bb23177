"""购房者名单 — import the unit's published buyer list (audit flags in colour) and the eligibility review
(资格审查): select rows, then pass or refuse them."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.errors import UserError
from app.services.selection import buyers, imports
from reports import excel_buyers
from ui.admin.rows_model import GREY
from ui.selection.setup.common import (
    GREEN,
    ORANGE,
    Message,
    RowsModel,
    multi_table,
    selected_items,
    show_failure,
    show_refusal,
    table,
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("EventSetup", text)


def _colour(b):
    if b.audit_flag:
        return ORANGE  # audit looks first at a name on two lists or one ID twice
    if b.eligible is False:
        return GREY
    return GREEN if b.eligible else None


class BuyersTab(QWidget):
    def __init__(self, owner):
        super().__init__()
        self.owner = owner
        self.import_button = QPushButton(_tr("Import buyer list from Excel…"))
        self.import_button.clicked.connect(self.choose_file)
        template = QPushButton(_tr("Save the buyer-list template…"))
        template.clicked.connect(self.save_template)
        self.pass_button, self.refuse_button = QPushButton(_tr("Eligible")), QPushButton(_tr("Not eligible"))
        self.pass_button.clicked.connect(lambda: self.review(True))
        self.refuse_button.clicked.connect(lambda: self.review(False))
        self.message = Message("buyers_message")
        self.counts_label = QLabel()
        self.counts_label.setObjectName("buyer_counts")
        self.errors = RowsModel([_tr("Row"), _tr("Problem")], lambda e: (str(e.row or ""), e.message))
        self.error_view = table(self.errors)
        self.error_view.setMaximumHeight(150)
        self.error_view.hide()
        verdict = {None: _tr("pending"), True: _tr("eligible"), False: _tr("not eligible")}
        self.model = RowsModel([_tr("No."), _tr("Name"), _tr("ID number"), _tr("Review"), _tr("Draw order"),
                                _tr("Audit flag")],
                               lambda b: (str(b.list_no), b.name, b.id_number, verdict[b.eligible],
                                          str(b.draw_order or ""), b.audit_flag), _colour)
        self.view = multi_table(self.model)
        top = QHBoxLayout()
        for w in (self.import_button, template):
            top.addWidget(w)
        top.addStretch(1)
        top.addWidget(QLabel(_tr("Selected rows:")))
        top.addWidget(self.pass_button)
        top.addWidget(self.refuse_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.error_view)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.counts_label)

    def refresh(self) -> None:
        cid = self.owner.commission_id
        items = buyers.buyers_of(self.owner.ctx.db, commission_id=cid) if cid else []
        self.model.set_items(sorted(items, key=lambda b: b.list_no))
        for w in (self.import_button, self.pass_button, self.refuse_button):
            w.setEnabled(cid is not None)
        self.counts_label.setText(_tr("{n} on the list · {ok} eligible · {no} not eligible · {todo} pending · "
                                      "{flag} flagged for audit").format(
            n=len(items), ok=sum(b.eligible is True for b in items), no=sum(b.eligible is False for b in items),
            todo=sum(b.eligible is None for b in items), flag=sum(bool(b.audit_flag) for b in items)))

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, _tr("Import buyer list"), "", _tr("Excel workbooks (*.xlsx)"))
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        cid, ctx, user = self.owner.commission_id, self.owner.ctx, self.owner.user
        self.import_button.setEnabled(False)
        self.message.done(_tr("Importing {file}…").format(file=path.name))
        ctx.tasks.run(lambda: imports.import_buyers(ctx.db, user=user, commission_id=cid, path=path),
                      self._imported, self._refused)

    def _imported(self, count: int) -> None:
        self.errors.set_items([])
        self.error_view.hide()
        self.refresh()
        flagged = sum(bool(b.audit_flag) for b in self.model.items)
        self.message.done(_tr("{n} buyers imported; {f} flagged for audit (orange).").format(n=count, f=flagged))

    def _refused(self, exc: Exception) -> None:
        self.import_button.setEnabled(True)
        self.errors.set_items(list(getattr(exc, "errors", [])))
        self.error_view.setVisible(bool(self.errors.items))
        show_failure(exc, self.message)

    def review(self, eligible: bool) -> None:
        chosen = selected_items(self.view, self.model)
        try:
            if not chosen:
                raise UserError("请先在名单中选择要审查的购房者(可按住 Ctrl 或 Shift 多选)")
            buyers.review(self.owner.ctx.db, user=self.owner.user, buyer_ids=[b.id for b in chosen],
                          eligible=eligible)
        except UserError as exc:
            show_refusal(exc, self.message)
            return
        text = _tr("{n} marked eligible.") if eligible else _tr("{n} marked not eligible.")
        self.message.done(text.format(n=len(chosen)))
        self.refresh()

    def save_template(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, _tr("Save the buyer-list template"), "购房者名单模板.xlsx",
                                              _tr("Excel workbooks (*.xlsx)"))
        if path:
            excel_buyers.write_template(Path(path))
            self.message.done(_tr("Template saved: {file}").format(file=path))
