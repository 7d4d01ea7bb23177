"""Contact staff of a customer (联系人员) and the hand-set 重要客户 flag on the card.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN: a batch (copy-and-rename) of customer on SQLite would drop the customer_fts triggers
    op.add_column("customer", sa.Column("important", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "customer_contact",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("staff_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("assigned_by", sa.String(length=40), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], ondelete="CASCADE",
                                name=op.f("fk_customer_contact_customer_id_customer")),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_customer_contact_staff_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_contact")),
        sa.UniqueConstraint("customer_id", "staff_id", name=op.f("uq_customer_contact_customer_id")),
    )
    op.create_index(op.f("ix_customer_contact_customer_id"), "customer_contact", ["customer_id"])
    op.create_index(op.f("ix_customer_contact_staff_id"), "customer_contact", ["staff_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_customer_contact_staff_id"), table_name="customer_contact")
    op.drop_index(op.f("ix_customer_contact_customer_id"), table_name="customer_contact")
    op.drop_table("customer_contact")
    op.drop_column("customer", "important")  # SQLite 3.35+ drops a column in place, keeping the triggers
