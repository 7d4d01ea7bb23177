"""Local settings of this desk: database (SQLite file or PostgreSQL server), language, operator name."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLabel, QLineEdit

from app.config import LocalConfig, default_db_url
from ui.i18n import LANGUAGES
from ui.widgets import FieldBox, confirm_buttons


def _tr(text: str) -> str:
    return QCoreApplication.translate("SettingsDialog", text)


class SettingsDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(_tr("Settings"))
        self.config = LocalConfig.load()
        self.db_url = FieldBox(QLineEdit(self.config.db_url))
        self.db_url.editor.setPlaceholderText(default_db_url())
        self.language = QComboBox()
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(self.language.findData(self.config.language), 0))
        self.operator = QLineEdit(self.config.operator)
        form = QFormLayout(self)
        form.addRow(_tr("Database"), self.db_url)
        form.addRow("", QLabel(_tr("Empty: the embedded SQLite file. Shared desks: "
                                   "postgresql://user:password@server/kedesk")))
        form.addRow(_tr("Language"), self.language)
        form.addRow(_tr("Operator name"), self.operator)
        form.addRow("", QLabel(_tr("Changes take effect when KeDesk is started again.")))
        buttons = confirm_buttons(self, self.save, save=True)
        form.addRow(buttons)

    def save(self) -> None:
        url = self.db_url.value().strip()
        if url and not url.startswith(("sqlite:", "postgresql:", "postgresql+psycopg:")):
            self.db_url.set_error(_tr("Use sqlite:///path/file.sqlite3 or postgresql://user@server/database"))
            return
        self.config.db_url = url
        self.config.language = self.language.currentData()
        self.config.operator = self.operator.text().strip()
        self.config.save()
        self.accept()
