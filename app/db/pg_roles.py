"""PostgreSQL: the application connects as a non-owner role; history tables are insert-only for it.

The schema owner (the administrator's login) runs migrations; desks log in as the application role,
which may read and write the working tables but only SELECT and INSERT the audit trail and read log.
A modified client talking straight to the server as that role still cannot rewrite history.
"""
from __future__ import annotations

import re

from sqlalchemy import Engine, inspect, text

# issued documents, their reviews and print log, price signatures and the draw are history too
INSERT_ONLY = ("audit_record", "read_log", "selection_document", "document_review", "document_print",
               "price_approval", "selection_draw", "bank_balance")
_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def grant_app_role(engine: Engine, *, role: str, password: str | None = None) -> None:
    """Create (or update) the login role and its grants. Run as the schema owner, after migrations."""
    if not _NAME.match(role):
        raise ValueError(f"角色名只能包含小写字母、数字和下划线:{role}")
    with engine.begin() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).scalar()
        if not exists:
            conn.execute(text(f'CREATE ROLE "{role}" LOGIN'))
        if password:
            conn.execute(text(f"ALTER ROLE \"{role}\" PASSWORD '{password.replace(chr(39), chr(39) * 2)}'"))
        database = conn.execute(text("SELECT current_database()")).scalar()
        conn.execute(text(f'GRANT CONNECT ON DATABASE "{database}" TO "{role}"'))
        conn.execute(text(f'GRANT USAGE ON SCHEMA public TO "{role}"'))
        for table in inspect(conn).get_table_names():
            conn.execute(text(f'REVOKE ALL ON TABLE "{table}" FROM "{role}"'))
            rights = "SELECT, INSERT" if table in INSERT_ONLY else "SELECT, INSERT, UPDATE, DELETE"
            if table == "alembic_version":
                rights = "SELECT"  # only the owner migrates
            conn.execute(text(f'GRANT {rights} ON TABLE "{table}" TO "{role}"'))
