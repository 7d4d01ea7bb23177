"""This desk's printing (打印设置): the printer, the paper loaded in it (continuous 241 mm forms, A4, A5),
plain paper or pre-printed multi-part forms (套打), and each printer's offset calibrated with a printed
ruler slip (校准尺); kept in the machine's local configuration (LocalConfig)."""
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
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from app.config import LocalConfig
from reports.print_job import PAPERS
from reports.receipt_pdf import receipt_pdf
from reports.ruler_slip import CROSS_AT, ruler_slip_pdf
from reports.selection_docs import ReceiptDoc
from ui.selection import station_print
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
        self.paper = QComboBox()  # the form loaded in the printer: the job sets this paper size
        labels = {"241-2": _tr("Continuous form 241 mm × 1/2 of 11 in (241-2)"),
                  "241-3": _tr("Continuous form 241 mm × 1/3 of 11 in (241-3)"),
                  "A4": _tr("A4 sheets"), "A5": _tr("A5 sheets")}
        for key, paper in PAPERS.items():
            self.paper.addItem(labels.get(key, paper.label), key)
        self.paper.setCurrentIndex(max(self.paper.findData(self.config.paper), 0))
        self.preview_first = QCheckBox(_tr("Show the print preview before printing"))
        self.preview_first.setChecked(self.config.preview_first)
        self.dx, self.dy = _offset_box(), _offset_box()
        self.offsets_by_printer = {name: self.config.offset_for(name) for name in
                                   [self.printer.itemData(i) for i in range(self.printer.count())]}
        self._shown_printer = self.printer.currentData()
        self._show_offsets()
        self.printer.currentIndexChanged.connect(self._printer_changed)
        ruler = QPushButton(_tr("Print a ruler slip"))
        ruler.clicked.connect(self.print_ruler)
        test = QPushButton(_tr("Preview a test slip…"))
        test.clicked.connect(self.test_slip)
        self.status = QLabel(_tr("Print the ruler slip, measure the red cross's centre from the paper's left and "
                                 "top edges (x, y), then move right by {cx} − x and down by {cy} − y more.").format(
            cx=f"{CROSS_AT[0]:g}", cy=f"{CROSS_AT[1]:g}"))
        self.status.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_tr("Desk name"), self.desk)
        form.addRow(_tr("Printer"), self.printer)
        form.addRow(self.preview_first)
        form.addRow(_tr("Paper in the printer"), self.paper)
        form.addRow(_tr("Print as"), self.mode)
        form.addRow(_tr("Move right by"), self.dx)
        form.addRow(_tr("Move down by"), self.dy)
        form.addRow(ruler, test)
        form.addRow(self.status)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(confirm_buttons(self, self.save, save=True))
        self.preview = None

    def _show_offsets(self) -> None:
        x, y = self.offsets_by_printer.get(self.printer.currentData(), (0.0, 0.0))
        self.dx.setValue(x)
        self.dy.setValue(y)

    def _printer_changed(self) -> None:
        """Each printer keeps its own calibration: keep what was typed for the last one, show this one's."""
        self.offsets_by_printer[self._shown_printer] = self.offsets()
        self._shown_printer = self.printer.currentData()
        self._show_offsets()

    def print_ruler(self) -> None:
        """The ruler slip to the chosen printer on the chosen paper, with the offset as it stands."""
        name, key = self.printer.currentData() or "", self.paper.currentData()
        pdf = ruler_slip_pdf(PAPERS[key], printer=name, offset_mm=self.offsets())
        try:
            station_print.print_pdf(pdf, _tr("Ruler slip"), name, paper_key=key, offset_mm=self.offsets())
        except (station_print.PrintError, OSError) as e:
            self.status.setText(_tr("Not printed: {reason}").format(reason=e))
            return
        self.status.setText(_tr("Ruler slip sent to {printer}. Measure the red cross's centre from the paper's "
                                "left and top edges (x, y): move right by {cx} − x and down by {cy} − y more.").format(
            printer=name or _tr("the default printer"), cx=f"{CROSS_AT[0]:g}", cy=f"{CROSS_AT[1]:g}"))

    def offsets(self) -> tuple[float, float]:
        return (self.dx.value(), self.dy.value())

    def test_slip(self) -> None:
        now = datetime.now(UTC)
        doc = ReceiptDoc(number="TEST-SJ-000000", payer="测试", buyer_id_number="11010519491231002X",
                         ticket_number="TEST-XP-000000", unit="1号楼1单元101", purpose="套打校准",
                         amount=Decimal("12345.67"), method="转账", received_by="测试", issued_at=now,
                         printed_by="测试", printed_at=now, company="KeDesk")
        pdf = receipt_pdf(doc, mode=self.mode.currentData())  # the job adds the offset when it is printed
        self.preview = PdfPreview(pdf, _tr("Test slip"), self, paper=self.paper.currentData(),
                                  offset_mm=self.offsets())
        self.preview.open()

    def save(self) -> None:
        self.config.desk_name = self.desk.text().strip()
        self.config.print_mode = self.mode.currentData()
        self.config.printer_name = self.printer.currentData() or ""
        self.offsets_by_printer[self.config.printer_name] = self.offsets()
        for name, offset in self.offsets_by_printer.items():
            self.config.set_offset(name or "", offset)
        self.config.paper = self.paper.currentData()
        self.config.preview_first = self.preview_first.isChecked()
        self.config.save()
        self.accept()
