"""Users, roles and permissions, seeded with the default roles of the regulations.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# frozen copy of app.domain.permissions.DEFAULT_ROLES at this revision: migrations never import app code
ROLES = {
    "front_desk": ("前台", ["customer.list", "customer.open", "customer.create"]),
    "sales_rep": ("营销人员", ["customer.list", "customer.open", "customer.create", "customer.edit",
                           "customer.print"]),
    "branch_manager": ("销售分公司经理", ["customer.list", "customer.open", "customer.create", "customer.edit",
                                    "customer.print", "customer.export", "customer.import", "blacklist.edit",
                                    "archive.read.department.own", "archive.read.personal.team",
                                    "archive.approve"]),
    "regional_director": ("区域总监", ["customer.list", "customer.open", "customer.create", "customer.edit",
                                   "customer.print", "customer.export", "customer.import", "blacklist.edit",
                                   "archive.read.department.own", "archive.read.personal.team",
                                   "archive.approve", "archive.read.department.all", "customer.handover"]),
    "marketing_gm": ("营销中心总经理", ["customer.list", "customer.open", "customer.create", "customer.edit",
                                  "customer.print", "customer.export", "customer.import", "blacklist.edit",
                                  "archive.read.department.own", "archive.read.personal.team", "archive.approve",
                                  "archive.read.department.all", "archive.read.company", "customer.handover",
                                  "readlog.view", "rules.edit"]),
    "archive_clerk": ("市场部信息管理人员", ["customer.list", "customer.open", "customer.create", "customer.edit",
                                     "customer.print", "customer.import", "customer.export",
                                     "customer.handover"]),
    "finance": ("财务", ["customer.list", "customer.open"]),
    "auditor": ("审计", ["customer.list", "customer.open", "readlog.view"]),
    "admin": ("管理员", ["users.manage", "rules.edit", "backup.run", "readlog.view", "customer.list"]),
}


def upgrade() -> None:
    role = op.create_table(
        "role",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_role")),
        sa.UniqueConstraint("name", name=op.f("uq_role_name")),
    )
    permission = op.create_table(
        "role_permission",
        sa.Column("role_code", sa.String(length=32), nullable=False),
        sa.Column("permission", sa.String(length=48), nullable=False),
        sa.ForeignKeyConstraint(["role_code"], ["role.code"], name=op.f("fk_role_permission_role_code_role"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("role_code", "permission", name=op.f("pk_role_permission")),
    )
    op.create_table(
        "app_user",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("username", sa.String(length=40), nullable=False),
        sa.Column("display_name", sa.String(length=40), nullable=False),
        sa.Column("role_code", sa.String(length=32), nullable=False),
        sa.Column("staff_id", sa.Uuid(), nullable=True),
        sa.Column("department_id", sa.Uuid(), nullable=True),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["department_id"], ["department.id"],
                                name=op.f("fk_app_user_department_id_department")),
        sa.ForeignKeyConstraint(["role_code"], ["role.code"], name=op.f("fk_app_user_role_code_role")),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_app_user_staff_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
        sa.UniqueConstraint("username", name=op.f("uq_app_user_username")),
    )
    op.bulk_insert(role, [{"code": code, "name": name} for code, (name, _perms) in ROLES.items()])
    op.bulk_insert(permission, [{"role_code": code, "permission": p}
                                for code, (_name, perms) in ROLES.items() for p in perms])


def downgrade() -> None:
    op.drop_table("app_user")
    op.drop_table("role_permission")
    op.drop_table("role")
