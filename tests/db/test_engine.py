"""Opening databases: pragmas, network shares refused, migrations with a backup first, settings."""
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from app import settings
from app.bootstrap import open_database
from app.config import ENV_DB_URL, LocalConfig, resolve_db_url
from app.db import DatabaseError, make_engine
from app.db.engine import is_network_path
from app.db.migrate import upgrade

MOUNTS = [("/", "ext4"), ("/mnt/share", "cifs"), ("/srv/nfs", "nfs4"), ("/mnt/share/local", "ext4")]


def test_network_paths_are_recognised():
    assert is_network_path(Path("//server/share/kedesk.sqlite3"))
    assert is_network_path(Path("/mnt/share/kedesk.sqlite3"), MOUNTS)
    assert is_network_path(Path("/srv/nfs/a/b.sqlite3"), MOUNTS)
    assert not is_network_path(Path("/home/rep/kedesk.sqlite3"), MOUNTS)
    assert not is_network_path(Path("/mnt/share/local/x.sqlite3"), MOUNTS)  # the deepest mount decides


def test_sqlite_on_a_share_is_refused_with_advice():
    with pytest.raises(DatabaseError) as exc:
        make_engine("sqlite:////" + "/server/share/kedesk.sqlite3")
    assert "网络共享" in str(exc.value) and "PostgreSQL" in str(exc.value)


def test_sqlite_pragmas(sqlite_db):
    with sqlite_db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 15000


def test_schema_upgrade_backs_up_an_existing_sqlite_file_first(tmp_path):
    path = tmp_path / "old.sqlite3"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE legacy (x)")
    con.execute("INSERT INTO legacy VALUES (42)")
    con.commit()
    con.close()
    db = open_database(f"sqlite:///{path.as_posix()}", migrate=False)
    backup = upgrade(db.engine, db.url)
    assert backup is not None and backup.exists()
    assert sqlite3.connect(backup).execute("SELECT x FROM legacy").fetchone() == (42,)
    assert upgrade(db.engine, db.url) is None  # already at head: nothing to back up
    db.dispose()


def test_database_choice_order(monkeypatch):
    assert resolve_db_url().startswith("sqlite:///")
    cfg = LocalConfig(db_url="sqlite:////tmp/from-settings.sqlite3")
    cfg.save()
    assert resolve_db_url() == "sqlite:////tmp/from-settings.sqlite3"
    monkeypatch.setenv(ENV_DB_URL, "sqlite:////tmp/from-env.sqlite3")
    assert resolve_db_url() == "sqlite:////tmp/from-env.sqlite3"
    assert resolve_db_url("sqlite:////tmp/cli.sqlite3") == "sqlite:////tmp/cli.sqlite3"


def test_rule_settings_default_to_the_regulation_and_can_change(db):
    assert settings.get(db, "reverify.interval_months") == 3
    settings.put(db, "reverify.interval_months", 6)
    assert settings.get_all(db)["reverify.interval_months"] == 6


def test_a_new_database_needs_no_backup(tmp_path):
    open_database(f"sqlite:///{(tmp_path / 'new.sqlite3').as_posix()}").dispose()
    assert [p.name for p in tmp_path.iterdir() if "before-upgrade" in p.name] == []


def test_migration_seeds_exactly_the_default_roles(db):
    from sqlalchemy import select

    from app.domain.permissions import DEFAULT_ROLES, PERMISSIONS
    from models import Role, RolePermission

    with db.read() as s:
        roles = {code: name for code, name in s.execute(select(Role.code, Role.name))}
        granted = {(r, p) for r, p in s.execute(select(RolePermission.role_code, RolePermission.permission))}
    assert roles == {code: name for code, (name, _p) in DEFAULT_ROLES.items()}
    assert granted == {(code, p) for code, (_n, perms) in DEFAULT_ROLES.items() for p in perms}
    assert {p for _r, p in granted} <= set(PERMISSIONS)
