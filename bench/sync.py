"""Offline sync benchmark (离线同步基准): push 10,000 pending operations from a laptop replica to the
central database, against raw inserts of the same rows through the bare driver in the same process.

    python bench/sync.py --quick     # 1,000 operations
    python bench/sync.py             # 10,000 operations (PostgreSQL if reachable, else SQLite)

Each pushed operation costs: its savepoint, the access check on its customer, the insert, its audit
row, its applied-operation row (idempotence) and the central change-feed row written by the trigger.
"""
from __future__ import annotations

import os
import sys
import tempfile
import uuid
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa
from sqlalchemy import insert

from bench.common import Report, arguments, note, scratch_env, timed

FULL, QUICK = 10_000, 1_000
CUSTOMERS = 200
PG_ADMIN = os.environ.get("KEDESK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TARGETS = {"sync_push": 40.0, "sync_journal": 10.0}  # ratios proposed here (docs/offline.md)


def _central(workdir: str):
    from sqlalchemy.engine import make_url

    from app.bootstrap import open_database

    try:
        admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        name = f"kedesk_bench_sync_{uuid.uuid4().hex[:8]}"
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        url = make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)

        def drop():
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()

        return open_database(url), drop
    except Exception as exc:  # noqa: BLE001 - no server: the embedded database
        note(f"PostgreSQL not reachable ({str(exc).splitlines()[0]}); central on SQLite")
        return open_database(f"sqlite:///{Path(workdir, 'central.sqlite3').as_posix()}"), lambda: None


def _rows(customer_ids: list[uuid.UUID], n: int) -> list[dict]:
    return [{"id": uuid.uuid4(), "customer_id": customer_ids[i % len(customer_ids)], "name": f"关键人{i:05d}",
             "position": "采购经理", "phone": f"0231{i:07d}", "note": ""} for i in range(n)]


def main(argv: list[str] | None = None) -> int:
    args = arguments(__doc__.splitlines()[0]).parse_args(argv)
    n = QUICK if args.quick else FULL
    workdir = tempfile.mkdtemp(prefix="kedesk-bench-sync-")
    scratch_env(workdir)
    from app.db.bulk import bulk_insert
    from app.services import customers, users
    from app.services.offline import checkout, push
    from models import KeyPerson

    central, drop = _central(workdir)
    report = Report()
    try:
        users.create_user(central, username="admin", display_name="管理员", role="admin", password="Bench-admin-1")
        admin = users.authenticate(central, username="admin", password="Bench-admin-1")
        users.create_user(central, username="rep", display_name="外勤", role="marketing_gm", password="Bench-rep-1",
                          by=admin)
        user = users.authenticate(central, username="rep", password="Bench-rep-1")
        ids = [customers.create_customer(central, actor="bench", values={"name": f"基准客户{i:04d}有限公司"},
                                         allow_duplicate=True) for i in range(CUSTOMERS)]
        path = Path(workdir, "laptop.kedesk")
        checkout.checkout(central, path=path, password="Bench-rep-1", device_name="bench", user=user)
        laptop = checkout.open_replica(path, "Bench-rep-1")
        note(f"central: {central.dialect}; {n} offline key persons over {CUSTOMERS} customers")

        rows = _rows(ids, n)
        # the laptop: the same bulk insert with and without the journal triggers
        plain = sa.create_engine(f"sqlite:///{Path(workdir, 'plain.sqlite3').as_posix()}")
        KeyPerson.__table__.metadata.create_all(plain, tables=[KeyPerson.__table__.metadata.tables["customer"],
                                                               KeyPerson.__table__])
        with plain.begin() as conn:
            conn.execute(insert(KeyPerson.__table__.metadata.tables["customer"]),
                         [{"id": c, "code": f"K{i}", "name": "x"} for i, c in enumerate(ids)])
        def raw_local_insert():
            with plain.begin() as conn:
                conn.execute(insert(KeyPerson.__table__), rows)

        _, raw_local = timed(raw_local_insert)
        _, journal_time = timed(lambda: laptop.transact(lambda s: bulk_insert(s, KeyPerson.__table__, rows)))
        report.add("sync_journal", journal_time, "s", raw_local, TARGETS["sync_journal"])

        # the push against raw inserts of the same rows into central's own table
        raw_rows = _rows(ids, n)
        kp = KeyPerson.__table__
        cols = ["id", "customer_id", "name", "position", "phone", "note", "work_unit", "address", "mobile", "email",
                "wechat", "decision_role", "personality", "hobbies", "family", "education", "id_number", "is_key",
                "created_at", "updated_at", "version"]
        from models.base import utcnow
        now = utcnow()
        full = [{**r, "work_unit": "", "address": "", "mobile": "", "email": "", "wechat": "",
                 "decision_role": "influencer", "personality": "", "hobbies": "", "family": "", "education": "",
                 "id_number": "", "is_key": False, "created_at": now, "updated_at": now, "version": 1}
                for r in raw_rows]

        def raw_insert():
            with central.engine.begin() as conn:
                conn.execute(insert(kp), [{k: r[k] for k in cols} for r in full])

        _, raw_central = timed(raw_insert)
        results, push_time = timed(lambda: push.push(laptop, central, user=user))
        assert len(results) == n and not any(r.conflicts for r in results)
        report.add("sync_push", push_time, "s", raw_central, TARGETS["sync_push"])
        note(f"push: {n / push_time:,.0f} operations/s; raw inserts {n / raw_central:,.0f} rows/s")
        laptop.dispose()
    finally:
        central.dispose()
        drop()
    report.finish()
    return 0


if __name__ == "__main__":
    sys.exit(main())
