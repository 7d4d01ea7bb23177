"""A note on the entered scoring items (评分项备注).

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("grading_attribute", sa.Column("note", sa.Text(), server_default="", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("grading_attribute") as batch:
        batch.drop_column("note")
