"""The verified buyer's documents at the desk: reprint (重打), red-letter reversal (红字冲红) and swap (换房)."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.services import selection as sel
from app.services.selection import desk
from app.services.selection.numbering import KIND_NAMES
from ui.tr import N_
from ui.widgets import error_label

_ROOT = QModelIndex()


def _tr(text: str) -> str:
    return QCoreApplication.translate("BuyerDocuments", text)


class DocumentsModel(QAbstractTableModel):
    HEADERS = (N_("Number"), N_("Document"), N_("For"), N_("Amount"), N_("Issued by"), N_("Reviewed by"),
               N_("Reversal"))

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[desk.LedgerRow] = []

    def set_rows(self, rows) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent=_ROOT) -> int:  # noqa: N802 (Qt name)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=_ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _tr(self.HEADERS[section])
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        r = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            note = (_tr("cancels {n}").format(n=r.reverses) if r.reverses
                    else _tr("cancelled by {n}").format(n=r.reversed_by) if r.reversed_by else "")
            return (r.number, KIND_NAMES[r.kind], r.purpose, f"{r.amount:,.2f}", r.issued_by, r.reviewed_by,
                    note)[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and (r.reverses or r.amount < 0):
            return QBrush(QColor("#c00000"))  # 红字
        if role == Qt.ItemDataRole.ForegroundRole and r.reversed_by:
            return QBrush(QColor("#888888"))
        return None


class BuyerDocuments(QWidget):
    changed = Signal()  # a reversal or swap changed the grid
    show_pdf = Signal(object, str)  # (document id, number): the tab prints it
    preview_pdf = Signal(object, str)  # (document id, number): shown in the print preview on request

    def __init__(self, ctx, user, flat_of_grid, parent=None):
        super().__init__(parent)
        self.ctx, self.user, self.flat_of_grid = ctx, user, flat_of_grid
        self.commission_id = self.buyer_id = None
        self.model = DocumentsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.message = error_label()
        buttons = QHBoxLayout()
        for text, slot, permission in (
                (_tr("Reprint"), self.reprint, "selection.print"), (_tr("Preview…"), self.preview, "selection.print"),
                (_tr("Review…"), self.review, "selection.review"),
                (_tr("Red-letter reversal…"), self.reverse, "selection.reverse"),
                (_tr("Swap to the flat chosen on the grid…"), self.swap, "selection.reverse"),
                (_tr("Rename…"), self.rename, "selection.reverse")):
            if not user.can(permission):  # a station shows only what its role may do
                continue
            b = QPushButton(text)
            b.clicked.connect(slot)
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(_tr("This buyer's documents")))
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)

    def show_buyer(self, commission_id, buyer_id) -> None:
        self.commission_id, self.buyer_id = commission_id, buyer_id
        self.message.clear()
        rows = [] if buyer_id is None else desk.ledger(self.ctx.db, user=self.user, commission_id=commission_id,
                                                        buyer_id=buyer_id)
        self.model.set_rows(rows)

    def _selected(self) -> desk.LedgerRow | None:
        index = self.table.currentIndex()
        if not index.isValid():
            self.message.setText(_tr("Select a document first"))
            return None
        return self.model.rows[index.row()]

    def reprint(self) -> None:
        row = self._selected()
        if row:
            self.show_pdf.emit(row.id, row.number)

    def preview(self) -> None:
        row = self._selected()
        if row:
            self.preview_pdf.emit(row.id, row.number)

    def review(self) -> None:
        """复核: an independent second person (e.g. finance) signs the ticket or receipt with their own login."""
        row = self._selected()
        if row is None:
            return
        from ui.selection.reviewer_dialog import ReviewerDialog

        dialog = ReviewerDialog(self.ctx.db, row.number, self)
        if not dialog.exec():
            return
        self.message.clear()
        try:
            sel.review_document(self.ctx.db, issuer_name=row.issued_by, reviewer=dialog.reviewer,
                                document_id=row.id)
        except UserError as exc:
            self.message.setText(exc.message)
            return
        self.show_buyer(self.commission_id, self.buyer_id)

    def reverse(self) -> None:
        row = self._selected()
        if row is None:
            return
        reason, ok = QInputDialog.getText(self, _tr("Red-letter reversal"), _tr(
            "Reason for cancelling {number} (collect all copies of the original):").format(number=row.number))
        if ok and row.kind == "ticket" and not row.reverses:  # 退房: the refund is printed with the red ticket
            self._act(lambda: sel.cancel_ticket(self.ctx.db, user=self.user, ticket_id=row.id, reason=reason))
        elif ok:
            self._act(lambda: sel.reverse(self.ctx.db, user=self.user, document_id=row.id, reason=reason))

    def swap(self) -> None:
        row, flat = self._selected(), self.flat_of_grid()
        if row is None:
            return
        if row.kind != "ticket" or flat is None:
            self.message.setText(_tr("Select the ticket here and the new flat on the grid"))
            return
        reason, ok = QInputDialog.getText(self, _tr("Swap flat"), _tr("Reason for moving to {flat}:").format(
            flat=flat.label))
        if ok:
            self._act(lambda: sel.swap_flat(self.ctx.db, user=self.user, ticket_id=row.id, new_flat_id=flat.id,
                                            reason=reason))

    def rename(self) -> None:
        """更名: to another name on the list for free, or to an outsider after the fee is received."""
        row = self._selected()
        if row is None:
            return
        if row.kind != "ticket" or row.reverses or row.reversed_by:
            self.message.setText(_tr("Select the buyer's current ticket"))
            return
        from ui.selection.rename_dialog import open_rename

        done = open_rename(self, self.ctx, self.user, row.id)
        if done:
            self.changed.emit()
            self.show_pdf.emit(done[1].id, done[1].number)

    def _act(self, action) -> None:
        self.message.clear()
        try:
            doc = action()
        except UserError as exc:
            self.message.setText(exc.message)
            return
        self.changed.emit()
        # a swap or 退房 prints everything it issued: the red-letter ticket to file with the returned copies,
        # the certificate's red-letter copy, the refund receipt and the new ticket
        for made in getattr(doc, "documents", None) or (doc,):
            self.show_pdf.emit(made.id, made.number)
