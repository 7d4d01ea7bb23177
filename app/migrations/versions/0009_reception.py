"""Reception (接待): customer tours (参观), hospitality meals (招待用餐), complaints (投诉).

Also seeds the reception and complaint permissions and the 董事长 role.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# frozen copy of what app.domain.permissions added at this revision: migrations never import app code
NEW_ROLES = {"chairman": "董事长"}
_DESK = ["reception.view", "reception.request", "complaints.receive"]
GRANTS = {
    "front_desk": _DESK,
    "sales_rep": _DESK,
    "branch_manager": [*_DESK, "complaints.handle"],
    "regional_director": [*_DESK, "complaints.handle"],
    # 营销中心 audits and settles the month's meal bills (每月底…须经营销中心审核并结算)
    "marketing_gm": [*_DESK, "complaints.handle", "reception.approve_gm", "reception.settle"],
    "chairman": ["customer.list", "reception.view", "reception.approve_gm", "reception.approve_chairman"],
    "finance": ["reception.view", "reception.settle"],
    "auditor": ["reception.view"],
}


def upgrade() -> None:
    op.create_table('reception_counter',
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'year', name=op.f('pk_reception_counter'))
    )
    op.create_table('meal',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=True),
    sa.Column('unit', sa.String(length=120), nullable=False),
    sa.Column('customer_kind', sa.String(length=10), nullable=False),
    sa.Column('host_level', sa.String(length=10), nullable=False),
    sa.Column('meal_type', sa.String(length=12), nullable=False),
    sa.Column('meal_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('per_person', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('guests', sa.Integer(), nullable=False),
    sa.Column('hosts', sa.Integer(), nullable=False),
    sa.Column('restaurant', sa.String(length=120), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('requested_by', sa.String(length=40), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_by', sa.String(length=40), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=False),
    sa.Column('verbal_by', sa.String(length=40), nullable=False),
    sa.Column('paperwork_due', sa.DateTime(timezone=True), nullable=True),
    sa.Column('bill_total', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('bill_drinks', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('bill_issues', sa.Text(), nullable=False),
    sa.Column('billed_by', sa.String(length=40), nullable=False),
    sa.Column('billed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_meal_customer_id_customer'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meal'))
    )
    op.create_index(op.f('ix_meal_customer_id'), 'meal', ['customer_id'], unique=False)
    op.create_index('ix_meal_meal_at', 'meal', ['meal_at'], unique=False)
    op.create_table('tour',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=True),
    sa.Column('visitor_unit', sa.String(length=120), nullable=False),
    sa.Column('visitors', sa.Text(), nullable=False),
    sa.Column('headcount', sa.Integer(), nullable=False),
    sa.Column('visit_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('route', sa.Text(), nullable=False),
    sa.Column('host', sa.String(length=40), nullable=False),
    sa.Column('by_phone', sa.Boolean(), nullable=False),
    sa.Column('photos_requested', sa.Boolean(), nullable=False),
    sa.Column('photos_allowed', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('applied_by', sa.String(length=40), nullable=False),
    sa.Column('applied_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reviewed_by', sa.String(length=40), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approved_by', sa.String(length=40), nullable=False),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=False),
    sa.Column('permit_year', sa.Integer(), nullable=True),
    sa.Column('permit_seq', sa.Integer(), nullable=True),
    sa.Column('permit_no', sa.String(length=20), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_tour_customer_id_customer'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tour')),
    sa.UniqueConstraint('permit_no', name=op.f('uq_tour_permit_no')),
    sa.UniqueConstraint('permit_year', 'permit_seq', name=op.f('uq_tour_permit_year'))
    )
    op.create_index(op.f('ix_tour_customer_id'), 'tour', ['customer_id'], unique=False)
    op.create_index('ix_tour_visit_at', 'tour', ['visit_at'], unique=False)
    op.create_table('complaint',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=True),
    sa.Column('archive_entry_id', sa.Uuid(), nullable=True),
    sa.Column('complainant', sa.String(length=120), nullable=False),
    sa.Column('contact', sa.String(length=80), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('cause', sa.String(length=12), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('received_by', sa.String(length=40), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('respond_by', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=14), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['archive_entry_id'], ['archive_entry.id'], name=op.f('fk_complaint_archive_entry_id_archive_entry'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_complaint_customer_id_customer'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint')),
    sa.UniqueConstraint('number', name=op.f('uq_complaint_number'))
    )
    op.create_index(op.f('ix_complaint_customer_id'), 'complaint', ['customer_id'], unique=False)
    op.create_index('ix_complaint_received_at', 'complaint', ['received_at'], unique=False)
    op.create_table('complaint_step',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('complaint_id', sa.Uuid(), nullable=False),
    sa.Column('action', sa.String(length=14), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('by', sa.String(length=40), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaint.id'], name=op.f('fk_complaint_step_complaint_id_complaint'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_step'))
    )
    op.create_index(op.f('ix_complaint_step_complaint_id'), 'complaint_step', ['complaint_id'], unique=False)
    role = sa.table("role", sa.column("code", sa.String), sa.column("name", sa.String))
    permission = sa.table("role_permission", sa.column("role_code", sa.String), sa.column("permission", sa.String))
    existing = {r for (r,) in op.get_bind().execute(sa.text("SELECT code FROM role"))}
    op.bulk_insert(role, [{"code": code, "name": name} for code, name in NEW_ROLES.items() if code not in existing])
    existing |= set(NEW_ROLES)
    # roles the administrator deleted stay deleted
    op.bulk_insert(permission, [{"role_code": code, "permission": p}
                                for code, perms in GRANTS.items() if code in existing for p in perms])


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM role_permission WHERE permission LIKE 'reception.%' "
                       "OR permission LIKE 'complaints.%'"))
    op.execute(sa.text("DELETE FROM role_permission WHERE role_code = 'chairman'"))
    op.execute(sa.text("DELETE FROM role WHERE code = 'chairman'"))
    for table in ("complaint_step", "complaint", "tour", "meal", "reception_counter"):
        op.drop_table(table)
