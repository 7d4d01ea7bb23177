"""A backup taken while desks are writing restores clean: intact, and every transaction whole or absent."""
import threading
import time
import uuid

import sqlalchemy as sa

from app.bootstrap import open_database
from app.db import Database
from app.services import backup, customers
from app.services.backup_check import verify_backup
from app.services.restore import restore

WRITERS, BACKUPS = 3, 3


def _writers(url: str, stop: threading.Event, errors: list) -> list[threading.Thread]:
    def desk(n: int) -> None:
        db = Database(url)
        i = 0
        try:
            while not stop.is_set():
                customers.create_customer(db, actor=f"前台{n}", allow_duplicate=True,
                                          values={"name": f"并发备份{n}号{i}有限公司", "phone": f"1390000{n}{i:04d}"})
                i += 1
        except Exception as exc:  # any failure is a finding
            errors.append(exc)
        finally:
            db.dispose()

    threads = [threading.Thread(target=desk, args=(n,)) for n in range(WRITERS)]
    for t in threads:
        t.start()
    return threads


def _backups_while_writing(db, tmp_path) -> list:
    stop, errors = threading.Event(), []
    threads = _writers(db.url, stop, errors)
    made = []
    try:
        for k in range(BACKUPS):
            time.sleep(0.4)
            made.append(backup.backup(db, tmp_path / f"during-{k}{backup.extension(db)}"))
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert errors == []
    return made


def _assert_whole(db: Database) -> int:
    """Every customer has its create audit rows (same transaction) and no audit row lacks its customer."""
    with db.engine.connect() as conn:
        n = conn.scalar(sa.text("SELECT count(*) FROM customer"))
        without_audit = conn.scalar(sa.text(
            "SELECT count(*) FROM customer c WHERE NOT EXISTS (SELECT 1 FROM audit_record a "
            "WHERE a.entity_id = c.id AND a.action = 'create')"))
        orphans = conn.scalar(sa.text(
            "SELECT count(*) FROM audit_record a WHERE a.entity = 'customer' AND a.action = 'create' "
            "AND NOT EXISTS (SELECT 1 FROM customer c WHERE c.id = a.entity_id)"))
        blank = conn.scalar(sa.text("SELECT count(*) FROM customer WHERE code IS NULL OR name = ''"))
    assert (without_audit, orphans, blank) == (0, 0, 0)
    return n


def test_sqlite_backups_taken_during_writes_restore_clean(sqlite_db, tmp_path):
    made = _backups_while_writing(sqlite_db, tmp_path)
    final = _assert_whole(sqlite_db)
    seen = []
    for path in made:
        info = verify_backup(path)  # integrity_check ok
        target = open_database(f"sqlite:///{(tmp_path / f'r-{path.stem}.sqlite3').as_posix()}")
        try:
            result = restore(target, path)
            assert result.counts == info.counts
            seen.append(_assert_whole(target))
        finally:
            target.dispose()
    assert 0 < seen[0] <= seen[-1] <= final  # the writers were really writing while each copy was taken
    assert len(set(seen)) > 1 or seen[-1] < final


def test_postgresql_dumps_taken_during_writes_restore_clean(pg_db, tmp_path):
    made = _backups_while_writing(pg_db, tmp_path)
    final = _assert_whole(pg_db)
    seen = []
    for path in made:
        info = verify_backup(path)
        name = f"kedesk_r_{uuid.uuid4().hex[:8]}"
        result = restore(pg_db, path, into=name)
        assert result.counts == info.counts
        copy = Database(pg_db.engine.url.set(database=name).render_as_string(hide_password=False))
        try:
            seen.append(_assert_whole(copy))
        finally:
            copy.dispose()
            with pg_db.engine.execution_options(isolation_level="AUTOCOMMIT").connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    assert 0 < seen[0] <= seen[-1] <= final
    assert len(set(seen)) > 1 or seen[-1] < final
