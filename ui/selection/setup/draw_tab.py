"""公证机选 — the seed as the notary reads it out, the draw over the eligible buyers, the printed result and
the re-verification from the stored seed."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.errors import UserError
from app.services.selection import draw, printing
from ui.selection.setup.common import Message, RowsModel, local_time, show_refusal, table
from ui.widgets import FieldBox


def _tr(text: str) -> str:
    return QCoreApplication.translate("EventSetup", text)


class DrawTab(QWidget):
    def __init__(self, owner):
        super().__init__()
        self.owner = owner
        self.seed, self.notary = FieldBox(QLineEdit()), FieldBox(QLineEdit())
        self.seed.editor.setPlaceholderText(_tr("As read out by the notary, e.g. 07 23 41 18"))
        self.run_button = QPushButton(_tr("Run the draw"))
        self.run_button.clicked.connect(self.run_draw)
        self.print_button = QPushButton(_tr("Print the result…"))
        self.print_button.clicked.connect(self.print_result)
        self.verify_button = QPushButton(_tr("Verify"))
        self.verify_button.clicked.connect(self.verify)
        self.message = Message("draw_message")
        self.facts = QLabel()
        self.facts.setObjectName("draw_facts")
        self.facts.setWordWrap(True)
        self.model = RowsModel([_tr("Order"), _tr("Name"), _tr("ID number")],
                               lambda r: (str(r[0]), r[1], r[2]))
        self.preview = None
        form = QFormLayout()
        form.addRow(_tr("Seed"), self.seed)
        form.addRow(_tr("Notary"), self.notary)
        buttons = QHBoxLayout()
        for b in (self.run_button, self.print_button, self.verify_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.facts)
        layout.addWidget(table(self.model), 1)

    def refresh(self) -> None:
        cid = self.owner.commission_id
        try:
            done = draw.outcome(self.owner.ctx.db, commission_id=cid) if cid else None
        except UserError:
            done = None  # not drawn yet
        self.model.set_items(done.rows if done else [])
        self.run_button.setEnabled(cid is not None and done is None)
        for box, stored in ((self.seed, done.seed if done else None), (self.notary, done.notary if done else None)):
            box.editor.setReadOnly(done is not None)
            if done:
                box.editor.setText(stored)  # what was drawn with, not what someone typed afterwards
        for b in (self.print_button, self.verify_button):
            b.setEnabled(done is not None)
        if done:
            self.facts.setText(_tr("Drawn {at} by {by}, notary {notary}; seed “{seed}”, list hash {hash}.").format(
                at=local_time(done.performed_at), by=done.performed_by, notary=done.notary or "—", seed=done.seed,
                hash=done.list_hash))
        else:
            self.facts.setText(_tr("Not drawn yet. Every buyer on the list must be reviewed first."))

    def run_draw(self) -> None:
        try:
            if not self.seed.value().strip():
                raise UserError("请填写公证员宣读的种子")
            draw.run_draw(self.owner.ctx.db, user=self.owner.user, commission_id=self.owner.commission_id,
                          seed=self.seed.value(), notary=self.notary.value())
        except UserError as exc:
            show_refusal(exc, self.message)
            return
        self.message.done(_tr("The selection order is drawn and stored."))
        self.owner.refresh_unit_pages()

    def print_result(self) -> None:
        from ui.selection.pdf_preview import PdfPreview

        try:
            pdf = printing.draw_result_pdf(self.owner.ctx.db, user=self.owner.user,
                                           commission_id=self.owner.commission_id)
        except UserError as exc:
            show_refusal(exc, self.message)
            return
        self.preview = PdfPreview(pdf, _tr("Draw result — {unit}").format(unit=self.owner.commission_name), self)
        self.preview.show()

    def verify(self) -> None:
        check = draw.verify_draw(self.owner.ctx.db, commission_id=self.owner.commission_id)
        (self.message.done if check.ok else self.message.error)(check.message)
