"""The monthly backup: made when due, verified, recorded, old ones pruned; a failure is retried."""
from datetime import datetime

import pytest

from app import settings
from app.errors import UserError
from app.services import backup_schedule
from app.services.backup_check import verify_backup


def test_monthly_backup_is_made_once_per_month_and_old_ones_pruned(sqlite_db, tmp_path):
    settings.put(sqlite_db, "backup.directory", str(tmp_path / "bak"))
    settings.put(sqlite_db, "backup.keep", 2)
    made = [backup_schedule.run_scheduled(sqlite_db, now=datetime(2025, m, 3, 9)) for m in (1, 2, 3)]
    assert all(made) and verify_backup(made[-1].file).counts["customer"] == 0
    assert backup_schedule.run_scheduled(sqlite_db, now=datetime(2025, 3, 20, 9)) is None  # already done
    kept = sorted(p.name for p in (tmp_path / "bak").iterdir())
    assert kept == [made[1].file.name, made[2].file.name] and made[2].pruned == [made[0].file]
    last = backup_schedule.last_run(sqlite_db)
    assert last.file == str(made[2].file) and last.error == ""


def test_hand_made_backups_in_the_folder_are_never_pruned(sqlite_db, tmp_path):
    settings.put(sqlite_db, "backup.directory", str(tmp_path))
    settings.put(sqlite_db, "backup.keep", 1)
    (tmp_path / "kedesk-backup-handmade.sqlite3").write_bytes(b"x")
    for m in (1, 2):
        backup_schedule.run_scheduled(sqlite_db, now=datetime(2025, m, 2))
    assert (tmp_path / "kedesk-backup-handmade.sqlite3").exists()


def test_default_folder_is_backups_in_the_data_dir(sqlite_db):
    made = backup_schedule.run_scheduled(sqlite_db, now=datetime(2025, 5, 1, 8))
    assert made.file.parent.name == "backups"


def test_a_failed_backup_is_recorded_and_tried_again(sqlite_db, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.put(sqlite_db, "backup.directory", str(blocker))
    with pytest.raises(UserError, match="每月自动备份失败"):
        backup_schedule.run_scheduled(sqlite_db, now=datetime(2025, 6, 1, 8))
    assert backup_schedule.last_run(sqlite_db).error and backup_schedule.last_run(sqlite_db).done is None
    settings.put(sqlite_db, "backup.directory", str(tmp_path / "ok"))
    assert backup_schedule.run_scheduled(sqlite_db, now=datetime(2025, 6, 1, 9)) is not None


def test_day_of_month_setting_is_refused_outside_1_to_31():
    with pytest.raises(ValueError, match="应为 1–31"):
        settings.parse("backup.day_of_month", "32")
    assert settings.parse("backup.directory", "") == ""
