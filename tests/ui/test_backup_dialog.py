"""The backup dialog: a backup is written and checked, a bad file is refused in place, a good one restored."""
from app.services import backup, customers
from app.services.customer_search import CustomerFilter, search_ids
from ui.backup_dialog import BackupDialog


def test_backup_now_shows_what_was_verified(qtbot, ctx, tmp_path):
    dialog = BackupDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.backup_now(str(tmp_path / "now.sqlite3"))
    assert "客户 3 条" in dialog.backup_result.text() and (tmp_path / "now.sqlite3").exists()


def test_a_bad_file_is_refused_in_place_and_cannot_be_restored(qtbot, ctx, tmp_path):
    bad = tmp_path / "notes.sqlite3"
    bad.write_text("not a database")
    dialog = BackupDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.check_file(str(bad))
    assert "不是客台的备份文件" in dialog.file_info.text()
    assert not dialog.restore_button.isEnabled()


def test_a_checked_backup_is_restored_after_confirmation(qtbot, ctx, tmp_path, monkeypatch):
    made = backup.backup(ctx.db, tmp_path / "good.sqlite3")
    customers.create_customer(ctx.db, actor="测试", values={"name": "恢复后消失有限公司"})
    monkeypatch.setattr("ui.backup_dialog.QMessageBox.information", lambda *a: None)
    dialog = BackupDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.check_file(str(made))
    assert "客户 3 条" in dialog.file_info.text() and dialog.restore_button.isEnabled()
    asked = []
    dialog.confirm = lambda text: asked.append(text) or False
    dialog.restore_checked()
    assert "replaced" in asked[0] or "替换" in asked[0]
    assert len(search_ids(ctx.db, CustomerFilter())) == 4  # said no: nothing changed
    dialog.confirm = lambda text: True
    dialog.restore_checked()
    assert dialog.restored and len(search_ids(ctx.db, CustomerFilter())) == 3


def test_schedule_is_saved_and_a_missing_folder_refused(qtbot, ctx, tmp_path):
    from app import settings

    dialog = BackupDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.day.setValue(31)
    dialog.folder.editor.setText(str(tmp_path / "nowhere"))
    dialog.save_schedule()
    assert dialog.folder.error.isVisibleTo(dialog) and settings.get(ctx.db, "backup.day_of_month") == 1
    dialog.folder.editor.setText(str(tmp_path))
    dialog.save_schedule()
    assert settings.get(ctx.db, "backup.day_of_month") == 31 and settings.get(ctx.db, "backup.directory") == str(tmp_path)


def test_the_window_makes_the_monthly_backup_on_start_and_says_so(qtbot, ctx):
    from app.services import backup_schedule
    from ui import backup_timer
    from ui.main_window import MainWindow

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    timer = backup_timer.start(window)
    qtbot.waitUntil(lambda: backup_schedule.last_run(ctx.db).done is not None, timeout=5000)
    assert timer.isActive()
    assert backup_schedule.last_run(ctx.db).file in window.statusBar().currentMessage()
