"""Reception approvals compare logins, not display names: meal.requested_by_id and tour.reviewed_by_id.

Two people may share a display name (王伟) and a user may be renamed; the name columns stay for printing and
history. Rows written before this revision keep NULL and are compared by name. Neither table is syncable
(app.services.offline.registry), so no change feed is involved.

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

COLUMNS = (("meal", "requested_by_id"), ("tour", "reviewed_by_id"))


def upgrade() -> None:
    for table, column in COLUMNS:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column(column, sa.Uuid(), nullable=True))
            batch.create_foreign_key(op.f(f"fk_{table}_{column}_app_user"), "app_user", [column], ["id"])


def downgrade() -> None:
    for table, column in reversed(COLUMNS):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(f"fk_{table}_{column}_app_user"), type_="foreignkey")
            batch.drop_column(column)
