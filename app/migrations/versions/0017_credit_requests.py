"""Credit-limit approval requests (信用额度超限审批) and the credit permissions.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

GRANTS = {
    "sales_rep": ["credit.request"],
    "branch_manager": ["credit.request", "credit.approve.minister"],
    "regional_director": ["credit.request", "credit.approve.minister"],
    "marketing_gm": ["credit.request", "credit.approve.gm"],
}


def upgrade() -> None:
    op.create_table('credit_request',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('exposure', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('credit_limit', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('grade', sa.String(length=2), nullable=False),
    sa.Column('needs_gm', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('applicant_key', sa.String(length=40), nullable=False),
    sa.Column('applicant_name', sa.String(length=40), nullable=False),
    sa.Column('minister_key', sa.String(length=40), nullable=False),
    sa.Column('minister_name', sa.String(length=40), nullable=False),
    sa.Column('gm_key', sa.String(length=40), nullable=False),
    sa.Column('gm_name', sa.String(length=40), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_credit_request_customer_id_customer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_credit_request'))
    )
    op.create_index(op.f('ix_credit_request_customer_id'), 'credit_request', ['customer_id'], unique=False)
    op.create_index(op.f('ix_credit_request_state'), 'credit_request', ['state'], unique=False)

    permission = sa.table("role_permission", sa.column("role_code", sa.String), sa.column("permission", sa.String))
    # roles the administrator deleted stay deleted
    existing = {r for (r,) in op.get_bind().execute(sa.text("SELECT code FROM role"))}
    op.bulk_insert(permission, [{"role_code": code, "permission": p}
                                for code, perms in GRANTS.items() if code in existing for p in perms])


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM role_permission WHERE permission LIKE 'credit.%'"))
    op.drop_index(op.f("ix_credit_request_state"), table_name="credit_request")
    op.drop_index(op.f("ix_credit_request_customer_id"), table_name="credit_request")
    op.drop_table("credit_request")
