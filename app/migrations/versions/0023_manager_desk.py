"""The manager's desk (客户分级与拜访): who may print the complete 客户分级表 (grading.table.all: the marketing
GM, finance, the auditor) and who runs the credit grades (credit.grade: finance's periodic re-check); the
approval of a meal bill over the standard (超标准审批: meal.excess_*); "五人以下" read inclusive — the setting
meals.hosts.small_below becomes meals.hosts.small_upto with the number as typed (the regulation's 5); the
working-day overrides selection.rest_days / selection.extra_workdays become workdays.rest_days /
workdays.extra_workdays (statutory holidays now come from the `holidays` package).

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

GRANTS = {
    "marketing_gm": ["grading.table.all"],
    "finance": ["grading.table.all", "credit.grade"],
    "auditor": ["grading.table.all"],
}
RENAMED = (("meals.hosts.small_below", "meals.hosts.small_upto"), ("selection.rest_days", "workdays.rest_days"),
           ("selection.extra_workdays", "workdays.extra_workdays"))


def upgrade() -> None:
    permission = sa.table("role_permission", sa.column("role_code", sa.String), sa.column("permission", sa.String))
    bind = op.get_bind()
    existing = {r for (r,) in bind.execute(sa.text("SELECT code FROM role"))}  # deleted roles stay deleted
    held = set(bind.execute(sa.text("SELECT role_code, permission FROM role_permission")).all())
    op.bulk_insert(permission, [{"role_code": code, "permission": p} for code, perms in GRANTS.items()
                                if code in existing for p in perms if (code, p) not in held])
    with op.batch_alter_table("meal") as batch:
        batch.add_column(sa.Column("excess_approved_by", sa.String(length=40), server_default="", nullable=False))
        batch.add_column(sa.Column("excess_approved_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("excess_note", sa.Text(), server_default="", nullable=False))
    for old, new in RENAMED:
        op.execute(sa.text(f"UPDATE setting SET key = '{new}' WHERE key = '{old}'"))


def downgrade() -> None:
    for old, new in RENAMED:
        op.execute(sa.text(f"UPDATE setting SET key = '{old}' WHERE key = '{new}'"))
    with op.batch_alter_table("meal") as batch:
        batch.drop_column("excess_note")
        batch.drop_column("excess_approved_at")
        batch.drop_column("excess_approved_by")
    op.execute(sa.text("DELETE FROM role_permission WHERE permission IN ('grading.table.all', 'credit.grade')"))
