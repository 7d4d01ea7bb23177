"""Printing straight to this station's printer (no dialog, no preview): the event day prints every document
the moment it is issued; the preview stays one click away for those who ask (LocalConfig.preview_first)."""
from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo


def printer_for(name: str) -> QPrinter:
    """The station's printer by name, else the system's default printer."""
    info = QPrinterInfo.printerInfo(name) if name else QPrinterInfo.defaultPrinter()
    printer = QPrinter(info, QPrinter.PrinterMode.HighResolution) if not info.isNull() else QPrinter()
    printer.setFullPage(True)
    return printer


def print_pdf(pdf: bytes, title: str, printer_name: str = "") -> int:
    """Send every page of the PDF to the printer; returns the number of pages sent."""
    data = QByteArray(pdf)
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    printer = printer_for(printer_name)
    printer.setDocName(title)
    painter = QPainter(printer)
    try:
        rect = painter.viewport()
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            size = document.pagePointSize(page)
            scale = min(rect.width() / size.width(), rect.height() / size.height())
            painter.drawImage(0, 0, document.render(page, QSize(int(size.width() * scale),
                                                                int(size.height() * scale))))
    finally:
        painter.end()
    return document.pageCount()
