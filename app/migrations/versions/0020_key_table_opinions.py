"""Who writes the opinions on the key-customer table (重点客户管理表): the marketing GM his suggestion, the
chairman his opinion — no longer anyone who may edit the table. The chairman reads the company- and
department-level archives the table lists.

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

GRANTS = {
    "marketing_gm": ["grading.tables.gm"],
    # to write about the key customers he must read their archives (company and department level)
    "chairman": ["customer.open", "archive.read.company", "archive.read.department.all", "grading.tables.view",
                 "grading.tables.chairman"],
}


def upgrade() -> None:
    permission = sa.table("role_permission", sa.column("role_code", sa.String), sa.column("permission", sa.String))
    bind = op.get_bind()
    existing = {r for (r,) in bind.execute(sa.text("SELECT code FROM role"))}  # deleted roles stay deleted
    held = set(bind.execute(sa.text("SELECT role_code, permission FROM role_permission")).all())
    op.bulk_insert(permission, [{"role_code": code, "permission": p} for code, perms in GRANTS.items()
                                if code in existing for p in perms if (code, p) not in held])


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM role_permission WHERE permission IN "
                       "('grading.tables.gm', 'grading.tables.chairman')"))
