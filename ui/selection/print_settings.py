"""This desk's printing (打印设置): plain paper or pre-printed multi-part forms (套打) with the printer's
calibrated offsets, kept in the machine's local configuration; a test slip shows where the values land."""
from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from PySide6.QtCore import QCoreApplication
from PySide6.QtPrintSupport import QPrinterInfo
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from app.config import LocalConfig
from reports.receipt_pdf import receipt_pdf
from reports.selection_docs import ReceiptDoc
from ui.selection.pdf_preview import PdfPreview
from ui.widgets import confirm_buttons


def _tr(text: str) -> str:
    return QCoreApplication.translate("PrintSettings", text)


def _offset_box() -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(-30, 30)
    box.setDecimals(1)
    box.setSingleStep(0.5)
    box.setSuffix(" mm")
    return box


class PrintSettingsDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(_tr("Printing at this desk"))
        self.config = LocalConfig.load()
        self.desk = QLineEdit(self.config.desk_name)
        self.mode = QComboBox()
        self.mode.addItem(_tr("Plain paper: every copy printed in full"), "plain")
        self.mode.addItem(_tr("Pre-printed multi-part forms (overlay): values only"), "overlay")
        self.mode.setCurrentIndex(max(self.mode.findData(self.config.print_mode), 0))
        self.printer = QComboBox()  # this station's printer: documents go straight to it when issued
        self.printer.addItem(_tr("The system's default printer"), "")
        for name in QPrinterInfo.availablePrinterNames():
            self.printer.addItem(name, name)
        if self.config.printer_name and self.printer.findData(self.config.printer_name) < 0:
            self.printer.addItem(self.config.printer_name, self.config.printer_name)  # offline just now
        self.printer.setCurrentIndex(max(self.printer.findData(self.config.printer_name), 0))
        self.preview_first = QCheckBox(_tr("Show the print preview before printing"))
        self.preview_first.setChecked(self.config.preview_first)
        self.dx, self.dy = _offset_box(), _offset_box()
        self.dx.setValue(self.config.print_offset_mm[0])
        self.dy.setValue(self.config.print_offset_mm[1])
        test = QPushButton(_tr("Print a test slip…"))
        test.clicked.connect(self.test_slip)
        form = QFormLayout()
        form.addRow(_tr("Desk name"), self.desk)
        form.addRow(_tr("Printer"), self.printer)
        form.addRow(self.preview_first)
        form.addRow(_tr("Paper"), self.mode)
        form.addRow(_tr("Move right by"), self.dx)
        form.addRow(_tr("Move up by"), self.dy)
        form.addRow(test)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(confirm_buttons(self, self.save, save=True))
        self.preview = None

    def offsets(self) -> tuple[float, float]:
        return (self.dx.value(), self.dy.value())

    def test_slip(self) -> None:
        now = datetime.now(UTC)
        doc = ReceiptDoc(number="TEST-SJ-000000", payer="测试", buyer_id_number="11010519491231002X",
                         ticket_number="TEST-XP-000000", unit="1号楼1单元101", purpose="套打校准",
                         amount=Decimal("12345.67"), method="转账", received_by="测试", issued_at=now,
                         printed_by="测试", printed_at=now, company="KeDesk")
        pdf = receipt_pdf(doc, mode=self.mode.currentData(), offset_mm=self.offsets())
        self.preview = PdfPreview(pdf, _tr("Test slip"), self)
        self.preview.open()

    def save(self) -> None:
        self.config.desk_name = self.desk.text().strip()
        self.config.print_mode = self.mode.currentData()
        self.config.print_offset_mm = self.offsets()
        self.config.printer_name = self.printer.currentData() or ""
        self.config.preview_first = self.preview_first.isChecked()
        self.config.save()
        self.accept()
