"""On PostgreSQL the desks' role cannot rewrite history, even from a modified client."""
import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from app.cli import EXIT_OK, main
from app.db import Database
from app.services import customers


@pytest.mark.pg
def test_app_role_may_insert_but_not_change_or_delete_history(pg_db):
    role = f"kedesk_app_{uuid.uuid4().hex[:8]}"
    assert main(["--db", pg_db.url, "pg-app-role", role, "--password", "app-secret"]) == EXIT_OK
    url = make_url(pg_db.url).set(username=role, password="app-secret").render_as_string(hide_password=False)
    desk = Database(url)
    try:
        # the application works as that role: a new card writes its audit rows
        cid = customers.create_customer(desk, actor="前台", values={"name": "角色测试有限公司"})
        customers.update_customer(desk, actor="前台", customer_id=cid, values={"phone": "010-12345678"})
        with desk.engine.connect() as conn:  # a client sending SQL of its own
            assert conn.execute(sa.text("SELECT count(*) FROM audit_record")).scalar() >= 2
            for sql in ("UPDATE audit_record SET new_value = 'forged'", "DELETE FROM audit_record",
                        "DELETE FROM read_log", "UPDATE alembic_version SET version_num = 'x'"):
                with pytest.raises(sa.exc.ProgrammingError, match="permission denied"):
                    conn.execute(sa.text(sql))
                conn.rollback()
    finally:
        desk.dispose()
        admin = sa.create_engine(pg_db.url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP OWNED BY "{role}"'))
            conn.execute(sa.text(f'DROP ROLE "{role}"'))
        admin.dispose()
