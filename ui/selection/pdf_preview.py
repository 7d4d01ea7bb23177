"""Print preview (QtPdf) of a rendered document; Print sends the PDF itself (vector, 100 %) to a printer."""
from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinterInfo
from PySide6.QtWidgets import QComboBox, QDialog, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from app.config import LocalConfig
from ui.selection import station_print


def _tr(text: str) -> str:
    return QCoreApplication.translate("PdfPreview", text)


class PdfPreview(QDialog):
    """Shows the PDF bytes page by page; Print sends them to the chosen printer, Save keeps the PDF.

    paper: the form the document goes on (a slip at a station: its paper and that printer's offset);
    None prints on the document's own page size, as reports are laid out."""

    def __init__(self, pdf: bytes, title: str, parent=None, *, paper: str | None = None,
                 offset_mm: tuple[float, float] | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(900, 760)
        self.pdf, self.paper, self.offset_mm = pdf, paper, offset_mm
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
        self.printer = QComboBox()  # this desk's printer first; any other one the system has
        self.printer.addItem(_tr("The system's default printer"), "")
        for name in QPrinterInfo.availablePrinterNames():
            self.printer.addItem(name, name)
        station = LocalConfig.load().printer_name
        if station and self.printer.findData(station) < 0:
            self.printer.addItem(station, station)
        self.printer.setCurrentIndex(max(self.printer.findData(station), 0))
        print_button, save, close = QPushButton(_tr("Print")), QPushButton(_tr("Save PDF…")), QPushButton(_tr("Close"))
        print_button.clicked.connect(self.print_pages)
        save.clicked.connect(self.save)
        close.clicked.connect(self.accept)
        print_button.setDefault(True)
        row = QHBoxLayout()
        row.addWidget(self.pages)
        row.addStretch(1)
        row.addWidget(self.printer)
        for b in (print_button, save, close):
            row.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(row)

    def print_pages(self) -> None:
        """The PDF to the chosen printer at 100 %; a slip with that printer's calibrated offset."""
        name = self.printer.currentData() or ""
        offset = self.offset_mm if self.offset_mm is not None else (
            LocalConfig.load().offset_for(name) if self.paper else (0.0, 0.0))
        try:
            pages = station_print.print_pdf(self.pdf, self.windowTitle(), name, paper_key=self.paper,
                                            offset_mm=offset)
        except (station_print.PrintError, OSError) as e:
            self.pages.setText(_tr("Not printed: {reason}").format(reason=e))
            return
        note = _tr("Printed {pages} pages to {printer}").format(pages=pages, printer=name or _tr("the default printer"))
        cut = station_print.cut_mm(self.pdf, self.paper, offset)
        if cut:
            note += _tr(" — the paper is {cut} mm too short for this document").format(cut=f"{cut:g}")
        self.pages.setText(note)

    def save(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, _tr("Save PDF"), self.windowTitle() + ".pdf", "PDF (*.pdf)")
        if path:
            with open(path, "wb") as f:
                f.write(self.pdf)
