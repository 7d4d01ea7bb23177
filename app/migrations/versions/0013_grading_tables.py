"""Grading tables: advancement applications (进阶申请表), relationship evaluations (客户关系评估表),
key / important / problem customer tables (重点客户管理表, 重要客户对策表, 问题客户对策表); new permissions.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# frozen copy of what app.domain.permissions added at this revision: migrations never import app code
_APPLY = ["grading.advance.apply", "grading.evaluate"]
_SUPERVISOR = [*_APPLY, "grading.advance.review", "grading.tables.view"]
_SALES_MANAGER = [*_SUPERVISOR, "grading.advance.approve", "grading.tables.edit"]
GRANTS = {
    "sales_rep": _APPLY,
    "branch_manager": _SUPERVISOR,
    "regional_director": _SALES_MANAGER,
    "marketing_gm": _SALES_MANAGER,
    "auditor": ["grading.tables.view"],
}


def upgrade() -> None:
    op.create_table('strategy_note',
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('policy', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('updated_by', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'period', name=op.f('pk_strategy_note'))
    )
    op.create_table('advancement_application',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('step', sa.String(length=12), nullable=False),
    sa.Column('from_value', sa.String(length=12), nullable=False),
    sa.Column('to_value', sa.String(length=12), nullable=False),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('criteria_met', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('applicant_id', sa.Uuid(), nullable=True),
    sa.Column('applicant_key', sa.String(length=40), nullable=False),
    sa.Column('applicant_name', sa.String(length=40), nullable=False),
    sa.Column('reviewer_key', sa.String(length=40), nullable=False),
    sa.Column('reviewer_name', sa.String(length=40), nullable=False),
    sa.Column('approver_name', sa.String(length=40), nullable=False),
    sa.Column('notified_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['applicant_id'], ['app_user.id'], name=op.f('fk_advancement_application_applicant_id_app_user')),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_advancement_application_customer_id_customer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_advancement_application')),
    sa.UniqueConstraint('number', name=op.f('uq_advancement_application_number'))
    )
    op.create_index(op.f('ix_advancement_application_customer_id'), 'advancement_application', ['customer_id'], unique=False)
    op.create_index(op.f('ix_advancement_application_state'), 'advancement_application', ['state'], unique=False)
    op.create_table('key_customer_plan',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('sales_target', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('actions', sa.Text(), nullable=False),
    sa.Column('gm_suggestion', sa.Text(), nullable=False),
    sa.Column('chairman_opinion', sa.Text(), nullable=False),
    sa.Column('updated_by', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_key_customer_plan_customer_id_customer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_key_customer_plan')),
    sa.UniqueConstraint('year', 'customer_id', name='uq_key_customer_plan_year_customer')
    )
    op.create_index(op.f('ix_key_customer_plan_customer_id'), 'key_customer_plan', ['customer_id'], unique=False)
    op.create_table('relation_evaluation',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('evaluated_on', sa.Date(), nullable=False),
    sa.Column('items', sa.Text(), nullable=False),
    sa.Column('total', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('grade', sa.String(length=2), nullable=False),
    sa.Column('result', sa.String(length=12), nullable=False),
    sa.Column('suggestion', sa.Text(), nullable=False),
    sa.Column('evaluator', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_relation_evaluation_customer_id_customer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_relation_evaluation'))
    )
    op.create_index(op.f('ix_relation_evaluation_customer_id'), 'relation_evaluation', ['customer_id'], unique=False)
    op.create_table('strategy_entry',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('responsible', sa.String(length=40), nullable=False),
    sa.Column('sales', sa.Text(), nullable=False),
    sa.Column('location', sa.String(length=80), nullable=False),
    sa.Column('trend', sa.Text(), nullable=False),
    sa.Column('problem', sa.Text(), nullable=False),
    sa.Column('strategy', sa.Text(), nullable=False),
    sa.Column('updated_by', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_strategy_entry_customer_id_customer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_strategy_entry')),
    sa.UniqueConstraint('kind', 'period', 'customer_id', name='uq_strategy_entry_row')
    )
    op.create_index(op.f('ix_strategy_entry_customer_id'), 'strategy_entry', ['customer_id'], unique=False)
    op.create_table('advancement_event',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('application_id', sa.Uuid(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_key', sa.String(length=40), nullable=False),
    sa.Column('actor_name', sa.String(length=40), nullable=False),
    sa.Column('action', sa.String(length=12), nullable=False),
    sa.Column('from_state', sa.String(length=12), nullable=False),
    sa.Column('to_state', sa.String(length=12), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['advancement_application.id'], name=op.f('fk_advancement_event_application_id_advancement_application')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_advancement_event'))
    )
    op.create_index(op.f('ix_advancement_event_application_id'), 'advancement_event', ['application_id'], unique=False)

    permission = sa.table("role_permission", sa.column("role_code", sa.String), sa.column("permission", sa.String))
    # roles the administrator deleted stay deleted
    existing = {r for (r,) in op.get_bind().execute(sa.text("SELECT code FROM role"))}
    op.bulk_insert(permission, [{"role_code": code, "permission": p}
                                for code, perms in GRANTS.items() if code in existing for p in perms])


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM role_permission WHERE permission LIKE 'grading.advance.%' "
                       "OR permission IN ('grading.evaluate', 'grading.tables.view', 'grading.tables.edit')"))
    op.drop_index(op.f('ix_advancement_event_application_id'), table_name='advancement_event')
    op.drop_table('advancement_event')
    op.drop_index(op.f('ix_strategy_entry_customer_id'), table_name='strategy_entry')
    op.drop_table('strategy_entry')
    op.drop_index(op.f('ix_relation_evaluation_customer_id'), table_name='relation_evaluation')
    op.drop_table('relation_evaluation')
    op.drop_index(op.f('ix_key_customer_plan_customer_id'), table_name='key_customer_plan')
    op.drop_table('key_customer_plan')
    op.drop_index(op.f('ix_advancement_application_state'), table_name='advancement_application')
    op.drop_index(op.f('ix_advancement_application_customer_id'), table_name='advancement_application')
    op.drop_table('advancement_application')
    op.drop_table('strategy_note')
