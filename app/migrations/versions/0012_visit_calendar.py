"""The visit calendar (拜访日历): contact plans, visit records and follow-ups; the visits.* permissions.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# frozen copy of what app.domain.permissions added at this revision: migrations never import app code
_REP = ["visits.view", "visits.edit"]
_MANAGER = [*_REP, "visits.view.all"]
GRANTS = {"sales_rep": _REP, "branch_manager": _MANAGER, "regional_director": _MANAGER, "marketing_gm": _MANAGER}


def upgrade() -> None:
    op.create_table('visit_plan',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('staff_id', sa.Uuid(), nullable=False),
    sa.Column('department_id', sa.Uuid(), nullable=True),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('contact_way', sa.String(length=12), nullable=False),
    sa.Column('purpose', sa.String(length=200), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('cancel_reason', sa.String(length=200), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_visit_plan_customer_id_customer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_visit_plan_department_id_department')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_visit_plan_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_plan'))
    )
    op.create_index(op.f('ix_visit_plan_customer_id'), 'visit_plan', ['customer_id'], unique=False)
    op.create_index('ix_visit_plan_staff_starts', 'visit_plan', ['staff_id', 'starts_at'], unique=False)
    op.create_index('ix_visit_plan_department_starts', 'visit_plan', ['department_id', 'starts_at'], unique=False)
    op.create_index('ix_visit_plan_starts', 'visit_plan', ['starts_at'], unique=False)
    op.create_table('visit_record',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('plan_id', sa.Uuid(), nullable=True),
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('staff_id', sa.Uuid(), nullable=True),
    sa.Column('visited_on', sa.Date(), nullable=False),
    sa.Column('contact_way', sa.String(length=12), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('key_person_id', sa.Uuid(), nullable=True),
    sa.Column('person_met', sa.String(length=80), nullable=False),
    sa.Column('needs', sa.Text(), nullable=False),
    sa.Column('competitors', sa.Text(), nullable=False),
    sa.Column('credit_changes', sa.Text(), nullable=False),
    sa.Column('growth_rate', sa.Numeric(precision=7, scale=2), nullable=True),
    sa.Column('profit_margin', sa.Numeric(precision=7, scale=2), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('archive_entry_id', sa.Uuid(), nullable=True),
    sa.Column('recorded_by', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['archive_entry_id'], ['archive_entry.id'], name=op.f('fk_visit_record_archive_entry_id_archive_entry'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_visit_record_customer_id_customer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['key_person_id'], ['key_person.id'], name=op.f('fk_visit_record_key_person_id_key_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['plan_id'], ['visit_plan.id'], name=op.f('fk_visit_record_plan_id_visit_plan')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_visit_record_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_record')),
    sa.UniqueConstraint('plan_id', name=op.f('uq_visit_record_plan_id'))
    )
    op.create_index(op.f('ix_visit_record_customer_id'), 'visit_record', ['customer_id'], unique=False)
    op.create_index(op.f('ix_visit_record_visited_on'), 'visit_record', ['visited_on'], unique=False)
    op.create_table('visit_follow_up',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('record_id', sa.Uuid(), nullable=True),
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=True),
    sa.Column('text', sa.String(length=300), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('done_by', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_visit_follow_up_customer_id_customer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_id'], ['staff.id'], name=op.f('fk_visit_follow_up_owner_id_staff')),
    sa.ForeignKeyConstraint(['record_id'], ['visit_record.id'], name=op.f('fk_visit_follow_up_record_id_visit_record'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_follow_up'))
    )
    op.create_index(op.f('ix_visit_follow_up_customer_id'), 'visit_follow_up', ['customer_id'], unique=False)
    op.create_index(op.f('ix_visit_follow_up_owner_id'), 'visit_follow_up', ['owner_id'], unique=False)

    permission = sa.table("role_permission", sa.column("role_code", sa.String), sa.column("permission", sa.String))
    # roles the administrator deleted stay deleted
    existing = {r for (r,) in op.get_bind().execute(sa.text("SELECT code FROM role"))}
    op.bulk_insert(permission, [{"role_code": code, "permission": p}
                                for code, perms in GRANTS.items() if code in existing for p in perms])


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM role_permission WHERE permission LIKE 'visits.%'"))
    for table in ("visit_follow_up", "visit_record", "visit_plan"):
        op.drop_table(table)
