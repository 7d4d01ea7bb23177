"""Backup → verify → restore: the data comes back, the current data is kept aside, bad files are refused."""
import sqlite3
import uuid
from datetime import date

import pytest
import sqlalchemy as sa
from alembic import command

from app.bootstrap import open_database
from app.db import Database
from app.db.migrate import alembic_config
from app.services import backup, customers
from app.services.backup_check import BadBackup, verify_backup
from app.services.customer_search import CustomerFilter, fetch_rows, search_ids
from app.services.restore import restore
from app.services.users import PermissionDenied, Principal
from models import Customer


def names(db) -> list[str]:
    return sorted(r.name for r in fetch_rows(db, search_ids(db, CustomerFilter())))


def test_round_trip_brings_back_the_data_as_it_was(db, tmp_path):
    customers.create_customer(db, actor="前台", values={"name": "备份前有限公司", "phone": "13800000001"})
    made = backup.backup(db, tmp_path / f"b{backup.extension(db)}")
    info = verify_backup(made)
    assert info.counts["customer"] == 1 and info.counts["audit_record"] >= 1 and not info.older
    assert "客户 1 条" in info.summary()
    customers.create_customer(db, actor="前台", values={"name": "备份后有限公司", "phone": "13800000002"})

    result = restore(db, made, safety_dir=tmp_path)
    assert result.counts == info.counts
    reopened = open_database(db.url)
    try:
        assert names(reopened) == ["备份前有限公司"]
    finally:
        reopened.dispose()
    # the data replaced is not lost: the safety copy holds it and is itself a good backup
    assert verify_backup(result.safety_copy).counts["customer"] == 2


def test_sqlite_safety_copy_sits_next_to_the_database(sqlite_db, tmp_path):
    made = backup.backup(sqlite_db, tmp_path / "b.sqlite3")
    result = restore(sqlite_db, made)
    assert result.safety_copy.parent == tmp_path and ".before-restore-" in result.safety_copy.name


def _older_database(db, tmp_path) -> Database:
    """A database of the previous schema revision, with one customer."""
    if db.dialect == "sqlite":
        url = f"sqlite:///{(tmp_path / 'old.sqlite3').as_posix()}"
    else:
        name = f"kedesk_old_{uuid.uuid4().hex[:8]}"
        with db.engine.execution_options(isolation_level="AUTOCOMMIT").connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        url = db.engine.url.set(database=name).render_as_string(hide_password=False)
    old = Database(url)
    command.upgrade(alembic_config(old.engine), "0003")
    # the customer table as it was at 0003 (later revisions add columns the model now has): the model's
    # columns and defaults, restricted to those the old table holds
    present = {c["name"] for c in sa.inspect(old.engine).get_columns("customer")}
    table = sa.Table("customer", sa.MetaData(), *(
        sa.Column(c.name, c.type, primary_key=c.primary_key, default=c.default.arg if c.default else None)
        for c in Customer.__table__.c if c.name in present))
    with old.engine.begin() as conn:
        conn.execute(sa.insert(table).values(code="KH000001", name="旧版本有限公司",
                                             search_text="旧版本有限公司", last_verified_on=date(2026, 1, 5)))
    return old


def test_a_backup_from_an_older_version_restores_and_is_upgraded_on_open(db, tmp_path):
    old = _older_database(db, tmp_path)
    made = backup.backup(old, tmp_path / f"old-backup{backup.extension(db)}")
    old.dispose()
    info = verify_backup(made)
    assert info.older and info.revision == "0003" and "打开时将自动升级" in info.summary()
    restore(db, made, safety_dir=tmp_path)
    reopened = open_database(db.url)  # runs the migrations from 0003 to head
    try:
        assert names(reopened) == ["旧版本有限公司"]
    finally:
        reopened.dispose()


def test_postgresql_restore_into_a_new_database_leaves_the_current_one(pg_db, tmp_path):
    customers.create_customer(pg_db, actor="前台", values={"name": "原库有限公司"})
    made = backup.backup(pg_db, tmp_path / "b.dump")
    customers.create_customer(pg_db, actor="前台", values={"name": "只在原库有限公司"})
    name = f"kedesk_copy_{uuid.uuid4().hex[:8]}"
    result = restore(pg_db, made, into=name)
    assert result.target == name and result.safety_copy is None
    copy = Database(pg_db.engine.url.set(database=name).render_as_string(hide_password=False))
    try:
        assert names(copy) == ["原库有限公司"]
        assert names(pg_db) == ["原库有限公司", "只在原库有限公司"]
    finally:
        copy.dispose()
        with pg_db.engine.execution_options(isolation_level="AUTOCOMMIT").connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))


def _corrupt(path):
    data = bytearray(path.read_bytes())
    for i in range(4096 + 100, min(len(data), 4096 * 6), 7):  # scribble over the pages after the header
        data[i] = 0xA5
    path.write_bytes(bytes(data))


def test_bad_files_are_refused_with_the_reason_and_nothing_changes(sqlite_db, tmp_path):
    customers.create_customer(sqlite_db, actor="前台", values={"name": "不能丢有限公司"})
    text_file = tmp_path / "notes.sqlite3"
    text_file.write_text("这不是数据库", encoding="utf-8")
    foreign = tmp_path / "other.sqlite3"
    sqlite3.connect(foreign).execute("create table t (x)").connection.commit()
    newer = backup.backup(sqlite_db, tmp_path / "newer.sqlite3")
    con = sqlite3.connect(newer)
    con.execute("update alembic_version set version_num = '0099_future'")
    con.commit()
    con.close()
    broken = backup.backup(sqlite_db, tmp_path / "broken.sqlite3")
    _corrupt(broken)
    expected = {text_file: "不是客台的备份文件", foreign: "不是客台的备份文件", newer: "来自更新版本的客台",
                broken: "已损坏", tmp_path / "missing.sqlite3": "找不到备份文件"}
    for path, message in expected.items():
        with pytest.raises(BadBackup) as refused:
            restore(sqlite_db, path)
        assert message in refused.value.message, path
    assert names(sqlite_db) == ["不能丢有限公司"]
    assert not list(tmp_path.glob("*.before-restore-*"))  # refused before anything was touched


def test_a_damaged_postgresql_dump_and_a_backup_of_the_other_kind_are_refused(pg_db, sqlite_db, tmp_path):
    made = backup.backup(pg_db, tmp_path / "b.dump")
    made.write_bytes(made.read_bytes()[: made.stat().st_size // 2])
    with pytest.raises(BadBackup, match="已损坏"):
        verify_backup(made)
    lite = backup.backup(sqlite_db, tmp_path / "b.sqlite3")
    with pytest.raises(BadBackup, match="不能恢复到当前的 PostgreSQL 数据库"):
        restore(pg_db, lite)


def test_only_a_role_with_backup_permission_restores(sqlite_db, tmp_path):
    made = backup.backup(sqlite_db, tmp_path / "b.sqlite3")
    rep = Principal(user_id=None, username="rep", display_name="王丽", role="sales_rep", role_name="营销人员")
    with pytest.raises(PermissionDenied, match="没有恢复数据库的权限"):
        restore(sqlite_db, made, user=rep)
    with pytest.raises(PermissionDenied, match="没有备份数据库的权限"):
        backup.backup(sqlite_db, tmp_path / "c.sqlite3", user=rep)
