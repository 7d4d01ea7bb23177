"""Print preview (QtPdf) of a rendered document, printing through the system print dialog."""
from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QSize
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout


def _tr(text: str) -> str:
    return QCoreApplication.translate("PdfPreview", text)


class PdfPreview(QDialog):
    """Shows the PDF bytes page by page; Print sends the pages to a printer, Save keeps the PDF."""

    def __init__(self, pdf: bytes, title: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(900, 760)
        self.pdf = pdf
        self._bytes = QByteArray(pdf)
        self._buffer = QBuffer(self._bytes, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        self.view = QPdfView(self)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)
        self.pages = QLabel(_tr("{n} pages").format(n=self.document.pageCount()))
        print_button, save, close = QPushButton(_tr("Print…")), QPushButton(_tr("Save PDF…")), QPushButton(_tr("Close"))
        print_button.clicked.connect(self.print_pages)
        save.clicked.connect(self.save)
        close.clicked.connect(self.accept)
        print_button.setDefault(True)
        row = QHBoxLayout()
        row.addWidget(self.pages)
        row.addStretch(1)
        for b in (print_button, save, close):
            row.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(row)

    def print_pages(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if QPrintDialog(printer, self).exec() != QDialog.DialogCode.Accepted:
            return
        painter = QPainter(printer)
        try:
            rect = painter.viewport()
            for page in range(self.document.pageCount()):
                if page:
                    printer.newPage()
                size = self.document.pagePointSize(page)
                scale = min(rect.width() / size.width(), rect.height() / size.height())
                image = self.document.render(page, QSize(int(size.width() * scale), int(size.height() * scale)))
                painter.drawImage(0, 0, image)
        finally:
            painter.end()

    def save(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, _tr("Save PDF"), self.windowTitle() + ".pdf", "PDF (*.pdf)")
        if path:
            with open(path, "wb") as f:
                f.write(self.pdf)
