"""复核区 — the review station: logged in as the reviewer, it takes each ticket by scanning its QR code (or
typing its number) and Enter; the review is recorded under the station's login, no password per ticket."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QGroupBox, QLabel, QLineEdit, QVBoxLayout

from app.errors import UserError
from app.services import selection as sel
from ui.widgets import error_label


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReviewPanel", text)


class ReviewPanel(QGroupBox):
    reviewed = Signal(object)  # IssuedDocument: the ticket just reviewed

    def __init__(self, ctx, user, parent=None):
        super().__init__(_tr("Review station: {name}").format(name=user.display_name), parent)
        self.ctx, self.user = ctx, user
        self.scan = QLineEdit()
        self.scan.setPlaceholderText(_tr("Scan the ticket's QR code or type its number, then Enter"))
        self.scan.returnPressed.connect(self.review)
        self.result = QLabel(_tr("No ticket reviewed yet"))
        self.result.setWordWrap(True)
        self.message = error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self.scan)
        layout.addWidget(self.result)
        layout.addWidget(self.message)

    def review(self) -> None:
        """A refusal shows in place with the scanned text kept; a success clears the field for the next one."""
        self.message.clear()
        try:
            doc = sel.review_by_number(self.ctx.db, reviewer=self.user, number=self.scan.text())
        except UserError as exc:
            self.message.setText(exc.message)
            self.scan.selectAll()
            return
        c = doc.content
        entrance = f"{c['entrance']}单元" if c.get("entrance") else ""
        self.result.setText(_tr("Reviewed {number}: {buyer}, {flat}, {total} yuan ({ratio} now: {now}); "
                                "issued by {issuer}").format(
            number=doc.number, buyer=c["buyer"], flat=f"{c['building']}{entrance}{c['room']}",
            total=f"{doc.amount:,.2f}", ratio=f"{float(c['payment_ratio']):.0%}",
            now=f"{float(c['amount_now']):,.2f}", issuer=doc.issued_by))
        self.scan.clear()
        self.scan.setFocus()
        self.reviewed.emit(doc)
