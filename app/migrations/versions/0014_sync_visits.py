"""Visit plans, visit records and follow-ups travel with field laptops: the central change feed for them.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-29
"""
from alembic import op

from app.db.sync_feed import drop_statements, install_feed

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

TABLES = ("visit_plan", "visit_record", "visit_follow_up")


def upgrade() -> None:
    bind = op.get_bind()
    for table in TABLES:
        install_feed(bind, table)


def downgrade() -> None:
    bind = op.get_bind()
    for table in TABLES:
        for sql in drop_statements(bind.dialect.name, table):
            bind.exec_driver_sql(sql)
