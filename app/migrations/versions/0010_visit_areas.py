"""Customer coordinates, visit areas (拜访区域) and the visits.* permissions.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

GRANTS = {
    "sales_rep": ["visits.routes"],
    "branch_manager": ["visits.routes", "visits.areas.manage"],
    "regional_director": ["visits.routes", "visits.areas.manage"],
    "marketing_gm": ["visits.routes", "visits.areas.manage"],
    "archive_clerk": ["visits.routes", "visits.areas.manage"],
}


def upgrade() -> None:
    op.create_table(
        "customer_location",
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("place_code", sa.String(length=6), nullable=False),
        sa.Column("updated_by", sa.String(length=40), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], ondelete="CASCADE",
                                name=op.f("fk_customer_location_customer_id_customer")),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_customer_location")),
    )
    op.create_index(op.f("ix_customer_location_place_code"), "customer_location", ["place_code"])
    op.create_table(
        "visit_area",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["staff.id"], name=op.f("fk_visit_area_owner_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_area")),
        sa.UniqueConstraint("name", name=op.f("uq_visit_area_name")),
    )
    op.create_index(op.f("ix_visit_area_owner_id"), "visit_area", ["owner_id"])
    op.create_table(
        "visit_area_place",
        sa.Column("place_code", sa.String(length=6), nullable=False),
        sa.Column("area_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["area_id"], ["visit_area.id"], ondelete="CASCADE",
                                name=op.f("fk_visit_area_place_area_id_visit_area")),
        sa.PrimaryKeyConstraint("place_code", name=op.f("pk_visit_area_place")),
    )
    op.create_index(op.f("ix_visit_area_place_area_id"), "visit_area_place", ["area_id"])

    permission = sa.table("role_permission", sa.column("role_code", sa.String), sa.column("permission", sa.String))
    existing = {r for (r,) in op.get_bind().execute(sa.text("SELECT code FROM role"))}  # deleted roles stay deleted
    op.bulk_insert(permission, [{"role_code": code, "permission": p}
                                for code, perms in GRANTS.items() if code in existing for p in perms])


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM role_permission WHERE permission LIKE 'visits.%'"))
    op.drop_index(op.f("ix_visit_area_place_area_id"), table_name="visit_area_place")
    op.drop_table("visit_area_place")
    op.drop_index(op.f("ix_visit_area_owner_id"), table_name="visit_area")
    op.drop_table("visit_area")
    op.drop_index(op.f("ix_customer_location_place_code"), table_name="customer_location")
    op.drop_table("customer_location")
