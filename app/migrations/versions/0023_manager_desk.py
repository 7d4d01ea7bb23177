"""The manager's desk (客户分级与拜访): who may print the complete 客户分级表 (grading.table.all: the marketing
GM, finance, the auditor) and who runs the credit grades (credit.grade: finance's periodic re-check); the
approval of a meal bill over the standard (超标准审批: meal.excess_*); "五人以下" read inclusive — the setting
meals.hosts.small_below becomes meals.hosts.small_upto with the number as typed (the regulation's 5); the
working-day overrides selection.rest_days / selection.extra_workdays become workdays.rest_days /
workdays.extra_workdays (statutory holidays now come from the `holidays` package); inquiry records (询价与函电,
table inquiry) with their 24-hour answer clock.

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
    op.create_table(
        "inquiry",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=True),
        sa.Column("inquirer", sa.String(length=120), nullable=False),
        sa.Column("contact", sa.String(length=80), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("received_by", sa.String(length=40), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("respond_by", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_by", sa.String(length=40), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], name=op.f("fk_inquiry_customer_id_customer"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inquiry")),
        sa.UniqueConstraint("number", name=op.f("uq_inquiry_number")),
    )
    op.create_index(op.f("ix_inquiry_customer_id"), "inquiry", ["customer_id"], unique=False)
    op.create_index("ix_inquiry_received_at", "inquiry", ["received_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_inquiry_received_at", table_name="inquiry")
    op.drop_index(op.f("ix_inquiry_customer_id"), table_name="inquiry")
    op.drop_table("inquiry")
    for old, new in RENAMED:
        op.execute(sa.text(f"UPDATE setting SET key = '{old}' WHERE key = '{new}'"))
    with op.batch_alter_table("meal") as batch:
        batch.drop_column("excess_note")
        batch.drop_column("excess_approved_at")
        batch.drop_column("excess_approved_by")
    op.execute(sa.text("DELETE FROM role_permission WHERE permission IN ('grading.table.all', 'credit.grade')"))
