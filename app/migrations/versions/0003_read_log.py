"""Read log (借阅卡) of archive readings.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "read_log",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("username", sa.String(length=40), nullable=False),
        sa.Column("display_name", sa.String(length=40), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=True),
        sa.Column("level", sa.String(length=12), nullable=False),
        sa.Column("allowed", sa.Boolean(), nullable=False),
        sa.Column("approval_id", sa.Uuid(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_read_log")),
    )
    op.create_index("ix_read_log_at", "read_log", ["at"])
    op.create_index("ix_read_log_customer", "read_log", ["customer_id"])


def downgrade() -> None:
    op.drop_table("read_log")
