"""Every test gets its own database: a temp SQLite file, and where asked a fresh PostgreSQL database."""
from __future__ import annotations

import os
import uuid

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PG_ADMIN_URL = os.environ.get("KEDESK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory, monkeypatch):
    # never read or write the real user's config or database
    monkeypatch.setenv("KEDESK_DATA_DIR", str(tmp_path_factory.mktemp("kedesk-data")))
    monkeypatch.delenv("KEDESK_DB_URL", raising=False)


@pytest.fixture
def sqlite_db(tmp_path):
    from app.bootstrap import open_database

    db = open_database(f"sqlite:///{(tmp_path / 'kedesk.sqlite3').as_posix()}")
    yield db
    db.dispose()


def _pg_available() -> str | None:
    import sqlalchemy as sa

    try:
        engine = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(sa.text("select 1"))
        engine.dispose()
        return None
    except Exception as exc:  # report why, then skip or fail
        return str(exc).splitlines()[0]


@pytest.fixture(scope="session")
def pg_server():
    problem = _pg_available()
    if problem:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI but unreachable at {PG_ADMIN_URL}: {problem}")
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_URL} ({problem}); set KEDESK_TEST_PG_URL")
    return PG_ADMIN_URL


@pytest.fixture
def pg_db(pg_server):
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    from app.bootstrap import open_database

    name = f"kedesk_t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(pg_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = make_url(pg_server).set(database=name).render_as_string(hide_password=False)
    db = open_database(url)
    yield db
    db.dispose()
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def db(request):
    """The same service test on the embedded database and on PostgreSQL."""
    return request.getfixturevalue("sqlite_db" if request.param == "sqlite" else "pg_db")


@pytest.fixture
def desk_on_utc(monkeypatch):
    """This computer's clock set to UTC (a desk PC nobody configured): the business's zone is still the
    setting visits.timezone (Asia/Shanghai), so 2026-12-31 17:00 UTC is 2027-01-01 01:00 for every user."""
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()
