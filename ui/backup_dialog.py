"""Backup and restore (备份与恢复): back up now, restore a checked backup, the monthly schedule."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from app import settings
from app.services import backup as backups
from app.services import backup_schedule, restore
from app.services.backup_check import verify_backup
from ui.context import DeskContext
from ui.widgets import ERROR_STYLE, FieldBox

OK_STYLE = "color: #1b5e20;"


def _tr(text: str) -> str:
    return QCoreApplication.translate("BackupDialog", text)


def _label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.hide()
    return label


def _show(label: QLabel, text: str, *, error: bool) -> None:
    label.setStyleSheet(ERROR_STYLE if error else OK_STYLE)
    label.setText(text)
    label.show()


class BackupDialog(QDialog):
    """After a restore, `restored` is True: the caller closes the window so the data is reopened."""

    def __init__(self, ctx: DeskContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.restored = False
        self.checked: Path | None = None
        self.setWindowTitle(_tr("Backup and restore"))
        self.resize(620, 0)
        layout = QVBoxLayout(self)

        now_box = QGroupBox(_tr("Back up now"))
        now = QVBoxLayout(now_box)
        self.backup_button = QPushButton(_tr("Back up to a file…"))
        self.backup_button.clicked.connect(lambda: self.backup_now())
        self.backup_result = _label()
        now.addWidget(self.backup_button)
        now.addWidget(self.backup_result)
        layout.addWidget(now_box)

        res_box = QGroupBox(_tr("Restore from a backup"))
        res = QVBoxLayout(res_box)
        res.addWidget(QLabel(_tr("The file is checked first; nothing changes until you confirm.")))
        row = QHBoxLayout()
        self.choose_button = QPushButton(_tr("Choose backup file…"))
        self.choose_button.clicked.connect(lambda: self.check_file())
        self.restore_button = QPushButton(_tr("Restore this backup…"))
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self.restore_checked)
        row.addWidget(self.choose_button)
        row.addWidget(self.restore_button)
        row.addStretch()
        res.addLayout(row)
        self.file_info = _label()
        res.addWidget(self.file_info)
        layout.addWidget(res_box)

        layout.addWidget(self._schedule_box())
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)

    def _schedule_box(self) -> QGroupBox:
        values = settings.get_all(self.ctx.db)
        box = QGroupBox(_tr("Monthly backup"))
        form = QFormLayout(box)
        self.day = QSpinBox()
        self.day.setRange(1, 31)
        self.day.setValue(values["backup.day_of_month"])
        self.day.setToolTip(_tr("In shorter months the last day of the month is used."))
        self.keep = QSpinBox()
        self.keep.setRange(1, 999)
        self.keep.setValue(values["backup.keep"])
        self.folder = FieldBox(QLineEdit(values["backup.directory"]))
        self.folder.editor.setPlaceholderText(str(backup_schedule.directory(self.ctx.db)))
        browse = QPushButton(_tr("Browse…"))
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        self.last = QLabel()
        self.last.setWordWrap(True)
        self._show_last()
        save = QPushButton(_tr("Save schedule"))
        save.clicked.connect(self.save_schedule)
        self.schedule_result = _label()
        form.addRow(_tr("Day of the month"), self.day)
        form.addRow(_tr("Backups to keep"), self.keep)
        form.addRow(_tr("Folder"), folder_row)
        form.addRow(_tr("Last scheduled backup"), self.last)
        form.addRow(save, self.schedule_result)
        return box

    def _show_last(self) -> None:
        last = backup_schedule.last_run(self.ctx.db)
        text = (_tr("{time} — {file}").format(time=f"{last.done:%Y-%m-%d %H:%M}", file=last.file)
                if last.done else _tr("none yet"))
        if last.error:
            text += "\n" + _tr("Last attempt failed: {error}").format(error=last.error)
        self.last.setText(text)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _tr("Backup folder"), self.folder.value())
        if folder:
            self.folder.editor.setText(folder)

    def backup_now(self, path: str | None = None) -> None:
        if path is None:
            stamp = datetime.now().strftime("%Y%m%d-%H%M")
            default = str(backup_schedule.directory(self.ctx.db) / f"kedesk-backup-{stamp}{backups.extension(self.ctx.db)}")
            path, _ = QFileDialog.getSaveFileName(self, _tr("Back up database"), default)
            if not path:
                return
        db, user = self.ctx.db, self.ctx.user
        self.backup_button.setEnabled(False)

        def work():
            return verify_backup(backups.backup(db, Path(path), user=user))

        def done(info):
            self.backup_button.setEnabled(True)
            _show(self.backup_result, _tr("Written and verified: {path}").format(path=path) + "\n" + info.summary(),
                  error=False)

        def failed(exc):
            self.backup_button.setEnabled(True)
            _show(self.backup_result, getattr(exc, "message", str(exc)), error=True)

        self.ctx.tasks.run(work, done, failed)

    def check_file(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, _tr("Choose backup file"), "")
            if not path:
                return
        self.checked = None
        self.restore_button.setEnabled(False)

        def done(info):
            self.checked = info.path
            self.restore_button.setEnabled(True)
            _show(self.file_info, _tr("{file} can be restored: {summary}").format(
                file=info.path.name, summary=info.summary()), error=False)

        def failed(exc):
            _show(self.file_info, getattr(exc, "message", str(exc)), error=True)

        self.ctx.tasks.run(lambda: verify_backup(Path(path)), done, failed)

    def confirm(self, text: str) -> bool:
        """Asked before the data is replaced (tests answer it)."""
        answer = QMessageBox.warning(self, _tr("Restore from a backup"), text,
                                     QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                                     QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Yes

    def restore_checked(self) -> None:
        if self.checked is None or not self.confirm(_tr(
                "All data in the current database will be replaced by the contents of {file}.\n"
                "A safety copy of the current data is kept first.\n\nRestore now?").format(file=self.checked.name)):
            return
        db, user, source = self.ctx.db, self.ctx.user, self.checked
        self.restore_button.setEnabled(False)

        def done(result):
            self.restored = True
            kept = _tr("The data as it was is kept in {path}.").format(path=result.safety_copy) \
                if result.safety_copy else ""
            QMessageBox.information(self, _tr("Restore from a backup"), _tr(
                "Restored and verified. KeDesk will close now; start it again to work with the restored data.")
                + "\n" + kept)
            self.accept()

        def failed(exc):
            _show(self.file_info, getattr(exc, "message", str(exc)), error=True)

        self.ctx.tasks.run(lambda: restore.restore(db, source, user=user), done, failed)

    def save_schedule(self) -> None:
        try:
            folder = settings.parse("backup.directory", self.folder.value())
        except ValueError as exc:
            self.folder.set_error(str(exc))
            return
        if folder and not Path(folder).is_dir():
            self.folder.set_error(_tr("This folder does not exist."))
            return
        self.folder.set_error(None)
        for key, value in (("backup.day_of_month", self.day.value()), ("backup.keep", self.keep.value()),
                           ("backup.directory", folder)):
            settings.put(self.ctx.db, key, value)
        _show(self.schedule_result, _tr("Saved."), error=False)
