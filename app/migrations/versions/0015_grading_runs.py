"""Grading schemes, runs and snapshots, entered scoring items, payment-term drops (客户分级); grading permissions.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

GRANTS = {
    "branch_manager": ["grading.view"],
    "regional_director": ["grading.view"],
    "marketing_gm": ["grading.view", "grading.run", "grading.override", "sales.edit"],
    "finance": ["grading.view", "sales.edit"],
    "auditor": ["grading.view"],
}


def upgrade() -> None:
    op.create_table('grading_scheme',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('params', sa.Text(), nullable=False),
    sa.Column('is_customer_grade', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grading_scheme')),
    sa.UniqueConstraint('name', name=op.f('uq_grading_scheme_name'))
    )
    op.create_table('grading_run',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('scheme_id', sa.Uuid(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('params', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('previous_run_id', sa.Uuid(), nullable=True),
    sa.Column('customer_count', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('committed_by', sa.String(length=40), nullable=False),
    sa.Column('committed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['previous_run_id'], ['grading_run.id'], name=op.f('fk_grading_run_previous_run_id_grading_run')),
    sa.ForeignKeyConstraint(['scheme_id'], ['grading_scheme.id'], name=op.f('fk_grading_run_scheme_id_grading_scheme')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grading_run'))
    )
    op.create_index(op.f('ix_grading_run_scheme_id'), 'grading_run', ['scheme_id'], unique=False)
    op.create_table('grading_attribute',
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('sales_model', sa.Integer(), nullable=True),
    sa.Column('their_share', sa.Integer(), nullable=True),
    sa.Column('reputation', sa.Integer(), nullable=True),
    sa.Column('updated_by', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_grading_attribute_customer_id_customer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('customer_id', name=op.f('pk_grading_attribute'))
    )
    op.create_table('grading_result',
    sa.Column('run_id', sa.Uuid(), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('computed_grade', sa.String(length=4), nullable=False),
    sa.Column('grade', sa.String(length=4), nullable=False),
    sa.Column('score', sa.Numeric(precision=6, scale=2), nullable=True),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('previous_grade', sa.String(length=4), nullable=False),
    sa.Column('change', sa.String(length=6), nullable=False),
    sa.Column('sales', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('profit', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('orders', sa.Integer(), nullable=False),
    sa.Column('payments', sa.Integer(), nullable=False),
    sa.Column('late', sa.Integer(), nullable=False),
    sa.Column('first_year', sa.Integer(), nullable=True),
    sa.Column('items', sa.Text(), nullable=False),
    sa.Column('override_reason', sa.Text(), nullable=False),
    sa.Column('overridden_by', sa.String(length=40), nullable=False),
    sa.Column('overridden_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_grading_result_customer_id_customer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['run_id'], ['grading_run.id'], name=op.f('fk_grading_result_run_id_grading_run'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('run_id', 'customer_id', name=op.f('pk_grading_result'))
    )
    op.create_index('ix_grading_result_run_rank', 'grading_result', ['run_id', 'rank'], unique=False)
    op.create_table('payment_term_drop',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('quarter', sa.String(length=7), nullable=False),
    sa.Column('late_count', sa.Integer(), nullable=False),
    sa.Column('noticed_by', sa.String(length=40), nullable=False),
    sa.Column('noticed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_payment_term_drop_customer_id_customer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_term_drop')),
    sa.UniqueConstraint('customer_id', 'quarter', name=op.f('uq_payment_term_drop_customer_id'))
    )
    op.create_index(op.f('ix_payment_term_drop_customer_id'), 'payment_term_drop', ['customer_id'], unique=False)

    permission = sa.table("role_permission", sa.column("role_code", sa.String), sa.column("permission", sa.String))
    # roles the administrator deleted stay deleted
    existing = {r for (r,) in op.get_bind().execute(sa.text("SELECT code FROM role"))}
    op.bulk_insert(permission, [{"role_code": code, "permission": p}
                                for code, perms in GRANTS.items() if code in existing for p in perms])


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM role_permission WHERE permission LIKE 'grading.%' OR permission = 'sales.edit'"))
    op.drop_index(op.f("ix_payment_term_drop_customer_id"), table_name="payment_term_drop")
    op.drop_table("payment_term_drop")
    op.drop_index("ix_grading_result_run_rank", table_name="grading_result")
    op.drop_table("grading_result")
    op.drop_table("grading_attribute")
    op.drop_index(op.f("ix_grading_run_scheme_id"), table_name="grading_run")
    op.drop_table("grading_run")
    op.drop_table("grading_scheme")
