"""Offline field laptops (离线外出): devices, applied operations, conflicts and the change feed.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

from app.db.sync_feed import drop_statements, install_feed

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# the tables laptops may edit when this revision was written (app.services.offline.registry.SYNCABLE);
# a later migration that makes a table syncable calls install_feed for it
FEED_TABLES = ("customer", "key_person", "key_person_relation", "archive_entry", "customer_contact")
GRANTS = {
    "sales_rep": ["offline.checkout"],
    "branch_manager": ["offline.checkout", "offline.resolve"],
    "regional_director": ["offline.checkout", "offline.resolve"],
    "marketing_gm": ["offline.checkout", "offline.resolve"],
}


def upgrade() -> None:
    op.create_table(
        "sync_change",
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), sa.Identity(always=False),
                  nullable=False),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_sync_change")),
    )  # SQLite: a rowid alias grows as max+1; feed rows are never deleted, so no AUTOINCREMENT needed
    op.create_table(
        "sync_device",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("username", sa.String(length=40), nullable=False),
        sa.Column("checked_out_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_sync_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_sync_device_user_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_device")),
    )
    op.create_index(op.f("ix_sync_device_user_id"), "sync_device", ["user_id"], unique=False)
    op.create_table(
        "sync_applied",
        sa.Column("op_id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["device_id"], ["sync_device.id"],
                                name=op.f("fk_sync_applied_device_id_sync_device")),
        sa.PrimaryKeyConstraint("op_id", name=op.f("pk_sync_applied")),
    )
    op.create_index(op.f("ix_sync_applied_device_id"), "sync_applied", ["device_id"], unique=False)
    op.create_table(
        "sync_conflict",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("op_id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("username", sa.String(length=40), nullable=False),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("expected", sa.Text(), nullable=False),
        sa.Column("central", sa.Text(), nullable=False),
        sa.Column("mine", sa.Text(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by", sa.String(length=40), nullable=False),
        sa.Column("resolution", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(["device_id"], ["sync_device.id"],
                                name=op.f("fk_sync_conflict_device_id_sync_device")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflict")),
    )
    op.create_index(op.f("ix_sync_conflict_op_id"), "sync_conflict", ["op_id"], unique=False)
    op.create_index(op.f("ix_sync_conflict_row_id"), "sync_conflict", ["row_id"], unique=False)
    bind = op.get_bind()
    for table in FEED_TABLES:
        install_feed(bind, table)
    permission = sa.table("role_permission", sa.column("role_code", sa.String), sa.column("permission", sa.String))
    existing = {r for (r,) in bind.execute(sa.text("SELECT code FROM role"))}  # deleted roles stay deleted
    op.bulk_insert(permission, [{"role_code": code, "permission": p}
                                for code, perms in GRANTS.items() if code in existing for p in perms])


def downgrade() -> None:
    bind = op.get_bind()
    op.execute(sa.text("DELETE FROM role_permission WHERE permission LIKE 'offline.%'"))
    for table in FEED_TABLES:
        for sql in drop_statements(bind.dialect.name, table):
            bind.exec_driver_sql(sql)
    if bind.dialect.name == "postgresql":
        op.execute(sa.text("DROP FUNCTION IF EXISTS kedesk_sync_feed()"))
    for table in ("sync_conflict", "sync_applied", "sync_device", "sync_change"):
        op.drop_table(table)
