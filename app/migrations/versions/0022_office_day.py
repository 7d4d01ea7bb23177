"""The office day (客户卡片与保密): loans say what they lend (查阅 read / 修改 edit).

Revision ID: 0022
Revises: 0020
Create Date: 2026-12-08
"""
import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("access_request") as batch:
        batch.add_column(sa.Column("mode", sa.String(8), nullable=False, server_default="read"))


def downgrade() -> None:
    with op.batch_alter_table("access_request") as batch:
        batch.drop_column("mode")
