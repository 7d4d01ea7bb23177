"""The crash dialog (程序错误): says the data is safe, names the log file, copies the trace for support."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout


def _tr(text: str) -> str:
    return QCoreApplication.translate("CrashDialog", text)


class CrashDialog(QDialog):
    def __init__(self, error: BaseException, trace: str, log_file: Path, parent=None):
        super().__init__(parent)
        self.trace = trace
        self.setWindowTitle(_tr("Unexpected error"))
        layout = QVBoxLayout(self)
        self.message = QLabel(_tr("Something went wrong. Your data is safe: what was saved stays saved.\n"
                                  "The details are in the log file:\n{path}\n\n{error}").format(
            path=log_file, error=f"{type(error).__name__}: {error}"))
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(self.message.textInteractionFlags()
                                             | self.message.textInteractionFlags().TextSelectableByMouse)
        layout.addWidget(self.message)
        self.details = QPlainTextEdit(trace)
        self.details.setReadOnly(True)
        self.details.setMinimumHeight(160)
        layout.addWidget(self.details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton(_tr("Copy details for support"))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_trace)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 420)

    def copy_trace(self) -> None:
        QGuiApplication.clipboard().setText(f"{self.message.text()}\n\n{self.trace}")
        self.copy_button.setText(_tr("Copied"))
