"""项目与房源 — create a project, import its housing stock from Excel (all or nothing), flats per building."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.selection import catalog, imports
from reports import excel_stock
from ui.selection.setup.common import Message, RowsModel, show_failure, show_refusal, table
from ui.widgets import FieldBox


def _tr(text: str) -> str:
    return QCoreApplication.translate("EventSetup", text)


class StockTab(QWidget):
    def __init__(self, owner):
        super().__init__()
        self.owner = owner
        self.boxes = {"code": FieldBox(QLineEdit()), "name": FieldBox(QLineEdit()),
                      "company": FieldBox(QLineEdit())}
        self.boxes["code"].editor.setPlaceholderText(_tr("Letters, e.g. JY (starts document numbers)"))
        self.boxes["code"].editor.setMaxLength(16)
        self.create_button = QPushButton(_tr("Create project"))
        self.create_button.clicked.connect(self.create_project)
        self.project_message = Message("project_message")
        form = QFormLayout()
        form.addRow(_tr("Project code"), self.boxes["code"])
        form.addRow(_tr("Project name"), self.boxes["name"])
        form.addRow(_tr("Developer company"), self.boxes["company"])
        form.addRow("", self.create_button)
        form.addRow(self.project_message)
        new = QGroupBox(_tr("New project"))
        new.setLayout(form)

        self.import_button = QPushButton(_tr("Import stock from Excel…"))
        self.import_button.clicked.connect(self.choose_file)
        self.template_button = QPushButton(_tr("Save the stock template…"))
        self.template_button.clicked.connect(self.save_template)
        self.import_message = Message("stock_import_message")
        self.errors = RowsModel([_tr("Row"), _tr("Problem")], lambda e: (str(e.row or ""), e.message))
        self.error_view = table(self.errors)
        self.error_view.hide()
        self.counts = RowsModel([_tr("Building"), _tr("Flats"), _tr("Not yet released")],
                                lambda c: (c[0], str(c[1]), str(c[2])))
        self.count_view = table(self.counts)
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.template_button)
        buttons.addStretch(1)
        box = QVBoxLayout()
        box.addLayout(buttons)
        box.addWidget(self.import_message)
        box.addWidget(self.error_view, 1)
        box.addWidget(self.count_view, 2)
        stock = QGroupBox(_tr("Housing stock of the project"))
        stock.setLayout(box)
        layout = QHBoxLayout(self)
        layout.addWidget(new, 2)
        layout.addWidget(stock, 3)

    def refresh(self) -> None:
        pid = self.owner.project_id
        self.import_button.setEnabled(pid is not None)
        self.counts.set_items(catalog.building_counts(self.owner.ctx.db, project_id=pid) if pid else [])

    def create_project(self) -> None:
        values = {k: b.value() for k, b in self.boxes.items()}
        try:
            pid = catalog.new_project(self.owner.ctx.db, user=self.owner.user, **values)
        except Exception as exc:  # noqa: BLE001 - show_refusal re-raises what is not a user error
            show_refusal(exc, self.project_message, self.boxes)
            return
        for box in self.boxes.values():
            box.set_error(None)
            box.editor.clear()
        self.project_message.done(_tr("Project {name} created.").format(name=values["name"].strip()))
        self.owner.reload_projects(select=pid)

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, _tr("Import stock"), "", _tr("Excel workbooks (*.xlsx)"))
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        """Off the GUI thread; a file with any bad row imports nothing and lists the rows."""
        pid, ctx, user = self.owner.project_id, self.owner.ctx, self.owner.user
        self.import_button.setEnabled(False)
        self.import_message.done(_tr("Importing {file}…").format(file=path.name))
        ctx.tasks.run(lambda: imports.import_stock(ctx.db, user=user, project_id=pid, path=path),
                      self._imported, self._refused)

    def _imported(self, count: int) -> None:
        self.errors.set_items([])
        self.error_view.hide()
        self.import_message.done(_tr("{n} flats imported.").format(n=count))
        self.refresh()

    def _refused(self, exc: Exception) -> None:
        self.import_button.setEnabled(True)
        self.errors.set_items(list(getattr(exc, "errors", [])))
        self.error_view.setVisible(bool(self.errors.items))
        show_failure(exc, self.import_message)

    def save_template(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, _tr("Save the stock template"), "房源表模板.xlsx",
                                              _tr("Excel workbooks (*.xlsx)"))
        if path:
            excel_stock.write_template(Path(path))
            self.import_message.done(_tr("Template saved: {file}").format(file=path))
