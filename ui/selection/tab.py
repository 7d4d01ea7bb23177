"""The 选房票务 tab: the event chooser, the sales-control grid (销控表) beside the desk, queue calling,
and a print preview for every document issued. Other desks' sales show within a second (polling)."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.config import LocalConfig
from app.domain import grid_filter
from app.domain.unit_status import COLOURS, UNIT_STATUS
from app.errors import UserError
from app.services.selection import desk, grid, printing, queue
from app.services.users import system_principal
from ui import vocab as vlabels
from ui.selection import station_print
from ui.selection.buyer_documents import BuyerDocuments
from ui.selection.desk_panel import DeskPanel, EnterButton
from ui.selection.grid_model import CellRole, FramedSelection, SalesControlModel
from ui.selection.pdf_preview import PdfPreview

POLL_MS = 1000  # another desk's sale shows within a second or two


def _tr(text: str) -> str:
    return QCoreApplication.translate("SelectionTab", text)


class LineNote(QLabel):
    """A one-line note that takes no room while it is empty (the call and print lines above the grid)."""

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        super().setText(text)
        self.setVisible(bool(text))


class SelectionTab(QWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.user = ctx.user or system_principal(ctx.actor)
        self.current_event = None
        self.stamp = None
        self.preview: PdfPreview | None = None
        self.call_screen = None
        self.events = QComboBox()
        self.events.currentIndexChanged.connect(self._event_changed)
        self.desk_name = QLineEdit(LocalConfig.load().desk_name or _tr("Desk 1"))
        self.desk_name.setMaximumWidth(90)
        self.call_button = EnterButton(_tr("Call next (F5)"))
        self.call_button.setShortcut("F5")
        self.call_button.clicked.connect(self.call_next)
        self.last_called = None  # the buyer this desk called last: 过号 applies to them
        self.group_size = QSpinBox()
        self.group_size.setRange(1, 10)
        self.group_size.setPrefix(_tr("Group of "))
        self.group_size.setVisible(self.user.can("selection.call"))
        self.absent_button = QPushButton(_tr("Absent (F6)"))
        self.absent_button.setShortcut("F6")
        self.absent_button.clicked.connect(self.mark_absent)
        self.passed_button = QPushButton(_tr("Passed list…"))
        self.passed_button.clicked.connect(self.open_passed)
        for b in (self.call_button, self.absent_button, self.passed_button):
            b.setVisible(self.user.can("selection.call"))
        self.screen_button = QPushButton(_tr("Big screen"))
        self.screen_button.clicked.connect(self.open_call_screen)
        self.print_button = QPushButton(_tr("Printing…"))
        self.print_button.clicked.connect(self.print_settings)
        self.ledger_button = QPushButton(_tr("Ledgers…"))
        self.ledger_button.clicked.connect(self.open_ledger)
        self.ledger_window = None
        self.setup_button = QPushButton(_tr("Event set-up…"))
        self.setup_button.clicked.connect(self.open_setup)
        self.setup_window = None
        self.call_label = LineNote()
        self.call_label.hide()
        bar = QHBoxLayout()
        bar.addWidget(QLabel(_tr("Event")))
        bar.addWidget(self.events, 1)
        bar.addWidget(QLabel(_tr("This desk")))
        bar.addWidget(self.desk_name)
        bar.addWidget(self.group_size)
        bar.addWidget(self.call_button)
        bar.addWidget(self.absent_button)
        bar.addWidget(self.passed_button)
        bar.addWidget(self.screen_button)
        bar.addWidget(self.ledger_button)
        bar.addWidget(self.print_button)
        bar.addWidget(self.setup_button)
        self.extra_buttons = bar  # set-up and ledger windows add their buttons here
        self.model = SalesControlModel(self)
        self.grid = QTableView()
        self.grid.setModel(self.model)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.grid.verticalHeader().setDefaultSectionSize(58)
        self.grid.setItemDelegate(FramedSelection(self.grid))
        self.grid.activated.connect(self._flat_activated)
        self.grid.doubleClicked.connect(self._flat_activated)
        self.panel = DeskPanel(ctx, self.user)
        self.panel.desk_name = lambda: self.desk_name.text().strip() or _tr("Desk 1")
        self.review_panel = None
        if self.user.can("selection.review"):  # the review station's screen mode
            from ui.selection.review_panel import ReviewPanel

            self.review_panel = ReviewPanel(ctx, self.user)
            self.review_panel.reviewed.connect(lambda _doc: self._documents_changed())
        self.printed = LineNote()
        self.printed.hide()
        self.panel.issued.connect(self._issued)
        self.panel.choose_flat.connect(self._focus_grid)
        self.empty = QLabel(_tr("No house-selection event yet: set one up (project, flats, commissioning unit, "
                                "prices, buyers) or start with --demo."))
        self.empty.setWordWrap(True)
        split = QSplitter()
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addLayout(self._filter_row())
        lv.addWidget(self.grid, 1)
        lv.addWidget(self._legend())
        self.documents = BuyerDocuments(ctx, self.user, lambda: self.panel.flat)
        self.documents.changed.connect(self._documents_changed)
        self.documents.show_pdf.connect(self.show_document)
        self.documents.preview_pdf.connect(lambda doc_id, number: self.show_document(doc_id, number, preview=True))
        self.panel.buyer_changed.connect(
            lambda b: self.documents.show_buyer(self.panel.commission_id, b.id if b else None))
        right = QSplitter(Qt.Orientation.Vertical)
        scroll = QScrollArea()  # a small screen scrolls the desk instead of squeezing its fields together
        scroll.setWidgetResizable(True)
        station = QWidget()
        sv = QVBoxLayout(station)
        sv.setContentsMargins(0, 0, 0, 0)
        if self.review_panel is not None:
            sv.addWidget(self.review_panel)
        desk_used = any(self.user.can(p) for p in ("selection.ticket", "selection.receipt", "selection.certificate"))
        self.panel.setVisible(desk_used)
        self.queue_panel = None
        if not desk_used and self.review_panel is None and self.user.can("selection.call"):  # the caller's station
            from ui.selection.queue_panel import QueuePanel

            self.queue_panel = QueuePanel(ctx)
            sv.addWidget(self.queue_panel, 1)
        sv.addWidget(self.panel, 1)
        scroll.setWidget(station)
        right.addWidget(scroll)
        right.addWidget(self.documents)
        right.setSizes([640, 200])
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([900, 560])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.call_label)
        layout.addWidget(self.printed)
        layout.addWidget(self.empty)
        layout.addWidget(split, 1)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.poll)
        self.load_events()

    def _filter_row(self) -> QHBoxLayout:
        """销控表筛选: one building and/or unit type, with the sold / left counts and totals of what is shown."""
        self.all_cells: list = []
        self.building_filter, self.type_filter = QComboBox(), QComboBox()
        for box in (self.building_filter, self.type_filter):
            box.addItem(_tr("All"), None)
            box.currentIndexChanged.connect(lambda _i: self._apply_filter())
        self.summary = QLabel()
        row = QHBoxLayout()
        row.addWidget(QLabel(_tr("Building")))
        row.addWidget(self.building_filter)
        row.addWidget(QLabel(_tr("Unit type")))
        row.addWidget(self.type_filter)
        row.addWidget(self.summary, 1)
        return row

    def _fill_filters(self) -> None:
        buildings, types = grid_filter.choices(self.all_cells)
        for box, values in ((self.building_filter, buildings), (self.type_filter, types)):
            if [box.itemData(i) for i in range(1, box.count())] == values:
                continue
            keep = box.currentData()
            box.blockSignals(True)
            box.clear()
            box.addItem(_tr("All"), None)
            for v in values:
                box.addItem(v, v)
            box.setCurrentIndex(max(box.findData(keep), 0) if keep is not None else 0)
            box.blockSignals(False)

    def _apply_filter(self) -> None:
        shown = grid_filter.narrow(self.all_cells, building=self.building_filter.currentData(),
                                   unit_type=self.type_filter.currentData())
        current = self.model.cell(self.grid.currentIndex())
        self.model.set_cells(shown)
        if current is not None:
            self.grid.setCurrentIndex(self.model.find(current.id))
        s = grid_filter.summary(shown)
        self.summary.setText(_tr("{flats} flats: sold {sold} ({sold_amount} yuan, {area} m²), left {left} "
                                 "({left_amount} yuan)").format(
            flats=s.flats, sold=s.sold, sold_amount=f"{s.sold_amount:,.2f}", area=f"{s.sold_area:,.2f}",
            left=s.left, left_amount=f"{s.left_amount:,.2f}"))

    def _legend(self) -> QWidget:
        legend = QWidget()
        row = QHBoxLayout(legend)
        row.setContentsMargins(0, 0, 0, 0)
        for code in UNIT_STATUS.codes():
            chip = QLabel(vlabels.label(UNIT_STATUS, code))
            chip.setStyleSheet(f"background: {COLOURS[code]}; border: 1px solid #999; padding: 2px 6px;"
                               f"color: {'white' if code == 'certified' else 'black'}")
            row.addWidget(chip)
        row.addStretch(1)
        return legend

    def load_events(self) -> None:
        try:
            found = desk.events(self.ctx.db, user=self.user)
        except UserError:
            found = []
        keep = self.current_event.commission_id if self.current_event else None
        self.events.blockSignals(True)
        self.events.clear()
        for e in found:
            self.events.addItem(f"{e.project} · {e.commission}", e)
            if e.commission_id == keep:
                self.events.setCurrentIndex(self.events.count() - 1)
        self.events.blockSignals(False)
        self.empty.setVisible(not found)
        self._event_changed()

    def _event_changed(self) -> None:
        self.current_event = self.events.currentData()
        self.panel.set_commission(self.current_event.commission_id if self.current_event else None)
        self._refresh_queue()
        self.stamp = None
        self.poll()
        if self.current_event is not None and not self.timer.isActive():
            self.timer.start(POLL_MS)

    def poll(self) -> None:
        """Cheap change check off the GUI thread; the grid reloads only when a flat changed."""
        if self.current_event is None:
            self.all_cells = []
            self.model.set_cells([])
            return
        event = self.current_event
        if self.queue_panel is not None:  # other callers' calls show within the poll too
            self.ctx.tasks.run(lambda: queue.queue_state(self.ctx.db, commission_id=event.commission_id, shown=10),
                               self.queue_panel.show_state)
        self.ctx.tasks.run(lambda: grid.stamp(self.ctx.db, project_id=event.project_id),
                           lambda stamp: self._maybe_reload(event, stamp))

    def _refresh_queue(self) -> None:
        if self.queue_panel is not None and self.current_event is not None:
            self.queue_panel.refresh(self.current_event.commission_id)

    def _maybe_reload(self, event, stamp) -> None:
        if event is not self.current_event or stamp == self.stamp:
            return
        self.stamp = stamp
        self.ctx.tasks.run(lambda: grid.sales_control(self.ctx.db, user=self.user, project_id=event.project_id,
                                                      commission_id=event.commission_id),
                           lambda cells: self._show_cells(event, cells))

    def _show_cells(self, event, cells) -> None:
        if event is not self.current_event:
            return
        self.all_cells = cells
        self._fill_filters()
        self._apply_filter()

    def _focus_grid(self) -> None:
        self.grid.setFocus()
        if not self.grid.currentIndex().isValid():
            for (r, c), cell in sorted(self.model.cells.items()):
                if cell.status in ("released", "relationship"):
                    self.grid.setCurrentIndex(self.model.index(r, c))
                    break

    def _flat_activated(self, index) -> None:
        cell = index.data(CellRole)
        if cell is not None:
            self.panel.set_flat(cell)

    def _issued(self, doc) -> None:
        self.stamp = None
        self.poll()
        self.show_document(doc.id, doc.number)

    def _documents_changed(self) -> None:
        self.stamp = None
        self.poll()
        self.panel.refresh_buyer()

    def show_document(self, document_id, number: str, preview: bool = False) -> None:
        """Print straight to this station's printer; the preview only when asked (or set for this desk)."""
        config = LocalConfig.load()  # this desk's paper, printer and calibration
        # the offset is the printer's: the print job applies it (reports/print_job.py), not the layout
        pdf, reprint = printing.document_pdf(self.ctx.db, user=self.user, document_id=document_id,
                                             mode=config.print_mode)
        title = number + (_tr(" (reprint {n})").format(n=reprint) if reprint else "")
        if preview or config.preview_first:
            self.preview = PdfPreview(pdf, title, self, paper=config.paper)
            self.preview.open()  # not modal: the desk can go on with the next buyer
            return
        printer = config.printer_name or _tr("the default printer")
        try:
            pages = station_print.print_pdf(pdf, title, config.printer_name, paper_key=config.paper,
                                            offset_mm=config.offset_for(config.printer_name))
        except (station_print.PrintError, OSError) as e:  # the document is issued and stored; reprint later
            self.printed.setText(_tr("Not printed {title} on {printer}: {reason}. The document is saved; "
                                     "print it again from the buyer's documents.").format(
                title=title, printer=printer, reason=e))
            return
        note = _tr("Printed {title}: {pages} pages to {printer}").format(title=title, pages=pages, printer=printer)
        cut = station_print.cut_mm(pdf, config.paper, config.offset_for(config.printer_name))
        if cut:
            note += _tr(" — the paper is {cut} mm too short for this document: check the paper in the print "
                        "settings").format(cut=f"{cut:g}")
        self.printed.setText(note)

    def call_next(self) -> None:
        if self.current_event is None:
            return
        desk_name = self.desk_name.text().strip() or _tr("Desk 1")
        try:
            if self.group_size.value() > 1:  # real openings call 5–10 buyers at a time into the room
                group = queue.call_group(self.ctx.db, user=self.user, commission_id=self.current_event.commission_id,
                                         desk=desk_name, size=self.group_size.value())
                if group:
                    self.last_called = group[-1]
                    self._refresh_queue()
                    self.call_label.setText(_tr("Calling numbers {first}–{last}: {names}").format(
                        first=group[0].order, last=group[-1].order, names="、".join(c.name for c in group)))
                    return
                called = None
            else:
                called = queue.call_next(self.ctx.db, user=self.user,
                                         commission_id=self.current_event.commission_id, desk=desk_name)
        except UserError as exc:
            self.call_label.setText(exc.message)
            return
        self.last_called = called
        self._refresh_queue()
        self.call_label.setText(_tr("Calling number {order}: {name}").format(order=called.order, name=called.name)
                                if called else _tr("Everyone has been called."))

    def mark_absent(self) -> None:
        """过号: the buyer this desk called last did not come; the next call goes on."""
        if self.last_called is None:
            self.call_label.setText(_tr("Call a buyer first; the one called last at this desk is marked absent."))
            return
        try:
            queue.mark_absent(self.ctx.db, user=self.user, buyer_id=self.last_called.buyer_id)
        except UserError as exc:
            self.call_label.setText(exc.message)
            return
        self._refresh_queue()
        self.call_label.setText(_tr("Number {order} ({name}) is on the passed list").format(
            order=self.last_called.order, name=self.last_called.name))
        self.last_called = None

    def open_passed(self) -> None:
        if self.current_event is None:
            return
        from ui.selection.passed_dialog import PassedDialog

        dialog = PassedDialog(self.ctx, self.user, self.current_event.commission_id,
                              self.desk_name.text().strip() or _tr("Desk 1"), self)
        if dialog.exec() and dialog.recalled is not None:
            self.last_called = dialog.recalled
            self._refresh_queue()
            self.call_label.setText(_tr("Re-calling number {order}: {name}").format(
                order=dialog.recalled.order, name=dialog.recalled.name))

    def open_ledger(self) -> None:
        if self.current_event is None:
            return
        from ui.selection.ledger_dialog import open_ledger

        self.ledger_window = open_ledger(self, self.ctx, self.user, self.current_event.commission_id)

    def open_setup(self) -> None:
        from ui.selection.setup import open_event_setup

        self.setup_window = open_event_setup(self, self.ctx, self.user)
        self.setup_window.finished.connect(lambda _code: self.load_events())  # new units show up here

    def print_settings(self) -> None:
        from ui.selection.print_settings import PrintSettingsDialog

        dialog = PrintSettingsDialog(self)
        if dialog.exec():
            self.desk_name.setText(dialog.config.desk_name or self.desk_name.text())

    def open_call_screen(self) -> None:
        if self.current_event is None:
            return
        from ui.selection.call_screen import CallScreen

        self.call_screen = CallScreen(self.ctx, self.current_event.commission_id, self.events.currentText())
        self.call_screen.show()
